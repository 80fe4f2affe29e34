#include "protocol/convert.h"
#include "protocol/rpc.h"

/* The provider declares no functions: both answers are empty and valid. */
enum protocol_status rpc_get_functions(const uint8_t *request, size_t len, uint8_t **response,
                                       size_t *response_len)
{
    (void)request;
    (void)len;
    Tfplugin6__GetFunctions__Response resp = TFPLUGIN6__GET_FUNCTIONS__RESPONSE__INIT;
    return convert_pack(&resp.base, response, response_len) == 0 ? PROTOCOL_STATUS_OK
                                                                 : PROTOCOL_STATUS_INTERNAL;
}

/* OpenTofu 1.12+ asks right after the schema; no resource has an identity
 * schema, so the map is empty. */
enum protocol_status rpc_get_resource_identity_schemas(const uint8_t *request, size_t len,
                                                       uint8_t **response, size_t *response_len)
{
    (void)request;
    (void)len;
    Tfplugin6__GetResourceIdentitySchemas__Response resp =
        TFPLUGIN6__GET_RESOURCE_IDENTITY_SCHEMAS__RESPONSE__INIT;
    return convert_pack(&resp.base, response, response_len) == 0 ? PROTOCOL_STATUS_OK
                                                                 : PROTOCOL_STATUS_INTERNAL;
}
