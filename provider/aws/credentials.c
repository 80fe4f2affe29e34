#include "aws/credentials.h"

#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "aws/profile.h"
#include "util/buf.h"

static void secret_free(char *s)
{
    if (s) {
        OPENSSL_cleanse(s, strlen(s));
        free(s);
    }
}

void aws_credentials_clean_up(struct aws_credentials *c)
{
    if (!c)
        return;
    free(c->access_key_id);
    secret_free(c->secret_access_key);
    secret_free(c->session_token);
    memset(c, 0, sizeof(*c));
}

int aws_credentials_init(struct aws_credentials *c, const char *access_key_id,
                         const char *secret_access_key, const char *session_token,
                         time_t expiration, const char *source)
{
    memset(c, 0, sizeof(*c));
    c->access_key_id = strdup(access_key_id ? access_key_id : "");
    c->secret_access_key = strdup(secret_access_key ? secret_access_key : "");
    if (session_token && *session_token)
        c->session_token = strdup(session_token);
    if (!c->access_key_id || !c->secret_access_key || (session_token && *session_token && !c->session_token)) {
        aws_credentials_clean_up(c);
        return -1;
    }
    c->expiration = expiration;
    c->source = source;
    return 0;
}

int aws_credentials_copy(struct aws_credentials *dst, const struct aws_credentials *src)
{
    return aws_credentials_init(dst, src->access_key_id, src->secret_access_key,
                                src->session_token, src->expiration, src->source);
}

static int nonempty(const char *s)
{
    return s && *s;
}

/* One source: both halves, or neither (then the next source is tried), or
 * half a pair, which is a configuration mistake worth reporting. */
static int credentials_from_pair(const char *id, const char *secret, const char *token,
                                 const char *source, struct aws_credentials *out,
                                 struct aws_error *err, int *found)
{
    *found = 0;
    if (!nonempty(id) && !nonempty(secret))
        return 0;
    if (!nonempty(id) || !nonempty(secret))
        return aws_error_setf(err, AWS_ERR_CREDENTIALS,
                              "incomplete credentials from %s: both an access key id and a "
                              "secret access key are needed",
                              source);
    if (aws_credentials_init(out, id, secret, token, 0, source))
        return aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
    *found = 1;
    return 0;
}

/* Default file paths when the configuration names none: the env override,
 * else ~/.aws/<leaf>. `storage` owns the built path. */
static const char *default_file(const char *env_name, const char *leaf, struct buf *storage)
{
    const char *env = getenv(env_name);
    if (nonempty(env))
        return env;
    const char *home = getenv("HOME");
    if (!nonempty(home) || buf_printf(storage, "%s/.aws/%s", home, leaf))
        return NULL;
    return storage->data;
}

static int profile_load_for(const struct aws_credentials_config *cfg, struct aws_profile *p,
                            const char **name_out)
{
    struct buf cfg_path = {0}, cred_path = {0};
    const char *name = cfg && nonempty(cfg->profile) ? cfg->profile : getenv("AWS_PROFILE");
    if (!nonempty(name))
        name = "default";
    *name_out = name;
    const char *const *cf = cfg ? cfg->config_files : NULL;
    size_t cn = cfg ? cfg->config_files_count : 0;
    const char *const *kf = cfg ? cfg->credentials_files : NULL;
    size_t kn = cfg ? cfg->credentials_files_count : 0;
    const char *dcf[1], *dkf[1];
    if (!cf || !cn) {
        dcf[0] = default_file("AWS_CONFIG_FILE", "config", &cfg_path);
        cf = dcf;
        cn = 1;
    }
    if (!kf || !kn) {
        dkf[0] = default_file("AWS_SHARED_CREDENTIALS_FILE", "credentials", &cred_path);
        kf = dkf;
        kn = 1;
    }
    int rc = aws_profile_load(p, name, cf, cn, kf, kn);
    buf_clean_up(&cfg_path);
    buf_clean_up(&cred_path);
    return rc;
}

char *aws_credentials_profile_region(const struct aws_credentials_config *cfg)
{
    struct aws_profile p = {0};
    const char *name;
    char *region = NULL;
    if (profile_load_for(cfg, &p, &name) == 0) {
        const char *r = aws_profile_get(&p, "region");
        if (nonempty(r))
            region = strdup(r);
    }
    aws_profile_clean_up(&p);
    return region;
}

int aws_credentials_resolve(const struct aws_credentials_config *cfg, struct aws_credentials *out,
                            struct aws_error *err)
{
    int found = 0;
    if (cfg && credentials_from_pair(cfg->access_key, cfg->secret_key, cfg->token,
                                     "provider configuration", out, err, &found))
        return -1;
    if (found)
        return 0;
    if (credentials_from_pair(getenv("AWS_ACCESS_KEY_ID"), getenv("AWS_SECRET_ACCESS_KEY"),
                              getenv("AWS_SESSION_TOKEN"), "environment", out, err, &found))
        return -1;
    if (found)
        return 0;

    struct aws_profile p = {0};
    const char *name;
    if (profile_load_for(cfg, &p, &name)) {
        aws_profile_clean_up(&p);
        return aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
    }
    int rc = credentials_from_pair(aws_profile_get(&p, "aws_access_key_id"),
                                   aws_profile_get(&p, "aws_secret_access_key"),
                                   aws_profile_get(&p, "aws_session_token"),
                                   "shared credentials files", out, err, &found);
    aws_profile_clean_up(&p);
    if (rc)
        return -1;
    if (found)
        return 0;
    return aws_error_setf(err, AWS_ERR_CREDENTIALS,
                          "no valid credential sources found: set access_key and secret_key, "
                          "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or profile \"%s\" in the "
                          "shared credentials files",
                          name);
}
