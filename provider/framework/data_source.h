/*
 * data_source.h - data sources (`data "lsms_x" "y" { ... }`): read-only
 * lookups of something that exists, managed elsewhere or not at all.
 *
 * One const table per data source, listed in lsms_provider.data_sources.
 *
 * WHAT A DATA SOURCE IMPLEMENTS
 * - type_name ("lsms_encoding_profile") and schema: the same tables and
 *   rules as a resource (schema.h). Arguments the user gives are required
 *   or optional; what the lookup finds is computed. Defaults are applied.
 * - validate (optional): cross-attribute checks of a config that may hold
 *   unknowns (ValidateDataResourceConfig); the schema's validators run
 *   before it.
 * - read: `state` arrives as the config with defaults applied (every
 *   computed attribute the config leaves null is null); read sets the
 *   computed attributes (null where the object has no such value) and
 *   returns RESOURCE_OK, or RESOURCE_ERROR with an error in ctx->diags (a
 *   lookup that finds nothing is an error a user can act on: say what was
 *   looked for). ctx->provider_data is the configured provider; it is NULL
 *   for a data source read before ConfigureProvider, which Terraform never
 *   does. Long waits check ctx->stop_requested as resources do.
 *
 * WHAT THE FRAMEWORK GUARANTEES
 * - GetProviderSchema lists the schema under data_source_schemas.
 * - read is called only with a wholly known config (Terraform plans unknown
 *   results itself otherwise) of the schema's type.
 * - What read returns is checked before it goes back: non-null, wholly
 *   known, configured values unchanged, write-only attributes null. A
 *   violation is one error diagnostic naming the data source (a provider
 *   bug), never a half-valid answer.
 * - Unknown data source names get "Unknown data source".
 */
#ifndef LSMS_FRAMEWORK_DATA_SOURCE_H
#define LSMS_FRAMEWORK_DATA_SOURCE_H

#include "framework/cty.h"
#include "framework/diag.h"
#include "framework/resource_ctx.h"
#include "framework/schema.h"


struct lsms_data_source {
    const char *type_name;
    const struct schema *schema;
    void (*validate)(const struct cty_value *config, struct diags *d);
    enum resource_result (*read)(struct resource_ctx *ctx, const struct cty_value *config,
                                 struct cty_value *state);
};

/* ---- used by the protocol layer (resources never call these) ---- */

struct schema_compiled;

/* Reads with the rules above: `config` (borrowed, wholly known, of the
 * schema's type). Sets *out to the owned state and returns 0, or returns -1
 * with an error in ctx->diags (and *out NULL). */
int data_source_run(const struct lsms_data_source *ds, const struct schema_compiled *c,
                    struct resource_ctx *ctx, const struct cty_value *config,
                    struct cty_value **out);

#endif
