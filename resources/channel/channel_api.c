/*
 * channel_api.c - AWS calls of lsms_channel. See channel_api.h.
 */
#include "resources/channel/channel_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/message.h"
#include "aws/protocol_json.h"
#include "aws/protocol_rest_json.h"
#include "aws/waiter.h"
#include "util/buf.h"

static const char *const CHANNEL_API_COLLECTIONS[] = {
    [CHANNEL_API_CHANNEL] = "channels",
    [CHANNEL_API_INPUT] = "inputs",
    [CHANNEL_API_SECURITY_GROUP] = "inputSecurityGroups",
};

/* Operation names for the client's debug log, per kind. */
static const char *const CHANNEL_API_NOUNS[] = {
    [CHANNEL_API_CHANNEL] = "Channel",
    [CHANNEL_API_INPUT] = "Input",
    [CHANNEL_API_SECURITY_GROUP] = "InputSecurityGroup",
};

bool channel_api_not_found(const struct aws_error *err)
{
    return err && (err->http_status == 404 || aws_error_is(err, "NotFoundException"));
}

/* "/prod/<collection>[/<id>][<suffix>]", the id percent-encoded. */
static char *channel_api_path(enum channel_api_kind kind, const char *id, const char *suffix)
{
    struct buf b = {0};
    int rc = buf_printf(&b, "/prod/%s", CHANNEL_API_COLLECTIONS[kind]);
    if (rc == 0 && id) {
        rc = buf_append_char(&b, '/');
        if (rc == 0)
            rc = aws_uri_encode(&b, id, strlen(id), 0);
    }
    if (rc == 0 && suffix)
        rc = buf_append_str(&b, suffix);
    char *path = rc == 0 ? buf_detach(&b) : NULL;
    buf_clean_up(&b);
    return path;
}

static int channel_api_call(struct aws_client *c, const char *verb, enum channel_api_kind kind,
                            const char *method, const char *id, const char *suffix,
                            const cJSON *body, cJSON **out, struct aws_error *err)
{
    char op[64];
    snprintf(op, sizeof op, "%s%s", verb, CHANNEL_API_NOUNS[kind]);
    char *path = channel_api_path(kind, id, suffix);
    if (!path)
        return aws_error_set(err, AWS_ERR_NO_MEMORY, "out of memory", 0, NULL);
    struct aws_rest_json_input in = {.method = method, .path = path, .body = body};
    cJSON *answer = NULL;
    int rc = aws_rest_json_call(c, "medialive", op, &in, &answer, NULL, err);
    free(path);
    if (rc == 0 && out)
        *out = answer;
    else
        cJSON_Delete(answer);
    return rc;
}

int channel_api_create(struct aws_client *c, enum channel_api_kind kind, const cJSON *body,
                       cJSON **out, struct aws_error *err)
{
    return channel_api_call(c, "Create", kind, "POST", NULL, NULL, body, out, err);
}

int channel_api_describe(struct aws_client *c, enum channel_api_kind kind, const char *id,
                         cJSON **out, struct aws_error *err)
{
    return channel_api_call(c, "Describe", kind, "GET", id, NULL, NULL, out, err);
}

int channel_api_update(struct aws_client *c, enum channel_api_kind kind, const char *id,
                       const cJSON *body, cJSON **out, struct aws_error *err)
{
    return channel_api_call(c, "Update", kind, "PUT", id, NULL, body, out, err);
}

int channel_api_delete(struct aws_client *c, enum channel_api_kind kind, const char *id,
                       struct aws_error *err)
{
    if (channel_api_call(c, "Delete", kind, "DELETE", id, NULL, NULL, NULL, err) == 0)
        return 0;
    if (!channel_api_not_found(err))
        return -1;
    aws_error_clean_up(err);
    return 0;
}

int channel_api_list(struct aws_client *c, enum channel_api_kind kind, const char *token,
                     int page_size, cJSON **out, struct aws_error *err)
{
    static const char *const ops[] = {
        [CHANNEL_API_CHANNEL] = "ListChannels",
        [CHANNEL_API_INPUT] = "ListInputs",
        [CHANNEL_API_SECURITY_GROUP] = "ListInputSecurityGroups",
    };
    char *path = channel_api_path(kind, NULL, NULL);
    struct buf q = {0};
    int rc = path && buf_printf(&q, "maxResults=%d", page_size) == 0 ? 0 : -1;
    if (rc == 0 && token && *token)
        rc = buf_append_str(&q, "&nextToken=") != 0 || aws_uri_encode(&q, token, strlen(token), 0) != 0
                 ? -1
                 : 0;
    if (rc != 0) {
        free(path);
        buf_clean_up(&q);
        return aws_error_set(err, AWS_ERR_NO_MEMORY, "out of memory", 0, NULL);
    }
    struct aws_rest_json_input in = {.method = "GET", .path = path, .query = q.data};
    rc = aws_rest_json_call(c, "medialive", ops[kind], &in, out, NULL, err);
    free(path);
    buf_clean_up(&q);
    return rc;
}

