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

/* The configured provider data, or NULL with an error diagnostic (a
 * resource operation before ConfigureProvider). */
struct lsms_provider_data *resource_provider(struct resource_ctx *ctx);

/* One error diagnostic for a failed AWS call: `summary` ("Cannot create the
 * MediaStore container"), detail "<code>: <message> (HTTP n, request id x)."
 * `attr` names the attribute it concerns, or NULL. */
void resource_diag_aws(struct diags *d, const char *attr, const char *summary,
                       const struct aws_error *err);

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
