/*
 * distribution_grant.c - the distribution's bucket policy statement. See
 * distribution_grant.h.
 */
#include "resources/distribution/distribution_grant.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "util/json_equal.h"

#define GRANT_SID_PREFIX "LsmsCloudFront"
#define GRANT_POLICY_VERSION "2012-10-17"

char *distribution_grant_sid(const char *distribution_id)
{
    if (!distribution_id)
        return NULL;
    size_t n = strlen(distribution_id);
    char *sid = malloc(sizeof GRANT_SID_PREFIX + n);
    if (!sid)
        return NULL;
    size_t len = strlen(GRANT_SID_PREFIX);
    memcpy(sid, GRANT_SID_PREFIX, len);
    for (size_t i = 0; i < n; i++)
        if (isalnum((unsigned char)distribution_id[i]))
            sid[len++] = distribution_id[i];
    sid[len] = '\0';
    if (len == strlen(GRANT_SID_PREFIX)) {
        free(sid);
        return NULL;
    }
    return sid;
}

char *distribution_grant_partition(const char *arn)
{
    if (!arn || strncmp(arn, "arn:", 4) != 0)
        return NULL;
    const char *p = arn + 4;
    size_t n = strcspn(p, ":");
    if (n == 0 || p[n] != ':')
        return NULL;
    return strndup(p, n);
}

/* The statement as a cJSON tree (owned by the caller), or NULL. */
static cJSON *grant_statement_tree(const struct distribution_grant *g)
{
    if (!g || !g->bucket || !*g->bucket || !g->distribution_arn)
        return NULL;
    char *sid = distribution_grant_sid(g->distribution_id);
    char *partition = distribution_grant_partition(g->distribution_arn);
    size_t rlen = partition ? strlen(partition) + strlen(g->bucket) + sizeof "arn::s3:::/*" : 0;
    char *resource = rlen ? malloc(rlen) : NULL;
    cJSON *st = NULL;
    if (!sid || !resource)
        goto done;
    snprintf(resource, rlen, "arn:%s:s3:::%s/*", partition, g->bucket);
    /* Members in the order AWS's documentation writes them. */
    st = cJSON_CreateObject();
    bool ok = st && cJSON_AddStringToObject(st, "Sid", sid) &&
              cJSON_AddStringToObject(st, "Effect", "Allow");
    cJSON *principal = ok ? cJSON_AddObjectToObject(st, "Principal") : NULL;
    ok = principal && cJSON_AddStringToObject(principal, "Service", "cloudfront.amazonaws.com") &&
         cJSON_AddStringToObject(st, "Action", "s3:GetObject") &&
         cJSON_AddStringToObject(st, "Resource", resource);
    cJSON *cond = ok ? cJSON_AddObjectToObject(st, "Condition") : NULL;
    cJSON *eq = cond ? cJSON_AddObjectToObject(cond, "StringEquals") : NULL;
    ok = eq && cJSON_AddStringToObject(eq, "AWS:SourceArn", g->distribution_arn);
    if (!ok) {
        cJSON_Delete(st);
        st = NULL;
    }
done:
    free(sid);
    free(partition);
    free(resource);
    return st;
}

char *distribution_grant_statement(const struct distribution_grant *g)
{
    cJSON *st = grant_statement_tree(g);
    char *text = st ? cJSON_PrintUnformatted(st) : NULL;
    cJSON_Delete(st);
    return text;
}

/* True when statement `st` carries Sid `sid`. */
static bool grant_sid_is(const cJSON *st, const char *sid)
{
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(st, "Sid");
    return cJSON_IsString(s) && strcmp(s->valuestring, sid) == 0;
}

/* Parses a policy; a NULL or "" policy gives NULL with *absent. A policy
 * that is not an object whose Statement is an object or an array gives NULL
 * with *error. */
static cJSON *grant_policy_parse(const char *policy, bool *absent, const char **error)
{
    *absent = !policy || !*policy;
    if (*absent)
        return NULL;
    cJSON *doc = cJSON_Parse(policy);
    const cJSON *st = cJSON_IsObject(doc) ? cJSON_GetObjectItemCaseSensitive(doc, "Statement")
                                          : NULL;
    if (!cJSON_IsObject(st) && !cJSON_IsArray(st)) {
        *error = doc ? "the bucket policy has no Statement object or list"
                     : "the bucket policy is not JSON";
        cJSON_Delete(doc);
        return NULL;
    }
    return doc;
}

