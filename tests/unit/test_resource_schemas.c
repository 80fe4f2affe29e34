/* Tests for the provider and resource tables: every schema compiles, the
 * public attributes of design §3 exist with the right flags, and validation
 * and plan hooks point at the right attributes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "framework/resource.h"
#include "framework/schema.h"
#include "resources/common.h"
#include "resources/provider.h"
#include "util/json_equal.h"

extern const struct lsms_resource lsms_container_resource;
extern const struct lsms_resource lsms_channel_resource;
extern const struct lsms_resource lsms_distribution_resource;
extern const struct lsms_resource lsms_dashboard_resource;

enum { R = SCHEMA_REQUIRED, O = SCHEMA_OPTIONAL, C = SCHEMA_COMPUTED, S = SCHEMA_SENSITIVE,
       W = SCHEMA_WRITE_ONLY, X = SCHEMA_REPLACE, U = SCHEMA_USE_STATE };

struct expected_attr {
    const char *schema; /* "provider" or a resource type */
    const char *path;   /* "name", or "block.attr" inside a nested block */
    unsigned flags;     /* R/O/C must match exactly; other bits must be present */
};

static const struct expected_attr expected[] = {
    {"provider", "region", O}, {"provider", "profile", O},
    {"provider", "shared_config_files", O}, {"provider", "shared_credentials_files", O},
    {"provider", "access_key", O}, {"provider", "secret_key", O | S},
    {"provider", "token", O | S}, {"provider", "max_retries", O},
    {"provider", "skip_credentials_validation", O}, {"provider", "skip_requesting_account_id", O},
    {"provider", "insecure", O}, {"provider", "assume_role.role_arn", R},
    {"provider", "assume_role.session_name", O}, {"provider", "assume_role.external_id", O},
    {"provider", "assume_role.duration_seconds", O}, {"provider", "endpoints.cloudfront", O},
    {"provider", "endpoints.cloudwatch", O}, {"provider", "endpoints.iam", O},
    {"provider", "endpoints.logs", O}, {"provider", "endpoints.medialive", O},
    {"provider", "endpoints.mediastore", O}, {"provider", "endpoints.ssm", O},
    {"provider", "endpoints.sts", O}, {"provider", "default_tags.tags", O},
    {"provider", "endpoints.s3", O}, {"provider", "s3_use_path_style", O},

    {"lsms_container", "name", R | X}, {"lsms_container", "restrict_to_cdn", O | C},
    {"lsms_container", "policy", O}, {"lsms_container", "cors_rules", O | C},
    {"lsms_container", "lifecycle_rules", O | C}, {"lsms_container", "container_level_metrics", O | C},
    {"lsms_container", "access_logging", O | C}, {"lsms_container", "create_logging_role", O | C},
    {"lsms_container", "force_destroy", O | C}, {"lsms_container", "tags", O},
    {"lsms_container", "tags_all", C}, {"lsms_container", "id", C | U},
    {"lsms_container", "arn", C | U}, {"lsms_container", "endpoint", C | U},
    {"lsms_container", "status", C}, {"lsms_container", "creation_time", C | U},
    {"lsms_container", "origin_secret", C | S | U}, {"lsms_container", "log_group_name", C},
    {"lsms_container", "timeouts.create", O}, {"lsms_container", "timeouts.delete", O},

    {"lsms_channel", "name", R | X}, {"lsms_channel", "input_type", R | X},
    {"lsms_channel", "input_cidr", O}, {"lsms_channel", "pull_url", O},
    {"lsms_channel", "pull_user", O}, {"lsms_channel", "pull_pass", O | S},
    {"lsms_channel", "pull_pass_wo", O | W}, {"lsms_channel", "pull_pass_wo_version", O},
    {"lsms_channel", "input_device_id", O}, {"lsms_channel", "encoding_profile", O | C},
    {"lsms_channel", "container_endpoint", O}, {"lsms_channel", "destination_bucket", O},
    {"lsms_channel", "pull_url_pipeline1", O}, {"lsms_channel", "input_device_id_pipeline1", O},
    {"lsms_channel", "stream_path", O | C},
    {"lsms_channel", "channel_class", O | C}, {"lsms_channel", "role_arn", O | C},
    {"lsms_channel", "channel_start", O | C}, {"lsms_channel", "tags", O},
    {"lsms_channel", "tags_all", C}, {"lsms_channel", "id", C | U}, {"lsms_channel", "arn", C | U},
    {"lsms_channel", "input_id", C | U}, {"lsms_channel", "input_security_group_id", C},
    {"lsms_channel", "input_endpoints", C}, {"lsms_channel", "state", C},
    {"lsms_channel", "renditions", C}, {"lsms_channel", "timeouts.create", O},
    {"lsms_channel", "timeouts.update", O}, {"lsms_channel", "timeouts.delete", O},

    {"lsms_distribution", "origin_endpoint", O}, {"lsms_distribution", "origin_secret", O | S},
    {"lsms_distribution", "origin_bucket", O}, {"lsms_distribution", "grant_bucket_read", O | C},
    {"lsms_distribution", "origin_access_control_id", C | U},
    {"lsms_distribution", "stream_path", O | C}, {"lsms_distribution", "comment", O},
    {"lsms_distribution", "enabled", O | C}, {"lsms_distribution", "price_class", O | C},
    {"lsms_distribution", "ipv6_enabled", O | C}, {"lsms_distribution", "http_version", O | C},
    {"lsms_distribution", "manifest_ttl_seconds", O | C},
    {"lsms_distribution", "segment_ttl_seconds", O | C},
    {"lsms_distribution", "error_caching_min_ttl", O | C},
    {"lsms_distribution", "logging_bucket", O}, {"lsms_distribution", "logging_prefix", O},
    {"lsms_distribution", "web_acl_id", O}, {"lsms_distribution", "wait_for_deployment", O | C},
    {"lsms_distribution", "retain_on_delete", O | C}, {"lsms_distribution", "tags", O},
    {"lsms_distribution", "tags_all", C}, {"lsms_distribution", "id", C | U},
    {"lsms_distribution", "arn", C | U}, {"lsms_distribution", "domain_name", C | U},
    {"lsms_distribution", "hosted_zone_id", C | U}, {"lsms_distribution", "status", C},
    {"lsms_distribution", "etag", C}, {"lsms_distribution", "live_stream_url", C},
    {"lsms_distribution", "timeouts.create", O}, {"lsms_distribution", "timeouts.update", O},
    {"lsms_distribution", "timeouts.delete", O},

    {"lsms_dashboard", "name", R | X}, {"lsms_dashboard", "container_name", O},
    {"lsms_dashboard", "bucket_name", O}, {"lsms_dashboard", "metrics_filter_id", O | C},
    {"lsms_dashboard", "region", O | C}, {"lsms_dashboard", "stream_path", O | C},
    {"lsms_dashboard", "distribution_id", O}, {"lsms_dashboard", "id", C | U},
    {"lsms_dashboard", "arn", C | U}, {"lsms_dashboard", "dashboard_body", C},
    {"lsms_dashboard", "console_url", C},

    {"lsms_bucket", "name", O | C | X | U}, {"lsms_bucket", "name_prefix", O | C | X | U},
    {"lsms_bucket", "block_public_access", O | C}, {"lsms_bucket", "object_ownership", O | C},
    {"lsms_bucket", "cors_rules", O | C}, {"lsms_bucket", "lifecycle_rules", O | C},
    {"lsms_bucket", "request_metrics", O | C}, {"lsms_bucket", "metrics_filter_id", O | C},
    {"lsms_bucket", "logging_bucket", O}, {"lsms_bucket", "logging_prefix", O},
    {"lsms_bucket", "force_destroy", O | C}, {"lsms_bucket", "tags", O},
    {"lsms_bucket", "tags_all", C}, {"lsms_bucket", "id", C | U}, {"lsms_bucket", "arn", C | U},
    {"lsms_bucket", "region", C | U}, {"lsms_bucket", "bucket_regional_domain_name", C | U},
    {NULL, NULL, 0}};

