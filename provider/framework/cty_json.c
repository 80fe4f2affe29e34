/*
 * cty_json.c - the JSON form of cty values (plugin-protocol-notes §5.5), as
 * found in state (UpgradeResourceState raw_state.json).
 *
 * cJSON does the parsing and printing. It keeps numbers only as doubles,
 * which would lose big integers and exact decimals, so numbers take a
 * detour:
 *  - Decoding: after cJSON has parsed (and so validated) the text, a scan
 *    that only skips over strings lists every number token's exact source
 *    text in document order. A pre-order walk of the cJSON tree meets the
 *    number nodes in that same order, which pairs each node with its text.
 *    The decoder then looks the text up by node.
 *  - Encoding: numbers are inserted as cJSON "raw" items holding the
 *    canonical decimal text, which cJSON prints verbatim.
 */
#include "framework/cty_internal.h"
#include "util/buf.h"

#include <stdlib.h>
#include <string.h>

struct number_token {
    const cJSON *node;
    const char *text;
    size_t len;
};

struct json_decoder {
    struct number_token *numbers; /* sorted by node after pairing */
    size_t n_numbers;
    struct buf path;
    char *error;
};

static void decoder_fail(struct json_decoder *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void decoder_fail(struct json_decoder *d, const char *fmt, ...)
{
    if (d->error)
        return;
    struct buf msg = {0};
    va_list ap;
    va_start(ap, fmt);
    if (d->path.len)
        buf_printf(&msg, "at %s: ", d->path.data);
    buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    d->error = buf_detach(&msg);
    buf_clean_up(&msg);
}

static void path_pop(struct buf *path, size_t len)
{
    path->len = len;
    if (path->data)
        path->data[len] = '\0';
}

/* ---- number tokens ---- */

static bool is_number_char(char c)
{
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

/* Lists the spans of number tokens outside strings, in order. The text is
 * known to be valid JSON already, so only strings need care: a digit
 * elsewhere can only start a number. */
static int numbers_scan(const char *json, size_t len, struct number_token **out, size_t *count)
{
    size_t cap = 0, n = 0;
    struct number_token *toks = NULL;
    for (size_t i = 0; i < len;) {
        char c = json[i];
        if (c == '"') {
            for (i++; i < len && json[i] != '"'; i++)
                if (json[i] == '\\')
                    i++;
            i++;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            size_t start = i;
            while (i < len && is_number_char(json[i]))
                i++;
            if (n == cap) {
                cap = cap ? cap * 2 : 16;
                struct number_token *grown = realloc(toks, cap * sizeof(*toks));
                if (!grown) {
                    free(toks);
                    return -1;
                }
                toks = grown;
            }
            toks[n++] = (struct number_token){.text = json + start, .len = i - start};
        } else {
            i++;
        }
    }
    *out = toks;
    *count = n;
    return 0;
}

/* Assigns number nodes, met in pre-order, to the scanned tokens. */
static bool numbers_pair(const cJSON *node, struct number_token *toks, size_t n, size_t *next)
{
    for (; node; node = node->next) {
        if (cJSON_IsNumber(node)) {
            if (*next >= n)
                return false;
            toks[(*next)++].node = node;
        }
        if (node->child && !numbers_pair(node->child, toks, n, next))
            return false;
    }
    return true;
}

static int token_cmp(const void *a, const void *b)
{
    const cJSON *x = ((const struct number_token *)a)->node;
    const cJSON *y = ((const struct number_token *)b)->node;
    return (x > y) - (x < y);
}

static const struct number_token *number_lookup(const struct json_decoder *d, const cJSON *node)
{
    struct number_token key = {.node = node};
    if (d->n_numbers == 0)
        return NULL;
    return bsearch(&key, d->numbers, d->n_numbers, sizeof(key), token_cmp);
}

/* ---- decoding ---- */

static struct cty_value *decode(struct json_decoder *d, const cJSON *j, struct cty_type *t);

static struct cty_value *number_value(struct json_decoder *d, const char *text, size_t len)
{
    char *canon = cty_number_normalise(text, len);
    if (!canon) {
        decoder_fail(d, "invalid number \"%.*s\"", (int)len, text);
        return NULL;
    }
    struct cty_value *v = cty_value_alloc(cty_type_number(), CTY_STATE_KNOWN);
    if (!v) {
        free(canon);
        return NULL;
    }
    v->text = canon;
    v->text_len = strlen(canon);
    return v;
}

/* Primitives convert among themselves as in cty/json: a number or bool
 * token is accepted for a string, a numeric string for a number, and
 * "true"/"false" for a bool. */
static struct cty_value *decode_primitive(struct json_decoder *d, const cJSON *j,
                                          struct cty_type *t)
{
    const struct number_token *num = cJSON_IsNumber(j) ? number_lookup(d, j) : NULL;
    if (cJSON_IsNumber(j) && !num) {
        decoder_fail(d, "number token not found");
        return NULL;
    }
    switch (t->kind) {
    case CTY_BOOL:
        if (cJSON_IsBool(j))
            return cty_bool_new(cJSON_IsTrue(j));
        if (cJSON_IsString(j) && strcmp(j->valuestring, "true") == 0)
            return cty_bool_new(true);
        if (cJSON_IsString(j) && strcmp(j->valuestring, "false") == 0)
            return cty_bool_new(false);
        break;
    case CTY_NUMBER:
        if (num)
            return number_value(d, num->text, num->len);
        if (cJSON_IsString(j))
            return number_value(d, j->valuestring, strlen(j->valuestring));
        break;
    case CTY_STRING:
        if (cJSON_IsString(j))
            return cty_string_new(j->valuestring);
        if (num)
            return cty_string_new_len(num->text, num->len);
        if (cJSON_IsBool(j))
            return cty_string_new(cJSON_IsTrue(j) ? "true" : "false");
        break;
    default:
        break;
    }
    static const char *const names[] = {[CTY_BOOL] = "bool", [CTY_NUMBER] = "number",
                                        [CTY_STRING] = "string"};
    decoder_fail(d, "%s value is required", names[t->kind]);
    return NULL;
}

static struct cty_value *decode_dynamic(struct json_decoder *d, const cJSON *j)
{
    if (!cJSON_IsObject(j)) {
        decoder_fail(d, "dynamic value must be an object with \"value\" and \"type\"");
        return NULL;
    }
    const cJSON *value = NULL, *type = NULL, *e;
    cJSON_ArrayForEach(e, j)
    {
        if (strcmp(e->string, "value") == 0)
            value = e;
        else if (strcmp(e->string, "type") == 0)
            type = e;
        else {
            decoder_fail(d, "invalid key \"%s\" in dynamically-typed value", e->string);
            return NULL;
        }
    }
    if (!type) {
        decoder_fail(d, "missing type in dynamically-typed value");
        return NULL;
    }
    char *err = NULL;
    struct cty_type *concrete = cty_type_from_cjson(type, &err);
    if (!concrete) {
        decoder_fail(d, "invalid dynamic type: %s", err ? err : "out of memory");
        free(err);
        return NULL;
    }
    struct cty_value *v = value ? decode(d, value, concrete) : cty_null_new(concrete);
    cty_type_release(concrete);
    return v;
}

static struct cty_value *decode_object(struct json_decoder *d, const cJSON *j, struct cty_type *t)
{
    /* Missing attributes stay null; unknown ones are an error. */
    struct cty_value *v = cty_object_new(t);
    if (!v)
        return NULL;
    size_t mark = d->path.len;
    const cJSON *e;
    cJSON_ArrayForEach(e, j)
    {
        long idx = cty_type_attr_index(t, e->string);
        if (idx < 0) {
            decoder_fail(d, "unsupported attribute \"%s\"", e->string);
            goto fail;
        }
        buf_printf(&d->path, ".%s", e->string);
        struct cty_value *item = decode(d, e, t->types[idx]);
        path_pop(&d->path, mark);
        if (!item)
            goto fail;
        cty_value_destroy(v->items[idx]);
        v->items[idx] = item;
    }
    return v;
fail:
    cty_value_destroy(v);
    return NULL;
}

static struct cty_value *decode_container(struct json_decoder *d, const cJSON *j,
                                          struct cty_type *t)
{
    bool want_object = t->kind == CTY_MAP || t->kind == CTY_OBJECT;
    if (want_object ? !cJSON_IsObject(j) : !cJSON_IsArray(j)) {
        decoder_fail(d, "%s is required", want_object ? "JSON object" : "JSON array");
        return NULL;
    }
    if (t->kind == CTY_OBJECT)
        return decode_object(d, j, t);
    if (t->kind == CTY_TUPLE && (size_t)cJSON_GetArraySize(j) != t->n) {
        decoder_fail(d, "a tuple of length %zu is required (%d given)", t->n,
                     cJSON_GetArraySize(j));
        return NULL;
    }
    struct cty_value *v = cty_value_alloc(t, CTY_STATE_KNOWN);
    if (!v)
        return NULL;
    size_t mark = d->path.len, i = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, j)
    {
        if (t->kind == CTY_MAP)
            buf_printf(&d->path, "[\"%s\"]", e->string);
        else
            buf_printf(&d->path, "[%zu]", i);
        struct cty_value *item =
            decode(d, e, t->kind == CTY_TUPLE ? t->types[i] : t->elem);
        path_pop(&d->path, mark);
        int rc = !item                 ? -1
                 : t->kind == CTY_MAP  ? cty_map_put(v, e->string, item)
                 : t->kind == CTY_SET  ? cty_collection_append(v, item)
                                       : cty_value_push(v, item);
        if (rc != 0) {
            cty_value_destroy(v);
            return NULL;
        }
        i++;
    }
    return v;
}

static struct cty_value *decode(struct json_decoder *d, const cJSON *j, struct cty_type *t)
{
    if (cJSON_IsNull(j))
        return cty_null_new(t);
    switch (t->kind) {
    case CTY_DYNAMIC:
        return decode_dynamic(d, j);
    case CTY_BOOL:
    case CTY_NUMBER:
    case CTY_STRING:
        return decode_primitive(d, j, t);
    default:
        return decode_container(d, j, t);
    }
}

struct cty_value *cty_value_from_json(const char *json, size_t len, struct cty_type *type,
                                      char **error)
{
    if (error)
        *error = NULL;
    struct json_decoder d = {0};
    struct cty_value *v = NULL;
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(json, len, &end, false);
    if (!root) {
        decoder_fail(&d, "invalid JSON");
        goto out;
    }
    /* cJSON stops after the first value; anything but trailing whitespace
     * (or a terminating NUL) means the input was not one JSON value. */
    for (const char *p = end; p < json + len; p++) {
        if (*p == '\0' && p + 1 == json + len)
            break;
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
            decoder_fail(&d, "unexpected text after the JSON value");
            goto out;
        }
    }
    size_t paired = 0;
    if (numbers_scan(json, (size_t)(end - json), &d.numbers, &d.n_numbers) != 0) {
        decoder_fail(&d, "out of memory");
        goto out;
    }
    if (!numbers_pair(root, d.numbers, d.n_numbers, &paired) || paired != d.n_numbers) {
        decoder_fail(&d, "could not match number tokens in the JSON text");
        goto out;
    }
    if (d.n_numbers)
        qsort(d.numbers, d.n_numbers, sizeof(*d.numbers), token_cmp);
    v = decode(&d, root, type);
    if (!v && !d.error)
        decoder_fail(&d, "out of memory");
out:
    cJSON_Delete(root);
    free(d.numbers);
    buf_clean_up(&d.path);
    if (error)
        *error = d.error;
    else
        free(d.error);
    return v;
}

