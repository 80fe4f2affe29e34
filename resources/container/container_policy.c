/*
 * container_policy.c - MediaStore container, CORS and lifecycle policy
 * documents (see container_policy.h).
 */
#include "resources/container/container_policy.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "aws/endpoints.h"
#include "util/buf.h"
#include "util/json_equal.h"

static const char *const OOM = "out of memory building a MediaStore policy";

/* Sorts keys and prints compactly; deletes the tree. */
static char *policy_print(cJSON *tree, const char **error)
{
    char *out = NULL;
    if (tree) {
        json_tree_sort_keys(tree);
        out = cJSON_PrintUnformatted(tree);
    }
    cJSON_Delete(tree);
    if (!out)
        *error = OOM;
    return out;
}

/* Adds an array of strings; returns the array or NULL. */
static cJSON *policy_add_strings(cJSON *obj, const char *name, const char *const *items, size_t n)
{
    cJSON *arr = cJSON_AddArrayToObject(obj, name);
    for (size_t i = 0; arr && i < n; i++) {
        cJSON *s = cJSON_CreateString(items[i]);
        if (!s)
            return NULL;
        cJSON_AddItemToArray(arr, s);
    }
    return arr;
}

char *container_policy_default(const struct container_policy_params *p, const char **error)
{
    const char *unused;
    if (!error)
        error = &unused;
    if (!p || !p->region || !*p->region || !p->account_id || !*p->account_id ||
        !p->container_name || !*p->container_name) {
        *error = "region, account id and container name are needed for the container policy";
        return NULL;
    }
    if (p->restrict_to_cdn && (!p->origin_secret || !*p->origin_secret)) {
        *error = "restrict_to_cdn needs the origin secret for the container policy";
        return NULL;
    }
    struct buf container = {0}, objects = {0}, root = {0};
    cJSON *doc = NULL;
    char *out = NULL;
    *error = OOM;
    if (buf_printf(&container, "arn:%s:mediastore:%s:%s:container/%s",
                   aws_region_partition(p->region), p->region, p->account_id, p->container_name) ||
        buf_printf(&objects, "%s/*", container.data) ||
        buf_printf(&root, "arn:%s:iam::%s:root", aws_region_partition(p->region), p->account_id))
        goto done;

    doc = cJSON_CreateObject();
    cJSON *stmts = doc ? cJSON_AddArrayToObject(doc, "Statement") : NULL;
    cJSON *admin = stmts ? cJSON_CreateObject() : NULL;
    if (admin)
        cJSON_AddItemToArray(stmts, admin);
    cJSON *read = admin ? cJSON_CreateObject() : NULL;
    if (read)
        cJSON_AddItemToArray(stmts, read);
    if (!read || !cJSON_AddStringToObject(doc, "Version", "2012-10-17"))
        goto done;

    /* The account keeps full control, so a restrictive policy can never lock
     * its owner out of the container. */
    cJSON *admin_principal = cJSON_AddObjectToObject(admin, "Principal");
    const char *admin_resources[] = {container.data, objects.data};
    if (!cJSON_AddStringToObject(admin, "Sid", "MediaStoreFullAccess") ||
        !cJSON_AddStringToObject(admin, "Effect", "Allow") || !admin_principal ||
        !cJSON_AddStringToObject(admin_principal, "AWS", root.data) ||
        !cJSON_AddStringToObject(admin, "Action", "mediastore:*") ||
        !policy_add_strings(admin, "Resource", admin_resources, 2))
        goto done;

    /* Public reads, HTTPS only; with restrict_to_cdn only requests whose
     * User-Agent is the origin secret, which the distribution adds as an
     * origin custom header (the seed's construct does the same with its OAI
     * name). */
    const char *actions[] = {"mediastore:GetObject", "mediastore:DescribeObject"};
    cJSON *cond = cJSON_AddObjectToObject(read, "Condition");
    cJSON *bool_cond = cond ? cJSON_AddObjectToObject(cond, "Bool") : NULL;
    if (!cJSON_AddStringToObject(read, "Sid", p->restrict_to_cdn ? "CloudFrontRead" : "PublicRead") ||
        !cJSON_AddStringToObject(read, "Effect", "Allow") ||
        !cJSON_AddStringToObject(read, "Principal", "*") ||
        !policy_add_strings(read, "Action", actions, 2) ||
        !cJSON_AddStringToObject(read, "Resource", objects.data) || !bool_cond ||
        !cJSON_AddStringToObject(bool_cond, "aws:SecureTransport", "true"))
        goto done;
    if (p->restrict_to_cdn) {
        cJSON *eq = cJSON_AddObjectToObject(cond, "StringEquals");
        if (!eq || !cJSON_AddStringToObject(eq, "aws:UserAgent", p->origin_secret))
            goto done;
    }
    out = policy_print(doc, error);
    doc = NULL;
    if (out)
        *error = NULL;
done:
    cJSON_Delete(doc);
    buf_clean_up(&container);
    buf_clean_up(&objects);
    buf_clean_up(&root);
    return out;
}

