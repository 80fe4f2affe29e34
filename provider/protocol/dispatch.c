#include "protocol/dispatch.h"

#include <string.h>

#include "protocol/rpc.h"
#include "util/log.h"

#define SERVICE_PREFIX "/tfplugin6.Provider/"

static const struct {
    const char *name;
    rpc_handler handler;
} rpc_table[] = {
    {"GetMetadata", rpc_get_metadata},
    {"GetProviderSchema", rpc_get_provider_schema},
    {"GetResourceIdentitySchemas", rpc_get_resource_identity_schemas},
    {"GetFunctions", rpc_get_functions},
    {"ValidateProviderConfig", rpc_validate_provider_config},
    {"ValidateResourceConfig", rpc_validate_resource_config},
    {"ValidateDataResourceConfig", rpc_validate_data_resource_config},
    {"ConfigureProvider", rpc_configure_provider},
    {"UpgradeResourceState", rpc_upgrade_resource_state},
    {"ReadResource", rpc_read_resource},
    {"PlanResourceChange", rpc_plan_resource_change},
    {"ApplyResourceChange", rpc_apply_resource_change},
    {"ImportResourceState", rpc_import_resource_state},
    {"ReadDataSource", rpc_read_data_source},
    {"StopProvider", rpc_stop_provider},
};

int protocol_handles_method(const char *method)
{
    return method && strncmp(method, SERVICE_PREFIX, strlen(SERVICE_PREFIX)) == 0;
}

enum protocol_status protocol_dispatch_unary(const char *method, const uint8_t *request,
                                             size_t request_len, uint8_t **response,
                                             size_t *response_len)
{
    *response = NULL;
    *response_len = 0;
    if (!protocol_handles_method(method))
        return PROTOCOL_STATUS_UNIMPLEMENTED;
    const char *name = method + strlen(SERVICE_PREFIX);
    for (size_t i = 0; i < sizeof(rpc_table) / sizeof(rpc_table[0]); i++) {
        if (strcmp(rpc_table[i].name, name) == 0) {
            log_kv(LOG_TRACE, "rpc", "method", name, (const char *)NULL);
            return rpc_table[i].handler(request, request_len, response, response_len);
        }
    }
    /* Ephemeral resources, lists, state stores, actions, MoveResourceState:
     * OpenTofu only calls them when the schema declares such things. */
    return PROTOCOL_STATUS_UNIMPLEMENTED;
}