int channel_api_channel_action(struct aws_client *c, const char *id, const char *action,
                               struct aws_error *err)
{
    char suffix[16];
    snprintf(suffix, sizeof suffix, "/%s", action);
    const char *verb = strcmp(action, "start") == 0 ? "Start" : "Stop";
    return channel_api_call(c, verb, CHANNEL_API_CHANNEL, "POST", id, suffix, NULL, NULL, err);
}

int channel_api_channel_class(struct aws_client *c, const char *id, const cJSON *body,
                              struct aws_error *err)
{
    char *path = channel_api_path(CHANNEL_API_CHANNEL, id, "/channelClass");
    if (!path)
        return aws_error_set(err, AWS_ERR_NO_MEMORY, "out of memory", 0, NULL);
    struct aws_rest_json_input in = {.method = "PUT", .path = path, .body = body};
    cJSON *answer = NULL;
    int rc = aws_rest_json_call(c, "medialive", "UpdateChannelClass", &in, &answer, NULL, err);
    free(path);
    cJSON_Delete(answer);
    return rc;
}

/* ListContainers pages hold at most 100 (the model's MaxResults bound). */
#define CHANNEL_API_CONTAINERS_PAGE 100

int channel_api_containers_list(struct aws_client *c, cJSON **containers, struct aws_error *err)
{
    cJSON *all = cJSON_CreateArray();
    char *token = NULL;
    int rc = all ? 0 : aws_error_set(err, AWS_ERR_NO_MEMORY, "out of memory", 0, NULL);
    while (rc == 0) {
        cJSON *in = cJSON_CreateObject();
        cJSON *out = NULL;
        if (!in || !cJSON_AddNumberToObject(in, "MaxResults", CHANNEL_API_CONTAINERS_PAGE) ||
            (token && !cJSON_AddStringToObject(in, "NextToken", token))) {
            cJSON_Delete(in);
            rc = aws_error_set(err, AWS_ERR_NO_MEMORY, "out of memory", 0, NULL);
            break;
        }
        rc = aws_json_call(c, "mediastore", "MediaStore_20170901.ListContainers", in, &out, err);
        cJSON_Delete(in);
        free(token);
        token = NULL;
        cJSON *page = cJSON_GetObjectItemCaseSensitive(out, "Containers");
        cJSON *item;
        while (rc == 0 && cJSON_IsArray(page) && (item = cJSON_DetachItemFromArray(page, 0))) {
            if (!cJSON_AddItemToArray(all, item)) {
                cJSON_Delete(item);
                rc = aws_error_set(err, AWS_ERR_NO_MEMORY, "out of memory", 0, NULL);
            }
        }
        const char *next = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(out, "NextToken"));
        if (rc == 0 && next && *next && !(token = strdup(next)))
            rc = aws_error_set(err, AWS_ERR_NO_MEMORY, "out of memory", 0, NULL);
        cJSON_Delete(out);
        if (!token)
            break;
    }
    free(token);
    if (rc != 0) {
        cJSON_Delete(all);
        return -1;
    }
    *containers = all;
    return 0;
}

/* ---- waiter ---- */

struct channel_api_wait_ctx {
    struct aws_client *client;
    enum channel_api_kind kind;
    const char *id;
    const char *const *targets;
    const char *what;
    channel_api_seen_fn seen;
    void *seen_arg;
    cJSON *last;
};

static bool channel_api_is_target(const char *const *targets, const char *state)
{
    for (size_t i = 0; targets[i]; i++)
        if (strcmp(targets[i], state) == 0 ||
            (strcmp(targets[i], CHANNEL_API_GONE) == 0 && strcmp(state, "DELETED") == 0))
            return true;
    return false;
}

