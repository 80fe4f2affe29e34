#include "util/random.h"

#include <openssl/rand.h>

int random_hex(char *out, size_t nbytes)
{
    static const char digits[] = "0123456789abcdef";
    unsigned char bytes[64];
    if (nbytes > sizeof(bytes) || RAND_bytes(bytes, (int)nbytes) != 1)
        return -1;
    for (size_t i = 0; i < nbytes; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    out[2 * nbytes] = '\0';
    return 0;
}
