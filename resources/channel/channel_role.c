/*
 * channel_role.c - the managed MediaLive role and derived names. See
 * channel_role.h.
 */
#include "resources/channel/channel_role.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/protocol_query.h"
#include "aws/xml.h"
#include "util/buf.h"

#define CHANNEL_ROLE_PREFIX "lsms-ml-"
#define CHANNEL_ROLE_MAX 64 /* IAM RoleName length limit */
#define CHANNEL_ROLE_POLICY "lsms-medialive"

static const char CHANNEL_ROLE_TRUST[] =
    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
    "\"Principal\":{\"Service\":\"medialive.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

const char *channel_role_trust_policy(void)
{
    return CHANNEL_ROLE_TRUST;
}

/* FNV-1a: a stable, short disambiguator for names IAM would refuse. */
static uint32_t channel_role_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

char *channel_role_name_new(const char *channel_name)
{
    if (!channel_name || !*channel_name)
        return NULL;
    char *name = malloc(CHANNEL_ROLE_MAX + 1);
    if (!name)
        return NULL;
    size_t room = CHANNEL_ROLE_MAX - (sizeof CHANNEL_ROLE_PREFIX - 1);
    if (strlen(channel_name) <= room)
        snprintf(name, CHANNEL_ROLE_MAX + 1, CHANNEL_ROLE_PREFIX "%s", channel_name);
    else
        snprintf(name, CHANNEL_ROLE_MAX + 1, CHANNEL_ROLE_PREFIX "%.*s-%08x", (int)(room - 9),
                 channel_name, (unsigned)channel_role_hash(channel_name));
    return name;
}

bool channel_role_is_managed(const char *role_arn, const char *channel_name)
{
    char *name = channel_role_name_new(channel_name);
    const char *slash = role_arn ? strrchr(role_arn, '/') : NULL;
    bool managed = name && slash && strncmp(role_arn, "arn:", 4) == 0 &&
                   strstr(role_arn, ":role/") && strcmp(slash + 1, name) == 0;
    free(name);
    return managed;
}

char *channel_role_parameter_name_new(const char *channel_name)
{
    struct buf b = {0};
    if (!channel_name || buf_printf(&b, "/lsms/channel/%s/pull-password", channel_name) != 0) {
        buf_clean_up(&b);
        return NULL;
    }
    return buf_detach(&b);
}

/* The folder of a stream path ("live/a/index" -> "live/a"), as a length. */
static size_t channel_role_stream_dir(const char *stream_path)
{
    while (*stream_path == '/')
        stream_path++;
    const char *slash = strrchr(stream_path, '/');
    return slash ? (size_t)(slash - stream_path) : 0;
}

/* The statement(s) granting the destination, appended to b. */
static int channel_role_destination_statements(struct buf *b, const char *partition,
                                               const struct channel_role_destination *dest)
{
    if (dest->container_arn)
        /* MediaLive's MediaStore output writes, reads back and lists inside
         * the container (the seed granted these five actions on every container). */
        return buf_printf(
            b,
            "{\"Sid\":\"MediaStoreOutput\",\"Effect\":\"Allow\",\"Action\":["
            "\"mediastore:PutObject\",\"mediastore:GetObject\",\"mediastore:DeleteObject\","
            "\"mediastore:DescribeObject\",\"mediastore:ListItems\"],"
            "\"Resource\":[\"%s\",\"%s/*\"]},",
            dest->container_arn, dest->container_arn);
    const char *path = dest->stream_path;
    while (*path == '/')
        path++;
    int dir = (int)channel_role_stream_dir(path);
    /* DeleteObject: a live HLS output keeps only KeepSegments segments in
     * the destination ("Specifies the number of media segments to retain in
     * the destination directory", HlsGroupSettings.KeepSegments), so
     * MediaLive deletes the older ones; without it every delete is refused
     * (alert 6008) and the folder grows for ever. The S3 solution's role
     * grants it too (aws-facts). */
    if (dir == 0)
        /* The stream sits at the top of the bucket: the whole bucket it is. */
        return buf_printf(
            b,
            "{\"Sid\":\"S3Output\",\"Effect\":\"Allow\",\"Action\":[\"s3:PutObject\","
            "\"s3:GetObject\",\"s3:DeleteObject\"],\"Resource\":\"arn:%s:s3:::%s/*\"},"
            "{\"Sid\":\"S3OutputList\",\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\","
            "\"Resource\":\"arn:%s:s3:::%s\"},",
            partition, dest->bucket, partition, dest->bucket);
    return buf_printf(
        b,
        "{\"Sid\":\"S3Output\",\"Effect\":\"Allow\",\"Action\":[\"s3:PutObject\","
        "\"s3:GetObject\",\"s3:DeleteObject\"],\"Resource\":\"arn:%s:s3:::%s/%.*s/*\"},"
        "{\"Sid\":\"S3OutputList\",\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\","
        "\"Resource\":\"arn:%s:s3:::%s\","
        "\"Condition\":{\"StringLike\":{\"s3:prefix\":[\"%.*s/*\"]}}},",
        partition, dest->bucket, dir, path, partition, dest->bucket, dir, path);
}

