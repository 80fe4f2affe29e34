/*
 * channel.c - lsms_channel: an AWS Elemental MediaLive input (with its
 * security group, and an SSM parameter for a pull password), the IAM role
 * MediaLive assumes, and the channel encoding the HLS ladder into the
 * container.
 *
 * The file has two parts: the schema table (the public interface of design
 * §3), then the operations: validate, plan, create/read/update/delete/import.
 * The AWS calls live in channel_api.c and channel_role.c, the request bodies
 * in channel_settings.c and the answers-to-state mapping in channel_state.c.
 */
#include <stdbool.h>
#include <string.h>

#include <stdio.h>
#include <stdlib.h>

#include "aws/waiter.h"
#include "framework/resource.h"
#include "framework/schema.h"
#include "resources/channel/channel.h"
#include "resources/channel/channel_api.h"
#include "resources/channel/channel_role.h"
#include "resources/channel/channel_settings.h"
#include "resources/channel/channel_state.h"
#include "resources/common.h"
#include "resources/provider.h"
#include "util/random.h"

/* ======================= schema ======================= */

static const char *const channel_input_types[] = {"RTP_PUSH", "RTMP_PUSH", "URL_PULL",
                                                  "INPUT_DEVICE", NULL};
static const char *const channel_profiles[] = {"HD-1080p", "HD-720p", "SD-540p", NULL};
static const char *const channel_classes[] = {"SINGLE_PIPELINE", "STANDARD", NULL};
static const char *const channel_pull_schemes[] = {"http", "https", NULL};
/* Real container endpoints are https; http is accepted for local emulators,
 * which serve the MediaStore data plane without TLS. */
static const char *const channel_endpoint_schemes[] = {"https", "http", NULL};

/* destination_bucket: a MediaStore endpoint or any URL gets a message saying
 * what goes where; anything else must be a bucket name S3 and MediaLive
 * accept (the validator lsms_bucket shares). */
static void channel_bucket_check(const struct cty_value *v, const struct attr_path *path,
                                 struct diags *d)
{
    const char *s = cty_value_string(v);
    if (!s)
        return;
    if (strstr(s, ".mediastore.") || (strstr(s, "://") && strstr(s, "mediastore"))) {
        diags_add(d, DIAG_ERROR, path, "Invalid value for \"destination_bucket\"",
                  "\"%s\" is a MediaStore container endpoint, not an S3 bucket: give it as "
                  "container_endpoint instead (destination_bucket takes a bucket name, such as "
                  "lsms_bucket.origin.name).",
                  s);
        return;
    }
    if (strstr(s, "://")) {
        diags_add(d, DIAG_ERROR, path, "Invalid value for \"destination_bucket\"",
                  "\"%s\" is a URL: destination_bucket takes the bucket name alone, such as "
                  "live-stream-origin; the channel writes to s3ssl://<bucket>/<stream_path>.",
                  s);
        return;
    }
    lsms_bucket_name_validate(v, path, d);
}

/* The rung fields of the encoding ladder; filled by the ladder module. */
#define CHANNEL_RENDITIONS_TYPE                                                                \
    "[\"list\",[\"object\",{\"name\":\"string\",\"width\":\"number\",\"height\":\"number\","   \
    "\"bitrate\":\"number\",\"framerate\":\"number\"}]]"

static const struct schema_attribute channel_attrs[] = {
    {.name = "name", .type = "string", .flags = SCHEMA_REQUIRED | SCHEMA_REPLACE,
     .description = "Name of the channel (also used for its input, security group and role). "
                    "Changing it replaces the channel.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_REGEX, .regex = "^[A-Za-z0-9_-]+$",
          .message = "letters, digits, '-' and '_', 1 to 64 characters"},
         {.kind = VALIDATE_LENGTH, .min = 1, .max = 64,
          .message = "letters, digits, '-' and '_', 1 to 64 characters"},
         {0}}},
    {.name = "input_type", .type = "string", .flags = SCHEMA_REQUIRED | SCHEMA_REPLACE,
     .description = "How the source reaches MediaLive: `RTP_PUSH`, `RTMP_PUSH`, `URL_PULL` or "
                    "`INPUT_DEVICE` (AWS Elemental Link). Changing it replaces the channel.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_ONE_OF, .one_of = channel_input_types}, {0}}},
    {.name = "input_cidr", .type = "[\"list\",\"string\"]", .flags = SCHEMA_OPTIONAL,
     .description = "CIDR blocks allowed to push to the input (the input security group). "
                    "Required for `RTP_PUSH` and `RTMP_PUSH`, rejected otherwise.",
     .validators = (const struct schema_validator[]){{.kind = VALIDATE_CIDR}, {0}}},
    {.name = "pull_url", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "HLS source URL (`http` or `https`) for `URL_PULL`; the channel loops it.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_URL, .one_of = channel_pull_schemes}, {0}}},
    {.name = "pull_user", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "User name for a `URL_PULL` source behind basic authentication."},
    {.name = "pull_pass", .type = "string", .flags = SCHEMA_OPTIONAL | SCHEMA_SENSITIVE,
     .description = "Password for a `URL_PULL` source, kept as an SSM SecureString the input "
                    "refers to. It is stored in state; use `pull_pass_wo` to avoid that."},
    {.name = "pull_pass_wo", .type = "string",
     .flags = SCHEMA_OPTIONAL | SCHEMA_SENSITIVE | SCHEMA_WRITE_ONLY,
     .description = "Write-only password for a `URL_PULL` source: never stored in state. "
                    "Change `pull_pass_wo_version` to rotate it. Not with `pull_pass`."},
    {.name = "pull_pass_wo_version", .type = "number", .flags = SCHEMA_OPTIONAL,
     .description = "Any number; changing it stores `pull_pass_wo` again."},
    {.name = "pull_url_pipeline1", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "`URL_PULL` with `channel_class = \"STANDARD\"`: the source pipeline 1 "
                    "pulls (MediaLive's standard-class input has two sources). Defaults to "
                    "`pull_url`, so both pipelines pull the same source; `pull_user` and the "
                    "password apply to both.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_URL, .one_of = channel_pull_schemes}, {0}}},
    {.name = "input_device_id", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "ID of the AWS Elemental Link device for `INPUT_DEVICE` (required for it, "
                    "rejected otherwise)."},
    {.name = "input_device_id_pipeline1", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "`INPUT_DEVICE` with `channel_class = \"STANDARD\"`: the second Link "
                    "device, feeding pipeline 1 (a standard-class device input has two "
                    "devices; required then, rejected otherwise)."},
    {.name = "encoding_profile", .type = "string", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .default_json = "\"HD-720p\"",
     .description = "HLS ladder: `HD-1080p` (1080p to 288p), `HD-720p` (720p to 288p) or "
                    "`SD-540p` (540p to 288p).",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_ONE_OF, .one_of = channel_profiles}, {0}}},
    {.name = "container_endpoint", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "Endpoint of the destination AWS Elemental MediaStore container "
                    "(`lsms_container.endpoint`): an https URL (http is accepted for local "
                    "emulators). MediaLive writes to `mediastoressl://<host>/<stream_path>`. "
                    "Exactly one of `container_endpoint` and `destination_bucket`.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_URL, .one_of = channel_endpoint_schemes}, {0}}},
    {.name = "destination_bucket", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "Name of the destination S3 bucket (`lsms_bucket.name`): MediaLive writes "
                    "the HLS output to `s3ssl://<bucket>/<stream_path>` (HLS S3 CDN settings, no "
                    "canned ACL). S3's bucket naming rules apply, and no dots: MediaLive cannot "
                    "write to dotted buckets. Exactly one of `container_endpoint` and "
                    "`destination_bucket`; moving between them, or to another bucket, updates "
                    "the channel in place (stopping and restarting it when it runs).",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_FUNC, .func = channel_bucket_check}, {0}}},
    {.name = "stream_path", .type = "string", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .default_json = "\"stream/index\"",
     .description = "Path in the container or bucket of the HLS output, without extension (the "
                    "master manifest is `<stream_path>.m3u8`). Pipeline 1 of a `STANDARD` "
                    "channel writes beside it, to `<folder>/pipeline1/<name>` "
                    "(`stream/pipeline1/index` for the default). The managed role may write "
                    "only below the folder of this path.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_REGEX, .regex = "^[A-Za-z0-9_.~-]+(/[A-Za-z0-9_.~-]+)*$",
          .message = "a relative path such as stream/index"},
         {0}}},
    /* In place, unlike aws_medialive_channel's ForceNew: MediaLive's
     * UpdateChannelClass changes an idle channel, after the inputs' class is
     * changed (the user guide's "Changing pipeline redundancy"). */
    {.name = "channel_class", .type = "string", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .default_json = "\"SINGLE_PIPELINE\"",
     .description = "`SINGLE_PIPELINE` or `STANDARD` (two redundant pipelines). A `STANDARD` "
                    "channel has a standard-class input: two push endpoints (RTMP and RTP), two "
                    "pull sources (`pull_url_pipeline1`) or two Link devices "
                    "(`input_device_id_pipeline1`); pipeline 0 writes to `stream_path` and "
                    "pipeline 1 to `<folder>/pipeline1/<name>` in the same container or bucket "
                    "(MediaLive wants the two destinations of an output group to differ). "
                    "Changing it updates the channel in place with MediaLive's "
                    "UpdateChannelClass (the channel is stopped and restarted when it runs).",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_ONE_OF, .one_of = channel_classes}, {0}}},
    {.name = "role_arn", .type = "string",
     .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED | SCHEMA_USE_STATE,
     .description = "IAM role MediaLive assumes. When unset a least-privilege role is created "
                    "and its ARN appears here: it may write only to the destination container "
                    "(MediaStore object actions on that container's ARN) or to the stream's "
                    "folder of the destination bucket (s3:PutObject, s3:GetObject and s3:DeleteObject on "
                    "`<bucket>/<folder>/*`, s3:ListBucket with that s3:prefix), and follows "
                    "the destination when it changes.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_REGEX, .regex = "^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$",
          .message = "an IAM role ARN"},
         {0}}},
    {.name = "channel_start", .type = "bool", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .default_json = "false",
     .description = "Run the channel. On update the channel is started or stopped to follow "
                    "it (a running channel is billed)."},
    LSMS_TAGS_ATTRS,
    {.name = "id", .type = "string", .flags = SCHEMA_COMPUTED | SCHEMA_USE_STATE,
     .description = "MediaLive channel ID."},
    {.name = "arn", .type = "string", .flags = SCHEMA_COMPUTED | SCHEMA_USE_STATE,
     .description = "ARN of the channel."},
    {.name = "input_id", .type = "string", .flags = SCHEMA_COMPUTED | SCHEMA_USE_STATE,
     .description = "ID of the MediaLive input."},
    {.name = "input_security_group_id", .type = "string",
     .flags = SCHEMA_COMPUTED | SCHEMA_USE_STATE,
     .description = "ID of the input security group (push inputs only; null otherwise)."},
    {.name = "input_endpoints", .type = "[\"list\",\"string\"]", .flags = SCHEMA_COMPUTED,
     .description = "URLs to push the source to (push inputs; empty for pull and device "
                    "inputs)."},
    {.name = "state", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "Channel state, for example `IDLE` or `RUNNING`."},
    {.name = "renditions", .type = CHANNEL_RENDITIONS_TYPE, .flags = SCHEMA_COMPUTED,
     .description = "The HLS renditions of `encoding_profile`: name, width, height, video "
                    "bitrate (bit/s) and frame rate."},
    {0}};

