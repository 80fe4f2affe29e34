#include "protocol/convert.h"
#include "protocol/rpc.h"

enum protocol_status rpc_configure_provider(const uint8_t *request, size_t len,
                                            uint8_t **response, size_t *response_len)
{
    Tfplugin6__ConfigureProvider__Request *req =
        (Tfplugin6__ConfigureProvider__Request *)protobuf_c_message_unpack(
            &tfplugin6__configure_provider__request__descriptor, NULL, len, request);
    if (!req)
        return PROTOCOL_STATUS_INVALID_ARGUMENT;
    struct arena a = {0};
    struct diags d = {0};
    struct cty_value *config = rpc_provider_config_in(req->config, &d);
    if (config) {
        void *data = lsms_provider.configure(config, req->terraform_version, &d);
        if (data)
            server_set_provider_data(data);
        else if (!diags_has_error(&d))
            diags_add(&d, DIAG_ERROR, NULL, "Provider configuration failed",
                      "The provider could not be configured.");
    }
    cty_value_destroy(config);
    Tfplugin6__ConfigureProvider__Response resp = TFPLUGIN6__CONFIGURE_PROVIDER__RESPONSE__INIT;
    enum protocol_status status = rpc_respond(&a, &d, &resp.base, &resp.n_diagnostics,
                                              &resp.diagnostics, response, response_len);
    diags_clean_up(&d);
    arena_clean_up(&a);
    protobuf_c_message_free_unpacked(&req->base, NULL);
    return status;
}
