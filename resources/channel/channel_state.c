/*
 * channel_state.c - lsms_channel state from MediaLive answers. See
 * channel_state.h.
 */
#include "resources/channel/channel_state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resources/common.h"

static const cJSON *cs_get(const cJSON *obj, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

static const char *cs_str(const cJSON *obj, const char *key)
{
    return cJSON_GetStringValue(cs_get(obj, key));
}

static const cJSON *cs_first(const cJSON *obj, const char *key)
{
    return cJSON_GetArrayItem(cs_get(obj, key), 0);
}

/* ---- encoding profile ---- */

static bool cs_rung_matches(const cJSON *vd, const struct ladder_rung *r)
{
    const cJSON *h264 = cs_get(cs_get(vd, "codecSettings"), "h264Settings");
    const char *name = cs_str(vd, "name");
    return name && strcmp(name, r->name) == 0 &&
           cJSON_GetNumberValue(cs_get(vd, "width")) == r->width &&
           cJSON_GetNumberValue(cs_get(vd, "height")) == r->height &&
           cJSON_GetNumberValue(cs_get(h264, "bitrate")) == (double)r->bitrate_bps;
}

static bool cs_profile_matches(const cJSON *videos, const struct ladder_profile *p)
{
    const struct ladder_rung *rungs;
    size_t n = ladder_profile_rungs(p, &rungs);
    if ((size_t)cJSON_GetArraySize(videos) != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        bool found = false;
        const cJSON *vd;
        cJSON_ArrayForEach(vd, videos) found = found || cs_rung_matches(vd, &rungs[i]);
        if (!found)
            return false;
    }
    return true;
}

const struct ladder_profile *channel_state_profile_of(const cJSON *encoder_settings)
{
    const cJSON *videos = cs_get(encoder_settings, "videoDescriptions");
    for (size_t i = 0; i < ladder_profile_count(); i++)
        if (cs_profile_matches(videos, ladder_profile_at(i)))
            return ladder_profile_at(i);
    return NULL;
}

static struct cty_value *cs_rendition_new(struct cty_type *elem, const struct ladder_rung *r)
{
    char fps[32];
    snprintf(fps, sizeof fps, "%.10g", ladder_rung_framerate(r));
    struct cty_value *o = cty_object_new(elem);
    if (!o || cty_object_set(o, "name", cty_string_new(r->name)) != 0 ||
        cty_object_set(o, "width", cty_number_new_int(r->width)) != 0 ||
        cty_object_set(o, "height", cty_number_new_int(r->height)) != 0 ||
        cty_object_set(o, "bitrate", cty_number_new_int(r->bitrate_bps)) != 0 ||
        cty_object_set(o, "framerate", cty_number_new(fps)) != 0) {
        cty_value_destroy(o);
        return NULL;
    }
    return o;
}

struct cty_value *channel_state_renditions_new(struct cty_type *list_type,
                                               const struct ladder_profile *profile)
{
    const struct ladder_rung *rungs;
    size_t n = ladder_profile_rungs(profile, &rungs);
    struct cty_value *list = cty_collection_new(list_type);
    for (size_t i = 0; list && i < n; i++) {
        struct cty_value *o = cs_rendition_new(cty_type_element(list_type), &rungs[i]);
        if (!o || cty_collection_append(list, o) != 0) {
            cty_value_destroy(list);
            return NULL;
        }
    }
    return list;
}

/* ---- destination: container_endpoint or destination_bucket, and stream_path ---- */

static const char MEDIASTORE_SCHEME[] = "mediastoressl://";
static const char S3_SCHEME[] = "s3ssl://";

/* The endpoint without scheme and trailing slashes, as the destination URL
 * holds it (channel_settings_destination_url). */
static void cs_endpoint_body(const char *endpoint, const char **start, size_t *len)
{
    const char *sep = strstr(endpoint, "://");
    *start = sep ? sep + 3 : endpoint;
    *len = strlen(*start);
    while (*len > 0 && (*start)[*len - 1] == '/')
        (*len)--;
}

/* The length of endpoint's body when `rest` (a destination URL without its
 * scheme) lies inside it ("<body>/<path>"), else 0. */
static size_t cs_endpoint_prefix(const char *endpoint, const char *rest)
{
    const char *body = NULL;
    size_t len = 0;
    if (!endpoint)
        return 0;
    cs_endpoint_body(endpoint, &body, &len);
    return len > 0 && strncmp(rest, body, len) == 0 && rest[len] == '/' && rest[len + 1]
               ? len
               : 0;
}

static const char *cs_mediastore_rest(const cJSON *channel)
{
    const cJSON *dest = cs_first(channel, "destinations");
    const char *url = cs_str(cJSON_GetArrayItem(cs_get(dest, "settings"), 0), "url");
    if (!url || strncmp(url, MEDIASTORE_SCHEME, sizeof MEDIASTORE_SCHEME - 1) != 0)
        return NULL;
    return url + sizeof MEDIASTORE_SCHEME - 1;
}

bool channel_state_needs_containers(const struct cty_value *state, const cJSON *channel)
{
    const char *rest = cs_mediastore_rest(channel);
    return rest && cs_endpoint_prefix(cty_attr_string(state, "container_endpoint"), rest) == 0;
}

const cJSON *channel_state_container_for_endpoint(const cJSON *containers, const char *endpoint)
{
    const char *want = NULL, *body = NULL;
    size_t want_len = 0, len = 0;
    if (!endpoint)
        return NULL;
    cs_endpoint_body(endpoint, &want, &want_len);
    const cJSON *c;
    cJSON_ArrayForEach(c, containers) {
        const char *e = cs_str(c, "Endpoint");
        if (!e)
            continue;
        cs_endpoint_body(e, &body, &len);
        if (len > 0 && len == want_len && strncmp(body, want, len) == 0)
            return c;
    }
    return NULL;
}

static int cs_set_destination(struct cty_value *state, const char *endpoint, const char *bucket,
                              const char *path)
{
    return resource_set_string(state, "container_endpoint", endpoint) != 0 ||
                   resource_set_string(state, "destination_bucket", bucket) != 0 ||
                   resource_set_string(state, "stream_path", path) != 0
               ? -1
               : 0;
}

static int cs_destination(struct cty_value *state, const char *url, const cJSON *containers)
{
    if (url && strncmp(url, S3_SCHEME, sizeof S3_SCHEME - 1) == 0) {
        const char *bucket = url + sizeof S3_SCHEME - 1;
        const char *slash = strchr(bucket, '/');
        if (!slash || slash == bucket || !slash[1])
            return 0; /* not one of ours: leave what the user wrote */
        char *name = strndup(bucket, (size_t)(slash - bucket));
        int rc = name ? cs_set_destination(state, NULL, name, slash + 1) : -1;
        free(name);
        return rc;
    }
    if (!url || strncmp(url, MEDIASTORE_SCHEME, sizeof MEDIASTORE_SCHEME - 1) != 0)
        return 0; /* not a MediaStore output: leave what the user wrote */
    const char *rest = url + sizeof MEDIASTORE_SCHEME - 1;
    const char *known = cty_attr_string(state, "container_endpoint");
    size_t len = cs_endpoint_prefix(known, rest);
    if (len > 0) {
        char *keep = strdup(known); /* state's string goes when it is replaced */
        int rc = keep ? cs_set_destination(state, keep, NULL, rest + len + 1) : -1;
        free(keep);
        return rc;
    }
    /* Import or drift: the container whose endpoint the URL starts with (the
     * longest, should one endpoint extend another). */
    const cJSON *best = NULL;
    size_t best_len = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, containers) {
        size_t n = cs_endpoint_prefix(cs_str(c, "Endpoint"), rest);
        if (n > best_len) {
            best = c;
            best_len = n;
        }
    }
    if (best)
        return cs_set_destination(state, cs_str(best, "Endpoint"), NULL, rest + best_len + 1);
    /* No such container: a MediaStore data endpoint is a bare host, so the
     * path starts at the first slash. */
    const char *slash = strchr(rest, '/');
    if (!slash || slash == rest || !slash[1])
        return 0;
    size_t host_len = (size_t)(slash - rest);
    char *endpoint = malloc(host_len + sizeof "https://");
    if (!endpoint)
        return -1;
    snprintf(endpoint, host_len + sizeof "https://", "https://%.*s", (int)host_len, rest);
    int rc = cs_set_destination(state, endpoint, NULL, slash + 1);
    free(endpoint);
    return rc;
}

