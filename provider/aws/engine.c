#include "aws/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/curl_lib.h"
#include "aws/retry.h"
#include "aws/sigv4.h"
#include "util/log.h"

/* Members of struct aws_endpoint_overrides. */
#define CLIENT_SERVICE_COUNT 9

struct aws_client {
    char *region;
    char *account_id;
    struct aws_endpoint_overrides_copy {
        char *v[CLIENT_SERVICE_COUNT];
    } endpoints_storage;
    struct aws_endpoint_overrides endpoints; /* points into endpoints_storage */
    int s3_use_path_style;
    struct aws_retry_policy retry;
    struct aws_transport *transport;
    const struct aws_clock *clock;
    struct aws_stop stop;
    /* Fixed after creation: read without a lock. */
    struct aws_credentials credentials;
    struct aws_credentials_source source; /* get == NULL: `credentials` */
};

static char *dup_or_null(const char *s)
{
    return s && *s ? strdup(s) : NULL;
}

static int copy_overrides(struct aws_client *c, const struct aws_endpoint_overrides *o)
{
    if (!o)
        return 0;
    const char *src[CLIENT_SERVICE_COUNT] = {o->cloudfront, o->cloudwatch, o->iam,
                                             o->logs,       o->medialive,  o->mediastore,
                                             o->ssm,        o->sts,        o->s3};
    for (int i = 0; i < CLIENT_SERVICE_COUNT; i++) {
        c->endpoints_storage.v[i] = dup_or_null(src[i]);
        if (src[i] && *src[i] && !c->endpoints_storage.v[i])
            return -1;
    }
    char **v = c->endpoints_storage.v;
    c->endpoints =
        (struct aws_endpoint_overrides){v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]};
    return 0;
}

struct aws_client *aws_client_create(const struct aws_engine_config *cfg, struct aws_error *err)
{
    struct aws_client *c = calloc(1, sizeof(*c));
    if (!c) {
        aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
        if (cfg->transport)
            aws_transport_destroy(cfg->transport);
        return NULL;
    }
    aws_stop_init(&c->stop);
    c->clock = cfg->clock ? cfg->clock : aws_clock_system();
    c->retry.max_retries = cfg->max_retries < 0 ? AWS_RETRY_DEFAULT_MAX_RETRIES : cfg->max_retries;
    c->retry.base_delay_ms = AWS_RETRY_BASE_DELAY_MS;
    c->retry.max_backoff_ms = AWS_RETRY_MAX_BACKOFF_MS;
    c->s3_use_path_style = cfg->s3_use_path_style;
    if (cfg->transport) {
        c->transport = cfg->transport;
    } else {
        struct aws_http_options o = cfg->http;
        o.stop = &c->stop;
        c->transport = aws_transport_curl_new(&o);
    }
    if (!c->transport && curl_lib_load() != 0) {
        aws_error_setf(err, AWS_ERR_CONFIG, "cannot load libcurl: %s", curl_lib_error());
        goto fail;
    }
    c->account_id = strdup("");
    c->region = cfg->region ? strdup(cfg->region) : NULL;
    if (!c->transport || !c->account_id || !c->region || copy_overrides(c, cfg->endpoints) ||
        (cfg->credentials && aws_credentials_copy(&c->credentials, cfg->credentials))) {
        aws_error_set(err, AWS_ERR_NO_MEMORY, "cannot set up the HTTP client", 0, NULL);
        goto fail;
    }
    return c;
fail:
    aws_client_destroy(c);
    return NULL;
}

void aws_client_destroy(struct aws_client *c)
{
    if (!c)
        return;
    aws_transport_destroy(c->transport);
    if (c->source.destroy)
        c->source.destroy(c->source.ctx);
    aws_credentials_clean_up(&c->credentials);
    for (int i = 0; i < CLIENT_SERVICE_COUNT; i++)
        free(c->endpoints_storage.v[i]);
    free(c->region);
    free(c->account_id);
    aws_stop_clean_up(&c->stop);
    free(c);
}

void aws_client_set_credentials_source(struct aws_client *c, struct aws_credentials_source src)
{
    if (c->source.destroy)
        c->source.destroy(c->source.ctx);
    c->source = src;
}

int aws_client_set_account_id(struct aws_client *c, const char *account_id)
{
    char *copy = strdup(account_id ? account_id : "");
    if (!copy)
        return -1;
    free(c->account_id);
    c->account_id = copy;
    return 0;
}

void aws_client_stop(struct aws_client *c)
{
    aws_stop_trigger(&c->stop);
}

struct aws_stop *aws_client_stop_flag(struct aws_client *c)
{
    return &c->stop;
}

const struct aws_clock *aws_client_clock(const struct aws_client *c)
{
    return c->clock;
}

const char *aws_client_region(const struct aws_client *c)
{
    return c->region;
}

const char *aws_client_account_id(const struct aws_client *c)
{
    return c->account_id ? c->account_id : "";
}

int aws_client_s3_use_path_style(const struct aws_client *c)
{
    return c->s3_use_path_style;
}

int aws_client_endpoint_resolve(const struct aws_client *c, const char *service,
                                const char *region, struct aws_endpoint *out,
                                struct aws_error *err)
{
    return aws_endpoint_resolve(service, region && *region ? region : c->region, &c->endpoints,
                                out, err);
}

