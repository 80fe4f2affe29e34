/*
 * fuzz_cty_msgpack - cty_value_from_msgpack, the decoder of every
 * DynamicValue OpenTofu sends (config, prior state, planned state).
 *
 * Input: one selector byte (the type, see fuzz_common.h) then the msgpack
 * bytes. A value the decoder accepts must encode back under the same type and
 * decode to an equal value, and, when JSON can hold it, survive the JSON
 * codec too (the state path).
 */
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_types_init();
    return 0;
}

static void fuzz_json_round_trip(const struct cty_value *v, struct cty_type *t)
{
    char *error = NULL;
    char *json = cty_value_to_json(v, t, &error);
    if (!json) {
        free(error); /* unknowns and infinities have no JSON form */
        return;
    }
    struct cty_value *back = cty_value_from_json(json, strlen(json), t, &error);
    if (!back)
        fprintf(stderr, "JSON written by the encoder refused: %s\n%s\n", error, json);
    FUZZ_ASSERT(back != NULL);
    FUZZ_ASSERT(cty_value_equal(v, back));
    cty_value_destroy(back);
    free(json);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    struct cty_type *t = fuzz_type_select(data[0]);
    char *error = NULL;
    struct cty_value *v = cty_value_from_msgpack(data + 1, size - 1, t, &error);
    if (!v) {
        FUZZ_ASSERT(error != NULL);
        free(error);
        return 0;
    }
    uint8_t *out = NULL;
    size_t out_len = 0;
    int rc = cty_value_to_msgpack(v, t, &out, &out_len, &error);
    if (rc != 0)
        fprintf(stderr, "decoded value does not encode: %s\n", error ? error : "?");
    FUZZ_ASSERT(rc == 0);
    struct cty_value *back = cty_value_from_msgpack(out, out_len, t, &error);
    FUZZ_ASSERT(back != NULL);
    FUZZ_ASSERT(cty_value_equal(v, back));
    fuzz_json_round_trip(v, t);
    cty_value_destroy(back);
    free(out);
    cty_value_destroy(v);
    return 0;
}