static const struct lsms_resource *resource_by_type(const char *type)
{
    for (const struct lsms_resource *const *r = lsms_provider.resources; *r; r++)
        if (strcmp((*r)->type_name, type) == 0)
            return *r;
    return NULL;
}

static const struct schema *schema_by_name(const char *name)
{
    if (strcmp(name, "provider") == 0)
        return lsms_provider.schema;
    const struct lsms_resource *r = resource_by_type(name);
    return r ? r->schema : NULL;
}

static const struct schema_attribute *attr_find(const struct schema_block *b, const char *path)
{
    const char *dot = strchr(path, '.');
    if (dot) {
        for (const struct schema_block_type *bt = b->block_types; bt && bt->name; bt++)
            if (strlen(bt->name) == (size_t)(dot - path) && strncmp(bt->name, path, (size_t)(dot - path)) == 0)
                return attr_find(bt->block, dot + 1);
        return NULL;
    }
    for (const struct schema_attribute *a = b->attributes; a && a->name; a++)
        if (strcmp(a->name, path) == 0)
            return a;
    return NULL;
}

/* Every attribute in a table has a description (recursively). */
static void assert_described(const struct schema_block *b)
{
    for (const struct schema_attribute *a = b->attributes; a && a->name; a++) {
        if (!a->description || !*a->description)
            fail_msg("attribute %s has no description", a->name);
        if (a->nested)
            for (const struct schema_attribute *n = a->nested->attributes; n->name; n++)
                if (!n->description || !*n->description)
                    fail_msg("attribute %s.%s has no description", a->name, n->name);
    }
    for (const struct schema_block_type *bt = b->block_types; bt && bt->name; bt++)
        assert_described(bt->block);
}

static void every_schema_compiles(void **state)
{
    (void)state;
    char *err = NULL;
    struct schema_compiled *c = schema_compile(lsms_provider.schema, &err);
    if (!c)
        fail_msg("provider schema: %s", err);
    schema_compiled_destroy(c);
    assert_described(&lsms_provider.schema->block);
    size_t n = 0;
    for (const struct lsms_resource *const *r = lsms_provider.resources; *r; r++, n++) {
        c = schema_compile((*r)->schema, &err);
        if (!c)
            fail_msg("%s: %s", (*r)->type_name, err);
        schema_compiled_destroy(c);
        assert_int_equal(strncmp((*r)->type_name, "lsms_", 5), 0);
        assert_described(&(*r)->schema->block);
        /* Every resource can be created, read, deleted and imported. */
        assert_non_null((*r)->create);
        assert_non_null((*r)->read);
        assert_non_null((*r)->delete);
        assert_non_null((*r)->import);
    }
    assert_int_equal(n, 6);
}

