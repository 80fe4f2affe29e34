/*
 * provider.c - the provider "lsms": its configuration block and the list of
 * resources it serves.
 *
 * Provider block attributes cannot carry schema defaults in the protocol, so
 * defaults (max_retries 25, region from the environment) are applied here in
 * configure.
 */
#include "resources/provider.h"

#include <stdlib.h>
#include <string.h>

#include "aws/client.h"
#include "aws/profile.h"
#include "framework/resource.h"
#include "framework/schema.h"
#include "util/buf.h"

#include "resources/bucket/bucket.h"
#include "resources/channel/channel.h"
#include "resources/container/container.h"
#include "resources/dashboard/dashboard.h"
#include "resources/distribution/distribution.h"
#include "resources/player/player.h"

extern const struct lsms_data_source lsms_encoding_profile_data_source;
extern const struct lsms_function lsms_encoding_profile_renditions_function;

/* ---- schema ---- */

static const char *const url_schemes[] = {"https", "http", NULL};

#define ENDPOINT(svc, what)                                                                    \
    {.name = svc, .type = "string", .flags = SCHEMA_OPTIONAL,                                  \
     .description = "Custom endpoint URL for " what " (for example a local emulator). "        \
                    "Overrides `AWS_ENDPOINT_URL_<SERVICE>` and `AWS_ENDPOINT_URL`.",          \
     .validators = (const struct schema_validator[]){                                          \
         {.kind = VALIDATE_URL, .one_of = url_schemes}, {0}}}

static const struct schema_attribute provider_endpoint_attrs[] = {
    ENDPOINT("cloudfront", "Amazon CloudFront"),
    ENDPOINT("cloudwatch", "Amazon CloudWatch (dashboards)"),
    ENDPOINT("iam", "AWS IAM"),
    ENDPOINT("logs", "Amazon CloudWatch Logs"),
    ENDPOINT("medialive", "AWS Elemental MediaLive"),
    ENDPOINT("mediastore", "AWS Elemental MediaStore (control plane)"),
    ENDPOINT("s3", "Amazon S3 (buckets are then addressed path-style)"),
    ENDPOINT("ssm", "AWS Systems Manager (Parameter Store)"),
    ENDPOINT("sts", "AWS STS"),
    {0}};

static const struct schema_attribute provider_assume_role_attrs[] = {
    {.name = "role_arn", .type = "string", .flags = SCHEMA_REQUIRED,
     .description = "ARN of the IAM role to assume with STS `AssumeRole`.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_REGEX, .regex = "^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$",
          .message = "an IAM role ARN such as arn:aws:iam::123456789012:role/deploy"},
         {0}}},
    {.name = "session_name", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "Session name for the assumed role (default `terraform-provider-lsms`).",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_REGEX, .regex = "^[A-Za-z0-9_=,.@-]+$",
          .message = "2 to 64 characters from letters, digits and _=,.@-"},
         {.kind = VALIDATE_LENGTH, .min = 2, .max = 64,
          .message = "2 to 64 characters from letters, digits and _=,.@-"},
         {0}}},
    {.name = "external_id", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "External ID the role's trust policy requires, if any.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_LENGTH, .min = 2, .max = 1224}, {0}}},
    {.name = "duration_seconds", .type = "number", .flags = SCHEMA_OPTIONAL,
     .description = "Lifetime of the assumed-role session in seconds (900 to 43200; default "
                    "3600).",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_INT_RANGE, .min = 900, .max = 43200}, {0}}},
    {0}};

static const struct schema_attribute provider_default_tags_attrs[] = {
    {.name = "tags", .type = "[\"map\",\"string\"]", .flags = SCHEMA_OPTIONAL,
     .description = "Tags added to every resource that supports tags; a resource's own `tags` "
                    "win on conflicts. The merged set is each resource's `tags_all`."},
    {0}};

static const struct schema_block provider_assume_role_block = {
    .attributes = provider_assume_role_attrs,
    .description = "Assume an IAM role (through STS) after resolving the base credentials."};
