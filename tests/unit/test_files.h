/*
 * test_files.h - reading reference data in unit tests.
 *
 * Unit tests run from the repository root, so ../shared is the shared
 * reference folder. Include after <cmocka.h>.
 */
#ifndef LSMS_TEST_FILES_H
#define LSMS_TEST_FILES_H

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>

#define REF_DIR "../shared/reference/encoding-profiles/"

/* Parses the JSON file at `path`; fails the test when it cannot. The caller
 * deletes the tree. */
static inline cJSON *load_json(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fail_msg("cannot open %s (tests run from the repository root)", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)n + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
    text[n] = '\0';
    fclose(f);
    cJSON *doc = cJSON_Parse(text);
    free(text);
    assert_non_null(doc);
    return doc;
}

#endif
