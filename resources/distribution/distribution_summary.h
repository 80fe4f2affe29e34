/*
 * distribution_summary.h - one page of ListDistributions (a DistributionList
 * document) as the list resource needs it: each distribution's id, its
 * origin, and whether it has the shape lsms_distribution manages (one
 * origin, a `*.m3u8` cache behaviour for the manifests). Pure parsing,
 * unit-tested in tests/unit/test_distribution_summary.c.
 */
#ifndef LSMS_RESOURCES_DISTRIBUTION_DISTRIBUTION_SUMMARY_H
#define LSMS_RESOURCES_DISTRIBUTION_DISTRIBUTION_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

struct distribution_summary {
    char *id;            /* owned */
    char *arn;           /* owned; NULL when absent */
    char *domain_name;   /* owned; NULL when absent */
    char *comment;       /* owned; NULL when absent */
    char *origin_domain; /* the first origin's DomainName, owned; NULL when none */
    size_t origins;      /* how many origins */
    bool manifest_behaviour; /* a cache behaviour with PathPattern "*.m3u8" */
};

struct distribution_summary_page {
    struct distribution_summary *items; /* owned */
    size_t n;
    char *next_marker; /* owned; NULL unless IsTruncated with a NextMarker */
};

/* Fills `page` (zeroed by the caller) from a DistributionList document; a
 * summary without Id is skipped. 0, or -1 when out of memory. */
int distribution_summary_page_read(const xmlDoc *doc, struct distribution_summary_page *page);
void distribution_summary_page_clean_up(struct distribution_summary_page *page);

/* Whether a summary has the shape lsms_distribution manages (one origin
 * and the manifest behaviour): import of anything else would read values
 * its schema cannot hold. */
bool distribution_summary_is_stream(const struct distribution_summary *s);

#endif
