/*
 * player.c - lsms_player: the stream's demo player, written into the
 * stream's own origin (an S3 bucket or a MediaStore container) under a
 * prefix the resource owns, so that the stream's CloudFront distribution
 * serves it from the stream's domain: same origin as the stream, no CORS,
 * nothing public beyond what the distribution already serves.
 *
 * The resource owns exactly the objects it writes (player_page.h): the page,
 * hls.js and hls.js's licence notice. Read compares each with what the
 * state recorded (its ETag, headers, and the SHA-256 of its bytes), so an
 * object changed or deleted out of band shows in the plan and the update
 * writes it back; delete removes those objects and nothing else.
 *
 * The file has two parts: the schema table, then the operations. The
 * objects are built by player_page.c, the calls made by player_api.c; the
 * identity and the list resource are player_identity.c and player_list.c
 * (player.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/sigv4.h"
#include "framework/resource.h"
#include "framework/schema.h"
#include "resources/common.h"
#include "resources/jobs.h"
#include "resources/player/player.h"
#include "resources/player/player_api.h"
#include "resources/player/player_assets.h"
#include "resources/player/player_page.h"
#include "resources/provider.h"
#include "util/buf.h"

/* ======================= schema ======================= */

#define PLAYER_DEFAULT_PREFIX "player/"
#define PLAYER_DEFAULT_STREAM_PATH "stream/index"
#define PLAYER_OBJECTS_TYPE                                                                    \
    "[\"map\",[\"object\",{\"sha256\":\"string\",\"etag\":\"string\","                          \
    "\"content_type\":\"string\",\"cache_control\":\"string\"}]]"

static const char *const player_url_schemes[] = {"https", "http", NULL};

static const struct schema_attribute player_attrs[] = {
    {.name = "bucket", .type = "string", .flags = SCHEMA_OPTIONAL | SCHEMA_REPLACE,
     .description = "Name of the S3 bucket the stream is in (`lsms_bucket.<name>.name`), in "
                    "the provider's region. Exactly one of `bucket` and `container_endpoint`. "
                    "Changing it replaces the player.",
     .validators = lsms_s3_bucket_name_validators},
    {.name = "container_endpoint", .type = "string", .flags = SCHEMA_OPTIONAL | SCHEMA_REPLACE,
     .description = "Data endpoint of the MediaStore container the stream is in "
                    "(`lsms_container.<name>.endpoint`). Exactly one of `bucket` and "
                    "`container_endpoint`. Changing it replaces the player.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_URL, .one_of = player_url_schemes}, {0}}},
    {.name = "prefix", .type = "string",
     .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED | SCHEMA_REPLACE,
     .default_json = "\"" PLAYER_DEFAULT_PREFIX "\"",
     .description = "Folder of the player's objects in the bucket or container, ending with "
                    "`/` (default `player/`). The resource owns the objects it writes there "
                    "(`objects`), not the folder: anything else in it is left alone. It must "
                    "not overlap the stream's folder, where MediaLive writes and segments "
                    "expire. Changing it replaces the player.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_REGEX,
          .regex = "^([A-Za-z0-9_~-][A-Za-z0-9_.~-]*/)+$",
          .message = "one or more folder names of letters, digits, '_', '.', '~' and '-' "
                     "(not starting with '.'), each followed by '/', such as player/"},
         {.kind = VALIDATE_LENGTH, .min = 2, .max = 512}, {0}}},
    {.name = "domain_name", .type = "string", .flags = SCHEMA_REQUIRED,
     .description = "Domain the page is served from: the distribution's "
                    "(`lsms_distribution.<name>.domain_name`) or one of its aliases. It makes "
                    "`url`; the page itself only uses paths, so it plays on any name of the "
                    "distribution.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_REGEX, .regex = "^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$",
          .message = "a domain name such as d111111abcdef8.cloudfront.net"},
         {.kind = VALIDATE_LENGTH, .min = 1, .max = 253}, {0}}},
    {.name = "title", .type = "string", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .default_json = "\"Live stream\"",
     .description = "Title of the page (default `Live stream`).",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_LENGTH, .min = 1, .max = 200}, {0}}},
    {.name = "stream_path", .type = "string", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .default_json = "\"" PLAYER_DEFAULT_STREAM_PATH "\"",
     .description = "Path of the stream in the origin without extension, as the channel and "
                    "the distribution have it (default `stream/index`): the page plays "
                    "`/<stream_path>.m3u8` from its own domain.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_REGEX, .regex = "^[A-Za-z0-9_.~-]+(/[A-Za-z0-9_.~-]+)*$",
          .message = "a relative path such as stream/index"},
         {.kind = VALIDATE_LENGTH, .min = 1, .max = 512}, {0}}},
    {.name = "channel_id", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "Id of the MediaLive channel (`lsms_channel.<name>.id`): the page names it "
                    "in the command that starts the channel when the stream is not running.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_REGEX, .regex = "^[A-Za-z0-9_-]+$",
          .message = "a MediaLive channel id such as 1234567"},
         {.kind = VALIDATE_LENGTH, .min = 1, .max = 64}, {0}}},
    {.name = "max_age_seconds", .type = "number", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .default_json = "60",
     .description = "`Cache-Control: max-age` of the page and the licence notice (default 60): "
                    "how long browsers and CloudFront may keep them, so an update of the page "
                    "shows within this time. hls.js, whose file name carries its version, is "
                    "kept for a day.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_INT_RANGE, .min = 0, .max = 86400}, {0}}},
    {.name = "id", .type = "string", .flags = SCHEMA_COMPUTED | SCHEMA_USE_STATE,
     .description = "Where the player is: `s3://<bucket>/<prefix>` or "
                    "`<container_endpoint>#<prefix>` (the import id)."},
    {.name = "url", .type = "string", .flags = SCHEMA_COMPUTED | SCHEMA_USE_STATE,
     .description = "The page: `https://<domain_name>/<prefix>index.html`."},
    {.name = "hls_js_version", .type = "string", .flags = SCHEMA_COMPUTED | SCHEMA_USE_STATE,
     .description = "Version of hls.js the page plays with (the npm package embedded in the "
                    "provider)."},
    {.name = "objects", .type = PLAYER_OBJECTS_TYPE, .flags = SCHEMA_COMPUTED | SCHEMA_USE_STATE,
     .description = "The objects the player owns, by key: the SHA-256 of their bytes, their "
                    "ETag, Content-Type and Cache-Control as the origin reports them. An object "
                    "changed or deleted out of band shows here in the plan, and the update "
                    "writes it back."},
    {0}};

