/*
 * cty_msgpack.c - the msgpack form of cty values (plugin-protocol-notes §5.2,
 * §5.3), with libmsgpack doing all byte-level work.
 *
 * Decoding unpacks the whole buffer into a msgpack_object tree, then walks it
 * against the declared type. Encoding walks the value against the declared
 * type and writes through a msgpack_packer. Errors name the attribute path.
 */
#include "framework/cty_internal.h"
#include "util/buf.h"

#include <errno.h>
#include <msgpack.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Refinement payloads above this size are refused, as cty does, so a
 * hostile peer cannot make us allocate for them. */
#define CTY_REFINEMENT_MAX_LEN 1024
#define CTY_EXT_REFINED 12

enum refinement_key {
    REFINE_NULLNESS = 1,
    REFINE_STRING_PREFIX = 2,
    REFINE_NUMBER_LOWER = 3,
    REFINE_NUMBER_UPPER = 4,
    REFINE_LENGTH_MIN = 5,
    REFINE_LENGTH_MAX = 6,
};

/* Walk state shared by decoder and encoder: the attribute path so far (for
 * error messages) and the first error. */
struct walk {
    struct buf path;
    char *error;
};

static void walk_fail(struct walk *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void walk_fail(struct walk *w, const char *fmt, ...)
{
    if (w->error)
        return;
    struct buf msg = {0};
    va_list ap;
    va_start(ap, fmt);
    if (w->path.len)
        buf_printf(&msg, "at %s: ", w->path.data);
    buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    w->error = buf_detach(&msg);
    buf_clean_up(&msg);
}

static const char *kind_name(enum cty_kind k)
{
    static const char *const names[] = {
        [CTY_DYNAMIC] = "dynamic", [CTY_BOOL] = "bool", [CTY_NUMBER] = "number",
        [CTY_STRING] = "string",   [CTY_LIST] = "list", [CTY_SET] = "set",
        [CTY_MAP] = "map",         [CTY_OBJECT] = "object", [CTY_TUPLE] = "tuple",
    };
    return names[k];
}

/* ---- decoding ---- */

/* msgpack-c leaves the pointer of an empty str/bin NULL; copy safely. */
static char *bytes_dup(const char *p, size_t len)
{
    char *s = malloc(len + 1);
    if (!s)
        return NULL;
    if (len)
        memcpy(s, p, len);
    s[len] = '\0';
    return s;
}

static struct cty_value *decode(struct walk *w, const msgpack_object *o, struct cty_type *t);

static bool utf8_valid(const char *s, size_t len)
{
    if (len == 0)
        return true; /* msgpack-c gives an empty str a NULL pointer */
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        size_t n = *p < 0x80 ? 1 : (*p >> 5) == 0x6 ? 2 : (*p >> 4) == 0xe ? 3 : (*p >> 3) == 0x1e ? 4 : 0;
        if (n == 0 || (size_t)(end - p) < n)
            return false;
        for (size_t i = 1; i < n; i++)
            if ((p[i] & 0xc0) != 0x80)
                return false;
        p += n;
    }
    return true;
}

static char *number_text_from_object(const msgpack_object *o)
{
    char tmp[32];
    switch (o->type) {
    case MSGPACK_OBJECT_POSITIVE_INTEGER:
        snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)o->via.u64);
        return cty_number_normalise(tmp, strlen(tmp));
    case MSGPACK_OBJECT_NEGATIVE_INTEGER:
        snprintf(tmp, sizeof(tmp), "%lld", (long long)o->via.i64);
        return cty_number_normalise(tmp, strlen(tmp));
    case MSGPACK_OBJECT_FLOAT32:
    case MSGPACK_OBJECT_FLOAT64:
        return cty_number_from_double(o->via.f64);
    case MSGPACK_OBJECT_STR:
        return o->via.str.size ? cty_number_normalise(o->via.str.ptr, o->via.str.size) : NULL;
    default:
        return NULL;
    }
}

