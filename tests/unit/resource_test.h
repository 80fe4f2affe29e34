/*
 * resource_test.h - driving one resource's schema, validate and plan hooks
 * in unit tests: compile its schema, decode a JSON config, validate it.
 * Include after <cmocka.h>.
 */
#ifndef LSMS_RESOURCE_TEST_H
#define LSMS_RESOURCE_TEST_H

#include <string.h>

#include "framework/resource.h"
#include "framework/schema.h"

struct compiled_resource {
    const struct lsms_resource *r;
    struct schema_compiled *c;
};

/* The resource of `type` with its compiled schema (destroy cr.c). */
static inline struct compiled_resource resource_compile(const char *type)
{
    struct compiled_resource cr = {0};
    for (const struct lsms_resource *const *r = lsms_provider.resources; *r; r++)
        if (strcmp((*r)->type_name, type) == 0)
            cr.r = *r;
    assert_non_null(cr.r);
    char *err = NULL;
    cr.c = schema_compile(cr.r->schema, &err);
    assert_non_null(cr.c);
    return cr;
}

/* A value of the resource's type from JSON (missing attributes null); fails
 * the test when it does not decode. Owned by the caller. */
static inline struct cty_value *resource_config(const struct compiled_resource *cr,
                                                const char *json)
{
    char *err = NULL;
    struct cty_value *v =
        cty_value_from_json(json, strlen(json), schema_compiled_type(cr->c), &err);
    if (!v)
        fail_msg("config %s: %s", json, err);
    return v;
}

/* Runs the schema validators and the validate hook, as
 * ValidateResourceConfig does; the caller cleans up the diagnostics. */
static inline struct diags resource_validate(const struct compiled_resource *cr,
                                             const struct cty_value *config)
{
    struct diags d = {0};
    schema_validate_config(cr->c, config, &d);
    if (cr->r->validate)
        cr->r->validate(config, &d);
    return d;
}

#endif