/* The Statement member of doc as an array: a single statement object is
 * replaced by a one-element list holding it. NULL when out of memory. */
static cJSON *grant_statements(cJSON *doc)
{
    cJSON *st = cJSON_GetObjectItemCaseSensitive(doc, "Statement");
    if (cJSON_IsArray(st))
        return st;
    cJSON *list = cJSON_CreateArray();
    if (!list)
        return NULL;
    cJSON *one = cJSON_DetachItemViaPointer(doc, st);
    cJSON_AddItemToArray(list, one);
    cJSON_AddItemToObject(doc, "Statement", list);
    return list;
}

/* Removes the statements with Sid `sid` from array `list`; returns how many. */
static int grant_statements_drop(cJSON *list, const char *sid)
{
    int dropped = 0;
    cJSON *st = list->child;
    while (st) {
        cJSON *next = st->next;
        if (grant_sid_is(st, sid)) {
            cJSON_Delete(cJSON_DetachItemViaPointer(list, st));
            dropped++;
        }
        st = next;
    }
    return dropped;
}

char *distribution_grant_add(const char *policy, const struct distribution_grant *g,
                             const char **error)
{
    static const char *const oom = "out of memory";
    bool absent = false;
    const char *why = oom;
    cJSON *doc = grant_policy_parse(policy, &absent, &why);
    cJSON *st = grant_statement_tree(g);
    char *sid = g ? distribution_grant_sid(g->distribution_id) : NULL;
    char *text = NULL;
    if (absent && !doc) {
        why = oom;
        doc = cJSON_CreateObject();
        if (doc && (!cJSON_AddStringToObject(doc, "Version", GRANT_POLICY_VERSION) ||
                    !cJSON_AddArrayToObject(doc, "Statement"))) {
            cJSON_Delete(doc);
            doc = NULL;
        }
    }
    if (!doc || !st || !sid) {
        if (doc && (!st || !sid))
            why = "the statement could not be built (distribution id or ARN missing)";
        goto done;
    }
    cJSON *list = grant_statements(doc);
    if (!list)
        goto done;
    grant_statements_drop(list, sid);
    cJSON_AddItemToArray(list, st);
    st = NULL;
    text = cJSON_PrintUnformatted(doc);
done:
    if (!text && error)
        *error = why;
    cJSON_Delete(st);
    cJSON_Delete(doc);
    free(sid);
    return text;
}

int distribution_grant_remove(const char *policy, const char *distribution_id, char **out,
                              bool *removed, const char **error)
{
    *out = NULL;
    *removed = false;
    bool absent = false;
    const char *why = "out of memory";
    cJSON *doc = grant_policy_parse(policy, &absent, &why);
    if (absent)
        return 0;
    char *sid = distribution_grant_sid(distribution_id);
    int rc = -1;
    if (!doc || !sid)
        goto done;
    cJSON *list = grant_statements(doc);
    if (!list)
        goto done;
    *removed = grant_statements_drop(list, sid) > 0;
    rc = 0;
    if (*removed && cJSON_GetArraySize(list) > 0) {
        *out = cJSON_PrintUnformatted(doc);
        if (!*out)
            rc = -1;
    }
done:
    if (rc != 0 && error)
        *error = why;
    cJSON_Delete(doc);
    free(sid);
    return rc;
}

bool distribution_grant_present(const char *policy, const struct distribution_grant *g)
{
    bool absent = false;
    const char *why = NULL;
    cJSON *doc = grant_policy_parse(policy, &absent, &why);
    char *want = distribution_grant_statement(g);
    char *sid = g ? distribution_grant_sid(g->distribution_id) : NULL;
    bool found = false;
    cJSON *st = doc ? cJSON_GetObjectItemCaseSensitive(doc, "Statement") : NULL;
    /* A single statement object, or each element of the list. */
    cJSON *first = cJSON_IsArray(st) ? st->child : st;
    for (cJSON *s = first; want && sid && s && !found; s = cJSON_IsArray(st) ? s->next : NULL) {
        if (!grant_sid_is(s, sid))
            continue;
        char *have = cJSON_PrintUnformatted(s);
        found = have && json_policy_equal(have, want);
        free(have);
    }
    cJSON_Delete(doc);
    free(want);
    free(sid);
    return found;
}
