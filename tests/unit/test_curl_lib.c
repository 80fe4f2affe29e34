/* libcurl reached through provider/aws/curl_lib.c: the library opens on
 * first use, and each kind of variadic argument (long, pointer, function
 * pointer, curl_off_t, int for the share handle) reaches libcurl intact —
 * libcurl itself rejects a wrong value, and the handle's own state shows
 * what it received. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <curl/curl.h>

#include "aws/curl_lib.h"

static size_t discard(char *p, size_t size, size_t n, void *user)
{
    (void)p;
    (void)user;
    return size * n;
}

static void test_loads_once(void **state)
{
    (void)state;
    assert_int_equal(curl_lib_load(), 0);
    assert_string_equal(curl_lib_error(), "");
    assert_int_equal(curl_lib_load(), 0);
    assert_int_equal(curl_global_init(CURL_GLOBAL_DEFAULT), CURLE_OK);
}

static void test_easy_setopt_argument_kinds(void **state)
{
    (void)state;
    CURL *h = curl_easy_init();
    assert_non_null(h);
    /* long: an out-of-range value is refused by libcurl, a valid one not. */
    assert_int_equal(curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 5000L), CURLE_OK);
    assert_int_equal(curl_easy_setopt(h, CURLOPT_MAXREDIRS, -2L), CURLE_BAD_FUNCTION_ARGUMENT);
    /* pointer: the URL comes back through getinfo. */
    assert_int_equal(curl_easy_setopt(h, CURLOPT_URL, "http://127.0.0.1:1/some/path"), CURLE_OK);
    char *url = NULL;
    assert_int_equal(curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &url), CURLE_OK);
    assert_string_equal(url, "http://127.0.0.1:1/some/path");
    /* function pointer and curl_off_t. */
    assert_int_equal(curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard), CURLE_OK);
    assert_int_equal(curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)42), CURLE_OK);
    assert_int_equal(curl_easy_setopt(h, CURLOPT_MAX_RECV_SPEED_LARGE, (curl_off_t)-1),
                     CURLE_BAD_FUNCTION_ARGUMENT);
    long code = -1;
    assert_int_equal(curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code), CURLE_OK);
    assert_int_equal(code, 0);
    curl_easy_reset(h);
    curl_easy_cleanup(h);
}

static void lock_noop(CURL *h, curl_lock_data d, curl_lock_access a, void *u)
{
    (void)h, (void)d, (void)a, (void)u;
}

static void unlock_noop(CURL *h, curl_lock_data d, void *u)
{
    (void)h, (void)d, (void)u;
}

static void test_share_setopt_argument_kinds(void **state)
{
    (void)state;
    CURLSH *s = curl_share_init();
    assert_non_null(s);
    assert_int_equal(curl_share_setopt(s, CURLSHOPT_LOCKFUNC, lock_noop), CURLSHE_OK);
    assert_int_equal(curl_share_setopt(s, CURLSHOPT_UNLOCKFUNC, unlock_noop), CURLSHE_OK);
    assert_int_equal(curl_share_setopt(s, CURLSHOPT_USERDATA, s), CURLSHE_OK);
    assert_int_equal(curl_share_setopt(s, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS), CURLSHE_OK);
    /* An int libcurl does not know as lock data is refused. */
    assert_int_equal(curl_share_setopt(s, CURLSHOPT_SHARE, 999), CURLSHE_BAD_OPTION);
    assert_int_equal(curl_share_cleanup(s), CURLSHE_OK);
}

static void test_url_and_lists(void **state)
{
    (void)state;
    CURLU *u = curl_url();
    assert_non_null(u);
    assert_int_equal(curl_url_set(u, CURLUPART_URL, "https://example.com:8443/a", 0), CURLUE_OK);
    char *host = NULL;
    assert_int_equal(curl_url_get(u, CURLUPART_HOST, &host, 0), CURLUE_OK);
    assert_string_equal(host, "example.com");
    curl_free(host);
    curl_url_cleanup(u);
    struct curl_slist *l = curl_slist_append(NULL, "A: 1");
    l = curl_slist_append(l, "B: 2");
    assert_string_equal(l->next->data, "B: 2");
    curl_slist_free_all(l);
    assert_string_equal(curl_easy_strerror(CURLE_OK), "No error");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loads_once),
        cmocka_unit_test(test_easy_setopt_argument_kinds),
        cmocka_unit_test(test_share_setopt_argument_kinds),
        cmocka_unit_test(test_url_and_lists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
