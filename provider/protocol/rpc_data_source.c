#include "protocol/convert.h"
#include "protocol/rpc.h"

/* The data source for type_name, or NULL with an error diagnostic. */
static const struct server_data_source *rpc_data_source_or_diag(const char *type_name,
                                                                struct diags *d)
{
    const char *error = NULL;
    if (server_init(&error) != 0) {
        diags_add(d, DIAG_ERROR, NULL, "Provider schema is invalid",
                  "The provider cannot serve any request: %s. This is a bug in the provider.",
                  error);
        return NULL;
    }
    const struct server_data_source *ds = server_find_data_source(type_name);
    if (!ds)
        diags_add(d, DIAG_ERROR, NULL, "Unknown data source",
                  "The provider has no data source \"%s\".", type_name ? type_name : "");
    return ds;
}

/* The validate walk and again before each read, with values that may be
 * unknown: only known values are judged. */
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
    const struct server_data_source *ds = rpc_data_source_or_diag(req->type_name, &d);
    if (ds) {
        struct cty_value *config = convert_value_in(
            req->config, schema_compiled_type(ds->schema), "data source configuration", &d);
        if (config) {
            schema_validate_config(ds->schema, config, &d);
            if (ds->data_source->validate)
                ds->data_source->validate(config, &d);
        }
        cty_value_destroy(config);
    }
    Tfplugin6__ValidateDataResourceConfig__Response resp =
        TFPLUGIN6__VALIDATE_DATA_RESOURCE_CONFIG__RESPONSE__INIT;
    enum protocol_status status = rpc_respond(&a, &d, &resp.base, &resp.n_diagnostics,
                                              &resp.diagnostics, response, response_len);
    diags_clean_up(&d);
    arena_clean_up(&a);
    protobuf_c_message_free_unpacked(&req->base, NULL);
    return status;
}

/* Clients call this only with a wholly known config (they plan unknown
 * results themselves otherwise); a config with unknowns is refused rather
 * than read half-known. */
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
    Tfplugin6__ReadDataSource__Response resp = TFPLUGIN6__READ_DATA_SOURCE__RESPONSE__INIT;
    const struct server_data_source *ds = rpc_data_source_or_diag(req->type_name, &d);
    struct cty_value *config = NULL, *state = NULL;
    if (ds)
        config = convert_value_in(req->config, schema_compiled_type(ds->schema),
                                  "data source configuration", &d);
    if (config && (cty_value_is_null(config) || !cty_value_is_wholly_known(config))) {
        diags_add(&d, DIAG_ERROR, NULL, "Data source configuration not known",
                  "The data source %s can only be read once its whole configuration is known.",
                  req->type_name);
    } else if (config) {
        schema_validate_config(ds->schema, config, &d);
        if (!diags_has_error(&d)) {
            struct resource_ctx ctx;
            rpc_resource_ctx_init(&ctx, &d);
            if (data_source_run(ds->data_source, ds->schema, &ctx, config, &state) == 0)
                resp.state = convert_value_out(&a, state, schema_compiled_type(ds->schema), &d);
        }
    }
    enum protocol_status status = rpc_respond(&a, &d, &resp.base, &resp.n_diagnostics,
                                              &resp.diagnostics, response, response_len);
    cty_value_destroy(config);
    cty_value_destroy(state);
    diags_clean_up(&d);
    arena_clean_up(&a);
    protobuf_c_message_free_unpacked(&req->base, NULL);
    return status;
}