static bool object_is_int(const msgpack_object *o, int64_t *out)
{
    if (o->type == MSGPACK_OBJECT_POSITIVE_INTEGER && o->via.u64 <= INT64_MAX) {
        *out = (int64_t)o->via.u64;
        return true;
    }
    if (o->type == MSGPACK_OBJECT_NEGATIVE_INTEGER) {
        *out = o->via.i64;
        return true;
    }
    return false;
}

/* A refinement entry's value, applied to *r. Returns false after walk_fail,
 * or with *is_null set when key 1 says the value is definitely null. */
static bool refinement_apply(struct walk *w, struct cty_type *t, int64_t key,
                             const msgpack_object *val, struct cty_refinements *r, bool *is_null)
{
    int64_t n;
    switch (key) {
    case REFINE_NULLNESS:
        if (val->type != MSGPACK_OBJECT_BOOLEAN) {
            walk_fail(w, "unknown value refinement: nullness is not a bool");
            return false;
        }
        /* true would mean "definitely null", which cty collapses into a
         * known null; false is the usual "definitely not null". */
        if (val->via.boolean)
            *is_null = true;
        else
            r->not_null = true;
        return true;
    case REFINE_STRING_PREFIX:
        if (t->kind != CTY_STRING || val->type != MSGPACK_OBJECT_STR ||
            !utf8_valid(val->via.str.ptr, val->via.str.size)) {
            walk_fail(w, "unknown value refinement: string prefix must be valid UTF-8 text "
                         "on a string");
            return false;
        }
        free(r->string_prefix);
        r->string_prefix = bytes_dup(val->via.str.ptr, val->via.str.size);
        return r->string_prefix != NULL;
    case REFINE_NUMBER_LOWER:
    case REFINE_NUMBER_UPPER: {
        char *text = NULL;
        if (t->kind != CTY_NUMBER || val->type != MSGPACK_OBJECT_ARRAY ||
            val->via.array.size != 2 ||
            val->via.array.ptr[1].type != MSGPACK_OBJECT_BOOLEAN ||
            !(text = number_text_from_object(&val->via.array.ptr[0]))) {
            walk_fail(w, "unknown value refinement: number bound must be [number, bool] "
                         "on a number");
            return false;
        }
        bool inclusive = val->via.array.ptr[1].via.boolean;
        if (key == REFINE_NUMBER_LOWER) {
            free(r->number_lower);
            r->number_lower = text;
            r->number_lower_inclusive = inclusive;
        } else {
            free(r->number_upper);
            r->number_upper = text;
            r->number_upper_inclusive = inclusive;
        }
        return true;
    }
    case REFINE_LENGTH_MIN:
    case REFINE_LENGTH_MAX:
        if ((t->kind != CTY_LIST && t->kind != CTY_SET && t->kind != CTY_MAP) ||
            !object_is_int(val, &n) || n < 0) {
            walk_fail(w, "unknown value refinement: length bound must be a non-negative "
                         "integer on a collection");
            return false;
        }
        if (key == REFINE_LENGTH_MIN)
            r->length_min = n;
        else
            r->length_max = n;
        return true;
    default:
        /* Keys from future cty versions are ignored, as cty requires. */
        return true;
    }
}

