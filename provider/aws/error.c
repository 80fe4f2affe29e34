#include "aws/error.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

/* The fallback for out-of-memory cannot itself allocate. */
static char no_memory_code[] = AWS_ERR_NO_MEMORY;

static void error_free_strings(struct aws_error *err)
{
    if (err->code != no_memory_code)
        free(err->code);
    free(err->message);
    free(err->request_id);
}

int aws_error_set(struct aws_error *err, const char *code, const char *message, long http_status,
                  const char *request_id)
{
    if (!err)
        return -1;
    char *c = code ? strdup(code) : strdup("UnknownError");
    char *m = message ? strdup(message) : NULL;
    char *r = request_id ? strdup(request_id) : NULL;
    error_free_strings(err);
    if (!c || (message && !m) || (request_id && !r)) {
        free(c);
        free(m);
        free(r);
        err->code = no_memory_code;
        err->message = NULL;
        err->request_id = NULL;
        err->http_status = http_status;
        return -1;
    }
    err->code = c;
    err->message = m;
    err->request_id = r;
    err->http_status = http_status;
    return -1;
}

int aws_error_setf(struct aws_error *err, const char *code, const char *fmt, ...)
{
    struct buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    int rc = buf_vprintf(&b, fmt, ap);
    va_end(ap);
    aws_error_set(err, code, rc == 0 ? b.data : NULL, 0, NULL);
    buf_clean_up(&b);
    return -1;
}

int aws_error_is(const struct aws_error *err, const char *code)
{
    return err && err->code && code && strcmp(err->code, code) == 0;
}

void aws_error_clean_up(struct aws_error *err)
{
    if (!err)
        return;
    error_free_strings(err);
    memset(err, 0, sizeof(*err));
}

char *aws_error_format(const struct aws_error *err)
{
    struct buf b = {0};
    int rc = buf_append_str(&b, err && err->code ? err->code : "UnknownError");
    if (!rc && err && err->message && *err->message)
        rc = buf_printf(&b, ": %s", err->message);
    if (!rc && err && (err->http_status || (err->request_id && *err->request_id))) {
        rc = buf_append_str(&b, " (");
        if (!rc && err->http_status)
            rc = buf_printf(&b, "HTTP %ld", err->http_status);
        if (!rc && err->request_id && *err->request_id)
            rc = buf_printf(&b, "%srequest id %s", err->http_status ? ", " : "", err->request_id);
        if (!rc)
            rc = buf_append_char(&b, ')');
    }
    if (rc) {
        buf_clean_up(&b);
        return NULL;
    }
    return buf_detach(&b);
}
