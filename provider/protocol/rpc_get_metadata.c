#include "protocol/convert.h"
#include "protocol/rpc.h"

/* No client calls GetMetadata ("CURRENTLY UNUSED" in the protocol); it is
 * answered for other tools (e.g. terraform-plugin-mux style) from the same
 * tables as GetProviderSchema. */
enum protocol_status rpc_get_metadata(const uint8_t *request, size_t len, uint8_t **response,
                                      size_t *response_len)
{
    (void)request;
    (void)len;
    struct arena a = {0};
    Tfplugin6__GetMetadata__Response resp = TFPLUGIN6__GET_METADATA__RESPONSE__INIT;
    Tfplugin6__ServerCapabilities caps = TFPLUGIN6__SERVER_CAPABILITIES__INIT;
    caps.get_provider_schema_optional = 1;
    caps.generate_resource_config = 1;
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
    const struct server_data_source *ds = rs ? server_data_sources(&n) : NULL;
    resp.data_sources = arena_calloc(&a, n, sizeof(*resp.data_sources));
    for (size_t i = 0; ds && resp.data_sources && i < n; i++) {
        Tfplugin6__GetMetadata__DataSourceMetadata *m = arena_alloc(&a, sizeof(*m));
        if (!m)
            break;
        tfplugin6__get_metadata__data_source_metadata__init(m);
        m->type_name = arena_strdup(&a, ds[i].data_source->type_name);
        resp.data_sources[resp.n_data_sources++] = m;
    }
    const struct server_function *fs = rs ? server_functions(&n) : NULL;
    resp.functions = arena_calloc(&a, n, sizeof(*resp.functions));
    for (size_t i = 0; fs && resp.functions && i < n; i++) {
        Tfplugin6__GetMetadata__FunctionMetadata *m = arena_alloc(&a, sizeof(*m));
        if (!m)
            break;
        tfplugin6__get_metadata__function_metadata__init(m);
        m->name = arena_strdup(&a, fs[i].function->name);
        resp.functions[resp.n_functions++] = m;
    }
    const struct server_action *as = rs ? server_actions(&n) : NULL;
    resp.actions = arena_calloc(&a, n, sizeof(*resp.actions));
    for (size_t i = 0; as && resp.actions && i < n; i++) {
        Tfplugin6__GetMetadata__ActionMetadata *m = arena_alloc(&a, sizeof(*m));
        if (!m)
            break;
        tfplugin6__get_metadata__action_metadata__init(m);
        m->type_name = arena_strdup(&a, as[i].action->type_name);
        resp.actions[resp.n_actions++] = m;
    }
    rs = rs ? server_resources(&n) : NULL;
    resp.list_resources = arena_calloc(&a, n, sizeof(*resp.list_resources));
    for (size_t i = 0; rs && resp.list_resources && i < n; i++) {
        if (!rs[i].resource->list)
            continue;
        Tfplugin6__GetMetadata__ListResourceMetadata *m = arena_alloc(&a, sizeof(*m));
        if (!m)
            break;
        tfplugin6__get_metadata__list_resource_metadata__init(m);
        m->type_name = arena_strdup(&a, rs[i].resource->type_name);
        resp.list_resources[resp.n_list_resources++] = m;
    }
    enum protocol_status status = PROTOCOL_STATUS_OK;
    if (a.failed || convert_pack(&resp.base, response, response_len) != 0)
        status = PROTOCOL_STATUS_INTERNAL;
    arena_clean_up(&a);
    return status;
}
