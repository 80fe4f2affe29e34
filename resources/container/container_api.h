/*
 * container_api.h - the AWS calls behind lsms_container: MediaStore control
 * plane (json 1.1), the MediaStore data plane of one container (emptying it
 * before deletion), the IAM role MediaStore needs to write access logs, and
 * a small runner that sends independent calls concurrently.
 *
 * Every function returns 0, or -1 with `err` filled (the AWS error, or one
 * of aws/error.h's own codes). The client is borrowed and thread-safe.
 */
#ifndef LSMS_RESOURCES_CONTAINER_API_H
#define LSMS_RESOURCES_CONTAINER_API_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "aws/client.h"
#include "aws/error.h"

/* The IAM role MediaStore assumes to write access logs to CloudWatch Logs
 * (https://docs.aws.amazon.com/mediastore/latest/ug/monitoring-cloudwatch-permissions.html). */
#define CONTAINER_LOGGING_ROLE_NAME "MediaStoreAccessLogs"

/* ---- MediaStore control plane ---- */

/* Calls MediaStore operation `op` ("DescribeContainer") with `input`
 * (borrowed; NULL sends {}). On success *out (may be NULL when the answer is
 * not wanted) is owned by the caller. */
int container_api_call(struct aws_client *c, const char *op, const cJSON *input, cJSON **out,
                       struct aws_error *err);

/* Calls `op` with {"ContainerName": name} plus, when `member` is non-NULL, the
 * string member `member` = `value` (borrowed). */
int container_api_call_named(struct aws_client *c, const char *op, const char *name,
                             const char *member, const char *value, cJSON **out,
                             struct aws_error *err);

/* True when err says the container does not exist (AWS answers
 * ContainerNotFoundException; moto's own ResourceNotFoundException too). */
bool container_api_is_not_found(const struct aws_error *err);

/* ---- the logging role (IAM query protocol) ---- */

/* Creates CONTAINER_LOGGING_ROLE_NAME, trusted by mediastore.amazonaws.com
 * with the CloudWatch Logs permissions of the MediaStore user guide, when it
 * does not exist. An existing role is left exactly as it is. *created tells
 * whether this call created it. */
int container_logging_role_ensure(struct aws_client *c, bool *created, struct aws_error *err);

/* ---- data plane ---- */

/* Deletes every object of the container whose data endpoint is `endpoint`
 * (borrowed URL), walking folders with ListItems (all pages) and deleting
 * OBJECT items; folders vanish with their last object. *deleted (may be
 * NULL) counts the objects deleted. */
int container_objects_delete_all(struct aws_client *c, const char *endpoint, long *deleted,
                                 struct aws_error *err);

#endif