static const struct schema_attribute channel_timeout_attrs[] = {
    LSMS_TIMEOUT_ATTR("create", "15m"),
    LSMS_TIMEOUT_ATTR("update", "15m"),
    LSMS_TIMEOUT_ATTR("delete", "15m"),
    {0}};

static const struct schema_block channel_timeouts_block = {
    .attributes = channel_timeout_attrs,
    .description = "Time limits of the slow operations."};

static const struct schema_block_type channel_block_types[] = {
    {.name = "timeouts", .nesting = SCHEMA_NESTING_SINGLE, .block = &channel_timeouts_block},
    {0}};

static const struct schema channel_schema = {
    .version = 0,
    .block = {.attributes = channel_attrs,
              .block_types = channel_block_types,
              .description = "An AWS Elemental MediaLive channel with its input, input security "
                             "group and role, encoding an HLS ladder into a MediaStore container "
                             "or an S3 bucket."},
};

/* ======================= operations ======================= */

static void channel_reject(const struct cty_value *config, const char *attr, const char *type,
                           const char *allowed, struct diags *d)
{
    if (resource_value_given(cty_value_attr(config, attr)))
        diags_error(d, attr, "Argument not allowed for this input type",
                    "%s is only used with %s inputs, not %s.", attr, allowed, type);
}

static void channel_require(const struct cty_value *config, const char *attr, const char *type,
                            struct diags *d)
{
    const struct cty_value *v = cty_value_attr(config, attr);
    bool empty_list = v && cty_value_is_known(v) && !cty_value_is_null(v) &&
                      cty_type_kind(cty_value_type(v)) == CTY_LIST && cty_value_length(v) == 0;
    if (resource_value_absent(v) || empty_list)
        diags_error(d, attr, "Missing required argument",
                    "%s inputs need %s.", type, attr);
}

/* Exactly one destination: a MediaStore container or an S3 bucket. */
static void channel_validate_destination(const struct cty_value *config, struct diags *d)
{
    const struct cty_value *endpoint = cty_value_attr(config, "container_endpoint");
    const struct cty_value *bucket = cty_value_attr(config, "destination_bucket");
    if (resource_value_given(endpoint) && resource_value_given(bucket))
        diags_error(d, "destination_bucket", "Conflicting arguments",
                    "Set either container_endpoint (a MediaStore container) or "
                    "destination_bucket (an S3 bucket), not both.");
    else if (resource_value_absent(endpoint) && resource_value_absent(bucket))
        diags_error(d, "destination_bucket", "Missing destination",
                    "Set destination_bucket (an S3 bucket, such as lsms_bucket.origin.name) or "
                    "container_endpoint (a MediaStore container, lsms_container.origin.endpoint).");
}

/* What pipeline 1 of a STANDARD channel needs of the input. `standard` is
 * 1 for STANDARD, 0 for SINGLE_PIPELINE, -1 when the class is unknown. */
static void channel_validate_pipeline1(const struct cty_value *config, const char *type,
                                       int standard, struct diags *d)
{
    /* Each with its input type (another type is refused for the type). */
    static const char *const extras[][2] = {{"pull_url_pipeline1", "URL_PULL"},
                                            {"input_device_id_pipeline1", "INPUT_DEVICE"}};
    for (size_t i = 0; standard == 0 && type && i < 2; i++)
        if (strcmp(type, extras[i][1]) == 0 && resource_value_given(cty_value_attr(config, extras[i][0])))
            diags_error(d, extras[i][0], "Argument not allowed for this channel class",
                        "%s feeds pipeline 1, which only STANDARD channels have; set "
                        "channel_class = \"STANDARD\" or remove it.",
                        extras[i][0]);
    if (!type || strcmp(type, "INPUT_DEVICE") != 0 || standard != 1)
        return;
    const struct cty_value *b = cty_value_attr(config, "input_device_id_pipeline1");
    const char *first = cty_attr_string(config, "input_device_id");
    if (resource_value_absent(b))
        diags_error(d, "input_device_id_pipeline1", "Missing required argument",
                    "A STANDARD channel with an INPUT_DEVICE input needs a second Link device "
                    "for pipeline 1: a standard-class device input has two devices.");
    else if (resource_value_given(b) && first && strcmp(cty_value_string(b), first) == 0)
        diags_error(d, "input_device_id_pipeline1", "Invalid value for \"input_device_id_pipeline1\"",
                    "Pipeline 1 needs a device of its own; %s already feeds pipeline 0.", first);
}

/* Which arguments each input type needs and refuses. Values may be unknown
 * at validation time: only known values are judged. */
static void channel_validate(const struct cty_value *config, struct diags *d)
{
    channel_validate_destination(config, d);
    if (resource_value_given(cty_value_attr(config, "pull_pass")) &&
        resource_value_given(cty_value_attr(config, "pull_pass_wo")))
        diags_error(d, "pull_pass_wo", "Conflicting arguments",
                    "Set either pull_pass or pull_pass_wo, not both.");
    const struct cty_value *cls = cty_value_attr(config, "channel_class");
    int standard = !cls || !cty_value_is_known(cls) ? -1
                   : cty_value_is_null(cls)          ? 0
                                                     : strcmp(cty_value_string(cls), "STANDARD") == 0;
    const char *type = cty_attr_string(config, "input_type");
    channel_validate_pipeline1(config, type, standard, d);
    if (!type)
        return;
    bool push = strcmp(type, "RTP_PUSH") == 0 || strcmp(type, "RTMP_PUSH") == 0;
    bool pull = strcmp(type, "URL_PULL") == 0;
    bool device = strcmp(type, "INPUT_DEVICE") == 0;
    if (push)
        channel_require(config, "input_cidr", type, d);
    else
        channel_reject(config, "input_cidr", type, "RTP_PUSH and RTMP_PUSH", d);
    if (pull) {
        channel_require(config, "pull_url", type, d);
    } else {
        static const char *const pull_only[] = {"pull_url", "pull_user", "pull_pass",
                                                "pull_pass_wo", "pull_url_pipeline1"};
        for (size_t i = 0; i < sizeof pull_only / sizeof pull_only[0]; i++)
            channel_reject(config, pull_only[i], type, "URL_PULL", d);
    }
    if (device) {
        channel_require(config, "input_device_id", type, d);
    } else {
        channel_reject(config, "input_device_id", type, "INPUT_DEVICE", d);
        channel_reject(config, "input_device_id_pipeline1", type, "INPUT_DEVICE", d);
    }
}