static struct cty_value *decode_unknown(struct walk *w, const msgpack_object *o,
                                        struct cty_type *t)
{
    const msgpack_object_ext *ext = &o->via.ext;
    /* Any extension of at most one byte is a plain unknown, whatever its
     * type code; cty writes d4 00 00. */
    if (ext->size <= 1)
        return cty_unknown_new(t);
    if (ext->type != CTY_EXT_REFINED) {
        walk_fail(w, "unsupported extension type 0x%02x with len %u", (unsigned)(uint8_t)ext->type,
                  (unsigned)ext->size);
        return NULL;
    }
    if (ext->size > CTY_REFINEMENT_MAX_LEN) {
        walk_fail(w, "oversize unknown value refinement");
        return NULL;
    }
    msgpack_unpacked body;
    msgpack_unpacked_init(&body);
    size_t off = 0;
    struct cty_value *v = NULL;
    struct cty_refinements r = {.length_min = -1, .length_max = -1};
    bool is_null = false;
    /* Bytes after the map are ignored: cty reserves them for later use. */
    if (msgpack_unpack_next(&body, ext->ptr, ext->size, &off) != MSGPACK_UNPACK_SUCCESS ||
        body.data.type != MSGPACK_OBJECT_MAP) {
        walk_fail(w, "unknown value refinement is not a map");
        goto out;
    }
    /* Refinements of dynamic are not defined yet; cty ignores them. */
    if (t->kind == CTY_DYNAMIC) {
        v = cty_unknown_new(t);
        goto out;
    }
    const msgpack_object_map *m = &body.data.via.map;
    for (uint32_t i = 0; i < m->size; i++) {
        int64_t key;
        if (!object_is_int(&m->ptr[i].key, &key)) {
            walk_fail(w, "unknown value refinement has a non-integer key");
            goto out;
        }
        if (!refinement_apply(w, t, key, &m->ptr[i].val, &r, &is_null)) {
            walk_fail(w, "out of memory");
            goto out;
        }
    }
    v = is_null ? cty_null_new(t) : cty_unknown_refined_new(t, &r);
out:
    cty_refinements_clean_up(&r);
    msgpack_unpacked_destroy(&body);
    return v;
}

static bool path_push_index(struct walk *w, size_t i)
{
    return buf_printf(&w->path, "[%zu]", i) == 0;
}

static bool path_push_key(struct walk *w, const char *k, size_t len, bool attr)
{
    if (attr)
        return buf_printf(&w->path, ".%.*s", (int)len, k) == 0;
    return buf_printf(&w->path, "[\"%.*s\"]", (int)len, k) == 0;
}

static void path_pop(struct walk *w, size_t len)
{
    w->path.len = len;
    if (w->path.data)
        w->path.data[len] = '\0';
}

static struct cty_value *decode_dynamic(struct walk *w, const msgpack_object *o)
{
    if (o->type != MSGPACK_OBJECT_ARRAY || o->via.array.size != 2) {
        walk_fail(w, "dynamic value must be a [type, value] array");
        return NULL;
    }
    const msgpack_object *tj = &o->via.array.ptr[0];
    const char *json;
    size_t json_len;
    if (tj->type == MSGPACK_OBJECT_BIN) {
        json = tj->via.bin.ptr;
        json_len = tj->via.bin.size;
    } else if (tj->type == MSGPACK_OBJECT_STR) {
        json = tj->via.str.ptr;
        json_len = tj->via.str.size;
    } else {
        walk_fail(w, "dynamic value type must be JSON bytes");
        return NULL;
    }
    char *err = NULL;
    struct cty_type *concrete = cty_type_from_json(json, json_len, &err);
    if (!concrete) {
        walk_fail(w, "invalid dynamic type: %s", err ? err : "out of memory");
        free(err);
        return NULL;
    }
    struct cty_value *v = decode(w, &o->via.array.ptr[1], concrete);
    cty_type_release(concrete);
    return v;
}

