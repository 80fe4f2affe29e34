/*
 * container_api.c - MediaStore control and data plane calls, the logging
 * role of lsms_container (container_api.h).
 */
#include "resources/container/container_api.h"

#include <stdlib.h>
#include <string.h>

#include "aws/endpoints.h"
#include "aws/message.h"
#include "aws/protocol_json.h"
#include "aws/protocol_query.h"
#include "aws/protocol_rest_json.h"
#include "util/buf.h"

/* ---- control plane ---- */

int container_api_call(struct aws_client *c, const char *op, const cJSON *input, cJSON **out,
                       struct aws_error *err)
{
    struct buf target = {0};
    cJSON *answer = NULL;
    if (buf_printf(&target, "MediaStore_20170901.%s", op) != 0)
        return aws_error_set(err, AWS_ERR_NO_MEMORY, "out of memory", 0, NULL);
    int rc = aws_json_call(c, "mediastore", target.data, input, &answer, err);
    buf_clean_up(&target);
    if (out)
        *out = answer;
    else
        cJSON_Delete(answer);
    return rc;
}

int container_api_call_named(struct aws_client *c, const char *op, const char *name,
                             const char *member, const char *value, cJSON **out,
                             struct aws_error *err)
{
    cJSON *in = cJSON_CreateObject();
    if (!in || !cJSON_AddStringToObject(in, "ContainerName", name) ||
        (member && !cJSON_AddStringToObject(in, member, value))) {
        cJSON_Delete(in);
        return aws_error_set(err, AWS_ERR_NO_MEMORY, "out of memory", 0, NULL);
    }
    int rc = container_api_call(c, op, in, out, err);
    cJSON_Delete(in);
    return rc;
}

bool container_api_is_not_found(const struct aws_error *err)
{
    return aws_error_is(err, "ContainerNotFoundException") ||
           aws_error_is(err, "ResourceNotFoundException");
}

/* ---- logging role ---- */

/* Trust and permissions of the role as the MediaStore user guide gives them
 * ("Permissions for Amazon CloudWatch Logs"): MediaStore assumes it and may
 * create and write the log groups under /aws/mediastore/. */
static const char logging_role_trust[] =
    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
    "\"Principal\":{\"Service\":\"mediastore.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

static int logging_role_permissions(struct aws_client *c, struct buf *out)
{
    const char *region = aws_client_region(c);
    const char *partition = aws_region_partition(region);
    return buf_printf(out,
                      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                      "\"Action\":[\"logs:CreateLogGroup\",\"logs:CreateLogStream\","
                      "\"logs:DescribeLogStreams\",\"logs:PutLogEvents\","
                      "\"logs:PutRetentionPolicy\"],"
                      "\"Resource\":\"arn:%s:logs:*:*:log-group:/aws/mediastore/*\"}]}",
                      partition);
}

static int logging_role_create(struct aws_client *c, bool *created, struct aws_error *err)
{
    const char *create[] = {"RoleName", CONTAINER_LOGGING_ROLE_NAME,
                            "AssumeRolePolicyDocument", logging_role_trust,
                            "Description", "Lets AWS Elemental MediaStore write container access "
                                           "logs to CloudWatch Logs (created by lsms).",
                            NULL};
    xmlDoc *doc = NULL;
    if (aws_query_call(c, "iam", "CreateRole", create, &doc, err) != 0) {
        /* Another container's apply created it meanwhile: it exists, which
         * is all we need, and it is not ours to complete. */
        if (aws_error_is(err, "EntityAlreadyExists")) {
            aws_error_clean_up(err);
            return 0;
        }
        return -1;
    }
    xmlFreeDoc(doc);
    *created = true;
    struct buf policy = {0};
    if (logging_role_permissions(c, &policy) != 0)
        return aws_error_set(err, AWS_ERR_NO_MEMORY, "out of memory", 0, NULL);
    const char *put[] = {"RoleName", CONTAINER_LOGGING_ROLE_NAME, "PolicyName",
                         "MediaStoreAccessLogs", "PolicyDocument", policy.data, NULL};
    int rc = aws_query_call(c, "iam", "PutRolePolicy", put, &doc, err);
    if (rc == 0)
        xmlFreeDoc(doc);
    buf_clean_up(&policy);
    return rc;
}

int container_logging_role_ensure(struct aws_client *c, bool *created, struct aws_error *err)
{
    const char *get[] = {"RoleName", CONTAINER_LOGGING_ROLE_NAME, NULL};
    xmlDoc *doc = NULL;
    *created = false;
    if (aws_query_call(c, "iam", "GetRole", get, &doc, err) == 0) {
        xmlFreeDoc(doc);
        return 0;
    }
    if (!aws_error_is(err, "NoSuchEntity"))
        return -1;
    aws_error_clean_up(err);
    return logging_role_create(c, created, err);
}

/* ---- data plane ---- */

/* Collects the items directly inside `folder` ("" for the root), every page,
 * into *items (a cJSON array owned by the caller). */
