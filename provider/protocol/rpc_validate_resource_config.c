#include "protocol/convert.h"
#include "protocol/rpc.h"

/* Called in the validate walk and again before every plan, with values that
 * may be unknown: only known values are judged. */
enum protocol_status rpc_validate_resource_config(const uint8_t *request, size_t len,
                                                  uint8_t **response, size_t *response_len)
{
    Tfplugin6__ValidateResourceConfig__Request *req =
        (Tfplugin6__ValidateResourceConfig__Request *)protobuf_c_message_unpack(
            &tfplugin6__validate_resource_config__request__descriptor, NULL, len, request);
    if (!req)
        return PROTOCOL_STATUS_INVALID_ARGUMENT;
    struct arena a = {0};
    struct diags d = {0};
    const struct server_resource *r = rpc_resource_or_diag(req->type_name, &d);
    if (r) {
        struct cty_value *config = convert_value_in(
            req->config, schema_compiled_type(r->schema), "resource configuration", &d);
        if (config) {
            schema_validate_config(r->schema, config, &d);
            if (r->resource->validate)
                r->resource->validate(config, &d);
        }
        cty_value_destroy(config);
    }
    Tfplugin6__ValidateResourceConfig__Response resp =
        TFPLUGIN6__VALIDATE_RESOURCE_CONFIG__RESPONSE__INIT;
    enum protocol_status status = rpc_respond(&a, &d, &resp.base, &resp.n_diagnostics,
                                              &resp.diagnostics, response, response_len);
    diags_clean_up(&d);
    arena_clean_up(&a);
    protobuf_c_message_free_unpacked(&req->base, NULL);
    return status;
}
