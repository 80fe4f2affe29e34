/*
 * fuzz_protocol - the whole path of a tfplugin6 request through the
 * provider: protocol_dispatch_unary decodes the serialized request with
 * protobuf-c, decodes its DynamicValues against the resource schema, runs the
 * framework (validation, defaults, plan modifiers, the resource's hooks) and
 * encodes the answer.
 *
 * Input: one selector byte (the method, below), then the serialized request
 * message. The provider is never configured here, so no request reaches AWS:
 * resource operations that need a client stop at "Provider not configured".
 * Every OK answer must decode as the method's response message.
 */
#include <protobuf-c/protobuf-c.h>

#include "protocol/dispatch.h"
#include "tfplugin6.pb-c.h"
#include "fuzz_common.h"

static const struct {
    const char *method;
    const ProtobufCMessageDescriptor *response;
} fuzz_methods[] = {
    {"/tfplugin6.Provider/ValidateResourceConfig",
     &tfplugin6__validate_resource_config__response__descriptor},
    {"/tfplugin6.Provider/PlanResourceChange", &tfplugin6__plan_resource_change__response__descriptor},
    {"/tfplugin6.Provider/ApplyResourceChange",
     &tfplugin6__apply_resource_change__response__descriptor},
    {"/tfplugin6.Provider/ReadResource", &tfplugin6__read_resource__response__descriptor},
    {"/tfplugin6.Provider/ImportResourceState",
     &tfplugin6__import_resource_state__response__descriptor},
    {"/tfplugin6.Provider/UpgradeResourceState",
     &tfplugin6__upgrade_resource_state__response__descriptor},
    {"/tfplugin6.Provider/ValidateProviderConfig",
     &tfplugin6__validate_provider_config__response__descriptor},
};
#define FUZZ_METHOD_COUNT (sizeof(fuzz_methods) / sizeof(fuzz_methods[0]))

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *error = NULL;
    FUZZ_ASSERT(server_init(&error) == 0);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t m = data[0] % FUZZ_METHOD_COUNT;
    uint8_t *response = NULL;
    size_t response_len = 0;
    enum protocol_status st =
        protocol_dispatch_unary(fuzz_methods[m].method, data + 1, size - 1, &response, &response_len);
    if (st != PROTOCOL_STATUS_OK) {
        /* A request that does not decode is refused, never half-served. */
        FUZZ_ASSERT(st == PROTOCOL_STATUS_INVALID_ARGUMENT);
        FUZZ_ASSERT(response == NULL);
        return 0;
    }
    ProtobufCMessage *msg =
        protobuf_c_message_unpack(fuzz_methods[m].response, NULL, response_len, response);
    FUZZ_ASSERT(msg != NULL);
    protobuf_c_message_free_unpacked(msg, NULL);
    free(response);
    return 0;
}
