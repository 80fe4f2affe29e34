#include "plugin/server.h"

#include <grpc/byte_buffer.h>
#include <grpc/byte_buffer_reader.h>
#include <grpc/slice.h>
#include <grpc/support/alloc.h>
#include <grpc/support/time.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "plugin/services.h"
#include "plugin/workq.h"
#include "protocol/dispatch.h"
#include "util/log.h"

/* After replying to Shutdown, wait this long before cancelling every call
 * (which also drops the connections). The reply batch has completed by then,
 * but the transport writes asynchronously; the delay is a cheap guard against
 * dropping the reply (not observed in 200 runs without it). */
#define SERVER_SHUTDOWN_GRACE_MS 20

#define SERVER_METHOD_STOP_PROVIDER "/tfplugin6.Provider/StopProvider"

/* Accept requests kept posted at all times. More calls than this may arrive
 * at once; gRPC queues them until the next accept is posted. */
#define SERVER_ACCEPTS 8
/* 256 MiB, as terraform-plugin-go: states and configs can exceed gRPC's 4 MiB
 * default, and Go clients send up to MaxInt32. */
#define SERVER_MAX_MESSAGE_BYTES (256 * 1024 * 1024)

/* libgrpc is not built with ThreadSanitizer, so the happens-before edge of
 * its completion queue (a tag posted by one thread is delivered to the loop
 * on another) is invisible to TSan, and every call handed between a worker
 * and the loop would be reported as a race. Under TSan (make SAN=thread)
 * these annotations declare that edge: release when a tag is posted,
 * acquire when it is delivered. Otherwise they compile to nothing. */
#if defined(__SANITIZE_THREAD__)
#define SERVER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SERVER_TSAN 1
#endif
#endif
#ifdef SERVER_TSAN
void __tsan_acquire(void *addr);
void __tsan_release(void *addr);
#define server_tag_posted(tag) __tsan_release(tag)
#define server_tag_delivered(tag) __tsan_acquire(tag)
#else
#define server_tag_posted(tag) ((void)(tag))
#define server_tag_delivered(tag) ((void)(tag))
#endif

/* Every completion-queue tag is one of these; the loop just calls it. */
struct server_tag {
    void (*on_event)(struct server_tag *tag, int ok);
};

/* Each call has at most one batch outstanding; `stage` says which. */
enum call_stage {
    STAGE_ACCEPT,       /* grpc_server_request_call posted */
    STAGE_RECV_REQUEST, /* unary: reading the request message */
    STAGE_STDIO_OPEN,   /* StreamStdio: headers sent, reading the Empty request */
    STAGE_STDIO_WAIT,   /* StreamStdio: waiting for the call to be cancelled */
    STAGE_BROKER_READ,  /* StartStream: reading client messages */
    STAGE_FINISH,       /* final batch: status sent, waiting for the close */
    STAGE_STREAM_SEND,  /* server stream: one message being sent (a worker waits) */
};

/*
 * A server-streaming tfplugin6 call (ListResource, InvokeAction). Two
 * batches are outstanding at once: RECV_CLOSE_ON_SERVER on close_tag, posted
 * as soon as the request is read (it completes early when the client
 * cancels, which is how the worker learns it), and the worker's sends, then
 * its final status, on the call's own tag, one at a time. The call is freed
 * by whichever of the close and the final status completes last; both
 * complete on the completion-queue thread.
 */
struct server_stream {
    struct protocol_stream iface; /* handed to the protocol layer */
    struct server_tag close_tag;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    /* Guarded by mu. */
    int send_pending; /* a send batch is outstanding */
    int send_ok;      /* its result */
    int close_done;   /* RECV_CLOSE_ON_SERVER completed */
    int finish_done;  /* the final status batch completed */
    struct server_call *owner;
};

/* One accepted call; owned by the server from accept to call_destroy. */
struct server_call {
    struct server_tag tag;
    struct workq_job job;
    struct plugin_server *srv;
    grpc_call *call;
    grpc_call_details details;
    grpc_metadata_array request_md;
    char *method; /* gpr_malloc'd */
    enum services_method kind;
    enum call_stage stage;
    grpc_byte_buffer *recv_buf;
    grpc_byte_buffer *send_buf;
    uint8_t *request; /* malloc'd copy of the request message */
    size_t request_len;
    grpc_slice status_details;
    grpc_status_code status;
    int initial_md_sent;
    int cancelled;
    int stop_after; /* Shutdown: stop the server once the reply is out */
    uint64_t start_us;
    struct server_stream *stream; /* server-streaming calls only */
    int on_queue_thread; /* served on the completion-queue thread (StopProvider) */
};

