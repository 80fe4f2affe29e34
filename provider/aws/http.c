#include "aws/http.h"

#include "aws/ca_bundle.h"
#include "aws/curl_lib.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/log.h"

#define HTTP_DEFAULT_CONNECT_TIMEOUT_MS 10000L
#define HTTP_DEFAULT_TIMEOUT_MS 120000L
#define HTTP_POOL_MAX 32

struct curl_transport {
    struct aws_transport base;
    struct aws_http_options opts;
    /* Found once, when the transport is made (aws/ca_bundle.h). */
    struct aws_ca_location ca;
    CURLSH *share;
    /* One lock per curl_lock_data kind the share handle asks for. */
    pthread_mutex_t share_locks[CURL_LOCK_DATA_LAST];
    pthread_mutex_t pool_mu;
    CURL *pool[HTTP_POOL_MAX];
    size_t pool_count;
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc = CURLE_FAILED_INIT;

static void curl_global_setup(void)
{
    if (curl_lib_load() == 0)
        curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static void share_lock(CURL *h, curl_lock_data data, curl_lock_access access, void *userptr)
{
    (void)h;
    (void)access;
    struct curl_transport *t = userptr;
    pthread_mutex_lock(&t->share_locks[data]);
}

static void share_unlock(CURL *h, curl_lock_data data, void *userptr)
{
    (void)h;
    struct curl_transport *t = userptr;
    pthread_mutex_unlock(&t->share_locks[data]);
}

static CURL *pool_take(struct curl_transport *t)
{
    CURL *h = NULL;
    pthread_mutex_lock(&t->pool_mu);
    if (t->pool_count)
        h = t->pool[--t->pool_count];
    pthread_mutex_unlock(&t->pool_mu);
    if (h) {
        curl_easy_reset(h);
        return h;
    }
    return curl_easy_init();
}

static void pool_give(struct curl_transport *t, CURL *h)
{
    pthread_mutex_lock(&t->pool_mu);
    if (t->pool_count < HTTP_POOL_MAX) {
        t->pool[t->pool_count++] = h;
        h = NULL;
    }
    pthread_mutex_unlock(&t->pool_mu);
    if (h)
        curl_easy_cleanup(h);
}

struct transfer {
    struct aws_response *resp;
    struct aws_stop *stop;
    int oom;
};

static size_t on_body(char *data, size_t size, size_t n, void *userp)
{
    struct transfer *x = userp;
    if (buf_append(&x->resp->body, data, size * n)) {
        x->oom = 1;
        return 0;
    }
    return size * n;
}

static size_t on_header(char *data, size_t size, size_t n, void *userp)
{
    struct transfer *x = userp;
    size_t len = size * n;
    /* A new status line (after 100 Continue) starts a new header set. */
    if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
        aws_headers_clean_up(&x->resp->headers);
        return len;
    }
    const char *colon = memchr(data, ':', len);
    if (!colon)
        return len;
    char *name = strndup(data, (size_t)(colon - data));
    const char *v = colon + 1, *end = data + len;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
        end--;
    char *value = strndup(v, (size_t)(end - v));
    if (!name || !value || aws_headers_add(&x->resp->headers, name, value))
        x->oom = 1;
    free(name);
    free(value);
    return x->oom ? 0 : len;
}

/* libcurl calls this often during a transfer and about once a second when
 * idle; returning non-zero aborts the transfer (CURLE_ABORTED_BY_CALLBACK). */
static int on_progress(void *userp, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
    (void)dt;
    (void)dn;
    (void)ut;
    (void)un;
    struct transfer *x = userp;
    return aws_stop_is_set(x->stop) ? 1 : 0;
}

/* How often a transfer in flight checks the stop flag. */
#define HTTP_STOP_POLL_MS 50

/* curl_easy_perform calls the progress callback only about once a second
 * while a transfer waits for an answer, so a StopProvider could take a
 * second to abort a call in flight. Driving the transfer through a multi
 * handle that polls at most HTTP_STOP_POLL_MS ends it within that time.
 * Connections are still reused: the share handle holds the connection
 * cache, not the (per-transfer) multi handle. */
static CURLcode curl_perform_stoppable(CURL *h, struct aws_stop *stop)
{
    CURLM *m = curl_multi_init();
    if (!m)
        return CURLE_OUT_OF_MEMORY;
    if (curl_multi_add_handle(m, h) != CURLM_OK) {
        curl_multi_cleanup(m);
        return CURLE_OUT_OF_MEMORY;
    }
    CURLcode rc = CURLE_ABORTED_BY_CALLBACK;
    int running = 1;
    while (running) {
        if (curl_multi_perform(m, &running) != CURLM_OK) {
            rc = CURLE_SEND_ERROR;
            break;
        }
        if (!running) {
            int left = 0;
            CURLMsg *msg = curl_multi_info_read(m, &left);
            rc = msg && msg->msg == CURLMSG_DONE ? msg->data.result : CURLE_RECV_ERROR;
            break;
        }
        if (aws_stop_is_set(stop))
            break; /* CURLE_ABORTED_BY_CALLBACK: cancelled */
        if (curl_multi_poll(m, NULL, 0, HTTP_STOP_POLL_MS, NULL) != CURLM_OK) {
            rc = CURLE_RECV_ERROR;
            break;
        }
    }
    curl_multi_remove_handle(m, h);
    curl_multi_cleanup(m);
    return rc;
}

static int map_curl_error(const struct curl_transport *t, CURLcode rc, const char *detail,
                          struct aws_error *err)
{
    const char *code;
    switch (rc) {
    case CURLE_ABORTED_BY_CALLBACK:
        code = AWS_ERR_CANCELLED;
        break;
    case CURLE_OPERATION_TIMEDOUT:
        code = AWS_ERR_TIMEOUT;
        break;
    case CURLE_OUT_OF_MEMORY:
        code = AWS_ERR_NO_MEMORY;
        break;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
        code = AWS_ERR_TLS_VERIFY;
        break;
    default:
        /* refused, reset, DNS, TLS handshake, empty reply, partial body */
        code = AWS_ERR_CONNECTION;
        break;
    }
    /* A certificate that does not verify: say which CAs were used, since a
     * static binary finds them itself (aws/ca_bundle.h). */
    const char *ca_hint = "";
    char ca_buf[512] = "";
    if (rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE) {
        if (t->ca.file || t->ca.dir)
            snprintf(ca_buf, sizeof(ca_buf), " (CA certificates from %s%s%s)",
                     t->ca.file ? t->ca.file : "", t->ca.file && t->ca.dir ? " and " : "",
                     t->ca.dir ? t->ca.dir : "");
        else
            snprintf(ca_buf, sizeof(ca_buf),
                     " (no CA certificates found: set SSL_CERT_FILE or SSL_CERT_DIR)");
        ca_hint = ca_buf;
    }
    return aws_error_setf(err, code, "%s%s%s%s", curl_easy_strerror(rc), *detail ? ": " : "",
                          detail, ca_hint);
}

static int curl_send(struct aws_transport *base, const struct aws_request *req,
                     struct aws_response *resp, struct aws_error *err)
{
    struct curl_transport *t = (struct curl_transport *)base;
    if (aws_stop_is_set(t->opts.stop))
        return aws_error_set(err, AWS_ERR_CANCELLED, "the provider is stopping", 0, NULL);
    CURL *h = pool_take(t);
    struct curl_slist *headers = NULL;
    char *url = aws_request_url(req);
    char errbuf[CURL_ERROR_SIZE] = "";
    struct transfer x = {.resp = resp, .stop = t->opts.stop};
    int rc = -1;
    if (!h || !url) {
        aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
        goto done;
    }
    int has_content_type = 0;
    for (size_t i = 0; i < req->headers.count; i++) {
        const struct aws_header *hd = &req->headers.items[i];
        struct buf line = {0};
        has_content_type |= strcasecmp(hd->name, "content-type") == 0;
        /* "Name;" is libcurl's way to send a header with an empty value. */
        int brc = *hd->value ? buf_printf(&line, "%s: %s", hd->name, hd->value)
                             : buf_printf(&line, "%s;", hd->name);
        struct curl_slist *n = brc ? NULL : curl_slist_append(headers, line.data);
        buf_clean_up_secret(&line);
        if (!n) {
            aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
            goto done;
        }
        headers = n;
    }
    /* Keep libcurl from adding headers of its own that change semantics. */
    struct curl_slist *n = curl_slist_append(headers, "Expect:");
    if (n)
        headers = n;
    if (!has_content_type && (n = curl_slist_append(headers, "Content-Type:")))
        headers = n;

