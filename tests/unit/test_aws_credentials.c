/* Credentials chain, shared files and endpoint resolution. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aws/credentials.h"
#include "aws/endpoints.h"

static char dir[] = "/tmp/lsms-cred-XXXXXX";
static char cfg_path[256], cred_path[256];

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(dir))
        return -1;
    snprintf(cfg_path, sizeof(cfg_path), "%s/config", dir);
    snprintf(cred_path, sizeof(cred_path), "%s/credentials", dir);
    FILE *f = fopen(cfg_path, "w");
    fputs("[default]\nregion = eu-west-1\n[profile dev]\nregion=us-west-2\ns3 =\n  max_concurrent_requests = 2\n", f);
    fclose(f);
    f = fopen(cred_path, "w");
    fputs("# comment\n[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = SDEFAULT\n"
          "[dev]\naws_access_key_id=AKIDDEV\naws_secret_access_key=SDEV\naws_session_token=TDEV\n"
          "[half]\naws_access_key_id=AKIDHALF\n", f);
    fclose(f);
    unsetenv("AWS_ACCESS_KEY_ID");
    unsetenv("AWS_SECRET_ACCESS_KEY");
    unsetenv("AWS_SESSION_TOKEN");
    unsetenv("AWS_PROFILE");
    setenv("AWS_CONFIG_FILE", cfg_path, 1);
    setenv("AWS_SHARED_CREDENTIALS_FILE", cred_path, 1);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(cfg_path);
    unlink(cred_path);
    rmdir(dir);
    return 0;
}

static void test_credentials_order(void **state)
{
    (void)state;
    struct aws_credentials c = {0};
    struct aws_error err = {0};
    struct aws_credentials_config explicit_cfg = {.access_key = "AKIDX", .secret_key = "SX"};
    setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "SENV", 1);
    assert_int_equal(aws_credentials_resolve(&explicit_cfg, &c, &err), 0);
    assert_string_equal(c.access_key_id, "AKIDX");
    aws_credentials_clean_up(&c);
    assert_int_equal(aws_credentials_resolve(NULL, &c, &err), 0);
    assert_string_equal(c.access_key_id, "AKIDENV");
    aws_credentials_clean_up(&c);
    unsetenv("AWS_ACCESS_KEY_ID");
    unsetenv("AWS_SECRET_ACCESS_KEY");
    assert_int_equal(aws_credentials_resolve(NULL, &c, &err), 0);
    assert_string_equal(c.access_key_id, "AKIDDEFAULT");
    aws_credentials_clean_up(&c);
    setenv("AWS_PROFILE", "dev", 1);
    assert_int_equal(aws_credentials_resolve(NULL, &c, &err), 0);
    assert_string_equal(c.access_key_id, "AKIDDEV");
    assert_string_equal(c.session_token, "TDEV");
    aws_credentials_clean_up(&c);
    char *region = aws_credentials_profile_region(NULL);
    assert_string_equal(region, "us-west-2");
    free(region);
    unsetenv("AWS_PROFILE");
    struct aws_credentials_config half = {.profile = "half"};
    assert_int_equal(aws_credentials_resolve(&half, &c, &err), -1);
    assert_string_equal(err.code, AWS_ERR_CREDENTIALS);
    assert_null(strstr(err.message, "AKIDHALF"));
    struct aws_credentials_config none = {.profile = "nobody"};
    assert_int_equal(aws_credentials_resolve(&none, &c, &err), -1);
    assert_string_equal(err.code, AWS_ERR_CREDENTIALS);
    aws_error_clean_up(&err);
}

static void test_credentials_explicit_file_lists(void **state)
{
    (void)state;
    char other[300];
    snprintf(other, sizeof(other), "%s/other", dir);
    FILE *f = fopen(other, "w");
    fputs("[default]\naws_access_key_id = AKIDOTHER\naws_secret_access_key = SOTHER\n", f);
    fclose(f);
    const char *files[] = {cred_path, other}; /* later file wins */
    struct aws_credentials_config cfg = {.credentials_files = files, .credentials_files_count = 2};
    struct aws_credentials c = {0};
    struct aws_error err = {0};
    assert_int_equal(aws_credentials_resolve(&cfg, &c, &err), 0);
    assert_string_equal(c.access_key_id, "AKIDOTHER");
    aws_credentials_clean_up(&c);
    unlink(other);
}

