/*
 * distribution_grant.h - the bucket policy statement that lets one CloudFront
 * distribution read an S3 origin through its Origin Access Control, and the
 * edits that add it to, find it in and remove it from a bucket policy that
 * may hold other statements.
 *
 * The statement, as the CloudFront developer guide gives it
 * (private-content-restricting-access-to-s3.html, "Give the origin access
 * control permission to access the S3 bucket"):
 *
 *   {"Sid": "LsmsCloudFront<distribution id>", "Effect": "Allow",
 *    "Principal": {"Service": "cloudfront.amazonaws.com"},
 *    "Action": "s3:GetObject",
 *    "Resource": "arn:<partition>:s3:::<bucket>/ALL",
 *    "Condition": {"StringEquals": {"AWS:SourceArn": "<distribution ARN>"}}}
 *
 * where ALL stands for the wildcard "*" (every object of the bucket).
 *
 * The Sid names the distribution, so each distribution on a bucket owns one
 * statement: adding replaces a statement with that Sid, removing takes out
 * statements with that Sid, and every other statement (and every other
 * top-level member: Version, Id) is carried over as it was, compared
 * semantically (whitespace and key order are not kept).
 *
 * Pure functions over cJSON; text in and out is NUL-terminated JSON. Every
 * returned string is malloc'd and owned by the caller.
 */
#ifndef LSMS_RESOURCES_DISTRIBUTION_GRANT_H
#define LSMS_RESOURCES_DISTRIBUTION_GRANT_H

#include <stdbool.h>
#include <stddef.h>

/* What the statement grants to whom. All strings borrowed. */
struct distribution_grant {
    const char *bucket;           /* "live-origin" */
    const char *distribution_id;  /* "E2QWRUHAPOMQZL" */
    const char *distribution_arn; /* "arn:aws:cloudfront::123456789012:distribution/E2Q..." */
};

/* The statement's Sid, "LsmsCloudFront" followed by the letters and digits of
 * the distribution id (a Sid is alphanumeric). NULL when out of memory or
 * the id has no letter or digit. */
char *distribution_grant_sid(const char *distribution_id);

/* The ARN partition ("aws", "aws-cn", "aws-us-gov") of an ARN, malloc'd;
 * NULL when `arn` is not "arn:<partition>:..." or out of memory. */
char *distribution_grant_partition(const char *arn);

/* The statement as compact JSON. NULL when a member is missing, the ARN
 * has no partition, or out of memory. */
char *distribution_grant_statement(const struct distribution_grant *g);

/*
 * The bucket policy `policy` (NULL or "" when the bucket has none) with the
 * statement added, replacing any statement with the same Sid. A new policy
 * gets Version 2012-10-17; a Statement that is a single object becomes a
 * list. Returns the new policy, or NULL with *error (static text) when the
 * policy is not a JSON object with a Statement object or list, or out of
 * memory.
 */
char *distribution_grant_add(const char *policy, const struct distribution_grant *g,
                             const char **error);

/*
 * `policy` without the statements whose Sid is the distribution's. *removed
 * says whether there was one. Returns 0 with *out = the new policy, or
 * *out = NULL when no statement is left (the bucket policy should then be
 * deleted: an empty Statement list is not a policy). Nothing removed leaves
 * *out a copy of nothing: *out = NULL and *removed = false, and the caller
 * writes nothing. -1 with *error when the policy does not parse or out of
 * memory.
 */
int distribution_grant_remove(const char *policy, const char *distribution_id, char **out,
                              bool *removed, const char **error);

/* True when `policy` holds the statement exactly as distribution_grant_statement
 * writes it (IAM-equivalent: "x" equals ["x"]): a statement with the Sid that
 * grants something else, or to another distribution, does not count. False
 * for NULL, "" and unparsable policies. */
bool distribution_grant_present(const char *policy, const struct distribution_grant *g);

#endif