struct plugin_server {
    grpc_server *server;
    grpc_completion_queue *cq;
    struct workq *workers;
    struct server_tag shutdown_tag;
    pthread_mutex_t mu;
    /* Guarded by mu. */
    int stopping;
    const char *stop_reason;
    uint64_t stop_at_us;
    uint64_t cancel_at_us; /* when to cancel all calls; 0 once done */
    int calls_active;
    int stdio_open;
    void (*after_first_call)(void);
    int first_call_done; /* atomic */
    /* Completion-queue thread only. */
    int started;
    int accepts_pending;
    int shutdown_notified;
};

#define server_container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))

static uint64_t server_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void call_on_event(struct server_tag *tag, int ok);
static void server_stop(struct plugin_server *srv, const char *reason, int grace_ms);

static void call_free(struct server_call *c)
{
    if (c->call)
        grpc_call_unref(c->call);
    grpc_call_details_destroy(&c->details);
    grpc_metadata_array_destroy(&c->request_md);
    if (c->recv_buf)
        grpc_byte_buffer_destroy(c->recv_buf);
    if (c->send_buf)
        grpc_byte_buffer_destroy(c->send_buf);
    grpc_slice_unref(c->status_details);
    gpr_free(c->method);
    free(c->request);
    if (c->stream) {
        pthread_mutex_destroy(&c->stream->mu);
        pthread_cond_destroy(&c->stream->cv);
        free(c->stream);
    }
    free(c);
}

/* Ends an accepted call: frees it and lets plugin_server_run know. */
static void call_destroy(struct server_call *c)
{
    struct plugin_server *srv = c->srv;
    call_free(c);
    pthread_mutex_lock(&srv->mu);
    srv->calls_active--;
    pthread_mutex_unlock(&srv->mu);
}

static int server_stopping(struct plugin_server *srv)
{
    pthread_mutex_lock(&srv->mu);
    int stopping = srv->stopping;
    pthread_mutex_unlock(&srv->mu);
    return stopping;
}

static int server_accept_post(struct plugin_server *srv)
{
    struct server_call *c = calloc(1, sizeof(*c));
    if (!c)
        return -1;
    c->srv = srv;
    c->tag.on_event = call_on_event;
    c->stage = STAGE_ACCEPT;
    c->status_details = grpc_empty_slice();
    grpc_call_details_init(&c->details);
    grpc_metadata_array_init(&c->request_md);
    server_tag_posted(&c->tag);
    grpc_call_error err = grpc_server_request_call(srv->server, &c->call, &c->details,
                                                   &c->request_md, srv->cq, srv->cq, &c->tag);
    if (err != GRPC_CALL_OK) {
        call_free(c);
        return -1;
    }
    srv->accepts_pending++;
    return 0;
}

/* Starts the call's next batch. If gRPC refuses it no completion will ever
 * come, so the call ends here. */
static void call_start_batch(struct server_call *c, enum call_stage stage, const grpc_op *ops,
                             size_t nops)
{
    c->stage = stage;
    server_tag_posted(&c->tag);
    grpc_call_error err = grpc_call_start_batch(c->call, ops, nops, &c->tag, NULL);
    if (err != GRPC_CALL_OK) {
        char code[16];
        snprintf(code, sizeof(code), "%d", (int)err);
        log_kv(LOG_ERROR, "grpc_call_start_batch failed", "method", c->method ? c->method : "",
               "error", code, NULL);
        if (c->kind == SERVICES_METHOD_KIND_STDIO && stage != STAGE_FINISH) {
            pthread_mutex_lock(&c->srv->mu);
            c->srv->stdio_open--;
            pthread_mutex_unlock(&c->srv->mu);
        }
        call_destroy(c);
    }
}

