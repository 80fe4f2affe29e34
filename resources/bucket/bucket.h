/*
 * bucket.h - lsms_bucket's parts, for one another: the resource
 * (bucket.c) and what it offers beyond its CRUD:
 *   bucket_identity.c  identity {name, region, account_id}, import by
 *                      identity, the generated configuration
 *   bucket_list.c      list resource: the region's buckets
 *   bucket_data.c      data source lsms_bucket
 * The S3 calls are bucket_api.c, the XML documents bucket_xml.c.
 */
#ifndef LSMS_RESOURCES_BUCKET_BUCKET_H
#define LSMS_RESOURCES_BUCKET_BUCKET_H

#include <stdbool.h>

#include "aws/client.h"
#include "framework/resource.h"

extern const struct lsms_resource lsms_bucket_resource;
extern const struct resource_identity bucket_identity;
extern const struct resource_list bucket_list;
extern const struct lsms_data_source lsms_bucket_data_source;

/* The resource's import by name (validated as lsms_bucket accepts names). */
enum resource_result bucket_import(struct resource_ctx *ctx, const char *id,
                                   struct cty_value *state);

/* The region of bucket `name` (HeadBucket, following a 301 to the
 * bucket's region): *region malloc'd; *gone (and 0) when there is no such
 * bucket; -1 with a diagnostic otherwise. */
int bucket_read_region(struct resource_ctx *ctx, struct aws_client *c, const char *name,
                       char **region, bool *gone);

/* GenerateResourceConfig hook (resource.h). */
void bucket_generate_config(const struct cty_value *state, struct cty_value *config);

#endif
