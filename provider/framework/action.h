/*
 * action.h - actions (Terraform 1.14+): day-2 operations that are not a
 * resource's lifecycle, such as starting a channel or invalidating CDN
 * paths. Invoked with `terraform apply -invoke=action.<type>.<name>`, or
 * from a resource's `lifecycle { action_trigger { ... } }`:
 *
 *     action "lsms_channel_start" "go_live" {
 *       config { channel_id = lsms_channel.main.id }
 *     }
 *
 * One const table per action, listed in lsms_provider.actions.
 *
 * WHAT AN ACTION IMPLEMENTS
 * - type_name ("lsms_channel_start") and schema: the `config` block (same
 *   tables and rules as a resource; no computed attributes: an action has no
 *   state). The block description is the action's documentation.
 * - validate (optional): cross-attribute checks of a config that may hold
 *   unknowns (ValidateActionConfig); the schema's validators run first.
 * - plan (optional): PlanAction, at plan time, with a config that may hold
 *   unknowns (skip the check of what is unknown). Checks of the
 *   configuration that can fail early go here, as errors in ctx->diags;
 *   nothing may change. Do not require the target to exist: an
 *   action_trigger (after_create, after_update) acts on what the same apply
 *   creates or changes, so at plan time it may not exist yet, and
 *   Terraform plans actions before anything is applied.
 * - invoke: does it, with a wholly known config. Reports progress with
 *   action_progress(ctx, "...") (shown to the user as it happens: say what
 *   is being waited for and the state seen). Waits check action_cancelled
 *   (or a progress return of -1) and return soon when it is set. Returns
 *   RESOURCE_OK when done, or RESOURCE_ERROR with an error in
 *   ctx->rc.diags (say what state the object was left in).
 *
 * WHAT THE FRAMEWORK GUARANTEES
 * - GetProviderSchema lists the schema under action_schemas (clients that
 *   do not know actions, Terraform <= 1.13 and OpenTofu 1.12, ignore it).
 * - invoke runs on a server stream (InvokeAction): each action_progress is
 *   one Progress event, sent before it returns; at the end one Completed
 *   event carries ctx->rc.diags, then the stream ends. RESOURCE_ERROR with
 *   no error diagnostic still completes with an error.
 * - Cancellation: StopProvider (Ctrl-C) stops the provider's AWS client,
 *   so its waits and transfers end with a cancelled error, and sets
 *   action_cancelled; so does the client cancelling the stream.
 */
#ifndef LSMS_FRAMEWORK_ACTION_H
#define LSMS_FRAMEWORK_ACTION_H

#include <stdbool.h>

#include "framework/cty.h"
#include "framework/diag.h"
#include "framework/resource_ctx.h"
#include "framework/schema.h"

struct action_stream; /* framework-owned */

struct action_ctx {
    struct resource_ctx rc;      /* provider data, diagnostics, stop flag */
    struct action_stream *stream; /* where progress goes; opaque */
};

struct lsms_action {
    const char *type_name;
    const struct schema *schema;
    void (*validate)(const struct cty_value *config, struct diags *d);
    void (*plan)(struct resource_ctx *ctx, const struct cty_value *config);
    enum resource_result (*invoke)(struct action_ctx *ctx, const struct cty_value *config);
};

/* Sends one progress message (printf-style; never format a secret). Returns
 * 0, or -1 when the invocation should stop (cancelled). */
int action_progress(struct action_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* True once StopProvider came or the client cancelled the invocation. */
bool action_cancelled(const struct action_ctx *ctx);

/* ---- used by the protocol layer (resources never call these) ---- */

/* Where progress goes: the protocol layer's stream. */
struct action_sink {
    /* Sends one progress message (borrowed). Returns 0, or -1 when the
     * client is gone. */
    int (*progress)(void *arg, const char *message);
    /* True when the client cancelled the call. May be NULL. */
    bool (*cancelled)(void *arg);
    void *arg;
};

/* Runs a->invoke with a wholly known config. Returns RESOURCE_OK, or
 * RESOURCE_ERROR with at least one error in rc->diags. */
enum resource_result action_run(const struct lsms_action *a, struct resource_ctx *rc,
                                const struct cty_value *config, const struct action_sink *sink);

#endif