/* `renditions` is the ladder of encoding_profile, known as soon as the
 * profile is, so the plan shows what will be encoded. */
static void channel_modify_plan(struct resource_ctx *ctx, const struct cty_value *prior,
                                const struct cty_value *config, struct cty_value *planned)
{
    (void)prior;
    lsms_tags_all_plan(ctx, config, planned);
    const struct ladder_profile *profile =
        ladder_profile_find(cty_attr_string(planned, "encoding_profile"));
    const struct cty_value *cur = cty_value_attr(planned, "renditions");
    if (!profile || !cur)
        return;
    struct cty_value *r = channel_state_renditions_new(cty_value_type(cur), profile);
    if (!r || cty_value_equal(r, cur)) {
        cty_value_destroy(r);
        return;
    }
    /* Consumes r whether or not it succeeds; a failure leaves it unknown. */
    (void)cty_object_set(planned, "renditions", r);
}

#define CHANNEL_DEFAULT_TIMEOUT_MS (15u * 60u * 1000u)
/* CreateChannel is refused for a while after CreateRole, until IAM has
 * propagated the role (aws-facts §1.5: TF retries this for 2 minutes). */
#define CHANNEL_ROLE_PROPAGATION_MS (2u * 60u * 1000u)

static const char *const CHANNEL_IDLE[] = {"IDLE", NULL};
static const char *const CHANNEL_RUNNING[] = {"RUNNING", NULL};
static const char *const CHANNEL_GONE[] = {CHANNEL_API_GONE, NULL};
static const char *const INPUT_READY[] = {"DETACHED", "ATTACHED", NULL};
static const char *const INPUT_DETACHED[] = {"DETACHED", CHANNEL_API_GONE, NULL};
static const char *const INPUT_GONE[] = {CHANNEL_API_GONE, NULL};
static const char *const GROUP_READY[] = {"IDLE", "IN_USE", NULL};
static const char *const GROUP_IDLE[] = {"IDLE", CHANNEL_API_GONE, NULL};

/* One resource operation: the provider, its client, the time limit and the
 * error of the AWS call that failed. */
struct channel_op {
    struct resource_ctx *ctx;
    struct lsms_provider_data *pd;
    struct aws_client *c;
    uint64_t timeout_ms;
    struct aws_error err;
    /* A lookup for the data source: no secret is fetched (the pull
     * password stays in its parameter). */
    bool no_secrets;
};

static int channel_op_init(struct channel_op *op, struct resource_ctx *ctx,
                           const struct cty_value *state, const char *timeout)
{
    *op = (struct channel_op){.ctx = ctx};
    op->pd = resource_provider(ctx);
    if (!op->pd)
        return -1;
    op->c = op->pd->client;
    op->timeout_ms = resource_timeout_ms(state, timeout, CHANNEL_DEFAULT_TIMEOUT_MS);
    return 0;
}

/* Reports op->err as the one diagnostic of the operation. Returns -1. */
static int channel_fail(struct channel_op *op, const char *attr, const char *summary)
{
    resource_diag_aws(op->ctx->diags, attr, summary, &op->err);
    aws_error_clean_up(&op->err);
    return -1;
}

static int channel_no_memory(struct channel_op *op)
{
    aws_error_set(&op->err, AWS_ERR_NO_MEMORY, "out of memory", 0, NULL);
    return channel_fail(op, NULL, "Cannot build the MediaLive request");
}

static bool channel_is_push(const char *type)
{
    return type && (strcmp(type, "RTP_PUSH") == 0 || strcmp(type, "RTMP_PUSH") == 0);
}

static bool channel_is_pull(const char *type)
{
    return type && strcmp(type, "URL_PULL") == 0;
}

static bool channel_has_password(const struct cty_value *v)
{
    return cty_attr_string(v, "pull_pass") || cty_attr_string(v, "pull_pass_wo") ||
           resource_value_given(cty_value_attr(v, "pull_pass_wo_version"));
}

/* The pull password of the configuration (pull_pass or the write-only
 * pull_pass_wo), or NULL. Borrowed from config. */
static const char *channel_password(const struct cty_value *config)
{
    const char *p = cty_attr_string(config, "pull_pass");
    return p ? p : cty_attr_string(config, "pull_pass_wo");
}

/* ---- conversions for the request builders ---- */

/* A map(string) value as a cJSON object (NULL value: empty object). */
static cJSON *channel_tags_json(const struct cty_value *map)
{
    cJSON *o = cJSON_CreateObject();
    for (size_t i = 0; o && map && i < cty_value_length(map); i++) {
        const char *v = cty_value_string(cty_value_index(map, i));
        if (v && !cJSON_AddStringToObject(o, cty_value_map_key(map, i), v)) {
            cJSON_Delete(o);
            return NULL;
        }
    }
    return o;
}

/* The tags of a cJSON object as builder tags (strings borrowed). */
static struct channel_settings_tag *channel_tags_array(const cJSON *tags, size_t *n)
{
    *n = (size_t)cJSON_GetArraySize(tags);
    struct channel_settings_tag *a = calloc(*n + 1, sizeof *a);
    size_t i = 0;
    const cJSON *t;
    cJSON_ArrayForEach(t, tags) if (a) a[i++] = (struct channel_settings_tag){
        .key = t->string, .value = cJSON_GetStringValue(t)};
    return a;
}

/* The strings of a list(string) value (borrowed), NULL-terminated. */
static const char **channel_strings(const struct cty_value *list, size_t *n)
{
    *n = cty_value_length(list);
    const char **a = calloc(*n + 1, sizeof *a);
    for (size_t i = 0; a && i < *n; i++)
        a[i] = cty_value_string(cty_value_index(list, i));
    return a;
}

static bool channel_is_standard(const char *channel_class)
{
    return channel_class && strcmp(channel_class, "STANDARD") == 0;
}

/* The output URLs of `state`'s destination for a channel of class `cls`:
 * urls[0] for pipeline 0 at stream_path, urls[1] (STANDARD only) for
 * pipeline 1 at channel_settings_pipeline1_path. malloc'd; the caller frees
 * both. Returns 0, or -1 (out of memory, or no destination). */
static int channel_urls_of(const struct cty_value *state, const char *cls, char *urls[2])
{
    const char *path = cty_attr_string(state, "stream_path");
    const char *bucket = cty_attr_string(state, "destination_bucket");
    const char *endpoint = cty_attr_string(state, "container_endpoint");
    char *path_b = channel_is_standard(cls) ? channel_settings_pipeline1_path(path) : NULL;
    urls[0] = bucket ? channel_settings_bucket_url(bucket, path)
                     : channel_settings_destination_url(endpoint, path);
    urls[1] = !path_b  ? NULL
              : bucket ? channel_settings_bucket_url(bucket, path_b)
                       : channel_settings_destination_url(endpoint, path_b);
    free(path_b);
    return urls[0] && (!channel_is_standard(cls) || urls[1]) ? 0 : -1;
}

/* The channel's settings for CreateChannel/UpdateChannel from `state`
 * (the plan), for a channel of class `cls` (NULL: state's). The URLs are
 * malloc'd into urls[0..1]; the caller frees them. */
static int channel_settings_of(const struct cty_value *state, const char *cls,
                               struct channel_settings_channel *ch, char *urls[2])
{
    if (!cls)
        cls = cty_attr_string(state, "channel_class");
    int rc = channel_urls_of(state, cls, urls);
    *ch = (struct channel_settings_channel){
        .name = cty_attr_string(state, "name"),
        .channel_class = cls,
        .role_arn = cty_attr_string(state, "role_arn"),
        .input_id = cty_attr_string(state, "input_id"),
        .input_type = cty_attr_string(state, "input_type"),
        .destination_url = urls[0],
        .destination_url_b = urls[1],
        .store = cty_attr_string(state, "destination_bucket") ? CHANNEL_STORE_S3
                                                              : CHANNEL_STORE_MEDIASTORE,
        .profile = ladder_profile_find(cty_attr_string(state, "encoding_profile")),
    };
    return rc;
}

/* What CreateInput / UpdateInput need from `state` (two pipelines' worth
 * for a STANDARD channel), with the pull password's parameter `param`. The
 * security group id is borrowed through *group. */
static struct channel_settings_input channel_input_of(const struct cty_value *state,
                                                      const char *param, const char **group)
{
    *group = cty_attr_string(state, "input_security_group_id");
    return (struct channel_settings_input){
        .name = cty_attr_string(state, "name"),
        .type = cty_attr_string(state, "input_type"),
        .security_group_ids = *group ? group : NULL,
        .security_group_count = *group ? 1 : 0,
        .pull_url = cty_attr_string(state, "pull_url"),
        .pull_user = cty_attr_string(state, "pull_user"),
        .pull_password_param = param,
        .input_device_id = cty_attr_string(state, "input_device_id"),
        .standard = channel_is_standard(cty_attr_string(state, "channel_class")),
        .pull_url_b = cty_attr_string(state, "pull_url_pipeline1"),
        .input_device_id_b = cty_attr_string(state, "input_device_id_pipeline1"),
    };
}