static const struct schema player_schema = {
    .version = 0,
    .block = {.attributes = player_attrs,
              .description = "The stream's demo player: a page with hls.js (bundled in the "
                             "provider, no CDN), written into the stream's S3 bucket or "
                             "MediaStore container under `prefix`, so that the stream's own "
                             "CloudFront distribution serves it next to the stream (same "
                             "origin, no CORS, works with a private bucket behind an Origin "
                             "Access Control). It shows the stream, its renditions and the one "
                             "playing, the live latency, and why nothing plays when the "
                             "channel is not running or the stream is unreachable."},
};

/* ======================= helpers ======================= */

/* Config-shaped values (state or plan) whose inputs are all known. */
static bool player_inputs_known(const struct cty_value *v)
{
    static const char *const inputs[] = {"title", "stream_path", "channel_id", "domain_name",
                                         "max_age_seconds", "prefix"};
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        const struct cty_value *a = cty_value_attr(v, inputs[i]);
        if (!a || !cty_value_is_known(a))
            return false;
    }
    return true;
}

static struct player_page_params player_params_from(const struct cty_value *v)
{
    return (struct player_page_params){
        .title = cty_attr_string(v, "title"),
        .stream_path = cty_attr_string(v, "stream_path"),
        .channel_id = cty_attr_string(v, "channel_id"),
        .domain_name = cty_attr_string(v, "domain_name"),
        .max_age_seconds = cty_attr_int(v, "max_age_seconds", 60),
    };
}

/* "<prefix><name>", malloc'd or NULL. */
static char *player_key_new(const char *prefix, const char *name)
{
    struct buf b = {0};
    if (buf_printf(&b, "%s%s", prefix ? prefix : "", name) != 0) {
        buf_clean_up(&b);
        return NULL;
    }
    return b.data;
}

/* The id: "s3://<bucket>/<prefix>" or "<endpoint>#<prefix>". NULL when an
 * input is unknown or null, or out of memory. */
static char *player_id_new(const struct cty_value *v)
{
    const char *bucket = cty_attr_string(v, "bucket");
    const char *endpoint = cty_attr_string(v, "container_endpoint");
    const char *prefix = cty_attr_string(v, "prefix");
    struct buf b = {0};
    if (!prefix || (!bucket && !endpoint) ||
        (bucket ? buf_printf(&b, "s3://%s/%s", bucket, prefix)
                : buf_printf(&b, "%s#%s", endpoint, prefix)) != 0) {
        buf_clean_up(&b);
        return NULL;
    }
    return b.data;
}

static char *player_url_new(const struct cty_value *v)
{
    const char *domain = cty_attr_string(v, "domain_name");
    const char *prefix = cty_attr_string(v, "prefix");
    struct buf b = {0};
    if (!domain || !prefix ||
        buf_printf(&b, "https://%s/%s%s", domain, prefix, PLAYER_PAGE_NAME) != 0) {
        buf_clean_up(&b);
        return NULL;
    }
    return b.data;
}

/* One entry of `objects`: an object of the map's element type. etag NULL
 * with etag_unknown gives an unknown etag (the plan's "known after apply").
 * NULL when out of memory. */
static struct cty_value *player_entry_new(const struct cty_value *objects, const char *sha256,
                                          const char *etag, bool etag_unknown,
                                          const char *content_type, const char *cache_control)
{
    struct cty_type *elem = cty_type_element(cty_value_type(objects));
    struct cty_value *e = elem ? cty_object_new(elem) : NULL;
    if (!e)
        return NULL;
    struct cty_value *etag_v = etag_unknown ? cty_unknown_new(cty_type_string())
                               : etag       ? cty_string_new(etag)
                                            : cty_null_new(cty_type_string());
    if (resource_set_string(e, "sha256", sha256) != 0 || cty_object_set(e, "etag", etag_v) != 0 ||
        resource_set_string(e, "content_type", content_type) != 0 ||
        resource_set_string(e, "cache_control", cache_control) != 0) {
        cty_value_destroy(e);
        return NULL;
    }
    return e;
}