/* ---- encoding ---- */

struct json_encoder {
    struct buf path;
    char *error;
};

static void encoder_fail(struct json_encoder *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void encoder_fail(struct json_encoder *e, const char *fmt, ...)
{
    if (e->error)
        return;
    struct buf msg = {0};
    va_list ap;
    va_start(ap, fmt);
    if (e->path.len)
        buf_printf(&msg, "at %s: ", e->path.data);
    buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    e->error = buf_detach(&msg);
    buf_clean_up(&msg);
}

static cJSON *encode(struct json_encoder *e, const struct cty_value *v, const struct cty_type *t);

/* Adds `item` to array/object `parent` (under `key` when an object);
 * deletes it and returns false on failure. */
static bool add_item(cJSON *parent, const char *key, cJSON *item)
{
    if (!item)
        return false;
    bool ok = key ? cJSON_AddItemToObject(parent, key, item) : cJSON_AddItemToArray(parent, item);
    if (!ok)
        cJSON_Delete(item);
    return ok;
}

static cJSON *encode_dynamic(struct json_encoder *e, const struct cty_value *v)
{
    cJSON *obj = cJSON_CreateObject();
    if (!obj || !add_item(obj, "value", encode(e, v, v->type)) ||
        !add_item(obj, "type", cty_type_to_cjson(v->type))) {
        cJSON_Delete(obj);
        return NULL;
    }
    return obj;
}

static cJSON *encode_known(struct json_encoder *e, const struct cty_value *v,
                           const struct cty_type *t)
{
    switch (t->kind) {
    case CTY_BOOL:
        return cJSON_CreateBool(v->b);
    case CTY_NUMBER:
        if (strchr(v->text, 'I')) {
            encoder_fail(e, "infinity cannot be written as JSON");
            return NULL;
        }
        return cJSON_CreateRaw(v->text);
    case CTY_STRING:
        if (strlen(v->text) != v->text_len) {
            encoder_fail(e, "string holds a NUL byte, which cannot be written as JSON here");
            return NULL;
        }
        return cJSON_CreateString(v->text);
    case CTY_DYNAMIC:
        return NULL; /* unreachable: a known value always has a concrete type */
    default:
        break;
    }
    bool is_object = t->kind == CTY_MAP || t->kind == CTY_OBJECT;
    if (t->kind == CTY_OBJECT && v->n != t->n) {
        encoder_fail(e, "object has %zu attributes but its type has %zu", v->n, t->n);
        return NULL;
    }
    if (t->kind == CTY_TUPLE && v->n != t->n) {
        encoder_fail(e, "tuple has %zu elements but its type has %zu", v->n, t->n);
        return NULL;
    }
    cJSON *out = is_object ? cJSON_CreateObject() : cJSON_CreateArray();
    if (!out)
        return NULL;
    size_t mark = e->path.len;
    for (size_t i = 0; i < v->n; i++) {
        const char *key = NULL;
        const struct cty_value *item = v->items[i];
        const struct cty_type *item_type = t->elem;
        if (t->kind == CTY_OBJECT) {
            key = t->names[i];
            item = cty_value_attr(v, key);
            item_type = t->types[i];
            if (!item) {
                encoder_fail(e, "object has no attribute \"%s\"", key);
                goto fail;
            }
            buf_printf(&e->path, ".%s", key);
        } else if (t->kind == CTY_MAP) {
            key = v->keys[i];
            buf_printf(&e->path, "[\"%s\"]", key);
        } else {
            if (t->kind == CTY_TUPLE)
                item_type = t->types[i];
            buf_printf(&e->path, "[%zu]", i);
        }
        cJSON *j = encode(e, item, item_type);
        path_pop(&e->path, mark);
        if (!add_item(out, key, j))
            goto fail;
    }
    return out;
fail:
    cJSON_Delete(out);
    return NULL;
}

static cJSON *encode(struct json_encoder *e, const struct cty_value *v, const struct cty_type *t)
{
    if (t->kind == CTY_DYNAMIC && v->type->kind != CTY_DYNAMIC)
        return encode_dynamic(e, v);
    if (v->state == CTY_STATE_UNKNOWN) {
        encoder_fail(e, "value is not known");
        return NULL;
    }
    if (v->state == CTY_STATE_NULL)
        return cJSON_CreateNull();
    if (v->type->kind != t->kind) {
        encoder_fail(e, "value of the wrong kind for its type");
        return NULL;
    }
    return encode_known(e, v, t);
}

char *cty_value_to_json(const struct cty_value *v, struct cty_type *type, char **error)
{
    if (error)
        *error = NULL;
    struct json_encoder e = {0};
    cJSON *j = encode(&e, v, type);
    char *out = j ? cJSON_PrintUnformatted(j) : NULL;
    cJSON_Delete(j);
    if (!out && !e.error)
        encoder_fail(&e, "out of memory");
    buf_clean_up(&e.path);
    if (error)
        *error = e.error;
    else
        free(e.error);
    return out;
}
