/*
 * bucket_list.c - list resource lsms_bucket (list.h): the S3 buckets of the
 * provider's region (ListBuckets with bucket-region, paginated by
 * continuation token; the name prefix is S3's own prefix parameter).
 *
 * Buckets whose name lsms_bucket cannot manage (dots, which MediaLive
 * cannot write to; upper case or '_' of legacy buckets) are left out: their
 * import would be refused. The tags filter reads each bucket's tags
 * (GetBucketTagging), one call per bucket. Each bucket is emitted as import
 * by name seeds it, with its region.
 */
#include <stdlib.h>
#include <string.h>

#include "aws/message.h"
#include "framework/list.h"
#include "resources/bucket/bucket.h"
#include "resources/bucket/bucket_api.h"
#include "resources/bucket/bucket_xml.h"
#include "resources/common.h"
#include "resources/listing.h"
#include "util/buf.h"

/* ListBuckets answers up to this many per page when max-buckets is sent
 * (1 to 10000). */
#define BUCKET_LIST_PAGE 1000

static const struct schema_attribute bucket_list_attrs[] = {
    LSMS_LIST_NAME_PREFIX_ATTR("buckets"),
    LSMS_LIST_TAGS_ATTR("buckets"),
    {0}};

static const struct schema bucket_list_schema = {
    .version = 0,
    .block = {.attributes = bucket_list_attrs,
              .description = "The S3 buckets of the provider's region whose names lsms_bucket "
                             "can manage (no dots, as MediaLive requires)."}};

/* "bucket-region=<r>&max-buckets=N[&continuation-token=T][&prefix=P]". */
static int bucket_list_query(struct buf *q, const char *region, const char *token,
                             const char *prefix)
{
    buf_reset(q);
    int rc = buf_append_str(q, "bucket-region=") || aws_uri_encode(q, region, strlen(region), 0) ||
             buf_printf(q, "&max-buckets=%d", BUCKET_LIST_PAGE);
    if (rc == 0 && token)
        rc = buf_append_str(q, "&continuation-token=") || aws_uri_encode(q, token, strlen(token), 0);
    if (rc == 0 && prefix)
        rc = buf_append_str(q, "&prefix=") || aws_uri_encode(q, prefix, strlen(prefix), 0);
    return rc ? -1 : 0;
}

/* Whether the bucket's tags hold the filter's: GetBucketTagging (no tag
 * set: none). 1 yes, 0 no, -1 with a diagnostic. */
static int bucket_list_tags_match(struct resource_ctx *ctx, struct aws_client *c,
                                  const struct cty_value *config,
                                  const struct bucket_list_item *b)
{
    struct bucket_api_request req = {.operation = "GetBucketTagging", .bucket = b->name,
                                     .region = b->region, .query = "tagging"};
    xmlDoc *doc = NULL;
    struct aws_error err = {0};
    if (bucket_api_call(c, &req, &doc, NULL, &err) != 0) {
        bool none = aws_error_is(&err, "NoSuchTagSet");
        bool gone = bucket_api_is_gone(&err);
        if (!none && !gone)
            resource_diag_aws(ctx->diags, "tags", "Cannot read the bucket's tags", &err);
        aws_error_clean_up(&err);
        return none || gone ? 0 : -1; /* no tags (or no bucket): the filter is not met */
    }
    struct cty_type *t = cty_type_collection_new(CTY_MAP, cty_type_string());
    struct cty_value *tags = t ? bucket_xml_tags_read(doc, t) : NULL;
    cty_type_release(t);
    xmlFreeDoc(doc);
    if (!tags) {
        resource_diag_oom(ctx->diags);
        return -1;
    }
    int match = listing_tags_match(config, tags) ? 1 : 0;
    cty_value_destroy(tags);
    return match;
}

/* Emits one bucket. 0 to go on, 1 to stop, -1 on error. */
static int bucket_list_emit(struct resource_ctx *ctx, struct list_results *out,
                            const struct bucket_list_item *b, const char *region)
{
    struct cty_value *seed = list_results_state_new(out);
    if (!seed) {
        resource_diag_oom(ctx->diags);
        return -1;
    }
    if (bucket_import(ctx, b->name, seed) != RESOURCE_OK ||
        resource_set_string(seed, "region", b->region ? b->region : region) != 0) {
        if (!diags_has_error(ctx->diags))
            resource_diag_oom(ctx->diags);
        cty_value_destroy(seed);
        return -1;
    }
    return list_results_emit(out, seed, LIST_STATE_SEED, b->name);
}

static enum resource_result bucket_list_run(struct resource_ctx *ctx,
                                            const struct cty_value *config,
                                            struct list_results *out)
{
    struct lsms_provider_data *pd = resource_provider(ctx);
    if (!pd)
        return RESOURCE_ERROR;
    const char *prefix = cty_attr_string(config, "name_prefix");
    struct buf q = {0};
    char *token = NULL;
    int stop = 0;
    do {
        xmlDoc *doc = NULL;
        struct aws_error err = {0};
        struct bucket_list_page page = {0};
        if (bucket_list_query(&q, pd->region, token, prefix) != 0) {
            resource_diag_oom(ctx->diags);
            stop = -1;
            break;
        }
        struct bucket_api_request req = {.operation = "ListBuckets", .query = q.data};
        if (bucket_api_call(pd->client, &req, &doc, NULL, &err) != 0) {
            resource_diag_aws(ctx->diags, NULL, "Cannot list the S3 buckets", &err);
            aws_error_clean_up(&err);
            stop = -1;
            break;
        }
        free(token);
        token = NULL;
        if (bucket_xml_list_page_read(doc, &page) != 0) {
            resource_diag_oom(ctx->diags);
            stop = -1;
        }
        xmlFreeDoc(doc);
        for (size_t i = 0; stop == 0 && i < page.n; i++) {
            const struct bucket_list_item *b = &page.items[i];
            /* S3 filtered by region and prefix already; an older S3 (or an
             * emulator) that ignores the parameters is filtered here. */
            if ((b->region && strcmp(b->region, pd->region) != 0) ||
                !listing_name_matches(config, b->name) || lsms_bucket_name_problem(b->name))
                continue;
            int match = listing_filters_tags(config)
                            ? bucket_list_tags_match(ctx, pd->client, config, b)
                            : 1;
            if (match < 0)
                stop = -1;
            else if (match > 0)
                stop = bucket_list_emit(ctx, out, b, pd->region);
        }
        if (stop == 0 && page.continuation_token) {
            token = page.continuation_token;
            page.continuation_token = NULL;
        }
        bucket_xml_list_page_clean_up(&page);
    } while (stop == 0 && token);
    free(token);
    buf_clean_up(&q);
    return stop < 0 ? RESOURCE_ERROR : RESOURCE_OK;
}

const struct resource_list bucket_list = {
    .config_schema = &bucket_list_schema,
    .list = bucket_list_run,
};