static struct cty_value *decode_object(struct walk *w, const msgpack_object *o, struct cty_type *t)
{
    const msgpack_object_map *m = &o->via.map;
    if (m->size != t->n) {
        walk_fail(w, "an object with %zu attributes is required (%u given)", t->n,
                  (unsigned)m->size);
        return NULL;
    }
    struct cty_value *v = cty_object_new(t);
    bool *seen = calloc(t->n ? t->n : 1, sizeof(bool));
    if (!v || !seen) {
        walk_fail(w, "out of memory");
        goto fail;
    }
    size_t mark = w->path.len;
    for (uint32_t i = 0; i < m->size; i++) {
        const msgpack_object *k = &m->ptr[i].key;
        if (k->type != MSGPACK_OBJECT_STR) {
            walk_fail(w, "object attribute names must be strings");
            goto fail;
        }
        char *name = bytes_dup(k->via.str.ptr, k->via.str.size);
        /* A name with a NUL inside can match no attribute. */
        long idx = name && strlen(name) == k->via.str.size ? cty_type_attr_index(t, name) : -1;
        free(name);
        if (idx < 0 || seen[idx]) {
            walk_fail(w, "%s attribute \"%.*s\"", idx < 0 ? "unsupported" : "duplicate",
                      (int)k->via.str.size, k->via.str.ptr);
            goto fail;
        }
        seen[idx] = true;
        path_push_key(w, k->via.str.ptr, k->via.str.size, true);
        struct cty_value *item = decode(w, &m->ptr[i].val, t->types[idx]);
        path_pop(w, mark);
        if (!item)
            goto fail;
        cty_value_destroy(v->items[idx]);
        v->items[idx] = item;
    }
    free(seen);
    return v;
fail:
    free(seen);
    cty_value_destroy(v);
    return NULL;
}

static struct cty_value *decode_container(struct walk *w, const msgpack_object *o,
                                          struct cty_type *t)
{
    if (t->kind == CTY_OBJECT)
        return decode_object(w, o, t);
    struct cty_value *v = cty_value_alloc(t, CTY_STATE_KNOWN);
    if (!v) {
        walk_fail(w, "out of memory");
        return NULL;
    }
    size_t mark = w->path.len;
    if (t->kind == CTY_MAP) {
        const msgpack_object_map *m = &o->via.map;
        for (uint32_t i = 0; i < m->size; i++) {
            const msgpack_object *k = &m->ptr[i].key;
            if (k->type != MSGPACK_OBJECT_STR) {
                walk_fail(w, "map keys must be strings");
                goto fail;
            }
            char *key = bytes_dup(k->via.str.ptr, k->via.str.size);
            if (key && strlen(key) != k->via.str.size) {
                free(key);
                walk_fail(w, "map keys must not contain NUL bytes");
                goto fail;
            }
            path_push_key(w, k->via.str.ptr, k->via.str.size, false);
            struct cty_value *item = key ? decode(w, &m->ptr[i].val, t->elem) : NULL;
            path_pop(w, mark);
            int rc = item ? cty_map_put(v, key, item) : -1;
            free(key);
            if (rc != 0) {
                walk_fail(w, "out of memory");
                goto fail;
            }
        }
        return v;
    }
    const msgpack_object_array *a = &o->via.array;
    if (t->kind == CTY_TUPLE && a->size != t->n) {
        walk_fail(w, "a tuple of length %zu is required (%u given)", t->n, (unsigned)a->size);
        goto fail;
    }
    for (uint32_t i = 0; i < a->size; i++) {
        path_push_index(w, i);
        struct cty_value *item =
            decode(w, &a->ptr[i], t->kind == CTY_TUPLE ? t->types[i] : t->elem);
        path_pop(w, mark);
        int rc = !item ? -1
                 : t->kind == CTY_SET ? cty_collection_append(v, item)
                                      : cty_value_push(v, item);
        if (rc != 0) {
            walk_fail(w, "out of memory");
            goto fail;
        }
    }
    return v;
fail:
    cty_value_destroy(v);
    return NULL;
}

