/*
 * channel_state.h - lsms_channel's state from MediaLive's answers: the
 * channel (DescribeChannel), its input (DescribeInput) and the input's
 * security group (DescribeInputSecurityGroup), and the `renditions` value of
 * an encoding profile.
 *
 * Each function sets attributes of `state` (a known object of the schema
 * type) from a borrowed cJSON answer and returns 0, or -1 when memory runs
 * out. Values the user wrote in a form AWS does not return verbatim
 * (container_endpoint, the order of input_cidr, tags beside the default
 * tags) are kept as they are when they still describe what AWS reports.
 */
#ifndef LSMS_RESOURCES_CHANNEL_STATE_H
#define LSMS_RESOURCES_CHANNEL_STATE_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "framework/cty.h"
#include "resources/ladder.h"
#include "resources/provider.h"

/* The profile whose rungs the encoderSettings' videoDescriptions are (same
 * count, names, sizes and bitrates), or NULL when they are no profile's. */
const struct ladder_profile *channel_state_profile_of(const cJSON *encoder_settings);

/* The `renditions` list of a profile, of the attribute's type `list_type`
 * (borrowed). NULL when out of memory. */
struct cty_value *channel_state_renditions_new(struct cty_type *list_type,
                                               const struct ladder_profile *profile);

/*
 * name, arn, state, channel_class, role_arn, input_id, container_endpoint or
 * destination_bucket, stream_path, encoding_profile, renditions,
 * channel_start, tags, tags_all from a DescribeChannel answer. pd gives the
 * default tags.
 *
 * The destination is pipeline 0's URL. s3ssl://<bucket>/<path> gives
 * destination_bucket and stream_path. mediastoressl://<rest> keeps
 * state's container_endpoint when <rest> starts with it; otherwise (import,
 * drift) the container of `containers` (a ListContainers array, may be NULL)
 * whose Endpoint <rest> starts with gives container_endpoint exactly as AWS
 * spells it and stream_path the remainder, so that endpoints with a port and
 * a path (emulators, custom endpoints) read back as create stored them; with
 * no such container, the host is the endpoint ("https://<host>").
 *
 * A channel without an input attachment (left so by a class change that was
 * interrupted) keeps state's input_id, so that delete still finds the input,
 * and reads channel_class as null, so that the next plan repairs it.
 */
int channel_state_from_channel(struct cty_value *state, const cJSON *channel,
                               const struct lsms_provider_data *pd, const cJSON *containers);

/* True when the channel writes to MediaStore and state's container_endpoint
 * does not describe its URL (import, drift): the caller then lists the
 * region's containers for channel_state_from_channel. */
bool channel_state_needs_containers(const struct cty_value *state, const cJSON *channel);

/* The container of `containers` (a ListContainers array) whose Endpoint is
 * `endpoint`, compared without scheme and trailing slashes; NULL when none
 * is. Borrowed from containers. */
const cJSON *channel_state_container_for_endpoint(const cJSON *containers, const char *endpoint);

/* input_type, input_security_group_id, input_endpoints (every destination,
 * two for a standard-class push input), pull_url, pull_user, input_device_id
 * and, for a standard-class input, pull_url_pipeline1 (null when pipeline 1
 * pulls the same URL, unless state names it) and input_device_id_pipeline1
 * from a DescribeInput answer. */
int channel_state_from_input(struct cty_value *state, const cJSON *input);

/* input_cidr from a DescribeInputSecurityGroup answer (NULL: no group, the
 * attribute becomes null). */
int channel_state_from_security_group(struct cty_value *state, const cJSON *group);

/* The passwordParam of the input's first source, or NULL. Borrowed. */
const char *channel_state_password_param(const cJSON *input);

#endif