/* Entries of a map value that may be missing (NULL) or null. */
static size_t player_count(const struct cty_value *map)
{
    return map ? cty_value_length(map) : 0;
}

static bool player_str_eq(const char *a, const char *b)
{
    return a && b ? strcmp(a, b) == 0 : a == b;
}

/* True when the prior entry describes exactly this object. */
static bool player_entry_matches(const struct cty_value *entry, const struct player_object *o)
{
    return entry && cty_value_is_known(entry) && !cty_value_is_null(entry) &&
           player_str_eq(cty_attr_string(entry, "sha256"), o->sha256) &&
           player_str_eq(cty_attr_string(entry, "content_type"), o->content_type) &&
           player_str_eq(cty_attr_string(entry, "cache_control"), o->cache_control);
}

/* An empty value of the `objects` attribute's type. */
static struct cty_value *player_objects_empty(const struct cty_value *state)
{
    return cty_collection_new(cty_value_type(cty_value_attr(state, "objects")));
}

/* The origin of a state (borrowed strings). -1 when it names none. */
static int player_origin_of(struct lsms_provider_data *pd, const struct cty_value *v,
                            struct player_origin *o)
{
    *o = (struct player_origin){.client = pd->client,
                                .bucket = cty_attr_string(v, "bucket"),
                                .container_endpoint = cty_attr_string(v, "container_endpoint")};
    return o->bucket || o->container_endpoint ? 0 : -1;
}

/* ---- calls run together (resources/jobs.h) ---- */

/* "Cannot write player/index.html (PutObject)": a diagnostic's summary
 * naming the object and the AWS operation. */
static void player_summary(char *out, size_t size, const char *action,
                           const struct player_origin *o, const char *verb, const char *key)
{
    snprintf(out, size, "Cannot %s %s (%s)", action, key ? key : "the player's object",
             player_origin_operation(o, verb));
}

struct player_put {
    const struct player_origin *origin;
    char *key;
    const struct player_object *object;
    char *etag; /* the answer's, owned */
    bool done;
    char summary[160];
};

static int player_put_run(void *arg, struct aws_error *err)
{
    struct player_put *p = arg;
    int rc = player_origin_put(p->origin, p->key, p->object->body, p->object->len,
                               p->object->content_type, p->object->cache_control, &p->etag, err);
    p->done = rc == 0;
    return rc;
}

struct player_delete {
    const struct player_origin *origin;
    char *key;
    char summary[160];
};

static int player_delete_run(void *arg, struct aws_error *err)
{
    struct player_delete *d = arg;
    return player_origin_delete(d->origin, d->key, err);
}

struct player_read {
    const struct player_origin *origin;
    char *key;
    bool get; /* the bytes too */
    struct player_object_info info;
    char summary[160];
};

/* The job that makes read `r`. */
static struct resource_job player_read_job(struct player_read *r);

static int player_read_run(void *arg, struct aws_error *err)
{
    struct player_read *r = arg;
    return r->get ? player_origin_get(r->origin, r->key, &r->info, err)
                  : player_origin_head(r->origin, r->key, &r->info, err);
}

static struct resource_job player_read_job(struct player_read *r)
{
    player_summary(r->summary, sizeof r->summary, "read", r->origin, r->get ? "get" : "head",
                   r->key);
    return (struct resource_job){.run = player_read_run, .arg = r, .summary = r->summary};
}

static void player_jobs_clean_up(struct resource_job *jobs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        aws_error_clean_up(&jobs[i].err);
}

/* Writes the objects whose index is set in `which` (the page last, so it
 * never names a script that is not there yet). puts[i] records each result. */
static int player_write(const struct player_origin *o, const char *prefix,
                        const struct player_objects *objs, const bool *which,
                        struct player_put *puts, struct diags *d)
{
    struct resource_job jobs[PLAYER_OBJECT_COUNT] = {0};
    size_t n = 0;
    for (size_t i = 0; i < PLAYER_OBJECT_COUNT; i++) {
        puts[i] = (struct player_put){.origin = o, .object = &objs->items[i]};
        puts[i].key = player_key_new(prefix, objs->items[i].name);
        if (!puts[i].key) {
            resource_diag_oom(d);
            return -1;
        }
    }
    for (size_t i = 0; i < PLAYER_OBJECT_COUNT; i++)
        player_summary(puts[i].summary, sizeof puts[i].summary, "write", o, "put", puts[i].key);
    /* The scripts and the licence together, then the page. */
    for (size_t i = 1; i < PLAYER_OBJECT_COUNT; i++)
        if (which[i])
            jobs[n++] = (struct resource_job){.run = player_put_run, .arg = &puts[i],
                                              .summary = puts[i].summary};
    int rc = resource_jobs_run(jobs, n);
    if (rc == 0 && which[0]) {
        jobs[n] = (struct resource_job){.run = player_put_run, .arg = &puts[0],
                                        .summary = puts[0].summary};
        rc = resource_jobs_run(&jobs[n], 1);
        n++;
    }
    resource_jobs_diagnose(jobs, n, d);
    player_jobs_clean_up(jobs, n);
    return rc;
}

