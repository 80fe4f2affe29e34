/*
 * player.h - lsms_player's parts, for one another: the resource (player.c)
 * and what it offers beyond its CRUD:
 *   player_identity.c  identity {bucket | container_endpoint, prefix, region,
 *                      account_id}, import by identity
 *   player_list.c      list resource: the players written in a bucket
 * The objects are built by player_page.c, the calls made by player_api.c.
 */
#ifndef LSMS_RESOURCES_PLAYER_PLAYER_H
#define LSMS_RESOURCES_PLAYER_PLAYER_H

#include "framework/resource.h"

extern const struct lsms_resource lsms_player_resource;
extern const struct resource_identity player_identity;
extern const struct resource_list player_list;

/* The resource's import by id: "s3://<bucket>/<prefix>" or
 * "<container endpoint>#<prefix>"; read fills in the rest from the page. */
enum resource_result player_import(struct resource_ctx *ctx, const char *id,
                                   struct cty_value *state);

#endif