/* The input class `state` wants: STANDARD for a STANDARD channel and for
 * RTP push inputs (which have no single class), else SINGLE_PIPELINE. */
static const char *channel_input_class_of(const struct cty_value *state)
{
    const char *type = cty_attr_string(state, "input_type");
    return channel_is_standard(cty_attr_string(state, "channel_class")) ||
                   (type && strcmp(type, "RTP_PUSH") == 0)
               ? "STANDARD"
               : "SINGLE_PIPELINE";
}

/* What the managed role may write to, for `state`'s destination. A
 * MediaStore destination is known to MediaLive only by its data endpoint,
 * whose host does not name the container: the container is the one of
 * ListContainers with that endpoint, and its ARN is granted. *containers
 * holds the list the ARN is borrowed from (caller deletes it). Returns 0,
 * or -1 with a diagnostic. */
static int channel_role_destination_of(struct channel_op *op, const struct cty_value *state,
                                       struct channel_role_destination *dest,
                                       cJSON **containers)
{
    *containers = NULL;
    *dest = (struct channel_role_destination){
        .bucket = cty_attr_string(state, "destination_bucket"),
        .stream_path = cty_attr_string(state, "stream_path"),
    };
    if (dest->bucket)
        return 0;
    const char *endpoint = cty_attr_string(state, "container_endpoint");
    if (channel_api_containers_list(op->c, containers, &op->err) != 0)
        return channel_fail(op, "container_endpoint",
                            "Cannot find the MediaStore container for the MediaLive role");
    dest->container_arn = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
        channel_state_container_for_endpoint(*containers, endpoint), "ARN"));
    if (!dest->container_arn) {
        diags_error(op->ctx->diags, "container_endpoint", "No such MediaStore container",
                    "No MediaStore container in %s has the endpoint %s, so the MediaLive role "
                    "cannot be limited to it. Give the endpoint of a container of this "
                    "account and region (lsms_container.<name>.endpoint), or role_arn.",
                    op->pd->region ? op->pd->region : "this region", endpoint ? endpoint : "");
        return -1;
    }
    return 0;
}

/* ---- teardown: shared by delete and by create's rollback ---- */

/* What exists of one lsms_channel (ids borrowed; NULL: not there). */
struct channel_parts {
    const char *name;
    const char *channel_id;
    const char *input_id;
    const char *group_id;
    bool managed_role;
    bool parameter;
};

/* Stops a channel that runs (or is about to) and waits until it is IDLE;
 * a channel already gone is fine. */
static int channel_stop(struct channel_op *op, const char *id, bool *gone)
{
    cJSON *ch = NULL;
    *gone = false;
    if (channel_api_describe(op->c, CHANNEL_API_CHANNEL, id, &ch, &op->err) != 0) {
        if (!channel_api_not_found(&op->err))
            return -1;
        aws_error_clean_up(&op->err);
        *gone = true;
        return 0;
    }
    const char *st = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ch, "state"));
    *gone = st && strcmp(st, "DELETED") == 0;
    bool running = st && (strcmp(st, "RUNNING") == 0 || strcmp(st, "STARTING") == 0 ||
                          strcmp(st, "RECOVERING") == 0);
    bool settling = st && (strcmp(st, "STOPPING") == 0 || strcmp(st, "CREATING") == 0 ||
                           strcmp(st, "UPDATING") == 0);
    cJSON_Delete(ch);
    if (running && channel_api_channel_action(op->c, id, "stop", &op->err) != 0)
        return -1;
    if (running || settling)
        return channel_api_wait(op->c, CHANNEL_API_CHANNEL, id, CHANNEL_IDLE, op->timeout_ms,
                                "channel IDLE", NULL, &op->err);
    return 0;
}

/* Removes everything in `parts`, in the order AWS requires: the channel
 * (stopped first), the input once detached, the security group once idle,
 * then the role and the parameter. Returns 0, or -1 with a diagnostic. */
static int channel_teardown(struct channel_op *op, const struct channel_parts *parts)
{
    const char *id = parts->channel_id;
    bool gone = false;
    /* Already gone when an earlier delete failed after it (read keeps such a
     * channel for its parts, see channel_leftovers). */
    if (id && (channel_stop(op, id, &gone) != 0 ||
               (!gone && (channel_api_delete(op->c, CHANNEL_API_CHANNEL, id, &op->err) != 0 ||
                          channel_api_wait(op->c, CHANNEL_API_CHANNEL, id, CHANNEL_GONE,
                                           op->timeout_ms, "channel deleted", NULL,
                                           &op->err) != 0))))
        return channel_fail(op, "id", "Cannot delete the MediaLive channel");
    id = parts->input_id;
    if (id && (channel_api_wait(op->c, CHANNEL_API_INPUT, id, INPUT_DETACHED, op->timeout_ms,
                                "input DETACHED", NULL, &op->err) != 0 ||
               channel_api_delete(op->c, CHANNEL_API_INPUT, id, &op->err) != 0 ||
               channel_api_wait(op->c, CHANNEL_API_INPUT, id, INPUT_GONE, op->timeout_ms,
                                "input deleted", NULL, &op->err) != 0))
        return channel_fail(op, "input_id", "Cannot delete the MediaLive input");
    id = parts->group_id;
    /* The group stays IN_USE for a few seconds after its input goes (the
     * AWS solution polls for IDLE the same way). */
    if (id && (channel_api_wait(op->c, CHANNEL_API_SECURITY_GROUP, id, GROUP_IDLE,
                                op->timeout_ms, "input security group IDLE", NULL,
                                &op->err) != 0 ||
               channel_api_delete(op->c, CHANNEL_API_SECURITY_GROUP, id, &op->err) != 0))
        return channel_fail(op, "input_security_group_id",
                            "Cannot delete the MediaLive input security group");
    if (parts->managed_role && channel_role_delete(op->c, parts->name, &op->err) != 0)
        return channel_fail(op, "role_arn", "Cannot delete the MediaLive role");
    if (parts->parameter) {
        char *param = channel_role_parameter_name_new(parts->name);
        int rc = param ? channel_api_parameter_delete(op->c, param, &op->err)
                       : aws_error_set(&op->err, AWS_ERR_NO_MEMORY, "out of memory", 0, NULL);
        free(param);
        if (rc != 0)
            return channel_fail(op, "pull_pass", "Cannot delete the pull password parameter");
    }
    return 0;
}

/* ---- create ---- */

static int channel_create_group(struct channel_op *op, const struct cty_value *config,
                                const cJSON *tags, struct cty_value *state)
{
    size_t n_cidr, n_tags;
    const char **cidrs = channel_strings(cty_value_attr(config, "input_cidr"), &n_cidr);
    struct channel_settings_tag *t = channel_tags_array(tags, &n_tags);
    cJSON *body = cidrs && t ? channel_settings_security_group_body_new(cidrs, n_cidr, t, n_tags)
                             : NULL;
    free(cidrs);
    free(t);
    if (!body)
        return channel_no_memory(op);
    cJSON *out = NULL;
    int rc = channel_api_create(op->c, CHANNEL_API_SECURITY_GROUP, body, &out, &op->err);
    cJSON_Delete(body);
    if (rc != 0)
        return channel_fail(op, "input_cidr", "Cannot create the MediaLive input security group");
    const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(out, "securityGroup"), "id"));
    rc = id ? resource_set_string(state, "input_security_group_id", id) : -1;
    cJSON_Delete(out);
    if (rc != 0) {
        aws_error_set(&op->err, AWS_ERR_BAD_RESPONSE, "no security group id in the answer", 0,
                      NULL);
        return channel_fail(op, "input_cidr", "Cannot create the MediaLive input security group");
    }
    return 0;
}

