/*
 * channel.h - lsms_channel's parts, for one another: the resource
 * (channel.c) and what it offers beyond its CRUD, each in its own file:
 *   channel_identity.c   identity {id, region, account_id}, import by identity
 *   channel_list.c       list resource (terraform query): the region's channels
 *   channel_data.c       data source lsms_channel: a channel by id or name
 *   channel_actions.c    actions lsms_channel_start and lsms_channel_stop
 *   channel_functions.c  functions push_target and test_card_command
 * The AWS calls are channel_api.c (and channel_role.c), the request bodies
 * channel_settings.c, the answers-to-state mapping channel_state.c.
 */
#ifndef LSMS_RESOURCES_CHANNEL_CHANNEL_H
#define LSMS_RESOURCES_CHANNEL_CHANNEL_H

#include <stdbool.h>

#include "framework/resource.h"

extern const struct lsms_resource lsms_channel_resource;
extern const struct resource_identity channel_identity;
extern const struct resource_list channel_list;
extern const struct lsms_data_source lsms_channel_data_source;
extern const struct lsms_action lsms_channel_start_action;
extern const struct lsms_action lsms_channel_stop_action;
extern const struct lsms_function lsms_push_target_function;
extern const struct lsms_function lsms_test_card_command_function;

/* The resource's import by channel id: `state` (a null object of the
 * schema) gets the id that read then finds the channel by. */
enum resource_result channel_import(struct resource_ctx *ctx, const char *id,
                                    struct cty_value *state);

/* The resource's read of the channel in `state` (its id set, as import
 * leaves it), without fetching the pull password: for the data source.
 * *gone when no such channel exists. */
enum resource_result channel_lookup(struct resource_ctx *ctx, struct cty_value *state, bool *gone);

#endif