static void design_attributes_exist_with_their_flags(void **state)
{
    (void)state;
    const unsigned roc = R | O | C;
    for (const struct expected_attr *e = expected; e->schema; e++) {
        const struct schema *s = schema_by_name(e->schema);
        assert_non_null(s);
        const struct schema_attribute *a = attr_find(&s->block, e->path);
        if (!a)
            fail_msg("%s: attribute %s is missing", e->schema, e->path);
        if ((a->flags & roc) != (e->flags & roc) || (a->flags & e->flags) != e->flags)
            fail_msg("%s.%s: flags 0x%x, expected 0x%x", e->schema, e->path, a->flags, e->flags);
    }
    /* Secrets are sensitive; the write-only password too. */
    assert_true(attr_find(&schema_by_name("lsms_channel")->block, "pull_pass_wo")->flags &
                SCHEMA_SENSITIVE);
    /* Only the listed attributes replace the resource: the names (and the
     * bucket's name_prefix) and the input type (MediaLive changes a
     * channel's class in place); a player's place (its origin and prefix),
     * which names its objects. */
    for (const struct lsms_resource *const *r = lsms_provider.resources; *r; r++)
        for (const struct schema_attribute *a = (*r)->schema->block.attributes; a->name; a++)
            if (a->flags & SCHEMA_REPLACE) {
                if (strcmp((*r)->type_name, "lsms_player") == 0)
                    assert_true(strcmp(a->name, "bucket") == 0 ||
                                strcmp(a->name, "container_endpoint") == 0 ||
                                strcmp(a->name, "prefix") == 0);
                else
                    assert_true(strcmp(a->name, "name") == 0 ||
                                strcmp(a->name, "input_type") == 0 ||
                                strcmp(a->name, "name_prefix") == 0);
            }
}

static void defaults_follow_the_design(void **state)
{
    (void)state;
    static const struct {
        const char *schema, *attr, *json;
    } defaults[] = {
        {"lsms_container", "restrict_to_cdn", "true"},
        {"lsms_container", "container_level_metrics", "true"},
        {"lsms_container", "access_logging", "true"},
        {"lsms_container", "create_logging_role", "true"},
        {"lsms_container", "force_destroy", "false"},
        {"lsms_channel", "encoding_profile", "\"HD-720p\""},
        {"lsms_channel", "stream_path", "\"stream/index\""},
        {"lsms_channel", "channel_class", "\"SINGLE_PIPELINE\""},
        {"lsms_channel", "channel_start", "false"},
        {"lsms_distribution", "stream_path", "\"stream/index\""},
        {"lsms_distribution", "enabled", "true"},
        {"lsms_distribution", "price_class", "\"PriceClass_All\""},
        {"lsms_distribution", "ipv6_enabled", "true"},
        {"lsms_distribution", "http_version", "\"http2and3\""},
        {"lsms_distribution", "manifest_ttl_seconds", "2"},
        {"lsms_distribution", "segment_ttl_seconds", "86400"},
        {"lsms_distribution", "error_caching_min_ttl", "1"},
        {"lsms_distribution", "wait_for_deployment", "true"},
        {"lsms_distribution", "retain_on_delete", "false"},
        {"lsms_dashboard", "stream_path", "\"/stream/index\""},
        {"lsms_bucket", "block_public_access", "true"},
        {"lsms_bucket", "object_ownership", "\"BucketOwnerEnforced\""},
        {"lsms_bucket", "cors_rules",
         "[{\"allowed_origins\":[\"*\"],\"allowed_methods\":[\"GET\",\"HEAD\"],"
         "\"allowed_headers\":[\"*\"],\"expose_headers\":null,\"max_age_seconds\":3000}]"},
        {"lsms_bucket", "lifecycle_rules", "[{\"prefix\":\"stream/\",\"expiration_days\":1}]"},
        {"lsms_bucket", "request_metrics", "true"},
        {"lsms_bucket", "force_destroy", "false"},
        {"lsms_player", "prefix", "\"player/\""},
        {"lsms_player", "stream_path", "\"stream/index\""},
        {"lsms_player", "max_age_seconds", "60"},
    };
    for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++) {
        const struct schema_attribute *a =
            attr_find(&schema_by_name(defaults[i].schema)->block, defaults[i].attr);
        assert_non_null(a);
        if (!a->default_json || !json_equal(a->default_json, defaults[i].json))
            fail_msg("%s.%s: default %s", defaults[i].schema, defaults[i].attr,
                     a->default_json ? a->default_json : "(none)");
    }
}

/* ---- validation ---- */

struct compiled_resource {
    const struct lsms_resource *r;
    struct schema_compiled *c;
};

static struct compiled_resource compile(const char *type)
{
    struct compiled_resource cr = {.r = resource_by_type(type)};
    char *err = NULL;
    assert_non_null(cr.r);
    cr.c = schema_compile(cr.r->schema, &err);
    assert_non_null(cr.c);
    return cr;
}

