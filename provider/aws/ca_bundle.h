/*
 * ca_bundle.h - where the CA certificates that verify AWS's TLS
 * certificates are, without the host's TLS configuration.
 *
 * A static binary carries no libcurl or OpenSSL built for the host, so it
 * cannot rely on their compiled-in paths (Debian's libcurl knows Debian's
 * place, a RHEL build RHEL's). The provider looks where each Linux
 * distribution keeps its bundle, in the order Go's crypto/x509 uses on
 * Linux (so the provider trusts what Go-based providers and the clients
 * themselves trust on the same machine):
 *   SSL_CERT_FILE, when set, instead of the files below;
 *   /etc/ssl/certs/ca-certificates.crt                 Debian, Ubuntu, Gentoo, Arch, Alpine
 *   /etc/pki/tls/certs/ca-bundle.crt                   Fedora, RHEL, Amazon Linux
 *   /etc/ssl/ca-bundle.pem                             openSUSE, SLES
 *   /etc/pki/tls/cacert.pem                            OpenELEC
 *   /etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem  CentOS, RHEL 7+
 *   /etc/ssl/cert.pem                                  Alpine
 * and a directory of hashed certificates: SSL_CERT_DIR when set (a
 * colon-separated list, as OpenSSL reads it), else, only when no file was
 * found, the first of /etc/ssl/certs (SUSE, Debian), /etc/pki/tls/certs.
 */
#ifndef LSMS_AWS_CA_BUNDLE_H
#define LSMS_AWS_CA_BUNDLE_H

struct aws_ca_location {
    char *file; /* a PEM bundle, or NULL */
    char *dir;  /* hashed directories, or NULL */
};

/*
 * Fills `out` (zeroed by the caller) with the file and directory to verify
 * peers with. `root` prefixes every built-in path (NULL or "" for /: tests
 * look inside a directory of their own); the environment's paths are taken
 * as they are. Both members stay NULL when nothing was found. 0, or -1 when
 * memory ran out. The caller cleans `out` up.
 */
int aws_ca_location_find(const char *root, struct aws_ca_location *out);

void aws_ca_location_clean_up(struct aws_ca_location *loc);

#endif
