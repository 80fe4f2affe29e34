/*
 * distribution_actions.c - action lsms_distribution_invalidate (action.h):
 * removes paths from CloudFront's edge caches (CreateInvalidation) and
 * waits until CloudFront reports the invalidation Completed, reporting its
 * status as it goes. What hashicorp/aws's aws_cloudfront_create_invalidation
 * does, for the player page or a manifest replaced in the origin:
 *
 *     action "lsms_distribution_invalidate" "player" {
 *       config {
 *         distribution_id = lsms_distribution.cdn.id
 *         paths           = ["/player/index.html"]
 *       }
 *     }
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aws/message.h"
#include "aws/waiter.h"
#include "framework/action.h"
#include "resources/common.h"
#include "resources/distribution/distribution.h"
#include "resources/distribution/distribution_invalidation.h"
#include "resources/distribution/distribution_s3.h"
#include "resources/provider.h"
#include "util/buf.h"
#include "util/random.h"

#define INVALIDATE_TIMEOUT_MS (20u * 60u * 1000u)
#define INVALIDATE_REPEAT_S 30

static void invalidate_path_check(const struct cty_value *v, const struct attr_path *path,
                                  struct diags *d)
{
    const char *s = cty_value_string(v);
    const char *why = s ? distribution_invalidation_path_problem(s) : NULL;
    if (why)
        diags_add(d, DIAG_ERROR, path, "Invalid invalidation path", "\"%s\": %s.", s, why);
}

static const struct schema_attribute invalidate_attrs[] = {
    {.name = "distribution_id", .type = "string", .flags = SCHEMA_REQUIRED,
     .description = "CloudFront distribution ID (`lsms_distribution.<name>.id`).",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_REGEX, .regex = "^[A-Z0-9]+$",
          .message = "a CloudFront distribution ID such as E2QWRUHAPOMQZL"},
         {0}}},
    {.name = "paths", .type = "[\"list\",\"string\"]", .flags = SCHEMA_REQUIRED,
     .description = "Paths to invalidate, each starting with `/`; a `*` may end one "
                    "(`/player/*`). 1 to 3000 paths, at most 15 with a wildcard (CloudFront's "
                    "quotas).",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_COUNT, .min = 1, .max = DISTRIBUTION_INVALIDATION_MAX_PATHS},
         {.kind = VALIDATE_FUNC, .func = invalidate_path_check},
         {0}}},
    {.name = "caller_reference", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "Unique reference of this invalidation; CloudFront refuses a second one "
                    "with the same reference and other paths. Default: generated anew at each "
                    "invocation.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_LENGTH, .min = 1, .max = 128}, {0}}},
    {.name = "timeout", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "How long to wait for CloudFront to complete the invalidation, as a "
                    "duration such as `20m` (default 20m).",
     .validators = lsms_duration_validators},
    {0}};

static const struct schema invalidate_schema = {
    .version = 0,
    .block = {.attributes = invalidate_attrs,
              .description = "Invalidates paths of a CloudFront distribution "
                             "(CreateInvalidation) and waits until CloudFront reports the "
                             "invalidation `Completed`, reporting its status as it goes. Fails, "
                             "saying the invalidation's id and last status, when CloudFront "
                             "refuses it or the timeout passes."}};

/* At most 15 wildcard paths (the count of paths is the schema's). */
static void invalidate_validate(const struct cty_value *config, struct diags *d)
{
    const struct cty_value *paths = cty_value_attr(config, "paths");
    if (!paths || !cty_value_is_wholly_known(paths))
        return;
    size_t wild = 0;
    for (size_t i = 0; i < cty_value_length(paths); i++) {
        const char *p = cty_value_string(cty_value_index(paths, i));
        wild += p && strchr(p, '*') ? 1 : 0;
    }
    if (wild > DISTRIBUTION_INVALIDATION_MAX_WILDCARDS)
        diags_error(d, "paths", "Too many wildcard paths",
                    "%zu paths end with '*'; CloudFront allows at most %d wildcard paths in "
                    "progress. Invalidate a common parent with one wildcard instead.",
                    wild, DISTRIBUTION_INVALIDATION_MAX_WILDCARDS);
}

struct invalidate_run {
    struct action_ctx *actx;
    struct aws_client *c;
    const char *distribution_id;
    char *id;     /* the invalidation's, owned */
    char *status; /* last seen, owned */
    struct timespec started;
    long reported_at_s;
    bool cancelled;
};

static long invalidate_elapsed_s(const struct invalidate_run *run)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long)(now.tv_sec - run->started.tv_sec);
}