/* ---- CORS ---- */

/* The CorsRule members and the cors_rules attributes they map to. */
static const struct {
    const char *api;
    const char *attr;
} cors_string_lists[] = {
    {"AllowedOrigins", "allowed_origins"},
    {"AllowedMethods", "allowed_methods"},
    {"AllowedHeaders", "allowed_headers"},
    {"ExposeHeaders", "expose_headers"},
};

char *container_cors_policy_default(const char **error)
{
    const char *unused;
    if (!error)
        error = &unused;
    cJSON *list = cJSON_CreateArray();
    cJSON *rule = cJSON_CreateObject();
    if (!list || !rule) {
        cJSON_Delete(list);
        cJSON_Delete(rule);
        *error = OOM;
        return NULL;
    }
    cJSON_AddItemToArray(list, rule);
    const char *star[] = {"*"}, *get[] = {"GET"};
    if (!policy_add_strings(rule, "AllowedOrigins", star, 1) ||
        !policy_add_strings(rule, "AllowedMethods", get, 1) ||
        !policy_add_strings(rule, "AllowedHeaders", star, 1) ||
        !cJSON_AddNumberToObject(rule, "MaxAgeSeconds", 3000)) {
        cJSON_Delete(list);
        *error = OOM;
        return NULL;
    }
    *error = NULL;
    return policy_print(list, error);
}

char *container_cors_policy_from_value(const struct cty_value *rules, const char **error)
{
    const char *unused;
    if (!error)
        error = &unused;
    if (!rules || !cty_value_is_wholly_known(rules)) {
        *error = "the CORS rules are not known yet";
        return NULL;
    }
    cJSON *list = cJSON_CreateArray();
    if (!list) {
        *error = OOM;
        return NULL;
    }
    for (size_t i = 0; i < cty_value_length(rules); i++) {
        const struct cty_value *r = cty_value_index(rules, i);
        cJSON *rule = cJSON_CreateObject();
        if (!rule)
            goto oom;
        cJSON_AddItemToArray(list, rule);
        for (size_t k = 0; k < sizeof cors_string_lists / sizeof cors_string_lists[0]; k++) {
            const struct cty_value *v = cty_value_attr(r, cors_string_lists[k].attr);
            if (!v || cty_value_is_null(v) || cty_value_length(v) == 0)
                continue;
            cJSON *arr = cJSON_AddArrayToObject(rule, cors_string_lists[k].api);
            if (!arr)
                goto oom;
            for (size_t j = 0; j < cty_value_length(v); j++) {
                const char *s = cty_value_string(cty_value_index(v, j));
                cJSON *item = s ? cJSON_CreateString(s) : NULL;
                if (!item)
                    goto oom;
                cJSON_AddItemToArray(arr, item);
            }
        }
        int64_t age;
        if (cty_value_number_int64(cty_value_attr(r, "max_age_seconds"), &age) == 0 &&
            !cJSON_AddNumberToObject(rule, "MaxAgeSeconds", (double)age))
            goto oom;
    }
    *error = NULL;
    return policy_print(list, error);
oom:
    cJSON_Delete(list);
    *error = OOM;
    return NULL;
}