static struct cty_value *config_of(const struct compiled_resource *cr, const char *json)
{
    char *err = NULL;
    struct cty_value *v =
        cty_value_from_json(json, strlen(json), schema_compiled_type(cr->c), &err);
    if (!v)
        fail_msg("config %s: %s", json, err);
    return v;
}

/* Runs schema validators and the validate hook; returns the diagnostics. */
static struct diags validate(const struct compiled_resource *cr, const struct cty_value *config)
{
    struct diags d = {0};
    schema_validate_config(cr->c, config, &d);
    if (cr->r->validate)
        cr->r->validate(config, &d);
    return d;
}

/* Asserts exactly one error, at `path`. */
static void assert_one_error_at(struct diags *d, const char *path)
{
    if (d->n != 1) {
        for (size_t i = 0; i < d->n; i++)
            print_message("diag: %s: %s\n", d->items[i].summary, d->items[i].detail);
        fail_msg("expected one diagnostic at %s, got %zu", path, d->n);
    }
    char *p = attr_path_to_string(&d->items[0].path);
    assert_string_equal(p, path);
    assert_int_equal(d->items[0].severity, DIAG_ERROR);
    free(p);
}

static void expect(const char *type, const char *json, const char *path)
{
    struct compiled_resource cr = compile(type);
    struct cty_value *config = config_of(&cr, json);
    struct diags d = validate(&cr, config);
    if (path)
        assert_one_error_at(&d, path);
    else if (d.n != 0)
        fail_msg("%s: unexpected diagnostic: %s: %s", json, d.items[0].summary,
                 d.items[0].detail);
    diags_clean_up(&d);
    cty_value_destroy(config);
    schema_compiled_destroy(cr.c);
}

#define CHANNEL_BASE "\"name\":\"c\",\"container_endpoint\":\"https://x.data.mediastore.us-east-1.amazonaws.com\""

static void good_configs_pass(void **state)
{
    (void)state;
    expect("lsms_container", "{\"name\":\"live_1-a\"}", NULL);
    expect("lsms_container",
           "{\"name\":\"live\",\"lifecycle_rules\":[{\"path_prefix\":\"stream/\","
           "\"days_since_create\":3,\"action\":\"ARCHIVE\"}],\"timeouts\":{\"create\":\"1h30m\"}}",
           NULL);
    expect("lsms_channel", "{" CHANNEL_BASE ",\"input_type\":\"RTMP_PUSH\","
                           "\"input_cidr\":[\"203.0.113.0/24\"]}", NULL);
    expect("lsms_channel", "{" CHANNEL_BASE ",\"input_type\":\"URL_PULL\","
                           "\"pull_url\":\"https://example.com/live.m3u8\",\"pull_user\":\"u\","
                           "\"pull_pass\":\"p\"}", NULL);
    expect("lsms_channel", "{" CHANNEL_BASE ",\"input_type\":\"INPUT_DEVICE\","
                           "\"input_device_id\":\"hd-123\"}", NULL);
    expect("lsms_distribution", "{\"origin_endpoint\":\"abc.data.mediastore.us-east-1.amazonaws.com\"}", NULL);
    expect("lsms_distribution", "{\"origin_endpoint\":\"https://abc.data.mediastore.us-east-1.amazonaws.com\"}", NULL);
    expect("lsms_distribution", "{\"origin_bucket\":\"live-origin-1\"}", NULL);
    expect("lsms_distribution", "{\"origin_bucket\":\"live-origin-1\",\"grant_bucket_read\":false}",
           NULL);
    expect("lsms_dashboard", "{\"name\":\"d\",\"container_name\":\"live\"}", NULL);
}

static void schema_validators_point_at_the_attribute(void **state)
{
    (void)state;
    expect("lsms_container", "{\"name\":\"bad name!\"}", "name");
    expect("lsms_container", "{\"name\":\"c\",\"policy\":\"{not json\"}", "policy");
    expect("lsms_container", "{\"name\":\"c\",\"timeouts\":{\"create\":\"10 minutes\"}}",
           "timeouts.create");
    expect("lsms_channel", "{" CHANNEL_BASE ",\"input_type\":\"SRT_LISTENER\"}", "input_type");
    expect("lsms_channel", "{" CHANNEL_BASE ",\"input_type\":\"RTP_PUSH\","
                           "\"input_cidr\":[\"10.0.0.0/8\",\"10.0.0.1/33\"]}", "input_cidr[1]");
    expect("lsms_channel", "{" CHANNEL_BASE ",\"input_type\":\"RTP_PUSH\","
                           "\"input_cidr\":[\"10.0.0.0/8\"],\"encoding_profile\":\"4K\"}",
           "encoding_profile");
    expect("lsms_channel", "{\"name\":\"c\",\"container_endpoint\":\"ftp://x\","
                           "\"input_type\":\"INPUT_DEVICE\",\"input_device_id\":\"d\"}",
           "container_endpoint");
    expect("lsms_distribution", "{\"origin_endpoint\":\"h.example\",\"price_class\":\"PriceClass_50\"}",
           "price_class");
    expect("lsms_distribution", "{\"origin_endpoint\":\"ftp://h.example\"}", "origin_endpoint");
    expect("lsms_distribution", "{\"origin_endpoint\":\"h.example\",\"http_version\":\"http4\"}",
           "http_version");
    expect("lsms_distribution", "{\"origin_endpoint\":\"h.example\",\"segment_ttl_seconds\":31536001}",
           "segment_ttl_seconds");
    /* Bucket names S3 (or MediaLive, for dots) would refuse. */
    expect("lsms_distribution", "{\"origin_bucket\":\"Live_Origin\"}", "origin_bucket");
    expect("lsms_distribution", "{\"origin_bucket\":\"live.origin\"}", "origin_bucket");
    expect("lsms_distribution", "{\"origin_bucket\":\"ab\"}", "origin_bucket");
    expect("lsms_dashboard", "{\"name\":\"d d\",\"container_name\":\"live\"}", "name");
}

