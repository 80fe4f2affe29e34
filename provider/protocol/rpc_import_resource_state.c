#include "protocol/convert.h"
#include "protocol/rpc.h"

/* Import starts from a null object of the schema; the resource records what
 * read needs to find the object, and OpenTofu calls ReadResource next. */
enum protocol_status rpc_import_resource_state(const uint8_t *request, size_t len,
                                               uint8_t **response, size_t *response_len)
{
    Tfplugin6__ImportResourceState__Request *req =
        (Tfplugin6__ImportResourceState__Request *)protobuf_c_message_unpack(
            &tfplugin6__import_resource_state__request__descriptor, NULL, len, request);
    if (!req)
        return PROTOCOL_STATUS_INVALID_ARGUMENT;
    struct arena a = {0};
    struct diags d = {0};
    Tfplugin6__ImportResourceState__Response resp =
        TFPLUGIN6__IMPORT_RESOURCE_STATE__RESPONSE__INIT;
    const struct server_resource *r = rpc_resource_or_diag(req->type_name, &d);
    struct cty_value *state = NULL;
    if (r && !r->resource->import) {
        diags_add(&d, DIAG_ERROR, NULL, "Import not supported",
                  "The resource type %s does not support import.", req->type_name);
    } else if (r && (!req->id || !req->id[0])) {
        diags_add(&d, DIAG_ERROR, NULL, "Missing import ID",
                  "Importing %s needs an ID; import by identity is not supported.",
                  req->type_name);
    } else if (r) {
        state = schema_null_object(r->schema);
        struct resource_ctx ctx;
        rpc_resource_ctx_init(&ctx, &d);
        if (state && r->resource->import(&ctx, req->id, state) == RESOURCE_OK) {
            schema_unknowns_to_null(state);
            Tfplugin6__ImportResourceState__ImportedResource *imported =
                arena_alloc(&a, sizeof(*imported));
            resp.imported_resources = arena_calloc(&a, 1, sizeof(*resp.imported_resources));
            if (imported && resp.imported_resources) {
                tfplugin6__import_resource_state__imported_resource__init(imported);
                imported->type_name = arena_strdup(&a, req->type_name);
                imported->state =
                    convert_value_out(&a, state, schema_compiled_type(r->schema), &d);
                resp.imported_resources[resp.n_imported_resources++] = imported;
            }
        }
    }
    enum protocol_status status = rpc_respond(&a, &d, &resp.base, &resp.n_diagnostics,
                                              &resp.diagnostics, response, response_len);
    cty_value_destroy(state);
    diags_clean_up(&d);
    arena_clean_up(&a);
    protobuf_c_message_free_unpacked(&req->base, NULL);
    return status;
}
