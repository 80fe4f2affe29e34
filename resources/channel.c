/*
 * channel.c - lsms_channel: an AWS Elemental MediaLive input (with its
 * security group, and an SSM parameter for a pull password), the IAM role
 * MediaLive assumes, and the channel encoding the HLS ladder into the
 * container.
 *
 * The file has two parts: the schema table (the public interface of design
 * §3), then the operations (validate, plan, and later create/read/update/
 * delete/import).
 */
#include <stdbool.h>
#include <string.h>

#include "framework/resource.h"
#include "framework/schema.h"
#include "resources/provider.h"

/* ======================= schema ======================= */

static const char *const channel_input_types[] = {"RTP_PUSH", "RTMP_PUSH", "URL_PULL",
                                                  "INPUT_DEVICE", NULL};
static const char *const channel_profiles[] = {"HD-1080p", "HD-720p", "SD-540p", NULL};
static const char *const channel_classes[] = {"SINGLE_PIPELINE", "STANDARD", NULL};
static const char *const channel_pull_schemes[] = {"http", "https", NULL};
static const char *const channel_https[] = {"https", NULL};

/* The rung fields of the encoding ladder; filled by the ladder module. */
#define CHANNEL_RENDITIONS_TYPE                                                                \
    "[\"list\",[\"object\",{\"name\":\"string\",\"width\":\"number\",\"height\":\"number\","   \
    "\"bitrate\":\"number\",\"framerate\":\"number\"}]]"

static const struct schema_attribute channel_attrs[] = {
    {.name = "name", .type = "string", .flags = SCHEMA_REQUIRED | SCHEMA_REPLACE,
     .description = "Name of the channel (also used for its input, security group and role). "
                    "Changing it replaces the channel.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_REGEX, .regex = "^[A-Za-z0-9_-]{1,64}$",
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
    {.name = "input_device_id", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "ID of the AWS Elemental Link device for `INPUT_DEVICE` (required for it, "
                    "rejected otherwise)."},
    {.name = "encoding_profile", .type = "string", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .default_json = "\"HD-720p\"",
     .description = "HLS ladder: `HD-1080p` (1080p to 288p), `HD-720p` (720p to 288p) or "
                    "`SD-540p` (540p to 288p).",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_ONE_OF, .one_of = channel_profiles}, {0}}},
    {.name = "container_endpoint", .type = "string", .flags = SCHEMA_REQUIRED,
     .description = "HTTPS endpoint of the destination container (`lsms_container.endpoint`).",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_URL, .one_of = channel_https}, {0}}},
    {.name = "stream_path", .type = "string", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .default_json = "\"stream/index\"",
     .description = "Path in the container of the HLS output, without extension (the master "
                    "manifest is `<stream_path>.m3u8`).",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_REGEX, .regex = "^[A-Za-z0-9_.~-]+(/[A-Za-z0-9_.~-]+)*$",
          .message = "a relative path such as stream/index"},
         {0}}},
    {.name = "channel_class", .type = "string", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .default_json = "\"SINGLE_PIPELINE\"",
     .description = "`SINGLE_PIPELINE` or `STANDARD` (two redundant pipelines).",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_ONE_OF, .one_of = channel_classes}, {0}}},
    {.name = "role_arn", .type = "string",
     .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED | SCHEMA_USE_STATE,
     .description = "IAM role MediaLive assumes. When unset a least-privilege role for the "
                    "destination container is created and its ARN appears here.",
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
                             "group and role, encoding an HLS ladder into the container."},
};

/* ======================= operations ======================= */

static bool channel_is_set(const struct cty_value *v)
{
    return v && cty_value_is_known(v) && !cty_value_is_null(v);
}

static bool channel_is_unset(const struct cty_value *v)
{
    return !v || (cty_value_is_known(v) && cty_value_is_null(v));
}

static void channel_reject(const struct cty_value *config, const char *attr, const char *type,
                           const char *allowed, struct diags *d)
{
    if (channel_is_set(cty_value_attr(config, attr)))
        diags_error(d, attr, "Argument not allowed for this input type",
                    "%s is only used with %s inputs, not %s.", attr, allowed, type);
}

static void channel_require(const struct cty_value *config, const char *attr, const char *type,
                            struct diags *d)
{
    const struct cty_value *v = cty_value_attr(config, attr);
    bool empty_list = v && cty_value_is_known(v) && !cty_value_is_null(v) &&
                      cty_type_kind(cty_value_type(v)) == CTY_LIST && cty_value_length(v) == 0;
    if (channel_is_unset(v) || empty_list)
        diags_error(d, attr, "Missing required argument",
                    "%s inputs need %s.", type, attr);
}

/* Which arguments each input type needs and refuses. Values may be unknown
 * at validation time: only known values are judged. */
static void channel_validate(const struct cty_value *config, struct diags *d)
{
    if (channel_is_set(cty_value_attr(config, "pull_pass")) &&
        channel_is_set(cty_value_attr(config, "pull_pass_wo")))
        diags_error(d, "pull_pass_wo", "Conflicting arguments",
                    "Set either pull_pass or pull_pass_wo, not both.");
    const char *type = cty_attr_string(config, "input_type");
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
                                                "pull_pass_wo"};
        for (size_t i = 0; i < sizeof pull_only / sizeof pull_only[0]; i++)
            channel_reject(config, pull_only[i], type, "URL_PULL", d);
    }
    if (device)
        channel_require(config, "input_device_id", type, d);
    else
        channel_reject(config, "input_device_id", type, "INPUT_DEVICE", d);
}

/* Renditions come from the ladder module when it lands; until then they
 * stay the generic unknown. */
static void channel_modify_plan(struct resource_ctx *ctx, const struct cty_value *prior,
                                const struct cty_value *config, struct cty_value *planned)
{
    (void)prior;
    lsms_tags_all_plan(ctx, config, planned);
}

const struct lsms_resource lsms_channel_resource = {
    .type_name = "lsms_channel",
    .schema = &channel_schema,
    .validate = channel_validate,
    .modify_plan = channel_modify_plan,
    .create = NULL, /* not implemented yet */
    .read = NULL,
    .update = NULL,
    .delete = NULL,
    .import = NULL,
    .upgrade_state = NULL, /* schema version 0: nothing to upgrade */
};