/* Sends the final status (and c->send_buf when OK). Callable from any thread. */
static void call_finish(struct server_call *c, grpc_status_code status, const char *details)
{
    grpc_op ops[4];
    size_t n = 0;
    memset(ops, 0, sizeof(ops));
    c->status = status;
    grpc_slice_unref(c->status_details);
    c->status_details = grpc_slice_from_static_string(details ? details : "");
    if (!c->initial_md_sent) {
        ops[n++].op = GRPC_OP_SEND_INITIAL_METADATA;
        c->initial_md_sent = 1;
    }
    if (status == GRPC_STATUS_OK && c->send_buf) {
        ops[n].op = GRPC_OP_SEND_MESSAGE;
        ops[n++].data.send_message.send_message = c->send_buf;
    }
    ops[n].op = GRPC_OP_SEND_STATUS_FROM_SERVER;
    ops[n].data.send_status_from_server.status = status;
    ops[n++].data.send_status_from_server.status_details = &c->status_details;
    ops[n].op = GRPC_OP_RECV_CLOSE_ON_SERVER;
    ops[n++].data.recv_close_on_server.cancelled = &c->cancelled;
    call_start_batch(c, STAGE_FINISH, ops, n);
}

/* Copies a received message into one malloc'd block (gRPC may hand it over
 * in several slices, possibly compressed). */
static int call_take_request(struct server_call *c)
{
    grpc_byte_buffer_reader reader;
    if (!grpc_byte_buffer_reader_init(&reader, c->recv_buf))
        return -1;
    grpc_slice all = grpc_byte_buffer_reader_readall(&reader);
    grpc_byte_buffer_reader_destroy(&reader);
    size_t len = GRPC_SLICE_LENGTH(all);
    c->request = malloc(len ? len : 1);
    if (c->request) {
        memcpy(c->request, GRPC_SLICE_START_PTR(all), len);
        c->request_len = len;
    }
    grpc_slice_unref(all);
    grpc_byte_buffer_destroy(c->recv_buf);
    c->recv_buf = NULL;
    return c->request ? 0 : -1;
}

static void call_free_slice_memory(void *p, size_t len)
{
    (void)len;
    free(p);
}

/* Wraps a malloc'd response (owned from here on; may be NULL for an empty
 * message) in a byte buffer. */
static int call_set_response(struct server_call *c, uint8_t *response, size_t len)
{
    grpc_slice slice = response ? grpc_slice_new_with_len(response, len, call_free_slice_memory) : grpc_empty_slice();
    c->send_buf = grpc_raw_byte_buffer_create(&slice, 1);
    grpc_slice_unref(slice);
    return c->send_buf ? 0 : -1;
}

/* Worker thread: one tfplugin6 unary call. */
static void call_run_provider(struct workq_job *job)
{
    struct server_call *c = server_container_of(job, struct server_call, job);
    if (server_stopping(c->srv)) {
        call_finish(c, GRPC_STATUS_UNAVAILABLE, "provider is shutting down");
        return;
    }
    uint8_t *response = NULL;
    size_t response_len = 0;
    enum protocol_status st =
        protocol_dispatch_unary(c->method, c->request, c->request_len, &response, &response_len);
    if (st != PROTOCOL_STATUS_OK) {
        free(response);
        call_finish(c, (grpc_status_code)st,
                    st == PROTOCOL_STATUS_UNIMPLEMENTED ? "method not implemented" : "");
        return;
    }
    if (call_set_response(c, response, response_len) < 0) {
        call_finish(c, GRPC_STATUS_RESOURCE_EXHAUSTED, "out of memory");
        return;
    }
    /* c may be freed by the completion-queue thread once finished. */
    struct plugin_server *srv = c->srv;
    int on_queue_thread = c->on_queue_thread;
    call_finish(c, GRPC_STATUS_OK, "");
    /* The after-first-call work may take a while: never on the queue thread. */
    if (!on_queue_thread && srv->after_first_call &&
        !__atomic_exchange_n(&srv->first_call_done, 1, __ATOMIC_ACQ_REL))
        srv->after_first_call();
}

/* ---- server-streaming tfplugin6 calls ---- */

static struct server_call *stream_owner(struct server_stream *st)
{
    return st->owner;
}