static struct cty_value *decode(struct walk *w, const msgpack_object *o, struct cty_type *t)
{
    if (o->type == MSGPACK_OBJECT_EXT)
        return decode_unknown(w, o, t);
    if (o->type == MSGPACK_OBJECT_NIL)
        return cty_null_new(t);
    struct cty_value *v;
    switch (t->kind) {
    case CTY_DYNAMIC:
        return decode_dynamic(w, o);
    case CTY_BOOL:
        if (o->type != MSGPACK_OBJECT_BOOLEAN)
            break;
        return cty_bool_new(o->via.boolean);
    case CTY_NUMBER: {
        char *text = number_text_from_object(o);
        if (!text)
            break;
        v = cty_value_alloc(t, CTY_STATE_KNOWN);
        if (!v) {
            free(text);
            return NULL;
        }
        v->text = text;
        v->text_len = strlen(text);
        return v;
    }
    case CTY_STRING:
        if (o->type == MSGPACK_OBJECT_STR)
            return cty_string_new_len(o->via.str.ptr, o->via.str.size);
        if (o->type == MSGPACK_OBJECT_BIN)
            return cty_string_new_len(o->via.bin.ptr, o->via.bin.size);
        break;
    case CTY_LIST:
    case CTY_SET:
    case CTY_TUPLE:
        if (o->type != MSGPACK_OBJECT_ARRAY)
            break;
        return decode_container(w, o, t);
    case CTY_MAP:
    case CTY_OBJECT:
        if (o->type != MSGPACK_OBJECT_MAP)
            break;
        return decode_container(w, o, t);
    }
    walk_fail(w, "%s value is required", kind_name(t->kind));
    return NULL;
}

/* Big-endian unsigned of n bytes at p. */
static size_t read_be(const uint8_t *p, size_t n)
{
    size_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = (v << 8) | p[i];
    return v;
}

/*
 * msgpack-c allocates an array's or map's elements as soon as it reads the
 * header, trusting the declared count: five bytes (0xdd + a 32-bit count)
 * make it ask for 64 GiB. This walk over the headers alone refuses the
 * buffer unless every declared element could be present (each takes at least
 * one byte) and every str/bin/ext payload fits, so the allocation stays
 * proportional to the input.
 */
static bool msgpack_sizes_plausible(const uint8_t *p, size_t len)
{
    size_t pos = 0, pending = 1;
    while (pending > 0) {
        if (pos >= len)
            return false;
        uint8_t b = p[pos++];
        size_t count = 0, payload = 0, head = 0;
        if (b <= 0x7f || b >= 0xe0 || (b >= 0xc0 && b <= 0xc3)) {
            /* fixint, nil, never-used, false, true */
        } else if (b >= 0x80 && b <= 0x8f) {
            count = 2 * (size_t)(b & 0x0f);
        } else if (b >= 0x90 && b <= 0x9f) {
            count = b & 0x0f;
        } else if (b >= 0xa0 && b <= 0xbf) {
            payload = b & 0x1f;
        } else if (b >= 0xc4 && b <= 0xc6) {          /* bin 8/16/32 */
            head = (size_t)1 << (b - 0xc4);
        } else if (b >= 0xc7 && b <= 0xc9) {          /* ext 8/16/32: +type */
            head = (size_t)1 << (b - 0xc7);
            payload = 1;
        } else if (b >= 0xca && b <= 0xd3) {          /* float, uint, int */
            static const uint8_t sizes[] = {4, 8, 1, 2, 4, 8, 1, 2, 4, 8};
            payload = sizes[b - 0xca];
        } else if (b >= 0xd4 && b <= 0xd8) {          /* fixext 1..16: +type */
            payload = 1 + ((size_t)1 << (b - 0xd4));
        } else if (b >= 0xd9 && b <= 0xdb) {          /* str 8/16/32 */
            head = (size_t)1 << (b - 0xd9);
        } else if (b == 0xdc || b == 0xdd) {          /* array 16/32 */
            if (len - pos < (size_t)(b == 0xdc ? 2 : 4))
                return false;
            count = read_be(p + pos, b == 0xdc ? 2 : 4);
            pos += b == 0xdc ? 2 : 4;
        } else {                                      /* map 16/32 */
            if (len - pos < (size_t)(b == 0xde ? 2 : 4))
                return false;
            count = 2 * read_be(p + pos, b == 0xde ? 2 : 4);
            pos += b == 0xde ? 2 : 4;
        }
        if (head) {
            if (len - pos < head)
                return false;
            payload += read_be(p + pos, head);
            pos += head;
        }
        if (len - pos < payload)
            return false;
        pos += payload;
        pending = pending - 1 + count;
        if (pending > len - pos)
            return false;
    }
    return true;
}

