/*
 * serve.h - the plugin host from start to finish: TLS identity, listener,
 * gRPC server, handshake line, signal handling, clean-up.
 *
 * main.c checks the magic cookie and then hands over to plugin_serve.
 */
#ifndef LSMS_PLUGIN_SERVE_H
#define LSMS_PLUGIN_SERVE_H

#include <stdio.h>

/* All strings borrowed; they must outlive plugin_serve. */
struct plugin_serve_options {
    const char *client_cert_pem; /* PLUGIN_CLIENT_CERT; NULL or "" serves plaintext */
    const char *tmpdir;          /* base for the socket directory; NULL means /tmp */
    int min_port;                /* TCP fallback range (PLUGIN_MIN_PORT/MAX_PORT) */
    int max_port;
    FILE *handshake_out;         /* where the handshake line goes: stdout */
};

enum plugin_serve_result {
    PLUGIN_SERVE_DONE = 0,     /* served and stopped cleanly: exit 0 */
    PLUGIN_SERVE_FAILED = 1,   /* could not start: exit 1 */
    PLUGIN_SERVE_EXIT_NOW = 2, /* stopped, but a handler thread is still busy:
                                  leave with _exit(0), skipping destructors */
};

/* Fills `opt` from PLUGIN_CLIENT_CERT, PLUGIN_UNIX_SOCKET_DIR or else TMPDIR,
 * PLUGIN_MIN_PORT and PLUGIN_MAX_PORT (pointers into the environment) and
 * stdout. */
void plugin_serve_options_from_env(struct plugin_serve_options *opt);

/*
 * Serves until GRPCController.Shutdown, SIGTERM/SIGHUP, or the client going
 * away. SIGTERM and SIGHUP are blocked in every thread and taken by a signal
 * thread (so call this before starting any other thread). The socket and its
 * directory are removed before it returns, and the private key is wiped as
 * soon as gRPC has its copy.
 */
enum plugin_serve_result plugin_serve(const struct plugin_serve_options *opt);

#endif