static enum aws_wait_result channel_api_wait_poll(void *p, struct aws_error *err)
{
    struct channel_api_wait_ctx *w = p;
    cJSON_Delete(w->last);
    w->last = NULL;
    if (channel_api_describe(w->client, w->kind, w->id, &w->last, err) != 0) {
        if (channel_api_not_found(err) && channel_api_is_target(w->targets, CHANNEL_API_GONE)) {
            aws_error_clean_up(err);
            return AWS_WAIT_DONE;
        }
        return AWS_WAIT_FAILED;
    }
    const char *state = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(w->last, "state"));
    if (!state)
        state = "";
    const char *refuse = NULL;
    if (w->seen && w->seen(w->seen_arg, state, &refuse) != 0) {
        aws_error_setf(err, AWS_ERR_CANCELLED, "waiting for %s was cancelled", w->what);
        return AWS_WAIT_FAILED;
    }
    if (refuse) {
        aws_error_setf(err, AWS_ERR_WAIT_FAILED, "waiting for %s: %s", w->what, refuse);
        return AWS_WAIT_FAILED;
    }
    if (channel_api_is_target(w->targets, state))
        return AWS_WAIT_DONE;
    if (strcmp(state, "CREATE_FAILED") == 0 || strcmp(state, "UPDATE_FAILED") == 0 ||
        (strcmp(state, "DELETED") == 0)) {
        aws_error_setf(err, AWS_ERR_WAIT_FAILED, "waiting for %s, MediaLive reports state %s",
                       w->what, state);
        return AWS_WAIT_FAILED;
    }
    return AWS_WAIT_PENDING;
}

int channel_api_wait(struct aws_client *c, enum channel_api_kind kind, const char *id,
                     const char *const *targets, uint64_t timeout_ms, const char *what,
                     cJSON **last, struct aws_error *err)
{
    return channel_api_wait_seen(c, kind, id, targets, timeout_ms, what, NULL, NULL, last, err);
}

int channel_api_wait_seen(struct aws_client *c, enum channel_api_kind kind, const char *id,
                          const char *const *targets, uint64_t timeout_ms, const char *what,
                          channel_api_seen_fn seen, void *arg, cJSON **last,
                          struct aws_error *err)
{
    struct channel_api_wait_ctx w = {.client = c, .kind = kind, .id = id, .targets = targets,
                                     .what = what, .seen = seen, .seen_arg = arg};
    /* Long MediaLive transitions (a channel starting) back off to 15 s. */
    struct aws_waiter_config cfg = {.initial_delay_ms = AWS_WAITER_FIRST_DELAY_MS,
                                    .growth_percent = AWS_WAITER_GROWTH_PERCENT,
                                    .max_delay_ms = 15000,
                                    .timeout_ms = timeout_ms,
                                    .what = what};
    int rc = aws_client_wait(c, &cfg, channel_api_wait_poll, &w, err);
    if (rc == 0 && last)
        *last = w.last;
    else
        cJSON_Delete(w.last);
    return rc;
}

/* ---- tags ---- */

static int channel_api_tags_path(const char *arn, struct buf *b)
{
    if (buf_append_str(b, "/prod/tags/") != 0)
        return -1;
    return aws_uri_encode(b, arn, strlen(arn), 0);
}

static int channel_api_tags_create(struct aws_client *c, const char *arn, const cJSON *tags,
                                   struct aws_error *err)
{
    struct buf path = {0};
    cJSON *body = cJSON_CreateObject();
    cJSON *copy = cJSON_Duplicate(tags, 1);
    int rc = -1;
    if (!body || !copy || !cJSON_AddItemToObject(body, "tags", copy)) {
        cJSON_Delete(copy);
        aws_error_set(err, AWS_ERR_NO_MEMORY, "out of memory", 0, NULL);
        goto out;
    }
    if (channel_api_tags_path(arn, &path) != 0) {
        aws_error_set(err, AWS_ERR_NO_MEMORY, "out of memory", 0, NULL);
        goto out;
    }
    struct aws_rest_json_input in = {.method = "POST", .path = path.data, .body = body};
    cJSON *answer = NULL;
    rc = aws_rest_json_call(c, "medialive", "CreateTags", &in, &answer, NULL, err);
    cJSON_Delete(answer);
out:
    cJSON_Delete(body);
    buf_clean_up(&path);
    return rc;
}

static int channel_api_tags_delete(struct aws_client *c, const char *arn,
                                   const char *const *keys, size_t n, struct aws_error *err)
{
    struct buf path = {0}, query = {0};
    int rc = channel_api_tags_path(arn, &path);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (i > 0)
            rc = buf_append_char(&query, '&');
        if (rc == 0)
            rc = buf_append_str(&query, "tagKeys=");
        if (rc == 0)
            rc = aws_uri_encode(&query, keys[i], strlen(keys[i]), 0);
    }
    if (rc != 0) {
        aws_error_set(err, AWS_ERR_NO_MEMORY, "out of memory", 0, NULL);
    } else {
        struct aws_rest_json_input in = {.method = "DELETE", .path = path.data,
                                         .query = query.data};
        cJSON *answer = NULL;
        rc = aws_rest_json_call(c, "medialive", "DeleteTags", &in, &answer, NULL, err);
        cJSON_Delete(answer);
    }
    buf_clean_up(&path);
    buf_clean_up(&query);
    return rc;
}

