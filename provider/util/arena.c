#include "util/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void *arena_adopt(struct arena *a, void *p)
{
    if (!p) {
        a->failed = 1;
        return NULL;
    }
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 32;
        void **blocks = realloc(a->blocks, cap * sizeof(*blocks));
        if (!blocks) {
            free(p);
            a->failed = 1;
            return NULL;
        }
        a->blocks = blocks;
        a->cap = cap;
    }
    a->blocks[a->n++] = p;
    return p;
}

void *arena_alloc(struct arena *a, size_t size)
{
    return arena_adopt(a, calloc(1, size ? size : 1));
}

void *arena_calloc(struct arena *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) {
        a->failed = 1;
        return NULL;
    }
    return arena_adopt(a, calloc(n ? n : 1, size ? size : 1));
}

char *arena_strdup(struct arena *a, const char *s)
{
    return arena_adopt(a, strdup(s ? s : ""));
}

void *arena_memdup(struct arena *a, const void *p, size_t len)
{
    void *copy = arena_alloc(a, len);
    if (copy && len)
        memcpy(copy, p, len);
    return copy;
}

void arena_clean_up(struct arena *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->blocks[i]);
    free(a->blocks);
    memset(a, 0, sizeof(*a));
}