/* Worker thread: sends one message and waits until gRPC has taken it. */
static int stream_send(struct protocol_stream *iface, uint8_t *message, size_t len)
{
    struct server_stream *st = (struct server_stream *)iface;
    struct server_call *c = stream_owner(st);
    if (iface->cancelled(iface)) {
        free(message);
        return -1;
    }
    grpc_slice slice = grpc_slice_new_with_len(message, len, call_free_slice_memory);
    grpc_byte_buffer *buf = grpc_raw_byte_buffer_create(&slice, 1);
    grpc_slice_unref(slice);
    if (!buf)
        return -1;
    grpc_op ops[2];
    size_t n = 0;
    memset(ops, 0, sizeof(ops));
    if (!c->initial_md_sent) {
        ops[n++].op = GRPC_OP_SEND_INITIAL_METADATA;
        c->initial_md_sent = 1;
    }
    ops[n].op = GRPC_OP_SEND_MESSAGE;
    ops[n++].data.send_message.send_message = buf;
    pthread_mutex_lock(&st->mu);
    st->send_pending = 1;
    pthread_mutex_unlock(&st->mu);
    c->stage = STAGE_STREAM_SEND;
    server_tag_posted(&c->tag);
    int ok = 0;
    if (grpc_call_start_batch(c->call, ops, n, &c->tag, NULL) == GRPC_CALL_OK) {
        pthread_mutex_lock(&st->mu);
        while (st->send_pending)
            pthread_cond_wait(&st->cv, &st->mu);
        ok = st->send_ok;
        pthread_mutex_unlock(&st->mu);
    } else {
        pthread_mutex_lock(&st->mu);
        st->send_pending = 0;
        pthread_mutex_unlock(&st->mu);
    }
    grpc_byte_buffer_destroy(buf);
    return ok ? 0 : -1;
}

/* Any thread: the client cancelled (the close completed before our final
 * status), or the server is stopping. */
static int stream_cancelled(struct protocol_stream *iface)
{
    struct server_stream *st = (struct server_stream *)iface;
    pthread_mutex_lock(&st->mu);
    int closed = st->close_done;
    pthread_mutex_unlock(&st->mu);
    return closed || server_stopping(stream_owner(st)->srv);
}

/* Completion-queue thread: a send batch completed. */
static void stream_on_sent(struct server_call *c, int ok)
{
    struct server_stream *st = c->stream;
    pthread_mutex_lock(&st->mu);
    st->send_pending = 0;
    st->send_ok = ok;
    pthread_cond_broadcast(&st->cv);
    pthread_mutex_unlock(&st->mu);
}

static void stream_log_finished(struct server_call *c)
{
    if (!log_enabled(LOG_TRACE))
        return;
    char us[24], stc[8];
    snprintf(us, sizeof(us), "%llu", (unsigned long long)(server_now_us() - c->start_us));
    snprintf(stc, sizeof(stc), "%d", (int)c->status);
    log_kv(LOG_TRACE, "rpc finished", "method", c->method, "duration_us", us, "grpc_status", stc,
           "cancelled", c->cancelled ? "true" : "false", NULL);
}

/* Records that the close (is_close) or the final status completed; frees
 * the call when both have. Completion-queue thread, or the worker when its
 * final batch could not even start. */
static void stream_part_done(struct server_call *c, int is_close)
{
    struct server_stream *st = c->stream;
    pthread_mutex_lock(&st->mu);
    if (is_close)
        st->close_done = 1;
    else
        st->finish_done = 1;
    int both = st->close_done && st->finish_done;
    pthread_mutex_unlock(&st->mu);
    if (both) {
        stream_log_finished(c);
        call_destroy(c);
    }
}

static void stream_on_close(struct server_tag *tag, int ok)
{
    (void)ok;
    struct server_stream *st = server_container_of(tag, struct server_stream, close_tag);
    stream_part_done(stream_owner(st), 1);
}

/* Worker thread: the final status of a stream (the close is already
 * outstanding, so unlike call_finish no RECV_CLOSE_ON_SERVER here). */
static void stream_finish(struct server_call *c, grpc_status_code status, const char *details)
{
    grpc_op ops[2];
    size_t n = 0;
    memset(ops, 0, sizeof(ops));
    c->status = status;
    grpc_slice_unref(c->status_details);
    c->status_details = grpc_slice_from_static_string(details ? details : "");
    if (!c->initial_md_sent) {
        ops[n++].op = GRPC_OP_SEND_INITIAL_METADATA;
        c->initial_md_sent = 1;
    }
    ops[n].op = GRPC_OP_SEND_STATUS_FROM_SERVER;
    ops[n].data.send_status_from_server.status = status;
    ops[n++].data.send_status_from_server.status_details = &c->status_details;
    c->stage = STAGE_FINISH;
    server_tag_posted(&c->tag);
    if (grpc_call_start_batch(c->call, ops, n, &c->tag, NULL) != GRPC_CALL_OK)
        stream_part_done(c, 0);
}

