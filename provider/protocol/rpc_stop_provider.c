#include "protocol/convert.h"
#include "protocol/rpc.h"

/* StopProvider is advisory and arrives while Apply calls run: set the flag
 * that waits and transfers watch, answer at once, never exit here (exiting
 * is GRPCController.Shutdown's job). */
enum protocol_status rpc_stop_provider(const uint8_t *request, size_t len, uint8_t **response,
                                       size_t *response_len)
{
    (void)request;
    (void)len;
    server_request_stop();
    Tfplugin6__StopProvider__Response resp = TFPLUGIN6__STOP_PROVIDER__RESPONSE__INIT;
    return convert_pack(&resp.base, response, response_len) == 0 ? PROTOCOL_STATUS_OK
                                                                 : PROTOCOL_STATUS_INTERNAL;
}
