/* Tests for resources/ladder: the rung table and the profiles selecting from
 * it, checked against the seed's reference profiles where they say so. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_files.h"
#include <cjson/cJSON.h>

#include "resources/ladder.h"



static double h264_num(const cJSON *vd, const char *key)
{
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(vd, "CodecSettings"), "H264Settings");
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(h, key);
    assert_true(cJSON_IsNumber(v));
    return v->valuedouble;
}

static const char *h264_str(const cJSON *vd, const char *key)
{
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(vd, "CodecSettings"), "H264Settings");
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(h, key);
    assert_true(cJSON_IsString(v));
    return v->valuestring;
}

static void profiles_are_found_by_exact_name(void **state)
{
    (void)state;
    assert_int_equal(ladder_profile_count(), 3);
    assert_string_equal(ladder_profile_find("HD-1080p")->name, "HD-1080p");
    assert_string_equal(ladder_profile_find("HD-720p")->name, "HD-720p");
    assert_string_equal(ladder_profile_find("SD-540p")->name, "SD-540p");
    assert_null(ladder_profile_find("hd-720p"));
    assert_null(ladder_profile_find("HD-720"));
    assert_null(ladder_profile_find(""));
    assert_null(ladder_profile_find(NULL));
    assert_ptr_equal(ladder_profile_at(0), ladder_profile_find("HD-1080p"));
    assert_null(ladder_profile_at(3));
}

static void rung_counts_and_top_rungs(void **state)
{
    (void)state;
    static const struct {
        const char *profile;
        size_t count;
        const char *top;
        int width, height;
        long bitrate;
    } cases[] = {
        { "HD-1080p", 6, "_1920x1080", 1920, 1080, 4100000 },
        { "HD-720p", 5, "_1280x720", 1280, 720, 2700000 },
        { "SD-540p", 4, "_960x540", 960, 540, 1800000 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct ladder_rung *r;
        size_t n = ladder_profile_rungs(ladder_profile_find(cases[i].profile), &r);
        assert_int_equal(n, cases[i].count);
        assert_string_equal(r[0].name, "_512x288");
        assert_int_equal(r[0].width, 512);
        assert_int_equal(r[0].height, 288);
        assert_int_equal(r[0].bitrate_bps, 400000);
        assert_string_equal(r[n - 1].name, cases[i].top);
        assert_int_equal(r[n - 1].width, cases[i].width);
        assert_int_equal(r[n - 1].height, cases[i].height);
        assert_int_equal(r[n - 1].bitrate_bps, cases[i].bitrate);
        for (size_t k = 1; k < n; k++)
            assert_true(r[k].bitrate_bps > r[k - 1].bitrate_bps);
    }
    const struct ladder_rung *r = (const void *)1;
    assert_int_equal(ladder_profile_rungs(NULL, &r), 0);
    assert_null(r);
}

static void framerates(void **state)
{
    (void)state;
    const struct ladder_rung *r;
    ladder_profile_rungs(ladder_profile_find("HD-720p"), &r);
    assert_true(ladder_rung_framerate(&r[0]) == 15.0);
    assert_true(ladder_rung_framerate(&r[1]) == 30.0);
    assert_true(ladder_rung_framerate(NULL) == 0.0);
}

/* The seed chose these per profile in its createChannel. */
static void input_specification_per_profile(void **state)
{
    (void)state;
    const struct ladder_profile *p = ladder_profile_find("HD-1080p");
    assert_string_equal(p->input_codec, "AVC");
    assert_string_equal(p->input_resolution, "HD");
    assert_string_equal(p->input_maximum_bitrate, "MAX_20_MBPS");
    p = ladder_profile_find("HD-720p");
    assert_string_equal(p->input_resolution, "HD");
    assert_string_equal(p->input_maximum_bitrate, "MAX_10_MBPS");
    p = ladder_profile_find("SD-540p");
    assert_string_equal(p->input_resolution, "SD");
    assert_string_equal(p->input_maximum_bitrate, "MAX_10_MBPS");
}

