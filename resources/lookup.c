/*
 * lookup.c - scratch states of a resource's schema. See lookup.h.
 */
#include "resources/lookup.h"

#include <pthread.h>
#include <stdlib.h>

#include "framework/schema.h"
#include "resources/common.h"

/* The compiled schemas, one per resource type, never freed: the five
 * resources' tables are static and few. */
#define LOOKUP_MAX_TYPES 16

static pthread_mutex_t lookup_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    const struct lsms_resource *r;
    struct schema_compiled *c;
} lookup_compiled[LOOKUP_MAX_TYPES];

static struct schema_compiled *lookup_schema(const struct lsms_resource *r, struct diags *d)
{
    struct schema_compiled *c = NULL;
    pthread_mutex_lock(&lookup_lock);
    size_t i = 0;
    for (; i < LOOKUP_MAX_TYPES && lookup_compiled[i].r; i++)
        if (lookup_compiled[i].r == r)
            break;
    if (i < LOOKUP_MAX_TYPES && lookup_compiled[i].r == r) {
        c = lookup_compiled[i].c;
    } else if (i < LOOKUP_MAX_TYPES) {
        char *error = NULL;
        c = schema_compile(r->schema, &error);
        if (c) {
            lookup_compiled[i].r = r;
            lookup_compiled[i].c = c;
        } else {
            diags_error(d, NULL, "Invalid resource schema", "The schema of %s does not compile "
                        "(%s). This is a bug in the provider.",
                        r->type_name, error ? error : "out of memory");
        }
        free(error);
    }
    pthread_mutex_unlock(&lookup_lock);
    return c;
}

struct cty_value *lookup_state_new(const struct lsms_resource *r, struct diags *d)
{
    struct schema_compiled *c = lookup_schema(r, d);
    if (!c)
        return NULL;
    struct cty_value *v = schema_null_object(c);
    if (!v)
        resource_diag_oom(d);
    return v;
}

int lookup_attrs_copy(struct cty_value *dst, const struct cty_value *src,
                      const char *const *names, struct diags *d)
{
    for (size_t i = 0; names[i]; i++) {
        const struct cty_value *v = cty_value_attr(src, names[i]);
        const struct cty_value *slot = cty_value_attr(dst, names[i]);
        if (!v || !slot || !cty_value_conforms(v, cty_value_type(slot))) {
            diags_error(d, names[i], "Provider bug", "Attribute %s cannot be copied from the "
                        "resource's state. This is a bug in the provider.", names[i]);
            return -1;
        }
        if (cty_object_set(dst, names[i], cty_value_clone(v)) != 0) {
            resource_diag_oom(d);
            return -1;
        }
    }
    return 0;
}
