/*
 * json_equal.h - semantic JSON comparison and normalisation.
 *
 * AWS hands back JSON documents (container policies, dashboard bodies) with
 * its own key order and whitespace. Comparing them byte for byte would show a
 * perpetual diff, so resources compare them here: key order and whitespace
 * are ignored and numbers compare by value. IAM policy documents get a looser
 * comparison that follows IAM's own equivalences.
 *
 * All text arguments are borrowed, NUL-terminated JSON.
 */
#ifndef LSMS_UTIL_JSON_EQUAL_H
#define LSMS_UTIL_JSON_EQUAL_H

#include <stdbool.h>

#include <cjson/cJSON.h>

/* True when a and b parse and denote the same JSON value (object key order,
 * whitespace and number spelling ignored; arrays keep their order). False when
 * either does not parse. */
bool json_equal(const char *a, const char *b);

/* Like json_equal on parsed trees (both borrowed; NULL equals only NULL). */
bool json_tree_equal(const cJSON *a, const cJSON *b);

/*
 * True when a and b are equivalent IAM-style policy documents: besides what
 * json_equal ignores, a single value equals a one-element array holding it
 * (IAM accepts "Action": "x" and "Action": ["x"], "Statement": {..} and
 * "Statement": [{..}], "Principal": {"AWS": "a"} and {"AWS": ["a"]}), arrays
 * compare as unordered (IAM evaluates Action, Resource, Principal and
 * condition value lists, and the statements themselves, as sets), and
 * Principal "*" equals {"AWS": "*"}. False when either does not parse.
 */
bool json_policy_equal(const char *a, const char *b);

/* The compact form of `json` with object keys sorted (byte order), for
 * storing in state so equal documents are stored identically. Returns a
 * malloc'd string owned by the caller, or NULL when `json` does not parse or
 * memory runs out. */
char *json_normalize(const char *json);

/* Sorts the keys of every object in `tree` in place (byte order). */
void json_tree_sort_keys(cJSON *tree);

#endif
