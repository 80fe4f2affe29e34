/*
 * dispatch_placeholder.c - TEMPORARY stand-in for the tfplugin6 protocol
 * layer, so that the plugin host links and can be tested on its own.
 * Every tfplugin6 call answers UNIMPLEMENTED. Delete this file when
 * provider/protocol implements protocol_dispatch_unary itself.
 */
#include <string.h>

#include "protocol/dispatch.h"

enum protocol_status protocol_dispatch_unary(const char *method, const uint8_t *request,
                                             size_t request_len, uint8_t **response,
                                             size_t *response_len)
{
    (void)method;
    (void)request;
    (void)request_len;
    *response = NULL;
    *response_len = 0;
    return PROTOCOL_STATUS_UNIMPLEMENTED;
}

int protocol_handles_method(const char *method)
{
    static const char prefix[] = "/tfplugin6.Provider/";
    return method && !strncmp(method, prefix, sizeof(prefix) - 1);
}
