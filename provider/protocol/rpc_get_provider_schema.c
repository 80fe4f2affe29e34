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

static void rpc_schema_build(void)
{
    struct arena a = {0};
    struct diags d = {0};
    Tfplugin6__GetProviderSchema__Response resp = TFPLUGIN6__GET_PROVIDER_SCHEMA__RESPONSE__INIT;
    Tfplugin6__ServerCapabilities caps = TFPLUGIN6__SERVER_CAPABILITIES__INIT;
    /* Destroy needs no plan of ours; the schema is static so a cached copy
     * from another process is as good as asking again. */
    caps.plan_destroy = 0;
    caps.get_provider_schema_optional = 1;
    resp.server_capabilities = &caps;

    const char *error = NULL;
    if (server_init(&error) != 0) {
        diags_add(&d, DIAG_ERROR, NULL, "Provider schema is invalid",
                  "The provider's schema tables are invalid: %s. This is a bug in the provider.",
                  error);
    } else {
        resp.provider = convert_schema_out(&a, lsms_provider.schema);
        size_t n = 0;
        const struct server_resource *rs = server_resources(&n);
        resp.resource_schemas = arena_calloc(&a, n, sizeof(*resp.resource_schemas));
        for (size_t i = 0; resp.resource_schemas && i < n; i++) {
            Tfplugin6__GetProviderSchema__Response__ResourceSchemasEntry *e =
                arena_alloc(&a, sizeof(*e));
            if (!e)
                break;
            tfplugin6__get_provider_schema__response__resource_schemas_entry__init(e);
            e->key = arena_strdup(&a, rs[i].resource->type_name);
            e->value = convert_schema_out(&a, rs[i].resource->schema);
            resp.resource_schemas[resp.n_resource_schemas++] = e;
        }
    }
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
