/*
 * distribution_summary.c - ListDistributions pages. See
 * distribution_summary.h.
 */
#include "resources/distribution/distribution_summary.h"

#include <stdlib.h>
#include <string.h>

#include "aws/xml.h"
#include "resources/distribution/distribution_config.h"

static bool ds_is(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* The element children named `name` of `parent`'s Items child. */
#define DS_EACH_ITEM(var, parent, name)                                                        \
    for (const xmlNode *var = (parent) ? aws_xml_child((parent), "Items") : NULL,              \
                       *var##_i = var ? var->children : NULL;                                  \
         (var = var##_i) != NULL; var##_i = var##_i->next)                                     \
        if (ds_is(var, name))

static int ds_summary_read(const xmlNode *node, struct distribution_summary *s)
{
    s->id = aws_xml_find_text(node, "Id");
    if (!s->id || !*s->id)
        return 1;
    s->arn = aws_xml_find_text(node, "ARN");
    s->domain_name = aws_xml_find_text(node, "DomainName");
    s->comment = aws_xml_find_text(node, "Comment");
    DS_EACH_ITEM(o, aws_xml_child(node, "Origins"), "Origin")
    {
        if (s->origins++ == 0)
            s->origin_domain = aws_xml_find_text(o, "DomainName");
    }
    DS_EACH_ITEM(cb, aws_xml_child(node, "CacheBehaviors"), "CacheBehavior")
    {
        char *pattern = aws_xml_find_text(cb, "PathPattern");
        if (pattern && strcmp(pattern, DISTRIBUTION_CONFIG_MANIFEST_PATTERN) == 0)
            s->manifest_behaviour = true;
        free(pattern);
    }
    return 0;
}

static void ds_summary_clean_up(struct distribution_summary *s)
{
    free(s->id);
    free(s->arn);
    free(s->domain_name);
    free(s->comment);
    free(s->origin_domain);
    *s = (struct distribution_summary){0};
}

int distribution_summary_page_read(const xmlDoc *doc, struct distribution_summary_page *page)
{
    const xmlNode *root = doc ? xmlDocGetRootElement((xmlDoc *)doc) : NULL;
    size_t count = 0;
    DS_EACH_ITEM(n, root, "DistributionSummary")
        count++;
    page->items = count ? calloc(count, sizeof *page->items) : NULL;
    if (count && !page->items)
        return -1;
    DS_EACH_ITEM(n, root, "DistributionSummary")
    {
        struct distribution_summary *s = &page->items[page->n];
        if (ds_summary_read(n, s) == 0)
            page->n++;
        else
            ds_summary_clean_up(s);
    }
    char *truncated = root ? aws_xml_find_text(root, "IsTruncated") : NULL;
    if (truncated && strcmp(truncated, "true") == 0) {
        page->next_marker = aws_xml_find_text(root, "NextMarker");
        if (page->next_marker && !*page->next_marker) {
            free(page->next_marker);
            page->next_marker = NULL;
        }
    }
    free(truncated);
    return 0;
}

void distribution_summary_page_clean_up(struct distribution_summary_page *page)
{
    for (size_t i = 0; i < page->n; i++)
        ds_summary_clean_up(&page->items[i]);
    free(page->items);
    free(page->next_marker);
    *page = (struct distribution_summary_page){0};
}

bool distribution_summary_is_stream(const struct distribution_summary *s)
{
    return s->origins == 1 && s->origin_domain && s->manifest_behaviour;
}
