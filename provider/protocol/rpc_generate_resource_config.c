#include "protocol/convert.h"
#include "protocol/rpc.h"

/* `terraform plan -generate-config-out` and `terraform query
 * -generate-config-out` (Terraform 1.14+; server capability
 * generate_resource_config): the configuration that, applied with the
 * import, plans no change. The framework derives it from the state
 * (schema_config_from_state), the resource adjusts it (generate_config). */
enum protocol_status rpc_generate_resource_config(const uint8_t *request, size_t len,
                                                  uint8_t **response, size_t *response_len)
{
    Tfplugin6__GenerateResourceConfig__Request *req =
        (Tfplugin6__GenerateResourceConfig__Request *)protobuf_c_message_unpack(
            &tfplugin6__generate_resource_config__request__descriptor, NULL, len, request);
    if (!req)
        return PROTOCOL_STATUS_INVALID_ARGUMENT;
    struct arena a = {0};
    struct diags d = {0};
    Tfplugin6__GenerateResourceConfig__Response resp =
        TFPLUGIN6__GENERATE_RESOURCE_CONFIG__RESPONSE__INIT;
    const struct server_resource *r = rpc_resource_or_diag(req->type_name, &d);
    struct cty_value *state = NULL, *config = NULL;
    if (r)
        state = convert_value_in(req->state, schema_compiled_type(r->schema), "state", &d);
    if (state && (cty_value_is_null(state) || !cty_value_is_wholly_known(state))) {
        /* A list without resource objects gives a null state: the resource
         * block then holds only what the user must fill in. */
        config = schema_config_from_state(r->schema, state);
    } else if (state) {
        config = schema_config_from_state(r->schema, state);
        if (config && r->resource->generate_config)
            r->resource->generate_config(state, config);
        if (config && (!cty_value_conforms(config, schema_compiled_type(r->schema)) ||
                       !cty_value_is_wholly_known(config))) {
            diags_add(&d, DIAG_ERROR, NULL, "Provider produced invalid configuration",
                      "The configuration generated for %s does not match its schema or holds "
                      "unknown values. This is a bug in the provider.",
                      req->type_name);
            cty_value_destroy(config);
            config = NULL;
        }
    }
    if (config)
        resp.config = convert_value_out(&a, config, schema_compiled_type(r->schema), &d);
    else if (state && !diags_has_error(&d))
        diags_add(&d, DIAG_ERROR, NULL, "Out of memory",
                  "The provider ran out of memory while generating configuration.");
    enum protocol_status status = rpc_respond(&a, &d, &resp.base, &resp.n_diagnostics,
                                              &resp.diagnostics, response, response_len);
    cty_value_destroy(state);
    cty_value_destroy(config);
    diags_clean_up(&d);
    arena_clean_up(&a);
    protobuf_c_message_free_unpacked(&req->base, NULL);
    return status;
}
