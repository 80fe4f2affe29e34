#include <stdlib.h>
#include <string.h>

#include "protocol/convert.h"
#include "protocol/rpc.h"

/* Terraform calls this inside every GetProviderSchema (and tolerates only
 * UNIMPLEMENTED as an error): it lists the resources that have an identity. */
enum protocol_status rpc_get_resource_identity_schemas(const uint8_t *request, size_t len,
                                                       uint8_t **response, size_t *response_len)
{
    (void)request;
    (void)len;
    struct arena a = {0};
    struct diags d = {0};
    Tfplugin6__GetResourceIdentitySchemas__Response resp =
        TFPLUGIN6__GET_RESOURCE_IDENTITY_SCHEMAS__RESPONSE__INIT;
    const char *error = NULL;
    if (server_init(&error) != 0) {
        diags_add(&d, DIAG_ERROR, NULL, "Provider schema is invalid",
                  "The provider's schema tables are invalid: %s. This is a bug in the provider.",
                  error);
    } else {
        size_t n = 0;
        const struct server_resource *rs = server_resources(&n);
        resp.identity_schemas = arena_calloc(&a, n, sizeof(*resp.identity_schemas));
        for (size_t i = 0; resp.identity_schemas && i < n; i++) {
            if (!rs[i].resource->identity)
                continue;
            Tfplugin6__GetResourceIdentitySchemas__Response__IdentitySchemasEntry *e =
                arena_alloc(&a, sizeof(*e));
            if (!e)
                break;
            tfplugin6__get_resource_identity_schemas__response__identity_schemas_entry__init(e);
            e->key = arena_strdup(&a, rs[i].resource->type_name);
            e->value = convert_identity_schema_out(&a, rs[i].resource->identity);
            resp.identity_schemas[resp.n_identity_schemas++] = e;
        }
    }
    enum protocol_status status = rpc_respond(&a, &d, &resp.base, &resp.n_diagnostics,
                                              &resp.diagnostics, response, response_len);
    diags_clean_up(&d);
    arena_clean_up(&a);
    return status;
}

int rpc_identity_in(const struct server_resource *r, const Tfplugin6__ResourceIdentityData *in,
                    struct diags *d, struct cty_value **out)
{
    *out = NULL;
    if (!in || !in->identity_data ||
        (in->identity_data->msgpack.len == 0 && in->identity_data->json.len == 0))
        return 0;
    if (!r->identity) {
        diags_add(d, DIAG_ERROR, NULL, "Unexpected resource identity",
                  "The resource type %s has no identity, but one was sent.",
                  r->resource->type_name);
        return -1;
    }
    *out = convert_value_in(in->identity_data, schema_compiled_type(r->identity),
                            "resource identity", d);
    if (*out && cty_value_is_null(*out)) {
        cty_value_destroy(*out);
        *out = NULL;
    }
    return *out || !diags_has_error(d) ? 0 : -1;
}

Tfplugin6__ResourceIdentityData *rpc_identity_out(struct arena *a, const struct server_resource *r,
                                                  const struct cty_value *identity,
                                                  struct diags *d)
{
    if (!identity || !r->identity)
        return NULL;
    Tfplugin6__ResourceIdentityData *out = arena_alloc(a, sizeof(*out));
    if (!out)
        return NULL;
    tfplugin6__resource_identity_data__init(out);
    out->identity_data = convert_value_out(a, identity, schema_compiled_type(r->identity), d);
    return out->identity_data ? out : NULL;
}

int rpc_identity_of_state(const struct server_resource *r, struct resource_ctx *ctx,
                          const struct cty_value *state, const struct cty_value *prior,
                          unsigned flags, const char *operation, struct cty_value **out)
{
    *out = NULL;
    if (!r->identity)
        return 0;
    struct cty_value *identity = NULL;
    if (identity_from_state(r->resource->identity, r->identity, ctx, state, &identity) != 0)
        return -1;
    identity_keep_stored(r->identity, identity, prior);
    if (identity && identity_check(r->identity, identity, prior, flags, r->resource->type_name,
                                   operation, ctx->diags) != 0) {
        cty_value_destroy(identity);
        return -1;
    }
    *out = identity;
    return 0;
}

/* A stored identity written by an older (or the same) identity version. */
enum protocol_status rpc_upgrade_resource_identity(const uint8_t *request, size_t len,
                                                   uint8_t **response, size_t *response_len)
{
    Tfplugin6__UpgradeResourceIdentity__Request *req =
        (Tfplugin6__UpgradeResourceIdentity__Request *)protobuf_c_message_unpack(
            &tfplugin6__upgrade_resource_identity__request__descriptor, NULL, len, request);
    if (!req)
        return PROTOCOL_STATUS_INVALID_ARGUMENT;
    struct arena a = {0};
    struct diags d = {0};
    Tfplugin6__UpgradeResourceIdentity__Response resp =
        TFPLUGIN6__UPGRADE_RESOURCE_IDENTITY__RESPONSE__INIT;
    const struct server_resource *r = rpc_resource_or_diag(req->type_name, &d);
    struct cty_value *v = NULL;
    const Tfplugin6__RawState *raw = req->raw_identity;
    if (r && !r->identity) {
        diags_add(&d, DIAG_ERROR, NULL, "Resource has no identity",
                  "The resource type %s has no identity to upgrade.", req->type_name);
    } else if (r && (!raw || raw->json.len == 0)) {
        diags_add(&d, DIAG_ERROR, NULL, "Unsupported identity format",
                  "The stored identity of %s is not in JSON form.", req->type_name);
    } else if (r && req->version > r->resource->identity->version) {
        diags_add(&d, DIAG_ERROR, NULL, "Resource identity managed by newer provider version",
                  "The identity of %s was written with identity version %lld, newer than this "
                  "provider's %lld. Upgrade the provider.",
                  req->type_name, (long long)req->version,
                  (long long)r->resource->identity->version);
    } else if (r && req->version < r->resource->identity->version) {
        if (!r->resource->identity->upgrade) {
            diags_add(&d, DIAG_ERROR, NULL, "Cannot upgrade resource identity",
                      "The provider has no upgrade from identity version %lld of %s.",
                      (long long)req->version, req->type_name);
        } else {
            struct resource_ctx ctx;
            rpc_resource_ctx_init(&ctx, &d);
            char *json = strndup((const char *)raw->json.data, raw->json.len);
            v = json ? r->resource->identity->upgrade(&ctx, req->version, json) : NULL;
            free(json);
        }
    } else if (r) {
        char *error = NULL;
        v = cty_value_from_json((const char *)raw->json.data, raw->json.len,
                                schema_compiled_type(r->identity), &error);
        if (!v)
            diags_add(&d, DIAG_ERROR, NULL, "Invalid resource identity",
                      "The stored identity of %s could not be decoded: %s.", req->type_name,
                      error ? error : "out of memory");
        free(error);
    }
    if (v && identity_check(r->identity, v, NULL, 0, req->type_name, "identity upgrade", &d) == 0)
        resp.upgraded_identity = rpc_identity_out(&a, r, v, &d);
    enum protocol_status status = rpc_respond(&a, &d, &resp.base, &resp.n_diagnostics,
                                              &resp.diagnostics, response, response_len);
    cty_value_destroy(v);
    diags_clean_up(&d);
    arena_clean_up(&a);
    protobuf_c_message_free_unpacked(&req->base, NULL);
    return status;
}
