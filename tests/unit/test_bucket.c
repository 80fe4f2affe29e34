/*
 * Tests for resources/bucket/bucket (lsms_bucket): validation diagnostics and
 * their attribute paths, the plan, and create/read/update/delete/import
 * driven against a scripted S3 (a transport that names each request's
 * operation the way the botocore model routes it and answers from a
 * table), so the exact requests are checked: which operations, their
 * bodies, Content-MD5, regions; the rollback of a failed create; drift on
 * read; only what changed on update; and force_destroy's batches of at
 * most 1000 versions, page after page.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pthread.h>
#include <regex.h>

#include "aws/client.h"
#include "aws/http.h"
#include "aws/message.h"
#include "framework/plan.h"
#include "resource_test.h"
#include "resources/bucket/bucket_api.h"
#include "resources/provider.h"
#include "util/buf.h"

/* ======================= validation ======================= */

/* Validates `json`; expects no diagnostic (path NULL) or exactly one error
 * at `path` ("" for one tied to no attribute) whose detail holds `words`. */
static void expect(const char *json, const char *path, const char *words)
{
    struct compiled_resource cr = resource_compile("lsms_bucket");
    struct cty_value *config = resource_config(&cr, json);
    struct diags d = resource_validate(&cr, config);
    if (!path) {
        if (d.n != 0)
            fail_msg("%s: unexpected: %s: %s", json, d.items[0].summary, d.items[0].detail);
    } else {
        if (d.n != 1) {
            for (size_t i = 0; i < d.n; i++)
                print_message("diag: %s: %s\n", d.items[i].summary, d.items[i].detail);
            fail_msg("%s: expected one diagnostic at '%s', got %zu", json, path, d.n);
        }
        char *p = attr_path_to_string(&d.items[0].path);
        if (strcmp(p, path) != 0)
            fail_msg("%s: diagnostic at '%s', expected '%s'", json, p, path);
        free(p);
        assert_int_equal(d.items[0].severity, DIAG_ERROR);
        if (words && !strstr(d.items[0].detail, words))
            fail_msg("%s: detail \"%s\" lacks \"%s\"", json, d.items[0].detail, words);
    }
    diags_clean_up(&d);
    cty_value_destroy(config);
    schema_compiled_destroy(cr.c);
}

static void good_configs_pass(void **state)
{
    (void)state;
    expect("{\"name\":\"live-origin\"}", NULL, NULL);
    expect("{\"name_prefix\":\"live-\"}", NULL, NULL);
    expect("{\"name_prefix\":\"a\"}", NULL, NULL);
    expect("{\"name_prefix\":\"a234567890123456789012345678901234567\"}", NULL, NULL); /* 37 */
    expect("{\"name\":\"live-origin\",\"cors_rules\":[],\"lifecycle_rules\":[],"
           "\"request_metrics\":false,\"block_public_access\":false,"
           "\"object_ownership\":\"ObjectWriter\"}",
           NULL, NULL);
    expect("{\"name\":\"live-origin\",\"metrics_filter_id\":\"Stream_1.a-b\","
           "\"logging_bucket\":\"logs.example-1\",\"logging_prefix\":\"live/\","
           "\"lifecycle_rules\":[{\"prefix\":\"\",\"expiration_days\":1},"
           "{\"prefix\":\"archive/\",\"expiration_days\":3650}],"
           "\"cors_rules\":[{\"allowed_origins\":[\"https://a.example\"],"
           "\"allowed_methods\":[\"GET\",\"PUT\",\"HEAD\",\"POST\",\"DELETE\"]}]}",
           NULL, NULL);
}

static void names_s3_or_medialive_refuse_are_refused(void **state)
{
    (void)state;
    expect("{\"name\":\"live.origin\"}", "name", "dot");
    expect("{\"name\":\"Live-Origin\"}", "name", "upper-case");
    expect("{\"name\":\"lo\"}", "name", "3 to 63");
    expect("{\"name\":\"xn--origin\"}", "name", "reserves");
    expect("{\"name_prefix\":\"live.\"}", "name_prefix", "dot");
    expect("{\"name_prefix\":\"Live-\"}", "name_prefix", "upper-case");
    expect("{\"name_prefix\":\"-live\"}", "name_prefix", "start");
    expect("{\"name_prefix\":\"xn--\"}", "name_prefix", "reserves");
    expect("{\"name_prefix\":\"\"}", "name_prefix", "empty");
    expect("{\"name_prefix\":\"a2345678901234567890123456789012345678\"}", "name_prefix",
           "37"); /* 38 */
}

static void name_and_prefix_exactly_one(void **state)
{
    (void)state;
    expect("{\"name\":\"live-origin\",\"name_prefix\":\"live-\"}", "name_prefix", "not both");
    expect("{}", "", "name_prefix");
    /* Unknown values (a module's `var.x == null ? prefix : null`) are judged
     * once known: neither a conflict nor a missing name. */
    struct compiled_resource cr = resource_compile("lsms_bucket");
    struct cty_value *config = resource_config(&cr, "{}");
    assert_int_equal(cty_object_set(config, "name", cty_unknown_new(cty_type_string())), 0);
    assert_int_equal(cty_object_set(config, "name_prefix", cty_unknown_new(cty_type_string())), 0);
    struct diags d = resource_validate(&cr, config);
    assert_int_equal(d.n, 0);
    diags_clean_up(&d);
    cty_value_destroy(config);
    schema_compiled_destroy(cr.c);
}

static void lifecycle_days_are_whole_and_at_least_one(void **state)
{
    (void)state;
    const char *bad[] = {"0", "-1", "1.5", "0.5"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char json[256];
        snprintf(json, sizeof json,
                 "{\"name\":\"live-origin\",\"lifecycle_rules\":[{\"prefix\":\"a/\","
                 "\"expiration_days\":1},{\"prefix\":\"stream/\",\"expiration_days\":%s}]}",
                 bad[i]);
        expect(json, "lifecycle_rules[1].expiration_days", "1 day");
    }
}

static void other_bad_values_point_at_their_attribute(void **state)
{
    (void)state;
    expect("{\"name\":\"live-origin\",\"metrics_filter_id\":\"a/b\"}", "metrics_filter_id",
           NULL);
    expect("{\"name\":\"live-origin\",\"metrics_filter_id\":\"\"}", "metrics_filter_id", NULL);
    expect("{\"name\":\"live-origin\",\"metrics_filter_id\":"
           "\"a1234567890123456789012345678901234567890123456789012345678901234\"}",
           "metrics_filter_id", "64");
    expect("{\"name\":\"live-origin\",\"request_metrics\":false,\"metrics_filter_id\":\"x\"}",
           "metrics_filter_id", "request_metrics");
    expect("{\"name\":\"live-origin\",\"logging_prefix\":\"live/\"}", "logging_prefix",
           "logging_bucket");
    expect("{\"name\":\"live-origin\",\"logging_bucket\":\"Logs\"}", "logging_bucket", NULL);
    expect("{\"name\":\"live-origin\",\"object_ownership\":\"BucketOwner\"}", "object_ownership",
           NULL);
    expect("{\"name\":\"live-origin\",\"cors_rules\":[{\"allowed_origins\":[\"*\"],"
           "\"allowed_methods\":[\"GET\",\"PATCH\"]}]}",
           "cors_rules[0].allowed_methods[1]", NULL);
    expect("{\"name\":\"live-origin\",\"cors_rules\":[{\"allowed_origins\":[],"
           "\"allowed_methods\":[\"GET\"]}]}",
           "cors_rules[0].allowed_origins", NULL);
}

