/*
 * ladder.c - the encoding ladder as data. See ladder.h.
 */
#include "resources/ladder.h"

#include <string.h>

/*
 * The rungs, lowest first. Each profile takes the lowest N of them, so the
 * order is part of the contract. BufSize is twice the bitrate and MaxBitrate
 * equals it on every rung of the seed; both are written out rather than
 * computed so the table reads like the reference files.
 */
static const struct ladder_rung LADDER_RUNGS[] = {
    { .name = "_512x288", .width = 512, .height = 288,
      .bitrate_bps = 400000, .max_bitrate_bps = 400000, .buf_size_bits = 800000,
      .framerate_numerator = 15, .framerate_denominator = 1,
      .qvbr_quality_level = 6, .h264_profile = "BASELINE", .h264_level = "H264_LEVEL_AUTO" },
    { .name = "_640x360", .width = 640, .height = 360,
      .bitrate_bps = 800000, .max_bitrate_bps = 800000, .buf_size_bits = 1600000,
      .framerate_numerator = 30, .framerate_denominator = 1,
      .qvbr_quality_level = 7, .h264_profile = "BASELINE", .h264_level = "H264_LEVEL_AUTO" },
    { .name = "_768x432", .width = 768, .height = 432,
      .bitrate_bps = 1200000, .max_bitrate_bps = 1200000, .buf_size_bits = 2400000,
      .framerate_numerator = 30, .framerate_denominator = 1,
      .qvbr_quality_level = 7, .h264_profile = "BASELINE", .h264_level = "H264_LEVEL_AUTO" },
    { .name = "_960x540", .width = 960, .height = 540,
      .bitrate_bps = 1800000, .max_bitrate_bps = 1800000, .buf_size_bits = 3600000,
      .framerate_numerator = 30, .framerate_denominator = 1,
      .qvbr_quality_level = 7, .h264_profile = "BASELINE", .h264_level = "H264_LEVEL_AUTO" },
    { .name = "_1280x720", .width = 1280, .height = 720,
      .bitrate_bps = 2700000, .max_bitrate_bps = 2700000, .buf_size_bits = 5400000,
      .framerate_numerator = 30, .framerate_denominator = 1,
      .qvbr_quality_level = 8, .h264_profile = "BASELINE", .h264_level = "H264_LEVEL_AUTO" },
    { .name = "_1920x1080", .width = 1920, .height = 1080,
      .bitrate_bps = 4100000, .max_bitrate_bps = 4100000, .buf_size_bits = 8200000,
      .framerate_numerator = 30, .framerate_denominator = 1,
      .qvbr_quality_level = 8, .h264_profile = "BASELINE", .h264_level = "H264_LEVEL_AUTO" },
};

#define LADDER_RUNG_COUNT (sizeof LADDER_RUNGS / sizeof LADDER_RUNGS[0])

/*
 * InputSpecification per profile as the seed's createChannel set it
 * (source/custom-resource/lib/medialive/index.js, v2.1.1): 1080p is an HD
 * input up to 20 Mbps, 720p an HD input up to 10 Mbps, 540p an SD input up
 * to 10 Mbps. MediaLive bills by these, so they are not rounded up.
 */
static const struct ladder_profile LADDER_PROFILES[] = {
    { .name = "HD-1080p", .rung_count = 6, .input_codec = "AVC",
      .input_resolution = "HD", .input_maximum_bitrate = "MAX_20_MBPS" },
    { .name = "HD-720p", .rung_count = 5, .input_codec = "AVC",
      .input_resolution = "HD", .input_maximum_bitrate = "MAX_10_MBPS" },
    { .name = "SD-540p", .rung_count = 4, .input_codec = "AVC",
      .input_resolution = "SD", .input_maximum_bitrate = "MAX_10_MBPS" },
};

#define LADDER_PROFILE_COUNT (sizeof LADDER_PROFILES / sizeof LADDER_PROFILES[0])

_Static_assert(6 <= LADDER_RUNG_COUNT, "HD-1080p needs six rungs");

static const struct ladder_shared LADDER_SHARED = {
    .gop_size = 2.0,
    .gop_size_units = "SECONDS",
    .gop_num_b_frames = 0,
    .gop_closed_cadence = 1,
    .num_ref_frames = 5,
    .buf_fill_pct = 90,
    .rate_control_mode = "QVBR",
    .sharpness = 100,
    /* The seed reads audio selector "default" without declaring one in the
     * input attachment; MediaLive then takes the input's first audio track. */
    .audio_selector_name = "default",
    .audio_bitrate_bps = 96000,
    .audio_sample_rate_hz = 48000,
    .audio_coding_mode = "CODING_MODE_2_0",
    .audio_profile = "LC",
    .output_group_name = "HLS HD",
    .destination_ref_id = "destination1",
    .hls_segment_length_s = 4,
    .hls_keep_segments = 21,
    .hls_index_n_segments = 10,
    .hls_mode = "LIVE",
    .hls_directory_structure = "SINGLE_DIRECTORY",
    .hls_segment_modifier = "_$t$_",
    .timecode_source = "EMBEDDED",
};

const struct ladder_shared *ladder_shared_get(void)
{
    return &LADDER_SHARED;
}

const struct ladder_profile *ladder_profile_find(const char *name)
{
    if (name == NULL)
        return NULL;
    for (size_t i = 0; i < LADDER_PROFILE_COUNT; i++) {
        if (strcmp(LADDER_PROFILES[i].name, name) == 0)
            return &LADDER_PROFILES[i];
    }
    return NULL;
}

size_t ladder_profile_count(void)
{
    return LADDER_PROFILE_COUNT;
}

const struct ladder_profile *ladder_profile_at(size_t i)
{
    return i < LADDER_PROFILE_COUNT ? &LADDER_PROFILES[i] : NULL;
}

size_t ladder_profile_rungs(const struct ladder_profile *profile,
                            const struct ladder_rung **rungs)
{
    if (profile == NULL || profile->rung_count > LADDER_RUNG_COUNT) {
        if (rungs != NULL)
            *rungs = NULL;
        return 0;
    }
    if (rungs != NULL)
        *rungs = LADDER_RUNGS;
    return profile->rung_count;
}

double ladder_rung_framerate(const struct ladder_rung *rung)
{
    if (rung == NULL || rung->framerate_denominator == 0)
        return 0.0;
    return (double)rung->framerate_numerator / (double)rung->framerate_denominator;
}