static const struct schema_block provider_endpoints_block = {
    .attributes = provider_endpoint_attrs,
    .description = "Per-service endpoint overrides, for local emulators such as moto."};
static const struct schema_block provider_default_tags_block = {
    .attributes = provider_default_tags_attrs,
    .description = "Tags applied to every taggable resource of this provider."};

static const struct schema_attribute provider_attrs[] = {
    {.name = "region", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "AWS region, for example `us-east-1`. Falls back to `AWS_REGION`, "
                    "`AWS_DEFAULT_REGION`, then the profile's `region`.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_REGEX, .regex = "^[a-z]{2}(-[a-z]+)+-[0-9]+$",
          .message = "an AWS region name such as us-east-1"},
         {0}}},
    {.name = "profile", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "Named profile of the shared config and credentials files (default "
                    "`AWS_PROFILE`, then `default`)."},
    {.name = "shared_config_files", .type = "[\"list\",\"string\"]", .flags = SCHEMA_OPTIONAL,
     .description = "Shared config files to read (default `AWS_CONFIG_FILE` or "
                    "`~/.aws/config`)."},
    {.name = "shared_credentials_files", .type = "[\"list\",\"string\"]",
     .flags = SCHEMA_OPTIONAL,
     .description = "Shared credentials files to read (default `AWS_SHARED_CREDENTIALS_FILE` "
                    "or `~/.aws/credentials`)."},
    {.name = "access_key", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "AWS access key id. Prefer the environment or a profile; "
                    "`AWS_ACCESS_KEY_ID` is used when unset."},
    {.name = "secret_key", .type = "string", .flags = SCHEMA_OPTIONAL | SCHEMA_SENSITIVE,
     .description = "AWS secret access key (`AWS_SECRET_ACCESS_KEY` when unset)."},
    {.name = "token", .type = "string", .flags = SCHEMA_OPTIONAL | SCHEMA_SENSITIVE,
     .description = "AWS session token for temporary credentials (`AWS_SESSION_TOKEN` when "
                    "unset)."},
    {.name = "max_retries", .type = "number", .flags = SCHEMA_OPTIONAL,
     .description = "Retries of a throttled or failed AWS call after the first attempt, with "
                    "exponential backoff and jitter (default 25).",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_INT_RANGE, .min = 0, .max = 100}, {0}}},
    {.name = "skip_credentials_validation", .type = "bool", .flags = SCHEMA_OPTIONAL,
     .description = "Skip the STS `GetCallerIdentity` check of the credentials (default "
                    "false)."},
    {.name = "skip_requesting_account_id", .type = "bool", .flags = SCHEMA_OPTIONAL,
     .description = "Do not look up the account id (default false). Resources that build ARNs "
                    "from it then need them given explicitly. The credentials check "
                    "(`skip_credentials_validation = false`) still tells the account; with both "
                    "skipped the provider does not know it: resource identities made then have "
                    "no `account_id`, and those already in the state keep theirs (an identity "
                    "never changes)."},
    {.name = "insecure", .type = "bool", .flags = SCHEMA_OPTIONAL,
     .description = "Skip TLS certificate verification. **For local emulators only.**"},
    {.name = "s3_use_path_style", .type = "bool", .flags = SCHEMA_OPTIONAL,
     .description = "Address S3 buckets path-style (`https://s3.<region>.amazonaws.com/<bucket>/"
                    "<key>`) instead of virtual-hosted style (`https://<bucket>.s3.<region>."
                    "amazonaws.com/<key>`; default false). A custom S3 endpoint (`endpoints`, "
                    "`AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL`) is always addressed path-style, "
                    "and so is a bucket name that is not a valid DNS label (dots, upper case)."},
    {0}};

static const struct schema_block_type provider_block_types[] = {
    {.name = "assume_role", .nesting = SCHEMA_NESTING_SINGLE, .block = &provider_assume_role_block},
    {.name = "endpoints", .nesting = SCHEMA_NESTING_SINGLE, .block = &provider_endpoints_block},
    {.name = "default_tags", .nesting = SCHEMA_NESTING_SINGLE,
     .block = &provider_default_tags_block},
    {0}};

