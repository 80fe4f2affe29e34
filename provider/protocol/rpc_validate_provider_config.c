#include "protocol/convert.h"
#include "protocol/rpc.h"

enum protocol_status rpc_validate_provider_config(const uint8_t *request, size_t len,
                                                  uint8_t **response, size_t *response_len)
{
    Tfplugin6__ValidateProviderConfig__Request *req =
        (Tfplugin6__ValidateProviderConfig__Request *)protobuf_c_message_unpack(
            &tfplugin6__validate_provider_config__request__descriptor, NULL, len, request);
    if (!req)
        return PROTOCOL_STATUS_INVALID_ARGUMENT;
    struct arena a = {0};
    struct diags d = {0};
    struct cty_value *config = rpc_provider_config_in(req->config, &d);
    if (config) {
        schema_validate_config(server_provider_schema(), config, &d);
        if (lsms_provider.validate)
            lsms_provider.validate(config, &d);
    }
    cty_value_destroy(config);
    Tfplugin6__ValidateProviderConfig__Response resp =
        TFPLUGIN6__VALIDATE_PROVIDER_CONFIG__RESPONSE__INIT;
    enum protocol_status status = rpc_respond(&a, &d, &resp.base, &resp.n_diagnostics,
                                              &resp.diagnostics, response, response_len);
    diags_clean_up(&d);
    arena_clean_up(&a);
    protobuf_c_message_free_unpacked(&req->base, NULL);
    return status;
}
