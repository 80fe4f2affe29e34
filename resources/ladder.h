/*
 * ladder.h - the encoding ladder of lsms_channel: one const table of rungs,
 * the three encoding profiles that select from it, and the settings every
 * rung shares.
 *
 * The numbers are the seed solution's (aws-solutions live-streaming-on-aws-
 * with-mediastore v2.1.1, encoding-profiles/<profile>.json); tests/unit/test_ladder.c
 * and test_channel_settings.c compare them with those files field by field.
 *
 * Everything returned here is static, read-only data: callers never free it
 * and may keep the pointers for the life of the process.
 */
#ifndef LSMS_RESOURCES_LADDER_H
#define LSMS_RESOURCES_LADDER_H

#include <stddef.h>

/* One rendition of the HLS ladder. Only what differs between rungs lives
 * here; everything else is in struct ladder_shared. */
struct ladder_rung {
    const char *name;            /* "_1280x720": video description name, output
                                  * name and HLS name modifier */
    int width;
    int height;
    long bitrate_bps;            /* H.264 Bitrate */
    long max_bitrate_bps;        /* QVBR ceiling (MaxBitrate) */
    long buf_size_bits;          /* HRD buffer (BufSize) */
    int framerate_numerator;
    int framerate_denominator;
    int qvbr_quality_level;      /* 1..10 */
    const char *h264_profile;    /* H264Profile enum, e.g. "BASELINE" */
    const char *h264_level;      /* H264Level enum, e.g. "H264_LEVEL_AUTO" */
};

/* A profile: its rungs and the MediaLive InputSpecification that goes with
 * it (the input resolution and maximum bitrate decide the channel's price
 * tier; the values are those the seed's createChannel chose per profile). */
struct ladder_profile {
    const char *name;                  /* "HD-1080p" | "HD-720p" | "SD-540p" */
    size_t rung_count;                 /* the lowest rung_count rungs of the table */
    const char *input_codec;           /* InputCodec: "AVC" */
    const char *input_resolution;      /* InputResolution: "SD" | "HD" | "UHD" */
    const char *input_maximum_bitrate; /* "MAX_10_MBPS" | "MAX_20_MBPS" | "MAX_50_MBPS" */
};

/* Settings common to every rung and every profile, named so that the request
 * builder and the tests say what they mean. */
struct ladder_shared {
    /* video */
    double gop_size;                 /* in gop_size_units */
    const char *gop_size_units;      /* "SECONDS" */
    int gop_num_b_frames;
    int gop_closed_cadence;
    int num_ref_frames;
    int buf_fill_pct;
    const char *rate_control_mode;   /* "QVBR" */
    int sharpness;
    /* audio: one AAC description per rung, all alike */
    const char *audio_selector_name; /* input audio selector the descriptions read */
    long audio_bitrate_bps;
    long audio_sample_rate_hz;
    const char *audio_coding_mode;   /* "CODING_MODE_2_0" */
    const char *audio_profile;       /* AAC profile "LC" */
    /* HLS output group */
    const char *output_group_name;
    const char *destination_ref_id;  /* must match the channel's destination id */
    int hls_segment_length_s;
    int hls_keep_segments;
    int hls_index_n_segments;
    const char *hls_mode;            /* "LIVE" */
    const char *hls_directory_structure; /* "SINGLE_DIRECTORY" */
    const char *hls_segment_modifier;    /* "_$t$_": epoch time in segment names */
    /* channel-wide */
    const char *timecode_source;     /* "EMBEDDED" */
};

/* The shared settings. Static data. */
const struct ladder_shared *ladder_shared_get(void);

/* Looks a profile up by its exact name ("HD-1080p", "HD-720p", "SD-540p").
 * Returns static data, or NULL for an unknown or NULL name. */
const struct ladder_profile *ladder_profile_find(const char *name);

/* The number of profiles, and the i-th one (NULL when i is out of range), in
 * table order; for validators that list the allowed names. */
size_t ladder_profile_count(void);
const struct ladder_profile *ladder_profile_at(size_t i);

/* Sets *rungs to the profile's rungs, lowest first, and returns how many
 * there are. The array is static. Returns 0 (and *rungs = NULL) for NULL. */
size_t ladder_profile_rungs(const struct ladder_profile *profile,
                            const struct ladder_rung **rungs);

/* Frames per second of a rung (numerator / denominator), for the
 * `renditions` attribute. */
double ladder_rung_framerate(const struct ladder_rung *rung);

#endif
