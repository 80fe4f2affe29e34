#include "aws/client.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"

/* Assumed-role credentials are renewed this long before they expire. */
#define CLIENT_REFRESH_MARGIN_S 300

/* The credentials source of a client with assume_role: the role's
 * temporary credentials, renewed through STS (signed with the chain's
 * credentials) when they are about to expire. */
struct role_source {
    pthread_mutex_t cred_mu;    /* guards active */
    pthread_mutex_t refresh_mu; /* one renewal at a time */
    struct aws_credentials base;   /* from the chain */
    struct aws_credentials active; /* the role's */
    char *role_arn, *session_name, *external_id;
    int duration_seconds;
};

static char *dup_or_null(const char *s)
{
    return s && *s ? strdup(s) : NULL;
}

static void role_source_destroy(void *ctx)
{
    struct role_source *r = ctx;
    if (!r)
        return;
    aws_credentials_clean_up(&r->base);
    aws_credentials_clean_up(&r->active);
    free(r->role_arn);
    free(r->session_name);
    free(r->external_id);
    pthread_mutex_destroy(&r->cred_mu);
    pthread_mutex_destroy(&r->refresh_mu);
    free(r);
}

static struct role_source *role_source_new(const struct aws_assume_role_config *ar,
                                           const struct aws_credentials *base)
{
    struct role_source *r = calloc(1, sizeof(*r));
    if (!r)
        return NULL;
    pthread_mutex_init(&r->cred_mu, NULL);
    pthread_mutex_init(&r->refresh_mu, NULL);
    r->role_arn = strdup(ar->role_arn);
    r->session_name = strdup(ar->session_name && *ar->session_name ? ar->session_name
                                                                   : "terraform-provider-lsms");
    r->external_id = dup_or_null(ar->external_id);
    r->duration_seconds = ar->duration_seconds > 0 ? ar->duration_seconds : 3600;
    if (!r->role_arn || !r->session_name || (ar->external_id && *ar->external_id && !r->external_id) ||
        aws_credentials_copy(&r->base, base)) {
        role_source_destroy(r);
        return NULL;
    }
    return r;
}

/* AssumeRole with the chain's credentials into r->active. */
static int role_source_renew(struct role_source *r, struct aws_client *c, struct aws_error *err)
{
    struct aws_assume_role_config own = {r->role_arn, r->session_name, r->external_id,
                                         r->duration_seconds};
    struct aws_credentials fresh = {0};
    if (aws_sts_assume_role(c, &r->base, &own, &fresh, err))
        return -1;
    pthread_mutex_lock(&r->cred_mu);
    aws_credentials_clean_up(&r->active);
    r->active = fresh;
    pthread_mutex_unlock(&r->cred_mu);
    return 0;
}

static int role_source_get(void *ctx, struct aws_client *c, struct aws_credentials *out,
                           struct aws_error *err)
{
    struct role_source *r = ctx;
    pthread_mutex_lock(&r->refresh_mu);
    pthread_mutex_lock(&r->cred_mu);
    time_t exp = r->active.expiration;
    pthread_mutex_unlock(&r->cred_mu);
    const struct aws_clock *clock = aws_client_clock(c);
    int rc = 0;
    if (exp && clock->wall_time(clock->ctx) + CLIENT_REFRESH_MARGIN_S >= exp)
        rc = role_source_renew(r, c, err);
    pthread_mutex_unlock(&r->refresh_mu);
    if (rc)
        return -1;
    pthread_mutex_lock(&r->cred_mu);
    rc = aws_credentials_copy(out, &r->active);
    pthread_mutex_unlock(&r->cred_mu);
    return rc ? aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL) : 0;
}

static char *region_resolve(const struct aws_client_config *cfg)
{
    if (cfg->region && *cfg->region)
        return strdup(cfg->region);
    const char *env = getenv("AWS_REGION");
    if (!env || !*env)
        env = getenv("AWS_DEFAULT_REGION");
    if (env && *env)
        return strdup(env);
    return aws_credentials_profile_region(&cfg->credentials);
}

/* Assumes the role once (the first temporary credentials) and makes it the
 * source of every later call's credentials. */
static int client_assume_role(struct aws_client *c, const struct aws_assume_role_config *ar,
                              const struct aws_credentials *base, struct aws_error *err)
{
    struct role_source *r = role_source_new(ar, base);
    if (!r)
        return aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
    if (role_source_renew(r, c, err)) {
        role_source_destroy(r);
        return -1;
    }
    aws_client_set_credentials_source(
        c, (struct aws_credentials_source){role_source_get, role_source_destroy, r});
    return 0;
}

/* GetCallerIdentity: the account id, and the proof that the credentials work. */
static int client_learn_account(struct aws_client *c, const struct aws_client_config *cfg,
                                struct aws_error *err)
{
    char *account = NULL;
    struct aws_error id_err = {0};
    int rc = 0;
    if (aws_sts_get_caller_identity(c, &account, NULL, &id_err) == 0) {
        if (aws_client_set_account_id(c, account))
            rc = aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
    } else if (!cfg->skip_credentials_validation) {
        rc = aws_error_set(err, id_err.code, id_err.message, id_err.http_status,
                           id_err.request_id);
    } else {
        log_kv(LOG_WARN, "cannot learn the AWS account id", "error", id_err.code, NULL);
    }
    free(account);
    aws_error_clean_up(&id_err);
    return rc;
}

struct aws_client *aws_client_new(const struct aws_client_config *cfg, struct aws_error *err)
{
    struct aws_credentials base = {0};
    struct aws_client *c = NULL;
    char *region = region_resolve(cfg);
    if (!region) {
        aws_error_setf(err, AWS_ERR_CONFIG,
                       "no AWS region: set the provider's region, AWS_REGION or "
                       "AWS_DEFAULT_REGION, or region in the shared config file");
        goto fail_early;
    }
    if (aws_credentials_resolve(&cfg->credentials, &base, err))
        goto fail_early;
    struct aws_engine_config ec = {
        .region = region,
        .endpoints = &cfg->endpoints,
        .credentials = &base,
        .max_retries = cfg->max_retries,
        .s3_use_path_style = cfg->s3_use_path_style,
        .http = {.connect_timeout_ms = cfg->connect_timeout_ms,
                 .timeout_ms = cfg->timeout_ms,
                 .insecure = cfg->insecure},
        .transport = cfg->transport,
        .clock = cfg->clock,
    };
    c = aws_client_create(&ec, err); /* owns the transport from here, even on failure */
    if (!c)
        goto fail;
    const struct aws_assume_role_config *ar = &cfg->assume_role;
    if (ar->role_arn && *ar->role_arn && client_assume_role(c, ar, &base, err))
        goto fail;
    if ((!cfg->skip_credentials_validation || !cfg->skip_requesting_account_id) &&
        client_learn_account(c, cfg, err))
        goto fail;
    aws_credentials_clean_up(&base);
    free(region);
    return c;
fail_early:
    /* A scripted transport is ours to free until the engine takes it. */
    if (cfg->transport)
        aws_transport_destroy(cfg->transport);
fail:
    aws_client_destroy(c);
    aws_credentials_clean_up(&base);
    free(region);
    return NULL;
}