/* A bucket name or container ARN a policy can carry verbatim (no quote,
 * backslash or control character; the schema's validators already ensure it
 * for configured values, this guards what AWS answered). */
static bool channel_role_json_safe(const char *s)
{
    for (; s && *s; s++)
        if (*s == '"' || *s == '\\' || (unsigned char)*s < 0x20)
            return false;
    return s != NULL;
}

char *channel_role_policy_new(const char *partition, const char *region, const char *account_id,
                              const char *channel_name,
                              const struct channel_role_destination *dest)
{
    if (!partition || !region || !account_id || !channel_name || !dest ||
        !dest->container_arn == !dest->bucket || !dest->stream_path ||
        !channel_role_json_safe(dest->container_arn ? dest->container_arn : dest->bucket) ||
        !channel_role_json_safe(dest->stream_path))
        return NULL;
    struct buf b = {0};
    int rc = buf_append_str(&b, "{\"Version\":\"2012-10-17\",\"Statement\":[");
    if (rc == 0)
        rc = channel_role_destination_statements(&b, partition, dest);
    if (rc == 0)
        rc = buf_printf(
            &b,
            "{\"Sid\":\"ChannelLogs\",\"Effect\":\"Allow\",\"Action\":["
            "\"logs:CreateLogGroup\",\"logs:CreateLogStream\",\"logs:PutLogEvents\","
            "\"logs:DescribeLogStreams\"],"
            "\"Resource\":\"arn:%s:logs:%s:%s:log-group:ElementalMediaLive*\"},"
            "{\"Sid\":\"PullPassword\",\"Effect\":\"Allow\",\"Action\":["
            "\"ssm:GetParameter\",\"ssm:GetParameters\"],"
            "\"Resource\":\"arn:%s:ssm:%s:%s:parameter/lsms/channel/%s/*\"}]}",
            partition, region, account_id, partition, region, account_id, channel_name);
    if (rc != 0) {
        buf_clean_up(&b);
        return NULL;
    }
    return buf_detach(&b);
}

/* "arn:<partition>:iam::<account>:role/..." -> partition and account. */
static int channel_role_arn_split(const char *arn, char *partition, size_t psize, char *account,
                                  size_t asize)
{
    const char *p = arn && strncmp(arn, "arn:", 4) == 0 ? arn + 4 : NULL;
    const char *svc = p ? strchr(p, ':') : NULL;
    if (!svc || (size_t)(svc - p) >= psize)
        return -1;
    snprintf(partition, psize, "%.*s", (int)(svc - p), p);
    const char *service_end = strchr(svc + 1, ':');
    const char *region_end = service_end ? strchr(service_end + 1, ':') : NULL;
    const char *acct = region_end ? region_end + 1 : NULL;
    const char *end = acct ? strchr(acct, ':') : NULL;
    if (!end || end == acct || (size_t)(end - acct) >= asize)
        return -1;
    snprintf(account, asize, "%.*s", (int)(end - acct), acct);
    return 0;
}

/* CreateRole's parameters, with Tags.member.N.Key/Value; NULL-terminated. */
static const char **channel_role_create_params(const char *role_name, const cJSON *tags,
                                               char ***keys_out)
{
    size_t n = (size_t)cJSON_GetArraySize(tags);
    const char **p = calloc(8 + 4 * n + 1, sizeof *p);
    char **keys = calloc(2 * n + 1, sizeof *keys);
    if (!p || !keys) {
        free(p);
        free(keys);
        return NULL;
    }
    size_t i = 0, k = 0;
    p[i++] = "RoleName";
    p[i++] = role_name;
    p[i++] = "AssumeRolePolicyDocument";
    p[i++] = CHANNEL_ROLE_TRUST;
    p[i++] = "Description";
    p[i++] = "Role AWS Elemental MediaLive assumes for an lsms_channel";
    const cJSON *t;
    size_t m = 1;
    cJSON_ArrayForEach(t, tags) {
        char kname[48], vname[48];
        snprintf(kname, sizeof kname, "Tags.member.%zu.Key", m);
        snprintf(vname, sizeof vname, "Tags.member.%zu.Value", m);
        keys[k] = strdup(kname);
        keys[k + 1] = strdup(vname);
        if (!keys[k] || !keys[k + 1]) {
            for (size_t j = 0; j <= k + 1; j++)
                free(keys[j]);
            free(keys);
            free(p);
            return NULL;
        }
        p[i++] = keys[k];
        p[i++] = t->string;
        p[i++] = keys[k + 1];
        p[i++] = cJSON_GetStringValue(t) ? cJSON_GetStringValue(t) : "";
        k += 2;
        m++;
    }
    *keys_out = keys;
    return p;
}

static void channel_role_keys_free(char **keys)
{
    for (size_t i = 0; keys && keys[i]; i++)
        free(keys[i]);
    free(keys);
}

