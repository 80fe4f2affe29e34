#include "protocol/dispatch.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

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
    {"UpgradeResourceIdentity", rpc_upgrade_resource_identity},
    {"CallFunction", rpc_call_function},
    {"GenerateResourceConfig", rpc_generate_resource_config},
    {"ValidateListResourceConfig", rpc_validate_list_resource_config},
    {"ValidateActionConfig", rpc_validate_action_config},
    {"PlanAction", rpc_plan_action},
};

static const struct {
    const char *name;
    rpc_stream_handler handler;
} rpc_stream_table[] = {
    {"ListResource", rpc_list_resource},
    {"InvokeAction", rpc_invoke_action},
};

static uint64_t dispatch_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* One debug line per RPC with the handler's own time (AWS calls included,
 * gRPC transport excluded): tests/bench sums these to get the provider's
 * share of a tofu run. */
static void dispatch_log_duration(const char *name, uint64_t us)
{
    char dur[24];
    snprintf(dur, sizeof(dur), "%llu", (unsigned long long)us);
    log_kv(LOG_DEBUG, "rpc handled", "method", name, "duration_us", dur, (const char *)NULL);
}

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
            if (!log_enabled(LOG_DEBUG))
                return rpc_table[i].handler(request, request_len, response, response_len);
            uint64_t start = dispatch_now_us();
            enum protocol_status st =
                rpc_table[i].handler(request, request_len, response, response_len);
            dispatch_log_duration(name, dispatch_now_us() - start);
            return st;
        }
    }
    /* Ephemeral resources, state stores, MoveResourceState: clients only
     * call them when the schema declares such things, which ours does not. */
    return PROTOCOL_STATUS_UNIMPLEMENTED;
}

static rpc_stream_handler dispatch_find_stream(const char *method)
{
    if (!protocol_handles_method(method))
        return NULL;
    const char *name = method + strlen(SERVICE_PREFIX);
    for (size_t i = 0; i < sizeof(rpc_stream_table) / sizeof(rpc_stream_table[0]); i++)
        if (strcmp(rpc_stream_table[i].name, name) == 0)
            return rpc_stream_table[i].handler;
    return NULL;
}

int protocol_method_is_server_stream(const char *method)
{
    return dispatch_find_stream(method) != NULL;
}

enum protocol_status protocol_dispatch_server_stream(const char *method, const uint8_t *request,
                                                     size_t request_len,
                                                     struct protocol_stream *out)
{
    rpc_stream_handler handler = dispatch_find_stream(method);
    if (!handler)
        return PROTOCOL_STATUS_UNIMPLEMENTED;
    const char *name = method + strlen(SERVICE_PREFIX);
    log_kv(LOG_TRACE, "rpc", "method", name, (const char *)NULL);
    uint64_t start = dispatch_now_us();
    enum protocol_status st = handler(request, request_len, out);
    if (log_enabled(LOG_DEBUG))
        dispatch_log_duration(name, dispatch_now_us() - start);
    return st;
}
