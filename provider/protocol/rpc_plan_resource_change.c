#include "framework/plan.h"
#include "protocol/convert.h"
#include "protocol/rpc.h"

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
    struct plan_result plan = {0};
    const struct server_resource *r = rpc_resource_or_diag(req->type_name, &d);
    if (r) {
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
        }
    }
    resp.planned_private = req->prior_private;
    enum protocol_status status = rpc_respond(&a, &d, &resp.base, &resp.n_diagnostics,
                                              &resp.diagnostics, response, response_len);
    plan_result_clean_up(&plan);
    cty_value_destroy(prior);
    cty_value_destroy(proposed);
    cty_value_destroy(config);
    diags_clean_up(&d);
    arena_clean_up(&a);
    protobuf_c_message_free_unpacked(&req->base, NULL);
    return status;
}