static void shared_settings_match_the_brief(void **state)
{
    (void)state;
    const struct ladder_shared *sh = ladder_shared_get();
    assert_int_equal(sh->hls_segment_length_s, 4);
    assert_int_equal(sh->hls_keep_segments, 21);
    assert_int_equal(sh->hls_index_n_segments, 10);
    assert_string_equal(sh->hls_mode, "LIVE");
    assert_string_equal(sh->hls_directory_structure, "SINGLE_DIRECTORY");
    assert_true(sh->gop_size == 2.0);
    assert_string_equal(sh->gop_size_units, "SECONDS");
    assert_string_equal(sh->destination_ref_id, "destination1");
}

/* Every rung of every profile against the reference file's video
 * descriptions, in order. */
static void rungs_match_reference_files(void **state)
{
    (void)state;
    static const struct {
        const char *profile;
        const char *file;
    } files[] = {
        { "HD-1080p", REF_DIR "hd-1080p.json" },
        { "HD-720p", REF_DIR "hd-720p.json" },
        { "SD-540p", REF_DIR "sd-540p.json" },
    };
    const struct ladder_shared *sh = ladder_shared_get();
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        cJSON *ref = load_json(files[i].file);
        const cJSON *vds = cJSON_GetObjectItemCaseSensitive(ref, "VideoDescriptions");
        const struct ladder_rung *r;
        size_t n = ladder_profile_rungs(ladder_profile_find(files[i].profile), &r);
        assert_int_equal((size_t)cJSON_GetArraySize(vds), n);
        for (size_t k = 0; k < n; k++) {
            const cJSON *vd = cJSON_GetArrayItem(vds, (int)k);
            assert_string_equal(cJSON_GetObjectItemCaseSensitive(vd, "Name")->valuestring,
                                r[k].name);
            assert_int_equal(cJSON_GetObjectItemCaseSensitive(vd, "Width")->valueint, r[k].width);
            assert_int_equal(cJSON_GetObjectItemCaseSensitive(vd, "Height")->valueint,
                             r[k].height);
            assert_true(h264_num(vd, "Bitrate") == (double)r[k].bitrate_bps);
            assert_true(h264_num(vd, "MaxBitrate") == (double)r[k].max_bitrate_bps);
            assert_true(h264_num(vd, "BufSize") == (double)r[k].buf_size_bits);
            assert_true(h264_num(vd, "FramerateNumerator") == r[k].framerate_numerator);
            assert_true(h264_num(vd, "FramerateDenominator") == r[k].framerate_denominator);
            assert_true(h264_num(vd, "QvbrQualityLevel") == r[k].qvbr_quality_level);
            assert_true(h264_num(vd, "GopSize") == sh->gop_size);
            assert_string_equal(h264_str(vd, "GopSizeUnits"), sh->gop_size_units);
            assert_string_equal(h264_str(vd, "Profile"), r[k].h264_profile);
            assert_string_equal(h264_str(vd, "Level"), r[k].h264_level);
        }
        const cJSON *hls = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(
                cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(ref, "OutputGroups"), 0),
                "OutputGroupSettings"),
            "HlsGroupSettings");
        assert_int_equal(cJSON_GetObjectItemCaseSensitive(hls, "SegmentLength")->valueint,
                         sh->hls_segment_length_s);
        assert_int_equal(cJSON_GetObjectItemCaseSensitive(hls, "KeepSegments")->valueint,
                         sh->hls_keep_segments);
        assert_int_equal(cJSON_GetObjectItemCaseSensitive(hls, "IndexNSegments")->valueint,
                         sh->hls_index_n_segments);
        cJSON_Delete(ref);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(profiles_are_found_by_exact_name),
        cmocka_unit_test(rung_counts_and_top_rungs),
        cmocka_unit_test(framerates),
        cmocka_unit_test(input_specification_per_profile),
        cmocka_unit_test(shared_settings_match_the_brief),
        cmocka_unit_test(rungs_match_reference_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
