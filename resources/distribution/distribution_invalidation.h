/*
 * distribution_invalidation.h - CloudFront invalidations (API 2020-05-31):
 * the InvalidationBatch document CreateInvalidation takes, the Invalidation
 * document CreateInvalidation and GetInvalidation answer, and the rules a
 * batch's paths follow. Pure functions over libxml2, unit-tested in
 * tests/unit/test_distribution_invalidation.c.
 */
#ifndef LSMS_RESOURCES_DISTRIBUTION_DISTRIBUTION_INVALIDATION_H
#define LSMS_RESOURCES_DISTRIBUTION_DISTRIBUTION_INVALIDATION_H

#include <stddef.h>

#include <libxml/tree.h>

/* CloudFront's limits (developer guide, "Quotas on invalidations"): 3000
 * paths per batch in progress, 15 of them with a wildcard. */
#define DISTRIBUTION_INVALIDATION_MAX_PATHS 3000
#define DISTRIBUTION_INVALIDATION_MAX_WILDCARDS 15
/* "The maximum length of a path is 4,000 characters." */
#define DISTRIBUTION_INVALIDATION_MAX_PATH_LEN 4000

/* Why `path` cannot be invalidated (a static sentence), or NULL when it
 * can: it must start with '/', hold at most 4000 characters, and a '*'
 * may only end it (CloudFront's wildcard rule); no control characters. */
const char *distribution_invalidation_path_problem(const char *path);

/* <InvalidationBatch xmlns=...><Paths><Quantity>n</Quantity><Items><Path>...
 * </Path></Items></Paths><CallerReference>ref</CallerReference>
 * </InvalidationBatch>, text escaped by libxml2. malloc'd (length in *len
 * when not NULL); NULL when n is 0 or memory runs out. */
char *distribution_invalidation_batch_xml_new(const char *const *paths, size_t n,
                                              const char *caller_reference, size_t *len);

/* Reads an Invalidation document's Id and Status (malloc'd). 0, or -1 (both
 * NULL) when the document holds no Invalidation with an Id. */
int distribution_invalidation_read(const xmlDoc *doc, char **id, char **status);

#endif