static void cross_attribute_rules_point_at_the_attribute(void **state)
{
    (void)state;
    expect("lsms_container",
           "{\"name\":\"c\",\"lifecycle_rules\":[{\"path_prefix\":\"a/\",\"path_wildcard\":\"a/*\","
           "\"seconds_since_create\":10,\"action\":\"EXPIRE\"}]}",
           "lifecycle_rules[0]");
    expect("lsms_container",
           "{\"name\":\"c\",\"lifecycle_rules\":[{\"path_prefix\":\"a/\",\"seconds_since_create\":10,"
           "\"action\":\"EXPIRE\"},{\"path_prefix\":\"b/\",\"action\":\"EXPIRE\"}]}",
           "lifecycle_rules[1]");
    expect("lsms_channel", "{" CHANNEL_BASE ",\"input_type\":\"RTMP_PUSH\"}", "input_cidr");
    expect("lsms_channel", "{" CHANNEL_BASE ",\"input_type\":\"RTMP_PUSH\",\"input_cidr\":[]}",
           "input_cidr");
    expect("lsms_channel", "{" CHANNEL_BASE ",\"input_type\":\"URL_PULL\",\"pull_url\":\"http://a/b\","
                           "\"input_cidr\":[\"10.0.0.0/8\"]}", "input_cidr");
    expect("lsms_channel", "{" CHANNEL_BASE ",\"input_type\":\"URL_PULL\"}", "pull_url");
    expect("lsms_channel", "{" CHANNEL_BASE ",\"input_type\":\"RTP_PUSH\",\"input_cidr\":[\"10.0.0.0/8\"],"
                           "\"pull_user\":\"u\"}", "pull_user");
    expect("lsms_channel", "{" CHANNEL_BASE ",\"input_type\":\"INPUT_DEVICE\"}", "input_device_id");
    expect("lsms_channel", "{" CHANNEL_BASE ",\"input_type\":\"URL_PULL\",\"pull_url\":\"http://a/b\","
                           "\"input_device_id\":\"d\"}", "input_device_id");
    expect("lsms_channel", "{" CHANNEL_BASE ",\"input_type\":\"URL_PULL\",\"pull_url\":\"http://a/b\","
                           "\"pull_pass\":\"p\",\"pull_pass_wo\":\"q\"}", "pull_pass_wo");
    expect("lsms_container",
           "{\"name\":\"c\",\"cors_rules\":[{\"allowed_origins\":[\"*\"],\"allowed_methods\":[\"GET\",\"PATCH\"],"
           "\"allowed_headers\":[\"*\"]}]}",
           "cors_rules[0].allowed_methods[1]");
}

#define CHANNEL_S3 "\"name\":\"c\",\"destination_bucket\":\"live-origin\""
#define CHANNEL_PUSH ",\"input_type\":\"RTMP_PUSH\",\"input_cidr\":[\"203.0.113.0/24\"]"

static void a_channel_has_exactly_one_destination(void **state)
{
    (void)state;
    expect("lsms_channel", "{" CHANNEL_S3 CHANNEL_PUSH "}", NULL);
    expect("lsms_channel", "{" CHANNEL_BASE ",\"destination_bucket\":\"live-origin\"" CHANNEL_PUSH "}",
           "destination_bucket");
    expect("lsms_channel", "{\"name\":\"c\"" CHANNEL_PUSH "}", "destination_bucket");
    /* A MediaStore endpoint, or any URL, given as the bucket: one message
     * saying what goes where. */
    expect("lsms_channel",
           "{\"name\":\"c\",\"destination_bucket\":\"https://abc.data.mediastore.us-east-1."
           "amazonaws.com\"" CHANNEL_PUSH "}",
           "destination_bucket");
    expect("lsms_channel", "{\"name\":\"c\",\"destination_bucket\":\"s3://live-origin\"" CHANNEL_PUSH "}",
           "destination_bucket");
    static const char *const bad[] = {"Live-Origin", "live.origin", "lo", "-live", "live-",
                                      "live_origin", "xn--live", "live-s3alias", "live--ol-s3",
                                      "sthree-live", "amzn-s3-demo-live", "live--x-s3",
                                      "live--table-s3"};
    char json[256];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(json, sizeof json, "{\"name\":\"c\",\"destination_bucket\":\"%s\"" CHANNEL_PUSH "}",
                 bad[i]);
        expect("lsms_channel", json, "destination_bucket");
    }
}