struct cty_value *cty_value_from_msgpack(const uint8_t *data, size_t len, struct cty_type *type,
                                         char **error)
{
    if (error)
        *error = NULL;
    if (len == 0)
        return cty_null_new(type);
    struct walk w = {0};
    struct cty_value *v = NULL;
    msgpack_unpacked up;
    msgpack_unpacked_init(&up);
    size_t off = 0;
    msgpack_unpack_return rc = msgpack_sizes_plausible(data, len)
                                   ? msgpack_unpack_next(&up, (const char *)data, len, &off)
                                   : MSGPACK_UNPACK_CONTINUE;
    if (rc == MSGPACK_UNPACK_CONTINUE)
        walk_fail(&w, "truncated msgpack value");
    else if (rc == MSGPACK_UNPACK_NOMEM_ERROR)
        walk_fail(&w, "msgpack value nested too deeply or too large");
    else if (rc != MSGPACK_UNPACK_SUCCESS)
        walk_fail(&w, "malformed msgpack value");
    else if (off != len)
        walk_fail(&w, "%zu unexpected bytes after the msgpack value", len - off);
    else
        v = decode(&w, &up.data, type);
    msgpack_unpacked_destroy(&up);
    if (!v && !w.error)
        walk_fail(&w, "out of memory");
    if (w.error && v) {
        cty_value_destroy(v);
        v = NULL;
    }
    if (error)
        *error = w.error;
    else
        free(w.error);
    buf_clean_up(&w.path);
    return v;
}

/* ---- encoding ---- */

static bool encode(struct walk *w, msgpack_packer *pk, const struct cty_value *v,
                   const struct cty_type *t);

/* cty's rule: integers as compact ints, numbers a double holds exactly as
 * float64, and everything else as its decimal text. */
static bool pack_number(msgpack_packer *pk, const char *text)
{
    struct cty_value probe = {.type = cty_type_number(), .text = (char *)text};
    int64_t n;
    double d;
    if (cty_value_number_int64(&probe, &n) == 0)
        return msgpack_pack_int64(pk, n) == 0;
    /* Beyond int64 cty would try float64 next; uint64 is just as valid for
     * its decoder and keeps such values exact and byte-for-byte stable. */
    if (text[0] != '-' && !strchr(text, '.') && !strchr(text, 'I')) {
        errno = 0;
        char *end;
        unsigned long long u = strtoull(text, &end, 10);
        if (errno == 0 && *end == '\0')
            return msgpack_pack_uint64(pk, u) == 0;
    }
    if (cty_number_to_double_exact(text, &d))
        return msgpack_pack_double(pk, d) == 0;
    size_t len = strlen(text);
    return msgpack_pack_str(pk, len) == 0 && msgpack_pack_str_body(pk, text, len) == 0;
}

static bool pack_string(msgpack_packer *pk, const char *s, size_t len)
{
    return msgpack_pack_str(pk, len) == 0 && msgpack_pack_str_body(pk, s, len) == 0;
}

static bool pack_bound(msgpack_packer *pk, int key, const char *text, bool inclusive)
{
    return msgpack_pack_int(pk, key) == 0 && msgpack_pack_array(pk, 2) == 0 &&
           pack_number(pk, text) &&
           (inclusive ? msgpack_pack_true(pk) : msgpack_pack_false(pk)) == 0;
}

/* Plain unknown is fixext1 type 0 with one zero byte. A refined unknown is
 * ext 12 around a map holding only the refinements meaningful for the type;
 * an empty map is never sent (cty falls back to the plain form). */
