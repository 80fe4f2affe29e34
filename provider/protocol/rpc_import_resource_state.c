#include "protocol/convert.h"
#include "protocol/rpc.h"

/*
 * Import starts from a null object of the schema; the resource records what
 * read needs to find the object, and the client calls ReadResource next.
 * By ID (every client): the resource's import. By identity (Terraform and
 * OpenTofu 1.12+, `import { identity = {...} }`): the identity is checked
 * against the identity schema, then the resource's identity import (or the
 * framework's copy of the identity into the state). Either way the imported
 * object's identity goes back with it (identity.h).
 */
static struct cty_value *rpc_import_by_identity(const struct server_resource *r,
                                                struct resource_ctx *ctx,
                                                const struct cty_value *given)
{
    const char *type_name = r->resource->type_name;
    schema_validate_config(r->identity, given, ctx->diags);
    if (diags_has_error(ctx->diags))
        return NULL;
    if (!identity_complete(r->identity, given)) {
        diags_add(ctx->diags, DIAG_ERROR, NULL, "Invalid import identity",
                  "Importing %s by identity needs every attribute that is required for import "
                  "(see the resource's documentation).",
                  type_name);
        return NULL;
    }
    struct cty_value *state = schema_null_object(r->schema);
    if (!state)
        return NULL;
    if (r->resource->identity->import) {
        if (r->resource->identity->import(ctx, given, state) != RESOURCE_OK) {
            cty_value_destroy(state);
            return NULL;
        }
    } else {
        identity_copy_to_state(given, state);
    }
    return state;
}

/* The imported object's identity: what the state gives, completed by the
 * identity the user gave (attributes read will fill are still null). */
static int rpc_import_identity(const struct server_resource *r, struct resource_ctx *ctx,
                               const struct cty_value *state, const struct cty_value *given,
                               struct cty_value **out)
{
    *out = NULL;
    struct cty_value *identity = NULL;
    if (identity_from_state(r->resource->identity, r->identity, ctx, state, &identity) != 0)
        return -1;
    if (!identity)
        return 0;
    if (given) {
        struct cty_type *t = schema_compiled_type(r->identity);
        for (size_t i = 0; i < cty_type_count(t); i++) {
            const char *name = cty_type_attr_name(t, i);
            const struct cty_value *v = cty_value_attr(identity, name);
            if (v && cty_value_is_known(v) && !cty_value_is_null(v))
                continue;
            struct cty_value *copy = cty_value_clone(cty_value_attr(given, name));
            if (copy)
                (void)cty_object_set(identity, name, copy);
        }
    } else if (!identity_complete(r->identity, identity)) {
        /* By ID, read may be what completes it: it returns it then. */
        cty_value_destroy(identity);
        return 0;
    }
    if (identity_check(r->identity, identity, NULL, 0, r->resource->type_name, "import",
                       ctx->diags) != 0) {
        cty_value_destroy(identity);
        return -1;
    }
    *out = identity;
    return 0;
}

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
    struct cty_value *state = NULL, *given = NULL, *identity = NULL;
    struct resource_ctx ctx;
    rpc_resource_ctx_init(&ctx, &d);
    bool by_id = req->id && req->id[0];
    if (r && rpc_identity_in(r, req->identity, &d, &given) != 0) {
        /* diagnosed */
    } else if (r && !by_id && given) {
        state = rpc_import_by_identity(r, &ctx, given);
    } else if (r && !by_id) {
        diags_add(&d, DIAG_ERROR, NULL, "Missing import ID",
                  "Importing %s needs an ID%s.", req->type_name,
                  r->identity ? " or an identity" : "");
    } else if (r && !r->resource->import) {
        diags_add(&d, DIAG_ERROR, NULL, "Import not supported",
                  "The resource type %s does not support import by ID.", req->type_name);
    } else if (r) {
        state = schema_null_object(r->schema);
        if (state && r->resource->import(&ctx, req->id, state) != RESOURCE_OK) {
            cty_value_destroy(state);
            state = NULL;
        }
    }
    if (state) {
        schema_unknowns_to_null(state);
        schema_null_write_only(r->schema, state);
    }
    if (state && r->identity && rpc_import_identity(r, &ctx, state, given, &identity) != 0) {
        cty_value_destroy(state);
        state = NULL;
    }
    if (state) {
        Tfplugin6__ImportResourceState__ImportedResource *imported =
            arena_alloc(&a, sizeof(*imported));
        resp.imported_resources = arena_calloc(&a, 1, sizeof(*resp.imported_resources));
        if (imported && resp.imported_resources) {
            tfplugin6__import_resource_state__imported_resource__init(imported);
            imported->type_name = arena_strdup(&a, req->type_name);
            imported->state = convert_value_out(&a, state, schema_compiled_type(r->schema), &d);
            imported->identity = rpc_identity_out(&a, r, identity, &d);
            resp.imported_resources[resp.n_imported_resources++] = imported;
        }
    }
    enum protocol_status status = rpc_respond(&a, &d, &resp.base, &resp.n_diagnostics,
                                              &resp.diagnostics, response, response_len);
    cty_value_destroy(state);
    cty_value_destroy(given);
    cty_value_destroy(identity);
    diags_clean_up(&d);
    arena_clean_up(&a);
    protobuf_c_message_free_unpacked(&req->base, NULL);
    return status;
}