/* ======================= a scripted S3 ======================= */

#define MAX_SENT 64

struct sent {
    char op[48];
    char *path, *query, *body, *md5, *ownership, *auth;
};

struct override {
    const char *op;
    long status;
    const char *body;
    int times; /* 0: always; n: the first n requests of op */
};

struct fake;
/* Answers `op` itself and returns 1, or returns 0 for the table. */
typedef int (*fake_custom_fn)(struct fake *f, const char *op, const struct aws_request *req,
                              struct aws_response *resp);

struct fake {
    struct aws_transport base;
    pthread_mutex_t mu;
    struct sent sent[MAX_SENT];
    size_t n;
    const struct override *overrides;
    int used[16];
    fake_custom_fn custom;
    const char *region_header; /* x-amz-bucket-region of HeadBucket answers */
    uint64_t now_ms;
    size_t sleeps;
    /* ListObjectVersions / DeleteObjects over `objects` versions */
    size_t objects, deleted_batches[16], n_batches;
    bool *gone_version;
};

/* The operation the botocore model routes `req` to (bucket requests). */
static void op_of(const struct aws_request *req, char *op, size_t size)
{
    char key[32] = "";
    const char *q = req->query ? req->query : "";
    size_t klen = strcspn(q, "&=");
    snprintf(key, sizeof key, "%.*s", (int)klen, q);
    const char *m = req->method;
    static const struct {
        const char *key, *get, *put, *del;
    } sub[] = {
        {"publicAccessBlock", "GetPublicAccessBlock", "PutPublicAccessBlock",
         "DeletePublicAccessBlock"},
        {"ownershipControls", "GetBucketOwnershipControls", "PutBucketOwnershipControls",
         "DeleteBucketOwnershipControls"},
        {"cors", "GetBucketCors", "PutBucketCors", "DeleteBucketCors"},
        {"lifecycle", "GetBucketLifecycleConfiguration", "PutBucketLifecycleConfiguration",
         "DeleteBucketLifecycle"},
        {"logging", "GetBucketLogging", "PutBucketLogging", NULL},
        {"tagging", "GetBucketTagging", "PutBucketTagging", "DeleteBucketTagging"},
        {"versions", "ListObjectVersions", NULL, NULL},
    };
    if (!*key) {
        snprintf(op, size, "%s",
                 strcmp(m, "HEAD") == 0     ? "HeadBucket"
                 : strcmp(m, "PUT") == 0    ? "CreateBucket"
                 : strcmp(m, "DELETE") == 0 ? "DeleteBucket"
                                            : "ListObjects");
        return;
    }
    if (strcmp(key, "metrics") == 0) {
        bool id = strstr(q, "id=") != NULL;
        snprintf(op, size, "%s",
                 strcmp(m, "PUT") == 0      ? "PutBucketMetricsConfiguration"
                 : strcmp(m, "DELETE") == 0 ? "DeleteBucketMetricsConfiguration"
                 : id                       ? "GetBucketMetricsConfiguration"
                                            : "ListBucketMetricsConfigurations");
        return;
    }
    if (strcmp(key, "delete") == 0 && strcmp(m, "POST") == 0) {
        snprintf(op, size, "DeleteObjects");
        return;
    }
    for (size_t i = 0; i < sizeof sub / sizeof sub[0]; i++) {
        if (strcmp(key, sub[i].key) != 0)
            continue;
        const char *name = strcmp(m, "GET") == 0   ? sub[i].get
                           : strcmp(m, "PUT") == 0 ? sub[i].put
                                                   : sub[i].del;
        snprintf(op, size, "%s", name ? name : "Unknown");
        return;
    }
    snprintf(op, size, "Unknown");
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void answer_xml(struct aws_response *resp, long status, const char *body)
{
    resp->status = status;
    buf_append_str(&resp->body, body ? body : "");
}

static void answer_error(struct aws_response *resp, long status, const char *code)
{
    char body[256];
    snprintf(body, sizeof body,
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>%s</Code><Message>%s "
             "from the script</Message><RequestId>req-1</RequestId></Error>",
             code, code);
    answer_xml(resp, status, body);
}

static int fake_send(struct aws_transport *t, const struct aws_request *req,
                     struct aws_response *resp, struct aws_error *err)
{
    (void)err;
    struct fake *f = t->impl;
    char op[48];
    op_of(req, op, sizeof op);
    pthread_mutex_lock(&f->mu);
    assert_true(f->n < MAX_SENT);
    struct sent *s = &f->sent[f->n++];
    snprintf(s->op, sizeof s->op, "%s", op);
    s->path = strdup(req->path);
    s->query = dup_or_null(req->query);
    s->body = req->body.len ? strndup(req->body.data, req->body.len) : NULL;
    s->md5 = dup_or_null(aws_headers_get(&req->headers, "Content-MD5"));
    s->ownership = dup_or_null(aws_headers_get(&req->headers, "x-amz-object-ownership"));
    s->auth = dup_or_null(aws_headers_get(&req->headers, "Authorization"));
    int handled = f->custom ? f->custom(f, op, req, resp) : 0;
    for (size_t i = 0; !handled && f->overrides && f->overrides[i].op; i++) {
        const struct override *o = &f->overrides[i];
        if (strcmp(o->op, op) != 0 || (o->times && f->used[i] >= o->times))
            continue;
        f->used[i]++;
        if (o->status >= 300 && o->body && o->body[0] != '<')
            answer_error(resp, o->status, o->body);
        else
            answer_xml(resp, o->status, o->body);
        handled = 1;
    }
    if (!handled) {
        if (strcmp(op, "HeadBucket") == 0)
            resp->status = 404; /* no such bucket yet: create goes ahead */
        else
            resp->status = strncmp(op, "Delete", 6) == 0 ? 204 : 200;
    }
    if (strcmp(op, "HeadBucket") == 0 && f->region_header)
        aws_headers_add(&resp->headers, "x-amz-bucket-region", f->region_header);
    pthread_mutex_unlock(&f->mu);
    return 0;
}

static void fake_destroy(struct aws_transport *t)
{
    (void)t; /* owned by the test */
}

static const struct aws_transport_vtable fake_vtable = {fake_send, fake_destroy};

static uint64_t fake_now(void *ctx)
{
    struct fake *f = ctx;
    pthread_mutex_lock(&f->mu);
    uint64_t now = f->now_ms;
    pthread_mutex_unlock(&f->mu);
    return now;
}

static time_t fake_wall(void *ctx)
{
    (void)ctx;
    return 1767225600; /* 2026-01-01 */
}

static int fake_sleep(void *ctx, uint64_t ms, struct aws_stop *stop)
{
    struct fake *f = ctx;
    pthread_mutex_lock(&f->mu);
    f->sleeps++;
    f->now_ms += ms;
    pthread_mutex_unlock(&f->mu);
    return aws_stop_is_set(stop) ? -1 : 0;
}

static double fake_random(void *ctx)
{
    (void)ctx;
    return 0.0;
}

/* A provider configured against the scripted S3 in `region`, with the
 * default tag Project = lsms. */
struct harness {
    struct fake f;
    struct aws_clock clock;
    struct lsms_provider_data pd;
    struct diags d;
    struct resource_ctx ctx;
    struct compiled_resource cr;
};

static void harness_init(struct harness *h, const char *region)
{
    memset(h, 0, sizeof *h);
    pthread_mutex_init(&h->f.mu, NULL);
    h->f.base.vtable = &fake_vtable;
    h->f.base.impl = &h->f;
    h->clock = (struct aws_clock){fake_now, fake_wall, fake_sleep, fake_random, &h->f};
    unsetenv("AWS_ENDPOINT_URL");
    unsetenv("AWS_ENDPOINT_URL_S3");
    struct aws_client_config cfg = {
        .region = region,
        .credentials = {.access_key = "AKIDEXAMPLE",
                        .secret_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"},
        .endpoints = {.s3 = "http://127.0.0.1:4566"},
        .max_retries = 2,
        .skip_credentials_validation = 1,
        .skip_requesting_account_id = 1,
        .transport = &h->f.base,
        .clock = &h->clock,
    };
    struct aws_error err = {0};
    h->pd.client = aws_client_new(&cfg, &err);
    assert_non_null(h->pd.client);
    h->pd.region = strdup(region);
    h->pd.account_id = strdup("123456789012");
    struct cty_type *map_t = cty_type_collection_new(CTY_MAP, cty_type_string());
    h->pd.default_tags = cty_collection_new(map_t);
    cty_type_release(map_t);
    assert_int_equal(cty_map_put(h->pd.default_tags, "Project", cty_string_new("lsms")), 0);
    h->ctx = (struct resource_ctx){.provider_data = &h->pd, .diags = &h->d};
    h->cr = resource_compile("lsms_bucket");
}

/* Forgets the requests seen so far and the diagnostics. */
static void harness_reset(struct harness *h)
{
    for (size_t i = 0; i < h->f.n; i++) {
        struct sent *s = &h->f.sent[i];
        free(s->path);
        free(s->query);
        free(s->body);
        free(s->md5);
        free(s->ownership);
        free(s->auth);
    }
    h->f.n = 0;
    memset(h->f.used, 0, sizeof h->f.used);
    h->f.overrides = NULL;
    h->f.custom = NULL;
    diags_clean_up(&h->d);
    h->d = (struct diags){0};
}

static void harness_clean_up(struct harness *h)
{
    harness_reset(h);
    aws_client_destroy(h->pd.client);
    free(h->pd.region);
    free(h->pd.account_id);
    cty_value_destroy(h->pd.default_tags);
    schema_compiled_destroy(h->cr.c);
    pthread_mutex_destroy(&h->f.mu);
    free(h->f.gone_version);
}

static void assert_no_diags(const struct harness *h)
{
    for (size_t i = 0; i < h->d.n; i++)
        print_message("diag: %s: %s\n", h->d.items[i].summary, h->d.items[i].detail);
    assert_int_equal(h->d.n, 0);
}

/* The request of `op` (the only one: fails when there are several or none). */
static const struct sent *sent_op(const struct harness *h, const char *op)
{
    const struct sent *found = NULL;
    for (size_t i = 0; i < h->f.n; i++)
        if (strcmp(h->f.sent[i].op, op) == 0) {
            if (found)
                fail_msg("%s sent more than once", op);
            found = &h->f.sent[i];
        }
    if (!found)
        fail_msg("%s was not sent", op);
    return found;
}

static size_t count_op(const struct harness *h, const char *op)
{
    size_t n = 0;
    for (size_t i = 0; i < h->f.n; i++)
        n += strcmp(h->f.sent[i].op, op) == 0;
    return n;
}

/* The operations sent, sorted and joined by ',' (calls run concurrently,
 * so their order is not part of the contract). */
static char *ops_sent(const struct harness *h)
{
    const char *names[MAX_SENT];
    for (size_t i = 0; i < h->f.n; i++)
        names[i] = h->f.sent[i].op;
    for (size_t i = 1; i < h->f.n; i++)
        for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            const char *t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    struct buf b = {0};
    for (size_t i = 0; i < h->f.n; i++)
        buf_printf(&b, "%s%s", i ? "," : "", names[i]);
    return b.data ? b.data : strdup("");
}

static void assert_ops(const struct harness *h, const char *expected)
{
    char *got = ops_sent(h);
    if (strcmp(got, expected) != 0)
        fail_msg("sent   %s\nexpected %s", got, expected);
    free(got);
}

/* The planned value OpenTofu gets for `config_json` on create (prior NULL)
 * or update (the proposal: prior with the configured values), through the
 * framework's own plan pipeline. Owned. */
static struct cty_value *plan(struct harness *h, const struct cty_value *prior,
                              const struct cty_value *config)
{
    struct cty_value *proposed = cty_value_clone(prior ? prior : config);
    /* As OpenTofu proposes: what the config sets, and the prior value of
     * computed attributes it leaves unset. */
    for (const struct schema_attribute *a = h->cr.r->schema->block.attributes; prior && a->name;
         a++) {
        const struct cty_value *v = cty_value_attr(config, a->name);
        if (!cty_value_is_null(v) || !(a->flags & SCHEMA_COMPUTED))
            assert_int_equal(cty_object_set(proposed, a->name, cty_value_clone(v)), 0);
    }
    struct plan_result out = {0};
    assert_int_equal(
        plan_resource_change(h->cr.r, h->cr.c, &h->ctx, prior, proposed, config, &out), 0);
    cty_value_destroy(proposed);
    struct cty_value *planned = out.planned;
    out.planned = NULL;
    plan_result_clean_up(&out);
    return planned;
}

/* Creates the bucket of `config_json`; returns the new state (owned). */
static struct cty_value *create(struct harness *h, const char *config_json,
                                enum resource_result expected)
{
    struct cty_value *config = resource_config(&h->cr, config_json);
    struct cty_value *state = plan(h, NULL, config);
    assert_int_equal(h->cr.r->create(&h->ctx, config, state), expected);
    cty_value_destroy(config);
    return state;
}

/* Updates `prior` to `config_json`; returns the new state (owned). */
static struct cty_value *update(struct harness *h, const struct cty_value *prior,
                                const char *config_json)
{
    struct cty_value *config = resource_config(&h->cr, config_json);
    struct cty_value *state = plan(h, prior, config);
    assert_int_equal(h->cr.r->update(&h->ctx, prior, config, state), RESOURCE_OK);
    cty_value_destroy(config);
    return state;
}

static void assert_attr_json(const struct cty_value *state, const char *attr,
                             const char *expected)
{
    const struct cty_value *v = cty_value_attr(state, attr);
    char *err = NULL;
    char *json = cty_value_to_json(v, cty_value_type(v), &err);
    assert_non_null(json);
    if (strcmp(json, expected) != 0)
        fail_msg("%s = %s, expected %s", attr, json, expected);
    free(json);
}

static void assert_contains(const char *text, const char *part)
{
    if (!text || !strstr(text, part))
        fail_msg("\"%s\" lacks \"%s\"", text ? text : "(null)", part);
}

/* ======================= plan ======================= */

static void plan_knows_what_follows_from_the_name(void **state)
{
    (void)state;
    struct harness h;
    harness_init(&h, "eu-west-1");
    struct cty_value *config = resource_config(&h.cr, "{\"name\":\"live-origin\"}");
    struct cty_value *planned = plan(&h, NULL, config);
    assert_string_equal(cty_attr_string(planned, "id"), "live-origin");
    assert_string_equal(cty_attr_string(planned, "arn"), "arn:aws:s3:::live-origin");
    assert_string_equal(cty_attr_string(planned, "region"), "eu-west-1");
    assert_string_equal(cty_attr_string(planned, "bucket_regional_domain_name"),
                        "live-origin.s3.eu-west-1.amazonaws.com");
    assert_string_equal(cty_attr_string(planned, "metrics_filter_id"), "EntireBucket");
    assert_attr_json(planned, "tags_all", "{\"Project\":\"lsms\"}");
    cty_value_destroy(planned);
    cty_value_destroy(config);

    /* A generated name is known at apply only; no metrics, no id. */
    config = resource_config(&h.cr, "{\"name_prefix\":\"live-\",\"request_metrics\":false}");
    planned = plan(&h, NULL, config);
    assert_false(cty_value_is_known(cty_value_attr(planned, "name")));
    assert_false(cty_value_is_known(cty_value_attr(planned, "id")));
    assert_false(cty_value_is_known(cty_value_attr(planned, "bucket_regional_domain_name")));
    assert_string_equal(cty_attr_string(planned, "region"), "eu-west-1");
    assert_true(cty_value_is_null(cty_value_attr(planned, "metrics_filter_id")));
    cty_value_destroy(planned);
    cty_value_destroy(config);
    harness_clean_up(&h);
}

/* ======================= create ======================= */

static const char *const OWNER_BODY_PREFIX = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

static void create_sends_every_setting(void **state)
{
    (void)state;
    struct harness h;
    harness_init(&h, "us-east-1");
    struct cty_value *s = create(&h,
                                 "{\"name\":\"live-origin\",\"tags\":{\"Stream\":\"main\"},"
                                 "\"logging_bucket\":\"logs-1\",\"logging_prefix\":\"live/\"}",
                                 RESOURCE_OK);
    assert_no_diags(&h);
    assert_ops(&h, "CreateBucket,HeadBucket,PutBucketCors,PutBucketLifecycleConfiguration,"
                   "PutBucketLogging,PutBucketMetricsConfiguration,PutBucketTagging,"
                   "PutPublicAccessBlock");
    /* HeadBucket, then CreateBucket, before any configuration. */
    assert_string_equal(h.f.sent[0].op, "HeadBucket");
    assert_string_equal(h.f.sent[1].op, "CreateBucket");
    const struct sent *c = sent_op(&h, "CreateBucket");
    assert_string_equal(c->path, "/live-origin");
    assert_null(c->body); /* us-east-1: no LocationConstraint */
    assert_string_equal(c->ownership, "BucketOwnerEnforced");
    assert_null(c->md5);

    const struct sent *cors = sent_op(&h, "PutBucketCors");
    assert_string_equal(cors->query, "cors");
    assert_non_null(cors->md5);
    assert_contains(cors->body, "<CORSRule><AllowedHeader>*</AllowedHeader><AllowedMethod>GET"
                                "</AllowedMethod><AllowedMethod>HEAD</AllowedMethod>"
                                "<AllowedOrigin>*</AllowedOrigin><MaxAgeSeconds>3000"
                                "</MaxAgeSeconds></CORSRule>");
    const struct sent *life = sent_op(&h, "PutBucketLifecycleConfiguration");
    assert_non_null(life->md5);
    assert_contains(life->body, "<Rule><Expiration><Days>1</Days></Expiration><ID>lsms-0</ID>"
                                "<Filter><Prefix>stream/</Prefix></Filter><Status>Enabled"
                                "</Status></Rule>");
    const struct sent *m = sent_op(&h, "PutBucketMetricsConfiguration");
    assert_string_equal(m->query, "metrics&id=EntireBucket");
    assert_null(m->md5); /* not among the checksum-required operations */
    assert_contains(m->body, "<Id>EntireBucket</Id></MetricsConfiguration>");
    const struct sent *pab = sent_op(&h, "PutPublicAccessBlock");
    assert_non_null(pab->md5);
    assert_contains(pab->body, "<BlockPublicAcls>true</BlockPublicAcls>");
    assert_contains(pab->body, "<RestrictPublicBuckets>true</RestrictPublicBuckets>");
    const struct sent *log = sent_op(&h, "PutBucketLogging");
    assert_non_null(log->md5);
    assert_contains(log->body, "<LoggingEnabled><TargetBucket>logs-1</TargetBucket>"
                               "<TargetPrefix>live/</TargetPrefix></LoggingEnabled>");
    const struct sent *tags = sent_op(&h, "PutBucketTagging");
    assert_non_null(tags->md5);
    assert_contains(tags->body, "<Tag><Key>Project</Key><Value>lsms</Value></Tag>");
    assert_contains(tags->body, "<Tag><Key>Stream</Key><Value>main</Value></Tag>");
    for (size_t i = 0; i < h.f.n; i++) {
        assert_contains(h.f.sent[i].auth, "/us-east-1/s3/aws4_request");
        if (h.f.sent[i].body)
            assert_int_equal(strncmp(h.f.sent[i].body, OWNER_BODY_PREFIX,
                                     strlen(OWNER_BODY_PREFIX)),
                             0);
    }

    assert_string_equal(cty_attr_string(s, "id"), "live-origin");
    assert_string_equal(cty_attr_string(s, "arn"), "arn:aws:s3:::live-origin");
    assert_string_equal(cty_attr_string(s, "bucket_regional_domain_name"),
                        "live-origin.s3.us-east-1.amazonaws.com");
    assert_string_equal(cty_attr_string(s, "metrics_filter_id"), "EntireBucket");
    assert_attr_json(s, "tags_all", "{\"Project\":\"lsms\",\"Stream\":\"main\"}");
    assert_true(cty_value_is_wholly_known(s));
    cty_value_destroy(s);
    harness_clean_up(&h);
}

static void create_elsewhere_sends_the_location_and_only_what_is_asked(void **state)
{
    (void)state;
    struct harness h;
    harness_init(&h, "eu-west-1");
    cty_value_destroy(h.pd.default_tags);
    struct cty_type *map_t = cty_type_collection_new(CTY_MAP, cty_type_string());
    h.pd.default_tags = cty_collection_new(map_t);
    cty_type_release(map_t);
    struct cty_value *s = create(&h,
                                 "{\"name\":\"live-origin\",\"block_public_access\":false,"
                                 "\"object_ownership\":\"ObjectWriter\",\"cors_rules\":[],"
                                 "\"lifecycle_rules\":[],\"request_metrics\":false}",
                                 RESOURCE_OK);
    assert_no_diags(&h);
    /* No HeadBucket outside us-east-1 (S3 refuses a second create there);
     * Block Public Access, on by default on a new bucket, taken off. */
    assert_ops(&h, "CreateBucket,DeletePublicAccessBlock");
    const struct sent *c = sent_op(&h, "CreateBucket");
    assert_contains(c->body, "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/"
                             "2006-03-01/\"><LocationConstraint>eu-west-1</LocationConstraint>"
                             "</CreateBucketConfiguration>");
    assert_string_equal(c->ownership, "ObjectWriter");
    assert_contains(c->auth, "/eu-west-1/s3/aws4_request");
    assert_true(cty_value_is_null(cty_value_attr(s, "metrics_filter_id")));
    assert_string_equal(cty_attr_string(s, "bucket_regional_domain_name"),
                        "live-origin.s3.eu-west-1.amazonaws.com");
    cty_value_destroy(s);
    harness_clean_up(&h);
}

static void create_refuses_a_bucket_we_already_own(void **state)
{
    (void)state;
    struct harness h;
    harness_init(&h, "us-east-1");
    const struct override exists[] = {{"HeadBucket", 200, NULL, 0}, {0}};
    h.f.overrides = exists;
    struct cty_value *s = create(&h, "{\"name\":\"live-origin\"}", RESOURCE_ERROR);
    assert_ops(&h, "HeadBucket");
    assert_int_equal(h.d.n, 1);
    char *p = attr_path_to_string(&h.d.items[0].path);
    assert_string_equal(p, "name");
    free(p);
    assert_contains(h.d.items[0].detail, "import");
    cty_value_destroy(s);

    /* Someone else's name: CreateBucket says so. */
    harness_reset(&h);
    const struct override taken[] = {{"HeadBucket", 403, NULL, 0},
                                     {"CreateBucket", 409, "BucketAlreadyExists", 0},
                                     {0}};
    h.f.overrides = taken;
    s = create(&h, "{\"name\":\"live-origin\"}", RESOURCE_ERROR);
    assert_ops(&h, "CreateBucket,HeadBucket");
    assert_int_equal(h.d.n, 1);
    assert_contains(h.d.items[0].detail, "another account");
    cty_value_destroy(s);
    harness_clean_up(&h);
}

static void create_failure_deletes_the_new_bucket(void **state)
{
    (void)state;
    struct harness h;
    harness_init(&h, "us-east-1");
    const struct override bad[] = {{"PutBucketLifecycleConfiguration", 400, "InvalidArgument", 0},
                                   {0}};
    h.f.overrides = bad;
    struct cty_value *s = create(&h, "{\"name\":\"live-origin\"}", RESOURCE_ERROR);
    assert_int_equal(count_op(&h, "DeleteBucket"), 1);
    /* The delete comes after every configuration call returned. */
    assert_string_equal(h.f.sent[h.f.n - 1].op, "DeleteBucket");
    assert_int_equal(h.d.n, 1);
    char *p = attr_path_to_string(&h.d.items[0].path);
    assert_string_equal(p, "lifecycle_rules");
    free(p);
    assert_contains(h.d.items[0].detail, "InvalidArgument");
    cty_value_destroy(s);

    /* When even the delete fails, the bucket goes to state, tainted. */
    harness_reset(&h);
    const struct override worse[] = {{"PutBucketCors", 403, "AccessDenied", 0},
                                      {"DeleteBucket", 403, "AccessDenied", 0},
                                      {0}};
    h.f.overrides = worse;
    s = create(&h, "{\"name\":\"live-origin\"}", RESOURCE_PARTIAL);
    assert_int_equal(h.d.n, 2);
    assert_string_equal(cty_attr_string(s, "id"), "live-origin");
    cty_value_destroy(s);
    harness_clean_up(&h);
}

static void create_waits_while_the_new_bucket_propagates(void **state)
{
    (void)state;
    struct harness h;
    harness_init(&h, "us-east-1");
    const struct override late[] = {{"PutBucketCors", 404, "NoSuchBucket", 2}, {0}};
    h.f.overrides = late;
    struct cty_value *s = create(&h, "{\"name\":\"live-origin\"}", RESOURCE_OK);
    assert_no_diags(&h);
    assert_int_equal(count_op(&h, "PutBucketCors"), 3);
    assert_true(h.f.sleeps >= 2);
    cty_value_destroy(s);
    harness_clean_up(&h);
}

static void name_prefix_generates_a_name(void **state)
{
    (void)state;
    struct harness h;
    harness_init(&h, "us-east-1");
    struct cty_value *a = create(&h, "{\"name_prefix\":\"live-\"}", RESOURCE_OK);
    assert_no_diags(&h);
    regex_t re;
    assert_int_equal(regcomp(&re, "^live-[0-9a-f]{26}$", REG_EXTENDED | REG_NOSUB), 0);
    const char *name = cty_attr_string(a, "name");
    assert_int_equal(regexec(&re, name, 0, NULL, 0), 0);
    assert_string_equal(cty_attr_string(a, "id"), name);
    char path[80];
    snprintf(path, sizeof path, "/%s", name);
    assert_string_equal(sent_op(&h, "CreateBucket")->path, path);
    harness_reset(&h);
    struct cty_value *b = create(&h, "{\"name_prefix\":\"live-\"}", RESOURCE_OK);
    assert_int_equal(regexec(&re, cty_attr_string(b, "name"), 0, NULL, 0), 0);
    assert_string_not_equal(cty_attr_string(a, "name"), cty_attr_string(b, "name"));
    /* The longest prefix still gives a name S3 takes. */
    harness_reset(&h);
    struct cty_value *c =
        create(&h, "{\"name_prefix\":\"a234567890123456789012345678901234567\"}", RESOURCE_OK);
    assert_int_equal(strlen(cty_attr_string(c, "name")), 63);
    regfree(&re);
    cty_value_destroy(a);
    cty_value_destroy(b);
    cty_value_destroy(c);
    harness_clean_up(&h);
}

/* ======================= read ======================= */

#define NS "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\""

static void read_shows_every_drift(void **state)
{
    (void)state;
    struct harness h;
    harness_init(&h, "us-east-1");
    struct cty_value *s = create(&h, "{\"name\":\"live-origin\",\"tags\":{\"Stream\":\"main\"}}",
                                 RESOURCE_OK);
    harness_reset(&h);
    const struct override changed[] = {
        {"GetPublicAccessBlock", 200,
         "<PublicAccessBlockConfiguration " NS "><BlockPublicAcls>true</BlockPublicAcls>"
         "<IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>false</BlockPublicPolicy>"
         "<RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>",
         0},
        {"GetBucketOwnershipControls", 404, "OwnershipControlsNotFoundError", 0},
        {"GetBucketCors", 404, "NoSuchCORSConfiguration", 0},
        {"GetBucketLifecycleConfiguration", 200,
         "<LifecycleConfiguration " NS "><Rule><ID>x</ID><Filter><Prefix>stream/</Prefix>"
         "</Filter><Status>Enabled</Status><Expiration><Days>5</Days></Expiration></Rule>"
         "</LifecycleConfiguration>",
         0},
        {"GetBucketLogging", 200,
         "<BucketLoggingStatus " NS "><LoggingEnabled><TargetBucket>other-logs</TargetBucket>"
         "<TargetPrefix></TargetPrefix></LoggingEnabled></BucketLoggingStatus>",
         0},
        {"GetBucketTagging", 200,
         "<Tagging " NS "><TagSet><Tag><Key>Project</Key><Value>lsms</Value></Tag><Tag>"
         "<Key>Stream</Key><Value>backup</Value></Tag><Tag><Key>Owner</Key><Value>ops"
         "</Value></Tag></TagSet></Tagging>",
         0},
        {"GetBucketMetricsConfiguration", 404, "NoSuchConfiguration", 0},
        {0}};
    h.f.overrides = changed;
    bool gone = false;
    assert_int_equal(h.cr.r->read(&h.ctx, s, &gone), RESOURCE_OK);
    assert_no_diags(&h);
    assert_false(gone);
    assert_ops(&h, "GetBucketCors,GetBucketLifecycleConfiguration,GetBucketLogging,"
                   "GetBucketMetricsConfiguration,GetBucketOwnershipControls,GetBucketTagging,"
                   "GetPublicAccessBlock");
    assert_string_equal(sent_op(&h, "GetBucketMetricsConfiguration")->query,
                        "metrics&id=EntireBucket");
    assert_false(cty_attr_bool(s, "block_public_access", true));
    assert_string_equal(cty_attr_string(s, "object_ownership"), "ObjectWriter");
    assert_attr_json(s, "cors_rules", "[]");
    assert_attr_json(s, "lifecycle_rules", "[{\"expiration_days\":5,\"prefix\":\"stream/\"}]");
    assert_string_equal(cty_attr_string(s, "logging_bucket"), "other-logs");
    assert_null(cty_attr_string(s, "logging_prefix"));
    assert_attr_json(s, "tags", "{\"Owner\":\"ops\",\"Stream\":\"backup\"}");
    assert_attr_json(s, "tags_all", "{\"Owner\":\"ops\",\"Project\":\"lsms\","
                                    "\"Stream\":\"backup\"}");
    /* The id stays, so the plan shows request_metrics alone. */
    assert_false(cty_attr_bool(s, "request_metrics", true));
    assert_string_equal(cty_attr_string(s, "metrics_filter_id"), "EntireBucket");
    cty_value_destroy(s);
    harness_clean_up(&h);
}

static void read_of_a_gone_bucket_removes_it(void **state)
{
    (void)state;
    struct harness h;
    harness_init(&h, "us-east-1");
    struct cty_value *s = create(&h, "{\"name\":\"live-origin\"}", RESOURCE_OK);
    harness_reset(&h);
    const struct override gone_answers[] = {
        {"GetPublicAccessBlock", 404, "NoSuchBucket", 0},
        {"GetBucketOwnershipControls", 404, "NoSuchBucket", 0},
        {"GetBucketCors", 404, "NoSuchBucket", 0},
        {"GetBucketLifecycleConfiguration", 404, "NoSuchBucket", 0},
        {"GetBucketLogging", 404, "NoSuchBucket", 0},
        {"GetBucketTagging", 404, "NoSuchBucket", 0},
        {"GetBucketMetricsConfiguration", 404, "NoSuchBucket", 0},
        {0}};
    h.f.overrides = gone_answers;
    bool gone = false;
    assert_int_equal(h.cr.r->read(&h.ctx, s, &gone), RESOURCE_OK);
    assert_true(gone);
    assert_no_diags(&h);
    cty_value_destroy(s);
    harness_clean_up(&h);
}

/* ListBucketMetricsConfigurations over two pages. */
static int list_two_pages(struct fake *f, const char *op, const struct aws_request *req,
                          struct aws_response *resp)
{
    (void)f;
    if (strcmp(op, "ListBucketMetricsConfigurations") != 0)
        return 0;
    if (!strstr(req->query, "continuation-token=2"))
        answer_xml(resp, 200,
                   "<ListMetricsConfigurationsResult " NS "><IsTruncated>true</IsTruncated>"
                   "<MetricsConfiguration><Id>a</Id><Filter><Prefix>x/</Prefix></Filter>"
                   "</MetricsConfiguration><MetricsConfiguration><Id>b</Id><Filter><Prefix>"
                   "y/</Prefix></Filter></MetricsConfiguration><NextContinuationToken>2"
                   "</NextContinuationToken></ListMetricsConfigurationsResult>");
    else
        answer_xml(resp, 200,
                   "<ListMetricsConfigurationsResult " NS "><IsTruncated>false</IsTruncated>"
                   "<ContinuationToken>2</ContinuationToken><MetricsConfiguration><Id>"
                   "EntireBucket</Id></MetricsConfiguration></ListMetricsConfigurationsResult>");
    return 1;
}

static void import_reads_region_and_metrics(void **state)
{
    (void)state;
    struct harness h;
    harness_init(&h, "us-east-1");
    h.f.region_header = "eu-west-1";
    h.f.custom = list_two_pages;
    const struct override head_ok[] = {{"HeadBucket", 200, NULL, 0}, {0}};
    h.f.overrides = head_ok;
    struct cty_value *s = schema_null_object(h.cr.c);
    assert_int_equal(h.cr.r->import(&h.ctx, "live-origin", s), RESOURCE_OK);
    bool gone = false;
    assert_int_equal(h.cr.r->read(&h.ctx, s, &gone), RESOURCE_OK);
    assert_no_diags(&h);
    assert_int_equal(count_op(&h, "ListBucketMetricsConfigurations"), 2);
    assert_int_equal(count_op(&h, "GetBucketMetricsConfiguration"), 0);
    assert_string_equal(cty_attr_string(s, "region"), "eu-west-1");
    for (size_t i = 1; i < h.f.n; i++) /* after HeadBucket, in the bucket's region */
        assert_contains(h.f.sent[i].auth, "/eu-west-1/s3/aws4_request");
    assert_true(cty_attr_bool(s, "request_metrics", false));
    assert_string_equal(cty_attr_string(s, "metrics_filter_id"), "EntireBucket");
    assert_false(cty_attr_bool(s, "force_destroy", true));
    assert_string_equal(cty_attr_string(s, "arn"), "arn:aws:s3:::live-origin");
    assert_true(cty_value_is_wholly_known(s));
    cty_value_destroy(s);

    /* A bucket that is not there: nothing to import. */
    harness_reset(&h);
    s = schema_null_object(h.cr.c);
    assert_int_equal(h.cr.r->import(&h.ctx, "live-origin", s), RESOURCE_OK);
    assert_int_equal(h.cr.r->read(&h.ctx, s, &gone), RESOURCE_OK);
    assert_true(gone);
    assert_ops(&h, "HeadBucket");
    cty_value_destroy(s);
    /* An id that cannot be a bucket of ours. */
    s = schema_null_object(h.cr.c);
    assert_int_equal(h.cr.r->import(&h.ctx, "Live.Origin", s), RESOURCE_ERROR);
    cty_value_destroy(s);
    harness_clean_up(&h);
}

/* ======================= update ======================= */

static void update_sends_only_what_changed(void **state)
{
    (void)state;
    struct harness h;
    harness_init(&h, "us-east-1");
    const char *base = "{\"name\":\"live-origin\",\"logging_bucket\":\"logs-1\"";
    char json[512];
    snprintf(json, sizeof json, "%s}", base);
    struct cty_value *s0 = create(&h, json, RESOURCE_OK);
    harness_reset(&h);

    /* CORS and tags. */
    snprintf(json, sizeof json,
             "%s,\"tags\":{\"Stream\":\"b\"},\"cors_rules\":[{\"allowed_origins\":"
             "[\"https://player.example\"],\"allowed_methods\":[\"GET\"]}]}",
             base);
    struct cty_value *s1 = update(&h, s0, json);
    assert_no_diags(&h);
    assert_ops(&h, "PutBucketCors,PutBucketTagging");
    assert_contains(sent_op(&h, "PutBucketCors")->body,
                    "<CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>"
                    "https://player.example</AllowedOrigin></CORSRule>");
    assert_attr_json(s1, "tags_all", "{\"Project\":\"lsms\",\"Stream\":\"b\"}");
    harness_reset(&h);

    /* Nothing changed: nothing sent. */
    struct cty_value *same = update(&h, s1, json);
    assert_ops(&h, "");
    cty_value_destroy(same);

    /* Metrics under another id: the new one put, the old one removed. */
    snprintf(json, sizeof json,
             "%s,\"tags\":{\"Stream\":\"b\"},\"cors_rules\":[{\"allowed_origins\":"
             "[\"https://player.example\"],\"allowed_methods\":[\"GET\"]}],"
             "\"metrics_filter_id\":\"hls\",\"lifecycle_rules\":[]}",
             base);
    struct cty_value *s2 = update(&h, s1, json);
    assert_ops(&h, "DeleteBucketLifecycle,DeleteBucketMetricsConfiguration,"
                   "PutBucketMetricsConfiguration");
    assert_string_equal(sent_op(&h, "PutBucketMetricsConfiguration")->query,
                        "metrics&id=hls");
    assert_string_equal(sent_op(&h, "DeleteBucketMetricsConfiguration")->query,
                        "metrics&id=EntireBucket");
    harness_reset(&h);

    /* Metrics off, logging off, public access open, ownership changed,
     * every tag gone (default tags too). */
    cty_value_destroy(h.pd.default_tags);
    struct cty_type *map_t = cty_type_collection_new(CTY_MAP, cty_type_string());
    h.pd.default_tags = cty_collection_new(map_t);
    cty_type_release(map_t);
    struct cty_value *s3 = update(&h, s2,
                                  "{\"name\":\"live-origin\",\"request_metrics\":false,"
                                  "\"block_public_access\":false,\"object_ownership\":"
                                  "\"BucketOwnerPreferred\",\"cors_rules\":[{\"allowed_origins\":"
                                  "[\"https://player.example\"],\"allowed_methods\":[\"GET\"]}],"
                                  "\"lifecycle_rules\":[]}");
    assert_no_diags(&h);
    assert_ops(&h, "DeleteBucketMetricsConfiguration,DeleteBucketTagging,"
                   "DeletePublicAccessBlock,PutBucketLogging,PutBucketOwnershipControls");
    assert_string_equal(sent_op(&h, "DeleteBucketMetricsConfiguration")->query,
                        "metrics&id=hls");
    assert_contains(sent_op(&h, "PutBucketLogging")->body, "<BucketLoggingStatus " NS "/>");
    assert_contains(sent_op(&h, "PutBucketOwnershipControls")->body,
                    "<ObjectOwnership>BucketOwnerPreferred</ObjectOwnership>");
    assert_true(cty_value_is_null(cty_value_attr(s3, "metrics_filter_id")));
    cty_value_destroy(s0);
    cty_value_destroy(s1);
    cty_value_destroy(s2);
    cty_value_destroy(s3);
    harness_clean_up(&h);
}

/* ======================= delete ======================= */

/* A bucket of f->objects versions "k<i / 3>" (three versions per key, ids
 * "v<i>"): ListObjectVersions pages through what is left after the
 * key/version marker, DeleteObjects deletes (and counts) what it is sent. */
static int versions_store(struct fake *f, const char *op, const struct aws_request *req,
                          struct aws_response *resp)
{
    if (strcmp(op, "ListObjectVersions") == 0) {
        size_t max = 1000, start = 0;
        const char *m = strstr(req->query, "max-keys=");
        if (m)
            max = (size_t)strtoul(m + 9, NULL, 10);
        const char *vm = strstr(req->query, "version-id-marker=v");
        if (vm)
            start = (size_t)strtoul(vm + 19, NULL, 10) + 1;
        /* The marker names a deleted version: listing goes on after it. */
        struct buf b = {0};
        buf_printf(&b, "<ListVersionsResult " NS ">");
        size_t listed = 0, last = 0;
        bool more = false;
        for (size_t i = start; i < f->objects; i++) {
            if (f->gone_version[i])
                continue;
            if (listed == max) {
                more = true;
                break;
            }
            buf_printf(&b, "<%s><Key>k%zu</Key><VersionId>v%zu</VersionId></%s>",
                       i % 3 == 0 ? "DeleteMarker" : "Version", i / 3, i,
                       i % 3 == 0 ? "DeleteMarker" : "Version");
            listed++;
            last = i;
        }
        buf_printf(&b, "<IsTruncated>%s</IsTruncated>", more ? "true" : "false");
        if (more)
            buf_printf(&b, "<NextKeyMarker>k%zu</NextKeyMarker><NextVersionIdMarker>v%zu"
                           "</NextVersionIdMarker>",
                       last / 3, last);
        buf_printf(&b, "</ListVersionsResult>");
        answer_xml(resp, 200, b.data);
        buf_clean_up(&b);
        return 1;
    }
    if (strcmp(op, "DeleteObjects") == 0) {
        size_t n = 0;
        for (const char *p = req->body.data; (p = strstr(p, "<VersionId>v")); p++) {
            size_t i = (size_t)strtoul(p + 12, NULL, 10);
            assert_true(i < f->objects && !f->gone_version[i]);
            f->gone_version[i] = true;
            n++;
        }
        assert_true(f->n_batches < 16);
        f->deleted_batches[f->n_batches++] = n;
        answer_xml(resp, 200, "<DeleteResult " NS "/>");
        return 1;
    }
    if (strcmp(op, "DeleteBucket") == 0) {
        for (size_t i = 0; i < f->objects; i++)
            if (!f->gone_version[i]) {
                answer_error(resp, 409, "BucketNotEmpty");
                return 1;
            }
    }
    return 0;
}

static void store_fill(struct harness *h, size_t n)
{
    free(h->f.gone_version);
    h->f.objects = n;
    h->f.gone_version = calloc(n, sizeof(bool));
    h->f.n_batches = 0;
    h->f.custom = versions_store;
}

static void force_destroy_deletes_every_version_in_batches(void **state)
{
    (void)state;
    struct harness h;
    harness_init(&h, "us-east-1");
    struct cty_value *s = create(&h, "{\"name\":\"live-origin\",\"force_destroy\":true}",
                                 RESOURCE_OK);
    harness_reset(&h);
    store_fill(&h, 2500);
    assert_int_equal(h.cr.r->delete(&h.ctx, s), RESOURCE_OK);
    assert_no_diags(&h);
    assert_int_equal(count_op(&h, "ListObjectVersions"), 3);
    assert_int_equal(h.f.n_batches, 3);
    assert_int_equal(h.f.deleted_batches[0], 1000);
    assert_int_equal(h.f.deleted_batches[1], 1000);
    assert_int_equal(h.f.deleted_batches[2], 500);
    /* Each page goes on from the one before, the markers encoded. */
    assert_string_equal(h.f.sent[0].query, "versions&max-keys=1000");
    assert_string_equal(h.f.sent[2].query,
                        "versions&max-keys=1000&key-marker=k333&version-id-marker=v999");
    for (size_t i = 0; i < h.f.n; i++)
        if (strcmp(h.f.sent[i].op, "DeleteObjects") == 0) {
            assert_non_null(h.f.sent[i].md5);
            assert_contains(h.f.sent[i].body, "<Quiet>true</Quiet></Delete>");
        }
    assert_string_equal(h.f.sent[h.f.n - 1].op, "DeleteBucket");
    for (size_t i = 0; i < 2500; i++)
        assert_true(h.f.gone_version[i]);
    cty_value_destroy(s);
    harness_clean_up(&h);
}

static void emptying_pages_through_small_pages(void **state)
{
    (void)state;
    struct harness h;
    harness_init(&h, "us-east-1");
    store_fill(&h, 20);
    size_t deleted = 0;
    struct aws_error err = {0};
    assert_int_equal(bucket_api_empty(h.pd.client, "live-origin", NULL, 7, &deleted, &err), 0);
    assert_int_equal(deleted, 20);
    assert_int_equal(count_op(&h, "ListObjectVersions"), 3);
    assert_int_equal(h.f.n_batches, 3);
    assert_int_equal(h.f.deleted_batches[2], 6);
    /* An empty bucket: one list, no delete. */
    harness_reset(&h);
    store_fill(&h, 0);
    assert_int_equal(bucket_api_empty(h.pd.client, "live-origin", NULL, 0, &deleted, &err), 0);
    assert_int_equal(deleted, 0);
    assert_ops(&h, "ListObjectVersions");
    harness_clean_up(&h);
}

static void delete_without_force_destroy_names_it(void **state)
{
    (void)state;
    struct harness h;
    harness_init(&h, "us-east-1");
    struct cty_value *s = create(&h, "{\"name\":\"live-origin\"}", RESOURCE_OK);
    harness_reset(&h);
    store_fill(&h, 3);
    assert_int_equal(h.cr.r->delete(&h.ctx, s), RESOURCE_ERROR);
    assert_ops(&h, "DeleteBucket"); /* nothing listed, nothing deleted */
    assert_int_equal(h.d.n, 1);
    char *p = attr_path_to_string(&h.d.items[0].path);
    assert_string_equal(p, "force_destroy");
    free(p);
    assert_contains(h.d.items[0].summary, "not empty");
    assert_contains(h.d.items[0].detail, "force_destroy = true");
    assert_contains(h.d.items[0].detail, "Nothing was deleted");

    /* Already gone is fine. */
    harness_reset(&h);
    const struct override gone[] = {{"DeleteBucket", 404, "NoSuchBucket", 0}, {0}};
    h.f.overrides = gone;
    assert_int_equal(h.cr.r->delete(&h.ctx, s), RESOURCE_OK);
    assert_no_diags(&h);
    cty_value_destroy(s);
    harness_clean_up(&h);
}

static int delete_refused(struct fake *f, const char *op, const struct aws_request *req,
                          struct aws_response *resp)
{
    (void)f;
    (void)req;
    if (strcmp(op, "ListObjectVersions") == 0) {
        answer_xml(resp, 200,
                   "<ListVersionsResult><IsTruncated>false</IsTruncated><Version><Key>"
                   "stream/a.ts</Key><VersionId>v1</VersionId></Version></ListVersionsResult>");
        return 1;
    }
    if (strcmp(op, "DeleteObjects") == 0) {
        answer_xml(resp, 200,
                   "<DeleteResult><Error><Key>stream/a.ts</Key><VersionId>v1</VersionId><Code>"
                   "AccessDenied</Code><Message>Access Denied</Message></Error></DeleteResult>");
        return 1;
    }
    return 0;
}

static void force_destroy_reports_what_s3_kept(void **state)
{
    (void)state;
    struct harness h;
    harness_init(&h, "us-east-1");
    struct cty_value *s = create(&h, "{\"name\":\"live-origin\",\"force_destroy\":true}",
                                 RESOURCE_OK);
    harness_reset(&h);
    h.f.custom = delete_refused;
    assert_int_equal(h.cr.r->delete(&h.ctx, s), RESOURCE_ERROR);
    assert_int_equal(count_op(&h, "DeleteBucket"), 0);
    assert_int_equal(h.d.n, 1);
    char *p = attr_path_to_string(&h.d.items[0].path);
    assert_string_equal(p, "force_destroy");
    free(p);
    assert_contains(h.d.items[0].detail, "stream/a.ts: AccessDenied");
    cty_value_destroy(s);
    harness_clean_up(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(good_configs_pass),
        cmocka_unit_test(names_s3_or_medialive_refuse_are_refused),
        cmocka_unit_test(name_and_prefix_exactly_one),
        cmocka_unit_test(lifecycle_days_are_whole_and_at_least_one),
        cmocka_unit_test(other_bad_values_point_at_their_attribute),
        cmocka_unit_test(plan_knows_what_follows_from_the_name),
        cmocka_unit_test(create_sends_every_setting),
        cmocka_unit_test(create_elsewhere_sends_the_location_and_only_what_is_asked),
        cmocka_unit_test(create_refuses_a_bucket_we_already_own),
        cmocka_unit_test(create_failure_deletes_the_new_bucket),
        cmocka_unit_test(create_waits_while_the_new_bucket_propagates),
        cmocka_unit_test(name_prefix_generates_a_name),
        cmocka_unit_test(read_shows_every_drift),
        cmocka_unit_test(read_of_a_gone_bucket_removes_it),
        cmocka_unit_test(import_reads_region_and_metrics),
        cmocka_unit_test(update_sends_only_what_changed),
        cmocka_unit_test(force_destroy_deletes_every_version_in_batches),
        cmocka_unit_test(emptying_pages_through_small_pages),
        cmocka_unit_test(delete_without_force_destroy_names_it),
        cmocka_unit_test(force_destroy_reports_what_s3_kept),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
