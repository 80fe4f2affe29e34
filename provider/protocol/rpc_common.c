#include "protocol/convert.h"
#include "protocol/rpc.h"

/* 0, or -1 with a diagnostic when the schema tables cannot be compiled. */
static int rpc_server_ready(struct diags *d)
{
    const char *error = NULL;
    if (server_init(&error) == 0)
        return 0;
    diags_add(d, DIAG_ERROR, NULL, "Provider schema is invalid",
              "The provider cannot serve any request: %s. This is a bug in the provider.", error);
    return -1;
}

struct cty_value *rpc_provider_config_in(const Tfplugin6__DynamicValue *dv, struct diags *d)
{
    if (rpc_server_ready(d) != 0)
        return NULL;
    return convert_value_in(dv, schema_compiled_type(server_provider_schema()),
                            "provider configuration", d);
}

const struct server_resource *rpc_resource_or_diag(const char *type_name, struct diags *d)
{
    if (rpc_server_ready(d) != 0)
        return NULL;
    const struct server_resource *r = server_find_resource(type_name);
    if (!r)
        diags_add(d, DIAG_ERROR, NULL, "Unknown resource type",
                  "The provider has no resource type \"%s\".", type_name ? type_name : "");
    return r;
}

void rpc_resource_ctx_init(struct resource_ctx *ctx, struct diags *d)
{
    ctx->provider_data = server_provider_data();
    ctx->diags = d;
    ctx->stop_requested = server_stop_flag();
}

void rpc_diag_unsupported(struct diags *d, const char *type_name, const char *operation)
{
    diags_add(d, DIAG_ERROR, NULL, "Operation not supported",
              "The resource type %s does not support the %s operation.", type_name, operation);
}

enum protocol_status rpc_respond(struct arena *a, const struct diags *d,
                                 const ProtobufCMessage *resp, size_t *n_diagnostics,
                                 Tfplugin6__Diagnostic ***diagnostics, uint8_t **out,
                                 size_t *out_len)
{
    convert_diags_out(a, d, n_diagnostics, diagnostics);
    if (a->failed || convert_pack(resp, out, out_len) != 0)
        return PROTOCOL_STATUS_INTERNAL;
    return PROTOCOL_STATUS_OK;
}
