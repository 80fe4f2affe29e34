/*
 * container.h - lsms_container's parts, for one another: the resource
 * (container.c) and what it offers beyond its CRUD:
 *   container_identity.c  identity {name, region, account_id}, import by identity
 *   container_list.c      list resource: the region's containers
 *   container_data.c      data source lsms_container
 * The AWS calls are container_api.c, the policy documents container_policy.c.
 */
#ifndef LSMS_RESOURCES_CONTAINER_CONTAINER_H
#define LSMS_RESOURCES_CONTAINER_CONTAINER_H

#include "framework/resource.h"

/* AWS ended MediaStore; the resource keeps working where a MediaStore API
 * still answers (the emulator, existing stacks being migrated). */
#define CONTAINER_DEPRECATION                                                                  \
    "AWS Elemental MediaStore was discontinued on November 13, 2025. Use an S3 origin: "       \
    "`lsms_bucket`, with `lsms_channel.destination_bucket`, `lsms_distribution.origin_bucket` " \
    "and `lsms_dashboard.bucket_name`."

extern const struct lsms_resource lsms_container_resource;
extern const struct resource_identity container_identity;
extern const struct resource_list container_list;
extern const struct lsms_data_source lsms_container_data_source;

/* The resource's import by name. */
enum resource_result container_import(struct resource_ctx *ctx, const char *id,
                                      struct cty_value *state);

#endif