static bool encode_unknown(msgpack_packer *pk, const struct cty_value *v, const struct cty_type *t)
{
    static const char zero = 0;
    const struct cty_refinements *r = v->refine;
    msgpack_sbuffer body;
    msgpack_sbuffer_init(&body);
    msgpack_packer bp;
    msgpack_packer_init(&bp, &body, msgpack_sbuffer_write);
    unsigned count = 0;
    bool ok = true;
    if (r && t->kind != CTY_DYNAMIC) {
        if (r->not_null) {
            ok = ok && msgpack_pack_int(&bp, REFINE_NULLNESS) == 0 && msgpack_pack_false(&bp) == 0;
            count++;
        }
        switch (t->kind) {
        case CTY_STRING:
            if (r->string_prefix && r->string_prefix[0]) {
                ok = ok && msgpack_pack_int(&bp, REFINE_STRING_PREFIX) == 0 &&
                     pack_string(&bp, r->string_prefix, strlen(r->string_prefix));
                count++;
            }
            break;
        case CTY_NUMBER:
            if (r->number_lower) {
                ok = ok && pack_bound(&bp, REFINE_NUMBER_LOWER, r->number_lower,
                                      r->number_lower_inclusive);
                count++;
            }
            if (r->number_upper) {
                ok = ok && pack_bound(&bp, REFINE_NUMBER_UPPER, r->number_upper,
                                      r->number_upper_inclusive);
                count++;
            }
            break;
        case CTY_LIST:
        case CTY_SET:
        case CTY_MAP:
            if (r->length_min > 0) {
                ok = ok && msgpack_pack_int(&bp, REFINE_LENGTH_MIN) == 0 &&
                     msgpack_pack_int64(&bp, r->length_min) == 0;
                count++;
            }
            if (r->length_max >= 0) {
                ok = ok && msgpack_pack_int(&bp, REFINE_LENGTH_MAX) == 0 &&
                     msgpack_pack_int64(&bp, r->length_max) == 0;
                count++;
            }
            break;
        default:
            break;
        }
    }
    if (ok && count == 0) {
        ok = msgpack_pack_ext(pk, 1, 0) == 0 && msgpack_pack_ext_body(pk, &zero, 1) == 0;
    } else if (ok) {
        /* The map header goes before the entries, so it is packed apart. */
        msgpack_sbuffer head;
        msgpack_sbuffer_init(&head);
        msgpack_packer hp;
        msgpack_packer_init(&hp, &head, msgpack_sbuffer_write);
        ok = msgpack_pack_map(&hp, count) == 0 &&
             msgpack_pack_ext(pk, head.size + body.size, CTY_EXT_REFINED) == 0 &&
             msgpack_pack_ext_body(pk, head.data, head.size) == 0 &&
             msgpack_pack_ext_body(pk, body.data, body.size) == 0;
        msgpack_sbuffer_destroy(&head);
    }
    msgpack_sbuffer_destroy(&body);
    return ok;
}

static bool encode_dynamic(struct walk *w, msgpack_packer *pk, const struct cty_value *v)
{
    char *json = cty_type_to_json(v->type);
    if (!json) {
        walk_fail(w, "out of memory");
        return false;
    }
    size_t len = strlen(json);
    bool ok = msgpack_pack_array(pk, 2) == 0 && msgpack_pack_bin(pk, len) == 0 &&
              msgpack_pack_bin_body(pk, json, len) == 0;
    free(json);
    if (!ok) {
        walk_fail(w, "out of memory");
        return false;
    }
    return encode(w, pk, v, v->type);
}

static bool encode_object(struct walk *w, msgpack_packer *pk, const struct cty_value *v,
                          const struct cty_type *t)
{
    if (v->n != t->n) {
        walk_fail(w, "object has %zu attributes but its type has %zu", v->n, t->n);
        return false;
    }
    if (msgpack_pack_map(pk, (uint32_t)t->n) != 0)
        goto oom;
    size_t mark = w->path.len;
    /* Every attribute, in the type's sorted order, nil for null: decoders
     * demand the exact attribute count. */
    for (size_t i = 0; i < t->n; i++) {
        const struct cty_value *a = cty_value_attr(v, t->names[i]);
        if (!a) {
            walk_fail(w, "object has no attribute \"%s\"", t->names[i]);
            return false;
        }
        if (!pack_string(pk, t->names[i], strlen(t->names[i])))
            goto oom;
        path_push_key(w, t->names[i], strlen(t->names[i]), true);
        bool ok = encode(w, pk, a, t->types[i]);
        path_pop(w, mark);
        if (!ok)
            return false;
    }
    return true;
oom:
    walk_fail(w, "out of memory");
    return false;
}

