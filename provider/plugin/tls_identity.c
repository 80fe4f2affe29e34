#include "plugin/tls_identity.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>

/* The key's curve. P-256, not go-plugin's P-521: the BoringSSL in gRPC's
 * other-language clients (grpcio, which the tests use) verifies neither a
 * P-521 nor an Ed25519 signature; Go's crypto/tls takes all three. */
#define TLS_IDENTITY_CURVE "P-256"
#define TLS_IDENTITY_CURVE_NID NID_X9_62_prime256v1
/* An uncompressed P-256 point: 0x04, X, Y. */
#define TLS_IDENTITY_POINT_MAX 65

/* Copies a memory BIO's contents into a malloc'd NUL-terminated string. */
static char *tls_bio_to_string(BIO *bio)
{
    char *data = NULL;
    long len = BIO_get_mem_data(bio, &data);
    if (len <= 0 || !data)
        return NULL;
    char *s = malloc((size_t)len + 1);
    if (!s)
        return NULL;
    memcpy(s, data, (size_t)len);
    s[len] = '\0';
    return s;
}

static int tls_add_ext(X509 *cert, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    if (!ext)
        return -1;
    int ok = X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
    return ok ? 0 : -1;
}

static int tls_set_serial(X509 *cert)
{
    /* Random, positive, below 2^127 (go-plugin: below 2^128; DER needs a
     * positive integer and 127 bits avoid a leading sign byte). */
    BIGNUM *bn = BN_new();
    int rc = -1;
    if (bn && BN_rand(bn, 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) &&
        BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert)))
        rc = 0;
    BN_free(bn);
    return rc;
}

static int tls_set_names(X509 *cert)
{
    X509_NAME *name = X509_get_subject_name(cert);
    if (!X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                                    (const unsigned char *)"HashiCorp", -1, -1, 0) ||
        !X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                    (const unsigned char *)"localhost", -1, -1, 0))
        return -1;
    return X509_set_issuer_name(cert, name) ? 0 : -1;
}

static int tls_set_validity(X509 *cert, time_t now)
{
    /* X509_time_adj works in UTC, whatever the local offset; a NotBefore in
     * local time would land in the future east of Greenwich. */
    time_t t = now;
    if (!X509_time_adj(X509_getm_notBefore(cert), -TLS_IDENTITY_BACKDATE_SECONDS, &t))
        return -1;
    t = now;
    if (!X509_time_adj(X509_getm_notAfter(cert), TLS_IDENTITY_VALID_SECONDS, &t))
        return -1;
    return 0;
}

/* The certificate's SubjectPublicKeyInfo, built from the key's encoded point.
 * X509_set_pubkey does the same through OpenSSL 3.0's encoder and decoder
 * machinery (it encodes the key with an OSSL_ENCODER, then decodes the DER
 * back with an OSSL_DECODER), and building their method tables on first use
 * costs about as much as everything else here: ~0.8 ms before the handshake
 * line (tests/bench/README.md). */
static int tls_set_public_key(X509 *cert, const EVP_PKEY *key)
{
    unsigned char point[TLS_IDENTITY_POINT_MAX];
    size_t len = 0;
    if (!EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point,
                                         sizeof(point), &len))
        return -1;
    unsigned char *enc = OPENSSL_memdup(point, len);
    if (!enc)
        return -1;
    /* id-ecPublicKey with the named curve as its parameter (RFC 5480). */
    if (!X509_PUBKEY_set0_param(X509_get_X509_PUBKEY(cert), OBJ_nid2obj(NID_X9_62_id_ecPublicKey),
                                V_ASN1_OBJECT, OBJ_nid2obj(TLS_IDENTITY_CURVE_NID), enc,
                                (int)len)) {
        OPENSSL_free(enc);
        return -1;
    }
    return 0;
}

static X509 *tls_cert_build(EVP_PKEY *key, time_t now)
{
    X509 *cert = X509_new();
    if (!cert)
        return NULL;
    if (!X509_set_version(cert, 2) || tls_set_serial(cert) < 0 || tls_set_names(cert) < 0 ||
        tls_set_validity(cert, now) < 0 || tls_set_public_key(cert, key) < 0 ||
        tls_add_ext(cert, NID_basic_constraints, "critical,CA:TRUE") < 0 ||
        tls_add_ext(cert, NID_key_usage,
                    "critical,digitalSignature,keyEncipherment,keyCertSign") < 0 ||
        tls_add_ext(cert, NID_ext_key_usage, "serverAuth,clientAuth") < 0 ||
        tls_add_ext(cert, NID_subject_key_identifier, "hash") < 0 ||
        tls_add_ext(cert, NID_subject_alt_name, "DNS:localhost") < 0 ||
        !X509_sign(cert, key, EVP_sha256())) {
        X509_free(cert);
        return NULL;
    }
    return cert;
}

static int tls_export(struct tls_identity *out, X509 *cert, EVP_PKEY *key)
{
    int rc = -1;
    BIO *cert_bio = BIO_new(BIO_s_mem());
    /* The secure-memory BIO wipes its buffer when freed. */
    BIO *key_bio = BIO_new(BIO_s_secmem());
    unsigned char *der = NULL;
    if (!cert_bio || !key_bio)
        goto done;
    if (!PEM_write_bio_X509(cert_bio, cert) ||
        /* SEC1 ("EC PRIVATE KEY"), which OpenSSL writes without its encoder
         * machinery; PKCS#8 would build it (see tls_set_public_key). gRPC
         * reads either. */
        !PEM_write_bio_PrivateKey_traditional(key_bio, key, NULL, NULL, 0, NULL, NULL))
        goto done;
    out->cert_pem = tls_bio_to_string(cert_bio);
    out->key_pem = tls_bio_to_string(key_bio);
    int der_len = i2d_X509(cert, &der);
    if (!out->cert_pem || !out->key_pem || der_len <= 0)
        goto done;
    out->cert_der = malloc((size_t)der_len);
    if (!out->cert_der)
        goto done;
    memcpy(out->cert_der, der, (size_t)der_len);
    out->cert_der_len = (size_t)der_len;
    rc = 0;
done:
    OPENSSL_free(der);
    BIO_free(cert_bio);
    BIO_free(key_bio);
    return rc;
}

int tls_identity_generate(struct tls_identity *out, time_t now)
{
    memset(out, 0, sizeof(*out));
    EVP_PKEY *key = EVP_EC_gen(TLS_IDENTITY_CURVE);
    X509 *cert = key ? tls_cert_build(key, now) : NULL;
    int rc = cert ? tls_export(out, cert, key) : -1;
    X509_free(cert);
    EVP_PKEY_free(key);
    if (rc < 0)
        tls_identity_clean_up(out);
    return rc;
}

void tls_identity_forget_key(struct tls_identity *id)
{
    if (id->key_pem) {
        OPENSSL_cleanse(id->key_pem, strlen(id->key_pem));
        free(id->key_pem);
        id->key_pem = NULL;
    }
}

void tls_identity_clean_up(struct tls_identity *id)
{
    tls_identity_forget_key(id);
    free(id->cert_pem);
    free(id->cert_der);
    memset(id, 0, sizeof(*id));
}

int tls_pem_has_certificate(const char *pem)
{
    BIO *bio = BIO_new_mem_buf(pem, -1);
    if (!bio)
        return 0;
    X509 *cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);
    int ok = cert != NULL;
    X509_free(cert);
    BIO_free(bio);
    return ok;
}
