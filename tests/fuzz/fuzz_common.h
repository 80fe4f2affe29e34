/*
 * fuzz_common.h - helpers shared by the libFuzzer targets in tests/fuzz.
 *
 * Every target is one translation unit defining LLVMFuzzerTestOneInput and
 * linked against the instrumented build/fuzz/liblsms.a (make FUZZ=1). The
 * types the codecs are fuzzed against come from the provider's own compiled
 * schemas, so the fuzzer walks the same shapes OpenTofu sends.
 */
#ifndef LSMS_FUZZ_COMMON_H
#define LSMS_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "framework/cty.h"
#include "framework/schema.h"
#include "protocol/server.h"

/* Stops the run with a message libFuzzer reports as a crash. */
#define FUZZ_ASSERT(cond)                                                          \
    do {                                                                           \
        if (!(cond)) {                                                             \
            fprintf(stderr, "fuzz assertion failed: %s (%s:%d)\n", #cond, __FILE__, \
                    __LINE__);                                                     \
            abort();                                                               \
        }                                                                          \
    } while (0)

/* The types a selector byte picks from: the four resources' implied types,
 * the provider's, dynamic, and a few collection shapes of the framework. */
#define FUZZ_TYPE_COUNT 9

static inline struct cty_type **fuzz_types(void)
{
    static struct cty_type *types[FUZZ_TYPE_COUNT];
    return types;
}

static inline struct cty_type *fuzz_resource_type(const char *name)
{
    const struct server_resource *r = server_find_resource(name);
    FUZZ_ASSERT(r != NULL);
    return cty_type_acquire(schema_compiled_type(r->schema));
}

static inline void fuzz_types_init(void)
{
    struct cty_type **types = fuzz_types();
    const char *error = NULL;
    FUZZ_ASSERT(server_init(&error) == 0);
    types[0] = fuzz_resource_type("lsms_container");
    types[1] = cty_type_dynamic();
    types[2] = fuzz_resource_type("lsms_channel");
    types[3] = fuzz_resource_type("lsms_distribution");
    types[4] = fuzz_resource_type("lsms_dashboard");
    types[5] = cty_type_acquire(schema_compiled_type(server_provider_schema()));
    types[6] = cty_type_collection_new(CTY_MAP, cty_type_string());
    types[7] = cty_type_collection_new(CTY_SET, cty_type_number());
    struct cty_type *elems[2] = {cty_type_bool(), cty_type_collection_new(CTY_LIST, cty_type_dynamic())};
    types[8] = cty_type_tuple_new(2, elems);
    for (size_t i = 0; i < FUZZ_TYPE_COUNT; i++)
        FUZZ_ASSERT(types[i] != NULL);
}

static inline struct cty_type *fuzz_type_select(uint8_t selector)
{
    return fuzz_types()[selector % FUZZ_TYPE_COUNT];
}

/* A NUL-terminated copy of the input (parsers taking C strings). */
static inline char *fuzz_cstring(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    FUZZ_ASSERT(s != NULL);
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

#endif