static const struct schema provider_schema = {
    .version = 0,
    .block = {.attributes = provider_attrs,
              .block_types = provider_block_types,
              .description = "Deploys the *Live Streaming on AWS with MediaStore* solution: "
                             "MediaStore container, MediaLive channel, CloudFront distribution "
                             "and CloudWatch dashboard."},
};

/* ---- configure ---- */

static const char *provider_env(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

/* The region of the named (or AWS_PROFILE, or default) profile in the
 * configured or default shared config file; malloc'd or NULL. Reading a
 * local file is not an AWS call, and it lets configure report a missing
 * region before anything is sent. */
static char *provider_profile_region(const struct cty_value *config)
{
    const char *name = cty_attr_string(config, "profile");
    if (!name)
        name = provider_env("AWS_PROFILE");
    if (!name)
        name = "default";
    struct buf home_config = {0};
    const char *files[16];
    size_t n = 0;
    const struct cty_value *list = cty_value_attr(config, "shared_config_files");
    for (size_t i = 0; i < cty_value_length(list) && n < 16; i++) {
        const char *f = cty_value_string(cty_value_index(list, i));
        if (f)
            files[n++] = f;
    }
    if (n == 0) {
        const char *env = provider_env("AWS_CONFIG_FILE");
        const char *home = provider_env("HOME");
        if (env)
            files[n++] = env;
        else if (home && buf_printf(&home_config, "%s/.aws/config", home) == 0)
            files[n++] = home_config.data;
    }
    char *region = NULL;
    struct aws_profile profile = {0};
    if (n > 0 && aws_profile_load(&profile, name, files, n, NULL, 0) == 0) {
        const char *r = aws_profile_get(&profile, "region");
        if (r && *r)
            region = strdup(r);
    }
    aws_profile_clean_up(&profile);
    buf_clean_up(&home_config);
    return region;
}

static void provider_data_destroy(void *data)
{
    struct lsms_provider_data *pd = data;
    if (!pd)
        return;
    aws_client_destroy(pd->client);
    free(pd->region);
    free(pd->account_id);
    cty_value_destroy(pd->default_tags);
    free(pd);
}

/* default_tags.tags as a known map (empty when unset). */
static struct cty_value *provider_default_tags(const struct cty_value *config, struct diags *d)
{
    const struct cty_value *tags = cty_value_attr(cty_value_attr(config, "default_tags"), "tags");
    if (tags && !cty_value_is_null(tags)) {
        if (!cty_value_is_wholly_known(tags)) {
            struct attr_path p = {0};
            attr_path_push_attr(&p, "default_tags");
            attr_path_push_attr(&p, "tags");
            diags_add(d, DIAG_ERROR, &p, "Unknown default tags",
                      "The provider's default_tags must be known when the provider is "
                      "configured; they may not depend on resources of this configuration.");
            attr_path_clean_up(&p);
            return NULL;
        }
        return cty_value_clone(tags);
    }
    struct cty_type *t = cty_type_collection_new(CTY_MAP, cty_type_string());
    struct cty_value *empty = t ? cty_collection_new(t) : NULL;
    cty_type_release(t);
    return empty;
}

/* Strings of a list(string) attribute, borrowed from `config`; at most `max`. */
static size_t provider_string_list(const struct cty_value *config, const char *name,
                                   const char **out, size_t max)
{
    const struct cty_value *list = cty_value_attr(config, name);
    size_t n = 0;
    for (size_t i = 0; i < cty_value_length(list) && n < max; i++) {
        const char *s = cty_value_string(cty_value_index(list, i));
        if (s)
            out[n++] = s;
    }
    return n;
}

/* Builds the AWS client: credentials chain, endpoints, retries, and (unless
 * skipped) STS GetCallerIdentity, which also gives the account id. */
static int provider_client_new(struct lsms_provider_data *pd, const struct cty_value *config,
                               struct diags *d)
{
    const char *config_files[16], *credentials_files[16];
    const struct cty_value *endpoints = cty_value_attr(config, "endpoints");
    const struct cty_value *role = cty_value_attr(config, "assume_role");
    struct aws_client_config cfg = {
        .region = pd->region,
        .credentials =
            {
                .access_key = cty_attr_string(config, "access_key"),
                .secret_key = cty_attr_string(config, "secret_key"),
                .token = cty_attr_string(config, "token"),
                .profile = cty_attr_string(config, "profile"),
                .config_files = config_files,
                .config_files_count =
                    provider_string_list(config, "shared_config_files", config_files, 16),
                .credentials_files = credentials_files,
                .credentials_files_count = provider_string_list(
                    config, "shared_credentials_files", credentials_files, 16),
            },
        .endpoints =
            {
                .cloudfront = cty_attr_string(endpoints, "cloudfront"),
                .cloudwatch = cty_attr_string(endpoints, "cloudwatch"),
                .iam = cty_attr_string(endpoints, "iam"),
                .logs = cty_attr_string(endpoints, "logs"),
                .medialive = cty_attr_string(endpoints, "medialive"),
                .mediastore = cty_attr_string(endpoints, "mediastore"),
                .ssm = cty_attr_string(endpoints, "ssm"),
                .sts = cty_attr_string(endpoints, "sts"),
                .s3 = cty_attr_string(endpoints, "s3"),
            },
        .assume_role =
            {
                .role_arn = cty_attr_string(role, "role_arn"),
                .session_name = cty_attr_string(role, "session_name"),
                .external_id = cty_attr_string(role, "external_id"),
                .duration_seconds = (int)cty_attr_int(role, "duration_seconds", 0),
            },
        .max_retries = (int)pd->max_retries,
        .insecure = cty_attr_bool(config, "insecure", false),
        .skip_credentials_validation = cty_attr_bool(config, "skip_credentials_validation", false),
        .skip_requesting_account_id = cty_attr_bool(config, "skip_requesting_account_id", false),
        .s3_use_path_style = cty_attr_bool(config, "s3_use_path_style", false),
    };
    struct aws_error err = {0};
    pd->client = aws_client_new(&cfg, &err);
    if (!pd->client) {
        char *why = aws_error_format(&err);
        diags_error(d, NULL, "Cannot configure the AWS client",
                    "The provider could not set up its AWS credentials: %s.",
                    why ? why : "out of memory");
        free(why);
        aws_error_clean_up(&err);
        return -1;
    }
    const char *account = aws_client_account_id(pd->client);
    if (account && *account)
        pd->account_id = strdup(account);
    return 0;
}

static void *provider_configure(const struct cty_value *config, const char *terraform_version,
                                struct diags *d)
{
    (void)terraform_version;
    struct lsms_provider_data *pd = calloc(1, sizeof *pd);
    if (!pd) {
        diags_error(d, NULL, "Out of memory", "The provider could not allocate its state.");
        return NULL;
    }
    const struct cty_value *region_v = cty_value_attr(config, "region");
    if (region_v && !cty_value_is_known(region_v)) {
        diags_error(d, "region", "Unknown region",
                    "The provider's region must be known when the provider is configured; it "
                    "may not depend on resources of this configuration.");
        goto fail;
    }
    const char *region = cty_attr_string(config, "region");
    if (!region)
        region = provider_env("AWS_REGION");
    if (!region)
        region = provider_env("AWS_DEFAULT_REGION");
    pd->region = region ? strdup(region) : provider_profile_region(config);
    if (!pd->region) {
        diags_error(d, "region", "region is not set",
                    "Set the provider's \"region\" argument, or AWS_REGION or "
                    "AWS_DEFAULT_REGION in the environment, or region in the AWS profile.");
        goto fail;
    }
    pd->max_retries = cty_attr_int(config, "max_retries", LSMS_PROVIDER_DEFAULT_MAX_RETRIES);
    pd->default_tags = provider_default_tags(config, d);
    if (!pd->default_tags) {
        if (!diags_has_error(d))
            diags_error(d, NULL, "Out of memory", "The provider could not copy its default tags.");
        goto fail;
    }
    if (provider_client_new(pd, config, d) != 0)
        goto fail;
    return pd;
fail:
    provider_data_destroy(pd);
    return NULL;
}

static void provider_stop(void *data)
{
    struct lsms_provider_data *pd = data;
    if (pd) {
        pd->stop_requested = 1;
        if (pd->client)
            aws_client_stop(pd->client);
    }
}

/* ---- shared schema pieces and plan helpers (provider.h) ---- */

const struct schema_validator lsms_duration_validators[] = {
    {.kind = VALIDATE_REGEX, .regex = "^([0-9]+[smh])+$",
     .message = "a duration such as 30s, 20m, 1h or 1h30m"},
    {0}};

void lsms_plan_set_string(struct cty_value *planned, const char *name, const char *s)
{
    const struct cty_value *cur = cty_value_attr(planned, name);
    if (!s || !cur || (cty_value_is_known(cur) && !cty_value_is_null(cur)))
        return;
    struct cty_value *v = cty_string_new(s);
    if (v)
        (void)cty_object_set(planned, name, v);
}

void lsms_tags_all_plan(const struct resource_ctx *ctx, const struct cty_value *config,
                        struct cty_value *planned)
{
    const struct lsms_provider_data *pd = ctx ? ctx->provider_data : NULL;
    const struct cty_value *tags = cty_value_attr(config, "tags");
    const struct cty_value *cur = cty_value_attr(planned, "tags_all");
    if (!pd || !pd->default_tags || !cur || !tags || !cty_value_is_wholly_known(tags))
        return;
    struct cty_value *all = cty_collection_new(cty_value_type(cur));
    if (!all)
        return;
    for (size_t i = 0; i < cty_value_length(pd->default_tags); i++) {
        struct cty_value *v = cty_value_clone(cty_value_index(pd->default_tags, i));
        if (!v || cty_map_put(all, cty_value_map_key(pd->default_tags, i), v) != 0) {
            goto discard;
        }
    }
    for (size_t i = 0; i < cty_value_length(tags); i++) {
        struct cty_value *v = cty_value_clone(cty_value_index(tags, i));
        if (!v || cty_map_put(all, cty_value_map_key(tags, i), v) != 0) {
            goto discard;
        }
    }
    if (cty_value_equal(all, cur) || cty_object_set(planned, "tags_all", all) != 0)
        goto discard;
    return;
discard: /* unchanged, or could not be built: leave tags_all as planned */
    cty_value_destroy(all);
}

static const struct lsms_resource *const provider_resources[] = {
    &lsms_container_resource,
    &lsms_channel_resource,
    &lsms_distribution_resource,
    &lsms_dashboard_resource,
    &lsms_bucket_resource,
    &lsms_player_resource,
    NULL,
};

static const struct lsms_data_source *const provider_data_sources[] = {
    &lsms_encoding_profile_data_source,
    &lsms_channel_data_source,
    &lsms_bucket_data_source,
    &lsms_container_data_source,
    &lsms_distribution_data_source,
    NULL,
};

static const struct lsms_function *const provider_functions[] = {
    &lsms_encoding_profile_renditions_function,
    &lsms_push_target_function,
    &lsms_test_card_command_function,
    &lsms_playback_url_function,
    NULL,
};

static const struct lsms_action *const provider_actions[] = {
    &lsms_channel_start_action,
    &lsms_channel_stop_action,
    &lsms_distribution_invalidate_action,
    NULL,
};

const struct lsms_provider lsms_provider = {
    .schema = &provider_schema,
    .validate = NULL, /* the schema's validators cover the block */
    .configure = provider_configure,
    .stop = provider_stop,
    .destroy = provider_data_destroy,
    .resources = provider_resources,
    .data_sources = provider_data_sources,
    .functions = provider_functions,
    .actions = provider_actions,
};
