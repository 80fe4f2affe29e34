#include <stdbool.h>

#include "protocol/convert.h"
#include "protocol/rpc.h"

/*
 * Create, update or delete, chosen by which of prior and planned are null.
 * What comes back obeys OpenTofu's apply rules (plugin-protocol-notes §6.4):
 * no unknown is ever returned; write-only attributes are null; a failed
 * create returns null unless the resource reports a partial object, which is
 * then returned so OpenTofu tracks it (tainted) instead of orphaning it; a
 * failed update returns what the resource reports (the prior state when it
 * changed nothing).
 */
static struct cty_value *rpc_apply_create(const struct server_resource *r,
                                          struct resource_ctx *ctx,
                                          const struct cty_value *planned,
                                          const struct cty_value *config)
{
    struct cty_value *state = cty_value_clone(planned);
    if (!state)
        return NULL;
    enum resource_result rc = r->resource->create(ctx, config, state);
    if (rc == RESOURCE_OK && !cty_value_is_wholly_known(state)) {
        diags_add(ctx->diags, DIAG_ERROR, NULL, "Provider left values unknown after apply",
                  "The create operation of %s finished without setting every computed "
                  "attribute. This is a bug in the provider; the object was created and is "
                  "recorded with the missing values left empty.",
                  r->resource->type_name);
        rc = RESOURCE_PARTIAL;
    }
    if (rc == RESOURCE_ERROR) {
        cty_value_destroy(state);
        return NULL;
    }
    schema_unknowns_to_null(state);
    return state;
}

static struct cty_value *rpc_apply_update(const struct server_resource *r,
                                          struct resource_ctx *ctx, const struct cty_value *prior,
                                          const struct cty_value *planned,
                                          const struct cty_value *config)
{
    struct cty_value *state = cty_value_clone(planned);
    if (!state)
        return NULL;
    enum resource_result rc = r->resource->update(ctx, prior, config, state);
    if (rc == RESOURCE_ERROR) {
        cty_value_destroy(state);
        return cty_value_clone(prior);
    }
    if (rc == RESOURCE_OK && !cty_value_is_wholly_known(state))
        diags_add(ctx->diags, DIAG_ERROR, NULL, "Provider left values unknown after apply",
                  "The update operation of %s finished without setting every computed "
                  "attribute. This is a bug in the provider.",
                  r->resource->type_name);
    schema_unknowns_to_null(state);
    return state;
}

enum protocol_status rpc_apply_resource_change(const uint8_t *request, size_t len,
                                               uint8_t **response, size_t *response_len)
{
    Tfplugin6__ApplyResourceChange__Request *req =
        (Tfplugin6__ApplyResourceChange__Request *)protobuf_c_message_unpack(
            &tfplugin6__apply_resource_change__request__descriptor, NULL, len, request);
    if (!req)
        return PROTOCOL_STATUS_INVALID_ARGUMENT;
    struct arena a = {0};
    struct diags d = {0};
    Tfplugin6__ApplyResourceChange__Response resp =
        TFPLUGIN6__APPLY_RESOURCE_CHANGE__RESPONSE__INIT;
    struct cty_value *prior = NULL, *planned = NULL, *config = NULL, *result = NULL;
    struct cty_value *planned_identity = NULL, *identity = NULL;
    bool answered = false;
    const struct server_resource *r = rpc_resource_or_diag(req->type_name, &d);
    if (r && rpc_identity_in(r, req->planned_identity, &d, &planned_identity) == 0) {
        struct cty_type *type = schema_compiled_type(r->schema);
        prior = convert_value_in(req->prior_state, type, "prior state", &d);
        planned = convert_value_in(req->planned_state, type, "planned state", &d);
        config = convert_value_in(req->config, type, "configuration", &d);
    }
    if (prior && planned && config) {
        struct resource_ctx ctx;
        rpc_resource_ctx_init(&ctx, &d);
        const struct lsms_resource *res = r->resource;
        answered = true;
        if (cty_value_is_null(planned)) {
            if (!res->delete) {
                rpc_diag_unsupported(&d, res->type_name, "delete");
                result = cty_value_clone(prior);
            } else if (res->delete(&ctx, prior) != RESOURCE_OK) {
                /* Still exists as far as we know: keep it in state. */
                result = cty_value_clone(prior);
            }
        } else if (cty_value_is_null(prior)) {
            if (!res->create)
                rpc_diag_unsupported(&d, res->type_name, "create");
            else
                result = rpc_apply_create(r, &ctx, planned, config);
        } else {
            if (!res->update) {
                rpc_diag_unsupported(&d, res->type_name, "update");
                result = cty_value_clone(prior);
            } else {
                result = rpc_apply_update(r, &ctx, prior, planned, config);
            }
        }
        if (result)
            schema_null_write_only(r->schema, result);
        /* The identity of the object now in state. An update must keep the
         * planned one; a create's plan may have held unknowns. A failed
         * apply still reports the identity of what it returns, so that the
         * object is tracked under its identity. */
        bool update = !cty_value_is_null(prior) && !cty_value_is_null(planned);
        struct diags scratch = {0};
        struct resource_ctx ictx = ctx;
        /* After a failure, an identity that cannot be built is left out
         * rather than reported on top of the real error. */
        if (diags_has_error(&d))
            ictx.diags = &scratch;
        if (result && !cty_value_is_null(result) &&
            rpc_identity_of_state(r, &ictx, result, update ? planned_identity : NULL, 0, "apply",
                                  &identity) == 0)
            resp.new_identity = rpc_identity_out(&a, r, identity, &d);
        diags_clean_up(&scratch);
    }
    if (answered)
        resp.new_state = convert_value_out(&a, result, schema_compiled_type(r->schema), &d);
    resp.private_ = req->planned_private;
    enum protocol_status status = rpc_respond(&a, &d, &resp.base, &resp.n_diagnostics,
                                              &resp.diagnostics, response, response_len);
    cty_value_destroy(prior);
    cty_value_destroy(planned);
    cty_value_destroy(config);
    cty_value_destroy(result);
    cty_value_destroy(planned_identity);
    cty_value_destroy(identity);
    diags_clean_up(&d);
    arena_clean_up(&a);
    protobuf_c_message_free_unpacked(&req->base, NULL);
    return status;
}
