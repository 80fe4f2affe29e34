/*
 * client.h - one AWS client per configured provider: region, credentials
 * (the chain, then an assumed role renewed before it expires), endpoints,
 * transport, retries and the stop flag.
 *
 * This is the top of provider/aws (engine.h lists the layers): it
 * configures an engine and, for an assumed role, gives it a credentials
 * source that calls STS. Resources use the one-call helpers of the protocol
 * headers (aws/protocol_json.h, protocol_rest_json.h, protocol_query.h,
 * protocol_rest_xml.h, protocol_s3.h) and aws/waiter.h with the client this
 * makes; the functions every layer uses on a client are in aws/engine.h.
 */
#ifndef LSMS_AWS_CLIENT_H
#define LSMS_AWS_CLIENT_H

#include "aws/engine.h"
#include "aws/sts.h"

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
 * or SignatureDoesNotMatch). The caller destroys the client
 * (aws_client_destroy).
 */
struct aws_client *aws_client_new(const struct aws_client_config *cfg, struct aws_error *err);

#endif
