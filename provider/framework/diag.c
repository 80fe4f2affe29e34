#include "framework/diag.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

static int attr_path_push(struct attr_path *p, enum path_step_kind kind, const char *name,
                          int64_t index)
{
    char *copy = NULL;
    if (name) {
        copy = strdup(name);
        if (!copy)
            return -1;
    }
    struct path_step *steps = realloc(p->steps, (p->n + 1) * sizeof(*steps));
    if (!steps) {
        free(copy);
        return -1;
    }
    p->steps = steps;
    p->steps[p->n] = (struct path_step){.kind = kind, .name = copy, .index = index};
    p->n++;
    return 0;
}

int attr_path_push_attr(struct attr_path *p, const char *name)
{
    return attr_path_push(p, PATH_STEP_ATTR, name ? name : "", 0);
}

int attr_path_push_key(struct attr_path *p, const char *key)
{
    return attr_path_push(p, PATH_STEP_KEY_STRING, key ? key : "", 0);
}

int attr_path_push_index(struct attr_path *p, int64_t index)
{
    return attr_path_push(p, PATH_STEP_KEY_INT, NULL, index);
}

void attr_path_pop(struct attr_path *p)
{
    if (p->n == 0)
        return;
    p->n--;
    free(p->steps[p->n].name);
    p->steps[p->n].name = NULL;
    if (p->n == 0) {
        free(p->steps);
        p->steps = NULL;
    }
}

int attr_path_copy(struct attr_path *dst, const struct attr_path *src)
{
    *dst = (struct attr_path){0};
    for (size_t i = 0; src && i < src->n; i++) {
        const struct path_step *s = &src->steps[i];
        if (attr_path_push(dst, s->kind, s->name, s->index) != 0) {
            attr_path_clean_up(dst);
            return -1;
        }
    }
    return 0;
}

int attr_path_equal(const struct attr_path *a, const struct attr_path *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++) {
        const struct path_step *x = &a->steps[i], *y = &b->steps[i];
        if (x->kind != y->kind)
            return 0;
        if (x->kind == PATH_STEP_KEY_INT ? x->index != y->index : strcmp(x->name, y->name) != 0)
            return 0;
    }
    return 1;
}

char *attr_path_to_string(const struct attr_path *p)
{
    struct buf b = {0};
    int rc = buf_append(&b, "", 0);
    for (size_t i = 0; rc == 0 && i < p->n; i++) {
        const struct path_step *s = &p->steps[i];
        switch (s->kind) {
        case PATH_STEP_ATTR:
            if (i > 0)
                rc = buf_append_char(&b, '.');
            if (rc == 0)
                rc = buf_append_str(&b, s->name);
            break;
        case PATH_STEP_KEY_STRING:
            /* Quoted like an HCL string so keys with dots or quotes stay readable. */
            rc = buf_append_str(&b, "[\"");
            for (const char *c = s->name; rc == 0 && *c; c++) {
                if (*c == '"' || *c == '\\')
                    rc = buf_append_char(&b, '\\');
                if (rc == 0)
                    rc = buf_append_char(&b, *c);
            }
            if (rc == 0)
                rc = buf_append_str(&b, "\"]");
            break;
        case PATH_STEP_KEY_INT:
            rc = buf_printf(&b, "[%" PRId64 "]", s->index);
            break;
        }
    }
    if (rc != 0) {
        buf_clean_up(&b);
        return NULL;
    }
    return buf_detach(&b);
}

void attr_path_clean_up(struct attr_path *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->steps[i].name);
    free(p->steps);
    *p = (struct attr_path){0};
}

/* Out of memory while recording a diagnostic: the diagnostic is dropped, as
 * there is no better place to report it; callers still return their error. */
static void diags_vadd(struct diags *d, enum diag_severity severity, const struct attr_path *path,
                       const char *summary, const char *detail_fmt, va_list ap)
{
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 4;
        struct diag *items = realloc(d->items, cap * sizeof(*items));
        if (!items)
            return;
        d->items = items;
        d->cap = cap;
    }
    struct diag item = {.severity = severity};
    struct buf detail = {0};
    item.summary = strdup(summary ? summary : "");
    if (detail_fmt)
        buf_vprintf(&detail, detail_fmt, ap);
    item.detail = detail.data ? buf_detach(&detail) : strdup("");
    if (!item.summary || !item.detail || attr_path_copy(&item.path, path) != 0) {
        free(item.summary);
        free(item.detail);
        buf_clean_up(&detail);
        return;
    }
    d->items[d->n++] = item;
}

void diags_add(struct diags *d, enum diag_severity severity, const struct attr_path *path,
               const char *summary, const char *detail_fmt, ...)
{
    va_list ap;
    va_start(ap, detail_fmt);
    diags_vadd(d, severity, path, summary, detail_fmt, ap);
    va_end(ap);
}

void diags_error(struct diags *d, const char *attr, const char *summary, const char *detail_fmt,
                 ...)
{
    struct attr_path path = {0};
    if (attr && attr_path_push_attr(&path, attr) != 0)
        attr_path_clean_up(&path);
    va_list ap;
    va_start(ap, detail_fmt);
    diags_vadd(d, DIAG_ERROR, &path, summary, detail_fmt, ap);
    va_end(ap);
    attr_path_clean_up(&path);
}

int diags_has_error(const struct diags *d)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->items[i].severity == DIAG_ERROR)
            return 1;
    return 0;
}

void diags_move(struct diags *dst, struct diags *src)
{
    if (src->n == 0)
        return;
    if (dst->n + src->n > dst->cap) {
        size_t cap = dst->n + src->n;
        struct diag *items = realloc(dst->items, cap * sizeof(*items));
        if (!items)
            return;
        dst->items = items;
        dst->cap = cap;
    }
    memcpy(dst->items + dst->n, src->items, src->n * sizeof(*src->items));
    dst->n += src->n;
    free(src->items);
    *src = (struct diags){0};
}

void diags_clean_up(struct diags *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->items[i].summary);
        free(d->items[i].detail);
        attr_path_clean_up(&d->items[i].path);
    }
    free(d->items);
    *d = (struct diags){0};
}
