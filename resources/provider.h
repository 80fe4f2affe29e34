/*
 * provider.h - what the provider's configure hands every resource call
 * (resource_ctx.provider_data).
 */
#ifndef LSMS_RESOURCES_PROVIDER_H
#define LSMS_RESOURCES_PROVIDER_H

#include <stdint.h>

#include "framework/cty.h"
#include "framework/resource.h"
#include "framework/schema.h"

struct aws_client;

struct lsms_provider_data {
    char *region;     /* owned; never NULL after a successful configure */
    char *account_id; /* owned; NULL until the AWS client learns it */
    /* owned: default_tags.tags as a known map(string), never NULL (empty when
     * the provider block sets none); merged into every resource's tags_all. */
    struct cty_value *default_tags;
    int64_t max_retries; /* max_retries, or its default 25 */
    /* owned; the AWS client every resource call uses (never NULL after a
     * successful configure). */
    struct aws_client *client;
    volatile int stop_requested; /* set by StopProvider */
};

/* The provider's default for max_retries (provider block attributes cannot
 * carry schema defaults, so configure applies it). */
#define LSMS_PROVIDER_DEFAULT_MAX_RETRIES 25

/* ---- shared schema pieces for the resource tables ---- */

/* Validators of a timeouts duration: "30s", "20m", "1h", "1h30m". */
extern const struct schema_validator lsms_duration_validators[];

#define LSMS_TIMEOUT_ATTR(op, dflt)                                                            \
    {.name = op, .type = "string", .flags = SCHEMA_OPTIONAL,                                   \
     .description = "How long to wait for " op " to finish, as a duration such as `30m` or "   \
                    "`1h30m` (default " dflt ").",                                            \
     .validators = lsms_duration_validators}

#define LSMS_TAGS_ATTRS                                                                        \
    {.name = "tags", .type = "[\"map\",\"string\"]", .flags = SCHEMA_OPTIONAL,                   \
     .description = "Tags for the resource. The provider's `default_tags` are merged in "      \
                    "(these win) to give `tags_all`."},                                       \
    {.name = "tags_all", .type = "[\"map\",\"string\"]", .flags = SCHEMA_COMPUTED,               \
     .description = "All tags of the resource: the provider's `default_tags` merged with "     \
                    "`tags`."}

/*
 * modify_plan helper: sets planned.tags_all to the provider's default tags
 * merged with config.tags (resource tags win) when both are known, so an
 * apply that changes nothing else does not show tags_all as unknown. Leaves
 * tags_all alone (unknown) otherwise.
 */
void lsms_tags_all_plan(const struct resource_ctx *ctx, const struct cty_value *config,
                        struct cty_value *planned);

/* modify_plan helper: sets planned attribute `name` to the string `s` when
 * it is currently unknown or null (computed values that became known at plan
 * time). Does nothing when out of memory (the value then stays unknown). */
void lsms_plan_set_string(struct cty_value *planned, const char *name, const char *s);

#endif
