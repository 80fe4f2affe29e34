/*
 * engine.h - the engine every AWS call goes through: a struct aws_client
 * holds the region, the endpoint overrides, the transport, the retry
 * policy, the clock, the stop flag and where credentials come from;
 * aws_client_send resolves the endpoint, signs with SigV4, sends and
 * retries.
 *
 * Layers, top-down (each includes only what is below it):
 *   aws/client.h      configures a client: region, the credential chain, an
 *                     assumed role and its renewal, the account id
 *   aws/sts.h         AssumeRole, GetCallerIdentity
 *   aws/protocol_*.h  the wire protocols (query, json, rest-json, rest-xml, s3)
 *   aws/engine.h      this file
 *   aws/http.h, sigv4.h, credentials.h, endpoints.h, retry.h, clock.h
 * The engine knows nothing of STS: credentials that need a call to renew (an
 * assumed role) reach it through a struct aws_credentials_source that the
 * layer above implements.
 *
 * Thread-safe: any number of threads may make calls at once.
 */
#ifndef LSMS_AWS_ENGINE_H
#define LSMS_AWS_ENGINE_H

#include "aws/clock.h"
#include "aws/credentials.h"
#include "aws/endpoints.h"
#include "aws/error.h"
#include "aws/http.h"
#include "aws/message.h"

struct aws_client;

/* Where a client's calls get their credentials when they are not fixed. */
struct aws_credentials_source {
    /* Fills `out` (zeroed) with the credentials for the next attempt; may
     * make calls through `c` itself. 0, or -1 with err. */
    int (*get)(void *ctx, struct aws_client *c, struct aws_credentials *out,
               struct aws_error *err);
    /* Frees ctx (wiping its secrets) when the client is destroyed. */
    void (*destroy)(void *ctx);
    void *ctx;
};

/* Everything is borrowed for the duration of aws_client_create only, except
 * `transport` and `clock` (see below). */
struct aws_engine_config {
    const char *region;                         /* required */
    const struct aws_endpoint_overrides *endpoints; /* NULL: none */
    /* The credentials of every call until a source is set (copied). */
    const struct aws_credentials *credentials;
    int max_retries;       /* negative: AWS_RETRY_DEFAULT_MAX_RETRIES */
    int s3_use_path_style; /* see aws/protocol_s3.h */
    struct aws_http_options http; /* for the libcurl transport (its stop is the client's) */
    /* Tests: a scripted transport (the client takes ownership, also when
     * creation fails) and a fake clock (borrowed, must outlive the client).
     * NULL: libcurl and the system clock. */
    struct aws_transport *transport;
    const struct aws_clock *clock;
};

/* A client that signs with cfg->credentials. NULL with err on failure. The
 * caller destroys it. */
struct aws_client *aws_client_create(const struct aws_engine_config *cfg, struct aws_error *err);

/* Wipes the credentials and frees everything, the credentials source
 * included. In-flight calls must be over. NULL is accepted. */
void aws_client_destroy(struct aws_client *c);

/* From now on every attempt takes its credentials from `src` (the client
 * takes ownership of src.ctx). Call before the client is shared. */
void aws_client_set_credentials_source(struct aws_client *c, struct aws_credentials_source src);

/* Records the account id (copied). 0, or -1 when memory ran out. */
int aws_client_set_account_id(struct aws_client *c, const char *account_id);

/* Sets the stop flag (StopProvider): transfers abort, sleeps and waiters
 * return AWS_ERR_CANCELLED, new calls fail at once. Safe from any thread. */
void aws_client_stop(struct aws_client *c);
/* The stop flag, for waiters and callers that poll it. Borrowed. */
struct aws_stop *aws_client_stop_flag(struct aws_client *c);
const struct aws_clock *aws_client_clock(const struct aws_client *c);

/* The region and account id ("" when not learnt). Borrowed. */
const char *aws_client_region(const struct aws_client *c);
const char *aws_client_account_id(const struct aws_client *c);

/* The provider's s3_use_path_style (aws/protocol_s3.h says how it is used). */
int aws_client_s3_use_path_style(const struct aws_client *c);

/* The endpoint of `service` in `region` (NULL: the client's region) with the
 * client's endpoint overrides, as aws_endpoint_resolve. `out` is zeroed by
 * the caller, who cleans it up. 0 or -1 with err. */
int aws_client_endpoint_resolve(const struct aws_client *c, const char *service,
                                const char *region, struct aws_endpoint *out,
                                struct aws_error *err);

/* A copy of the credentials the next call would sign with (from the source,
 * which may renew them). The caller cleans `out` up. 0 or -1 with err. */
int aws_client_credentials_get(struct aws_client *c, struct aws_credentials *out,
                               struct aws_error *err);

/* How one call is sent; set by the protocol codecs. */
struct aws_call {
    const char *service;   /* service key, "mediastore" */
    const char *operation; /* for logs: "DescribeContainer" */
    /* Use this URL instead of the service endpoint (MediaStore data plane's
     * per-container endpoint, an S3 bucket's). Signed for the service's
     * signing name. */
    const char *endpoint;
    /* The region the endpoint is resolved for and the request signed for;
     * NULL: the client's (an S3 bucket in another region sets it). */
    const char *region;
    int unsigned_payload; /* sign with UNSIGNED-PAYLOAD */
    /* S3's SigV4 rules (sigv4_params.s3): the path is signed as sent, and
     * x-amz-content-sha256 is always sent and signed. */
    int s3;
    /* Fills err (code, message, request id) from a non-2xx answer. */
    void (*parse_error)(const struct aws_response *resp, struct aws_error *err);
    /* Sign with these instead of the client's (borrowed): STS AssumeRole
     * signs with the credentials the role is assumed from. */
    const struct aws_credentials *credentials;
};

/*
 * Resolves the endpoint, signs with SigV4 and sends `req` (method, path
 * relative to the endpoint, query, headers, body set by the codec),
 * retrying per aws/retry.h with the request re-signed each attempt. Each
 * attempt is logged at debug (service, operation, attempt, status,
 * duration, request id; never credentials). On a 2xx answer returns 0 with
 * `resp` filled; otherwise -1 with err filled (resp holds the last answer).
 */
int aws_client_send(struct aws_client *c, const struct aws_call *call, struct aws_request *req,
                    struct aws_response *resp, struct aws_error *err);

/* The request id of an answer from the usual headers, or NULL. Borrowed. */
const char *aws_response_request_id(const struct aws_response *resp);

#endif