static bool encode(struct walk *w, msgpack_packer *pk, const struct cty_value *v,
                   const struct cty_type *t)
{
    /* Under a dynamic declared type the concrete type travels with the
     * value; only a null or unknown of dynamic itself is sent bare. */
    if (t->kind == CTY_DYNAMIC && v->type->kind != CTY_DYNAMIC)
        return encode_dynamic(w, pk, v);
    bool ok = true;
    if (v->state == CTY_STATE_UNKNOWN) {
        ok = encode_unknown(pk, v, t);
    } else if (v->state == CTY_STATE_NULL) {
        ok = msgpack_pack_nil(pk) == 0;
    } else if (v->type->kind != t->kind) {
        walk_fail(w, "%s value given where %s is required", kind_name(v->type->kind),
                  kind_name(t->kind));
        return false;
    } else {
        size_t mark = w->path.len;
        switch (t->kind) {
        case CTY_BOOL:
            ok = (v->b ? msgpack_pack_true(pk) : msgpack_pack_false(pk)) == 0;
            break;
        case CTY_NUMBER:
            ok = pack_number(pk, v->text);
            break;
        case CTY_STRING:
            ok = pack_string(pk, v->text, v->text_len);
            break;
        case CTY_OBJECT:
            return encode_object(w, pk, v, t);
        case CTY_MAP:
            ok = msgpack_pack_map(pk, (uint32_t)v->n) == 0;
            for (size_t i = 0; ok && i < v->n; i++) {
                if (!pack_string(pk, v->keys[i], strlen(v->keys[i])))
                    goto oom;
                path_push_key(w, v->keys[i], strlen(v->keys[i]), false);
                bool item_ok = encode(w, pk, v->items[i], t->elem);
                path_pop(w, mark);
                if (!item_ok)
                    return false;
            }
            break;
        case CTY_TUPLE:
            if (v->n != t->n) {
                walk_fail(w, "tuple has %zu elements but its type has %zu", v->n, t->n);
                return false;
            }
            /* fall through */
        case CTY_LIST:
        case CTY_SET:
            ok = msgpack_pack_array(pk, (uint32_t)v->n) == 0;
            for (size_t i = 0; ok && i < v->n; i++) {
                path_push_index(w, i);
                bool item_ok =
                    encode(w, pk, v->items[i], t->kind == CTY_TUPLE ? t->types[i] : t->elem);
                path_pop(w, mark);
                if (!item_ok)
                    return false;
            }
            break;
        case CTY_DYNAMIC:
            break; /* unreachable: a known value never has type dynamic */
        }
    }
    if (ok)
        return true;
oom:
    walk_fail(w, "out of memory");
    return false;
}

int cty_value_to_msgpack(const struct cty_value *v, struct cty_type *type, uint8_t **out,
                         size_t *out_len, char **error)
{
    if (error)
        *error = NULL;
    *out = NULL;
    *out_len = 0;
    struct walk w = {0};
    msgpack_sbuffer sbuf;
    msgpack_sbuffer_init(&sbuf);
    msgpack_packer pk;
    msgpack_packer_init(&pk, &sbuf, msgpack_sbuffer_write);
    int rc = -1;
    if (encode(&w, &pk, v, type)) {
        *out_len = sbuf.size;
        *out = (uint8_t *)msgpack_sbuffer_release(&sbuf);
        rc = 0;
    }
    msgpack_sbuffer_destroy(&sbuf);
    if (error)
        *error = w.error;
    else
        free(w.error);
    buf_clean_up(&w.path);
    return rc;
}