    curl_easy_setopt(h, CURLOPT_URL, url);
    /* The path goes out as the codec built and SigV4 signed it: libcurl
     * would otherwise squash "/./" and "/../", which are part of S3 keys. */
    curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_SHARE, t->share);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, t->opts.connect_timeout_ms);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, t->opts.timeout_ms);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, t->opts.insecure ? 0L : 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, t->opts.insecure ? 0L : 2L);
    if (!t->opts.insecure && t->ca.file)
        curl_easy_setopt(h, CURLOPT_CAINFO, t->ca.file);
    if (!t->opts.insecure && t->ca.dir)
        curl_easy_setopt(h, CURLOPT_CAPATH, t->ca.dir);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &x);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &x);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, &x);
    const char *method = req->method ? req->method : "GET";
    if (strcmp(method, "GET") == 0 && req->body.len == 0) {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else if (strcmp(method, "HEAD") == 0) {
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    } else {
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body.len);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body.data ? req->body.data : "");
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    }
    CURLcode crc = curl_perform_stoppable(h, t->opts.stop);
    if (x.oom) {
        aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
    } else if (crc != CURLE_OK) {
        map_curl_error(t, crc, errbuf, err);
    } else {
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &resp->status);
        rc = 0;
    }
done:
    /* Headers carried the token and signature; wipe the copies curl got. */
    for (struct curl_slist *s = headers; s; s = s->next)
        memset(s->data, 0, strlen(s->data));
    curl_slist_free_all(headers);
    free(url);
    if (h) {
        /* The error buffer lives on this stack frame. */
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
        pool_give(t, h);
    }
    return rc;
}

