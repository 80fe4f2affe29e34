/*
 * fuzz_list_pages - the readers of the AWS answers that list resources and
 * actions decode (issue 22): bucket_xml_list_page_read (a ListBuckets page,
 * lsms_bucket's list), distribution_summary_page_read (a ListDistributions
 * page, lsms_distribution's list), player_key_page_read (a ListObjectsV2
 * page, lsms_player's list) and distribution_invalidation_read (the
 * Invalidation document CreateInvalidation and GetInvalidation answer, the
 * invalidate action's wait).
 *
 * Input: the XML text, parsed once with aws_xml_parse as aws_rest_xml_call
 * parses an answer; every reader runs on that one document (whichever
 * document it is: a reader handed another operation's answer must read
 * nothing rather than misread it). Properties the list and the action rely
 * on:
 * - a ListBuckets page holds at most one item per <Bucket>, each with a
 *   non-empty name, and its continuation token is non-empty when set (the
 *   walk loops while it is);
 * - a ListDistributions page holds at most one summary per
 *   <DistributionSummary>, each with a non-empty id; the next marker is
 *   non-empty when set; a summary said to be a stream has exactly one
 *   origin with a domain;
 * - a ListObjectsV2 page holds at most one key per <Contents>, none empty,
 *   and its continuation token is non-empty when set;
 * - an Invalidation is read with a non-empty id, or not at all (both NULL).
 */
#include <libxml/parser.h>

#include "aws/xml.h"
#include "resources/bucket/bucket_xml.h"
#include "resources/distribution/distribution_invalidation.h"
#include "resources/distribution/distribution_summary.h"
#include "resources/player/player_api.h"
#include "fuzz_common.h"

/* Element children named `name` of `parent` (NULL parent: 0). */
static size_t fuzz_count_children(const xmlNode *parent, const char *name)
{
    size_t n = 0;
    for (const xmlNode *c = parent ? parent->children : NULL; c; c = c->next)
        n += c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0;
    return n;
}

static void fuzz_bucket_page(const xmlDoc *doc)
{
    const xmlNode *root = xmlDocGetRootElement((xmlDoc *)doc);
    size_t buckets = fuzz_count_children(aws_xml_child(root, "Buckets"), "Bucket");
    struct bucket_list_page page = {0};
    FUZZ_ASSERT(bucket_xml_list_page_read(doc, &page) == 0);
    FUZZ_ASSERT(page.n <= buckets);
    for (size_t i = 0; i < page.n; i++)
        FUZZ_ASSERT(page.items[i].name && *page.items[i].name);
    FUZZ_ASSERT(!page.continuation_token || *page.continuation_token);
    bucket_xml_list_page_clean_up(&page);
    FUZZ_ASSERT(page.items == NULL && page.n == 0 && page.continuation_token == NULL);
}

static void fuzz_distribution_page(const xmlDoc *doc)
{
    const xmlNode *root = xmlDocGetRootElement((xmlDoc *)doc);
    size_t summaries = fuzz_count_children(aws_xml_child(root, "Items"), "DistributionSummary");
    struct distribution_summary_page page = {0};
    FUZZ_ASSERT(distribution_summary_page_read(doc, &page) == 0);
    FUZZ_ASSERT(page.n <= summaries);
    for (size_t i = 0; i < page.n; i++) {
        const struct distribution_summary *s = &page.items[i];
        FUZZ_ASSERT(s->id && *s->id);
        FUZZ_ASSERT(s->origins > 0 || s->origin_domain == NULL);
        if (distribution_summary_is_stream(s))
            FUZZ_ASSERT(s->origins == 1 && s->origin_domain && s->manifest_behaviour);
    }
    FUZZ_ASSERT(!page.next_marker || *page.next_marker);
    distribution_summary_page_clean_up(&page);
}

static void fuzz_key_page(const xmlDoc *doc)
{
    size_t contents = fuzz_count_children(xmlDocGetRootElement((xmlDoc *)doc), "Contents");
    struct player_key_page page = {0};
    FUZZ_ASSERT(player_key_page_read(doc, &page) == 0);
    FUZZ_ASSERT(page.n <= contents);
    for (size_t i = 0; i < page.n; i++)
        FUZZ_ASSERT(page.keys[i] && *page.keys[i]);
    FUZZ_ASSERT(!page.next_token || *page.next_token);
    player_key_page_clean_up(&page);
    FUZZ_ASSERT(page.keys == NULL && page.n == 0 && page.next_token == NULL);
}

static void fuzz_invalidation(const xmlDoc *doc)
{
    char *id = (char *)"stale", *status = (char *)"stale";
    int rc = distribution_invalidation_read(doc, &id, &status);
    if (rc == 0)
        FUZZ_ASSERT(id && *id);
    else
        FUZZ_ASSERT(rc == -1 && id == NULL && status == NULL);
    free(id);
    free(status);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    xmlDoc *doc = aws_xml_parse((const char *)data, size);
    if (doc) {
        fuzz_bucket_page(doc);
        fuzz_distribution_page(doc);
        fuzz_key_page(doc);
        fuzz_invalidation(doc);
        xmlFreeDoc(doc);
    }
    /* As in the other XML targets: libxml2's per-thread last error would
     * otherwise unbalance mallocs and frees between executions. */
    xmlResetLastError();
    return 0;
}