static int channel_create_input(struct channel_op *op, const cJSON *tags, const char *param,
                                struct cty_value *state)
{
    char request_id[33];
    const char *group;
    size_t n_tags;
    struct channel_settings_tag *t = channel_tags_array(tags, &n_tags);
    struct channel_settings_input in = channel_input_of(state, param, &group);
    in.request_id = random_hex(request_id, 16) == 0 ? request_id : NULL;
    in.tags = t;
    in.tag_count = n_tags;
    cJSON *body = t ? channel_settings_input_body_new(&in) : NULL;
    free(t);
    if (!body)
        return channel_no_memory(op);
    cJSON *out = NULL;
    int rc = channel_api_create(op->c, CHANNEL_API_INPUT, body, &out, &op->err);
    cJSON_Delete(body);
    if (rc != 0)
        return channel_fail(op, "input_type", "Cannot create the MediaLive input");
    const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(out, "input"), "id"));
    rc = id ? resource_set_string(state, "input_id", id) : -1;
    cJSON_Delete(out);
    if (rc != 0) {
        aws_error_set(&op->err, AWS_ERR_BAD_RESPONSE, "no input id in the answer", 0, NULL);
        return channel_fail(op, "input_type", "Cannot create the MediaLive input");
    }
    cJSON *input = NULL;
    id = cty_attr_string(state, "input_id");
    if (channel_api_wait(op->c, CHANNEL_API_INPUT, id, INPUT_READY, op->timeout_ms,
                         "input DETACHED", &input, &op->err) != 0)
        return channel_fail(op, "input_type", "The MediaLive input did not become ready");
    rc = channel_state_from_input(state, input);
    cJSON_Delete(input);
    return rc == 0 ? 0 : channel_no_memory(op);
}

struct channel_create_try {
    struct aws_client *c;
    const cJSON *body;
    cJSON *out;
};

static bool channel_role_not_ready(const struct aws_error *err)
{
    return err->http_status == 400 && err->message &&
           strstr(err->message, "medialive.amazonaws.com is a trusted service");
}

static enum aws_wait_result channel_create_attempt(void *p, struct aws_error *err)
{
    struct channel_create_try *t = p;
    if (channel_api_create(t->c, CHANNEL_API_CHANNEL, t->body, &t->out, err) == 0)
        return AWS_WAIT_DONE;
    return channel_role_not_ready(err) ? AWS_WAIT_PENDING : AWS_WAIT_FAILED;
}

/* CreateChannel (retried, with the same requestId, while IAM propagates a
 * new role); sets state.id. */
static int channel_create_channel(struct channel_op *op, const cJSON *tags,
                                  struct cty_value *state)
{
    char request_id[33], *urls[2] = {NULL, NULL};
    struct channel_settings_channel ch;
    size_t n_tags;
    struct channel_settings_tag *t = channel_tags_array(tags, &n_tags);
    cJSON *body = NULL;
    if (t && channel_settings_of(state, NULL, &ch, urls) == 0 && random_hex(request_id, 16) == 0) {
        ch.request_id = request_id;
        ch.tags = t;
        ch.tag_count = n_tags;
        body = channel_settings_create_body_new(&ch);
    }
    free(t);
    free(urls[0]);
    free(urls[1]);
    if (!body)
        return channel_no_memory(op);
    struct channel_create_try attempt = {.c = op->c, .body = body};
    struct aws_waiter_config w = {.initial_delay_ms = 2000, .max_delay_ms = 10000,
                                  .timeout_ms = CHANNEL_ROLE_PROPAGATION_MS,
                                  .what = "IAM role usable by MediaLive"};
    int rc = aws_client_wait(op->c, &w, channel_create_attempt, &attempt, &op->err);
    cJSON_Delete(body);
    if (rc != 0)
        return channel_fail(op, NULL, "Cannot create the MediaLive channel");
    const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(attempt.out, "channel"), "id"));
    rc = id ? resource_set_string(state, "id", id) : -1;
    cJSON_Delete(attempt.out);
    if (rc != 0) {
        aws_error_set(&op->err, AWS_ERR_BAD_RESPONSE, "no channel id in the answer", 0, NULL);
        return channel_fail(op, NULL, "Cannot create the MediaLive channel");
    }
    return 0;
}

/* Starts the channel and waits for RUNNING, or stops it and waits for IDLE. */
static int channel_run_seen(struct channel_op *op, const char *id, bool start, cJSON **last)
{
    bool gone = false;
    if (!start)
        return channel_stop(op, id, &gone) == 0
                   ? 0
                   : channel_fail(op, "channel_start", "Cannot stop the MediaLive channel");
    if (channel_api_channel_action(op->c, id, "start", &op->err) != 0 ||
        channel_api_wait(op->c, CHANNEL_API_CHANNEL, id, CHANNEL_RUNNING, op->timeout_ms,
                         "channel RUNNING", last, &op->err) != 0)
        return channel_fail(op, "channel_start", "Cannot start the MediaLive channel");
    return 0;
}

/* Starts (waits RUNNING) or stops (waits IDLE) the channel. */
static int channel_run(struct channel_op *op, const char *id, bool start)
{
    return channel_run_seen(op, id, start, NULL);
}

static enum resource_result channel_refresh(struct channel_op *op, struct cty_value *state,
                                            bool *gone);
static enum resource_result channel_refresh_from(struct channel_op *op, struct cty_value *state,
                                                 cJSON *ch, bool *gone);

/* Undoes a create that failed before the channel existed, newest first. If
 * that fails too, the state (holding the ids) is returned as partial so
 * OpenTofu tracks what is left. */
static enum resource_result channel_rollback(struct channel_op *op, const struct cty_value *state,
                                             bool role_made, bool param_made)
{
    struct channel_parts parts = {
        .name = cty_attr_string(state, "name"),
        .input_id = cty_attr_string(state, "input_id"),
        .group_id = cty_attr_string(state, "input_security_group_id"),
        .managed_role = role_made,
        .parameter = param_made,
    };
    return channel_teardown(op, &parts) == 0 ? RESOURCE_ERROR : RESOURCE_PARTIAL;
}

static enum resource_result channel_create(struct resource_ctx *ctx,
                                           const struct cty_value *config,
                                           struct cty_value *state)
{
    struct channel_op op;
    if (channel_op_init(&op, ctx, state, "create") != 0)
        return RESOURCE_ERROR;
    const char *name = cty_attr_string(config, "name");
    const char *type = cty_attr_string(config, "input_type");
    const char *password = channel_password(config);
    bool role_made = false, param_made = false, managed = !cty_attr_string(config, "role_arn");
    char *param = NULL, *role_arn = NULL;
    cJSON *tags = NULL, *containers = NULL;
    struct channel_role_destination dest = {0};
    if (resource_set_tags_all(op.pd, state) != 0 ||
        !(tags = channel_tags_json(cty_value_attr(state, "tags_all"))) ||
        (password && !(param = channel_role_parameter_name_new(name)))) {
        cJSON_Delete(tags);
        free(param);
        channel_no_memory(&op);
        return RESOURCE_ERROR;
    }
    enum resource_result rc = RESOURCE_ERROR;
    /* Before anything exists: the container the role will be limited to. */
    if (managed && channel_role_destination_of(&op, state, &dest, &containers) != 0)
        goto out;
    if (channel_is_push(type) && channel_create_group(&op, config, tags, state) != 0)
        goto rollback;
    if (param) {
        if (channel_api_parameter_put(op.c, param, password, &op.err) != 0) {
            channel_fail(&op, "pull_pass", "Cannot store the pull password in SSM");
            goto rollback;
        }
        param_made = true;
    }
    if (channel_create_input(&op, tags, param, state) != 0)
        goto rollback;
    if (managed) {
        if (channel_role_create(op.c, name, op.pd->region, tags, &dest, &role_arn, &op.err) != 0) {
            channel_fail(&op, "role_arn", "Cannot create the MediaLive role");
            goto rollback;
        }
        role_made = true;
        if (resource_set_string(state, "role_arn", role_arn) != 0) {
            channel_no_memory(&op);
            goto rollback;
        }
    }
    if (channel_create_channel(&op, tags, state) != 0)
        goto rollback;
    /* From here the channel exists: failures leave it tracked (tainted). */
    const char *id = cty_attr_string(state, "id");
    bool gone = false;
    rc = RESOURCE_PARTIAL;
    /* The wait's last answer is the channel to record: no second read. */
    cJSON *seen = NULL;
    if (channel_api_wait(op.c, CHANNEL_API_CHANNEL, id, CHANNEL_IDLE, op.timeout_ms,
                         "channel IDLE", &seen, &op.err) != 0) {
        channel_fail(&op, NULL, "The MediaLive channel did not become IDLE");
        goto out;
    }
    if (cty_attr_bool(config, "channel_start", false)) {
        cJSON_Delete(seen);
        seen = NULL;
        if (channel_run_seen(&op, id, true, &seen) != 0)
            goto out;
    }
    rc = channel_refresh_from(&op, state, seen, &gone);
    /* The channel exists even when reading it back failed: RESOURCE_ERROR
     * would drop the state and orphan the channel, its input and role. */
    if (rc == RESOURCE_ERROR)
        rc = RESOURCE_PARTIAL;
    if (rc == RESOURCE_OK && gone) {
        diags_error(ctx->diags, NULL, "MediaLive channel vanished",
                    "Channel %s was deleted while it was being created.", id);
        rc = RESOURCE_ERROR;
    }
    goto out;
rollback:
    rc = channel_rollback(&op, state, role_made, param_made);
out:
    cJSON_Delete(tags);
    cJSON_Delete(containers);
    free(param);
    free(role_arn);
    return rc;
}

