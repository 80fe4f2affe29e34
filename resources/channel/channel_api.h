/*
 * channel_api.h - the AWS calls of lsms_channel: MediaLive objects by id
 * (channels, inputs, input security groups), their state waiters and tags,
 * and the SSM parameter holding a pull password.
 *
 * Every function takes the provider's client, fills `err` on failure and
 * returns 0 or -1. JSON answers (*out) are owned by the caller (cJSON_Delete).
 * "Not found" means HTTP 404 NotFoundException for MediaLive and
 * ParameterNotFound for SSM; deletes treat it as success.
 */
#ifndef LSMS_RESOURCES_CHANNEL_API_H
#define LSMS_RESOURCES_CHANNEL_API_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "aws/client.h"
#include "aws/error.h"

/* The MediaLive collections lsms_channel uses, addressed under /prod/. */
enum channel_api_kind {
    CHANNEL_API_CHANNEL,        /* /prod/channels */
    CHANNEL_API_INPUT,          /* /prod/inputs */
    CHANNEL_API_SECURITY_GROUP, /* /prod/inputSecurityGroups */
};

/* The state a waiter target "GONE" stands for: 404, or state DELETED
 * (MediaLive keeps deleted channels and inputs listed as DELETED). */
#define CHANNEL_API_GONE "GONE"

/* True when err is MediaLive's 404 (NotFoundException). */
bool channel_api_not_found(const struct aws_error *err);

/* POST /prod/<collection> with `body` (Create*). *out is the answer. */
int channel_api_create(struct aws_client *c, enum channel_api_kind kind, const cJSON *body,
                       cJSON **out, struct aws_error *err);

/* GET /prod/<collection>/<id> (Describe*). */
int channel_api_describe(struct aws_client *c, enum channel_api_kind kind, const char *id,
                         cJSON **out, struct aws_error *err);

/* PUT /prod/<collection>/<id> with `body` (Update*). *out may be NULL. */
int channel_api_update(struct aws_client *c, enum channel_api_kind kind, const char *id,
                       const cJSON *body, cJSON **out, struct aws_error *err);

/* DELETE /prod/<collection>/<id>; an object already gone counts as deleted. */
int channel_api_delete(struct aws_client *c, enum channel_api_kind kind, const char *id,
                       struct aws_error *err);

/* One page of List* (ListChannels, ListInputs, ListInputSecurityGroups):
 * GET /prod/<collection>?maxResults=<page_size>[&nextToken=<token>]. *out is
 * the answer ({"channels": [...], "nextToken": ...}); `token` NULL for the
 * first page. */
int channel_api_list(struct aws_client *c, enum channel_api_kind kind, const char *token,
                     int page_size, cJSON **out, struct aws_error *err);

/* POST /prod/channels/<id>/start or /stop (`action` "start" | "stop"). */
int channel_api_channel_action(struct aws_client *c, const char *id, const char *action,
                               struct aws_error *err);

/* PUT /prod/channels/<id>/channelClass (UpdateChannelClass) with `body`
 * (channel_settings_class_body_new). */
int channel_api_channel_class(struct aws_client *c, const char *id, const cJSON *body,
                              struct aws_error *err);

/* MediaStore ListContainers, every page: *containers is a cJSON array of
 * the region's containers ({"Name", "ARN", "Endpoint", ...}). */
int channel_api_containers_list(struct aws_client *c, cJSON **containers, struct aws_error *err);

/*
 * Polls Describe* until the object's `state` is one of `targets` (NULL-
 * terminated; CHANNEL_API_GONE matches 404 and DELETED), failing at once on
 * CREATE_FAILED / UPDATE_FAILED, on a 404 that is not a target, or after
 * timeout_ms. `what` names the wait in messages ("channel RUNNING"). The
 * last answer is left in *last when last is non-NULL (NULL when gone).
 */
int channel_api_wait(struct aws_client *c, enum channel_api_kind kind, const char *id,
                     const char *const *targets, uint64_t timeout_ms, const char *what,
                     cJSON **last, struct aws_error *err);

/* Called by channel_api_wait_seen after each Describe with the object's
 * state ("" when the answer has none; CHANNEL_API_GONE for a 404). A
 * non-zero return ends the wait at once with AWS_ERR_CANCELLED; a
 * `refuse` text (set through *refuse, static or owned by the callback's
 * argument) ends it as failed with that reason. */
typedef int (*channel_api_seen_fn)(void *arg, const char *state, const char **refuse);

/* channel_api_wait, calling `seen` (may be NULL) after every poll. */
int channel_api_wait_seen(struct aws_client *c, enum channel_api_kind kind, const char *id,
                          const char *const *targets, uint64_t timeout_ms, const char *what,
                          channel_api_seen_fn seen, void *arg, cJSON **last,
                          struct aws_error *err);

/*
 * Makes the tags of the MediaLive resource `arn` equal `want` (a cJSON
 * object of strings, may be NULL for none) given its current tags `have`
 * (same form): CreateTags for new or changed values, DeleteTags for keys no
 * longer wanted; no call when they already match.
 */
int channel_api_tags_sync(struct aws_client *c, const char *arn, const cJSON *have,
                          const cJSON *want, struct aws_error *err);

/* SSM PutParameter of a SecureString, overwriting any previous value. The
 * value is never logged nor put into err. */
int channel_api_parameter_put(struct aws_client *c, const char *name, const char *value,
                              struct aws_error *err);

/* SSM GetParameter with decryption; *value_out is malloc'd (caller wipes and
 * frees it). With value_out NULL, whether the parameter exists: asked
 * without decryption, so the password is not fetched. */
int channel_api_parameter_get(struct aws_client *c, const char *name, char **value_out,
                              struct aws_error *err);

/* SSM DeleteParameter; a parameter already gone counts as deleted. */
int channel_api_parameter_delete(struct aws_client *c, const char *name, struct aws_error *err);

#endif