static int objects_list(struct aws_client *c, const char *endpoint, const char *folder,
                        cJSON **items, struct aws_error *err)
{
    char *token = NULL;
    int rc = -1;
    *items = cJSON_CreateArray();
    if (!*items)
        return aws_error_set(err, AWS_ERR_NO_MEMORY, "out of memory", 0, NULL);
    do {
        struct buf query = {0};
        cJSON *out = NULL;
        int bad = buf_append_str(&query, "MaxResults=1000");
        if (*folder)
            bad |= buf_append_str(&query, "&Path=") |
                   aws_uri_encode(&query, folder, strlen(folder), 0);
        if (token)
            bad |= buf_append_str(&query, "&NextToken=") |
                   aws_uri_encode(&query, token, strlen(token), 0);
        free(token);
        token = NULL;
        struct aws_rest_json_input in = {
            .method = "GET", .path = "/", .query = query.data, .endpoint = endpoint};
        if (bad) {
            buf_clean_up(&query);
            aws_error_set(err, AWS_ERR_NO_MEMORY, "out of memory", 0, NULL);
            goto done;
        }
        int call = aws_rest_json_call(c, "mediastore", "ListItems", &in, &out, NULL, err);
        buf_clean_up(&query);
        if (call != 0)
            goto done;
        cJSON *page = cJSON_GetObjectItemCaseSensitive(out, "Items");
        cJSON *item;
        while (cJSON_IsArray(page) && (item = cJSON_DetachItemFromArray(page, 0)) != NULL)
            cJSON_AddItemToArray(*items, item);
        const cJSON *next = cJSON_GetObjectItemCaseSensitive(out, "NextToken");
        if (cJSON_IsString(next) && *next->valuestring)
            token = strdup(next->valuestring);
        bool oom = cJSON_IsString(next) && *next->valuestring && !token;
        cJSON_Delete(out);
        if (oom) {
            aws_error_set(err, AWS_ERR_NO_MEMORY, "out of memory", 0, NULL);
            goto done;
        }
    } while (token);
    rc = 0;
done:
    free(token);
    if (rc != 0) {
        cJSON_Delete(*items);
        *items = NULL;
    }
    return rc;
}

static int object_delete(struct aws_client *c, const char *endpoint, const char *path,
                         struct aws_error *err)
{
    struct buf p = {0};
    cJSON *out = NULL;
    if (buf_append_char(&p, '/') || aws_uri_encode(&p, path, strlen(path), 1)) {
        buf_clean_up(&p);
        return aws_error_set(err, AWS_ERR_NO_MEMORY, "out of memory", 0, NULL);
    }
    struct aws_rest_json_input in = {.method = "DELETE", .path = p.data, .endpoint = endpoint};
    int rc = aws_rest_json_call(c, "mediastore", "DeleteObject", &in, &out, NULL, err);
    cJSON_Delete(out);
    buf_clean_up(&p);
    /* Gone already (a lifecycle rule expired it meanwhile): that is the goal. */
    if (rc != 0 && aws_error_is(err, "ObjectNotFoundException")) {
        aws_error_clean_up(err);
        rc = 0;
    }
    return rc;
}

/* MediaStore allows ten folder levels; deeper recursion means a bad answer. */
#define OBJECTS_MAX_DEPTH 16

static int objects_delete_in(struct aws_client *c, const char *endpoint, const char *folder,
                             int depth, long *deleted, struct aws_error *err)
{
    if (depth > OBJECTS_MAX_DEPTH)
        return aws_error_setf(err, AWS_ERR_BAD_RESPONSE, "folders nested deeper than %d levels",
                              OBJECTS_MAX_DEPTH);
    cJSON *items = NULL;
    if (objects_list(c, endpoint, folder, &items, err) != 0)
        return -1;
    int rc = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, items)
    {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(item, "Name");
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(item, "Type");
        if (!cJSON_IsString(name) || !*name->valuestring)
            continue;
        struct buf path = {0};
        if (*folder ? buf_printf(&path, "%s/%s", folder, name->valuestring)
                    : buf_append_str(&path, name->valuestring)) {
            rc = aws_error_set(err, AWS_ERR_NO_MEMORY, "out of memory", 0, NULL);
            break;
        }
        /* moto lists objects as FILE; every non-folder item is an object. */
        if (cJSON_IsString(type) && strcmp(type->valuestring, "FOLDER") == 0)
            rc = objects_delete_in(c, endpoint, path.data, depth + 1, deleted, err);
        else if ((rc = object_delete(c, endpoint, path.data, err)) == 0)
            (*deleted)++;
        buf_clean_up(&path);
        if (rc != 0)
            break;
    }
    cJSON_Delete(items);
    return rc;
}

int container_objects_delete_all(struct aws_client *c, const char *endpoint, long *deleted,
                                 struct aws_error *err)
{
    long count = 0;
    int rc = objects_delete_in(c, endpoint, "", 0, &count, err);
    if (deleted)
        *deleted = count;
    return rc;
}
