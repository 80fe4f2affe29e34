/*
 * buf.h - an owning, growable byte buffer that is always NUL-terminated.
 *
 * A zeroed struct buf is a valid empty buffer. buf_clean_up frees it.
 * Appends return 0, or -1 when memory runs out (the buffer is then unchanged).
 */
#ifndef LSMS_UTIL_BUF_H
#define LSMS_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
    char *data; /* NUL-terminated when non-NULL */
    size_t len;
    size_t cap;
};

int buf_append(struct buf *b, const void *data, size_t len);
int buf_append_str(struct buf *b, const char *s);
int buf_append_char(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Empties the buffer, keeping its memory. */
void buf_reset(struct buf *b);
/* Hands the contents to the caller (malloc'd, NUL-terminated, never NULL on
 * success) and leaves the buffer empty. Returns NULL when out of memory. */
char *buf_detach(struct buf *b);
/* Frees the memory. With buf_clean_up_secret the bytes are wiped first. */
void buf_clean_up(struct buf *b);
void buf_clean_up_secret(struct buf *b);

#endif
