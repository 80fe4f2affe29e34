/* aws/ca_bundle.c: the CA bundle a static binary verifies AWS with is found
 * where each distribution keeps it, in Go's order, inside a directory laid
 * out like the root of a Debian, RHEL, Alpine or SUSE machine; SSL_CERT_FILE
 * and SSL_CERT_DIR win when set. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aws/ca_bundle.h"

static char root[64];

/* mkdir -p of root + the directory part of path, then the file (or the
 * directory itself when is_dir). */
static void make_path(const char *path, int is_dir)
{
    char full[512];
    snprintf(full, sizeof(full), "%s%s", root, path);
    for (char *p = full + strlen(root) + 1; *p; p++) {
        if (*p == '/') {
            *p = 0;
            mkdir(full, 0755);
            *p = '/';
        }
    }
    if (is_dir) {
        mkdir(full, 0755);
    } else {
        FILE *f = fopen(full, "w");
        assert_non_null(f);
        fputs("-----BEGIN CERTIFICATE-----\n", f);
        fclose(f);
    }
}

static int setup(void **state)
{
    (void)state;
    snprintf(root, sizeof(root), "/tmp/lsms-ca-XXXXXX");
    assert_non_null(mkdtemp(root));
    unsetenv("SSL_CERT_FILE");
    unsetenv("SSL_CERT_DIR");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
    assert_int_equal(system(cmd), 0);
    unsetenv("SSL_CERT_FILE");
    unsetenv("SSL_CERT_DIR");
    return 0;
}

/* The path found, relative to root, or NULL. */
static const char *rel(const char *path)
{
    if (!path)
        return NULL;
    size_t n = strlen(root);
    return strncmp(path, root, n) == 0 ? path + n : path;
}

static void find(struct aws_ca_location *loc)
{
    memset(loc, 0, sizeof(*loc));
    assert_int_equal(aws_ca_location_find(root, loc), 0);
}

static void test_debian_ubuntu(void **state)
{
    (void)state;
    make_path("/etc/ssl/certs/ca-certificates.crt", 0);
    struct aws_ca_location loc;
    find(&loc);
    assert_string_equal(rel(loc.file), "/etc/ssl/certs/ca-certificates.crt");
    assert_null(loc.dir); /* a bundle found: no directory lookups */
    aws_ca_location_clean_up(&loc);
}

static void test_rhel_amazon_linux(void **state)
{
    (void)state;
    make_path("/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", 0);
    make_path("/etc/pki/tls/certs", 1);
    struct aws_ca_location loc;
    find(&loc);
    assert_string_equal(rel(loc.file), "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem");
    aws_ca_location_clean_up(&loc);
    /* Fedora/RHEL's compatibility link comes first when there. */
    make_path("/etc/pki/tls/certs/ca-bundle.crt", 0);
    find(&loc);
    assert_string_equal(rel(loc.file), "/etc/pki/tls/certs/ca-bundle.crt");
    aws_ca_location_clean_up(&loc);
}

static void test_alpine_symlink(void **state)
{
    (void)state;
    make_path("/etc/ssl/certs/ca-bundle-real.pem", 0);
    char link[512], target[512];
    snprintf(link, sizeof(link), "%s/etc/ssl/cert.pem", root);
    snprintf(target, sizeof(target), "%s/etc/ssl/certs/ca-bundle-real.pem", root);
    assert_int_equal(symlink(target, link), 0);
    struct aws_ca_location loc;
    find(&loc);
    assert_string_equal(rel(loc.file), "/etc/ssl/cert.pem");
    aws_ca_location_clean_up(&loc);
}

static void test_suse(void **state)
{
    (void)state;
    make_path("/etc/ssl/ca-bundle.pem", 0);
    struct aws_ca_location loc;
    find(&loc);
    assert_string_equal(rel(loc.file), "/etc/ssl/ca-bundle.pem");
    aws_ca_location_clean_up(&loc);
}

static void test_directory_only(void **state)
{
    (void)state;
    make_path("/etc/ssl/certs", 1);
    struct aws_ca_location loc;
    find(&loc);
    assert_null(loc.file);
    assert_string_equal(rel(loc.dir), "/etc/ssl/certs");
    aws_ca_location_clean_up(&loc);
}

static void test_nothing_found(void **state)
{
    (void)state;
    make_path("/etc/ssl/certs/ca-certificates.crt", 1); /* a directory, not a bundle */
    struct aws_ca_location loc;
    find(&loc);
    assert_null(loc.file);
    assert_string_equal(rel(loc.dir), "/etc/ssl/certs");
    aws_ca_location_clean_up(&loc);
    char dir[512];
    snprintf(dir, sizeof(dir), "%s/etc/ssl/certs/ca-certificates.crt", root);
    assert_int_equal(rmdir(dir), 0);
    snprintf(dir, sizeof(dir), "%s/etc/ssl/certs", root);
    assert_int_equal(rmdir(dir), 0);
    find(&loc);
    assert_null(loc.file);
    assert_null(loc.dir);
}

static void test_environment_wins(void **state)
{
    (void)state;
    make_path("/etc/ssl/certs/ca-certificates.crt", 0);
    setenv("SSL_CERT_FILE", "/opt/corp/ca.pem", 1);
    setenv("SSL_CERT_DIR", "/opt/corp/certs:/etc/ssl/certs", 1);
    struct aws_ca_location loc;
    find(&loc);
    /* Taken as given, even when missing: the error then names it. */
    assert_string_equal(loc.file, "/opt/corp/ca.pem");
    assert_string_equal(loc.dir, "/opt/corp/certs:/etc/ssl/certs");
    aws_ca_location_clean_up(&loc);
    unsetenv("SSL_CERT_FILE");
    find(&loc);
    assert_string_equal(rel(loc.file), "/etc/ssl/certs/ca-certificates.crt");
    assert_string_equal(loc.dir, "/opt/corp/certs:/etc/ssl/certs");
    aws_ca_location_clean_up(&loc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_debian_ubuntu, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rhel_amazon_linux, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alpine_symlink, setup, teardown),
        cmocka_unit_test_setup_teardown(test_suse, setup, teardown),
        cmocka_unit_test_setup_teardown(test_directory_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nothing_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_environment_wins, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