int aws_client_credentials_get(struct aws_client *c, struct aws_credentials *out,
                               struct aws_error *err)
{
    if (c->source.get)
        return c->source.get(c->source.ctx, c, out, err);
    if (aws_credentials_copy(out, &c->credentials))
        return aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
    return 0;
}

const char *aws_response_request_id(const struct aws_response *resp)
{
    static const char *const names[] = {"x-amzn-RequestId", "x-amz-request-id",
                                        "x-amzn-request-id"};
    for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
        const char *v = aws_headers_get(&resp->headers, names[i]);
        if (v && *v)
            return v;
    }
    return NULL;
}

static void log_attempt(const struct aws_call *call, int attempt, const struct aws_response *resp,
                        uint64_t duration_ms, const struct aws_error *err)
{
    if (!log_enabled(LOG_DEBUG))
        return;
    char attempt_s[16], status_s[16], dur_s[32];
    snprintf(attempt_s, sizeof(attempt_s), "%d", attempt);
    snprintf(status_s, sizeof(status_s), "%ld", resp->status);
    snprintf(dur_s, sizeof(dur_s), "%llu", (unsigned long long)duration_ms);
    const char *rid = err && err->request_id ? err->request_id : aws_response_request_id(resp);
    log_kv(LOG_DEBUG, "aws call", "service", call->service, "operation",
           call->operation ? call->operation : "", "attempt", attempt_s, "status", status_s,
           "duration_ms", dur_s, "request_id", rid ? rid : "", "error_code",
           err && err->code ? err->code : "", NULL);
}

static void default_parse_error(const struct aws_response *resp, struct aws_error *err)
{
    aws_error_setf(err, "HttpError", "HTTP status %ld", resp->status);
}

/* One attempt: sign with the current time and send. 0 on 2xx. */
static int client_attempt(struct aws_client *c, const struct aws_call *call,
                          const struct aws_endpoint *ep, struct aws_request *req,
                          struct aws_response *resp, struct aws_error *err)
{
    struct aws_credentials creds = {0};
    int rc = 0;
    if (!call->credentials)
        rc = aws_client_credentials_get(c, &creds, err);
    else if (aws_credentials_copy(&creds, call->credentials))
        rc = aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
    if (rc)
        return -1;
    struct sigv4_params p = {.credentials = &creds,
                             .region = ep->signing_region,
                             .service = ep->signing_name,
                             .time = c->clock->wall_time(c->clock->ctx),
                             .normalize_path = !call->s3,
                             .s3 = call->s3,
                             .unsigned_payload = call->unsigned_payload};
    rc = sigv4_sign_request(req, &p);
    aws_credentials_clean_up(&creds);
    if (rc)
        return aws_error_set(err, AWS_ERR_NO_MEMORY, "cannot sign the request", 0, NULL);
    if (aws_transport_send(c->transport, req, resp, err))
        return -1;
    if (resp->status >= 200 && resp->status < 300)
        return 0;
    (call->parse_error ? call->parse_error : default_parse_error)(resp, err);
    err->http_status = resp->status;
    const char *rid = aws_response_request_id(resp);
    if (!err->request_id && rid)
        err->request_id = strdup(rid);
    return -1;
}

int aws_client_send(struct aws_client *c, const struct aws_call *call, struct aws_request *req,
                    struct aws_response *resp, struct aws_error *err)
{
    struct aws_endpoint ep = {0};
    const char *region = call->region && *call->region ? call->region : c->region;
    if (call->endpoint) {
        const struct aws_service_info *s = aws_service_find(call->service);
        if (!s)
            return aws_error_setf(err, AWS_ERR_CONFIG, "unknown AWS service \"%s\"", call->service);
        ep.url = strdup(call->endpoint);
        ep.signing_region = strdup(region);
        ep.signing_name = s->signing_name;
        if (!ep.url || !ep.signing_region) {
            aws_endpoint_clean_up(&ep);
            return aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
        }
    } else if (aws_endpoint_resolve(call->service, region, &c->endpoints, &ep, err)) {
        return -1;
    }
    int rc = -1;
    if (aws_request_set_endpoint(req, ep.url)) {
        aws_error_setf(err, AWS_ERR_CONFIG, "invalid endpoint URL \"%s\" for %s", ep.url,
                       call->service);
        goto done;
    }
    for (int attempt = 0;; attempt++) {
        if (aws_stop_is_set(&c->stop)) {
            aws_error_set(err, AWS_ERR_CANCELLED, "the provider is stopping", 0, NULL);
            break;
        }
        aws_response_clean_up(resp);
        aws_error_clean_up(err);
        uint64_t t0 = c->clock->now_ms(c->clock->ctx);
        rc = client_attempt(c, call, &ep, req, resp, err);
        log_attempt(call, attempt + 1, resp, c->clock->now_ms(c->clock->ctx) - t0,
                    rc ? err : NULL);
        if (rc == 0)
            break;
        enum aws_retry_class cls = aws_retry_classify(err);
        if (cls == AWS_RETRY_NONE || attempt >= c->retry.max_retries)
            break;
        uint64_t delay = aws_retry_delay_ms(&c->retry, attempt, c->clock->random_unit(c->clock->ctx));
        if (c->clock->sleep_ms(c->clock->ctx, delay, &c->stop)) {
            aws_error_set(err, AWS_ERR_CANCELLED, "the provider is stopping", 0, NULL);
            rc = -1;
            break;
        }
    }
done:
    aws_endpoint_clean_up(&ep);
    return rc;
}
