/*
 * sigv4.h - AWS Signature Version 4 for request headers.
 *
 * The signing time is an input, so signing is a pure function of the request,
 * the credentials and the time; tests check each stage against the AWS
 * signing test suite. Uses OpenSSL's SHA-256 and HMAC-SHA256.
 *
 * Typical use (the client does this for every attempt):
 *     struct sigv4_params p = { .credentials = &creds, .region = "us-east-1",
 *                               .service = "monitoring", .time = now,
 *                               .normalize_path = 1 };
 *     if (sigv4_sign_request(&req, &p) != 0) ... out of memory ...
 */
#ifndef LSMS_AWS_SIGV4_H
#define LSMS_AWS_SIGV4_H

#include <time.h>

#include "aws/credentials.h"
#include "aws/message.h"
#include "util/buf.h"

/* The payload hash for requests whose body is not signed (MediaStore data
 * PutObject, authtype v4-unsigned-body). */
#define SIGV4_UNSIGNED_PAYLOAD "UNSIGNED-PAYLOAD"

struct sigv4_params {
    const struct aws_credentials *credentials; /* borrowed */
    const char *region;                        /* signing region, "us-east-1" */
    const char *service;                       /* signing name, "monitoring" */
    time_t time;                               /* signing time (UTC seconds) */
    /* Remove "." / ".." segments and repeated '/' from the path before it is
     * encoded: what every service but S3 expects. */
    int normalize_path;
    /* Add x-amz-content-sha256 with the payload hash (and sign it). */
    int sign_body;
    /* Use "UNSIGNED-PAYLOAD" as payload hash and send it as
     * x-amz-content-sha256 (implies that header). */
    int unsigned_payload;
    /* S3's rules (S3 API reference, "Authenticating Requests (AWS Signature
     * Version 4)"): the canonical URI is the wire path exactly as sent, with
     * no normalisation ("//" and "." segments are part of an object key) and
     * no second encoding (the codec encoded the key once); x-amz-content-sha256
     * is always sent and signed, holding the payload hash (or
     * UNSIGNED-PAYLOAD with unsigned_payload). normalize_path is ignored. */
    int s3;
    /* Add X-Amz-Security-Token after signing instead of signing it (some
     * services want it unsigned; the suite's post-sts-header-after case). */
    int omit_session_token;
};

/*
 * Stage 0: adds the headers SigV4 needs before the canonical request is made:
 * Host (when missing; from req->host), X-Amz-Date, X-Amz-Security-Token
 * (when the credentials have a token and omit_session_token is 0) and
 * x-amz-content-sha256 (sign_body, s3 or unsigned_payload). Replaces earlier
 * values, so a request can be signed again for a retry. 0, or -1 on no memory.
 */
int sigv4_prepare_request(struct aws_request *req, const struct sigv4_params *p);

/*
 * Stage 1: the canonical request of a prepared request into `out` (reset
 * first) and the signed header list ("host;x-amz-date") into `signed_headers`
 * (reset first). Every header present is signed except Authorization. 0 or -1.
 */
int sigv4_canonical_request(const struct aws_request *req, const struct sigv4_params *p,
                            struct buf *out, struct buf *signed_headers);

/* Stage 2: the string to sign for a canonical request into `out` (reset
 * first). 0 or -1. */
int sigv4_string_to_sign(const char *canonical_request, const struct sigv4_params *p,
                         struct buf *out);

/* Stage 3: the hex signature of a string to sign into `hex` (65 bytes,
 * NUL-terminated). The derived key is wiped before return. 0 or -1. */
int sigv4_signature(const char *string_to_sign, const struct sigv4_params *p, char hex[65]);

/*
 * All stages: prepares the request, signs it and sets the Authorization header
 * (and the unsigned session token when omit_session_token). 0, or -1 when
 * memory runs out or the credentials are incomplete.
 */
int sigv4_sign_request(struct aws_request *req, const struct sigv4_params *p);

/* Lower-case hex SHA-256 of data into `hex` (65 bytes). */
void sigv4_sha256_hex(const void *data, size_t len, char hex[65]);

#endif
