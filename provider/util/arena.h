/*
 * arena.h - frees many small allocations at once.
 *
 * The protocol layer builds each protobuf-c response out of hundreds of small
 * pieces (messages, strings, arrays). They all live exactly as long as the
 * call, so they are taken from an arena and released together.
 */
#ifndef LSMS_UTIL_ARENA_H
#define LSMS_UTIL_ARENA_H

#include <stddef.h>

struct arena {
    void **blocks;
    size_t n, cap;
    int failed; /* set once any allocation failed; check before using results */
};

/* Zeroed memory owned by the arena, or NULL (and a->failed set). */
void *arena_alloc(struct arena *a, size_t size);
/* Array of n zeroed elements. */
void *arena_calloc(struct arena *a, size_t n, size_t size);
char *arena_strdup(struct arena *a, const char *s);
void *arena_memdup(struct arena *a, const void *p, size_t len);
/* Hands a malloc'd pointer to the arena, which frees it with the rest. */
void *arena_adopt(struct arena *a, void *p);
void arena_clean_up(struct arena *a);

#endif
