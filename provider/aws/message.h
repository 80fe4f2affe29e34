/*
 * message.h - the HTTP request and response values the AWS layer passes
 * between its stages (protocol codec -> signer -> transport -> codec).
 *
 * Plain data, no libcurl or OpenSSL types, so request builders and the signer
 * can be tested by the exact bytes they produce. A zeroed struct is a valid
 * empty value; each *_clean_up frees what the struct owns. Header values are
 * wiped before they are freed because one of them may be a session token.
 */
#ifndef LSMS_AWS_MESSAGE_H
#define LSMS_AWS_MESSAGE_H

#include <stddef.h>

#include "util/buf.h"

struct aws_header {
    char *name;  /* owned; case kept as given */
    char *value; /* owned */
};

/* An ordered header list. Order is kept because SigV4 joins repeated names
 * in the order they were added. */
struct aws_headers {
    struct aws_header *items;
    size_t count;
    size_t cap;
};

/* Appends a copy of name/value (repeats allowed). 0, or -1 on no memory. */
int aws_headers_add(struct aws_headers *h, const char *name, const char *value);
/* Removes every header called `name` (case-insensitive), then adds it once. */
int aws_headers_set(struct aws_headers *h, const char *name, const char *value);
/* First value of `name` (case-insensitive) or NULL. Borrowed from `h`. */
const char *aws_headers_get(const struct aws_headers *h, const char *name);
/* Removes every header called `name`. */
void aws_headers_remove(struct aws_headers *h, const char *name);
/* Frees every header (values wiped first). */
void aws_headers_clean_up(struct aws_headers *h);

/*
 * One request. `path` and `query` are exactly as they go on the wire: the
 * path already percent-encoded by the codec (SigV4 encodes it once more, as
 * every AWS service except S3 expects), the query without the leading '?'.
 * `scheme` and `host` (host[:port]) come from the endpoint; `host` is also
 * what the Host header says.
 */
struct aws_request {
    char *method; /* owned, "GET", "POST", ... */
    char *scheme; /* owned, "https" or "http" */
    char *host;   /* owned, "monitoring.us-east-1.amazonaws.com" or "127.0.0.1:5000" */
    char *path;   /* owned, starts with '/' */
    char *query;  /* owned, may be NULL */
    struct aws_headers headers;
    struct buf body;
};

/* Sets method and path (copies). Replaces earlier values. 0 or -1. */
int aws_request_set_line(struct aws_request *r, const char *method, const char *path,
                         const char *query);
/* The start of a REST request: method (NULL: GET), path and query as
 * aws_request_set_line, an empty body, and `extra` headers (may be NULL)
 * copied in. 0 or -1. */
int aws_request_start(struct aws_request *r, const char *method, const char *path,
                      const char *query, const struct aws_headers *extra);
/* Splits an endpoint URL "scheme://host[:port][/base]" into r->scheme and
 * r->host and prefixes r->path with the base path (no trailing '/').
 * Parsing uses libcurl's URL API. 0, or -1 when the URL is not usable. */
int aws_request_set_endpoint(struct aws_request *r, const char *endpoint_url);
/* The full URL (malloc'd; caller frees) or NULL on no memory. */
char *aws_request_url(const struct aws_request *r);
void aws_request_clean_up(struct aws_request *r);

struct aws_response {
    long status;                /* HTTP status, 0 when no answer arrived */
    struct aws_headers headers; /* response headers, names as received */
    struct buf body;
};

void aws_response_clean_up(struct aws_response *r);

/* Appends `s` percent-encoded per RFC 3986 (unreserved kept; '/' kept when
 * keep_slash). AWS wants upper-case hex. 0 or -1. */
int aws_uri_encode(struct buf *out, const char *s, size_t len, int keep_slash);

#endif
