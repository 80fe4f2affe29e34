/*
 * bucket_xml.h - the S3 XML documents of lsms_bucket: the request bodies it
 * sends (built from its attribute values) and the answers it reads back
 * (turned into attribute values).
 *
 * Bodies follow the botocore s3 model (2006-03-01): root element named as
 * the operation's payload, in the namespace http://s3.amazonaws.com/doc/
 * 2006-03-01/, members in the model's order, flattened lists repeated in
 * place (CORSRule, AllowedMethod, Rule, Object). Every builder returns
 * malloc'd UTF-8 text with the XML declaration, or NULL when out of memory
 * (or when its value is not usable, with *error saying why when the builder
 * takes one). libxml2 escapes the text, so origins, prefixes, tag values and
 * object keys with '&' or '<' are sent as they are.
 *
 * Readers take the parsed answer (xmlDoc from aws_s3_call; NULL stands for
 * "S3 has no such configuration") and never fail on unexpected content:
 * what they cannot express reads as something that differs from any
 * configuration, so the plan shows it and apply puts the configuration
 * back. They return NULL / -1 only when out of memory.
 */
#ifndef LSMS_RESOURCES_BUCKET_XML_H
#define LSMS_RESOURCES_BUCKET_XML_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

#include "framework/cty.h"

#define BUCKET_XML_NAMESPACE "http://s3.amazonaws.com/doc/2006-03-01/"

/* ---- request bodies ---- */

/* CORSConfiguration from the cors_rules list (objects with allowed_origins,
 * allowed_methods, allowed_headers, expose_headers, max_age_seconds; null
 * or empty lists and a null max age are left out). At least one rule. */
char *bucket_xml_cors_build(const struct cty_value *rules, const char **error);

/* LifecycleConfiguration from the lifecycle_rules list (objects with
 * prefix, expiration_days): one enabled rule per element, ID "lsms-<index>",
 * Filter/Prefix and Expiration/Days. At least one rule; every rule needs a
 * prefix, and days that are whole and at least 1. */
char *bucket_xml_lifecycle_build(const struct cty_value *rules, const char **error);

/* MetricsConfiguration with this Id and no filter (the whole bucket). */
char *bucket_xml_metrics_build(const char *id);

/* BucketLoggingStatus: LoggingEnabled with TargetBucket and TargetPrefix
 * (prefix NULL: ""), or an empty status (logging off) when target is NULL. */
char *bucket_xml_logging_build(const char *target_bucket, const char *target_prefix);

/* Tagging with the TagSet of a map(string) value (keys in map order). */
char *bucket_xml_tagging_build(const struct cty_value *tags);

/* PublicAccessBlockConfiguration with all four settings on. */
char *bucket_xml_public_access_block_build(void);

/* OwnershipControls with one rule. */
char *bucket_xml_ownership_build(const char *object_ownership);

/* CreateBucketConfiguration with LocationConstraint = region. */
char *bucket_xml_create_build(const char *region);

/* One object version to delete; key and version_id owned by whoever holds
 * the array (bucket_xml_versions_page_clean_up for a parsed page). */
struct bucket_object_version {
    char *key;
    char *version_id; /* NULL: the object itself (no VersionId sent) */
};

/* Delete with Quiet=true and the objects items[0..n) (1 to 1000). */
char *bucket_xml_delete_build(const struct bucket_object_version *items, size_t n);

/* ---- answers ---- */

/* cors_rules from GetBucketCors (doc NULL: no CORS configuration, an empty
 * list). `list_type` is the attribute's type. An absent list member reads
 * as null, or as an empty list where `prior` (the rules in state, may be
 * NULL) holds an empty list at the same place, so a configured [] does not
 * show as a change. */
struct cty_value *bucket_xml_cors_read(const xmlDoc *doc, struct cty_type *list_type,
                                       const struct cty_value *prior);

/* lifecycle_rules from GetBucketLifecycleConfiguration (doc NULL: none, an
 * empty list). Enabled rules only; the prefix from Filter/Prefix (or the
 * old rule-level Prefix; "" when the rule covers the bucket); days from
 * Expiration/Days. A rule with a filter on tags or sizes reads with a null
 * prefix and a rule without Expiration/Days with null days, so neither
 * matches a configuration. */
struct cty_value *bucket_xml_lifecycle_read(const xmlDoc *doc, struct cty_type *list_type);

/* GetPublicAccessBlock: true only when all four settings are true. */
bool bucket_xml_public_access_blocked(const xmlDoc *doc);

/* GetBucketOwnershipControls: the ObjectOwnership of its first rule
 * (malloc'd), or NULL when there is none. */
char *bucket_xml_ownership_read(const xmlDoc *doc);

/* GetBucketLogging: target bucket and prefix (malloc'd; both NULL when
 * logging is off). Returns 0 or -1 (out of memory). */
int bucket_xml_logging_read(const xmlDoc *doc, char **target_bucket, char **target_prefix);

/* GetBucketTagging: the TagSet as a map(string) of `map_type` (doc NULL:
 * an empty map). */
struct cty_value *bucket_xml_tags_read(const xmlDoc *doc, struct cty_type *map_type);

/* GetBucketMetricsConfiguration: true when the configuration has no filter
 * (it counts every request of the bucket). */
bool bucket_xml_metrics_whole_bucket(const xmlDoc *doc);

/* One page of ListBucketMetricsConfigurations: *whole_id gets the id of a
 * configuration without filter ("EntireBucket" preferred, else the first;
 * left alone when the page has none), *next the NextContinuationToken when
 * the answer is truncated (else NULL). Both malloc'd. 0 or -1. */
int bucket_xml_metrics_list_read(const xmlDoc *doc, char **whole_id, char **next);

/* One page of ListObjectVersions: every Version and DeleteMarker. */
struct bucket_versions_page {
    struct bucket_object_version *items; /* owned */
    size_t n;
    bool truncated;
    char *next_key_marker;     /* owned; NULL when absent */
    char *next_version_marker; /* owned; NULL when absent */
};

/* Fills `page` (zeroed by the caller) from a ListVersionsResult; 0 or -1. */
int bucket_xml_versions_page_read(const xmlDoc *doc, struct bucket_versions_page *page);
void bucket_xml_versions_page_clean_up(struct bucket_versions_page *page);

/* One page of ListBuckets (ListAllMyBucketsResult): each bucket's name and
 * region (BucketRegion; NULL when S3 did not say), and the
 * ContinuationToken of the next page (NULL on the last). */
struct bucket_list_item {
    char *name;   /* owned */
    char *region; /* owned; NULL when absent */
};
struct bucket_list_page {
    struct bucket_list_item *items; /* owned */
    size_t n;
    char *continuation_token; /* owned; NULL when absent */
};

/* Fills `page` (zeroed by the caller); 0 or -1 (out of memory). */
int bucket_xml_list_page_read(const xmlDoc *doc, struct bucket_list_page *page);
void bucket_xml_list_page_clean_up(struct bucket_list_page *page);

/* DeleteObjects' answer: the number of <Error> entries; the first one's
 * "<key>: <Code>: <Message>" in *first (malloc'd) when there is one. */
size_t bucket_xml_delete_errors(const xmlDoc *doc, char **first);

#endif