/* ---- read ---- */

/* Import: the pull password is read back from its parameter, so that a
 * configuration with pull_pass plans no change after import. */
static int channel_read_password(struct channel_op *op, const char *param, struct cty_value *state)
{
    char *value = NULL;
    if (channel_api_parameter_get(op->c, param, &value, &op->err) != 0) {
        if (!aws_error_is(&op->err, "ParameterNotFound"))
            return channel_fail(op, "pull_pass", "Cannot read the pull password parameter");
        aws_error_clean_up(&op->err);
        return 0;
    }
    int rc = resource_set_string(state, "pull_pass", value);
    memset(value, 0, strlen(value));
    free(value);
    return rc == 0 ? 0 : channel_no_memory(op);
}

static int channel_refresh_input(struct channel_op *op, struct cty_value *state, bool importing)
{
    const char *input_id = cty_attr_string(state, "input_id");
    cJSON *input = NULL;
    if (!input_id)
        return 0;
    if (channel_api_describe(op->c, CHANNEL_API_INPUT, input_id, &input, &op->err) != 0) {
        if (!channel_api_not_found(&op->err))
            return channel_fail(op, "input_id", "Cannot read the MediaLive input");
        aws_error_clean_up(&op->err); /* an attached input cannot go: keep what we know */
        return 0;
    }
    int rc = channel_state_from_input(state, input) == 0 ? 0 : channel_no_memory(op);
    const char *param = channel_state_password_param(input);
    if (rc == 0 && importing && param && !op->no_secrets)
        rc = channel_read_password(op, param, state);
    cJSON_Delete(input);
    return rc;
}

static int channel_refresh_group(struct channel_op *op, struct cty_value *state)
{
    const char *group_id = cty_attr_string(state, "input_security_group_id");
    cJSON *group = NULL;
    if (group_id &&
        channel_api_describe(op->c, CHANNEL_API_SECURITY_GROUP, group_id, &group, &op->err) != 0) {
        if (!channel_api_not_found(&op->err))
            return channel_fail(op, "input_cidr", "Cannot read the MediaLive input security group");
        aws_error_clean_up(&op->err);
    }
    int rc = channel_state_from_security_group(state, group);
    cJSON_Delete(group);
    return rc == 0 ? 0 : channel_no_memory(op);
}

/* Whether the MediaLive object `id` of `kind` is still there (found and not
 * DELETED). 0, or -1 with op->err. */
static int channel_part_exists(struct channel_op *op, enum channel_api_kind kind, const char *id,
                               bool *exists)
{
    cJSON *obj = NULL;
    *exists = false;
    if (!id)
        return 0;
    if (channel_api_describe(op->c, kind, id, &obj, &op->err) != 0) {
        if (!channel_api_not_found(&op->err))
            return -1;
        aws_error_clean_up(&op->err);
        return 0;
    }
    const char *st = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, "state"));
    *exists = !st || strcmp(st, "DELETED") != 0;
    cJSON_Delete(obj);
    return 0;
}

/* The channel is gone: is anything it owned left, by a delete that failed
 * after DeleteChannel (the input, its security group, the managed role, the
 * password parameter, in teardown order)? Such a channel stays in state
 * (state DELETED), so the plan replaces it and delete finishes the teardown;
 * dropped, it would leave them behind for good (and a new channel of the
 * same name would find its role's name taken). */
static int channel_leftovers(struct channel_op *op, const struct cty_value *state, bool *left)
{
    const char *name = cty_attr_string(state, "name");
    *left = false;
    if (channel_part_exists(op, CHANNEL_API_INPUT, cty_attr_string(state, "input_id"), left) != 0)
        return channel_fail(op, "input_id", "Cannot read the MediaLive input");
    if (!*left && channel_part_exists(op, CHANNEL_API_SECURITY_GROUP,
                                      cty_attr_string(state, "input_security_group_id"),
                                      left) != 0)
        return channel_fail(op, "input_security_group_id",
                            "Cannot read the MediaLive input security group");
    if (!*left && channel_role_is_managed(cty_attr_string(state, "role_arn"), name) &&
        channel_role_exists(op->c, name, left, &op->err) != 0)
        return channel_fail(op, "role_arn", "Cannot read the MediaLive role");
    if (!*left && channel_is_pull(cty_attr_string(state, "input_type")) &&
        channel_has_password(state)) {
        char *param = channel_role_parameter_name_new(name);
        int rc = param ? channel_api_parameter_get(op->c, param, NULL, &op->err)
                       : aws_error_set(&op->err, AWS_ERR_NO_MEMORY, "out of memory", 0, NULL);
        free(param);
        if (rc == 0)
            *left = true;
        else if (aws_error_is(&op->err, "ParameterNotFound"))
            aws_error_clean_up(&op->err);
        else
            return channel_fail(op, "pull_pass", "Cannot read the pull password parameter");
    }
    return 0;
}

/* The channel is gone: *gone unless parts it owned are left (then it stays,
 * state DELETED: see channel_leftovers). An import has no parts to look for. */
static enum resource_result channel_refresh_gone(struct channel_op *op, struct cty_value *state,
                                                 bool importing, bool *gone)
{
    bool left = false;
    if (!importing && channel_leftovers(op, state, &left) != 0)
        return RESOURCE_ERROR;
    if (!left) {
        *gone = true;
        return RESOURCE_OK;
    }
    if (resource_set_string(state, "state", "DELETED") != 0) {
        channel_no_memory(op);
        return RESOURCE_ERROR;
    }
    return RESOURCE_OK;
}

/* Sets every attribute AWS holds from the channel, its input and the
 * input's security group. *gone when the channel no longer exists (and
 * nothing it owned is left). `ch` is a DescribeChannel answer already in
 * hand (the last answer of a wait), which it takes; NULL: described here. */
static enum resource_result channel_refresh_from(struct channel_op *op, struct cty_value *state,
                                                 cJSON *ch, bool *gone)
{
    const char *id = cty_attr_string(state, "id");
    bool importing = !cty_attr_string(state, "name");
    *gone = false;
    if (!ch && channel_api_describe(op->c, CHANNEL_API_CHANNEL, id, &ch, &op->err) != 0) {
        if (channel_api_not_found(&op->err)) {
            aws_error_clean_up(&op->err);
            return channel_refresh_gone(op, state, importing, gone);
        }
        channel_fail(op, "id", "Cannot read the MediaLive channel");
        return RESOURCE_ERROR;
    }
    const char *st = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ch, "state"));
    if (st && strcmp(st, "DELETED") == 0) {
        /* MediaLive lists deleted channels for a while with state DELETED. */
        cJSON_Delete(ch);
        return channel_refresh_gone(op, state, importing, gone);
    }
    /* Import or drift of a MediaStore destination: the region's containers
     * tell which part of the URL is the endpoint. Without them (no
     * permission, MediaStore unreachable) the host is taken for it. */
    cJSON *containers = NULL;
    if (channel_state_needs_containers(state, ch) &&
        channel_api_containers_list(op->c, &containers, &op->err) != 0)
        aws_error_clean_up(&op->err);
    int rc = channel_state_from_channel(state, ch, op->pd, containers) == 0
                 ? 0
                 : channel_no_memory(op);
    cJSON_Delete(containers);
    cJSON_Delete(ch);
    if (rc == 0)
        rc = channel_refresh_input(op, state, importing);
    if (rc == 0)
        rc = channel_refresh_group(op, state);
    return rc == 0 ? RESOURCE_OK : RESOURCE_ERROR;
}

static enum resource_result channel_refresh(struct channel_op *op, struct cty_value *state,
                                            bool *gone)
{
    return channel_refresh_from(op, state, NULL, gone);
}

static enum resource_result channel_read(struct resource_ctx *ctx, struct cty_value *state,
                                         bool *gone)
{
    struct channel_op op;
    if (channel_op_init(&op, ctx, state, "update") != 0)
        return RESOURCE_ERROR;
    return channel_refresh(&op, state, gone);
}

/* ---- update ---- */

/* UpdateInput of what feeds the input (a pull input's sources, a device
 * input's devices, a push input's destinations and security group) as
 * `state` wants it, then waits until the input has settled ("Wait for the
 * input State to return to In use or Idle before performing another action
 * with this input", MediaLive user guide). The name travels too: UpdateInput
 * replaces what it is given. */
static int channel_update_input(struct channel_op *op, const struct cty_value *state,
                                const char *param)
{
    const char *group;
    struct channel_settings_input in = channel_input_of(state, param, &group);
    cJSON *body = channel_settings_input_update_body_new(&in);
    if (!body)
        return channel_no_memory(op);
    const char *id = cty_attr_string(state, "input_id");
    int rc = channel_api_update(op->c, CHANNEL_API_INPUT, id, body, NULL, &op->err);
    cJSON_Delete(body);
    if (rc == 0)
        rc = channel_api_wait(op->c, CHANNEL_API_INPUT, id, INPUT_READY, op->timeout_ms,
                              "input updated", NULL, &op->err);
    return rc == 0 ? 0 : channel_fail(op, "input_type", "Cannot update the MediaLive input");
}

