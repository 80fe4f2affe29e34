#include "aws/sigv4.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define SIGV4_ALGORITHM "AWS4-HMAC-SHA256"

static void hex_encode(const unsigned char *in, size_t len, char *out)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = hex[in[i] >> 4];
        out[2 * i + 1] = hex[in[i] & 15];
    }
    out[2 * len] = '\0';
}

void sigv4_sha256_hex(const void *data, size_t len, char hex[65])
{
    unsigned char md[SHA256_DIGEST_LENGTH];
    SHA256(data ? data : (const void *)"", len, md);
    hex_encode(md, sizeof(md), hex);
}

/* "20150830T123600Z" (16 chars) and its first 8 chars are the scope date. */
static void format_amz_date(time_t t, char out[17])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm);
}

static int credentials_usable(const struct aws_credentials *c)
{
    return c && c->access_key_id && *c->access_key_id && c->secret_access_key &&
           *c->secret_access_key;
}

int sigv4_prepare_request(struct aws_request *req, const struct sigv4_params *p)
{
    char date[17];
    format_amz_date(p->time, date);
    if (!aws_headers_get(&req->headers, "host") && req->host &&
        aws_headers_add(&req->headers, "Host", req->host))
        return -1;
    if (aws_headers_set(&req->headers, "X-Amz-Date", date))
        return -1;
    aws_headers_remove(&req->headers, "Authorization");
    aws_headers_remove(&req->headers, "X-Amz-Security-Token");
    const char *token = p->credentials ? p->credentials->session_token : NULL;
    if (token && *token && !p->omit_session_token &&
        aws_headers_add(&req->headers, "X-Amz-Security-Token", token))
        return -1;
    if (p->unsigned_payload)
        return aws_headers_set(&req->headers, "x-amz-content-sha256", SIGV4_UNSIGNED_PAYLOAD);
    if (p->sign_body || p->s3) {
        char hash[65];
        sigv4_sha256_hex(req->body.data, req->body.len, hash);
        return aws_headers_set(&req->headers, "x-amz-content-sha256", hash);
    }
    return 0;
}

/*
 * RFC 3986 remove_dot_segments plus collapsing of empty segments, which is
 * what AWS means by a normalized path ("//example//" -> "/example/").
 * A final "." or ".." leaves a trailing slash, as in the RFC.
 */
static int path_normalize(const char *path, struct buf *out)
{
    size_t n = strlen(path);
    char *copy = strdup(path);
    const char **segs = calloc(n + 1, sizeof(*segs));
    int rc = -1;
    if (!copy || !segs)
        goto done;
    size_t count = 0;
    int last_was_dot = 0;
    char *save = NULL;
    for (char *s = strtok_r(copy, "/", &save); s; s = strtok_r(NULL, "/", &save)) {
        last_was_dot = strcmp(s, ".") == 0 || strcmp(s, "..") == 0;
        if (strcmp(s, "..") == 0) {
            if (count)
                count--;
        } else if (!last_was_dot) {
            segs[count++] = s;
        }
    }
    int trailing = (n > 0 && path[n - 1] == '/') || last_was_dot;
    if (buf_append_char(out, '/'))
        goto done;
    for (size_t i = 0; i < count; i++) {
        if (buf_append_str(out, segs[i]) || ((i + 1 < count || trailing) && buf_append_char(out, '/')))
            goto done;
    }
    rc = 0;
done:
    free(copy);
    free(segs);
    return rc;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

/* Decodes %XX escapes of a query component; '+' stays '+' (AWS query
 * strings encode spaces as %20). */
static int query_component_canonical(const char *s, size_t len, struct buf *out)
{
    struct buf raw = {0};
    int rc = -1;
    for (size_t i = 0; i < len; i++) {
        int hi, lo;
        if (s[i] == '%' && i + 2 < len && (hi = hexval(s[i + 1])) >= 0 &&
            (lo = hexval(s[i + 2])) >= 0) {
            if (buf_append_char(&raw, (char)(hi * 16 + lo)))
                goto done;
            i += 2;
        } else if (buf_append_char(&raw, s[i])) {
            goto done;
        }
    }
    rc = aws_uri_encode(out, raw.data ? raw.data : "", raw.len, 0);
done:
    buf_clean_up(&raw);
    return rc;
}

struct query_pair {
    char *key;   /* canonical (encoded) */
    char *value; /* canonical (encoded) */
};

static int query_pair_cmp(const void *a, const void *b)
{
    const struct query_pair *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : strcmp(x->value, y->value);
}

static int canonical_query(const char *query, struct buf *out)
{
    if (!query || !*query)
        return 0;
    size_t cap = 1;
    for (const char *q = query; *q; q++)
        cap += *q == '&';
    struct query_pair *pairs = calloc(cap, sizeof(*pairs));
    size_t count = 0;
    int rc = -1;
    if (!pairs)
        return -1;
    const char *p = query;
    while (*p) {
        const char *end = strchr(p, '&');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > 0) {
            const char *eq = memchr(p, '=', len);
            size_t klen = eq ? (size_t)(eq - p) : len;
            struct buf k = {0}, v = {0};
            if (query_component_canonical(p, klen, &k) ||
                (eq && query_component_canonical(eq + 1, len - klen - 1, &v))) {
                buf_clean_up(&k);
                buf_clean_up(&v);
                goto done;
            }
            pairs[count].key = k.data ? buf_detach(&k) : strdup("");
            pairs[count].value = v.data ? buf_detach(&v) : strdup("");
            count++;
            if (!pairs[count - 1].key || !pairs[count - 1].value)
                goto done;
        }
        p += len;
        if (*p == '&')
            p++;
    }
    qsort(pairs, count, sizeof(*pairs), query_pair_cmp);
    for (size_t i = 0; i < count; i++)
        if (buf_printf(out, "%s%s=%s", i ? "&" : "", pairs[i].key, pairs[i].value))
            goto done;
    rc = 0;
done:
    for (size_t i = 0; i < count; i++) {
        free(pairs[i].key);
        free(pairs[i].value);
    }
    free(pairs);
    return rc;
}