/* Worker thread: one server-streaming tfplugin6 call. */
static void call_run_stream(struct workq_job *job)
{
    struct server_call *c = server_container_of(job, struct server_call, job);
    if (server_stopping(c->srv)) {
        stream_finish(c, GRPC_STATUS_UNAVAILABLE, "provider is shutting down");
        return;
    }
    enum protocol_status st = protocol_dispatch_server_stream(c->method, c->request,
                                                              c->request_len, &c->stream->iface);
    stream_finish(c, (grpc_status_code)st,
                  st == PROTOCOL_STATUS_OK ? ""
                  : st == PROTOCOL_STATUS_UNIMPLEMENTED ? "method not implemented"
                                                        : "");
}

/* Completion-queue thread: the request of a stream was read. Posts the
 * close watch, then hands the call to a worker. */
static void stream_begin(struct server_call *c)
{
    struct server_stream *st = calloc(1, sizeof(*st));
    if (!st) {
        call_finish(c, GRPC_STATUS_RESOURCE_EXHAUSTED, "out of memory");
        return;
    }
    pthread_mutex_init(&st->mu, NULL);
    pthread_cond_init(&st->cv, NULL);
    st->iface.send = stream_send;
    st->iface.cancelled = stream_cancelled;
    st->close_tag.on_event = stream_on_close;
    c->stream = st;
    st->owner = c;

    grpc_op op;
    memset(&op, 0, sizeof(op));
    op.op = GRPC_OP_RECV_CLOSE_ON_SERVER;
    op.data.recv_close_on_server.cancelled = &c->cancelled;
    server_tag_posted(&st->close_tag);
    if (grpc_call_start_batch(c->call, &op, 1, &st->close_tag, NULL) != GRPC_CALL_OK) {
        /* No close will ever be reported: count it as done, so the final
         * status alone frees the call. */
        pthread_mutex_lock(&st->mu);
        st->close_done = 1;
        pthread_mutex_unlock(&st->mu);
        stream_finish(c, GRPC_STATUS_INTERNAL, "cannot watch the call");
        return;
    }
    c->job.run = call_run_stream;
    if (workq_push(c->srv->workers, &c->job) < 0)
        stream_finish(c, GRPC_STATUS_UNAVAILABLE, "provider is shutting down");
}

static void call_on_request(struct server_call *c, int ok)
{
    if (!ok) {
        call_finish(c, GRPC_STATUS_CANCELLED, "call cancelled");
        return;
    }
    if (!c->recv_buf) {
        call_finish(c, GRPC_STATUS_INTERNAL, "missing request message");
        return;
    }
    if (call_take_request(c) < 0) {
        call_finish(c, GRPC_STATUS_RESOURCE_EXHAUSTED, "cannot read request");
        return;
    }
    switch (c->kind) {
    case SERVICES_METHOD_KIND_PROVIDER:
        if (protocol_method_is_server_stream(c->method)) {
            stream_begin(c);
            return;
        }
        /* StopProvider only sets a flag and tells the provider, which must
         * not block: answered here, it cannot queue behind long calls (list
         * walks and actions that it is meant to stop) when every worker is
         * taken. */
        if (strcmp(c->method, SERVER_METHOD_STOP_PROVIDER) == 0) {
            c->on_queue_thread = 1;
            call_run_provider(&c->job);
            return;
        }
        c->job.run = call_run_provider;
        if (workq_push(c->srv->workers, &c->job) < 0)
            call_finish(c, GRPC_STATUS_UNAVAILABLE, "provider is shutting down");
        return;
    case SERVICES_METHOD_KIND_HEALTH_CHECK: {
        uint8_t *response = NULL;
        size_t len = 0;
        int st = services_health_check(c->request, c->request_len, &response, &len);
        if (st == GRPC_STATUS_OK && call_set_response(c, response, len) < 0)
            st = GRPC_STATUS_RESOURCE_EXHAUSTED;
        call_finish(c, (grpc_status_code)st, st == GRPC_STATUS_NOT_FOUND ? "unknown service" : "");
        return;
    }
    case SERVICES_METHOD_KIND_SHUTDOWN:
        /* Reply first; the server stops once the reply has gone out. */
        c->stop_after = 1;
        if (call_set_response(c, NULL, 0) < 0) {
            call_finish(c, GRPC_STATUS_RESOURCE_EXHAUSTED, "out of memory");
            return;
        }
        call_finish(c, GRPC_STATUS_OK, "");
        return;
    default:
        call_finish(c, GRPC_STATUS_INTERNAL, "unexpected call kind");
        return;
    }
}

