#include "protocol/convert.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cty_value *convert_value_in(const Tfplugin6__DynamicValue *dv, struct cty_type *type,
                                   const char *what, struct diags *d)
{
    char *error = NULL;
    struct cty_value *v;
    if (dv && dv->msgpack.len > 0)
        v = cty_value_from_msgpack(dv->msgpack.data, dv->msgpack.len, type, &error);
    else if (dv && dv->json.len > 0)
        v = cty_value_from_json((const char *)dv->json.data, dv->json.len, type, &error);
    else
        v = cty_null_new(type);
    if (!v) {
        diags_add(d, DIAG_ERROR, NULL, "Invalid value from OpenTofu",
                  "The provider could not decode the %s it received: %s.", what,
                  error ? error : "out of memory");
    }
    free(error);
    return v;
}

Tfplugin6__DynamicValue *convert_value_out(struct arena *a, const struct cty_value *v,
                                           struct cty_type *type, struct diags *d)
{
    Tfplugin6__DynamicValue *dv = arena_alloc(a, sizeof(*dv));
    if (!dv)
        return NULL;
    tfplugin6__dynamic_value__init(dv);
    struct cty_value *null_value = NULL;
    if (!v)
        v = null_value = cty_null_new(type);
    uint8_t *bytes = NULL;
    size_t len = 0;
    char *error = NULL;
    int rc = v ? cty_value_to_msgpack(v, type, &bytes, &len, &error) : -1;
    cty_value_destroy(null_value);
    if (rc != 0) {
        diags_add(d, DIAG_ERROR, NULL, "Provider produced an invalid value",
                  "The provider could not encode a value of its own schema: %s. This is a bug "
                  "in the provider.",
                  error ? error : "out of memory");
        free(error);
        return NULL;
    }
    dv->msgpack.data = arena_adopt(a, bytes);
    dv->msgpack.len = len;
    return dv;
}

Tfplugin6__AttributePath *convert_path_out(struct arena *a, const struct attr_path *p)
{
    Tfplugin6__AttributePath *out = arena_alloc(a, sizeof(*out));
    if (!out)
        return NULL;
    tfplugin6__attribute_path__init(out);
    out->steps = arena_calloc(a, p->n, sizeof(*out->steps));
    if (!out->steps)
        return NULL;
    for (size_t i = 0; i < p->n; i++) {
        Tfplugin6__AttributePath__Step *step = arena_alloc(a, sizeof(*step));
        if (!step)
            return NULL;
        tfplugin6__attribute_path__step__init(step);
        switch (p->steps[i].kind) {
        case PATH_STEP_ATTR:
            step->selector_case = TFPLUGIN6__ATTRIBUTE_PATH__STEP__SELECTOR_ATTRIBUTE_NAME;
            step->attribute_name = arena_strdup(a, p->steps[i].name);
            break;
        case PATH_STEP_KEY_STRING:
            step->selector_case = TFPLUGIN6__ATTRIBUTE_PATH__STEP__SELECTOR_ELEMENT_KEY_STRING;
            step->element_key_string = arena_strdup(a, p->steps[i].name);
            break;
        case PATH_STEP_KEY_INT:
            step->selector_case = TFPLUGIN6__ATTRIBUTE_PATH__STEP__SELECTOR_ELEMENT_KEY_INT;
            step->element_key_int = p->steps[i].index;
            break;
        }
        out->steps[out->n_steps++] = step;
    }
    return out;
}

void convert_diags_out(struct arena *a, const struct diags *d, size_t *n,
                       Tfplugin6__Diagnostic ***out)
{
    *n = 0;
    *out = NULL;
    if (d->n == 0)
        return;
    Tfplugin6__Diagnostic **items = arena_calloc(a, d->n, sizeof(*items));
    if (!items)
        return;
    for (size_t i = 0; i < d->n; i++) {
        Tfplugin6__Diagnostic *diag = arena_alloc(a, sizeof(*diag));
        if (!diag)
            return;
        tfplugin6__diagnostic__init(diag);
        /* INVALID (0) would be neither error nor warning: always set it. */
        diag->severity = d->items[i].severity == DIAG_WARNING
                             ? TFPLUGIN6__DIAGNOSTIC__SEVERITY__WARNING
                             : TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR;
        diag->summary = arena_strdup(a, d->items[i].summary);
        diag->detail = arena_strdup(a, d->items[i].detail);
        if (d->items[i].path.n > 0)
            diag->attribute = convert_path_out(a, &d->items[i].path);
        items[(*n)++] = diag;
    }
    *out = items;
}