static int channel_update_group(struct channel_op *op, const struct cty_value *state)
{
    size_t n;
    const char **cidrs = channel_strings(cty_value_attr(state, "input_cidr"), &n);
    cJSON *body = cidrs ? channel_settings_security_group_body_new(cidrs, n, NULL, 0) : NULL;
    free(cidrs);
    if (!body)
        return channel_no_memory(op);
    const char *id = cty_attr_string(state, "input_security_group_id");
    int rc = channel_api_update(op->c, CHANNEL_API_SECURITY_GROUP, id, body, NULL, &op->err);
    cJSON_Delete(body);
    if (rc == 0)
        rc = channel_api_wait(op->c, CHANNEL_API_SECURITY_GROUP, id, GROUP_READY,
                              op->timeout_ms, "input security group updated", NULL, &op->err);
    return rc == 0 ? 0
                   : channel_fail(op, "input_cidr",
                                  "Cannot update the MediaLive input security group");
}

/* UpdateChannel with `state`'s settings for a channel of class `cls` (NULL:
 * state's), with the input attached or (detached) without it; waits until
 * the channel is IDLE again. */
static int channel_update_channel(struct channel_op *op, const struct cty_value *state,
                                  const char *cls, bool detached)
{
    char *urls[2] = {NULL, NULL};
    struct channel_settings_channel ch;
    cJSON *body = NULL;
    if (channel_settings_of(state, cls, &ch, urls) == 0) {
        ch.detached = detached;
        body = channel_settings_update_body_new(&ch);
    }
    free(urls[0]);
    free(urls[1]);
    if (!body)
        return channel_no_memory(op);
    const char *id = cty_attr_string(state, "id");
    int rc = channel_api_update(op->c, CHANNEL_API_CHANNEL, id, body, NULL, &op->err);
    cJSON_Delete(body);
    if (rc == 0)
        rc = channel_api_wait(op->c, CHANNEL_API_CHANNEL, id, CHANNEL_IDLE, op->timeout_ms,
                              "channel updated", NULL, &op->err);
    return rc == 0 ? 0
                   : channel_fail(op, "encoding_profile", "Cannot update the MediaLive channel");
}

/* UpdateChannelClass to `cls` with the destinations of that class; waits
 * until the channel is IDLE again (it is UPDATING meanwhile). */
static int channel_update_class(struct channel_op *op, const struct cty_value *state,
                                const char *cls)
{
    char *urls[2] = {NULL, NULL};
    cJSON *body = channel_urls_of(state, cls, urls) == 0
                      ? channel_settings_class_body_new(cls, urls[0], urls[1])
                      : NULL;
    free(urls[0]);
    free(urls[1]);
    if (!body)
        return channel_no_memory(op);
    const char *id = cty_attr_string(state, "id");
    int rc = channel_api_channel_class(op->c, id, body, &op->err);
    cJSON_Delete(body);
    if (rc == 0)
        rc = channel_api_wait(op->c, CHANNEL_API_CHANNEL, id, CHANNEL_IDLE, op->timeout_ms,
                              "channel class changed", NULL, &op->err);
    return rc == 0 ? 0
                   : channel_fail(op, "channel_class", "Cannot change the MediaLive channel class");
}

/* What a class change finds in AWS: the channel's class and whether its
 * input is attached, and the input's class. Strings are malloc'd. */
struct channel_class_now {
    char *channel_class;
    bool attached;
    char *input_class;
};

static int channel_class_now_read(struct channel_op *op, const struct cty_value *state,
                                  struct channel_class_now *now)
{
    cJSON *ch = NULL, *in = NULL;
    *now = (struct channel_class_now){0};
    if (channel_api_describe(op->c, CHANNEL_API_CHANNEL, cty_attr_string(state, "id"), &ch,
                             &op->err) != 0)
        return channel_fail(op, "channel_class", "Cannot read the MediaLive channel");
    if (channel_api_describe(op->c, CHANNEL_API_INPUT, cty_attr_string(state, "input_id"), &in,
                             &op->err) != 0) {
        cJSON_Delete(ch);
        return channel_fail(op, "channel_class", "Cannot read the MediaLive input");
    }
    const char *cls = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ch, "channelClass"));
    const char *icls = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(in, "inputClass"));
    now->attached = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(ch, "inputAttachments")) > 0;
    now->channel_class = strdup(cls ? cls : "");
    now->input_class = strdup(icls ? icls : "");
    cJSON_Delete(ch);
    cJSON_Delete(in);
    return now->channel_class && now->input_class ? 0 : channel_no_memory(op);
}

/*
 * Brings the channel (idle) to `state`'s class, in the order the MediaLive
 * user guide gives ("Changing pipeline redundancy in an existing channel"):
 * a STANDARD channel needs standard-class inputs ("All inputs must be
 * standard-class inputs"), an input's class changes only while it is
 * detached ("Detach each single-class input ... Edit each input to convert
 * it to standard-class ... reattach each input"), and UpdateChannelClass
 * takes the destinations of the new class. So:
 *   to SINGLE_PIPELINE: UpdateChannelClass, then detach, edit the input to
 *   one pipeline, reattach;
 *   to STANDARD: detach, edit the input to two pipelines, UpdateChannelClass,
 *   reattach.
 * The reattaching UpdateChannel carries every other setting of `state`.
 * Each step starts from what AWS reports, so an interrupted change resumes
 * on the next apply; a failure after the detach reattaches the input before
 * reporting the error, so the channel is never left without it.
 */
static int channel_converge_class(struct channel_op *op, const struct cty_value *state,
                                  const char *param, bool input_edit)
{
    const char *want = cty_attr_string(state, "channel_class");
    const char *want_input = channel_input_class_of(state);
    struct channel_class_now now;
    if (channel_class_now_read(op, state, &now) != 0)
        return -1;
    int rc = 0;
    if (channel_is_standard(now.channel_class) && !channel_is_standard(want)) {
        rc = channel_update_class(op, state, want);
        if (rc == 0) {
            free(now.channel_class);
            now.channel_class = strdup(want);
            rc = now.channel_class ? 0 : channel_no_memory(op);
        }
    }
    bool class_of_input = strcmp(now.input_class, want_input) != 0;
    bool detached = !now.attached;
    if (rc == 0 && class_of_input && now.attached) {
        rc = channel_update_channel(op, state, now.channel_class, true);
        detached = rc == 0;
    }
    if (rc == 0 && (input_edit || class_of_input))
        rc = channel_update_input(op, state, param);
    if (rc == 0 && !channel_is_standard(now.channel_class) && channel_is_standard(want)) {
        rc = channel_update_class(op, state, want);
        if (rc == 0) {
            free(now.channel_class);
            now.channel_class = strdup(want);
            rc = now.channel_class ? 0 : channel_no_memory(op);
        }
    }
    if (rc == 0) {
        rc = channel_update_channel(op, state, NULL, false);
    } else if (detached) {
        /* Reattach with the class the channel has now. The step that failed
         * has reported its error; this attempt's own would only repeat it. */
        struct diags quiet = {0}, *loud = op->ctx->diags;
        op->ctx->diags = &quiet;
        (void)channel_update_channel(op, state, now.channel_class, false);
        op->ctx->diags = loud;
        diags_clean_up(&quiet);
    }
    free(now.channel_class);
    free(now.input_class);
    return rc;
}

/* Tags of the channel, its input and its security group follow tags_all. */
static int channel_update_tags(struct channel_op *op, const struct cty_value *prior,
                               const struct cty_value *state)
{
    cJSON *have = channel_tags_json(cty_value_attr(prior, "tags_all"));
    cJSON *want = channel_tags_json(cty_value_attr(state, "tags_all"));
    static const char *const arns[] = {"arn", NULL};
    int rc = have && want ? 0 : -1;
    if (rc != 0) {
        cJSON_Delete(have);
        cJSON_Delete(want);
        return channel_no_memory(op);
    }
    rc = channel_api_tags_sync(op->c, cty_attr_string(prior, arns[0]), have, want, &op->err);
    for (int i = 0; rc == 0 && i < 2; i++) {
        enum channel_api_kind kind = i == 0 ? CHANNEL_API_INPUT : CHANNEL_API_SECURITY_GROUP;
        const char *id = cty_attr_string(state, i == 0 ? "input_id" : "input_security_group_id");
        cJSON *obj = NULL;
        if (!id)
            continue;
        rc = channel_api_describe(op->c, kind, id, &obj, &op->err);
        const char *arn = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, "arn"));
        if (rc == 0 && arn)
            rc = channel_api_tags_sync(op->c, arn, cJSON_GetObjectItemCaseSensitive(obj, "tags"),
                                       want, &op->err);
        cJSON_Delete(obj);
    }
    cJSON_Delete(have);
    cJSON_Delete(want);
    return rc == 0 ? 0 : channel_fail(op, "tags", "Cannot update the MediaLive tags");
}