static void call_on_stdio_open(struct server_call *c)
{
    if (c->recv_buf) {
        grpc_byte_buffer_destroy(c->recv_buf);
        c->recv_buf = NULL;
    }
    /* Completes only when the call is cancelled: by the client, by its
     * connection going away, or by grpc_server_cancel_all_calls. */
    grpc_op op;
    memset(&op, 0, sizeof(op));
    op.op = GRPC_OP_RECV_CLOSE_ON_SERVER;
    op.data.recv_close_on_server.cancelled = &c->cancelled;
    call_start_batch(c, STAGE_STDIO_WAIT, &op, 1);
}

static void call_on_stdio_closed(struct server_call *c)
{
    struct plugin_server *srv = c->srv;
    pthread_mutex_lock(&srv->mu);
    int remaining = --srv->stdio_open;
    int stopping = srv->stopping;
    pthread_mutex_unlock(&srv->mu);
    char us[24];
    snprintf(us, sizeof(us), "%llu", (unsigned long long)(server_now_us() - c->start_us));
    log_kv(LOG_TRACE, "rpc finished", "method", c->method, "duration_us", us, "status",
           c->cancelled ? "cancelled" : "closed", NULL);
    call_destroy(c);
    /* go-plugin keeps exactly one StreamStdio per client connection open until
     * it closes the connection, so its end means the client is gone. */
    if (remaining == 0 && !stopping)
        server_stop(srv, "client went away (StreamStdio ended)", 0);
}

static void call_broker_read(struct server_call *c)
{
    grpc_op op;
    memset(&op, 0, sizeof(op));
    op.op = GRPC_OP_RECV_MESSAGE;
    op.data.recv_message.recv_message = &c->recv_buf;
    call_start_batch(c, STAGE_BROKER_READ, &op, 1);
}

static void call_on_broker_read(struct server_call *c, int ok)
{
    if (ok && c->recv_buf) {
        /* tfplugin6 never uses the broker; discard what the client offers. */
        grpc_byte_buffer_destroy(c->recv_buf);
        c->recv_buf = NULL;
        log_kv(LOG_TRACE, "broker message ignored", NULL);
        call_broker_read(c);
        return;
    }
    /* Half-close (or cancellation): end the stream cleanly. */
    call_finish(c, GRPC_STATUS_OK, "");
}

static void call_on_finished(struct server_call *c)
{
    if (log_enabled(LOG_TRACE)) {
        char us[24], st[8];
        snprintf(us, sizeof(us), "%llu", (unsigned long long)(server_now_us() - c->start_us));
        snprintf(st, sizeof(st), "%d", (int)c->status);
        log_kv(LOG_TRACE, "rpc finished", "method", c->method, "duration_us", us, "grpc_status",
               st, "cancelled", c->cancelled ? "true" : "false", NULL);
    }
    struct plugin_server *srv = c->srv;
    int stop = c->stop_after;
    call_destroy(c);
    if (stop)
        server_stop(srv, "GRPCController.Shutdown", SERVER_SHUTDOWN_GRACE_MS);
}

static void call_begin(struct server_call *c)
{
    struct plugin_server *srv = c->srv;
    c->method = grpc_slice_to_c_string(c->details.method);
    c->kind = services_method_classify(c->method);
    c->start_us = server_now_us();
    log_kv(LOG_TRACE, "rpc received", "method", c->method, NULL);

    grpc_op ops[2];
    memset(ops, 0, sizeof(ops));
    switch (c->kind) {
    case SERVICES_METHOD_KIND_PROVIDER:
    case SERVICES_METHOD_KIND_SHUTDOWN:
    case SERVICES_METHOD_KIND_HEALTH_CHECK:
        ops[0].op = GRPC_OP_RECV_MESSAGE;
        ops[0].data.recv_message.recv_message = &c->recv_buf;
        call_start_batch(c, STAGE_RECV_REQUEST, ops, 1);
        return;
    case SERVICES_METHOD_KIND_STDIO:
    case SERVICES_METHOD_KIND_BROKER:
        if (c->kind == SERVICES_METHOD_KIND_STDIO) {
            pthread_mutex_lock(&srv->mu);
            srv->stdio_open++;
            pthread_mutex_unlock(&srv->mu);
        }
        /* Headers now, so the client's stream is established at once. */
        c->initial_md_sent = 1;
        ops[0].op = GRPC_OP_SEND_INITIAL_METADATA;
        ops[1].op = GRPC_OP_RECV_MESSAGE;
        ops[1].data.recv_message.recv_message = &c->recv_buf;
        call_start_batch(c,
                         c->kind == SERVICES_METHOD_KIND_STDIO ? STAGE_STDIO_OPEN
                                                               : STAGE_BROKER_READ,
                         ops, 2);
        return;
    case SERVICES_METHOD_KIND_UNKNOWN:
    default:
        call_finish(c, GRPC_STATUS_UNIMPLEMENTED, "unknown service or method");
        return;
    }
}

