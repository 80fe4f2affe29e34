/*
 * dispatch.h - the one door between the plugin host and the tfplugin6 service.
 *
 * The plugin host (provider/plugin) owns gRPC: it accepts calls, reads the
 * request message bytes and writes the response. It knows nothing of
 * tfplugin6. The protocol layer (provider/protocol) decodes the bytes with
 * protobuf-c, calls the framework and encodes the answer.
 *
 * Threading: protocol_dispatch_unary may be called from many worker threads
 * at once; the protocol layer does its own locking.
 */
#ifndef LSMS_PROTOCOL_DISPATCH_H
#define LSMS_PROTOCOL_DISPATCH_H

#include <stddef.h>
#include <stdint.h>

/* gRPC status codes the protocol layer may answer with (same numbers as
 * grpc_status_code, repeated here so this header stays free of gRPC). */
enum protocol_status {
    PROTOCOL_STATUS_OK = 0,
    PROTOCOL_STATUS_INVALID_ARGUMENT = 3,
    PROTOCOL_STATUS_UNIMPLEMENTED = 12,
    PROTOCOL_STATUS_INTERNAL = 13,
};

/*
 * Handles one unary call of service tfplugin6.Provider.
 * `method` is the full gRPC method path, e.g. "/tfplugin6.Provider/GetProviderSchema".
 * `request`/`request_len` are the serialized request message (borrowed).
 * On PROTOCOL_STATUS_OK, *response is a malloc'd serialized response message
 * that the caller frees (it may be NULL with *response_len 0 for an empty
 * message). On any other status *response is NULL and the host answers the
 * call with that status.
 */
enum protocol_status protocol_dispatch_unary(const char *method, const uint8_t *request,
                                             size_t request_len, uint8_t **response,
                                             size_t *response_len);

/* True when `method` belongs to the tfplugin6 service this layer serves. */
int protocol_handles_method(const char *method);

/*
 * Server-streaming calls (ListResource, InvokeAction): the host hands the
 * protocol layer a way to send messages as they are produced.
 */
struct protocol_stream {
    /* Sends one serialized message (malloc'd; owned by the host from here
     * on, also on failure) and returns once gRPC has taken it: 0, or -1 when
     * the call was cancelled or the server is stopping (nothing more can be
     * sent; the handler should finish soon). */
    int (*send)(struct protocol_stream *s, uint8_t *message, size_t len);
    /* True once the client cancelled the call (or went away), or the server
     * is stopping. Never blocks. */
    int (*cancelled)(struct protocol_stream *s);
};

/* True when `method` is a server-streaming method of this layer: the host
 * must then use protocol_dispatch_server_stream. */
int protocol_method_is_server_stream(const char *method);

/*
 * Handles one server-streaming call: reads the request (borrowed), sends
 * zero or more messages through `out`, and returns the status to end the
 * call with (PROTOCOL_STATUS_OK after the last message; the protocol's
 * errors travel inside the messages as diagnostics). Blocks for as long as
 * the operation takes; run it on a worker thread.
 */
enum protocol_status protocol_dispatch_server_stream(const char *method, const uint8_t *request,
                                                     size_t request_len,
                                                     struct protocol_stream *out);

#endif
