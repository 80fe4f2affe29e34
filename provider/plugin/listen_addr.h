/*
 * listen_addr.h - where the gRPC server listens, as go-plugin expects.
 *
 * Preferred: a unix socket named "plugin.sock" in a private directory made
 * with mkdtemp (mode 0700) under $TMPDIR or /tmp, like go-plugin's Go server.
 * Fallback: TCP on 127.0.0.1 at the first free port in
 * PLUGIN_MIN_PORT..PLUGIN_MAX_PORT, used when the socket path would be too
 * long for sun_path or the directory cannot be made.
 */
#ifndef LSMS_PLUGIN_LISTEN_ADDR_H
#define LSMS_PLUGIN_LISTEN_ADDR_H

#include <grpc/grpc.h>

/* Unix socket paths longer than this fall back to TCP (sun_path is 108
 * bytes including the NUL; keep a margin). */
#define LISTEN_UNIX_PATH_MAX 100
/* go-plugin's defaults when PLUGIN_MIN_PORT/PLUGIN_MAX_PORT are unset. */
#define LISTEN_DEFAULT_MIN_PORT 10000
#define LISTEN_DEFAULT_MAX_PORT 25000

/* Owns `dir`. A zeroed struct is valid (nothing bound). */
struct listen_addr {
    const char *network; /* "unix" or "tcp" (static string) */
    char address[160];   /* handshake field 4: socket path or 127.0.0.1:PORT */
    char *dir;           /* private temp dir holding the socket, or NULL */
};

/*
 * Adds a listening port to `server` (not yet started) with `creds` (borrowed;
 * gRPC keeps its own reference). `tmpdir` is the base directory for the
 * socket's private directory (NULL or empty: "/tmp"). Tries unix first, then
 * TCP in [min_port, max_port]. Fills `out` (zeroed by the caller).
 * Returns 0, or -1 when nothing could be bound (anything made is removed).
 */
int listen_addr_bind(struct listen_addr *out, grpc_server *server,
                     grpc_server_credentials *creds, const char *tmpdir, int min_port,
                     int max_port);

/* Removes the socket file and its private directory (if any), frees `dir`.
 * Safe to call on a zeroed struct and more than once. */
void listen_addr_clean_up(struct listen_addr *addr);

#endif
