/*
 * player_list.c - list resource lsms_player (list.h): the players written in
 * an S3 bucket, found by the objects they wrote. The bucket's keys are
 * walked (ListObjectsV2, paginated); each `<prefix>index.html` whose prefix
 * lsms_player accepts is read (GetObject), and it is a player when it
 * carries the configuration block lsms_player writes
 * (player_page_config_read): the page names its own arguments, so import
 * and the generated configuration get them back. Each player is emitted as
 * import by id seeds it (`s3://<bucket>/<prefix>`).
 *
 * The bucket is required: a player lives in the stream's origin, whose name
 * the user adopting it knows (the lsms_bucket list finds the buckets), and
 * walking every object of every bucket of an account to find pages is not
 * a cost a query should hide. MediaStore containers are not listed (the
 * service ended on 2025-11-13): a player in one imports by id or identity.
 */
#include <stdlib.h>
#include <string.h>

#include "framework/list.h"
#include "resources/common.h"
#include "resources/listing.h"
#include "resources/player/player.h"
#include "resources/player/player_api.h"
#include "resources/player/player_page.h"
#include "resources/provider.h"
#include "util/buf.h"

static const struct schema_attribute player_list_attrs[] = {
    {.name = "bucket", .type = "string", .flags = SCHEMA_REQUIRED,
     .description = "S3 bucket to look for players in (in the provider's region): the "
                    "stream's bucket.",
     .validators = lsms_s3_bucket_name_validators},
    {0}};

static const struct schema player_list_schema = {
    .version = 0,
    .block = {.attributes = player_list_attrs,
              .description = "The demo players written in an S3 bucket: each folder whose "
                             "`index.html` is a page lsms_player wrote (it carries its "
                             "configuration). Players in MediaStore containers are not "
                             "listed; import them by id or identity."}};

/* The prefix of a page key "<prefix>index.html", malloc'd, when that prefix
 * is one lsms_player accepts (folders of [A-Za-z0-9_.~-], none starting
 * with '.', each ending with '/'); NULL otherwise. */
static char *player_list_prefix_of(const char *key)
{
    size_t len = strlen(key), name = strlen(PLAYER_PAGE_NAME);
    if (len <= name || strcmp(key + len - name, PLAYER_PAGE_NAME) != 0)
        return NULL;
    size_t plen = len - name;
    if (plen < 2 || plen > 512 || key[plen - 1] != '/')
        return NULL;
    bool segment_start = true;
    for (size_t i = 0; i < plen; i++) {
        char c = key[i];
        if (c == '/') {
            if (segment_start)
                return NULL; /* an empty folder name */
            segment_start = true;
            continue;
        }
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '~' || c == '-' || (c == '.' && !segment_start);
        if (!ok)
            return NULL;
        segment_start = false;
    }
    return strndup(key, plen);
}

/* Emits the player whose page is `key`, if it is one. 0 to go on (emitted
 * or not a player), 1 when the list must stop (list_results_emit said so),
 * -1 with a diagnostic. */
static int player_list_consider(struct resource_ctx *ctx, struct list_results *out,
                                const struct player_origin *origin, const char *key)
{
    char *prefix = player_list_prefix_of(key);
    if (!prefix)
        return 0;
    struct player_object_info page = {0};
    struct aws_error err = {0};
    int rc = 0;
    if (player_origin_get(origin, key, &page, &err) != 0) {
        resource_diag_aws(ctx->diags, NULL, "Cannot read a page of the bucket (GetObject)",
                          &err);
        aws_error_clean_up(&err);
        rc = -1;
        goto done;
    }
    struct player_page_config config;
    if (!page.found || player_page_config_read(page.body.data, page.body.len, &config) != 0)
        goto done; /* gone since the listing, or not a page lsms_player wrote */
    player_page_config_clean_up(&config);
    struct buf id = {0};
    if (buf_printf(&id, "s3://%s/%s", origin->bucket, prefix) != 0) {
        resource_diag_oom(ctx->diags);
        rc = -1;
    } else {
        rc = listing_emit_imported(ctx, out, player_import, id.data, id.data);
    }
    buf_clean_up(&id);
done:
    player_object_info_clean_up(&page);
    free(prefix);
    return rc;
}

static enum resource_result player_list_run(struct resource_ctx *ctx,
                                            const struct cty_value *config,
                                            struct list_results *out)
{
    struct lsms_provider_data *pd = resource_provider(ctx);
    if (!pd)
        return RESOURCE_ERROR;
    struct player_origin origin = {.client = pd->client,
                                   .bucket = cty_attr_string(config, "bucket")};
    char *token = NULL;
    int stop = 0;
    do {
        struct player_key_page page = {0};
        struct aws_error err = {0};
        int rc = player_origin_list_page(&origin, token, &page, &err);
        free(token);
        token = NULL;
        if (rc != 0) {
            resource_diag_aws(ctx->diags, "bucket", "Cannot list the bucket's objects", &err);
            aws_error_clean_up(&err);
            stop = -1;
            break;
        }
        for (size_t i = 0; stop == 0 && i < page.n; i++)
            stop = player_list_consider(ctx, out, &origin, page.keys[i]);
        if (stop == 0 && page.next_token && !(token = strdup(page.next_token))) {
            resource_diag_oom(ctx->diags);
            stop = -1;
        }
        player_key_page_clean_up(&page);
    } while (stop == 0 && token);
    free(token);
    return stop < 0 ? RESOURCE_ERROR : RESOURCE_OK;
}

const struct resource_list player_list = {
    .config_schema = &player_list_schema,
    .list = player_list_run,
};