static void a_distribution_has_exactly_one_origin(void **state)
{
    (void)state;
    expect("lsms_distribution", "{\"origin_bucket\":\"live-origin\"}", NULL);
    expect("lsms_distribution",
           "{\"origin_bucket\":\"live-origin\",\"origin_endpoint\":\"h.example\"}",
           "origin_bucket");
    expect("lsms_distribution", "{\"comment\":\"no origin\"}", "origin_bucket");
    /* The container's User-Agent secret means nothing to a bucket. */
    expect("lsms_distribution", "{\"origin_bucket\":\"live-origin\",\"origin_secret\":\"s\"}",
           "origin_secret");
    /* The container origin keeps its secret. */
    expect("lsms_distribution", "{\"origin_endpoint\":\"h.example\",\"origin_secret\":\"s\"}",
           NULL);
}

static void bucket_names_follow_s3_and_medialive(void **state)
{
    (void)state;
    static const char *const good[] = {"abc", "live-origin-2026", "0live9",
                                       "a23456789012345678901234567890123456789012345678901234567890123"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        if (lsms_bucket_name_problem(good[i]))
            fail_msg("%s: %s", good[i], lsms_bucket_name_problem(good[i]));
    assert_non_null(strstr(lsms_bucket_name_problem("my.bucket"), "dot"));
    assert_non_null(strstr(lsms_bucket_name_problem("192.168.5.4"), "dot"));
    assert_non_null(strstr(lsms_bucket_name_problem("MyBucket"), "upper-case"));
    assert_non_null(strstr(lsms_bucket_name_problem("ab"), "3 to 63"));
    assert_non_null(strstr(lsms_bucket_name_problem(
                               "a234567890123456789012345678901234567890123456789012345678901234"),
                           "3 to 63"));
    assert_non_null(strstr(lsms_bucket_name_problem("xn--abc"), "prefix"));
    assert_non_null(strstr(lsms_bucket_name_problem("abc.mrap"), "dot"));
    assert_non_null(strstr(lsms_bucket_name_problem("abc-s3alias"), "suffix"));
    assert_non_null(lsms_bucket_name_problem(NULL));
    /* The table lsms_bucket can use: one diagnostic at the attribute. */
    assert_int_equal(lsms_bucket_name_validators[0].kind, VALIDATE_FUNC);
    assert_int_equal(lsms_bucket_name_validators[1].kind, VALIDATE_END);
}

static void pipeline1_arguments_follow_the_class(void **state)
{
    (void)state;
    expect("lsms_channel", "{" CHANNEL_S3 ",\"channel_class\":\"STANDARD\",\"input_type\":"
                           "\"URL_PULL\",\"pull_url\":\"https://a/x.m3u8\",\"pull_url_pipeline1\":"
                           "\"https://b/x.m3u8\"}", NULL);
    expect("lsms_channel", "{" CHANNEL_S3 ",\"input_type\":\"URL_PULL\",\"pull_url\":"
                           "\"https://a/x.m3u8\",\"pull_url_pipeline1\":\"https://b/x.m3u8\"}",
           "pull_url_pipeline1");
    expect("lsms_channel", "{" CHANNEL_S3 ",\"channel_class\":\"STANDARD\",\"input_type\":"
                           "\"URL_PULL\",\"pull_url\":\"https://a/x.m3u8\",\"pull_url_pipeline1\":"
                           "\"ftp://b/x.m3u8\"}", "pull_url_pipeline1");
    expect("lsms_channel", "{" CHANNEL_S3 ",\"channel_class\":\"STANDARD\"" CHANNEL_PUSH
                           ",\"pull_url_pipeline1\":\"https://b/x.m3u8\"}", "pull_url_pipeline1");
    expect("lsms_channel", "{" CHANNEL_S3 ",\"channel_class\":\"STANDARD\",\"input_type\":"
                           "\"INPUT_DEVICE\",\"input_device_id\":\"hd-1\"}", "input_device_id_pipeline1");
    expect("lsms_channel", "{" CHANNEL_S3 ",\"channel_class\":\"STANDARD\",\"input_type\":"
                           "\"INPUT_DEVICE\",\"input_device_id\":\"hd-1\",\"input_device_id_pipeline1\":"
                           "\"hd-1\"}", "input_device_id_pipeline1");
    expect("lsms_channel", "{" CHANNEL_S3 ",\"channel_class\":\"STANDARD\",\"input_type\":"
                           "\"INPUT_DEVICE\",\"input_device_id\":\"hd-1\",\"input_device_id_pipeline1\":"
                           "\"hd-2\"}", NULL);
    expect("lsms_channel", "{" CHANNEL_S3 ",\"input_type\":\"INPUT_DEVICE\",\"input_device_id\":"
                           "\"hd-1\",\"input_device_id_pipeline1\":\"hd-2\"}",
           "input_device_id_pipeline1");
    expect("lsms_channel", "{" CHANNEL_S3 ",\"channel_class\":\"STANDARD\"" CHANNEL_PUSH
                           ",\"input_device_id_pipeline1\":\"hd-2\"}", "input_device_id_pipeline1");
}

static void unknown_values_are_not_judged(void **state)
{
    (void)state;
    struct compiled_resource cr = compile("lsms_channel");
    struct cty_value *config = config_of(&cr, "{" CHANNEL_BASE ",\"input_type\":\"RTMP_PUSH\"}");
    /* input_cidr coming from another resource: unknown at validation. */
    struct cty_value *u = cty_unknown_new(cty_type_attr_type(
        schema_compiled_type(cr.c), (size_t)cty_type_attr_index(schema_compiled_type(cr.c), "input_cidr")));
    assert_int_equal(cty_object_set(config, "input_cidr", u), 0);
    struct diags d = validate(&cr, config);
    assert_int_equal(d.n, 0);
    diags_clean_up(&d);
    /* An unknown input type: nothing depends on it can be judged. */
    assert_int_equal(cty_object_set(config, "input_type", cty_unknown_new(cty_type_string())), 0);
    d = validate(&cr, config);
    assert_int_equal(d.n, 0);
    diags_clean_up(&d);
    cty_value_destroy(config);
    schema_compiled_destroy(cr.c);
}

/* ---- plan hooks ---- */

static void plan_hooks_fill_what_is_known(void **state)
{
    (void)state;
    struct lsms_provider_data pd = {.region = "eu-west-1"};
    struct diags d = {0};
    struct resource_ctx ctx = {.provider_data = &pd, .diags = &d};

    struct compiled_resource cr = compile("lsms_container");
    struct cty_value *config = config_of(&cr, "{\"name\":\"live\"}");
    struct cty_value *planned = cty_value_clone(config);
    assert_int_equal(cty_object_set(planned, "id", cty_unknown_new(cty_type_string())), 0);
    cr.r->modify_plan(&ctx, NULL, config, planned);
    assert_string_equal(cty_attr_string(planned, "id"), "live");
    assert_string_equal(cty_attr_string(planned, "log_group_name"), "/aws/mediastore/live");
    cty_value_destroy(planned);
    cty_value_destroy(config);
    schema_compiled_destroy(cr.c);

    cr = compile("lsms_dashboard");
    config = config_of(&cr, "{\"name\":\"dash\",\"container_name\":\"live\"}");
    planned = cty_value_clone(config);
    assert_int_equal(schema_apply_defaults(cr.c, planned), 0);
    assert_int_equal(cty_object_set(planned, "dashboard_body", cty_unknown_new(cty_type_string())), 0);
    cr.r->modify_plan(&ctx, NULL, config, planned);
    assert_string_equal(cty_attr_string(planned, "id"), "dash");
    assert_string_equal(cty_attr_string(planned, "region"), "eu-west-1");
    assert_non_null(strstr(cty_attr_string(planned, "console_url"), "region=eu-west-1"));
    const char *body = cty_attr_string(planned, "dashboard_body");
    assert_non_null(body);
    assert_non_null(strstr(body, "SOURCE '/aws/mediastore/live'"));
    assert_non_null(strstr(body, "\"region\":\"eu-west-1\""));
    /* An unknown distribution id leaves the body for apply. */
    struct cty_value *p2 = cty_value_clone(config);
    assert_int_equal(schema_apply_defaults(cr.c, p2), 0);
    assert_int_equal(cty_object_set(p2, "distribution_id", cty_unknown_new(cty_type_string())), 0);
    assert_int_equal(cty_object_set(p2, "dashboard_body", cty_unknown_new(cty_type_string())), 0);
    cr.r->modify_plan(&ctx, NULL, config, p2);
    assert_false(cty_value_is_known(cty_value_attr(p2, "dashboard_body")));
    cty_value_destroy(p2);
    cty_value_destroy(planned);
    cty_value_destroy(config);
    schema_compiled_destroy(cr.c);

    cr = compile("lsms_distribution");
    config = config_of(&cr, "{\"origin_endpoint\":\"h.example\"}");
    planned = cty_value_clone(config);
    assert_int_equal(schema_apply_defaults(cr.c, planned), 0);
    assert_int_equal(cty_object_set(planned, "domain_name", cty_unknown_new(cty_type_string())), 0);
    assert_int_equal(cty_object_set(planned, "live_stream_url", cty_unknown_new(cty_type_string())), 0);
    cr.r->modify_plan(&ctx, NULL, config, planned);
    assert_false(cty_value_is_known(cty_value_attr(planned, "live_stream_url")));
    assert_int_equal(cty_object_set(planned, "domain_name", cty_string_new("d1.cloudfront.net")), 0);
    cr.r->modify_plan(&ctx, NULL, config, planned);
    assert_string_equal(cty_attr_string(planned, "live_stream_url"),
                        "https://d1.cloudfront.net/stream/index.m3u8");
    cty_value_destroy(planned);
    cty_value_destroy(config);
    schema_compiled_destroy(cr.c);
    /* No error; the one warning is lsms_container's (MediaStore has ended). */
    for (size_t i = 0; i < d.n; i++) {
        assert_int_equal(d.items[i].severity, DIAG_WARNING);
        assert_string_equal(d.items[i].summary, "MediaStore has ended");
    }
    diags_clean_up(&d);
}

/* ---- provider configure ---- */

static struct cty_value *provider_config(const char *json, struct schema_compiled **c)
{
    char *err = NULL;
    *c = schema_compile(lsms_provider.schema, &err);
    assert_non_null(*c);
    struct cty_value *v = cty_value_from_json(json, strlen(json), schema_compiled_type(*c), &err);
    if (!v)
        fail_msg("%s", err);
    return v;
}

static void clear_aws_env(void)
{
    unsetenv("AWS_REGION");
    unsetenv("AWS_DEFAULT_REGION");
    unsetenv("AWS_PROFILE");
    setenv("AWS_CONFIG_FILE", "/nonexistent/lsms-test-config", 1);
}

/* Static keys and both skips: configure builds its AWS client without
 * sending anything (no STS call, no credentials files). */
#define OFFLINE_CREDENTIALS                                                                       \
    "\"access_key\":\"AKIDLSMSTEST\",\"secret_key\":\"lsms-test-secret\","                    \
    "\"skip_credentials_validation\":true,\"skip_requesting_account_id\":true"

static void configure_requires_a_region(void **state)
{
    (void)state;
    clear_aws_env();
    struct schema_compiled *c;
    struct cty_value *config = provider_config("{" OFFLINE_CREDENTIALS "}", &c);
    struct diags d = {0};
    assert_null(lsms_provider.configure(config, "1.10.0", &d));
    assert_one_error_at(&d, "region");
    assert_string_equal(d.items[0].summary, "region is not set");
    diags_clean_up(&d);

    setenv("AWS_DEFAULT_REGION", "ap-southeast-2", 1);
    struct lsms_provider_data *pd = lsms_provider.configure(config, "1.10.0", &d);
    assert_non_null(pd);
    assert_string_equal(pd->region, "ap-southeast-2");
    lsms_provider.destroy(pd);
    unsetenv("AWS_DEFAULT_REGION");
    cty_value_destroy(config);
    schema_compiled_destroy(c);
}

static void configure_applies_config_and_defaults(void **state)
{
    (void)state;
    clear_aws_env();
    setenv("AWS_REGION", "us-west-2", 1);
    struct schema_compiled *c;
    struct cty_value *config =
        provider_config("{\"region\":\"eu-central-1\",\"default_tags\":{\"tags\":{\"team\":\"av\"}},"
                        OFFLINE_CREDENTIALS "}",
                        &c);
    struct diags d = {0};
    struct lsms_provider_data *pd = lsms_provider.configure(config, "1.10.0", &d);
    assert_non_null(pd);
    assert_int_equal(d.n, 0);
    assert_string_equal(pd->region, "eu-central-1"); /* the argument beats the environment */
    assert_int_equal(pd->max_retries, 25);
    assert_int_equal(cty_value_length(pd->default_tags), 1);
    assert_string_equal(cty_value_string(cty_value_map_get(pd->default_tags, "team")), "av");

    /* tags_all merges default tags under the resource's own. */
    struct compiled_resource cr = compile("lsms_container");
    struct cty_value *rc = config_of(&cr, "{\"name\":\"x\",\"tags\":{\"env\":\"prod\",\"team\":\"ops\"}}");
    struct cty_value *planned = cty_value_clone(rc);
    struct resource_ctx ctx = {.provider_data = pd, .diags = &d};
    cr.r->modify_plan(&ctx, NULL, rc, planned);
    const struct cty_value *all = cty_value_attr(planned, "tags_all");
    assert_int_equal(cty_value_length(all), 2);
    assert_string_equal(cty_value_string(cty_value_map_get(all, "team")), "ops");
    assert_string_equal(cty_value_string(cty_value_map_get(all, "env")), "prod");
    assert_int_equal(d.n, 1); /* MediaStore has ended: lsms_container warns at plan */
    assert_int_equal(d.items[0].severity, DIAG_WARNING);
    diags_clean_up(&d);
    cty_value_destroy(planned);
    cty_value_destroy(rc);
    schema_compiled_destroy(cr.c);

    lsms_provider.stop(pd);
    assert_int_equal(pd->stop_requested, 1);
    lsms_provider.destroy(pd);
    cty_value_destroy(config);
    schema_compiled_destroy(c);
    unsetenv("AWS_REGION");
}

static void provider_block_validators(void **state)
{
    (void)state;
    struct schema_compiled *c;
    struct cty_value *config = provider_config(
        "{\"region\":\"us-east-1\",\"endpoints\":{\"mediastore\":\"not a url\"}}", &c);
    struct diags d = {0};
    schema_validate_config(c, config, &d);
    assert_one_error_at(&d, "endpoints.mediastore");
    diags_clean_up(&d);
    cty_value_destroy(config);
    schema_compiled_destroy(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_schema_compiles),
        cmocka_unit_test(design_attributes_exist_with_their_flags),
        cmocka_unit_test(defaults_follow_the_design),
        cmocka_unit_test(good_configs_pass),
        cmocka_unit_test(schema_validators_point_at_the_attribute),
        cmocka_unit_test(cross_attribute_rules_point_at_the_attribute),
        cmocka_unit_test(a_channel_has_exactly_one_destination),
        cmocka_unit_test(a_distribution_has_exactly_one_origin),
        cmocka_unit_test(bucket_names_follow_s3_and_medialive),
        cmocka_unit_test(pipeline1_arguments_follow_the_class),
        cmocka_unit_test(unknown_values_are_not_judged),
        cmocka_unit_test(plan_hooks_fill_what_is_known),
        cmocka_unit_test(configure_requires_a_region),
        cmocka_unit_test(configure_applies_config_and_defaults),
        cmocka_unit_test(provider_block_validators),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
