/*
 * error.h - the one error value of the AWS layer.
 *
 * Every call that can fail takes a `struct aws_error *` and fills it on
 * failure: the AWS error code ("ResourceNotFound"), the service's message,
 * the HTTP status and the request id. Failures that never reached AWS use
 * codes of our own, listed below, with http_status 0. Messages never contain
 * credentials.
 *
 * A zeroed struct is empty. aws_error_clean_up frees the strings; filling an
 * error that already holds something replaces it.
 */
#ifndef LSMS_AWS_ERROR_H
#define LSMS_AWS_ERROR_H

struct aws_error {
    char *code;       /* owned; AWS code or one of the AWS_ERR_* below */
    char *message;    /* owned; may be NULL */
    long http_status; /* 0 when no HTTP answer */
    char *request_id; /* owned; may be NULL */
};

/* Codes for failures that are not AWS answers. */
#define AWS_ERR_NO_MEMORY "NoMemory"
#define AWS_ERR_CONNECTION "ConnectionError"     /* refused, reset, DNS, TLS handshake */
/* The peer's certificate does not verify against our CA certificates (or
 * they cannot be read): retrying cannot help, so it is not retried. */
#define AWS_ERR_TLS_VERIFY "TLSVerificationError"
#define AWS_ERR_TIMEOUT "RequestTimeoutClient"   /* our own connect/total timeout */
#define AWS_ERR_CANCELLED "Cancelled"            /* the client was stopped */
#define AWS_ERR_CREDENTIALS "NoCredentialProviders"
#define AWS_ERR_CONFIG "InvalidClientConfig"
#define AWS_ERR_BAD_RESPONSE "UnparsableResponse" /* answer we could not decode */
#define AWS_ERR_WAIT_TIMEOUT "WaiterTimeout"
#define AWS_ERR_WAIT_FAILED "WaiterFailed"

/* Replaces the contents with copies of the arguments (any may be NULL).
 * Returns -1 always, so failure paths can `return aws_error_set(...)`. When
 * memory runs out the code becomes AWS_ERR_NO_MEMORY (static fallback). */
int aws_error_set(struct aws_error *err, const char *code, const char *message, long http_status,
                  const char *request_id);
/* Like aws_error_set with a printf-style message. Returns -1. */
int aws_error_setf(struct aws_error *err, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* 1 when err holds an error with this code (NULL-safe). */
int aws_error_is(const struct aws_error *err, const char *code);
void aws_error_clean_up(struct aws_error *err);
/*
 * A diagnostic-ready sentence, e.g.
 * "ResourceNotFound: Dashboard does not exist (HTTP 404, request id abc)".
 * Returns a malloc'd string the caller frees, or NULL on no memory.
 */
char *aws_error_format(const struct aws_error *err);

#endif