struct header_ref {
    char *lname; /* owned lower-case name */
    const char *value;
    size_t order;
};

static int header_ref_cmp(const void *a, const void *b)
{
    const struct header_ref *x = a, *y = b;
    int c = strcmp(x->lname, y->lname);
    if (c)
        return c;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Trims and collapses each run of whitespace (including folded line
 * breaks) to one space, quotes or not, as the AWS rules say. */
static int header_value_trimall(const char *v, struct buf *out)
{
    int pending_space = 0, started = 0;
    for (; *v; v++) {
        if (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n') {
            pending_space = started;
            continue;
        }
        if (pending_space && buf_append_char(out, ' '))
            return -1;
        pending_space = 0;
        started = 1;
        if (buf_append_char(out, *v))
            return -1;
    }
    return 0;
}

static int canonical_headers(const struct aws_request *req, struct buf *out,
                             struct buf *signed_headers)
{
    size_t n = req->headers.count;
    struct header_ref *refs = calloc(n ? n : 1, sizeof(*refs));
    size_t count = 0;
    int rc = -1;
    if (!refs)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const struct aws_header *h = &req->headers.items[i];
        if (strcasecmp(h->name, "authorization") == 0)
            continue;
        char *l = strdup(h->name);
        if (!l)
            goto done;
        for (char *c = l; *c; c++)
            *c = (char)tolower((unsigned char)*c);
        refs[count].lname = l;
        refs[count].value = h->value;
        refs[count].order = i;
        count++;
    }
    qsort(refs, count, sizeof(*refs), header_ref_cmp);
    for (size_t i = 0; i < count; i++) {
        int first = i == 0 || strcmp(refs[i - 1].lname, refs[i].lname) != 0;
        if (first) {
            if (i && buf_append_char(out, '\n'))
                goto done;
            if (buf_printf(out, "%s:", refs[i].lname))
                goto done;
            if (buf_printf(signed_headers, "%s%s", signed_headers->len ? ";" : "", refs[i].lname))
                goto done;
        } else if (buf_append_char(out, ',')) {
            goto done;
        }
        if (header_value_trimall(refs[i].value, out))
            goto done;
    }
    if (count && buf_append_char(out, '\n'))
        goto done;
    rc = 0;
done:
    for (size_t i = 0; i < count; i++)
        free(refs[i].lname);
    free(refs);
    return rc;
}

