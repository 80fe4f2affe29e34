/*
 * identity.h - resource identity (Terraform 1.12+, OpenTofu 1.12+).
 *
 * An identity is a small versioned object that names one remote object for
 * as long as it exists (e.g. {id, region}); Terraform keeps it in state
 * beside the resource's value, imports by it (`import { to = ...
 * identity = { ... } }`) and lists resources by it (terraform query). A
 * resource opts in by pointing lsms_resource.identity at one of these.
 *
 * WHAT A RESOURCE IMPLEMENTS
 * - version: the identity schema version (0 until its shape ever changes).
 * - attributes: a schema_attribute table ({0}-terminated) with primitive
 *   types only. Flags: SCHEMA_REQUIRED = required_for_import (the user must
 *   give it in an import block), SCHEMA_OPTIONAL = optional_for_import (the
 *   provider can supply it, e.g. the region). Nothing else (no nested, no
 *   default, no computed). Validators, if any, run on an identity given to
 *   import. A description is required as for every attribute.
 * - fill (optional): the framework builds an identity from a state by
 *   copying every state attribute whose name and type match an identity
 *   attribute (so {id} or {name} needs no code at all); fill then sets the
 *   others from the state or the provider (ctx->provider_data: region,
 *   account). It may leave an attribute unknown only when the state's own
 *   value is still unknown (a create plan).
 * - import (optional): import by identity. `identity` is the user's value
 *   (checked against the schema first), `state` a null object of the
 *   resource schema, to be filled as the resource's import by ID fills it:
 *   enough for read to find the object (OpenTofu/Terraform call read next).
 *   NULL: the framework copies the identity's attributes into the state
 *   attributes of the same name and type, which suffices when read can find
 *   the object from them; when fill sets an attribute from provider data
 *   (region), write an import that refuses an identity naming another.
 * - upgrade (optional): a stored identity of an older version (raw JSON) to
 *   a value of the current identity type (owned by the caller), or NULL
 *   with a diagnostic.
 *
 * WHAT THE FRAMEWORK GUARANTEES
 * - GetResourceIdentitySchemas lists exactly the resources with .identity.
 * - ReadResource, ImportResourceState (by ID and by identity),
 *   PlanResourceChange and ApplyResourceChange return the identity of the
 *   state they return, built as above; none for a null state (gone,
 *   deleted, planned for destroy). The plan of an in-place update returns
 *   the prior state's identity; the plan of a create or replace returns the
 *   new object's only when it is already wholly known (Terraform's plan
 *   renderer fails on an unknown identity), else apply is the first to. An
 *   import by ID returns it only when complete (read, called next,
 *   completes it). An import by identity returns the built identity with
 *   attributes still null taken from the identity given.
 * - Every identity is checked before it leaves the provider: it conforms to
 *   the identity schema; it is wholly known, except in the plan of a create
 *   or replace; every required_for_import attribute is non-null; on read
 *   and in the plan and apply of an in-place update it keeps every non-null
 *   value of the identity Terraform sent (when it sent one; an attribute
 *   stored null, such as an account the provider was not allowed to look
 *   up, may be filled in later; an optional attribute the provider leaves
 *   null now keeps its stored value, see identity_keep_stored). A
 *   violation fails the operation with
 *   one error diagnostic "Provider produced invalid identity" naming the
 *   resource type and the attribute: a resource bug is reported by the
 *   provider, never left for Terraform to find (Terraform fails any
 *   operation whose identity does not match the schema).
 * - Clients without identity (Terraform <= 1.11) ignore it: nothing else
 *   changes for them.
 * - UpgradeResourceIdentity: the current version decodes as is, an older one
 *   goes through upgrade (an error without it), a newer one is an error.
 */
#ifndef LSMS_FRAMEWORK_IDENTITY_H
#define LSMS_FRAMEWORK_IDENTITY_H

#include <stdbool.h>
#include <stdint.h>

#include "framework/cty.h"
#include "framework/diag.h"
#include "framework/resource_ctx.h"
#include "framework/schema.h"


struct resource_identity {
    int64_t version;
    const struct schema_attribute *attributes;
    /* Optional: completes `identity` (known object of the identity type,
     * pre-filled from `state`; both borrowed, state non-null). Errors in
     * ctx->diags fail the operation. */
    void (*fill)(struct resource_ctx *ctx, const struct cty_value *state,
                 struct cty_value *identity);
    /* Optional: import by identity (see above). */
    enum resource_result (*import)(struct resource_ctx *ctx, const struct cty_value *identity,
                                   struct cty_value *state);
    /* Optional: an older identity version to the current one. */
    struct cty_value *(*upgrade)(struct resource_ctx *ctx, int64_t from_version,
                                 const char *raw_json);
};

/* ---- used by the protocol layer (resources never call these) ---- */

/* Checks an identity table: attributes of primitive type or a list of one,
 * each exactly one of SCHEMA_REQUIRED / SCHEMA_OPTIONAL (plus
 * SCHEMA_SENSITIVE at most), no nested attribute, no default. Returns 0, or
 * -1 with a malloc'd *error. */
int identity_table_check(const struct resource_identity *id, char **error);

/* The identity as a schema table for schema_compile (version and
 * attributes); free() it after the compiled schema. NULL when out of memory. */
struct schema *identity_schema_new(const struct resource_identity *id);

/* The identity of `state` (borrowed): copied attributes, then id->fill.
 * Sets *out to an owned object of the identity type, or to NULL when state
 * is NULL or null (no object, no identity). Returns 0, or -1 with an error
 * in ctx->diags. Nothing is checked here: see identity_check. */
int identity_from_state(const struct resource_identity *id, const struct schema_compiled *idc,
                        struct resource_ctx *ctx, const struct cty_value *state,
                        struct cty_value **out);

enum identity_check_flags {
    /* A create or replace plan: unknown attributes are allowed. */
    IDENTITY_MAY_BE_UNKNOWN = 1 << 0,
};

/* The checks of identity.h ("every identity is checked"): type, known,
 * required_for_import non-null, equal to `prior` when prior is non-NULL
 * and non-null. `operation` ("read", "plan", "apply", "import") and
 * `type_name` go into the diagnostic. Returns 0, or -1 with one error. */
int identity_check(const struct schema_compiled *idc, const struct cty_value *identity,
                   const struct cty_value *prior, unsigned flags, const char *type_name,
                   const char *operation, struct diags *d);

/* What a stored identity keeps that the provider cannot tell now: each
 * optional attribute `identity` has null while `prior` (the identity stored
 * for the object; NULL or null: nothing to keep) has a value takes that
 * value. An object's identity never changes, so the stored value is still
 * the object's; the case is a provider that no longer knows its account
 * (skip_requesting_account_id switched on for an existing state), which
 * would otherwise fail every read with "Provider produced invalid identity"
 * (hashicorp/terraform-provider-aws#45743 is that failure). A value the
 * provider does know is never overwritten: identity_check still refuses one
 * that differs from the stored value. */
void identity_keep_stored(const struct schema_compiled *idc, struct cty_value *identity,
                          const struct cty_value *prior);

/* True when every required_for_import attribute is known and non-null. */
bool identity_complete(const struct schema_compiled *idc, const struct cty_value *identity);

/* The default import by identity: copies each identity attribute into the
 * state attribute of the same name and type (state is a known object). */
void identity_copy_to_state(const struct cty_value *identity, struct cty_value *state);

#endif
