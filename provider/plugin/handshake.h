/*
 * handshake.h - the go-plugin start-up contract: protocol version choice and
 * the first stdout line the client parses.
 *
 * Pure functions: no I/O, no globals, so they can be tested on their own.
 */
#ifndef LSMS_PLUGIN_HANDSHAKE_H
#define LSMS_PLUGIN_HANDSHAKE_H

#include <stddef.h>

#include "util/buf.h"

/* The only application protocol this provider speaks (tfplugin6). */
#define HANDSHAKE_APP_PROTOCOL 6
/* go-plugin's core protocol version, field 1 of the handshake line. */
#define HANDSHAKE_CORE_PROTOCOL 1

/*
 * Picks the application protocol from PLUGIN_PROTOCOL_VERSIONS, a comma
 * list the client builds from a Go map (so "5,6" and "6,5" both occur).
 * `versions` is borrowed and may be NULL. Returns HANDSHAKE_APP_PROTOCOL when
 * the list contains it, or -1 when it does not (go-plugin then still answers
 * its own version and lets the client refuse it; the caller decides).
 */
int handshake_protocol_negotiate(const char *versions);

/*
 * Appends base64 (standard alphabet) of `data` WITHOUT '=' padding to `out`:
 * go-plugin decodes field 6 with base64.RawStdEncoding and rejects padding.
 * Returns 0, or -1 when out of memory.
 */
int handshake_base64_raw_append(struct buf *out, const unsigned char *data, size_t len);

/*
 * Appends the whole handshake line, including the final '\n', to `out`:
 *   1|6|<network>|<address>|grpc|<base64 DER>\n
 * `network` is "unix" or "tcp"; `address` the socket path or "127.0.0.1:PORT".
 * When `cert_der` is NULL the sixth field is left out (plaintext serving).
 * All arguments are borrowed. Returns 0, or -1 when out of memory or when
 * `network`/`address` contain '|' or a newline (the line would not parse).
 */
int handshake_line_format(struct buf *out, const char *network, const char *address,
                          const unsigned char *cert_der, size_t cert_der_len);

#endif
