/*
 * resource.h - what a resource (and the provider block) gives the framework.
 *
 * One const table per resource, in one file per resource under resources/.
 * The framework owns everything about the protocol and the plan rules; a
 * resource only talks to its cloud API and fills in values.
 *
 * Conventions (as in terraform-plugin-framework):
 * - create/update receive `state` pre-filled with the planned value; they set
 *   the attributes that were planned unknown (and may refresh others that are
 *   computed). Every unknown left after a successful call is an error the
 *   framework reports.
 * - On failure a create returns RESOURCE_PARTIAL when something now exists in
 *   the cloud that `state` identifies (its "id" at least): the framework then
 *   returns that state (unknowns set to null) so OpenTofu tracks it, tainted.
 *   RESOURCE_ERROR means nothing was left behind.
 * - read refreshes `state` in place and sets *gone when the object no longer
 *   exists (the framework then returns null, which removes it from state);
 *   an object only partly left is not gone (see partial_attr).
 * - delete returns RESOURCE_OK when the object is gone (already-gone is OK).
 * - import fills `state` (a null object of the schema) enough for read to
 *   find the object; OpenTofu calls read right after.
 * Diagnostics go to ctx->diags; attribute paths where they concern one.
 *
 * Beyond CRUD (Terraform 1.12-1.14 features), each in its own header with
 * what a resource implements and what the framework guarantees:
 *   identity.h     resource identity, import by identity
 *   list.h         list resources (terraform query), with generate_config below
 *   data_source.h  data sources          (lsms_provider.data_sources)
 *   function.h     provider functions    (lsms_provider.functions)
 *   action.h       actions               (lsms_provider.actions)
 * A resource with more than its CRUD lives in a folder of its own under
 * resources/ (style.md); nothing here names a resource.
 */
#ifndef LSMS_FRAMEWORK_RESOURCE_H
#define LSMS_FRAMEWORK_RESOURCE_H

#include <stdbool.h>
#include <stdint.h>

#include "framework/action.h"
#include "framework/cty.h"
#include "framework/data_source.h"
#include "framework/diag.h"
#include "framework/function.h"
#include "framework/identity.h"
#include "framework/list.h"
#include "framework/resource_ctx.h"
#include "framework/schema.h"

struct lsms_resource {
    const char *type_name; /* "lsms_container" */
    const struct schema *schema;

    /* Optional cross-attribute checks of a config that may hold unknowns. */
    void (*validate)(const struct cty_value *config, struct diags *d);
    /* Optional: after the generic plan (defaults, unknown computed values,
     * requires-replace), adjust `planned` (e.g. derive computed values that are
     * already known, or mark more attributes unknown). prior is NULL on create. */
    void (*modify_plan)(struct resource_ctx *ctx, const struct cty_value *prior,
                        const struct cty_value *config, struct cty_value *planned);
    /* Optional: the name of a computed attribute when the prior state says
     * read found the object only partly there (its main AWS object gone,
     * parts it owns still there: a delete that failed half-way), else NULL.
     * The plan then replaces the object (that attribute planned unknown and
     * requiring replacement): delete finishes the teardown, create makes a
     * whole new object. Reporting such an object gone instead would leave
     * its parts behind, untracked. */
    const char *(*partial_attr)(const struct cty_value *prior);

    enum resource_result (*create)(struct resource_ctx *ctx, const struct cty_value *config,
                                   struct cty_value *state);
    enum resource_result (*read)(struct resource_ctx *ctx, struct cty_value *state, bool *gone);
    enum resource_result (*update)(struct resource_ctx *ctx, const struct cty_value *prior,
                                   const struct cty_value *config, struct cty_value *state);
    enum resource_result (*delete)(struct resource_ctx *ctx, const struct cty_value *prior);
    enum resource_result (*import)(struct resource_ctx *ctx, const char *id,
                                   struct cty_value *state);
    /* Optional: raw JSON state written by an older schema version. Returns a
     * value of the current type (owned by the caller), or NULL with a diagnostic. */
    struct cty_value *(*upgrade_state)(struct resource_ctx *ctx, int64_t from_version,
                                       const char *raw_json);

    /* Optional capabilities, each described in its header. */
    const struct resource_identity *identity; /* identity.h */
    const struct resource_list *list;         /* list.h; needs identity */
    /*
     * Optional: GenerateResourceConfig (import -generate-config-out, terraform
     * query -generate-config-out). The framework first derives `config` from
     * `state` (both of the resource's schema type; state known, non-null):
     * computed-only attributes null, write-only attributes null, optional+
     * computed attributes null where they equal their default; everything the
     * user configures is kept, nested blocks included. This hook then edits
     * `config` in place so that applying it, with the import, plans no change
     * (e.g. keep one of two exclusive arguments: a bucket's name, not the
     * name_prefix it was made from). The framework checks the result is of
     * the schema's type and wholly known. Terraform itself leaves deprecated
     * attributes out of the HCL it writes.
     */
    void (*generate_config)(const struct cty_value *state, struct cty_value *config);
};

struct lsms_provider {
    const struct schema *schema;
    /* Optional extra checks of the provider block. */
    void (*validate)(const struct cty_value *config, struct diags *d);
    /* Builds the provider data (AWS client, defaults) from the config.
     * Returns NULL with an error diagnostic on failure. */
    void *(*configure)(const struct cty_value *config, const char *terraform_version,
                       struct diags *d);
    /* StopProvider: make in-flight calls on `data` return soon. Must not block. */
    void (*stop)(void *data);
    void (*destroy)(void *data);
    /* All resources, NULL-terminated. */
    const struct lsms_resource *const *resources;
    /* NULL-terminated lists (NULL: none): data_source.h, function.h, action.h. */
    const struct lsms_data_source *const *data_sources;
    const struct lsms_function *const *functions;
    const struct lsms_action *const *actions;
};

/* The provider this binary serves (defined in resources/provider.c). */
extern const struct lsms_provider lsms_provider;

#endif
