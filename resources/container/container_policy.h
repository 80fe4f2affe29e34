/*
 * container_policy.h - the JSON documents lsms_container puts on a MediaStore
 * container: the container (resource) policy, the CORS policy and the object
 * lifecycle policy, and the way back from a lifecycle policy to the
 * `lifecycle_rules` attribute for drift detection.
 *
 * Every builder returns compact JSON with sorted keys (deterministic bytes),
 * malloc'd and owned by the caller, or NULL with *error (static text) set.
 */
#ifndef LSMS_RESOURCES_CONTAINER_POLICY_H
#define LSMS_RESOURCES_CONTAINER_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "framework/cty.h"

/* Schema defaults of `cors_rules` and `lifecycle_rules` (the seed's rules),
 * as JSON values of the attributes' types. Unset optional members are null,
 * which is how a rule reads back from AWS, so the default shows no drift. */
#define CONTAINER_CORS_RULES_DEFAULT_JSON                                                      \
    "[{\"allowed_origins\":[\"*\"],\"allowed_methods\":[\"GET\"],\"allowed_headers\":[\"*\"]," \
    "\"expose_headers\":null,\"max_age_seconds\":3000}]"
#define CONTAINER_LIFECYCLE_RULES_DEFAULT_JSON                                                 \
    "[{\"path_prefix\":null,\"path_wildcard\":\"stream/*.ts\",\"seconds_since_create\":300,"   \
    "\"days_since_create\":null,\"action\":\"EXPIRE\"}]"

/* ---- container policy ---- */

struct container_policy_params {
    const char *region;         /* borrowed, required */
    const char *account_id;     /* borrowed, required */
    const char *container_name; /* borrowed, required */
    bool restrict_to_cdn;
    /* Required when restrict_to_cdn: CloudFront sends it as User-Agent. */
    const char *origin_secret;
};

/*
 * The default container policy: anyone may GetObject/DescribeObject on the
 * container's objects over HTTPS (and, with restrict_to_cdn, only with the
 * origin secret as User-Agent, which only our CloudFront distribution sends);
 * the account root keeps full mediastore:* on the container and its objects.
 */
char *container_policy_default(const struct container_policy_params *p, const char **error);

/* The origin secret a container policy carries: the first
 * Condition.StringEquals."aws:UserAgent" string of an Allow statement (the
 * default policy's CloudFront read), malloc'd, or NULL when there is none
 * or the JSON does not parse. Lets import and refresh recover the secret. */
char *container_policy_user_agent(const char *policy_json);

/* ---- CORS policy ---- */

/* The default CORS policy as MediaStore's CorsPolicy list: GET from any
 * origin, all headers, max age 3000 s. */
char *container_cors_policy_default(const char **error);

/* The CorsPolicy list (AllowedOrigins, AllowedMethods, AllowedHeaders,
 * ExposeHeaders, MaxAgeSeconds) from a known `cors_rules` list value
 * (borrowed). Null or empty lists and null numbers are left out. */
char *container_cors_policy_from_value(const struct cty_value *rules, const char **error);

/* The `cors_rules` value (list_type borrowed; result owned by the caller)
 * from a CorsPolicy list as MediaStore returns it. NULL with *error when the
 * JSON is not a list of CORS rules or memory runs out. */
struct cty_value *container_cors_rules_from_policy(const char *json, struct cty_type *list_type,
                                                   const char **error);

/* ---- object lifecycle policy ---- */

/* One `lifecycle_rules` element. Exactly one of path_prefix/path_wildcard and
 * exactly one of seconds_since_create/days_since_create (-1 when unset). */
struct container_lifecycle_rule {
    char *path_prefix;   /* owned, or NULL */
    char *path_wildcard; /* owned, or NULL */
    int64_t seconds_since_create;
    int64_t days_since_create;
    char *action; /* owned: "EXPIRE" or "ARCHIVE" */
};

struct container_lifecycle_rules {
    struct container_lifecycle_rule *items; /* owned */
    size_t n;
};

/*
 * The lifecycle policy document, e.g.
 *   {"rules":[{"action":"EXPIRE","definition":{"path":[{"prefix":"stream/"}],
 *              "seconds_since_create":[{"numeric":[">",300]}]}}]}
 * ARCHIVE rules use ">=" (as AWS documents transitions to infrequent
 * access), EXPIRE rules ">". Fails on a rule that breaks the one-of rules.
 */
char *container_lifecycle_policy_build(const struct container_lifecycle_rules *rules,
                                       const char **error);

/*
 * Parses a lifecycle policy into rules (out must be zeroed; filled and owned
 * by the caller, cleaned with container_lifecycle_rules_clean_up). A rule
 * with several paths becomes one rule per path, each with the same age and
 * action. Returns 0, or -1 with *error and *out left empty.
 */
int container_lifecycle_policy_parse(const char *json, struct container_lifecycle_rules *out,
                                     const char **error);

void container_lifecycle_rules_clean_up(struct container_lifecycle_rules *r);

/* Rules from a known `lifecycle_rules` list value (borrowed). Returns 0, or
 * -1 with *error (a rule with an unknown value, or out of memory). */
int container_lifecycle_rules_from_value(const struct cty_value *list,
                                         struct container_lifecycle_rules *out,
                                         const char **error);

/* The `lifecycle_rules` value of `list_type` (borrowed) for rules; owned by
 * the caller, NULL when out of memory. */
struct cty_value *container_lifecycle_rules_to_value(const struct container_lifecycle_rules *r,
                                                     struct cty_type *list_type);

#endif