/* A list(string) value of `t` from a JSON array of strings; absent or empty
 * arrays become null so an unset optional attribute reads back unchanged. */
static struct cty_value *cors_strings_to_value(const cJSON *arr, struct cty_type *t)
{
    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) == 0)
        return cty_null_new(t);
    struct cty_value *v = cty_collection_new(t);
    const cJSON *s;
    cJSON_ArrayForEach(s, arr)
    {
        struct cty_value *e = cJSON_IsString(s) ? cty_string_new(s->valuestring) : NULL;
        if (!v || !e) {
            cty_value_destroy(e);
            cty_value_destroy(v);
            return NULL;
        }
        if (cty_collection_append(v, e) != 0) { /* consumed e */
            cty_value_destroy(v);
            return NULL;
        }
    }
    return v;
}

struct cty_value *container_cors_rules_from_policy(const char *json, struct cty_type *list_type,
                                                   const char **error)
{
    const char *unused;
    if (!error)
        error = &unused;
    cJSON *tree = json ? cJSON_Parse(json) : NULL;
    if (!cJSON_IsArray(tree)) {
        cJSON_Delete(tree);
        *error = "the CORS policy is not a JSON list of rules";
        return NULL;
    }
    struct cty_type *obj_t = cty_type_element(list_type);
    struct cty_value *list = cty_collection_new(list_type);
    const cJSON *rule;
    *error = OOM;
    cJSON_ArrayForEach(rule, tree)
    {
        if (!list)
            break;
        struct cty_value *obj = cty_object_new(obj_t);
        if (!obj || cty_collection_append(list, obj) != 0) {
            goto fail;
        }
        for (size_t k = 0; k < sizeof cors_string_lists / sizeof cors_string_lists[0]; k++) {
            long idx = cty_type_attr_index(obj_t, cors_string_lists[k].attr);
            if (idx < 0)
                continue;
            struct cty_value *v = cors_strings_to_value(
                cJSON_GetObjectItemCaseSensitive(rule, cors_string_lists[k].api),
                cty_type_attr_type(obj_t, (size_t)idx));
            if (!v || cty_object_set(obj, cors_string_lists[k].attr, v) != 0) {
                goto fail;
            }
        }
        const cJSON *age = cJSON_GetObjectItemCaseSensitive(rule, "MaxAgeSeconds");
        if (cJSON_IsNumber(age)) {
            struct cty_value *n = cty_number_new_int((int64_t)age->valuedouble);
            if (!n || cty_object_set(obj, "max_age_seconds", n) != 0) {
                goto fail;
            }
        }
    }
    if (!list)
        goto fail;
    cJSON_Delete(tree);
    *error = NULL;
    return list;
fail:
    cty_value_destroy(list);
    cJSON_Delete(tree);
    return NULL;
}

/* ---- lifecycle ---- */

static bool lifecycle_rule_is_valid(const struct container_lifecycle_rule *r)
{
    bool one_path = (r->path_prefix != NULL) != (r->path_wildcard != NULL);
    bool one_age = (r->seconds_since_create >= 0) != (r->days_since_create >= 0);
    bool action = r->action &&
                  (strcmp(r->action, "EXPIRE") == 0 || strcmp(r->action, "ARCHIVE") == 0);
    return one_path && one_age && action;
}

