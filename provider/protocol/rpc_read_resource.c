#include "protocol/convert.h"
#include "protocol/rpc.h"

/* Refresh: the resource updates the state in place. A null answer tells
 * OpenTofu the object is gone, so the next plan creates it again. On error
 * the state comes back unchanged with the diagnostics. The identity of the
 * refreshed object goes with it (identity.h): a state written before the
 * resource had one, or by a client without identity, gains it here. */
enum protocol_status rpc_read_resource(const uint8_t *request, size_t len, uint8_t **response,
                                       size_t *response_len)
{
    Tfplugin6__ReadResource__Request *req =
        (Tfplugin6__ReadResource__Request *)protobuf_c_message_unpack(
            &tfplugin6__read_resource__request__descriptor, NULL, len, request);
    if (!req)
        return PROTOCOL_STATUS_INVALID_ARGUMENT;
    struct arena a = {0};
    struct diags d = {0};
    Tfplugin6__ReadResource__Response resp = TFPLUGIN6__READ_RESOURCE__RESPONSE__INIT;
    const struct server_resource *r = rpc_resource_or_diag(req->type_name, &d);
    struct cty_value *state = NULL, *prior_identity = NULL, *identity = NULL;
    bool gone = false, refreshed_ok = false;
    if (r && rpc_identity_in(r, req->current_identity, &d, &prior_identity) == 0)
        state = convert_value_in(req->current_state, schema_compiled_type(r->schema),
                                 "current state", &d);
    if (state && !cty_value_is_null(state)) {
        if (!r->resource->read) {
            rpc_diag_unsupported(&d, req->type_name, "read");
        } else {
            struct cty_value *refreshed = cty_value_clone(state);
            struct resource_ctx ctx;
            rpc_resource_ctx_init(&ctx, &d);
            if (refreshed && r->resource->read(&ctx, refreshed, &gone) == RESOURCE_OK) {
                schema_null_write_only(r->schema, refreshed);
                cty_value_destroy(state);
                state = refreshed;
                refreshed_ok = true;
            } else {
                gone = false;
                cty_value_destroy(refreshed);
            }
        }
    }
    /* The identity of what read found; an object that is gone has none. A
     * failed read keeps the stored identity, as it keeps the state. */
    if (refreshed_ok && !gone) {
        struct resource_ctx ctx;
        rpc_resource_ctx_init(&ctx, &d);
        if (rpc_identity_of_state(r, &ctx, state, prior_identity, 0, "read", &identity) == 0)
            resp.new_identity = rpc_identity_out(&a, r, identity, &d);
    } else if (!gone && prior_identity) {
        resp.new_identity = rpc_identity_out(&a, r, prior_identity, &d);
    }
    if (r && state)
        resp.new_state =
            convert_value_out(&a, gone ? NULL : state, schema_compiled_type(r->schema), &d);
    /* Opaque private data is handed back unchanged. */
    resp.private_ = req->private_;
    enum protocol_status status = rpc_respond(&a, &d, &resp.base, &resp.n_diagnostics,
                                              &resp.diagnostics, response, response_len);
    cty_value_destroy(state);
    cty_value_destroy(prior_identity);
    cty_value_destroy(identity);
    diags_clean_up(&d);
    arena_clean_up(&a);
    protobuf_c_message_free_unpacked(&req->base, NULL);
    return status;
}
