#include "plugin/listen_addr.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/log.h"

#define LISTEN_SOCKET_NAME "plugin.sock"

static int listen_unix_try(struct listen_addr *out, grpc_server *server,
                           grpc_server_credentials *creds, const char *tmpdir)
{
    if (!tmpdir || !*tmpdir)
        tmpdir = "/tmp";
    size_t base_len = strlen(tmpdir);
    while (base_len > 1 && tmpdir[base_len - 1] == '/')
        base_len--;
    /* "<tmpdir>/lsms-XXXXXX/plugin.sock" */
    size_t path_len = base_len + strlen("/lsms-XXXXXX/") + strlen(LISTEN_SOCKET_NAME);
    if (path_len > LISTEN_UNIX_PATH_MAX) {
        log_kv(LOG_DEBUG, "unix socket path too long, using tcp", "tmpdir", tmpdir, NULL);
        return -1;
    }
    char *dir = malloc(base_len + sizeof("/lsms-XXXXXX"));
    if (!dir)
        return -1;
    memcpy(dir, tmpdir, base_len);
    strcpy(dir + base_len, "/lsms-XXXXXX");
    /* mkdtemp creates the directory with mode 0700: only we (and root) can
     * reach the socket inside it. */
    if (!mkdtemp(dir)) {
        log_kv(LOG_DEBUG, "cannot create socket directory, using tcp", "tmpdir", tmpdir, NULL);
        free(dir);
        return -1;
    }
    snprintf(out->address, sizeof(out->address), "%s/%s", dir, LISTEN_SOCKET_NAME);
    char uri[sizeof(out->address) + 8];
    snprintf(uri, sizeof(uri), "unix:%s", out->address);
    if (!grpc_server_add_http2_port(server, uri, creds)) {
        rmdir(dir);
        free(dir);
        out->address[0] = '\0';
        return -1;
    }
    out->network = "unix";
    out->dir = dir;
    return 0;
}

/* A quick probe so that busy ports do not each make gRPC log an error. The
 * real bind is gRPC's; a race only costs one more iteration. */
static int listen_port_free(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int ok = bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
    close(fd);
    return ok;
}

static int listen_tcp_try(struct listen_addr *out, grpc_server *server,
                          grpc_server_credentials *creds, int min_port, int max_port)
{
    if (min_port <= 0 || max_port > 65535 || min_port > max_port) {
        min_port = LISTEN_DEFAULT_MIN_PORT;
        max_port = LISTEN_DEFAULT_MAX_PORT;
    }
    for (int port = min_port; port <= max_port; port++) {
        if (!listen_port_free(port))
            continue;
        snprintf(out->address, sizeof(out->address), "127.0.0.1:%d", port);
        if (grpc_server_add_http2_port(server, out->address, creds) == port) {
            out->network = "tcp";
            return 0;
        }
    }
    out->address[0] = '\0';
    return -1;
}

int listen_addr_bind(struct listen_addr *out, grpc_server *server,
                     grpc_server_credentials *creds, const char *tmpdir, int min_port,
                     int max_port)
{
    if (listen_unix_try(out, server, creds, tmpdir) == 0)
        return 0;
    return listen_tcp_try(out, server, creds, min_port, max_port);
}

void listen_addr_clean_up(struct listen_addr *addr)
{
    if (addr->dir) {
        unlink(addr->address);
        rmdir(addr->dir);
        free(addr->dir);
        addr->dir = NULL;
    }
}