static void test_endpoints_defaults_and_overrides(void **state)
{
    (void)state;
    struct aws_endpoint e = {0};
    struct aws_error err = {0};
    unsetenv("AWS_ENDPOINT_URL");
    unsetenv("AWS_ENDPOINT_URL_CLOUDWATCH");
    assert_int_equal(aws_endpoint_resolve("cloudwatch", "eu-west-1", NULL, &e, &err), 0);
    assert_string_equal(e.url, "https://monitoring.eu-west-1.amazonaws.com");
    assert_string_equal(e.signing_name, "monitoring");
    assert_string_equal(e.signing_region, "eu-west-1");
    aws_endpoint_clean_up(&e);
    assert_int_equal(aws_endpoint_resolve("cloudfront", "eu-west-1", NULL, &e, &err), 0);
    assert_string_equal(e.url, "https://cloudfront.amazonaws.com");
    assert_string_equal(e.signing_region, "us-east-1");
    aws_endpoint_clean_up(&e);
    assert_int_equal(aws_endpoint_resolve("iam", "eu-west-1", NULL, &e, &err), 0);
    assert_string_equal(e.url, "https://iam.amazonaws.com");
    assert_string_equal(e.signing_region, "us-east-1");
    aws_endpoint_clean_up(&e);
    setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1", 1);
    setenv("AWS_ENDPOINT_URL_CLOUDWATCH", "http://127.0.0.1:2", 1);
    assert_int_equal(aws_endpoint_resolve("cloudwatch", "eu-west-1", NULL, &e, &err), 0);
    assert_string_equal(e.url, "http://127.0.0.1:2");
    aws_endpoint_clean_up(&e);
    assert_int_equal(aws_endpoint_resolve("sts", "eu-west-1", NULL, &e, &err), 0);
    assert_string_equal(e.url, "http://127.0.0.1:1");
    aws_endpoint_clean_up(&e);
    struct aws_endpoint_overrides o = {.cloudwatch = "http://127.0.0.1:3"};
    assert_int_equal(aws_endpoint_resolve("cloudwatch", "eu-west-1", &o, &e, &err), 0);
    assert_string_equal(e.url, "http://127.0.0.1:3");
    aws_endpoint_clean_up(&e);
    unsetenv("AWS_ENDPOINT_URL");
    unsetenv("AWS_ENDPOINT_URL_CLOUDWATCH");
    assert_int_equal(aws_endpoint_resolve("nosuch", "eu-west-1", NULL, &e, &err), -1);
    assert_string_equal(err.code, AWS_ERR_CONFIG);
    aws_error_clean_up(&err);
}

/* S3: regional in us-east-1 too, signed as s3; `overridden` tells the S3
 * codec to address buckets path-style. */
static void test_endpoints_s3(void **state)
{
    (void)state;
    struct aws_endpoint e = {0};
    struct aws_error err = {0};
    unsetenv("AWS_ENDPOINT_URL");
    unsetenv("AWS_ENDPOINT_URL_S3");
    assert_int_equal(aws_endpoint_resolve("s3", "us-east-1", NULL, &e, &err), 0);
    assert_string_equal(e.url, "https://s3.us-east-1.amazonaws.com");
    assert_string_equal(e.signing_name, "s3");
    assert_string_equal(e.signing_region, "us-east-1");
    assert_int_equal(e.overridden, 0);
    aws_endpoint_clean_up(&e);
    assert_int_equal(aws_endpoint_resolve("s3", "eu-west-3", NULL, &e, &err), 0);
    assert_string_equal(e.url, "https://s3.eu-west-3.amazonaws.com");
    assert_string_equal(e.signing_region, "eu-west-3");
    aws_endpoint_clean_up(&e);
    setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1", 1);
    assert_int_equal(aws_endpoint_resolve("s3", "eu-west-3", NULL, &e, &err), 0);
    assert_string_equal(e.url, "http://127.0.0.1:1");
    assert_int_equal(e.overridden, 1);
    aws_endpoint_clean_up(&e);
    setenv("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:2", 1);
    assert_int_equal(aws_endpoint_resolve("s3", "eu-west-3", NULL, &e, &err), 0);
    assert_string_equal(e.url, "http://127.0.0.1:2");
    aws_endpoint_clean_up(&e);
    struct aws_endpoint_overrides o = {.s3 = "http://127.0.0.1:3", .mediastore = "http://x:4"};
    assert_int_equal(aws_endpoint_resolve("s3", "eu-west-3", &o, &e, &err), 0);
    assert_string_equal(e.url, "http://127.0.0.1:3");
    assert_int_equal(e.overridden, 1);
    aws_endpoint_clean_up(&e);
    unsetenv("AWS_ENDPOINT_URL");
    unsetenv("AWS_ENDPOINT_URL_S3");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_credentials_order),
        cmocka_unit_test(test_credentials_explicit_file_lists),
        cmocka_unit_test(test_endpoints_defaults_and_overrides),
        cmocka_unit_test(test_endpoints_s3),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