static void curl_destroy(struct aws_transport *base)
{
    struct curl_transport *t = (struct curl_transport *)base;
    for (size_t i = 0; i < t->pool_count; i++)
        curl_easy_cleanup(t->pool[i]);
    if (t->share)
        curl_share_cleanup(t->share);
    for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
        pthread_mutex_destroy(&t->share_locks[i]);
    pthread_mutex_destroy(&t->pool_mu);
    aws_ca_location_clean_up(&t->ca);
    free(t);
}

static const struct aws_transport_vtable curl_vtable = {
    .send = curl_send,
    .destroy = curl_destroy,
};

struct aws_transport *aws_transport_curl_new(const struct aws_http_options *opts)
{
    pthread_once(&curl_once, curl_global_setup);
    if (curl_init_rc != CURLE_OK)
        return NULL;
    struct curl_transport *t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    t->base.vtable = &curl_vtable;
    t->base.impl = t;
    if (opts)
        t->opts = *opts;
    if (t->opts.connect_timeout_ms <= 0)
        t->opts.connect_timeout_ms = HTTP_DEFAULT_CONNECT_TIMEOUT_MS;
    if (t->opts.timeout_ms <= 0)
        t->opts.timeout_ms = HTTP_DEFAULT_TIMEOUT_MS;
    for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
        pthread_mutex_init(&t->share_locks[i], NULL);
    pthread_mutex_init(&t->pool_mu, NULL);
    t->share = curl_share_init();
    if (!t->share || aws_ca_location_find(NULL, &t->ca)) {
        curl_destroy(&t->base);
        return NULL;
    }
    curl_share_setopt(t->share, CURLSHOPT_LOCKFUNC, share_lock);
    curl_share_setopt(t->share, CURLSHOPT_UNLOCKFUNC, share_unlock);
    curl_share_setopt(t->share, CURLSHOPT_USERDATA, t);
    curl_share_setopt(t->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(t->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    curl_share_setopt(t->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
    log_kv(LOG_DEBUG, "tls trust", "ca_file", t->ca.file ? t->ca.file : "",
           "ca_dir", t->ca.dir ? t->ca.dir : "", NULL);
    return &t->base;
}

int aws_transport_send(struct aws_transport *t, const struct aws_request *req,
                       struct aws_response *resp, struct aws_error *err)
{
    return t->vtable->send(t, req, resp, err);
}

void aws_transport_destroy(struct aws_transport *t)
{
    if (t)
        t->vtable->destroy(t);
}