static void call_on_accept(struct server_call *c, int ok)
{
    struct plugin_server *srv = c->srv;
    srv->accepts_pending--;
    if (!ok) {
        /* The server is shutting down; this accept request is void. */
        call_free(c);
        return;
    }
    pthread_mutex_lock(&srv->mu);
    srv->calls_active++;
    int stopping = srv->stopping;
    pthread_mutex_unlock(&srv->mu);
    if (!stopping && server_accept_post(srv) < 0)
        log_kv(LOG_ERROR, "cannot post accept request", NULL);
    call_begin(c);
}

static void call_on_event(struct server_tag *tag, int ok)
{
    struct server_call *c = server_container_of(tag, struct server_call, tag);
    switch (c->stage) {
    case STAGE_ACCEPT:
        call_on_accept(c, ok);
        break;
    case STAGE_RECV_REQUEST:
        call_on_request(c, ok);
        break;
    case STAGE_STDIO_OPEN:
        call_on_stdio_open(c);
        break;
    case STAGE_STDIO_WAIT:
        call_on_stdio_closed(c);
        break;
    case STAGE_BROKER_READ:
        call_on_broker_read(c, ok);
        break;
    case STAGE_FINISH:
        if (c->stream)
            stream_part_done(c, 0);
        else
            call_on_finished(c);
        break;
    case STAGE_STREAM_SEND:
        stream_on_sent(c, ok);
        break;
    }
}

static void server_on_shutdown(struct server_tag *tag, int ok)
{
    (void)ok;
    struct plugin_server *srv = server_container_of(tag, struct plugin_server, shutdown_tag);
    srv->shutdown_notified = 1;
}

struct plugin_server *plugin_server_new(void)
{
    struct plugin_server *srv = calloc(1, sizeof(*srv));
    if (!srv)
        return NULL;
    pthread_mutex_init(&srv->mu, NULL);
    srv->shutdown_tag.on_event = server_on_shutdown;

    grpc_arg args[3];
    memset(args, 0, sizeof(args));
    args[0].type = GRPC_ARG_INTEGER;
    args[0].key = GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH;
    args[0].value.integer = SERVER_MAX_MESSAGE_BYTES;
    args[1].type = GRPC_ARG_INTEGER;
    args[1].key = GRPC_ARG_MAX_SEND_MESSAGE_LENGTH;
    args[1].value.integer = SERVER_MAX_MESSAGE_BYTES;
    /* gRPC core sets SO_REUSEPORT by default: two providers on the TCP
     * fallback could then share one port and receive each other's clients. */
    args[2].type = GRPC_ARG_INTEGER;
    args[2].key = GRPC_ARG_ALLOW_REUSEPORT;
    args[2].value.integer = 0;
    grpc_channel_args channel_args = {.num_args = 3, .args = args};

    srv->server = grpc_server_create(&channel_args, NULL);
    srv->cq = grpc_completion_queue_create_for_next(NULL);
    srv->workers = workq_new(PLUGIN_SERVER_WORKERS);
    if (!srv->server || !srv->cq || !srv->workers) {
        plugin_server_destroy(srv);
        return NULL;
    }
    grpc_server_register_completion_queue(srv->server, srv->cq, NULL);
    return srv;
}

void plugin_server_after_first_call(struct plugin_server *srv, void (*fn)(void))
{
    srv->after_first_call = fn;
}

grpc_server *plugin_server_grpc(struct plugin_server *srv)
{
    return srv->server;
}

