/*
 * client.h - one AWS client per configured provider: region, credentials,
 * endpoints, transport, retries and the stop flag.
 *
 * Thread-safe: any number of threads may make calls at once. Resources use
 * the one-call helpers of the protocol headers (aws/protocol_json.h,
 * protocol_rest_json.h, protocol_query.h, protocol_rest_xml.h, protocol_s3.h) and
 * aws/waiter.h; aws_client_send below is the engine those helpers share.
 */
#ifndef LSMS_AWS_CLIENT_H
#define LSMS_AWS_CLIENT_H

#include "aws/clock.h"
#include "aws/credentials.h"
#include "aws/endpoints.h"
#include "aws/error.h"
#include "aws/http.h"
#include "aws/message.h"

struct aws_client;

struct aws_assume_role_config {
    const char *role_arn;     /* NULL or "": no role is assumed */
    const char *session_name; /* NULL: "terraform-provider-lsms" */
    const char *external_id;  /* optional */
    int duration_seconds;     /* 0: 3600 */
};

/* Everything is borrowed for the duration of aws_client_new only, except
 * `transport` and `clock` (see below). */
struct aws_client_config {
    /* NULL: AWS_REGION, AWS_DEFAULT_REGION, then the profile's region. */
    const char *region;
    struct aws_credentials_config credentials;
    struct aws_endpoint_overrides endpoints;
    struct aws_assume_role_config assume_role;
    /* Retries after the first attempt. The provider passes its max_retries
     * (default AWS_RETRY_DEFAULT_MAX_RETRIES); negative means that default. */
    int max_retries;
    int insecure;                    /* skip TLS verification */
    int skip_credentials_validation; /* no STS GetCallerIdentity check */
    int skip_requesting_account_id;  /* no account id lookup */
    /* S3 buckets addressed path-style (<endpoint>/<bucket>/<key>) even on
     * the AWS endpoint; see aws/protocol_s3.h. */
    int s3_use_path_style;
    long connect_timeout_ms;         /* 0: 10 s */
    long timeout_ms;                 /* per attempt; 0: 120 s */
    /* Tests: a scripted transport (the client takes ownership and destroys
     * it) and a fake clock (borrowed, must outlive the client). NULL: libcurl
     * and the system clock. */
    struct aws_transport *transport;
    const struct aws_clock *clock;
};

/*
 * Creates a client: resolves region and credentials, assumes the role when
 * configured, then (unless skipped) validates the credentials and learns
 * the account id with STS GetCallerIdentity. Returns NULL with err filled on
 * failure (credentials errors carry the AWS code, e.g. InvalidClientTokenId
 * or SignatureDoesNotMatch). The caller destroys the client.
 */
struct aws_client *aws_client_new(const struct aws_client_config *cfg, struct aws_error *err);

/* Wipes the credentials and frees everything. In-flight calls must be over. */
void aws_client_destroy(struct aws_client *c);

/* Sets the stop flag (StopProvider): transfers abort, sleeps and waiters
 * return AWS_ERR_CANCELLED, new calls fail at once. Safe from any thread. */
void aws_client_stop(struct aws_client *c);
/* The stop flag, for waiters and callers that poll it. Borrowed. */
struct aws_stop *aws_client_stop_flag(struct aws_client *c);
const struct aws_clock *aws_client_clock(const struct aws_client *c);

/* The resolved region and account id ("" when not requested). Borrowed. */
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

/* A copy of the current credentials (refreshing an assumed role when it
 * expires within 5 minutes). The caller cleans `out` up. 0 or -1 with err. */
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
    int use_base_credentials; /* internal: STS AssumeRole itself */
};

/*
 * The engine: resolves the endpoint, signs with SigV4 and sends `req`
 * (method, path relative to the endpoint, query, headers, body set by the
 * codec), retrying per aws/retry.h with the request re-signed each attempt.
 * Each attempt is logged at debug (service, operation, attempt, status,
 * duration, request id; never credentials). On a 2xx answer returns 0 with
 * `resp` filled; otherwise -1 with err filled (resp holds the last answer).
 */
int aws_client_send(struct aws_client *c, const struct aws_call *call, struct aws_request *req,
                    struct aws_response *resp, struct aws_error *err);

/* The request id of an answer from the usual headers, or NULL. Borrowed. */
const char *aws_response_request_id(const struct aws_response *resp);

#endif