char *container_lifecycle_policy_build(const struct container_lifecycle_rules *rules,
                                       const char **error)
{
    const char *unused;
    if (!error)
        error = &unused;
    for (size_t i = 0; rules && i < rules->n; i++) {
        if (!lifecycle_rule_is_valid(&rules->items[i])) {
            *error = "each lifecycle rule needs exactly one of path_prefix and path_wildcard, "
                     "exactly one of seconds_since_create and days_since_create, and an action "
                     "of EXPIRE or ARCHIVE";
            return NULL;
        }
    }
    cJSON *doc = cJSON_CreateObject();
    cJSON *list = doc ? cJSON_AddArrayToObject(doc, "rules") : NULL;
    if (!list)
        goto oom;
    for (size_t i = 0; rules && i < rules->n; i++) {
        const struct container_lifecycle_rule *r = &rules->items[i];
        cJSON *rule = cJSON_CreateObject();
        if (!rule)
            goto oom;
        cJSON_AddItemToArray(list, rule);
        cJSON *def = cJSON_AddObjectToObject(rule, "definition");
        cJSON *paths = def ? cJSON_AddArrayToObject(def, "path") : NULL;
        cJSON *path = cJSON_CreateObject();
        if (path && paths)
            cJSON_AddItemToArray(paths, path);
        else {
            cJSON_Delete(path);
            goto oom;
        }
        if (!cJSON_AddStringToObject(path, r->path_prefix ? "prefix" : "wildcard",
                                     r->path_prefix ? r->path_prefix : r->path_wildcard))
            goto oom;
        bool secs = r->seconds_since_create >= 0;
        cJSON *ages = cJSON_AddArrayToObject(def, secs ? "seconds_since_create" : "days_since_create");
        cJSON *age = cJSON_CreateObject();
        cJSON *numeric = age ? cJSON_AddArrayToObject(age, "numeric") : NULL;
        if (ages && age)
            cJSON_AddItemToArray(ages, age);
        else {
            cJSON_Delete(age);
            goto oom;
        }
        cJSON *op = cJSON_CreateString(strcmp(r->action, "ARCHIVE") == 0 ? ">=" : ">");
        cJSON *num = cJSON_CreateNumber(
            (double)(secs ? r->seconds_since_create : r->days_since_create));
        if (numeric && op && num) {
            cJSON_AddItemToArray(numeric, op);
            cJSON_AddItemToArray(numeric, num);
        } else {
            cJSON_Delete(op);
            cJSON_Delete(num);
            goto oom;
        }
        if (!cJSON_AddStringToObject(rule, "action", r->action))
            goto oom;
    }
    *error = NULL;
    return policy_print(doc, error);
oom:
    cJSON_Delete(doc);
    *error = OOM;
    return NULL;
}

void container_lifecycle_rules_clean_up(struct container_lifecycle_rules *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        free(r->items[i].path_prefix);
        free(r->items[i].path_wildcard);
        free(r->items[i].action);
    }
    free(r->items);
    r->items = NULL;
    r->n = 0;
}

/* Appends a zeroed rule (ages -1); returns it or NULL. */
static struct container_lifecycle_rule *lifecycle_rules_add(struct container_lifecycle_rules *r)
{
    struct container_lifecycle_rule *items = realloc(r->items, (r->n + 1) * sizeof *items);
    if (!items)
        return NULL;
    r->items = items;
    struct container_lifecycle_rule *it = &items[r->n++];
    memset(it, 0, sizeof *it);
    it->seconds_since_create = it->days_since_create = -1;
    return it;
}

/* The age of a `[{"numeric":[op, n]}]` condition, or -1 when malformed. */
static int64_t lifecycle_age_parse(const cJSON *cond)
{
    if (!cJSON_IsArray(cond) || cJSON_GetArraySize(cond) != 1)
        return -1;
    const cJSON *numeric = cJSON_GetObjectItemCaseSensitive(cond->child, "numeric");
    if (!cJSON_IsArray(numeric) || cJSON_GetArraySize(numeric) != 2)
        return -1;
    const cJSON *op = numeric->child, *n = numeric->child->next;
    if (!cJSON_IsString(op) || (strcmp(op->valuestring, ">") != 0 && strcmp(op->valuestring, ">=") != 0))
        return -1;
    if (!cJSON_IsNumber(n) || n->valuedouble < 0 || n->valuedouble != (double)(int64_t)n->valuedouble)
        return -1;
    return (int64_t)n->valuedouble;
}

