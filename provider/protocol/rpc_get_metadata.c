#include "protocol/convert.h"
#include "protocol/rpc.h"

/* OpenTofu never calls GetMetadata; it is answered for other clients (e.g.
 * terraform-plugin-mux style tools) from the same resource list. */
enum protocol_status rpc_get_metadata(const uint8_t *request, size_t len, uint8_t **response,
                                      size_t *response_len)
{
    (void)request;
    (void)len;
    struct arena a = {0};
    Tfplugin6__GetMetadata__Response resp = TFPLUGIN6__GET_METADATA__RESPONSE__INIT;
    Tfplugin6__ServerCapabilities caps = TFPLUGIN6__SERVER_CAPABILITIES__INIT;
    caps.get_provider_schema_optional = 1;
    resp.server_capabilities = &caps;
    const char *error = NULL;
    size_t n = 0;
    const struct server_resource *rs = server_init(&error) == 0 ? server_resources(&n) : NULL;
    resp.resources = arena_calloc(&a, n, sizeof(*resp.resources));
    for (size_t i = 0; rs && resp.resources && i < n; i++) {
        Tfplugin6__GetMetadata__ResourceMetadata *m = arena_alloc(&a, sizeof(*m));
        if (!m)
            break;
        tfplugin6__get_metadata__resource_metadata__init(m);
        m->type_name = arena_strdup(&a, rs[i].resource->type_name);
        resp.resources[resp.n_resources++] = m;
    }
    enum protocol_status status = PROTOCOL_STATUS_OK;
    if (a.failed || convert_pack(&resp.base, response, response_len) != 0)
        status = PROTOCOL_STATUS_INTERNAL;
    arena_clean_up(&a);
    return status;
}