static int channel_role_put_policy(struct aws_client *c, const char *role_name,
                                   const char *arn, const char *region,
                                   const char *channel_name,
                                   const struct channel_role_destination *dest,
                                   struct aws_error *err)
{
    char partition[32], account[32];
    if (channel_role_arn_split(arn, partition, sizeof partition, account, sizeof account) != 0)
        return aws_error_setf(err, AWS_ERR_BAD_RESPONSE, "unexpected role ARN %s", arn);
    char *policy = channel_role_policy_new(partition, region, account, channel_name, dest);
    if (!policy)
        return aws_error_set(err, AWS_ERR_NO_MEMORY, "out of memory", 0, NULL);
    const char *params[] = {"RoleName", role_name, "PolicyName", CHANNEL_ROLE_POLICY,
                            "PolicyDocument", policy, NULL};
    xmlDoc *doc = NULL;
    int rc = aws_query_call(c, "iam", "PutRolePolicy", params, &doc, err);
    xmlFreeDoc(doc);
    free(policy);
    return rc;
}

int channel_role_update_policy(struct aws_client *c, const char *channel_name,
                               const char *role_arn, const char *region,
                               const struct channel_role_destination *dest,
                               struct aws_error *err)
{
    char *role_name = channel_role_name_new(channel_name);
    if (!role_name)
        return aws_error_set(err, AWS_ERR_NO_MEMORY, "out of memory", 0, NULL);
    int rc = channel_role_put_policy(c, role_name, role_arn, region, channel_name, dest, err);
    free(role_name);
    return rc;
}

int channel_role_create(struct aws_client *c, const char *channel_name, const char *region,
                        const cJSON *tags, const struct channel_role_destination *dest,
                        char **arn_out, struct aws_error *err)
{
    char *role_name = channel_role_name_new(channel_name);
    char **keys = NULL;
    const char **params = role_name ? channel_role_create_params(role_name, tags, &keys) : NULL;
    xmlDoc *doc = NULL;
    char *arn = NULL;
    int rc = -1;
    if (!params) {
        aws_error_set(err, AWS_ERR_NO_MEMORY, "out of memory", 0, NULL);
        goto out;
    }
    if (aws_query_call(c, "iam", "CreateRole", params, &doc, err) != 0)
        goto out;
    arn = aws_xml_find_text(xmlDocGetRootElement(doc), "CreateRoleResponse/CreateRoleResult/Role/Arn");
    if (!arn) {
        aws_error_set(err, AWS_ERR_BAD_RESPONSE, "CreateRole returned no role ARN", 0, NULL);
    } else if (channel_role_put_policy(c, role_name, arn, region, channel_name, dest, err) == 0) {
        *arn_out = arn;
        arn = NULL;
        rc = 0;
        goto out;
    }
    /* The role exists without its policy: remove it so nothing is orphaned. */
    struct aws_error ignored = {0};
    const char *del[] = {"RoleName", role_name, NULL};
    xmlDoc *d2 = NULL;
    aws_query_call(c, "iam", "DeleteRole", del, &d2, &ignored);
    xmlFreeDoc(d2);
    aws_error_clean_up(&ignored);
out:
    xmlFreeDoc(doc);
    free(arn);
    free(params);
    channel_role_keys_free(keys);
    free(role_name);
    return rc;
}

static int channel_role_call_gone_ok(struct aws_client *c, const char *action,
                                     const char *const *params, struct aws_error *err)
{
    xmlDoc *doc = NULL;
    int rc = aws_query_call(c, "iam", action, params, &doc, err);
    xmlFreeDoc(doc);
    if (rc != 0 && aws_error_is(err, "NoSuchEntity")) {
        aws_error_clean_up(err);
        rc = 0;
    }
    return rc;
}

int channel_role_delete(struct aws_client *c, const char *channel_name, struct aws_error *err)
{
    char *role_name = channel_role_name_new(channel_name);
    if (!role_name)
        return aws_error_set(err, AWS_ERR_NO_MEMORY, "out of memory", 0, NULL);
    const char *policy[] = {"RoleName", role_name, "PolicyName", CHANNEL_ROLE_POLICY, NULL};
    const char *role[] = {"RoleName", role_name, NULL};
    /* IAM refuses (DeleteConflict) to delete a role that still has policies. */
    int rc = channel_role_call_gone_ok(c, "DeleteRolePolicy", policy, err);
    if (rc == 0)
        rc = channel_role_call_gone_ok(c, "DeleteRole", role, err);
    free(role_name);
    return rc;
}

int channel_role_exists(struct aws_client *c, const char *channel_name, bool *exists,
                        struct aws_error *err)
{
    *exists = false;
    char *role_name = channel_role_name_new(channel_name);
    if (!role_name)
        return aws_error_set(err, AWS_ERR_NO_MEMORY, "out of memory", 0, NULL);
    const char *params[] = {"RoleName", role_name, NULL};
    xmlDoc *doc = NULL;
    int rc = aws_query_call(c, "iam", "GetRole", params, &doc, err);
    xmlFreeDoc(doc);
    free(role_name);
    if (rc == 0)
        *exists = true;
    else if (aws_error_is(err, "NoSuchEntity")) {
        aws_error_clean_up(err);
        rc = 0;
    }
    return rc;
}