static Tfplugin6__Schema__Block *convert_block_out(struct arena *a, const struct schema_block *b);

ProtobufCBinaryData convert_type_out(struct arena *a, const char *t)
{
    /* Type bytes must be valid JSON or OpenTofu panics. Tables write
     * primitive types bare (string, number); complex types are JSON. */
    ProtobufCBinaryData out = {0, NULL};
    size_t size = strlen(t) + 3;
    char *json = arena_alloc(a, size);
    if (json && (t[0] == '[' || t[0] == '"'))
        snprintf(json, size, "%s", t);
    else if (json)
        snprintf(json, size, "\"%s\"", t);
    out.data = (uint8_t *)json;
    out.len = json ? strlen(json) : 0;
    return out;
}

static Tfplugin6__Schema__Attribute *convert_attribute_out(struct arena *a,
                                                           const struct schema_attribute *attr)
{
    Tfplugin6__Schema__Attribute *out = arena_alloc(a, sizeof(*out));
    if (!out)
        return NULL;
    tfplugin6__schema__attribute__init(out);
    out->name = arena_strdup(a, attr->name);
    if (attr->nested) {
        Tfplugin6__Schema__Object *obj = arena_alloc(a, sizeof(*obj));
        if (!obj)
            return NULL;
        tfplugin6__schema__object__init(obj);
        obj->nesting = (Tfplugin6__Schema__Object__NestingMode)attr->nested->nesting;
        size_t n = 0;
        while (attr->nested->attributes[n].name)
            n++;
        obj->attributes = arena_calloc(a, n, sizeof(*obj->attributes));
        if (!obj->attributes)
            return NULL;
        for (size_t i = 0; i < n; i++)
            obj->attributes[obj->n_attributes++] =
                convert_attribute_out(a, &attr->nested->attributes[i]);
        out->nested_type = obj;
    } else {
        out->type = convert_type_out(a, attr->type);
    }
    out->description = arena_strdup(a, attr->description ? attr->description : "");
    out->description_kind = TFPLUGIN6__STRING_KIND__MARKDOWN;
    out->required = (attr->flags & SCHEMA_REQUIRED) != 0;
    out->optional = (attr->flags & SCHEMA_OPTIONAL) != 0;
    out->computed = (attr->flags & SCHEMA_COMPUTED) != 0;
    out->sensitive = (attr->flags & SCHEMA_SENSITIVE) != 0;
    out->write_only = (attr->flags & SCHEMA_WRITE_ONLY) != 0;
    out->deprecated = (attr->flags & SCHEMA_DEPRECATED) != 0 || attr->deprecation_message;
    if (attr->deprecation_message)
        out->deprecation_message = arena_strdup(a, attr->deprecation_message);
    return out;
}

static Tfplugin6__Schema__Block *convert_block_out(struct arena *a, const struct schema_block *b)
{
    Tfplugin6__Schema__Block *out = arena_alloc(a, sizeof(*out));
    if (!out)
        return NULL;
    tfplugin6__schema__block__init(out);
    out->description = arena_strdup(a, b->description ? b->description : "");
    out->description_kind = TFPLUGIN6__STRING_KIND__MARKDOWN;
    if (b->deprecation_message) {
        out->deprecated = 1;
        out->deprecation_message = arena_strdup(a, b->deprecation_message);
    }
    size_t n = 0;
    while (b->attributes && b->attributes[n].name)
        n++;
    out->attributes = arena_calloc(a, n, sizeof(*out->attributes));
    if (!out->attributes)
        return NULL;
    for (size_t i = 0; i < n; i++)
        out->attributes[out->n_attributes++] = convert_attribute_out(a, &b->attributes[i]);
    n = 0;
    while (b->block_types && b->block_types[n].name)
        n++;
    out->block_types = arena_calloc(a, n, sizeof(*out->block_types));
    if (!out->block_types)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        const struct schema_block_type *bt = &b->block_types[i];
        Tfplugin6__Schema__NestedBlock *nb = arena_alloc(a, sizeof(*nb));
        if (!nb)
            return NULL;
        tfplugin6__schema__nested_block__init(nb);
        nb->type_name = arena_strdup(a, bt->name);
        nb->nesting = (Tfplugin6__Schema__NestedBlock__NestingMode)bt->nesting;
        nb->min_items = bt->min_items;
        nb->max_items = bt->max_items;
        /* Every NestedBlock needs its block, or OpenTofu crashes. */
        nb->block = convert_block_out(a, bt->block);
        out->block_types[out->n_block_types++] = nb;
    }
    return out;
}

