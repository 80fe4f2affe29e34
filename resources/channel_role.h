/*
 * channel_role.h - what lsms_channel manages beside MediaLive: the IAM role
 * MediaLive assumes (when role_arn is not given) and the names of the role
 * and of the SSM parameter holding a pull password.
 *
 * The names are derived from the channel name only, so delete and import
 * find them again without storing them in state.
 */
#ifndef LSMS_RESOURCES_CHANNEL_ROLE_H
#define LSMS_RESOURCES_CHANNEL_ROLE_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "aws/client.h"
#include "aws/error.h"

/* Name of the managed role: "lsms-ml-<channel name>", shortened to IAM's 64
 * characters with a hash of the full name when longer. malloc'd or NULL. */
char *channel_role_name_new(const char *channel_name);

/* True when role_arn is the managed role of this channel (".../role/<name>"
 * with the name of channel_role_name_new). */
bool channel_role_is_managed(const char *role_arn, const char *channel_name);

/* The SSM parameter of the pull password: "/lsms/channel/<channel name>/pull-password".
 * malloc'd or NULL. */
char *channel_role_parameter_name_new(const char *channel_name);

/*
 * The inline policy of the managed role (JSON text, malloc'd or NULL):
 * MediaStore object operations on the account's containers in `region`
 * (MediaLive is given only the container's data endpoint, whose host does
 * not contain the container name, so the resource is container/<any>),
 * CloudWatch Logs for the ElementalMediaLive log group, and reading the
 * channel's own pull-password parameter. partition and account_id come from
 * the role's ARN.
 */
char *channel_role_policy_new(const char *partition, const char *region, const char *account_id,
                              const char *channel_name);

/* The trust policy: medialive.amazonaws.com may assume the role. Static. */
const char *channel_role_trust_policy(void);

/*
 * Creates the managed role with its trust policy, `tags` (cJSON object of
 * strings, may be NULL) and the inline policy for `region`. On success
 * *arn_out is the role ARN (malloc'd). When the policy cannot be attached
 * the role is deleted again, so failure leaves nothing behind.
 */
int channel_role_create(struct aws_client *c, const char *channel_name, const char *region,
                        const cJSON *tags, char **arn_out, struct aws_error *err);

/* Deletes the inline policy, then the role; either already gone is fine. */
int channel_role_delete(struct aws_client *c, const char *channel_name, struct aws_error *err);

#endif
