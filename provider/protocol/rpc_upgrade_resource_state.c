#include <stdlib.h>
#include <string.h>

#include "protocol/convert.h"
#include "protocol/rpc.h"

/* OpenTofu calls this for every instance read from state, even when the
 * schema version did not change. State JSON written by the current version
 * decodes directly (OpenTofu has already stripped removed attributes); older
 * versions go through the resource's upgrader. */
static struct cty_value *rpc_upgrade_value(const struct server_resource *r, int64_t version,
                                           const Tfplugin6__RawState *raw, struct diags *d)
{
    const struct schema *s = r->resource->schema;
    if (!raw || raw->json.len == 0) {
        diags_add(d, DIAG_ERROR, NULL, "Unsupported state format",
                  "The state of %s is not in JSON form (legacy flatmap state from Terraform "
                  "0.11 or older cannot be upgraded).",
                  r->resource->type_name);
        return NULL;
    }
    if (version > s->version) {
        diags_add(d, DIAG_ERROR, NULL, "Resource instance managed by newer provider version",
                  "The state of %s was written with schema version %lld, newer than this "
                  "provider's %lld. Upgrade the provider.",
                  r->resource->type_name, (long long)version, (long long)s->version);
        return NULL;
    }
    if (version < s->version) {
        if (!r->resource->upgrade_state) {
            diags_add(d, DIAG_ERROR, NULL, "Cannot upgrade state",
                      "The provider has no upgrade from schema version %lld of %s.",
                      (long long)version, r->resource->type_name);
            return NULL;
        }
        struct resource_ctx ctx;
        rpc_resource_ctx_init(&ctx, d);
        char *json = strndup((const char *)raw->json.data, raw->json.len);
        struct cty_value *v = json ? r->resource->upgrade_state(&ctx, version, json) : NULL;
        free(json);
        return v;
    }
    char *error = NULL;
    struct cty_value *v = cty_value_from_json((const char *)raw->json.data, raw->json.len,
                                              schema_compiled_type(r->schema), &error);
    if (!v)
        diags_add(d, DIAG_ERROR, NULL, "Invalid state",
                  "The stored state of %s could not be decoded: %s.", r->resource->type_name,
                  error ? error : "out of memory");
    free(error);
    return v;
}

enum protocol_status rpc_upgrade_resource_state(const uint8_t *request, size_t len,
                                                uint8_t **response, size_t *response_len)
{
    Tfplugin6__UpgradeResourceState__Request *req =
        (Tfplugin6__UpgradeResourceState__Request *)protobuf_c_message_unpack(
            &tfplugin6__upgrade_resource_state__request__descriptor, NULL, len, request);
    if (!req)
        return PROTOCOL_STATUS_INVALID_ARGUMENT;
    struct arena a = {0};
    struct diags d = {0};
    Tfplugin6__UpgradeResourceState__Response resp =
        TFPLUGIN6__UPGRADE_RESOURCE_STATE__RESPONSE__INIT;
    const struct server_resource *r = rpc_resource_or_diag(req->type_name, &d);
    if (r) {
        struct cty_value *v = rpc_upgrade_value(r, req->version, req->raw_state, &d);
        if (v) {
            schema_null_write_only(r->schema, v);
            resp.upgraded_state = convert_value_out(&a, v, schema_compiled_type(r->schema), &d);
        }
        cty_value_destroy(v);
    }
    enum protocol_status status = rpc_respond(&a, &d, &resp.base, &resp.n_diagnostics,
                                              &resp.diagnostics, response, response_len);
    diags_clean_up(&d);
    arena_clean_up(&a);
    protobuf_c_message_free_unpacked(&req->base, NULL);
    return status;
}