static void player_puts_clean_up(struct player_put *puts)
{
    for (size_t i = 0; i < PLAYER_OBJECT_COUNT; i++) {
        free(puts[i].key);
        free(puts[i].etag);
    }
}

/* Deletes `keys` (n of them) together. Each keys[i] whose delete failed is
 * kept in `left` (when non-NULL: set to true); diagnostics for each. */
static int player_delete_keys(const struct player_origin *o, char **keys, size_t n, bool *left,
                              struct diags *d)
{
    struct resource_job *jobs = calloc(n ? n : 1, sizeof *jobs);
    struct player_delete *dels = calloc(n ? n : 1, sizeof *dels);
    if (!jobs || !dels) {
        free(jobs);
        free(dels);
        resource_diag_oom(d);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        dels[i] = (struct player_delete){.origin = o, .key = keys[i]};
        player_summary(dels[i].summary, sizeof dels[i].summary, "delete", o, "delete", keys[i]);
        jobs[i] = (struct resource_job){.run = player_delete_run, .arg = &dels[i],
                                        .summary = dels[i].summary};
    }
    int rc = resource_jobs_run(jobs, n);
    for (size_t i = 0; left && i < n; i++)
        left[i] = jobs[i].rc != 0;
    resource_jobs_diagnose(jobs, n, d);
    player_jobs_clean_up(jobs, n);
    free(jobs);
    free(dels);
    return rc;
}

/* ======================= operations ======================= */

/* Exactly one origin; a prefix clear of the stream's folder. Judged on known
 * values only (`cond ? x : null` in a module is unknown until cond is). */
static void player_validate(const struct cty_value *config, struct diags *d)
{
    const struct cty_value *bucket = cty_value_attr(config, "bucket");
    const struct cty_value *endpoint = cty_value_attr(config, "container_endpoint");
    if (resource_value_given(bucket) && resource_value_given(endpoint))
        diags_error(d, "container_endpoint", "Conflicting arguments",
                    "Set either bucket (an S3 origin) or container_endpoint (a MediaStore "
                    "origin), not both: the player is written next to the stream, in its "
                    "origin.");
    else if (resource_value_absent(bucket) && resource_value_absent(endpoint))
        diags_error(d, NULL, "Missing required argument",
                    "Set bucket (an S3 origin) or container_endpoint (a MediaStore origin): "
                    "the player is written next to the stream, in its origin.");
    const char *prefix = cty_attr_string(config, "prefix");
    const char *stream = cty_attr_string(config, "stream_path");
    const struct cty_value *pv = cty_value_attr(config, "prefix");
    const struct cty_value *sv = cty_value_attr(config, "stream_path");
    if ((pv && !cty_value_is_known(pv)) || (sv && !cty_value_is_known(sv)))
        return;
    if (!prefix)
        prefix = PLAYER_DEFAULT_PREFIX;
    if (!stream)
        stream = PLAYER_DEFAULT_STREAM_PATH;
    /* The stream's folder: the stream path up to its last '/' ("" for a
     * stream at the top, which shares no folder with a prefix). */
    const char *slash = strrchr(stream, '/');
    size_t folder_len = slash ? (size_t)(slash - stream) + 1 : 0;
    size_t prefix_len = strlen(prefix);
    size_t common = prefix_len < folder_len ? prefix_len : folder_len;
    if (folder_len > 0 && strncmp(prefix, stream, common) == 0)
        diags_error(d, "prefix", "The player's prefix overlaps the stream",
                    "prefix \"%s\" and the stream's folder \"%.*s\" (of stream_path \"%s\") "
                    "lie in one another: MediaLive may write there and the origin's lifecycle "
                    "rules expire what is there. Use a folder of its own, such as player/.",
                    prefix, (int)folder_len, stream, stream);
}

/* The planned `objects`: every object of the arguments, its etag kept from
 * the prior state when the object there is exactly it (else known after
 * apply). Unknown while an argument is. */
static void player_plan_objects(const struct cty_value *prior, struct cty_value *planned)
{
    const struct cty_value *cur = cty_value_attr(planned, "objects");
    if (!cur || !player_inputs_known(planned)) {
        if (cur)
            (void)cty_object_set(planned, "objects", cty_unknown_new(cty_value_type(cur)));
        return;
    }
    struct player_page_params p = player_params_from(planned);
    struct player_objects objs = {0};
    struct cty_value *map = player_objects_empty(planned);
    const char *prefix = cty_attr_string(planned, "prefix");
    const struct cty_value *had = prior ? cty_value_attr(prior, "objects") : NULL;
    bool ok = map && player_objects_build(&p, &objs) == 0;
    for (size_t i = 0; ok && i < PLAYER_OBJECT_COUNT; i++) {
        const struct player_object *o = &objs.items[i];
        char *key = player_key_new(prefix, o->name);
        const struct cty_value *old = key ? cty_value_map_get(had, key) : NULL;
        const struct cty_value *old_etag = cty_value_attr(old, "etag");
        struct cty_value *e =
            player_entry_matches(old, o) && old_etag && cty_value_is_known(old_etag)
                ? cty_value_clone(old)
                : player_entry_new(map, o->sha256, NULL, true, o->content_type,
                                   o->cache_control);
        ok = key && e && cty_map_put(map, key, e) == 0;
        if (!ok && e && !key)
            cty_value_destroy(e);
        free(key);
    }
    player_objects_clean_up(&objs);
    if (ok)
        (void)cty_object_set(planned, "objects", map);
    else
        cty_value_destroy(map);
}

