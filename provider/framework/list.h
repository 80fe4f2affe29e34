/*
 * list.h - list resources (Terraform 1.14+: `list` blocks in .tfquery.hcl
 * files, `terraform query`, `terraform query -generate-config-out=...`).
 *
 * A list resource finds the objects of one managed resource type that
 * exist in the account and region, whoever created them, so a user can
 * adopt them: Terraform prints each one's identity and display name, and
 * with -generate-config-out writes a resource block (GenerateResourceConfig,
 * see resource.h generate_config) and an import block by identity for each.
 * Its type name is the managed resource's; a resource offers one by
 * pointing lsms_resource.list at one of these, and must have an identity.
 *
 * WHAT A RESOURCE IMPLEMENTS
 * - config_schema: the schema of the `config` block inside `list` (the
 *   filters: name prefix, tags, state...). Same tables and rules as a
 *   resource schema; attributes are usually optional (Terraform then makes
 *   the block optional; one required attribute makes it required).
 * - validate (optional): cross-attribute checks of a config that may hold
 *   unknowns; the schema's validators run before it.
 * - list: walks the cloud API (paginating) and calls list_results_emit once
 *   per object found, as it goes (the client sees results while the walk
 *   continues). `config` is wholly known, an object of config_schema's type
 *   (never null: Terraform sends all-null attributes when there is no config
 *   block). Returns RESOURCE_OK when the walk ended or when emit asked it to
 *   stop; RESOURCE_ERROR with an error in ctx->diags when the walk failed
 *   (what was emitted before stays emitted). Diagnostics go to ctx->diags.
 *
 * list_results_emit(out, state, kind, display_name) takes ownership of
 * `state`, a value of the resource's schema type (list_results_state_new
 * makes an empty one):
 * - LIST_STATE_SEED: the state import would produce (at least what read
 *   needs to find the object). When the client asked for resource objects
 *   (always with -generate-config-out) the framework calls the resource's
 *   read on it, as import does, and skips an object read reports gone.
 * - LIST_STATE_FULL: already what read would return; used as is.
 * `display_name` is what the user sees for the object (copied; NULL: the
 * identity's first string attribute). list_results_want_state says whether
 * the client asked for resource objects at all, for a list that could skip
 * work without them.
 * Returns 0 to go on; 1 when the list must stop and return RESOURCE_OK at
 * once (the client's limit is reached, the client cancelled the stream, or
 * StopProvider came); -1 when the object could not be handled (the error
 * is in ctx->diags; return RESOURCE_ERROR).
 *
 * WHAT THE FRAMEWORK GUARANTEES
 * - GetProviderSchema lists the config schema under list_resource_schemas
 *   (clients that do not know lists, Terraform <= 1.13 and OpenTofu 1.12,
 *   ignore it); ValidateListResourceConfig runs the schema's validators and
 *   validate.
 * - Each emitted object becomes one ListResource event, sent before emit
 *   returns: its identity (built and checked as identity.h says, so a list
 *   and an import agree), the display name, and the state when asked for
 *   (write-only attributes null, no unknowns: checked, an error otherwise).
 * - Diagnostics in ctx->diags are sent in an event of their own; an error
 *   ends the stream (Terraform stops reading at the first error).
 * - The limit Terraform sends is enforced here: emit returns 1 at it.
 */
#ifndef LSMS_FRAMEWORK_LIST_H
#define LSMS_FRAMEWORK_LIST_H

#include <stdbool.h>
#include <stdint.h>

#include "framework/cty.h"
#include "framework/diag.h"
#include "framework/resource_ctx.h"
#include "framework/schema.h"


/* Where list_results_emit sends objects; owned by the framework. */
struct list_results;

enum list_state_kind {
    LIST_STATE_SEED = 0,
    LIST_STATE_FULL = 1,
};

struct resource_list {
    const struct schema *config_schema;
    void (*validate)(const struct cty_value *config, struct diags *d);
    enum resource_result (*list)(struct resource_ctx *ctx, const struct cty_value *config,
                                 struct list_results *out);
};

int list_results_emit(struct list_results *out, struct cty_value *state_owned,
                      enum list_state_kind kind, const char *display_name);
bool list_results_want_state(const struct list_results *out);
/* A known object of the resource's schema type with every attribute null
 * (nested blocks empty), to fill and emit; owned by the caller. NULL when
 * out of memory. */
struct cty_value *list_results_state_new(const struct list_results *out);

/* ---- used by the protocol layer (resources never call these) ---- */

struct lsms_resource;
struct resource_identity;
struct schema_compiled;

/* Where found objects go: the protocol layer's stream. */
struct list_sink {
    /* Sends one object: its identity, display name and, when the client
     * asked for it, its state (else NULL); all borrowed. Returns 0, or -1
     * when the client is gone (the list then stops). */
    int (*send)(void *arg, const struct cty_value *identity, const char *display_name,
                const struct cty_value *state);
    /* True when the client cancelled the call. May be NULL. */
    bool (*cancelled)(void *arg);
    void *arg;
};

/* What a ListResource call asks for. */
struct list_request {
    const struct lsms_resource *resource;
    const struct schema_compiled *schema;   /* the resource's */
    const struct schema_compiled *identity; /* the resource's identity */
    const struct cty_value *config;         /* of the list's config schema, known */
    bool want_state;                        /* include_resource_object */
    int64_t limit;                          /* <= 0: no limit */
};

/* Runs the resource's list with the emit rules above. Returns what the
 * resource returned (RESOURCE_ERROR also when the framework found a bug in
 * an emitted object); diagnostics are in ctx->diags. *n_sent counts the
 * objects sent. */
enum resource_result list_run(const struct list_request *req, struct resource_ctx *ctx,
                              const struct list_sink *sink, int64_t *n_sent);

#endif