int sigv4_canonical_request(const struct aws_request *req, const struct sigv4_params *p,
                            struct buf *out, struct buf *signed_headers)
{
    struct buf path = {0}, headers = {0};
    int rc = -1;
    buf_reset(out);
    buf_reset(signed_headers);
    const char *raw_path = (req->path && *req->path) ? req->path : "/";
    if (p->normalize_path && !p->s3) {
        if (path_normalize(raw_path, &path))
            goto done;
    } else if (buf_append_str(&path, raw_path)) {
        goto done;
    }
    if (buf_printf(out, "%s\n", req->method ? req->method : "GET"))
        goto done;
    /* Encoding the wire path once more is SigV4's "double encoding" for
     * every service but S3: an already encoded %3A becomes %253A. S3 signs
     * the path it receives. */
    if ((p->s3 ? buf_append(out, path.data, path.len)
               : aws_uri_encode(out, path.data, path.len, 1)) ||
        buf_append_char(out, '\n'))
        goto done;
    if (canonical_query(req->query, out) || buf_append_char(out, '\n'))
        goto done;
    if (canonical_headers(req, &headers, signed_headers))
        goto done;
    if (buf_append(out, headers.data ? headers.data : "", headers.len) ||
        buf_printf(out, "\n%s\n", signed_headers->data ? signed_headers->data : ""))
        goto done;
    if (p->unsigned_payload) {
        if (buf_append_str(out, SIGV4_UNSIGNED_PAYLOAD))
            goto done;
    } else {
        char hash[65];
        sigv4_sha256_hex(req->body.data, req->body.len, hash);
        if (buf_append_str(out, hash))
            goto done;
    }
    rc = 0;
done:
    buf_clean_up(&path);
    buf_clean_up(&headers);
    return rc;
}

int sigv4_string_to_sign(const char *canonical_request, const struct sigv4_params *p,
                         struct buf *out)
{
    char date[17], hash[65];
    format_amz_date(p->time, date);
    sigv4_sha256_hex(canonical_request, strlen(canonical_request), hash);
    buf_reset(out);
    return buf_printf(out, SIGV4_ALGORITHM "\n%s\n%.8s/%s/%s/aws4_request\n%s", date, date,
                      p->region, p->service, hash);
}

static int hmac(const unsigned char *key, size_t key_len, const char *data, unsigned char out[32])
{
    unsigned int len = 32;
    return HMAC(EVP_sha256(), key, (int)key_len, (const unsigned char *)data, strlen(data), out,
                &len)
               ? 0
               : -1;
}

int sigv4_signature(const char *string_to_sign, const struct sigv4_params *p, char hex[65])
{
    if (!credentials_usable(p->credentials))
        return -1;
    char date[17];
    format_amz_date(p->time, date);
    date[8] = '\0';
    const char *secret = p->credentials->secret_access_key;
    size_t klen = 4 + strlen(secret);
    unsigned char *k0 = malloc(klen + 1);
    unsigned char k[32], sig[32];
    int rc = -1;
    if (!k0)
        return -1;
    memcpy(k0, "AWS4", 4);
    memcpy(k0 + 4, secret, klen - 4);
    if (hmac(k0, klen, date, k) || hmac(k, 32, p->region, k) || hmac(k, 32, p->service, k) ||
        hmac(k, 32, "aws4_request", k) || hmac(k, 32, string_to_sign, sig))
        goto done;
    hex_encode(sig, 32, hex);
    rc = 0;
done:
    OPENSSL_cleanse(k0, klen + 1);
    OPENSSL_cleanse(k, sizeof(k));
    free(k0);
    return rc;
}

int sigv4_sign_request(struct aws_request *req, const struct sigv4_params *p)
{
    struct buf creq = {0}, signed_headers = {0}, sts = {0}, auth = {0};
    char sig[65], date[17];
    int rc = -1;
    if (!credentials_usable(p->credentials) || !p->region || !p->service)
        return -1;
    if (sigv4_prepare_request(req, p) ||
        sigv4_canonical_request(req, p, &creq, &signed_headers) ||
        sigv4_string_to_sign(creq.data, p, &sts) || sigv4_signature(sts.data, p, sig))
        goto done;
    format_amz_date(p->time, date);
    if (buf_printf(&auth, SIGV4_ALGORITHM " Credential=%s/%.8s/%s/%s/aws4_request, "
                                          "SignedHeaders=%s, Signature=%s",
                   p->credentials->access_key_id, date, p->region, p->service,
                   signed_headers.data, sig))
        goto done;
    if (aws_headers_set(&req->headers, "Authorization", auth.data))
        goto done;
    const char *token = p->credentials->session_token;
    if (p->omit_session_token && token && *token &&
        aws_headers_add(&req->headers, "X-Amz-Security-Token", token))
        goto done;
    rc = 0;
done:
    buf_clean_up(&creq);
    buf_clean_up(&signed_headers);
    buf_clean_up(&sts);
    buf_clean_up(&auth);
    return rc;
}