/* id, url and the hls.js version follow from the arguments, so the plan
 * shows them; so does every object's hash and headers. */
static void player_modify_plan(struct resource_ctx *ctx, const struct cty_value *prior,
                               const struct cty_value *config, struct cty_value *planned)
{
    (void)ctx;
    (void)config;
    char *id = player_id_new(planned);
    if (id)
        (void)resource_set_string(planned, "id", id);
    free(id);
    char *url = player_url_new(planned);
    const struct cty_value *domain = cty_value_attr(planned, "domain_name");
    if (url)
        (void)resource_set_string(planned, "url", url);
    else if (domain && !cty_value_is_known(domain))
        (void)cty_object_set(planned, "url", cty_unknown_new(cty_type_string()));
    free(url);
    (void)resource_set_string(planned, "hls_js_version", player_hls_js_version);
    player_plan_objects(prior, planned);
}

/* state.objects from what was written: each written object with its new
 * etag, and (after a failure) each object the prior state had and that was
 * not rewritten. 0 or -1 (memory). */
static int player_record(struct cty_value *state, const struct cty_value *prior,
                         const struct player_objects *objs, const struct player_put *puts,
                         const bool *written_ok)
{
    struct cty_value *map = player_objects_empty(state);
    const struct cty_value *had = prior ? cty_value_attr(prior, "objects") : NULL;
    if (!map)
        return -1;
    for (size_t i = 0; i < player_count(had); i++) {
        const char *k = cty_value_map_key(had, i);
        struct cty_value *e = cty_value_clone(cty_value_index(had, i));
        if (!e || cty_map_put(map, k, e) != 0)
            goto oom;
    }
    for (size_t i = 0; i < PLAYER_OBJECT_COUNT; i++) {
        if (!written_ok[i])
            continue;
        const struct player_object *o = &objs->items[i];
        struct cty_value *e =
            player_entry_new(map, o->sha256, puts[i].etag, false, o->content_type,
                             o->cache_control);
        if (!e || cty_map_put(map, puts[i].key, e) != 0)
            goto oom;
    }
    return cty_object_set(state, "objects", map);
oom:
    cty_value_destroy(map);
    return -1;
}

/* id, url (null without a domain_name, as an odd imported page may have)
 * and the hls.js version. 0 or -1 (memory). */
static int player_set_identity(struct cty_value *state)
{
    char *id = player_id_new(state);
    char *url = player_url_new(state);
    int rc = !id || resource_set_string(state, "id", id) != 0 ||
                     resource_set_string(state, "url", url) != 0 ||
                     resource_set_string(state, "hls_js_version", player_hls_js_version) != 0
                 ? -1
                 : 0;
    free(id);
    free(url);
    return rc;
}

static enum resource_result player_create(struct resource_ctx *ctx,
                                          const struct cty_value *config,
                                          struct cty_value *state)
{
    (void)config;
    struct lsms_provider_data *pd = resource_provider(ctx);
    struct player_origin origin;
    if (!pd || player_origin_of(pd, state, &origin) != 0)
        return RESOURCE_ERROR;
    const char *prefix = cty_attr_string(state, "prefix");
    struct player_page_params p = player_params_from(state);
    struct player_objects objs = {0};
    struct player_put puts[PLAYER_OBJECT_COUNT] = {0};
    enum resource_result res = RESOURCE_ERROR;
    if (player_objects_build(&p, &objs) != 0) {
        resource_diag_oom(ctx->diags);
        goto done;
    }
    const bool all[PLAYER_OBJECT_COUNT] = {true, true, true};
    if (player_write(&origin, prefix, &objs, all, puts, ctx->diags) == 0) {
        bool ok[PLAYER_OBJECT_COUNT] = {true, true, true};
        if (player_set_identity(state) != 0 || player_record(state, NULL, &objs, puts, ok) != 0)
            resource_diag_oom(ctx->diags);
        else
            res = RESOURCE_OK;
        goto done;
    }
    /* Nothing half-made is left behind: what was written is deleted again,
     * and what cannot be deleted is returned for the client to track. */
    char *keys[PLAYER_OBJECT_COUNT];
    size_t n = 0, idx[PLAYER_OBJECT_COUNT];
    for (size_t i = 0; i < PLAYER_OBJECT_COUNT; i++)
        if (puts[i].done) {
            idx[n] = i;
            keys[n++] = puts[i].key;
        }
    bool left[PLAYER_OBJECT_COUNT] = {false};
    if (n == 0 || player_delete_keys(&origin, keys, n, left, ctx->diags) == 0)
        goto done;
    bool kept[PLAYER_OBJECT_COUNT] = {false};
    for (size_t j = 0; j < n; j++)
        kept[idx[j]] = left[j];
    if (player_set_identity(state) == 0 && player_record(state, NULL, &objs, puts, kept) == 0)
        res = RESOURCE_PARTIAL;
done:
    player_puts_clean_up(puts);
    player_objects_clean_up(&objs);
    return res;
}

