#include "protocol/convert.h"
#include "protocol/rpc.h"

/* The provider has no data sources; OpenTofu only calls these when a
 * configuration names one, and then the diagnostic says so. */
static void rpc_diag_no_data_source(struct diags *d, const char *type_name)
{
    diags_add(d, DIAG_ERROR, NULL, "Unknown data source",
              "The provider has no data source \"%s\".", type_name ? type_name : "");
}

enum protocol_status rpc_validate_data_resource_config(const uint8_t *request, size_t len,
                                                       uint8_t **response, size_t *response_len)
{
    Tfplugin6__ValidateDataResourceConfig__Request *req =
        (Tfplugin6__ValidateDataResourceConfig__Request *)protobuf_c_message_unpack(
            &tfplugin6__validate_data_resource_config__request__descriptor, NULL, len, request);
    if (!req)
        return PROTOCOL_STATUS_INVALID_ARGUMENT;
    struct arena a = {0};
    struct diags d = {0};
    rpc_diag_no_data_source(&d, req->type_name);
    Tfplugin6__ValidateDataResourceConfig__Response resp =
        TFPLUGIN6__VALIDATE_DATA_RESOURCE_CONFIG__RESPONSE__INIT;
    enum protocol_status status = rpc_respond(&a, &d, &resp.base, &resp.n_diagnostics,
                                              &resp.diagnostics, response, response_len);
    diags_clean_up(&d);
    arena_clean_up(&a);
    protobuf_c_message_free_unpacked(&req->base, NULL);
    return status;
}

enum protocol_status rpc_read_data_source(const uint8_t *request, size_t len, uint8_t **response,
                                          size_t *response_len)
{
    Tfplugin6__ReadDataSource__Request *req =
        (Tfplugin6__ReadDataSource__Request *)protobuf_c_message_unpack(
            &tfplugin6__read_data_source__request__descriptor, NULL, len, request);
    if (!req)
        return PROTOCOL_STATUS_INVALID_ARGUMENT;
    struct arena a = {0};
    struct diags d = {0};
    rpc_diag_no_data_source(&d, req->type_name);
    Tfplugin6__ReadDataSource__Response resp = TFPLUGIN6__READ_DATA_SOURCE__RESPONSE__INIT;
    enum protocol_status status = rpc_respond(&a, &d, &resp.base, &resp.n_diagnostics,
                                              &resp.diagnostics, response, response_len);
    diags_clean_up(&d);
    arena_clean_up(&a);
    protobuf_c_message_free_unpacked(&req->base, NULL);
    return status;
}
