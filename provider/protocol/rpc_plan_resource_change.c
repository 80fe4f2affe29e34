#include "framework/plan.h"
#include "protocol/convert.h"
#include "protocol/rpc.h"

/* The planned identity (identity.h). An in-place update cannot change what
 * names the object, so its identity is the prior state's (computed
 * attributes of the planned state may be unknown in an update). A create or
 * replace names the new object, whose identity is often not known before
 * apply: it is then left out of the plan, because Terraform's plan renderer
 * fails on an identity holding unknowns ("Failed to marshal plan to json:
 * value is not known", and no plan is shown); apply returns it. */
static int rpc_plan_identity(const struct server_resource *r, struct resource_ctx *ctx,
                             const struct cty_value *prior, const struct plan_result *plan,
                             const struct cty_value *prior_identity, struct cty_value **out)
{
    *out = NULL;
    if (!plan->planned || cty_value_is_null(plan->planned))
        return 0;
    if (!cty_value_is_null(prior) && plan->n_replace == 0)
        return rpc_identity_of_state(r, ctx, prior, prior_identity, 0, "plan", out);
    if (rpc_identity_of_state(r, ctx, plan->planned, NULL, IDENTITY_MAY_BE_UNKNOWN, "plan", out) !=
        0)
        return -1;
    if (*out && !cty_value_is_wholly_known(*out)) {
        cty_value_destroy(*out);
        *out = NULL;
    }
    return 0;
}

enum protocol_status rpc_plan_resource_change(const uint8_t *request, size_t len,
                                              uint8_t **response, size_t *response_len)
{
    Tfplugin6__PlanResourceChange__Request *req =
        (Tfplugin6__PlanResourceChange__Request *)protobuf_c_message_unpack(
            &tfplugin6__plan_resource_change__request__descriptor, NULL, len, request);
    if (!req)
        return PROTOCOL_STATUS_INVALID_ARGUMENT;
    struct arena a = {0};
    struct diags d = {0};
    Tfplugin6__PlanResourceChange__Response resp = TFPLUGIN6__PLAN_RESOURCE_CHANGE__RESPONSE__INIT;
    struct cty_value *prior = NULL, *proposed = NULL, *config = NULL;
    struct cty_value *prior_identity = NULL, *identity = NULL;
    struct plan_result plan = {0};
    const struct server_resource *r = rpc_resource_or_diag(req->type_name, &d);
    if (r && rpc_identity_in(r, req->prior_identity, &d, &prior_identity) == 0) {
        struct cty_type *type = schema_compiled_type(r->schema);
        prior = convert_value_in(req->prior_state, type, "prior state", &d);
        proposed = convert_value_in(req->proposed_new_state, type, "proposed new state", &d);
        config = convert_value_in(req->config, type, "configuration", &d);
    }
    if (prior && proposed && config) {
        struct resource_ctx ctx;
        rpc_resource_ctx_init(&ctx, &d);
        if (plan_resource_change(r->resource, r->schema, &ctx, prior, proposed, config, &plan) ==
            0) {
            resp.planned_state =
                convert_value_out(&a, plan.planned, schema_compiled_type(r->schema), &d);
            resp.requires_replace =
                arena_calloc(&a, plan.n_replace, sizeof(*resp.requires_replace));
            for (size_t i = 0; resp.requires_replace && i < plan.n_replace; i++)
                resp.requires_replace[resp.n_requires_replace++] =
                    convert_path_out(&a, &plan.replace[i]);
            if (rpc_plan_identity(r, &ctx, prior, &plan, prior_identity, &identity) == 0)
                resp.planned_identity = rpc_identity_out(&a, r, identity, &d);
        }
    }
    resp.planned_private = req->prior_private;
    enum protocol_status status = rpc_respond(&a, &d, &resp.base, &resp.n_diagnostics,
                                              &resp.diagnostics, response, response_len);
    plan_result_clean_up(&plan);
    cty_value_destroy(prior);
    cty_value_destroy(proposed);
    cty_value_destroy(config);
    cty_value_destroy(prior_identity);
    cty_value_destroy(identity);
    diags_clean_up(&d);
    arena_clean_up(&a);
    protobuf_c_message_free_unpacked(&req->base, NULL);
    return status;
}