int container_lifecycle_policy_parse(const char *json, struct container_lifecycle_rules *out,
                                     const char **error)
{
    const char *unused;
    if (!error)
        error = &unused;
    cJSON *doc = json ? cJSON_Parse(json) : NULL;
    const cJSON *rules = cJSON_GetObjectItemCaseSensitive(doc, "rules");
    const cJSON *rule;
    *error = "the lifecycle policy is not a MediaStore object lifecycle policy";
    if (!cJSON_IsArray(rules))
        goto fail;
    cJSON_ArrayForEach(rule, rules)
    {
        const cJSON *def = cJSON_GetObjectItemCaseSensitive(rule, "definition");
        const cJSON *action = cJSON_GetObjectItemCaseSensitive(rule, "action");
        const cJSON *paths = cJSON_GetObjectItemCaseSensitive(def, "path");
        const cJSON *secs = cJSON_GetObjectItemCaseSensitive(def, "seconds_since_create");
        const cJSON *days = cJSON_GetObjectItemCaseSensitive(def, "days_since_create");
        int64_t s = secs ? lifecycle_age_parse(secs) : -1;
        int64_t d = days ? lifecycle_age_parse(days) : -1;
        if (!cJSON_IsString(action) || !cJSON_IsArray(paths) || cJSON_GetArraySize(paths) == 0 ||
            (s >= 0) == (d >= 0) || (secs && s < 0) || (days && d < 0))
            goto fail;
        const cJSON *path;
        cJSON_ArrayForEach(path, paths)
        {
            const cJSON *prefix = cJSON_GetObjectItemCaseSensitive(path, "prefix");
            const cJSON *wildcard = cJSON_GetObjectItemCaseSensitive(path, "wildcard");
            if (cJSON_IsString(prefix) == cJSON_IsString(wildcard))
                goto fail;
            struct container_lifecycle_rule *r = lifecycle_rules_add(out);
            if (!r)
                goto oom;
            r->seconds_since_create = s;
            r->days_since_create = d;
            r->action = strdup(action->valuestring);
            if (cJSON_IsString(prefix))
                r->path_prefix = strdup(prefix->valuestring);
            else
                r->path_wildcard = strdup(wildcard->valuestring);
            if (!r->action || (!r->path_prefix && !r->path_wildcard))
                goto oom;
        }
    }
    cJSON_Delete(doc);
    *error = NULL;
    return 0;
oom:
    *error = OOM;
fail:
    cJSON_Delete(doc);
    container_lifecycle_rules_clean_up(out);
    return -1;
}

static char *lifecycle_strdup_attr(const struct cty_value *obj, const char *name)
{
    const char *s = cty_attr_string(obj, name);
    return s ? strdup(s) : NULL;
}

int container_lifecycle_rules_from_value(const struct cty_value *list,
                                         struct container_lifecycle_rules *out,
                                         const char **error)
{
    const char *unused;
    if (!error)
        error = &unused;
    if (!list || !cty_value_is_wholly_known(list)) {
        *error = "the lifecycle rules are not known yet";
        return -1;
    }
    for (size_t i = 0; i < cty_value_length(list); i++) {
        const struct cty_value *v = cty_value_index(list, i);
        struct container_lifecycle_rule *r = lifecycle_rules_add(out);
        if (!r)
            goto oom;
        r->path_prefix = lifecycle_strdup_attr(v, "path_prefix");
        r->path_wildcard = lifecycle_strdup_attr(v, "path_wildcard");
        r->action = lifecycle_strdup_attr(v, "action");
        r->seconds_since_create = cty_attr_int(v, "seconds_since_create", -1);
        r->days_since_create = cty_attr_int(v, "days_since_create", -1);
        if ((cty_attr_string(v, "path_prefix") && !r->path_prefix) ||
            (cty_attr_string(v, "path_wildcard") && !r->path_wildcard) ||
            (cty_attr_string(v, "action") && !r->action))
            goto oom;
    }
    *error = NULL;
    return 0;
oom:
    container_lifecycle_rules_clean_up(out);
    *error = OOM;
    return -1;
}