int channel_api_tags_sync(struct aws_client *c, const char *arn, const cJSON *have,
                          const cJSON *want, struct aws_error *err)
{
    cJSON *add = cJSON_CreateObject();
    size_t n_have = (size_t)cJSON_GetArraySize(have);
    const char **gone = calloc(n_have + 1, sizeof *gone);
    size_t n_gone = 0;
    int rc = -1;
    if (!add || !gone) {
        aws_error_set(err, AWS_ERR_NO_MEMORY, "out of memory", 0, NULL);
        goto out;
    }
    const cJSON *t;
    cJSON_ArrayForEach(t, want) {
        const char *old = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(have, t->string));
        const char *val = cJSON_GetStringValue(t);
        if (val && (!old || strcmp(old, val) != 0) && !cJSON_AddStringToObject(add, t->string, val)) {
            aws_error_set(err, AWS_ERR_NO_MEMORY, "out of memory", 0, NULL);
            goto out;
        }
    }
    cJSON_ArrayForEach(t, have)
        if (!cJSON_GetObjectItemCaseSensitive(want, t->string))
            gone[n_gone++] = t->string;
    rc = 0;
    if (n_gone > 0)
        rc = channel_api_tags_delete(c, arn, gone, n_gone, err);
    if (rc == 0 && cJSON_GetArraySize(add) > 0)
        rc = channel_api_tags_create(c, arn, add, err);
out:
    cJSON_Delete(add);
    free(gone);
    return rc;
}

/* ---- SSM ---- */

int channel_api_parameter_put(struct aws_client *c, const char *name, const char *value,
                              struct aws_error *err)
{
    cJSON *in = cJSON_CreateObject();
    if (!in || !cJSON_AddStringToObject(in, "Name", name) ||
        !cJSON_AddStringToObject(in, "Value", value) ||
        !cJSON_AddStringToObject(in, "Type", "SecureString") ||
        !cJSON_AddBoolToObject(in, "Overwrite", 1)) {
        cJSON_Delete(in);
        return aws_error_set(err, AWS_ERR_NO_MEMORY, "out of memory", 0, NULL);
    }
    cJSON *out = NULL;
    int rc = aws_json_call(c, "ssm", "AmazonSSM.PutParameter", in, &out, err);
    /* The request held the secret: wipe it before freeing. */
    cJSON *v = cJSON_GetObjectItemCaseSensitive(in, "Value");
    if (v && v->valuestring)
        memset(v->valuestring, 0, strlen(v->valuestring));
    cJSON_Delete(in);
    cJSON_Delete(out);
    return rc;
}

int channel_api_parameter_get(struct aws_client *c, const char *name, char **value_out,
                              struct aws_error *err)
{
    cJSON *in = cJSON_CreateObject();
    if (!in || !cJSON_AddStringToObject(in, "Name", name) ||
        !cJSON_AddBoolToObject(in, "WithDecryption", value_out != NULL)) {
        cJSON_Delete(in);
        return aws_error_set(err, AWS_ERR_NO_MEMORY, "out of memory", 0, NULL);
    }
    cJSON *out = NULL;
    int rc = aws_json_call(c, "ssm", "AmazonSSM.GetParameter", in, &out, err);
    cJSON_Delete(in);
    if (rc != 0)
        return -1;
    if (!value_out) {
        cJSON_Delete(out);
        return 0;
    }
    cJSON *v = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(out, "Parameter"), "Value");
    const char *s = cJSON_GetStringValue(v);
    *value_out = s ? strdup(s) : NULL;
    if (s)
        memset(v->valuestring, 0, strlen(s));
    cJSON_Delete(out);
    if (!*value_out)
        return aws_error_set(err, AWS_ERR_BAD_RESPONSE, "GetParameter returned no value", 0,
                             NULL);
    return 0;
}

int channel_api_parameter_delete(struct aws_client *c, const char *name, struct aws_error *err)
{
    cJSON *in = cJSON_CreateObject();
    if (!in || !cJSON_AddStringToObject(in, "Name", name)) {
        cJSON_Delete(in);
        return aws_error_set(err, AWS_ERR_NO_MEMORY, "out of memory", 0, NULL);
    }
    cJSON *out = NULL;
    int rc = aws_json_call(c, "ssm", "AmazonSSM.DeleteParameter", in, &out, err);
    cJSON_Delete(in);
    cJSON_Delete(out);
    if (rc != 0 && aws_error_is(err, "ParameterNotFound")) {
        aws_error_clean_up(err);
        return 0;
    }
    return rc;
}