/* ---- read ---- */

/* The keys read compares: the state's objects, or (after import, when it
 * has none) the objects this provider writes. The page is always among them
 * and always read whole: it is small, it tells a missing bucket from a
 * missing key, and import takes the arguments from it. */
static int player_read_plan(const struct cty_value *state, struct player_read **out, size_t *n)
{
    const struct cty_value *had = cty_value_attr(state, "objects");
    const char *prefix = cty_attr_string(state, "prefix");
    size_t cap = player_count(had) + PLAYER_OBJECT_COUNT;
    struct player_read *reads = calloc(cap, sizeof *reads);
    *out = reads;
    *n = 0;
    if (!reads || !prefix)
        return -1;
    const char *names[PLAYER_OBJECT_COUNT] = {PLAYER_PAGE_NAME, player_hls_js_name(),
                                              PLAYER_LICENCE_NAME};
    bool imported = !had || cty_value_is_null(had) || !cty_value_is_known(had);
    for (size_t i = 0; i < (imported ? PLAYER_OBJECT_COUNT : 1); i++)
        if (!(reads[(*n)++].key = player_key_new(prefix, names[i])))
            return -1;
    for (size_t i = 0; !imported && i < player_count(had); i++) {
        const char *k = cty_value_map_key(had, i);
        if (strcmp(k, reads[0].key) == 0)
            continue;
        if (!(reads[(*n)++].key = strdup(k)))
            return -1;
    }
    return 0;
}

static void player_reads_clean_up(struct player_read *reads, size_t n)
{
    for (size_t i = 0; reads && i < n; i++) {
        free(reads[i].key);
        player_object_info_clean_up(&reads[i].info);
    }
    free(reads);
}

/* Import: the arguments the page was written with. -1 with a diagnostic
 * when the page is not one lsms_player writes. */
static int player_adopt_page(struct cty_value *state, const struct player_read *page,
                             struct diags *d)
{
    struct player_page_config c;
    if (player_page_config_read(page->info.body.data, page->info.body.len, &c) != 0) {
        diags_error(d, NULL, "Not a player lsms_player wrote",
                    "%s has no player configuration (its <script id=\"lsms-player-config\"> "
                    "block), so the player's arguments cannot be recovered from it.",
                    page->key);
        return -1;
    }
    int rc = resource_set_string(state, "title", c.title) |
             resource_set_string(state, "stream_path", c.stream_path) |
             resource_set_string(state, "channel_id", c.channel_id) |
             resource_set_string(state, "domain_name", c.domain_name) |
             resource_set_int(state, "max_age_seconds",
                              c.max_age_seconds >= 0 ? c.max_age_seconds : 60);
    player_page_config_clean_up(&c);
    if (rc != 0)
        resource_diag_oom(d);
    return rc ? -1 : 0;
}

