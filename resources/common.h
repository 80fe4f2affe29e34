/*
 * common.h - small helpers every resource's operations share.
 */
#ifndef LSMS_RESOURCES_COMMON_H
#define LSMS_RESOURCES_COMMON_H

#include <stdbool.h>
#include <stdint.h>

#include "aws/error.h"
#include "framework/cty.h"
#include "framework/diag.h"
#include "framework/resource.h"
#include "framework/schema.h"
#include "resources/provider.h"

/* Validators of a MediaStore container or CloudWatch dashboard name (both
 * services allow the same: letters, digits, '-' and '_', 1 to 255). */
extern const struct schema_validator lsms_name_255_validators[];

/*
 * S3 general purpose bucket names as lsms resources accept them: the S3
 * naming rules (3 to 63 characters; lower-case letters, digits and '-';
 * starting and ending with a letter or digit; none of the reserved prefixes
 * xn--, sthree-, amzn-s3-demo- nor the suffixes -s3alias, --ol-s3, .mrap,
 * --x-s3, --table-s3) and no dots at all, which S3 allows but MediaLive
 * refuses for its outputs ("the Amazon S3 bucket name must not use dot
 * notation", MediaLive user guide).
 *
 * lsms_bucket_name_problem returns NULL when `name` is acceptable, else a
 * static sentence-part saying which rule it breaks ("it contains a dot").
 * lsms_bucket_name_validators is the schema validator table built on it
 * (one diagnostic at the attribute, naming the rule).
 */
const char *lsms_bucket_name_problem(const char *name);
void lsms_bucket_name_validate(const struct cty_value *v, const struct attr_path *path,
                               struct diags *d);
extern const struct schema_validator lsms_bucket_name_validators[];

/* Any S3 bucket's name, dots allowed (a bucket lsms does not write a stream
 * into: the access-log bucket, a dashboard's or a player's bucket): 3 to 63
 * lower-case letters, digits, '.' and '-', starting and ending with a
 * letter or digit. Two diagnostics' worth of rules (a short name gets the
 * length message only). */
extern const struct schema_validator lsms_s3_bucket_name_validators[];

/* A CloudFront distribution ID (E2QWRUHAPOMQZL): upper-case letters and
 * digits, 1 to 64 characters. */
extern const struct schema_validator lsms_distribution_id_validators[];

/* Whether an attribute value (NULL for a missing attribute) is given: a
 * known non-null value. resource_value_absent: missing or known null. An
 * unknown value is neither: validation judges it once it is known (it may
 * still turn out null, as `cond ? x : null` does while cond is unknown). */
bool resource_value_given(const struct cty_value *v);
bool resource_value_absent(const struct cty_value *v);

/* Whether attribute `name` differs between `prior` and `now` (state or
 * plan). */
bool resource_attr_changed(const struct cty_value *prior, const struct cty_value *now,
                           const char *name);

/* The error diagnostic for memory running out. */
void resource_diag_oom(struct diags *d);

/* The configured provider data, or NULL with an error diagnostic (a
 * resource operation before ConfigureProvider). */
struct lsms_provider_data *resource_provider(struct resource_ctx *ctx);

/* One error diagnostic for a failed AWS call: `summary` ("Cannot create the
 * MediaStore container"), detail "<code>: <message> (HTTP n, request id x)."
 * `attr` names the attribute it concerns, or NULL. */
void resource_diag_aws(struct diags *d, const char *attr, const char *summary,
                       const struct aws_error *err);

/* A duration such as "30s", "20m" or "1h30m" (lsms_duration_validators) as
 * milliseconds; `default_ms` when text is NULL, empty or malformed. */
uint64_t resource_duration_ms(const char *text, uint64_t default_ms);

/* The timeouts block's `op` ("create", "update", "delete") as milliseconds,
 * parsing durations like "30s", "20m", "1h30m"; `default_ms` when unset. */
uint64_t resource_timeout_ms(const struct cty_value *state, const char *op, uint64_t default_ms);

/* Sets object attribute `name` to a string (NULL sets null), a bool or an
 * integer. Returns 0, or -1 when out of memory or no such attribute. */
int resource_set_string(struct cty_value *obj, const char *name, const char *s);
int resource_set_bool(struct cty_value *obj, const char *name, bool b);
int resource_set_int(struct cty_value *obj, const char *name, int64_t n);

/* The provider's default tags merged with `tags` (a map(string) value, may be
 * NULL or null; resource tags win). Owned by the caller; NULL when out of memory. */
struct cty_value *resource_tags_all(const struct lsms_provider_data *pd,
                                    const struct cty_value *tags);
/* Sets state.tags_all from state.tags and the default tags. 0 or -1. */
int resource_set_tags_all(const struct lsms_provider_data *pd, struct cty_value *state);

#endif
