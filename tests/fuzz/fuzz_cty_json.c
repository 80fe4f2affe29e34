/*
 * fuzz_cty_json - cty_value_from_json, the decoder of state in JSON form
 * (UpgradeResourceState's raw_state, import) and of cty/json values.
 *
 * Input: one selector byte (the type, see fuzz_common.h) then the JSON text.
 * An accepted value must encode back to JSON and to msgpack and decode to an
 * equal value both ways.
 */
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_types_init();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    struct cty_type *t = fuzz_type_select(data[0]);
    char *error = NULL;
    struct cty_value *v = cty_value_from_json((const char *)data + 1, size - 1, t, &error);
    if (!v) {
        FUZZ_ASSERT(error != NULL);
        free(error);
        return 0;
    }
    char *json = cty_value_to_json(v, t, &error);
    if (!json)
        fprintf(stderr, "decoded value does not encode: %s\n", error ? error : "?");
    FUZZ_ASSERT(json != NULL);
    struct cty_value *back = cty_value_from_json(json, strlen(json), t, &error);
    FUZZ_ASSERT(back != NULL);
    FUZZ_ASSERT(cty_value_equal(v, back));
    cty_value_destroy(back);

    uint8_t *mp = NULL;
    size_t mp_len = 0;
    FUZZ_ASSERT(cty_value_to_msgpack(v, t, &mp, &mp_len, &error) == 0);
    back = cty_value_from_msgpack(mp, mp_len, t, &error);
    FUZZ_ASSERT(back != NULL);
    FUZZ_ASSERT(cty_value_equal(v, back));
    cty_value_destroy(back);
    free(mp);
    free(json);
    cty_value_destroy(v);
    return 0;
}
