/* Tests for the pure parts of resources/distribution/distribution_s3: the bucket's
 * regional domain name both ways, and the Origin Access Control's name.
 * (Its AWS calls are exercised end to end in
 * tests/acceptance/test_distribution_s3.py.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "resources/distribution/distribution_s3.h"

static void regional_domain_both_ways(void **state)
{
    (void)state;
    char *d = distribution_s3_origin_domain("live-origin", "eu-west-1");
    assert_string_equal(d, "live-origin.s3.eu-west-1.amazonaws.com");
    char *bucket = NULL, *region = NULL;
    assert_int_equal(distribution_s3_origin_domain_parse(d, &bucket, &region), 0);
    assert_string_equal(bucket, "live-origin");
    assert_string_equal(region, "eu-west-1");
    free(bucket);
    free(region);
    free(d);
    d = distribution_s3_origin_domain("live", "cn-north-1");
    assert_string_equal(d, "live.s3.cn-north-1.amazonaws.com.cn");
    assert_int_equal(distribution_s3_origin_domain_parse(d, &bucket, &region), 0);
    assert_string_equal(region, "cn-north-1");
    free(bucket);
    free(region);
    free(d);
    /* Hosts that are not a bucket's regional domain. */
    static const char *const others[] = {
        "abc123.data.mediastore.us-east-1.amazonaws.com", "live.s3.amazonaws.com",
        "live.s3-website-us-east-1.amazonaws.com", "live.s3.us-east-1.amazonaws.com.evil.example",
        "live.s3.us-east-1.example.com", ".s3.us-east-1.amazonaws.com", "live.s3.US-EAST-1.amazonaws.com",
        "live.s3.cn-north-1.amazonaws.com", "h.example", ""};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        assert_int_equal(distribution_s3_origin_domain_parse(others[i], &bucket, &region), -1);
        assert_null(bucket);
        assert_null(region);
    }
    assert_int_equal(distribution_s3_origin_domain_parse(NULL, &bucket, &region), -1);
}

static void oac_name_is_unique_stable_and_short(void **state)
{
    (void)state;
    const char *ref = "lsms-0123456789abcdef0123456789abcdef";
    char *a = distribution_s3_oac_name("live-origin", ref, NULL);
    assert_string_equal(a, "live-origin-0123456789abcdef");
    /* The same distribution and bucket always give the same name. */
    char *again = distribution_s3_oac_name("live-origin", ref, "E2QWRUHAPOMQZL");
    assert_string_equal(a, again);
    free(again);
    free(a);
    /* A 63-character bucket is cut so the name stays within 64. */
    const char *longest = "a23456789012345678901234567890123456789012345678901234567890123";
    char *n = distribution_s3_oac_name(longest, ref, NULL);
    assert_int_equal(strlen(n), 64);
    assert_memory_equal(n, longest, 47);
    assert_string_equal(n + 47, "-0123456789abcdef");
    free(n);
    /* An imported distribution whose reference has few letters or digits:
     * its id stands in. */
    n = distribution_s3_oac_name("live", "x-1", "E2QWRUHAPOMQZL");
    assert_string_equal(n, "live-e2qwruhapomqzl");
    free(n);
    n = distribution_s3_oac_name("live", "Terraform-2026-08-01T10:11:12Z", "E2Q");
    assert_string_equal(n, "live-20260801t101112z");
    free(n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(regional_domain_both_ways),
        cmocka_unit_test(oac_name_is_unique_stable_and_short),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
