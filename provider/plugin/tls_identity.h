/*
 * tls_identity.h - the ephemeral server key and self-signed certificate for
 * go-plugin AutoMTLS.
 *
 * The client pins exactly the certificate we print in the handshake line
 * (it is its only root) and checks it against ServerName "localhost", so the
 * certificate must be self-signed, carry SAN DNS:localhost, allow serverAuth
 * and already be valid (NotBefore backdated, in UTC). It also acts as our
 * client-facing CA, hence CA:TRUE and keyCertSign, mirroring go-plugin's own
 * template.
 */
#ifndef LSMS_PLUGIN_TLS_IDENTITY_H
#define LSMS_PLUGIN_TLS_IDENTITY_H

#include <stddef.h>
#include <time.h>

/* Owns every pointer. A zeroed struct is valid (empty). */
struct tls_identity {
    char *cert_pem;          /* NUL-terminated PEM CERTIFICATE block */
    char *key_pem;           /* NUL-terminated PEM "EC PRIVATE KEY" (SEC1): secret */
    unsigned char *cert_der; /* DER of the certificate, for the handshake line */
    size_t cert_der_len;
};

/* Certificate lifetime, as go-plugin: 262980 hours (about 30 years). */
#define TLS_IDENTITY_VALID_SECONDS (262980L * 3600L)
/* Clock skew allowance: NotBefore = now - 30 s. */
#define TLS_IDENTITY_BACKDATE_SECONDS 30L

/*
 * Generates a fresh ECDSA P-256 key and a self-signed certificate (subject
 * O=HashiCorp, CN=localhost; SAN DNS:localhost; CA:TRUE; keyUsage
 * digitalSignature, keyEncipherment, keyCertSign; extKeyUsage serverAuth,
 * clientAuth; random 127-bit serial; SHA-256 signature) valid from
 * now - 30 s for TLS_IDENTITY_VALID_SECONDS. `now` is the current time
 * (a parameter so tests can pin it). Fills `out` (which must be zeroed).
 * Returns 0, or -1 on failure with `out` left empty.
 */
int tls_identity_generate(struct tls_identity *out, time_t now);

/* Wipes the private key, frees everything and zeroes the struct. */
void tls_identity_clean_up(struct tls_identity *id);

/* Wipes and frees only the private key (once gRPC has taken its copy). */
void tls_identity_forget_key(struct tls_identity *id);

/* True when `pem` (borrowed, NUL-terminated) holds at least one parseable
 * PEM certificate: PLUGIN_CLIENT_CERT is checked at start-up, as go-plugin
 * does, instead of failing every TLS handshake later. */
int tls_pem_has_certificate(const char *pem);

#endif