int plugin_server_start(struct plugin_server *srv)
{
    grpc_server_start(srv->server);
    srv->started = 1;
    for (int i = 0; i < SERVER_ACCEPTS; i++)
        if (server_accept_post(srv) < 0)
            return -1;
    return 0;
}

/* Stops accepting at once; cancels every call (StreamStdio/StartStream never
 * end by themselves, and graceful shutdown would wait for them) either now
 * or, with grace_ms > 0, from plugin_server_run after that delay. */
static void server_stop(struct plugin_server *srv, const char *reason, int grace_ms)
{
    pthread_mutex_lock(&srv->mu);
    int first = !srv->stopping;
    if (first) {
        srv->stopping = 1;
        srv->stop_reason = reason;
        srv->stop_at_us = server_now_us();
        srv->cancel_at_us = grace_ms > 0 ? srv->stop_at_us + (uint64_t)grace_ms * 1000u : 0;
    }
    pthread_mutex_unlock(&srv->mu);
    if (!first)
        return;
    log_kv(LOG_DEBUG, "stopping plugin server", "reason", reason, NULL);
    server_tag_posted(&srv->shutdown_tag);
    grpc_server_shutdown_and_notify(srv->server, srv->cq, &srv->shutdown_tag);
    if (grace_ms <= 0)
        grpc_server_cancel_all_calls(srv->server);
}

void plugin_server_request_stop(struct plugin_server *srv, const char *reason)
{
    server_stop(srv, reason, 0);
}

/* Completion-queue thread: cancels all calls once the grace period is over.
 * Returns how long to wait for the next event. */
static int server_cancel_when_due(struct plugin_server *srv, int stopping, uint64_t now)
{
    if (!stopping)
        return 100;
    pthread_mutex_lock(&srv->mu);
    uint64_t due = srv->cancel_at_us;
    int cancel = due && now >= due;
    if (cancel)
        srv->cancel_at_us = 0;
    pthread_mutex_unlock(&srv->mu);
    if (cancel)
        grpc_server_cancel_all_calls(srv->server);
    return 5;
}

int plugin_server_run(struct plugin_server *srv)
{
    int wait_ms = 100;
    for (;;) {
        gpr_timespec deadline = gpr_time_add(gpr_now(GPR_CLOCK_MONOTONIC),
                                             gpr_time_from_millis(wait_ms, GPR_TIMESPAN));
        grpc_event ev = grpc_completion_queue_next(srv->cq, deadline, NULL);
        if (ev.type == GRPC_OP_COMPLETE) {
            server_tag_delivered(ev.tag);
            ((struct server_tag *)ev.tag)->on_event(ev.tag, ev.success);
        }
        else if (ev.type == GRPC_QUEUE_SHUTDOWN)
            return 1;

        pthread_mutex_lock(&srv->mu);
        int stopping = srv->stopping;
        int active = srv->calls_active;
        uint64_t stop_at = srv->stop_at_us;
        pthread_mutex_unlock(&srv->mu);
        uint64_t now = server_now_us();
        wait_ms = server_cancel_when_due(srv, stopping, now);
        if (!stopping)
            continue;
        if (srv->shutdown_notified && active == 0 && srv->accepts_pending == 0)
            return 0;
        if (now - stop_at > (uint64_t)PLUGIN_SERVER_DRAIN_MS * 1000u) {
            char n[16];
            snprintf(n, sizeof(n), "%d", active);
            log_kv(LOG_WARN, "calls still running at shutdown; exiting without them",
                   "calls_active", n, NULL);
            return 1;
        }
    }
}

void plugin_server_destroy(struct plugin_server *srv)
{
    if (!srv)
        return;
    if (srv->server) {
        if (srv->cq && !srv->shutdown_notified) {
            /* Never started, or destroyed before it stopped: gRPC requires a
             * completed shutdown before grpc_server_destroy. */
            plugin_server_request_stop(srv, "server destroyed");
            plugin_server_run(srv);
        }
        grpc_server_destroy(srv->server);
    }
    if (srv->cq) {
        grpc_completion_queue_shutdown(srv->cq);
        while (grpc_completion_queue_next(srv->cq, gpr_inf_future(GPR_CLOCK_MONOTONIC), NULL).type !=
               GRPC_QUEUE_SHUTDOWN)
            ;
        grpc_completion_queue_destroy(srv->cq);
    }
    workq_destroy(srv->workers);
    pthread_mutex_destroy(&srv->mu);
    free(srv);
}
