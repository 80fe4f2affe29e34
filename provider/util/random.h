/*
 * random.h - unpredictable identifiers (origin secrets, idempotency tokens).
 */
#ifndef LSMS_UTIL_RANDOM_H
#define LSMS_UTIL_RANDOM_H

#include <stddef.h>

/* Writes 2*nbytes lowercase hex characters and a NUL into out (which holds
 * at least 2*nbytes+1 bytes) from the OS's CSPRNG. 0, or -1 on failure. */
int random_hex(char *out, size_t nbytes);

#endif
