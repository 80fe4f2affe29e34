/*
 * fuzz_response.h - turns fuzz input into an HTTP error answer for the AWS
 * error parsers.
 *
 * Input layout (what the seed corpora hold, readable as text):
 *     Header-Name: value\n        zero or more header lines
 *     \n                          a blank line ends the headers
 *     body bytes                  the rest
 * Without a blank line the whole input is the body. The status is 400.
 */
#ifndef LSMS_FUZZ_RESPONSE_H
#define LSMS_FUZZ_RESPONSE_H

#include "aws/error.h"
#include "aws/message.h"
#include "fuzz_common.h"

static inline void fuzz_headers_add(struct aws_headers *h, const char *line, size_t len)
{
    const char *colon = memchr(line, ':', len);
    if (!colon)
        return;
    char *name = strndup(line, (size_t)(colon - line));
    const char *v = colon + 1;
    while (v < line + len && *v == ' ')
        v++;
    char *value = strndup(v, (size_t)(line + len - v));
    FUZZ_ASSERT(name && value);
    FUZZ_ASSERT(aws_headers_add(h, name, value) == 0);
    free(name);
    free(value);
}

static inline void fuzz_response_build(const uint8_t *data, size_t size, struct aws_response *resp)
{
    memset(resp, 0, sizeof(*resp));
    resp->status = 400;
    const char *p = (const char *)data;
    const char *end = p + size;
    const char *blank = memmem(p, size, "\n\n", 2);
    if (blank) {
        while (p < blank) {
            const char *nl = memchr(p, '\n', (size_t)(blank - p));
            const char *line_end = nl ? nl : blank;
            fuzz_headers_add(&resp->headers, p, (size_t)(line_end - p));
            p = line_end + 1;
        }
        p = blank + 2;
    }
    FUZZ_ASSERT(buf_append(&resp->body, p, (size_t)(end - p)) == 0);
}

/* Every parser must leave a code and a formattable error, whatever it read. */
static inline void fuzz_error_check(struct aws_error *err)
{
    FUZZ_ASSERT(err->code != NULL && err->code[0] != '\0');
    FUZZ_ASSERT(err->http_status == 400);
    char *text = aws_error_format(err);
    FUZZ_ASSERT(text != NULL);
    free(text);
}

/* Run after every input. The XML targets define it as xmlResetLastError():
 * libxml2 keeps the last parse error in a per-thread copy whose strings an
 * input can grow, which unbalances the input's mallocs and frees and makes
 * libFuzzer run it a second time to look for a leak. */
#ifndef FUZZ_AFTER_INPUT
#define FUZZ_AFTER_INPUT() ((void)0)
#endif

/* err starts out holding the error of an earlier attempt, as it does when
 * the client retries: the parser must replace it (documented), freeing the
 * old strings. (This used to be a second parse of the same answer, which
 * doubled the cost of an execution to test the same replacement.) */
#define FUZZ_ERROR_PARSER_TARGET(parse)                                   \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)          \
    {                                                                     \
        struct aws_response resp;                                         \
        fuzz_response_build(data, size, &resp);                           \
        struct aws_error err = {0};                                       \
        aws_error_set(&err, "ThrottlingException", "Rate exceeded", 503,  \
                      "00000000-0000-0000-0000-000000000000");            \
        parse(&resp, &err);                                               \
        fuzz_error_check(&err);                                           \
        aws_error_clean_up(&err);                                         \
        aws_response_clean_up(&resp);                                     \
        FUZZ_AFTER_INPUT();                                               \
        return 0;                                                         \
    }

#endif
