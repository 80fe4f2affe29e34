/*
 * distribution.h - lsms_distribution's parts, for one another: the
 * resource (distribution.c) and what it offers beyond its CRUD:
 *   distribution_identity.c   identity {id, account_id}, import by identity
 *   distribution_list.c       list resource: the account's stream distributions
 *   distribution_data.c       data source lsms_distribution
 *   distribution_actions.c    action lsms_distribution_invalidate
 *   distribution_functions.c  function playback_url
 * The DistributionConfig document is distribution_config.c, the S3 origin's
 * OAC and bucket policy distribution_s3.c and distribution_grant.c.
 */
#ifndef LSMS_RESOURCES_DISTRIBUTION_DISTRIBUTION_H
#define LSMS_RESOURCES_DISTRIBUTION_DISTRIBUTION_H

#include <stdbool.h>

#include "aws/client.h"
#include "aws/error.h"
#include "framework/resource.h"

extern const struct lsms_resource lsms_distribution_resource;
extern const struct resource_identity distribution_identity;
extern const struct resource_list distribution_list;
extern const struct lsms_data_source lsms_distribution_data_source;
extern const struct lsms_action lsms_distribution_invalidate_action;
extern const struct lsms_function lsms_playback_url_function;

/* The resource's import by distribution id (settings CloudFront does not
 * hold get their defaults). */
enum resource_result distribution_import(struct resource_ctx *ctx, const char *id,
                                         struct cty_value *state);

/* The resource's read of the distribution in `state` (id set), without the
 * bucket policy (grant_bucket_read is left as it is) and with the OAC the
 * config names: for the data source. *gone when there is no such
 * distribution. */
enum resource_result distribution_lookup(struct resource_ctx *ctx, struct cty_value *state,
                                         bool *gone);

/* ListTagsForResource of a distribution ARN as a map(string), owned by the
 * caller; NULL with err on failure. */
struct cty_value *distribution_tags_list(struct aws_client *c, const char *arn,
                                         struct aws_error *err);

#endif
