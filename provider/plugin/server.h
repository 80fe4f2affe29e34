/*
 * server.h - the gRPC C-core server: one completion-queue thread (the caller
 * of plugin_server_run) and a pool of worker threads.
 *
 * Every method is accepted through the generic grpc_server_request_call, so
 * this module sees every method name:
 *   /tfplugin6.Provider/<Rpc>        unary, run on a worker via protocol_dispatch_unary;
 *                                    server-streaming ones (ListResource,
 *                                    InvokeAction) on a worker via
 *                                    protocol_dispatch_server_stream, each
 *                                    message sent as the handler produces it,
 *                                    cancellation by the client seen at once
 *   /plugin.GRPCController/Shutdown  reply empty, then stop the server
 *   /plugin.GRPCStdio/StreamStdio    held open, nothing sent, ends at stop
 *   /plugin.GRPCBroker/StartStream   read until the client half-closes
 *   /grpc.health.v1.Health/Check     "plugin" or "" is SERVING
 *   anything else                    UNIMPLEMENTED
 * The go-plugin streams never occupy a worker, so many calls can be in
 * flight at once; a tfplugin6 server stream holds one for as long as it
 * runs. StopProvider is answered on the completion-queue thread itself, so
 * it is served even when long calls (list walks, actions) hold every worker.
 *
 * The server stops (and plugin_server_run returns) on Shutdown, on
 * plugin_server_request_stop (e.g. from a signal thread), or when the last
 * StreamStdio stream is cancelled by its client: go-plugin holds exactly one
 * per connection, so that means the client went away without Shutdown.
 */
#ifndef LSMS_PLUGIN_SERVER_H
#define LSMS_PLUGIN_SERVER_H

#include <grpc/grpc.h>

/* At most this many worker threads for unary tfplugin6 calls, started as the
 * concurrency needs them. tofu runs 10 operations at once by default, and
 * StopProvider must still find a free worker during them. */
#define PLUGIN_SERVER_WORKERS 32
/* How long plugin_server_run waits, after a stop, for in-flight calls to
 * finish before giving up on them (go-plugin's client kills us after 2 s). */
#define PLUGIN_SERVER_DRAIN_MS 500

struct plugin_server;

/* Creates the gRPC server (with 256 MiB message limits both ways and
 * SO_REUSEPORT off), its completion queue and the worker pool. grpc_init must
 * have been called. Returns NULL on failure. */
struct plugin_server *plugin_server_new(void);

/* The underlying server, to add listening ports before plugin_server_start.
 * Borrowed; owned by `srv`. */
grpc_server *plugin_server_grpc(struct plugin_server *srv);

/* `fn` runs once, on a worker, after the first tfplugin6 call has been
 * answered: work that should neither delay the handshake nor compete with
 * the client's first call. Set before plugin_server_start. */
void plugin_server_after_first_call(struct plugin_server *srv, void (*fn)(void));

/* Starts serving and posts the first accept requests. Returns 0 or -1. */
int plugin_server_start(struct plugin_server *srv);

/*
 * Runs the completion-queue loop on the calling thread until the server has
 * stopped. Returns 0 when everything finished cleanly (the server may then be
 * destroyed), or 1 when some call was still running on a worker after
 * PLUGIN_SERVER_DRAIN_MS: the caller must then not destroy the server and
 * should leave the process with _exit.
 */
int plugin_server_run(struct plugin_server *srv);

/* Asks the server to stop: no new calls, all calls cancelled. Thread-safe,
 * idempotent, never blocks. `reason` is a static string for the log. */
void plugin_server_request_stop(struct plugin_server *srv, const char *reason);

/* Frees the server, its queue and workers. Only after plugin_server_run
 * returned 0, or when it was never started. */
void plugin_server_destroy(struct plugin_server *srv);

#endif