/* Stores the pull password when it is new or rotated; returns the
 * parameter name the input should refer to (malloc'd) in *param, or NULL
 * when no password is configured. */
static int channel_update_password(struct channel_op *op, const struct cty_value *prior,
                                   const struct cty_value *config, const struct cty_value *state,
                                   char **param)
{
    const char *password = channel_password(config);
    *param = NULL;
    if (!password)
        return 0;
    *param = channel_role_parameter_name_new(cty_attr_string(state, "name"));
    if (!*param)
        return channel_no_memory(op);
    bool rotate = !channel_has_password(prior) ||
                  resource_attr_changed(prior, state, "pull_pass") ||
                  resource_attr_changed(prior, state, "pull_pass_wo_version");
    if (rotate && channel_api_parameter_put(op->c, *param, password, &op->err) != 0)
        return channel_fail(op, "pull_pass", "Cannot store the pull password in SSM");
    return 0;
}

static enum resource_result channel_update(struct resource_ctx *ctx,
                                           const struct cty_value *prior,
                                           const struct cty_value *config,
                                           struct cty_value *state)
{
    struct channel_op op;
    if (channel_op_init(&op, ctx, state, "update") != 0)
        return RESOURCE_ERROR;
    if (resource_set_tags_all(op.pd, state) != 0) {
        channel_no_memory(&op);
        return RESOURCE_ERROR;
    }
    const char *id = cty_attr_string(state, "id");
    const char *name = cty_attr_string(state, "name");
    const char *type = cty_attr_string(state, "input_type");
    bool pull = channel_is_pull(type);
    bool pull_changed = pull && (resource_attr_changed(prior, state, "pull_url") ||
                                 resource_attr_changed(prior, state, "pull_url_pipeline1") ||
                                 resource_attr_changed(prior, state, "pull_user") ||
                                 resource_attr_changed(prior, state, "pull_pass") ||
                                 resource_attr_changed(prior, state, "pull_pass_wo_version") ||
                                 channel_has_password(prior) != channel_has_password(config));
    bool device_changed = resource_attr_changed(prior, state, "input_device_id") ||
                          resource_attr_changed(prior, state, "input_device_id_pipeline1");
    bool dest_changed = resource_attr_changed(prior, state, "stream_path") ||
                        resource_attr_changed(prior, state, "container_endpoint") ||
                        resource_attr_changed(prior, state, "destination_bucket");
    bool channel_changes = resource_attr_changed(prior, state, "encoding_profile") ||
                           dest_changed || resource_attr_changed(prior, state, "role_arn");
    bool class_changed = resource_attr_changed(prior, state, "channel_class");
    /* The managed role follows the destination; a role the user gave is
     * theirs to adjust. */
    bool policy_changes = dest_changed && !resource_attr_changed(prior, state, "role_arn") &&
                          channel_role_is_managed(cty_attr_string(state, "role_arn"), name);
    bool want_running = cty_attr_bool(state, "channel_start", false);
    bool was_running = cty_attr_bool(prior, "channel_start", false);
    bool stopped = false;
    char *param = NULL;
    cJSON *containers = NULL;
    enum resource_result rc = RESOURCE_ERROR;

    if (resource_attr_changed(prior, state, "input_cidr") &&
        cty_attr_string(state, "input_security_group_id") && channel_update_group(&op, state) != 0)
        goto out;
    /* MediaLive edits only idle channels (and inputs attached to idle
     * channels): stop, edit, start again. */
    if ((pull_changed || device_changed || channel_changes || class_changed) && was_running) {
        if (channel_run(&op, id, false) != 0)
            goto out;
        stopped = true;
    }
    if (policy_changes) {
        struct channel_role_destination dest;
        if (channel_role_destination_of(&op, state, &dest, &containers) != 0)
            goto out;
        if (channel_role_update_policy(op.c, name, cty_attr_string(state, "role_arn"),
                                       op.pd->region, &dest, &op.err) != 0) {
            channel_fail(&op, "role_arn", "Cannot update the MediaLive role's policy");
            goto out;
        }
    }
    if (pull_changed) {
        if (channel_update_password(&op, prior, config, state, &param) != 0)
            goto out;
    } else if (pull && channel_password(config)) {
        /* Not rotated, but an UpdateInput must name it again. */
        if (!(param = channel_role_parameter_name_new(name))) {
            channel_no_memory(&op);
            goto out;
        }
    }
    if (class_changed) {
        if (channel_converge_class(&op, state, param, pull_changed || device_changed) != 0)
            goto out;
    } else {
        if ((pull_changed || device_changed) && channel_update_input(&op, state, param) != 0)
            goto out;
        if (channel_changes && channel_update_channel(&op, state, NULL, false) != 0)
            goto out;
    }
    if (pull_changed && !param && channel_has_password(prior)) {
        char *old = channel_role_parameter_name_new(name);
        int drc = old ? channel_api_parameter_delete(op.c, old, &op.err) : -1;
        free(old);
        if (drc != 0) {
            channel_fail(&op, "pull_pass", "Cannot delete the pull password parameter");
            goto out;
        }
    }
    if (resource_attr_changed(prior, state, "role_arn") &&
        channel_role_is_managed(cty_attr_string(prior, "role_arn"), cty_attr_string(prior, "name")) &&
        channel_role_delete(op.c, cty_attr_string(prior, "name"), &op.err) != 0) {
        channel_fail(&op, "role_arn", "Cannot delete the replaced MediaLive role");
        goto out;
    }
    if (resource_attr_changed(prior, state, "tags_all") &&
        channel_update_tags(&op, prior, state) != 0)
        goto out;
    if (want_running != (was_running && !stopped) && channel_run(&op, id, want_running) != 0)
        goto out;
    bool gone = false;
    rc = channel_refresh(&op, state, &gone);
    if (rc == RESOURCE_OK && gone) {
        diags_error(ctx->diags, "id", "MediaLive channel vanished",
                    "Channel %s was deleted during the update.", id);
        rc = RESOURCE_ERROR;
    }
out:
    cJSON_Delete(containers);
    free(param);
    return rc;
}

/* ---- delete, import ---- */

static enum resource_result channel_delete(struct resource_ctx *ctx,
                                           const struct cty_value *prior)
{
    struct channel_op op;
    if (channel_op_init(&op, ctx, prior, "delete") != 0)
        return RESOURCE_ERROR;
    const char *name = cty_attr_string(prior, "name");
    struct channel_parts parts = {
        .name = name,
        .channel_id = cty_attr_string(prior, "id"),
        .input_id = cty_attr_string(prior, "input_id"),
        .group_id = cty_attr_string(prior, "input_security_group_id"),
        .managed_role = channel_role_is_managed(cty_attr_string(prior, "role_arn"), name),
        .parameter = channel_is_pull(cty_attr_string(prior, "input_type")) &&
                     channel_has_password(prior),
    };
    return channel_teardown(&op, &parts) == 0 ? RESOURCE_OK : RESOURCE_ERROR;
}

/* Import by channel id: read finds the input, its security group and the
 * role from the channel. */
enum resource_result channel_import(struct resource_ctx *ctx, const char *id,
                                    struct cty_value *state)
{
    if (!id || !*id) {
        diags_error(ctx->diags, NULL, "Invalid import id",
                    "Import lsms_channel by its MediaLive channel id.");
        return RESOURCE_ERROR;
    }
    return resource_set_string(state, "id", id) == 0 ? RESOURCE_OK : RESOURCE_ERROR;
}

enum resource_result channel_lookup(struct resource_ctx *ctx, struct cty_value *state, bool *gone)
{
    struct channel_op op;
    if (channel_op_init(&op, ctx, state, "update") != 0)
        return RESOURCE_ERROR;
    op.no_secrets = true;
    return channel_refresh(&op, state, gone);
}

/* A channel read found deleted with parts left (channel_leftovers) is
 * replaced: "state" DELETED -> known after apply. */
static const char *channel_partial_attr(const struct cty_value *prior)
{
    const char *st = cty_attr_string(prior, "state");
    return st && strcmp(st, "DELETED") == 0 ? "state" : NULL;
}

const struct lsms_resource lsms_channel_resource = {
    .type_name = "lsms_channel",
    .schema = &channel_schema,
    .validate = channel_validate,
    .modify_plan = channel_modify_plan,
    .partial_attr = channel_partial_attr,
    .create = channel_create,
    .read = channel_read,
    .update = channel_update,
    .delete = channel_delete,
    .import = channel_import,
    .upgrade_state = NULL, /* schema version 0: nothing to upgrade */
    .identity = &channel_identity, /* channel_identity.c */
    .list = &channel_list,         /* channel_list.c */
    .generate_config = NULL,       /* the framework's derivation plans no change */
};
