#include "plugin/handshake.h"

#include <openssl/evp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int handshake_protocol_negotiate(const char *versions)
{
    if (!versions)
        return -1;
    const char *p = versions;
    while (*p) {
        char *end;
        long v = strtol(p, &end, 10);
        if (end != p && v == HANDSHAKE_APP_PROTOCOL) {
            /* Only accept an exact item, not e.g. "60". */
            const char *q = end;
            while (*q == ' ')
                q++;
            if (*q == ',' || *q == '\0')
                return HANDSHAKE_APP_PROTOCOL;
        }
        const char *comma = strchr(p, ',');
        if (!comma)
            break;
        p = comma + 1;
    }
    return -1;
}

int handshake_base64_raw_append(struct buf *out, const unsigned char *data, size_t len)
{
    if (len > (size_t)(INT32_MAX / 4 * 3 - 3))
        return -1;
    size_t cap = 4 * ((len + 2) / 3) + 1;
    unsigned char *tmp = malloc(cap);
    if (!tmp)
        return -1;
    int n = EVP_EncodeBlock(tmp, data, (int)len);
    /* EVP_EncodeBlock always pads; the Go side uses RawStdEncoding. */
    while (n > 0 && tmp[n - 1] == '=')
        n--;
    int rc = buf_append(out, tmp, (size_t)n);
    free(tmp);
    return rc;
}

static int handshake_field_ok(const char *s)
{
    return s && *s && !strpbrk(s, "|\r\n");
}

int handshake_line_format(struct buf *out, const char *network, const char *address,
                          const unsigned char *cert_der, size_t cert_der_len)
{
    if (!handshake_field_ok(network) || !handshake_field_ok(address))
        return -1;
    if (buf_printf(out, "%d|%d|%s|%s|grpc", HANDSHAKE_CORE_PROTOCOL, HANDSHAKE_APP_PROTOCOL,
                   network, address) < 0)
        return -1;
    if (cert_der) {
        if (buf_append_char(out, '|') < 0 ||
            handshake_base64_raw_append(out, cert_der, cert_der_len) < 0)
            return -1;
    }
    return buf_append_char(out, '\n');
}
