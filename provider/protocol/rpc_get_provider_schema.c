#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/convert.h"
#include "protocol/rpc.h"

/* The schema never changes while the process runs, so the packed answer is
 * built once and copied for every call (GetProviderSchema is on the start-up
 * path of every OpenTofu command). */
static pthread_once_t schema_once = PTHREAD_ONCE_INIT;
static uint8_t *schema_bytes;
static size_t schema_len;

/* Appends {key, value} to a protobuf-c map (an array of entry pointers whose
 * room was allocated for every item beforehand). */
#define RPC_MAP_ADD(arena, array, count, entry_type, init, k, v)                                \
    do {                                                                                        \
        entry_type *e_ = arena_alloc((arena), sizeof(*e_));                                     \
        if (e_ && (array)) {                                                                    \
            init(e_);                                                                           \
            e_->key = arena_strdup((arena), (k));                                               \
            e_->value = (v);                                                                    \
            (array)[(count)++] = e_;                                                            \
        }                                                                                       \
    } while (0)

static void rpc_schema_fill(struct arena *a, Tfplugin6__GetProviderSchema__Response *resp)
{
    resp->provider = convert_schema_out(a, lsms_provider.schema);

    size_t n = 0;
    const struct server_resource *rs = server_resources(&n);
    resp->resource_schemas = arena_calloc(a, n, sizeof(*resp->resource_schemas));
    resp->list_resource_schemas = arena_calloc(a, n, sizeof(*resp->list_resource_schemas));
    for (size_t i = 0; i < n; i++) {
        const struct lsms_resource *r = rs[i].resource;
        RPC_MAP_ADD(a, resp->resource_schemas, resp->n_resource_schemas,
                    Tfplugin6__GetProviderSchema__Response__ResourceSchemasEntry,
                    tfplugin6__get_provider_schema__response__resource_schemas_entry__init,
                    r->type_name, convert_schema_out(a, r->schema));
        /* A list resource is named as the resource it lists. */
        if (r->list)
            RPC_MAP_ADD(a, resp->list_resource_schemas, resp->n_list_resource_schemas,
                        Tfplugin6__GetProviderSchema__Response__ListResourceSchemasEntry,
                        tfplugin6__get_provider_schema__response__list_resource_schemas_entry__init,
                        r->type_name, convert_schema_out(a, r->list->config_schema));
    }

    const struct server_data_source *ds = server_data_sources(&n);
    resp->data_source_schemas = arena_calloc(a, n, sizeof(*resp->data_source_schemas));
    for (size_t i = 0; i < n; i++)
        RPC_MAP_ADD(a, resp->data_source_schemas, resp->n_data_source_schemas,
                    Tfplugin6__GetProviderSchema__Response__DataSourceSchemasEntry,
                    tfplugin6__get_provider_schema__response__data_source_schemas_entry__init,
                    ds[i].data_source->type_name, convert_schema_out(a, ds[i].data_source->schema));

    const struct server_function *fs = server_functions(&n);
    resp->functions = arena_calloc(a, n, sizeof(*resp->functions));
    for (size_t i = 0; i < n; i++)
        RPC_MAP_ADD(a, resp->functions, resp->n_functions,
                    Tfplugin6__GetProviderSchema__Response__FunctionsEntry,
                    tfplugin6__get_provider_schema__response__functions_entry__init,
                    fs[i].function->name, convert_function_out(a, fs[i].function));

    const struct server_action *as = server_actions(&n);
    resp->action_schemas = arena_calloc(a, n, sizeof(*resp->action_schemas));
    for (size_t i = 0; i < n; i++) {
        Tfplugin6__ActionSchema *schema = arena_alloc(a, sizeof(*schema));
        if (!schema)
            break;
        tfplugin6__action_schema__init(schema);
        schema->schema = convert_schema_out(a, as[i].action->schema);
        RPC_MAP_ADD(a, resp->action_schemas, resp->n_action_schemas,
                    Tfplugin6__GetProviderSchema__Response__ActionSchemasEntry,
                    tfplugin6__get_provider_schema__response__action_schemas_entry__init,
                    as[i].action->type_name, schema);
    }
}

static void rpc_schema_build(void)
{
    struct arena a = {0};
    struct diags d = {0};
    Tfplugin6__GetProviderSchema__Response resp = TFPLUGIN6__GET_PROVIDER_SCHEMA__RESPONSE__INIT;
    Tfplugin6__ServerCapabilities caps = TFPLUGIN6__SERVER_CAPABILITIES__INIT;
    /* Destroy needs no plan of ours; the schema is static so a cached copy
     * from another process is as good as asking again. Configuration for
     * import and terraform query is generated here (GenerateResourceConfig),
     * not guessed by the client from the state. */
    caps.plan_destroy = 0;
    caps.get_provider_schema_optional = 1;
    caps.generate_resource_config = 1;
    resp.server_capabilities = &caps;

    const char *error = NULL;
    if (server_init(&error) != 0)
        diags_add(&d, DIAG_ERROR, NULL, "Provider schema is invalid",
                  "The provider's schema tables are invalid: %s. This is a bug in the provider.",
                  error);
    else
        rpc_schema_fill(&a, &resp);
    convert_diags_out(&a, &d, &resp.n_diagnostics, &resp.diagnostics);
    if (!a.failed)
        convert_pack(&resp.base, &schema_bytes, &schema_len);
    diags_clean_up(&d);
    arena_clean_up(&a);
}

enum protocol_status rpc_get_provider_schema(const uint8_t *request, size_t len,
                                             uint8_t **response, size_t *response_len)
{
    (void)request;
    (void)len;
    pthread_once(&schema_once, rpc_schema_build);
    if (!schema_bytes)
        return PROTOCOL_STATUS_INTERNAL;
    *response = malloc(schema_len ? schema_len : 1);
    if (!*response)
        return PROTOCOL_STATUS_INTERNAL;
    memcpy(*response, schema_bytes, schema_len);
    *response_len = schema_len;
    return PROTOCOL_STATUS_OK;
}