Tfplugin6__Schema *convert_schema_out(struct arena *a, const struct schema *s)
{
    Tfplugin6__Schema *out = arena_alloc(a, sizeof(*out));
    if (!out)
        return NULL;
    tfplugin6__schema__init(out);
    out->version = s->version;
    out->block = convert_block_out(a, &s->block);
    return out;
}

Tfplugin6__ResourceIdentitySchema *convert_identity_schema_out(struct arena *a,
                                                               const struct resource_identity *id)
{
    Tfplugin6__ResourceIdentitySchema *out = arena_alloc(a, sizeof(*out));
    if (!out)
        return NULL;
    tfplugin6__resource_identity_schema__init(out);
    out->version = id->version;
    size_t n = 0;
    while (id->attributes[n].name)
        n++;
    out->identity_attributes = arena_calloc(a, n, sizeof(*out->identity_attributes));
    if (!out->identity_attributes)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        const struct schema_attribute *at = &id->attributes[i];
        Tfplugin6__ResourceIdentitySchema__IdentityAttribute *ia = arena_alloc(a, sizeof(*ia));
        if (!ia)
            return NULL;
        tfplugin6__resource_identity_schema__identity_attribute__init(ia);
        ia->name = arena_strdup(a, at->name);
        ia->type = convert_type_out(a, at->type);
        ia->required_for_import = (at->flags & SCHEMA_REQUIRED) != 0;
        ia->optional_for_import = (at->flags & SCHEMA_OPTIONAL) != 0;
        ia->description = arena_strdup(a, at->description ? at->description : "");
        out->identity_attributes[out->n_identity_attributes++] = ia;
    }
    return out;
}

static Tfplugin6__Function__Parameter *convert_param_out(struct arena *a,
                                                         const struct function_param *p)
{
    Tfplugin6__Function__Parameter *out = arena_alloc(a, sizeof(*out));
    if (!out)
        return NULL;
    tfplugin6__function__parameter__init(out);
    out->name = arena_strdup(a, p->name);
    out->type = convert_type_out(a, p->type);
    out->allow_null_value = p->allow_null;
    out->allow_unknown_values = p->allow_unknown;
    out->description = arena_strdup(a, p->description ? p->description : "");
    out->description_kind = TFPLUGIN6__STRING_KIND__MARKDOWN;
    return out;
}

Tfplugin6__Function *convert_function_out(struct arena *a, const struct lsms_function *f)
{
    Tfplugin6__Function *out = arena_alloc(a, sizeof(*out));
    Tfplugin6__Function__Return *ret = arena_alloc(a, sizeof(*ret));
    if (!out || !ret)
        return NULL;
    tfplugin6__function__init(out);
    tfplugin6__function__return__init(ret);
    size_t n = 0;
    while (f->params && f->params[n].name)
        n++;
    out->parameters = arena_calloc(a, n, sizeof(*out->parameters));
    if (!out->parameters)
        return NULL;
    for (size_t i = 0; i < n; i++)
        out->parameters[out->n_parameters++] = convert_param_out(a, &f->params[i]);
    if (f->variadic)
        out->variadic_parameter = convert_param_out(a, f->variadic);
    ret->type = convert_type_out(a, f->return_type);
    out->return_ = ret;
    out->summary = arena_strdup(a, f->summary ? f->summary : "");
    out->description = arena_strdup(a, f->description ? f->description : "");
    out->description_kind = TFPLUGIN6__STRING_KIND__MARKDOWN;
    if (f->deprecation_message)
        out->deprecation_message = arena_strdup(a, f->deprecation_message);
    return out;
}

int convert_pack(const ProtobufCMessage *m, uint8_t **out, size_t *len)
{
    size_t size = protobuf_c_message_get_packed_size(m);
    uint8_t *bytes = malloc(size ? size : 1);
    if (!bytes)
        return -1;
    *len = protobuf_c_message_pack(m, bytes);
    *out = bytes;
    return 0;
}