/* ---- tags ---- */

static struct cty_value *cs_map_new(struct cty_type *map_type)
{
    return cty_collection_new(map_type);
}

/* tags_all = what AWS holds; tags = the keys state already tracks (with
 * AWS's values), or on import everything that is not a default tag. */
static int cs_tags(struct cty_value *state, const cJSON *aws_tags,
                   const struct lsms_provider_data *pd)
{
    struct cty_type *map_type = cty_value_type(cty_value_attr(state, "tags_all"));
    const struct cty_value *old = cty_value_attr(state, "tags");
    bool tracked = old && cty_value_is_known(old) && !cty_value_is_null(old);
    struct cty_value *all = cs_map_new(map_type), *tags = cs_map_new(map_type);
    if (!all || !tags)
        goto fail;
    const cJSON *t;
    cJSON_ArrayForEach(t, aws_tags) {
        const char *v = cJSON_GetStringValue(t);
        if (!v || !t->string) /* tags is an object; anything else names no key */
            continue;
        /* cty_map_put owns the value, also when it refuses it. */
        if (cty_map_put(all, t->string, cty_string_new(v)) != 0)
            goto fail;
        const struct cty_value *dflt = pd ? cty_value_map_get(pd->default_tags, t->string) : NULL;
        bool keep = tracked ? cty_value_map_get(old, t->string) != NULL
                            : !(dflt && cty_value_string(dflt) &&
                                strcmp(cty_value_string(dflt), v) == 0);
        if (keep && cty_map_put(tags, t->string, cty_string_new(v)) != 0)
            goto fail;
    }
    if (!tracked && cty_value_length(tags) == 0) {
        cty_value_destroy(tags);
        tags = cty_null_new(map_type);
    }
    if (cty_object_set(state, "tags_all", all) != 0) {
        all = NULL;
        goto fail;
    }
    return cty_object_set(state, "tags", tags);
fail:
    cty_value_destroy(all);
    cty_value_destroy(tags);
    return -1;
}

