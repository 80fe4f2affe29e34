#include "aws/message.h"

#include <curl/curl.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void str_free_secret(char *s)
{
    if (s) {
        OPENSSL_cleanse(s, strlen(s));
        free(s);
    }
}

int aws_headers_add(struct aws_headers *h, const char *name, const char *value)
{
    if (h->count == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 8;
        struct aws_header *items = realloc(h->items, cap * sizeof(*items));
        if (!items)
            return -1;
        h->items = items;
        h->cap = cap;
    }
    char *n = strdup(name);
    char *v = strdup(value ? value : "");
    if (!n || !v) {
        free(n);
        str_free_secret(v);
        return -1;
    }
    h->items[h->count].name = n;
    h->items[h->count].value = v;
    h->count++;
    return 0;
}

void aws_headers_remove(struct aws_headers *h, const char *name)
{
    size_t out = 0;
    for (size_t i = 0; i < h->count; i++) {
        if (strcasecmp(h->items[i].name, name) == 0) {
            free(h->items[i].name);
            str_free_secret(h->items[i].value);
            continue;
        }
        h->items[out++] = h->items[i];
    }
    h->count = out;
}

int aws_headers_set(struct aws_headers *h, const char *name, const char *value)
{
    aws_headers_remove(h, name);
    return aws_headers_add(h, name, value);
}

const char *aws_headers_get(const struct aws_headers *h, const char *name)
{
    for (size_t i = 0; i < h->count; i++)
        if (strcasecmp(h->items[i].name, name) == 0)
            return h->items[i].value;
    return NULL;
}

void aws_headers_clean_up(struct aws_headers *h)
{
    for (size_t i = 0; i < h->count; i++) {
        free(h->items[i].name);
        str_free_secret(h->items[i].value);
    }
    free(h->items);
    memset(h, 0, sizeof(*h));
}

static int replace_str(char **dst, const char *src)
{
    char *copy = NULL;
    if (src && !(copy = strdup(src)))
        return -1;
    free(*dst);
    *dst = copy;
    return 0;
}

int aws_request_set_line(struct aws_request *r, const char *method, const char *path,
                         const char *query)
{
    if (replace_str(&r->method, method) || replace_str(&r->path, path ? path : "/"))
        return -1;
    return replace_str(&r->query, (query && *query) ? query : NULL);
}

int aws_request_start(struct aws_request *r, const char *method, const char *path,
                      const char *query, const struct aws_headers *extra)
{
    if (aws_request_set_line(r, method ? method : "GET", path, query))
        return -1;
    buf_reset(&r->body);
    for (size_t i = 0; extra && i < extra->count; i++)
        if (aws_headers_set(&r->headers, extra->items[i].name, extra->items[i].value))
            return -1;
    return 0;
}

int aws_request_set_endpoint(struct aws_request *r, const char *endpoint_url)
{
    int rc = -1;
    char *scheme = NULL, *host = NULL, *port = NULL, *base = NULL;
    struct buf hostport = {0}, path = {0};
    CURLU *u = curl_url();
    if (!u)
        return -1;
    if (curl_url_set(u, CURLUPART_URL, endpoint_url, 0) != CURLUE_OK)
        goto done;
    if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
        goto done;
    if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0)
        goto done;
    /* CURLUPART_PORT without DEFAULTPORT gives only an explicit port, which is
     * what the Host header (and so the signature) must carry. */
    if (curl_url_get(u, CURLUPART_PORT, &port, 0) != CURLUE_OK)
        port = NULL;
    if (curl_url_get(u, CURLUPART_PATH, &base, 0) != CURLUE_OK)
        base = NULL;
    if (buf_append_str(&hostport, host) || (port && buf_printf(&hostport, ":%s", port)))
        goto done;
    size_t blen = base ? strlen(base) : 0;
    while (blen > 0 && base[blen - 1] == '/')
        blen--;
    if (blen && buf_append(&path, base, blen))
        goto done;
    if (buf_append_str(&path, r->path ? r->path : "/"))
        goto done;
    if (replace_str(&r->scheme, scheme) || replace_str(&r->host, hostport.data))
        goto done;
    free(r->path);
    r->path = buf_detach(&path);
    rc = r->path ? 0 : -1;
done:
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_free(base);
    buf_clean_up(&hostport);
    buf_clean_up(&path);
    curl_url_cleanup(u);
    return rc;
}

char *aws_request_url(const struct aws_request *r)
{
    struct buf b = {0};
    if (buf_printf(&b, "%s://%s%s", r->scheme ? r->scheme : "https", r->host ? r->host : "",
                   r->path ? r->path : "/") ||
        (r->query && buf_printf(&b, "?%s", r->query))) {
        buf_clean_up(&b);
        return NULL;
    }
    return buf_detach(&b);
}

void aws_request_clean_up(struct aws_request *r)
{
    free(r->method);
    free(r->scheme);
    free(r->host);
    free(r->path);
    free(r->query);
    aws_headers_clean_up(&r->headers);
    /* Bodies can carry secrets (AssumeRole answers, SSM parameter values). */
    buf_clean_up_secret(&r->body);
    memset(r, 0, sizeof(*r));
}

void aws_response_clean_up(struct aws_response *r)
{
    aws_headers_clean_up(&r->headers);
    buf_clean_up_secret(&r->body);
    memset(r, 0, sizeof(*r));
}

int aws_uri_encode(struct buf *out, const char *s, size_t len, int keep_slash)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        int plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.' || c == '~' || (keep_slash && c == '/');
        if (plain) {
            if (buf_append_char(out, (char)c))
                return -1;
        } else {
            char enc[3] = {'%', hex[c >> 4], hex[c & 15]};
            if (buf_append(out, enc, 3))
                return -1;
        }
    }
    return 0;
}
