/*
 * distribution_list.c - list resource lsms_distribution (list.h): the
 * account's CloudFront distributions that have the shape of a stream's
 * distribution (one origin, a `*.m3u8` behaviour for the manifests), the
 * ones lsms_distribution can import; an account holds distributions of
 * every kind, whose import would read values its schema cannot hold.
 *
 * ListDistributions (paginated by Marker) gives each one's origin and cache
 * behaviours, so the shape and the origin_bucket filter cost no call of
 * their own; the tags filter reads each one's tags (ListTagsForResource).
 * CloudFront is global: every distribution of the account is looked at.
 */
#include <stdlib.h>
#include <string.h>

#include "aws/message.h"
#include "aws/protocol_rest_xml.h"
#include "framework/list.h"
#include "resources/common.h"
#include "resources/distribution/distribution.h"
#include "resources/distribution/distribution_s3.h"
#include "resources/distribution/distribution_summary.h"
#include "resources/listing.h"
#include "util/buf.h"

/* ListDistributions answers at most 100 per page (MaxItems). */
#define DISTRIBUTION_LIST_PAGE 100

static const struct schema_attribute distribution_list_attrs[] = {
    {.name = "origin_bucket", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "Only distributions whose origin is this S3 bucket (through its regional "
                    "domain, as `lsms_distribution.origin_bucket`).",
     .validators = lsms_bucket_name_validators},
    {.name = "comment_prefix", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "Only distributions whose comment starts with this."},
    LSMS_LIST_TAGS_ATTR("distributions"),
    {0}};

static const struct schema distribution_list_schema = {
    .version = 0,
    .block = {.attributes = distribution_list_attrs,
              .description = "The account's CloudFront distributions shaped as a stream's "
                             "(one origin, a `*.m3u8` cache behaviour): the ones "
                             "lsms_distribution can import."}};

/* Whether the summary passes the filters that need no call. */
static bool distribution_list_wanted(const struct cty_value *config,
                                     const struct distribution_summary *s)
{
    if (!distribution_summary_is_stream(s))
        return false;
    const char *prefix = cty_attr_string(config, "comment_prefix");
    if (prefix && (!s->comment || strncmp(s->comment, prefix, strlen(prefix)) != 0))
        return false;
    const char *bucket = cty_attr_string(config, "origin_bucket");
    if (!bucket)
        return true;
    char *b = NULL, *region = NULL;
    bool same = distribution_s3_origin_domain_parse(s->origin_domain, &b, &region) == 0 &&
                strcmp(b, bucket) == 0;
    free(b);
    free(region);
    return same;
}

/* 1 when the distribution's tags hold the filter's, 0 when not, -1 on error. */
static int distribution_list_tags_match(struct resource_ctx *ctx, struct aws_client *c,
                                        const struct cty_value *config, const char *arn)
{
    struct aws_error err = {0};
    struct cty_value *tags = arn ? distribution_tags_list(c, arn, &err) : NULL;
    if (!tags && arn) {
        bool gone = aws_error_is(&err, "NoSuchResource") || aws_error_is(&err, "NoSuchDistribution");
        if (!gone)
            resource_diag_aws(ctx->diags, "tags", "Cannot read the distribution's tags", &err);
        aws_error_clean_up(&err);
        return gone ? 0 : -1;
    }
    int match = listing_tags_match(config, tags) ? 1 : 0;
    cty_value_destroy(tags);
    return match;
}

static int distribution_list_emit(struct resource_ctx *ctx, struct list_results *out,
                                  const struct distribution_summary *s)
{
    /* The display name: the domain viewers use, then the comment. */
    struct buf name = {0};
    buf_printf(&name, "%s%s%s%s", s->domain_name ? s->domain_name : s->id,
               s->comment && *s->comment ? " (" : "", s->comment ? s->comment : "",
               s->comment && *s->comment ? ")" : "");
    int rc = listing_emit_imported(ctx, out, distribution_import, s->id, name.data);
    buf_clean_up(&name);
    return rc;
}

static enum resource_result distribution_list_run(struct resource_ctx *ctx,
                                                  const struct cty_value *config,
                                                  struct list_results *out)
{
    struct lsms_provider_data *pd = resource_provider(ctx);
    if (!pd)
        return RESOURCE_ERROR;
    char *marker = NULL;
    struct buf q = {0};
    int stop = 0;
    do {
        struct aws_rest_xml_output answer = {0};
        struct aws_error err = {0};
        struct distribution_summary_page page = {0};
        buf_reset(&q);
        if (buf_printf(&q, "MaxItems=%d", DISTRIBUTION_LIST_PAGE) != 0 ||
            (marker && (buf_append_str(&q, "&Marker=") != 0 ||
                        aws_uri_encode(&q, marker, strlen(marker), 0) != 0))) {
            resource_diag_oom(ctx->diags);
            stop = -1;
            break;
        }
        free(marker);
        marker = NULL;
        if (distribution_cloudfront_call(pd->client, "ListDistributions", "GET", "distribution",
                                         NULL, NULL, q.data, NULL, NULL, 0, &answer, &err) != 0) {
            resource_diag_aws(ctx->diags, NULL, "Cannot list the CloudFront distributions",
                              &err);
            aws_error_clean_up(&err);
            aws_rest_xml_output_clean_up(&answer);
            stop = -1;
            break;
        }
        if (distribution_summary_page_read(answer.doc, &page) != 0) {
            resource_diag_oom(ctx->diags);
            stop = -1;
        }
        aws_rest_xml_output_clean_up(&answer);
        for (size_t i = 0; stop == 0 && i < page.n; i++) {
            const struct distribution_summary *s = &page.items[i];
            if (!distribution_list_wanted(config, s))
                continue;
            int match = listing_filters_tags(config)
                            ? distribution_list_tags_match(ctx, pd->client, config, s->arn)
                            : 1;
            stop = match < 0 ? -1 : match > 0 ? distribution_list_emit(ctx, out, s) : 0;
        }
        if (stop == 0 && page.next_marker) {
            marker = page.next_marker;
            page.next_marker = NULL;
        }
        distribution_summary_page_clean_up(&page);
    } while (stop == 0 && marker);
    free(marker);
    buf_clean_up(&q);
    return stop < 0 ? RESOURCE_ERROR : RESOURCE_OK;
}

const struct resource_list distribution_list = {
    .config_schema = &distribution_list_schema,
    .list = distribution_list_run,
};