static enum resource_result player_read(struct resource_ctx *ctx, struct cty_value *state,
                                        bool *gone)
{
    struct lsms_provider_data *pd = resource_provider(ctx);
    struct player_origin origin;
    if (!pd || player_origin_of(pd, state, &origin) != 0)
        return RESOURCE_ERROR;
    const struct cty_value *had_v = cty_value_attr(state, "objects");
    struct cty_value *had = had_v ? cty_value_clone(had_v) : NULL;
    bool imported = !had || cty_value_is_null(had) || !cty_value_is_known(had);
    struct player_read *reads = NULL;
    size_t n = 0;
    struct resource_job *jobs = NULL;
    struct cty_value *map = NULL;
    enum resource_result res = RESOURCE_ERROR;
    if (player_read_plan(state, &reads, &n) != 0 || !(jobs = calloc(n, sizeof *jobs)) ||
        !(map = player_objects_empty(state)))
        goto oom;
    /* Round 1: the page whole, the others' metadata (whole after import). */
    for (size_t i = 0; i < n; i++) {
        reads[i].origin = &origin;
        reads[i].get = i == 0 || imported;
        jobs[i] = player_read_job(&reads[i]);
    }
    int rc = resource_jobs_run(jobs, n);
    for (size_t i = 0; rc != 0 && i < n; i++)
        if (jobs[i].rc != 0 && player_origin_is_gone(&jobs[i].err)) {
            /* The bucket or container is gone, and the objects with it. */
            *gone = true;
            res = RESOURCE_OK;
            goto done;
        }
    if (rc != 0) {
        resource_jobs_diagnose(jobs, n, ctx->diags);
        goto done;
    }
    if (imported && !reads[0].info.found) {
        *gone = true; /* nothing to import there */
        res = RESOURCE_OK;
        goto done;
    }
    if (imported && player_adopt_page(state, &reads[0], ctx->diags) != 0)
        goto done;
    /* Round 2: an object whose metadata differs from the state's record is
     * read whole, so the plan knows its bytes' hash. */
    player_jobs_clean_up(jobs, n);
    size_t again = 0;
    for (size_t i = 1; i < n; i++) {
        const struct cty_value *old = cty_value_map_get(had, reads[i].key);
        const struct player_object_info *info = &reads[i].info;
        if (!info->found || reads[i].get)
            continue;
        if (old && player_str_eq(cty_attr_string(old, "etag"), info->etag) &&
            player_str_eq(cty_attr_string(old, "content_type"), info->content_type) &&
            player_str_eq(cty_attr_string(old, "cache_control"), info->cache_control))
            continue;
        player_object_info_clean_up(&reads[i].info);
        reads[i].get = true;
        jobs[again++] = player_read_job(&reads[i]);
    }
    if (resource_jobs_run(jobs, again) != 0) {
        resource_jobs_diagnose(jobs, again, ctx->diags);
        player_jobs_clean_up(jobs, again);
        goto done;
    }
    player_jobs_clean_up(jobs, again);
    for (size_t i = 0; i < n; i++) {
        const struct player_object_info *info = &reads[i].info;
        if (!info->found)
            continue; /* deleted out of band: the plan writes it again */
        struct cty_value *e;
        if (reads[i].get) {
            char sha[65];
            sigv4_sha256_hex(info->body.data ? info->body.data : "", info->body.len, sha);
            e = player_entry_new(map, sha, info->etag, false, info->content_type,
                                 info->cache_control);
        } else {
            e = cty_value_clone(cty_value_map_get(had, reads[i].key));
        }
        if (!e || cty_map_put(map, reads[i].key, e) != 0)
            goto oom;
    }
    if (cty_object_set(state, "objects", map) != 0) {
        map = NULL;
        goto oom;
    }
    map = NULL;
    if (player_set_identity(state) != 0)
        goto oom;
    res = RESOURCE_OK;
    goto done;
oom:
    resource_diag_oom(ctx->diags);
done:
    if (jobs)
        player_jobs_clean_up(jobs, n);
    free(jobs);
    player_reads_clean_up(reads, n);
    cty_value_destroy(map);
    cty_value_destroy(had);
    return res;
}

/* ---- update ---- */

static enum resource_result player_update(struct resource_ctx *ctx,
                                          const struct cty_value *prior,
                                          const struct cty_value *config,
                                          struct cty_value *state)
{
    (void)config;
    struct lsms_provider_data *pd = resource_provider(ctx);
    struct player_origin origin;
    if (!pd || player_origin_of(pd, state, &origin) != 0)
        return RESOURCE_ERROR;
    const char *prefix = cty_attr_string(state, "prefix");
    const struct cty_value *had = cty_value_attr(prior, "objects");
    struct player_page_params p = player_params_from(state);
    struct player_objects objs = {0};
    struct player_put puts[PLAYER_OBJECT_COUNT] = {0};
    char **stale = NULL;
    bool *left = NULL;
    size_t n_stale = 0;
    enum resource_result res = RESOURCE_ERROR;
    if (player_objects_build(&p, &objs) != 0)
        goto oom;
    /* Write what differs from the prior state (which read refreshed). */
    bool which[PLAYER_OBJECT_COUNT] = {false};
    for (size_t i = 0; i < PLAYER_OBJECT_COUNT; i++) {
        char *key = player_key_new(prefix, objs.items[i].name);
        if (!key)
            goto oom;
        which[i] = !player_entry_matches(cty_value_map_get(had, key), &objs.items[i]);
        free(key);
    }
    int wrote = player_write(&origin, prefix, &objs, which, puts, ctx->diags);
    bool ok[PLAYER_OBJECT_COUNT];
    for (size_t i = 0; i < PLAYER_OBJECT_COUNT; i++)
        ok[i] = puts[i].done;
    /* Then delete what the prior state had and the new one has not (an
     * older hls.js), once the page that named it is replaced. */
    size_t n_had = player_count(had);
    stale = calloc(n_had + 1, sizeof *stale);
    left = calloc(n_had + 1, sizeof *left);
    if (!stale || !left)
        goto oom;
    for (size_t i = 0; wrote == 0 && i < n_had; i++) {
        const char *k = cty_value_map_key(had, i);
        bool wanted = false;
        for (size_t j = 0; j < PLAYER_OBJECT_COUNT; j++)
            wanted |= puts[j].key && strcmp(puts[j].key, k) == 0;
        if (!wanted)
            stale[n_stale++] = (char *)k;
    }
    int deleted = n_stale ? player_delete_keys(&origin, stale, n_stale, left, ctx->diags) : 0;
    /* The state: the prior objects minus what was deleted, plus what was
     * written. */
    struct cty_value *base = cty_value_clone(prior);
    struct cty_value *kept = base ? player_objects_empty(state) : NULL;
    for (size_t i = 0; kept && i < n_had; i++) {
        const char *k = cty_value_map_key(had, i);
        bool removed = false;
        for (size_t j = 0; j < n_stale; j++)
            removed |= strcmp(stale[j], k) == 0 && !left[j];
        if (removed)
            continue;
        struct cty_value *e = cty_value_clone(cty_value_index(had, i));
        if (!e || cty_map_put(kept, k, e) != 0) {
            cty_value_destroy(kept);
            kept = NULL;
        }
    }
    if (!kept || cty_object_set(base, "objects", kept) != 0 ||
        player_record(state, base, &objs, puts, ok) != 0 || player_set_identity(state) != 0) {
        cty_value_destroy(base);
        goto oom;
    }
    cty_value_destroy(base);
    res = wrote == 0 && deleted == 0 ? RESOURCE_OK : RESOURCE_PARTIAL;
    goto done;
oom:
    resource_diag_oom(ctx->diags);
done:
    free(stale);
    free(left);
    player_puts_clean_up(puts);
    player_objects_clean_up(&objs);
    return res;
}

