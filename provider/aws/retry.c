#include "aws/retry.h"

#include <string.h>

static const char *const throttling_codes[] = {
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
};

static const char *const transient_codes[] = {
    "RequestTimeout",
    "RequestTimeoutException",
    "PriorRequestNotComplete",
    /* S3 (S3 API reference, "Error responses"): "InternalError: An internal
     * error occurred. Try again.", "ServiceUnavailable: Reduce your request
     * rate.", "OperationAborted: A conflicting conditional operation is
     * currently in progress against this resource. Try again." (409, which
     * the status alone would not retry). */
    "InternalError",
    "ServiceUnavailable",
    "OperationAborted",
    AWS_ERR_CONNECTION,
    AWS_ERR_TIMEOUT,
};

static int code_in(const char *code, const char *const *list, size_t n)
{
    for (size_t i = 0; code && i < n; i++)
        if (strcmp(code, list[i]) == 0)
            return 1;
    return 0;
}

int aws_retry_is_throttling_code(const char *code)
{
    return code_in(code, throttling_codes, sizeof(throttling_codes) / sizeof(*throttling_codes));
}

enum aws_retry_class aws_retry_classify(const struct aws_error *err)
{
    if (!err || !err->code || strcmp(err->code, AWS_ERR_CANCELLED) == 0)
        return AWS_RETRY_NONE;
    if (aws_retry_is_throttling_code(err->code) || err->http_status == 429)
        return AWS_RETRY_THROTTLE;
    if (code_in(err->code, transient_codes, sizeof(transient_codes) / sizeof(*transient_codes)))
        return AWS_RETRY_TRANSIENT;
    switch (err->http_status) {
    case 500:
    case 502:
    case 503:
    case 504:
        return AWS_RETRY_TRANSIENT;
    default:
        return AWS_RETRY_NONE;
    }
}

uint64_t aws_retry_delay_ms(const struct aws_retry_policy *p, int retry_index, double random_unit)
{
    uint64_t ceiling = p->base_delay_ms;
    /* Double until the cap; stops early so large indexes cannot overflow. */
    for (int i = 0; i < retry_index && ceiling < p->max_backoff_ms; i++)
        ceiling *= 2;
    if (ceiling > p->max_backoff_ms)
        ceiling = p->max_backoff_ms;
    if (random_unit < 0)
        random_unit = 0;
    if (random_unit >= 1)
        random_unit = 0.999999;
    return (uint64_t)(random_unit * (double)ceiling);
}