int channel_state_from_channel(struct cty_value *state, const cJSON *channel,
                               const struct lsms_provider_data *pd, const cJSON *containers)
{
    const char *st = cs_str(channel, "state");
    const struct ladder_profile *profile =
        channel_state_profile_of(cs_get(channel, "encoderSettings"));
    const cJSON *dest = cs_first(channel, "destinations");
    const char *url = cs_str(cJSON_GetArrayItem(cs_get(dest, "settings"), 0), "url");
    struct cty_value *renditions = NULL;
    if (profile) {
        renditions = channel_state_renditions_new(
            cty_value_type(cty_value_attr(state, "renditions")), profile);
        if (!renditions)
            return -1;
    } else {
        renditions = cty_null_new(cty_value_type(cty_value_attr(state, "renditions")));
    }
    if (cty_object_set(state, "renditions", renditions) != 0)
        return -1;
    const char *input_id = cs_str(cs_first(channel, "inputAttachments"), "inputId");
    bool detached = !input_id && cty_attr_string(state, "input_id");
    if (resource_set_string(state, "id", cs_str(channel, "id")) != 0 ||
        resource_set_string(state, "name", cs_str(channel, "name")) != 0 ||
        resource_set_string(state, "arn", cs_str(channel, "arn")) != 0 ||
        resource_set_string(state, "state", st) != 0 ||
        resource_set_string(state, "channel_class",
                            detached ? NULL : cs_str(channel, "channelClass")) != 0 ||
        resource_set_string(state, "role_arn", cs_str(channel, "roleArn")) != 0 ||
        (!detached && resource_set_string(state, "input_id", input_id) != 0) ||
        resource_set_string(state, "encoding_profile", profile ? profile->name : NULL) != 0 ||
        resource_set_bool(state, "channel_start",
                          st && (strcmp(st, "RUNNING") == 0 || strcmp(st, "STARTING") == 0)) != 0)
        return -1;
    if (cs_destination(state, url, containers) != 0)
        return -1;
    return cs_tags(state, cs_get(channel, "tags"), pd);
}