/* ---- delete ---- */

/* The objects of the state, and those this provider writes (a state that
 * recorded none, after a failed create): only keys the resource owns. */
static enum resource_result player_delete(struct resource_ctx *ctx, const struct cty_value *prior)
{
    struct lsms_provider_data *pd = resource_provider(ctx);
    struct player_origin origin;
    if (!pd || player_origin_of(pd, prior, &origin) != 0)
        return RESOURCE_ERROR;
    const struct cty_value *had = cty_value_attr(prior, "objects");
    const char *prefix = cty_attr_string(prior, "prefix");
    size_t cap = player_count(had) + PLAYER_OBJECT_COUNT, n = 0;
    char **keys = calloc(cap, sizeof *keys);
    enum resource_result res = RESOURCE_ERROR;
    if (!keys || !prefix)
        goto oom;
    const char *names[PLAYER_OBJECT_COUNT] = {PLAYER_PAGE_NAME, player_hls_js_name(),
                                              PLAYER_LICENCE_NAME};
    for (size_t i = 0; i < PLAYER_OBJECT_COUNT; i++)
        if (!(keys[n++] = player_key_new(prefix, names[i])))
            goto oom;
    for (size_t i = 0; i < player_count(had); i++) {
        const char *k = cty_value_map_key(had, i);
        bool seen = false;
        for (size_t j = 0; j < n; j++)
            seen |= strcmp(keys[j], k) == 0;
        if (!seen && !(keys[n++] = strdup(k)))
            goto oom;
    }
    if (player_delete_keys(&origin, keys, n, NULL, ctx->diags) == 0)
        res = RESOURCE_OK;
    goto done;
oom:
    resource_diag_oom(ctx->diags);
done:
    for (size_t i = 0; keys && i < n; i++)
        free(keys[i]);
    free(keys);
    return res;
}

/* ---- import ---- */

/* "s3://<bucket>/<prefix>" or "<container endpoint>#<prefix>" (player.h). */
enum resource_result player_import(struct resource_ctx *ctx, const char *id,
                                   struct cty_value *state)
{
    char *copy = strdup(id);
    char *origin = NULL, *prefix = NULL;
    bool s3 = copy && strncmp(copy, "s3://", 5) == 0;
    if (!copy) {
        resource_diag_oom(ctx->diags);
        return RESOURCE_ERROR;
    }
    if (s3) {
        origin = copy + 5;
        char *slash = strchr(origin, '/');
        if (slash) {
            *slash = '\0';
            prefix = slash + 1;
        }
    } else {
        char *hash = strrchr(copy, '#');
        if (hash) {
            *hash = '\0';
            origin = copy;
            prefix = hash + 1;
        }
    }
    size_t plen = prefix ? strlen(prefix) : 0;
    if (!origin || !*origin || plen < 2 || prefix[plen - 1] != '/' ||
        (!s3 && strncmp(origin, "https://", 8) != 0 && strncmp(origin, "http://", 7) != 0)) {
        diags_error(ctx->diags, NULL, "Invalid import id",
                    "\"%s\" does not name a player: use s3://<bucket>/<prefix> for a player "
                    "in an S3 bucket (s3://live-origin/player/), or <container endpoint>#"
                    "<prefix> for one in a MediaStore container "
                    "(https://abc.data.mediastore.us-east-1.amazonaws.com#player/).",
                    id);
        free(copy);
        return RESOURCE_ERROR;
    }
    int rc = resource_set_string(state, s3 ? "bucket" : "container_endpoint", origin) |
             resource_set_string(state, "prefix", prefix) | resource_set_string(state, "id", id);
    free(copy);
    if (rc != 0) {
        resource_diag_oom(ctx->diags);
        return RESOURCE_ERROR;
    }
    return RESOURCE_OK;
}

const struct lsms_resource lsms_player_resource = {
    .type_name = "lsms_player",
    .schema = &player_schema,
    .validate = player_validate,
    .modify_plan = player_modify_plan,
    .create = player_create,
    .read = player_read,
    .update = player_update,
    .delete = player_delete,
    .import = player_import,
    .upgrade_state = NULL,         /* schema version 0: nothing to upgrade */
    .identity = &player_identity, /* player_identity.c */
    .list = &player_list,         /* player_list.c */
};
