#include "plugin/serve.h"

#include <grpc/grpc.h>
#include <grpc/grpc_security.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aws/curl_lib.h"
#include "plugin/grpc_log.h"
#include "plugin/handshake.h"
#include "plugin/listen_addr.h"
#include "plugin/server.h"
#include "plugin/tls_identity.h"
#include "util/buf.h"
#include "util/log.h"

/* A thread that turns SIGTERM/SIGHUP into a server stop. */
struct serve_signals {
    pthread_t thread;
    sigset_t set;
    struct plugin_server *srv;
    pthread_mutex_t mu;
    int done;
    int running;
};

static void *serve_signal_main(void *arg)
{
    struct serve_signals *s = arg;
    for (;;) {
        int sig = 0;
        if (sigwait(&s->set, &sig) != 0)
            continue;
        pthread_mutex_lock(&s->mu);
        int done = s->done;
        pthread_mutex_unlock(&s->mu);
        if (done)
            return NULL;
        log_kv(LOG_DEBUG, "signal received", "signal", sig == SIGTERM ? "SIGTERM" : "SIGHUP",
               NULL);
        plugin_server_request_stop(s->srv, "signal");
    }
}

static void serve_signals_stop(struct serve_signals *s)
{
    if (s->running) {
        pthread_mutex_lock(&s->mu);
        s->done = 1;
        pthread_mutex_unlock(&s->mu);
        pthread_kill(s->thread, SIGTERM);
        pthread_join(s->thread, NULL);
        s->running = 0;
    }
    pthread_mutex_destroy(&s->mu);
}

static int serve_port_env(const char *name, int fallback)
{
    const char *v = getenv(name);
    if (!v || !*v)
        return fallback;
    char *end;
    long n = strtol(v, &end, 10);
    if (*end || n <= 0 || n > 65535)
        return fallback;
    return (int)n;
}

void plugin_serve_options_from_env(struct plugin_serve_options *opt)
{
    memset(opt, 0, sizeof(*opt));
    opt->client_cert_pem = getenv("PLUGIN_CLIENT_CERT");
    /* go-plugin's server prefers PLUGIN_UNIX_SOCKET_DIR (set only by hosts
     * that use a RunnerFunc), then TMPDIR. */
    opt->tmpdir = getenv("PLUGIN_UNIX_SOCKET_DIR");
    if (!opt->tmpdir || !*opt->tmpdir)
        opt->tmpdir = getenv("TMPDIR");
    opt->min_port = serve_port_env("PLUGIN_MIN_PORT", LISTEN_DEFAULT_MIN_PORT);
    opt->max_port = serve_port_env("PLUGIN_MAX_PORT", LISTEN_DEFAULT_MAX_PORT);
    opt->handshake_out = stdout;
}

/*
 * Start-up runs on two threads: tofu waits for the handshake line, which
 * needs both halves. The calling thread makes the TLS identity (an EC key
 * and a self-signed certificate) as soon as plugin_serve starts: it is the
 * longer half (OpenSSL 3 builds its name map and method tables on first
 * use), so it does not wait for a new thread to be scheduled. A set-up
 * thread meanwhile runs grpc_init and creates the server, which needs no
 * credentials until it binds. tests/bench/README.md has the figures.
 */
struct serve_setup_job {
    pthread_t thread;
    int threaded;
    struct plugin_server *srv; /* NULL if it could not be created */
};

static void *serve_setup_main(void *arg)
{
    struct serve_setup_job *job = arg;
    grpc_log_bridge_install();
    grpc_init();
    job->srv = plugin_server_new();
    return NULL;
}

static void serve_setup_start(struct serve_setup_job *job)
{
    job->threaded = pthread_create(&job->thread, NULL, serve_setup_main, job) == 0;
}

/* Waits for the set-up thread, or does its work here if none ran: grpc_init
 * has been called when this returns. */
static void serve_setup_finish(struct serve_setup_job *job)
{
    if (job->threaded)
        pthread_join(job->thread, NULL);
    else
        serve_setup_main(job);
}

/* How long plugin_serve waits for gRPC's deferred clean-up before returning. */
#define SERVE_GRPC_CLEANUP_WAIT_MS 2000

/* grpc_shutdown cleans up inline only when ours is the last reference. A
 * connection still being torn down holds one too; it drops it later on a
 * gRPC executor thread, which then cleans up on a detached thread that joins
 * the executors. Returning from main meanwhile runs the exit handlers
 * (OPENSSL_cleanup among them) while those threads still run: seen under
 * ASan after SIGTERM as a leaked or double-freed OpenSSL error state of an
 * executor thread. So wait until gRPC says it is no longer initialized. */
static void serve_grpc_shutdown(void)
{
    grpc_shutdown();
    struct timespec tick = {0, 1000000};
    for (int waited = 0; grpc_is_initialized(); waited++) {
        if (waited >= SERVE_GRPC_CLEANUP_WAIT_MS) {
            log_kv(LOG_WARN, "gRPC clean-up still running at exit", NULL);
            return;
        }
        nanosleep(&tick, NULL);
    }
}

