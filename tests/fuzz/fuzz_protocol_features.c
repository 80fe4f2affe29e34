/*
 * fuzz_protocol_features - the RPCs of Terraform 1.12-1.16 (identity, data
 * sources, functions, list resources, generated configuration, actions)
 * through the provider's real tables: protobuf-c decode of the request,
 * DynamicValue decode against the data source, function, identity, list or
 * action schema, the framework's checks, the encoding of the answer. The two
 * server-streaming RPCs (ListResource, InvokeAction) run with a stream that
 * decodes every message it is given.
 *
 * Input: one selector byte (the method, below), then the serialized request
 * message. The provider is never configured, so nothing reaches AWS. Every
 * OK answer, and every streamed message, must decode as the method's
 * response (event) message. Kept apart from fuzz_protocol so that target's
 * seeds keep their selector bytes.
 */
#include <protobuf-c/protobuf-c.h>

#include "protocol/dispatch.h"
#include "tfplugin6.pb-c.h"
#include "fuzz_common.h"

static const struct {
    const char *method;
    const ProtobufCMessageDescriptor *response; /* the event, for a stream */
} fuzz_methods[] = {
    {"/tfplugin6.Provider/GetResourceIdentitySchemas",
     &tfplugin6__get_resource_identity_schemas__response__descriptor},
    {"/tfplugin6.Provider/UpgradeResourceIdentity",
     &tfplugin6__upgrade_resource_identity__response__descriptor},
    {"/tfplugin6.Provider/ValidateDataResourceConfig",
     &tfplugin6__validate_data_resource_config__response__descriptor},
    {"/tfplugin6.Provider/ReadDataSource", &tfplugin6__read_data_source__response__descriptor},
    {"/tfplugin6.Provider/GetFunctions", &tfplugin6__get_functions__response__descriptor},
    {"/tfplugin6.Provider/CallFunction", &tfplugin6__call_function__response__descriptor},
    {"/tfplugin6.Provider/GenerateResourceConfig",
     &tfplugin6__generate_resource_config__response__descriptor},
    {"/tfplugin6.Provider/ValidateListResourceConfig",
     &tfplugin6__validate_list_resource_config__response__descriptor},
    {"/tfplugin6.Provider/ListResource", &tfplugin6__list_resource__event__descriptor},
    {"/tfplugin6.Provider/ValidateActionConfig",
     &tfplugin6__validate_action_config__response__descriptor},
    {"/tfplugin6.Provider/PlanAction", &tfplugin6__plan_action__response__descriptor},
    {"/tfplugin6.Provider/InvokeAction", &tfplugin6__invoke_action__event__descriptor},
    {"/tfplugin6.Provider/ImportResourceState",
     &tfplugin6__import_resource_state__response__descriptor},
    {"/tfplugin6.Provider/GetMetadata", &tfplugin6__get_metadata__response__descriptor},
};
#define FUZZ_METHOD_COUNT (sizeof(fuzz_methods) / sizeof(fuzz_methods[0]))

struct fuzz_stream {
    struct protocol_stream iface;
    const ProtobufCMessageDescriptor *event;
    int sent;
};

static int fuzz_stream_send(struct protocol_stream *s, uint8_t *message, size_t len)
{
    struct fuzz_stream *fs = (struct fuzz_stream *)s;
    ProtobufCMessage *msg = protobuf_c_message_unpack(fs->event, NULL, len, message);
    FUZZ_ASSERT(msg != NULL);
    protobuf_c_message_free_unpacked(msg, NULL);
    free(message);
    fs->sent++;
    return 0;
}

static int fuzz_stream_cancelled(struct protocol_stream *s)
{
    (void)s;
    return 0;
}

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
    const char *method = fuzz_methods[m].method;
    enum protocol_status st;
    if (protocol_method_is_server_stream(method)) {
        struct fuzz_stream fs = {
            .iface = {.send = fuzz_stream_send, .cancelled = fuzz_stream_cancelled},
            .event = fuzz_methods[m].response};
        st = protocol_dispatch_server_stream(method, data + 1, size - 1, &fs.iface);
        FUZZ_ASSERT(st == PROTOCOL_STATUS_OK || st == PROTOCOL_STATUS_INVALID_ARGUMENT);
        /* An invocation that decoded always ends with its Completed event (a
         * list may rightly send nothing: no objects, no diagnostics). */
        if (st == PROTOCOL_STATUS_OK && strstr(method, "InvokeAction"))
            FUZZ_ASSERT(fs.sent >= 1);
        return 0;
    }
    uint8_t *response = NULL;
    size_t response_len = 0;
    st = protocol_dispatch_unary(method, data + 1, size - 1, &response, &response_len);
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