/* Sets obj[name] to a string, or null of the attribute's type. */
static int lifecycle_set_string(struct cty_value *obj, struct cty_type *obj_t, const char *name,
                                const char *s)
{
    long idx = cty_type_attr_index(obj_t, name);
    if (idx < 0)
        return -1;
    struct cty_value *v = s ? cty_string_new(s) : cty_null_new(cty_type_attr_type(obj_t, (size_t)idx));
    if (!v || cty_object_set(obj, name, v) != 0) {
        return -1;
    }
    return 0;
}

static int lifecycle_set_age(struct cty_value *obj, struct cty_type *obj_t, const char *name,
                             int64_t age)
{
    long idx = cty_type_attr_index(obj_t, name);
    if (idx < 0)
        return -1;
    struct cty_value *v = age >= 0 ? cty_number_new_int(age)
                                   : cty_null_new(cty_type_attr_type(obj_t, (size_t)idx));
    if (!v || cty_object_set(obj, name, v) != 0) {
        return -1;
    }
    return 0;
}

struct cty_value *container_lifecycle_rules_to_value(const struct container_lifecycle_rules *r,
                                                     struct cty_type *list_type)
{
    struct cty_type *obj_t = cty_type_element(list_type);
    struct cty_value *list = cty_collection_new(list_type);
    for (size_t i = 0; list && r && i < r->n; i++) {
        const struct container_lifecycle_rule *rule = &r->items[i];
        struct cty_value *obj = cty_object_new(obj_t);
        if (!obj || cty_collection_append(list, obj) != 0) {
            goto fail;
        }
        if (lifecycle_set_string(obj, obj_t, "path_prefix", rule->path_prefix) ||
            lifecycle_set_string(obj, obj_t, "path_wildcard", rule->path_wildcard) ||
            lifecycle_set_string(obj, obj_t, "action", rule->action) ||
            lifecycle_set_age(obj, obj_t, "seconds_since_create", rule->seconds_since_create) ||
            lifecycle_set_age(obj, obj_t, "days_since_create", rule->days_since_create))
            goto fail;
    }
    return list;
fail:
    cty_value_destroy(list);
    return NULL;
}

/* ---- reading a policy back ---- */

static char *policy_statement_user_agent(const cJSON *stmt)
{
    const cJSON *effect = cJSON_GetObjectItemCaseSensitive(stmt, "Effect");
    if (!cJSON_IsString(effect) || strcmp(effect->valuestring, "Allow") != 0)
        return NULL;
    const cJSON *cond = cJSON_GetObjectItemCaseSensitive(stmt, "Condition");
    const cJSON *eq = cJSON_GetObjectItemCaseSensitive(cond, "StringEquals");
    const cJSON *ua = cJSON_GetObjectItemCaseSensitive(eq, "aws:UserAgent");
    /* IAM accepts a one-element list for a single value. */
    if (cJSON_IsArray(ua) && cJSON_GetArraySize(ua) == 1)
        ua = ua->child;
    return cJSON_IsString(ua) && *ua->valuestring ? strdup(ua->valuestring) : NULL;
}

char *container_policy_user_agent(const char *policy_json)
{
    cJSON *doc = policy_json ? cJSON_Parse(policy_json) : NULL;
    const cJSON *stmts = cJSON_GetObjectItemCaseSensitive(doc, "Statement");
    char *found = NULL;
    if (cJSON_IsObject(stmts))
        found = policy_statement_user_agent(stmts);
    const cJSON *stmt;
    if (cJSON_IsArray(stmts))
        cJSON_ArrayForEach(stmt, stmts)
        {
            if ((found = policy_statement_user_agent(stmt)) != NULL)
                break;
        }
    cJSON_Delete(doc);
    return found;
}