/* GetInvalidation until Completed, with progress on each status change. */
static enum aws_wait_result invalidate_poll(void *arg, struct aws_error *err)
{
    struct invalidate_run *run = arg;
    struct aws_rest_xml_output out = {0};
    struct buf suffix = {0};
    if (buf_append_str(&suffix, "/invalidation/") != 0 ||
        aws_uri_encode(&suffix, run->id, strlen(run->id), 0) != 0) {
        buf_clean_up(&suffix);
        aws_error_set(err, AWS_ERR_NO_MEMORY, "out of memory", 0, NULL);
        return AWS_WAIT_FAILED;
    }
    int rc = distribution_cloudfront_call(run->c, "GetInvalidation", "GET", "distribution",
                                          run->distribution_id, suffix.data, NULL, NULL, NULL, 0,
                                          &out, err);
    buf_clean_up(&suffix);
    char *id = NULL, *status = NULL;
    if (rc == 0 && distribution_invalidation_read(out.doc, &id, &status) != 0) {
        aws_error_set(err, AWS_ERR_BAD_RESPONSE, "GetInvalidation answered no Invalidation", 0,
                      NULL);
        rc = -1;
    }
    aws_rest_xml_output_clean_up(&out);
    free(id);
    if (rc != 0)
        return AWS_WAIT_FAILED;
    const char *now = status ? status : "";
    long t = invalidate_elapsed_s(run);
    bool changed = !run->status || strcmp(run->status, now) != 0;
    if (changed || t - run->reported_at_s >= INVALIDATE_REPEAT_S) {
        run->reported_at_s = t;
        if (action_progress(run->actx, "Invalidation %s is %s (%ld s).", run->id, now, t) != 0)
            run->cancelled = true;
    }
    free(run->status);
    run->status = status;
    if (run->cancelled || action_cancelled(run->actx)) {
        run->cancelled = true;
        aws_error_setf(err, AWS_ERR_CANCELLED, "waiting for invalidation %s was cancelled",
                       run->id);
        return AWS_WAIT_FAILED;
    }
    return strcmp(now, "Completed") == 0 ? AWS_WAIT_DONE : AWS_WAIT_PENDING;
}

/* "lsms-<unix seconds>-<16 hex>": unique per invocation. */
static char *invalidate_reference_new(void)
{
    char hex[17];
    if (random_hex(hex, 8) != 0)
        return NULL;
    struct buf b = {0};
    if (buf_printf(&b, "lsms-%lld-%s", (long long)time(NULL), hex) != 0) {
        buf_clean_up(&b);
        return NULL;
    }
    return b.data;
}

static enum resource_result invalidate_invoke(struct action_ctx *actx,
                                              const struct cty_value *config)
{
    struct lsms_provider_data *pd = resource_provider(&actx->rc);
    if (!pd)
        return RESOURCE_ERROR;
    struct invalidate_run run = {.actx = actx, .c = pd->client,
                                 .distribution_id = cty_attr_string(config, "distribution_id")};
    clock_gettime(CLOCK_MONOTONIC, &run.started);
    const struct cty_value *paths = cty_value_attr(config, "paths");
    size_t n = cty_value_length(paths);
    const char **items = calloc(n ? n : 1, sizeof *items);
    char *reference = cty_attr_string(config, "caller_reference")
                          ? strdup(cty_attr_string(config, "caller_reference"))
                          : invalidate_reference_new();
    char *body = NULL;
    size_t body_len = 0;
    struct aws_rest_xml_output out = {0};
    struct aws_error err = {0};
    enum resource_result result = RESOURCE_ERROR;
    for (size_t i = 0; items && i < n; i++)
        items[i] = cty_value_string(cty_value_index(paths, i));
    if (!items || !reference ||
        !(body = distribution_invalidation_batch_xml_new(items, n, reference, &body_len))) {
        resource_diag_oom(actx->rc.diags);
        goto done;
    }
    if (distribution_cloudfront_call(pd->client, "CreateInvalidation", "POST", "distribution",
                                     run.distribution_id, "/invalidation", NULL, NULL, body,
                                     body_len, &out, &err) != 0) {
        resource_diag_aws(actx->rc.diags, "paths", "Cannot invalidate the distribution's paths",
                          &err);
        goto done;
    }
    if (distribution_invalidation_read(out.doc, &run.id, &run.status) != 0) {
        diags_error(actx->rc.diags, NULL, "Cannot invalidate the distribution's paths",
                    "CreateInvalidation answered without an Invalidation id.");
        goto done;
    }
    if (action_progress(actx, "Invalidation %s of %zu path%s on distribution %s is %s.", run.id,
                        n, n == 1 ? "" : "s", run.distribution_id,
                        run.status ? run.status : "created") != 0 ||
        action_cancelled(actx)) {
        diags_error(actx->rc.diags, NULL, "Cancelled",
                    "The action was cancelled after CreateInvalidation: invalidation %s of "
                    "distribution %s goes on without waiting for it.",
                    run.id, run.distribution_id);
        goto done;
    }
    uint64_t timeout_ms =
        resource_duration_ms(cty_attr_string(config, "timeout"), INVALIDATE_TIMEOUT_MS);
    struct aws_waiter_config w = {.initial_delay_ms = 1000, .growth_percent = 150,
                                  .max_delay_ms = 20000, .timeout_ms = timeout_ms,
                                  .what = "invalidation Completed"};
    if (!run.status || strcmp(run.status, "Completed") != 0) {
        if (aws_client_wait(pd->client, &w, invalidate_poll, &run, &err) != 0) {
            char *why = aws_error_format(&err);
            diags_error(actx->rc.diags, "paths", "The invalidation did not complete",
                        "%s. Invalidation %s of distribution %s was last seen %s; CloudFront "
                        "goes on with it.",
                        why ? why : "out of memory", run.id, run.distribution_id,
                        run.status ? run.status : "InProgress");
            free(why);
            goto done;
        }
    }
    (void)action_progress(actx, "Invalidation %s is Completed.", run.id);
    result = RESOURCE_OK;
done:
    aws_error_clean_up(&err);
    aws_rest_xml_output_clean_up(&out);
    free(body);
    free(reference);
    free(items);
    free(run.id);
    free(run.status);
    return result;
}

const struct lsms_action lsms_distribution_invalidate_action = {
    .type_name = "lsms_distribution_invalidate",
    .schema = &invalidate_schema,
    .validate = invalidate_validate,
    .invoke = invalidate_invoke,
};