/* ---- input ---- */

static int cs_string_list(struct cty_value *state, const char *attr, const cJSON *items,
                          const char *member)
{
    struct cty_value *list = cty_collection_new(cty_value_type(cty_value_attr(state, attr)));
    const cJSON *it;
    cJSON_ArrayForEach(it, items) {
        const char *s = cs_str(it, member);
        struct cty_value *v = s ? cty_string_new(s) : NULL;
        if (!list || (s && !v)) {
            cty_value_destroy(v);
            cty_value_destroy(list);
            return -1;
        }
        if (v && cty_collection_append(list, v) != 0) { /* consumed v */
            cty_value_destroy(list);
            return -1;
        }
    }
    return cty_object_set(state, attr, list);
}

const char *channel_state_password_param(const cJSON *input)
{
    return cs_str(cs_first(input, "sources"), "passwordParam");
}

/* pull_url_pipeline1: the second source's URL; null when it repeats the
 * first (the default), unless state names it. */
static int cs_pull_url_pipeline1(struct cty_value *state, const cJSON *input)
{
    const char *first = cs_str(cs_first(input, "sources"), "url");
    const char *second = cs_str(cJSON_GetArrayItem(cs_get(input, "sources"), 1), "url");
    const char *known = cty_attr_string(state, "pull_url_pipeline1");
    if (second && known && strcmp(second, known) == 0)
        return 0;
    if (second && first && strcmp(second, first) == 0)
        second = NULL;
    return resource_set_string(state, "pull_url_pipeline1", second);
}

int channel_state_from_input(struct cty_value *state, const cJSON *input)
{
    const cJSON *source = cs_first(input, "sources");
    if (cs_pull_url_pipeline1(state, input) != 0 ||
        resource_set_string(state, "input_device_id_pipeline1",
                            cs_str(cJSON_GetArrayItem(cs_get(input, "inputDevices"), 1), "id")) !=
            0)
        return -1;
    return resource_set_string(state, "input_type", cs_str(input, "type")) != 0 ||
                   resource_set_string(state, "input_security_group_id",
                                       cJSON_GetStringValue(cs_first(input, "securityGroups"))) != 0 ||
                   resource_set_string(state, "pull_url", cs_str(source, "url")) != 0 ||
                   resource_set_string(state, "pull_user", cs_str(source, "username")) != 0 ||
                   resource_set_string(state, "input_device_id",
                                       cs_str(cs_first(input, "inputDevices"), "id")) != 0 ||
                   cs_string_list(state, "input_endpoints", cs_get(input, "destinations"), "url") != 0
               ? -1
               : 0;
}

/* ---- security group ---- */

/* True when the state's list holds exactly the CIDRs of `rules` (any order). */
static bool cs_cidrs_same(const struct cty_value *list, const cJSON *rules)
{
    if (!list || !cty_value_is_wholly_known(list) || cty_value_is_null(list) ||
        cty_value_length(list) != (size_t)cJSON_GetArraySize(rules))
        return false;
    const cJSON *r;
    cJSON_ArrayForEach(r, rules) {
        const char *cidr = cs_str(r, "cidr");
        bool found = false;
        for (size_t i = 0; cidr && !found && i < cty_value_length(list); i++) {
            const char *s = cty_value_string(cty_value_index(list, i));
            found = s && strcmp(s, cidr) == 0;
        }
        if (!found)
            return false;
    }
    return true;
}

int channel_state_from_security_group(struct cty_value *state, const cJSON *group)
{
    const struct cty_value *old = cty_value_attr(state, "input_cidr");
    struct cty_type *t = cty_value_type(old);
    if (!group)
        return cty_object_set(state, "input_cidr", cty_null_new(t));
    const cJSON *rules = cs_get(group, "whitelistRules");
    if (cs_cidrs_same(old, rules))
        return 0;
    return cs_string_list(state, "input_cidr", rules, "cidr");
}