static int serve_wants_tls(const char *client_cert_pem)
{
    return client_cert_pem && *client_cert_pem;
}

/* Server credentials: mutual TLS when the client sent its certificate (it is
 * then the only CA we trust), plaintext otherwise, as go-plugin does.
 * `id_rc` is the result of generating `id` (only looked at for TLS). */
static grpc_server_credentials *serve_credentials(const char *client_cert_pem,
                                                  struct tls_identity *id, int id_rc)
{
    if (!serve_wants_tls(client_cert_pem))
        return grpc_insecure_server_credentials_create();
    if (!tls_pem_has_certificate(client_cert_pem)) {
        log_kv(LOG_ERROR, "PLUGIN_CLIENT_CERT holds no PEM certificate", NULL);
        return NULL;
    }
    if (id_rc < 0) {
        log_kv(LOG_ERROR, "cannot generate the TLS certificate", NULL);
        return NULL;
    }
    grpc_ssl_pem_key_cert_pair pair = {.private_key = id->key_pem, .cert_chain = id->cert_pem};
    grpc_server_credentials *creds = grpc_ssl_server_credentials_create_ex(
        client_cert_pem, &pair, 1, GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY, NULL);
    /* gRPC keeps its own copy; ours is not needed any more. */
    tls_identity_forget_key(id);
    return creds;
}

static int serve_print_handshake(FILE *out, const struct listen_addr *addr,
                                 const struct tls_identity *id)
{
    struct buf line = {0};
    int rc = handshake_line_format(&line, addr->network, addr->address, id->cert_der,
                                   id->cert_der_len);
    if (rc == 0) {
        /* The client reads only the first stdout line, and stdio fully buffers
         * a pipe: without the flush it would wait for its 1-minute timeout. */
        if (fwrite(line.data, 1, line.len, out) != line.len || fflush(out) != 0)
            rc = -1;
    }
    buf_clean_up(&line);
    return rc;
}

enum plugin_serve_result plugin_serve(const struct plugin_serve_options *opt)
{
    enum plugin_serve_result result = PLUGIN_SERVE_FAILED;
    struct tls_identity id = {0};
    struct listen_addr addr = {0};
    struct plugin_server *srv = NULL;
    grpc_server_credentials *creds = NULL;
    struct serve_signals sig = {0};
    pthread_mutex_init(&sig.mu, NULL);

    /* Block before grpc_init so that every thread (gRPC's and ours) inherits
     * the mask and only the signal thread receives these. */
    sigemptyset(&sig.set);
    sigaddset(&sig.set, SIGTERM);
    sigaddset(&sig.set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &sig.set, NULL);

    struct serve_setup_job setup = {0};
    int id_rc = 0;
    if (serve_wants_tls(opt->client_cert_pem)) {
        serve_setup_start(&setup);
        id_rc = tls_identity_generate(&id, time(NULL));
    }
    serve_setup_finish(&setup);
    srv = setup.srv;
    if (!srv)
        goto done;
    creds = serve_credentials(opt->client_cert_pem, &id, id_rc);
    if (!creds)
        goto done;
    if (listen_addr_bind(&addr, plugin_server_grpc(srv), creds, opt->tmpdir, opt->min_port,
                         opt->max_port) < 0) {
        log_kv(LOG_ERROR, "cannot listen on a unix socket or a tcp port", NULL);
        goto done;
    }
    grpc_server_credentials_release(creds);
    creds = NULL;
    /* libcurl loads after the first call (tofu's GetProviderSchema), off the
     * handshake's and that call's path, and usually well before
     * ConfigureProvider needs it. */
    plugin_server_after_first_call(srv, curl_lib_preload);
    if (plugin_server_start(srv) < 0)
        goto done;
    sig.srv = srv;
    if (pthread_create(&sig.thread, NULL, serve_signal_main, &sig) == 0)
        sig.running = 1;
    if (serve_print_handshake(opt->handshake_out, &addr, &id) < 0) {
        log_kv(LOG_ERROR, "cannot write the handshake line", NULL);
        goto done;
    }
    log_kv(LOG_DEBUG, "plugin server started", "network", addr.network, "address", addr.address,
           "tls", id.cert_der ? "true" : "false", NULL);

    if (plugin_server_run(srv) == 0) {
        result = PLUGIN_SERVE_DONE;
    } else {
        /* A handler is still busy on a worker: do not free what it uses. */
        serve_signals_stop(&sig);
        listen_addr_clean_up(&addr);
        tls_identity_clean_up(&id);
        log_kv(LOG_DEBUG, "plugin server stopped with calls in flight", NULL);
        return PLUGIN_SERVE_EXIT_NOW;
    }
    log_kv(LOG_DEBUG, "plugin server stopped", NULL);

done:
    serve_signals_stop(&sig);
    plugin_server_destroy(srv);
    if (creds)
        grpc_server_credentials_release(creds);
    listen_addr_clean_up(&addr);
    tls_identity_clean_up(&id);
    serve_grpc_shutdown();
    return result;
}
