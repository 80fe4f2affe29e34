/*
 * endpoints.h - per-service facts (signing name, protocol version) and the
 * endpoint URL for a service in a region.
 *
 * Service keys are the names of the provider's `endpoints` block:
 * cloudfront, cloudwatch, iam, logs, medialive, mediastore, s3, ssm, sts.
 *
 * Resolution order for the URL (first set wins):
 *   1. the provider's endpoints block entry for the service;
 *   2. AWS_ENDPOINT_URL_<SERVICE> (CLOUDFRONT, CLOUDWATCH, IAM, LOGS or
 *      CLOUDWATCH_LOGS, MEDIALIVE, MEDIASTORE, S3, SSM, STS);
 *   3. AWS_ENDPOINT_URL;
 *   4. the AWS default: https://<prefix>.<region>.amazonaws.com, or the
 *      global endpoint for cloudfront and iam (signed for us-east-1). S3's
 *      default is regional in every region, us-east-1 included
 *      (https://s3.us-east-1.amazonaws.com), never the legacy global
 *      s3.amazonaws.com, so a bucket's region is always the signing region.
 */
#ifndef LSMS_AWS_ENDPOINTS_H
#define LSMS_AWS_ENDPOINTS_H

#include "aws/error.h"

struct aws_service_info {
    const char *key;            /* "cloudwatch" */
    const char *signing_name;   /* "monitoring" */
    const char *endpoint_prefix;/* "monitoring" */
    const char *env_suffix;     /* "CLOUDWATCH" for AWS_ENDPOINT_URL_CLOUDWATCH */
    const char *global_host;    /* "cloudfront.amazonaws.com", NULL when regional */
    const char *json_version;   /* "1.0"/"1.1" for JSON protocols, else NULL */
    const char *api_version;    /* query Version= / rest-xml path date */
};

/* Static facts for a service key, or NULL when unknown. */
const struct aws_service_info *aws_service_find(const char *key);

/* The provider's endpoints block; NULL or "" members mean unset. Borrowed. */
struct aws_endpoint_overrides {
    const char *cloudfront;
    const char *cloudwatch;
    const char *iam;
    const char *logs;
    const char *medialive;
    const char *mediastore;
    const char *ssm;
    const char *sts;
    const char *s3; /* last, so positional initialisers written before it stay valid */
};

struct aws_endpoint {
    char *url;            /* owned; "https://monitoring.us-east-1.amazonaws.com" */
    char *signing_region; /* owned; "us-east-1" for global services */
    const char *signing_name; /* static */
    /* 1 when the URL came from the endpoints block or the environment (1-3
     * above), 0 for the AWS default. S3 addresses buckets path-style on an
     * overridden endpoint (protocol_s3.h). */
    int overridden;
};

/*
 * Resolves the endpoint of `service_key` in `region` into `out` (zeroed by
 * the caller). 0, or -1 with err (AWS_ERR_CONFIG for an unknown service or
 * missing region, AWS_ERR_NO_MEMORY).
 */
int aws_endpoint_resolve(const char *service_key, const char *region,
                         const struct aws_endpoint_overrides *overrides, struct aws_endpoint *out,
                         struct aws_error *err);
void aws_endpoint_clean_up(struct aws_endpoint *e);

/* The ARN partition of `region`: "aws-cn" for the China regions (cn-*),
 * "aws-us-gov" for GovCloud (us-gov-*), else "aws". Static text. */
const char *aws_region_partition(const char *region);

#endif
