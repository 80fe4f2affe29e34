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

/* The one place the channel writes to, which the managed role may write
 * to and nothing else. Exactly one of container_arn / bucket is set. */
struct channel_role_destination {
    /* MediaStore: the container's ARN (ListContainers, matched by endpoint). */
    const char *container_arn;
    /* S3: the bucket name. */
    const char *bucket;
    /* The HLS base path ("stream/index"): S3 access is limited to its folder
     * ("stream/"), which holds both pipelines' files. */
    const char *stream_path;
};

/*
 * The inline policy of the managed role (JSON text, malloc'd or NULL when an
 * argument is missing): for MediaStore, the data-plane object operations on
 * the one container (its ARN, and "container/<name>/" followed by a
 * wildcard for its folders and objects: the object and folder ARN forms of
 * the IAM service authorization reference); for S3, s3:PutObject,
 * s3:GetObject and s3:DeleteObject (MediaLive deletes the segments past
 * KeepSegments) on "arn:<partition>:s3:::<bucket>/<folder>/" + wildcard and
 * s3:ListBucket on the bucket with the condition s3:prefix = the same folder
 * and wildcard; CloudWatch Logs for the
 * ElementalMediaLive log group, and reading the channel's own pull-password
 * parameter. partition and account_id come from the role's ARN.
 */
char *channel_role_policy_new(const char *partition, const char *region, const char *account_id,
                              const char *channel_name,
                              const struct channel_role_destination *dest);

/* The trust policy: medialive.amazonaws.com may assume the role. Static. */
const char *channel_role_trust_policy(void);

/*
 * Creates the managed role with its trust policy, `tags` (cJSON object of
 * strings, may be NULL) and the inline policy for `region` and `dest`. On
 * success *arn_out is the role ARN (malloc'd). When the policy cannot be
 * attached the role is deleted again, so failure leaves nothing behind.
 */
int channel_role_create(struct aws_client *c, const char *channel_name, const char *region,
                        const cJSON *tags, const struct channel_role_destination *dest,
                        char **arn_out, struct aws_error *err);

/* Replaces the inline policy of the managed role `role_arn` with the one for
 * `dest` (the destination changed). */
int channel_role_update_policy(struct aws_client *c, const char *channel_name,
                               const char *role_arn, const char *region,
                               const struct channel_role_destination *dest,
                               struct aws_error *err);

/* Deletes the inline policy, then the role; either already gone is fine. */
int channel_role_delete(struct aws_client *c, const char *channel_name, struct aws_error *err);

/* Whether the managed role of `channel_name` exists (GetRole): *exists is
 * set and 0 returned, or -1 with `err`. */
int channel_role_exists(struct aws_client *c, const char *channel_name, bool *exists,
                        struct aws_error *err);

#endif
