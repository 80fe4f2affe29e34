#include "plugin/services.h"

#include <grpc/status.h>
#include <stdlib.h>
#include <string.h>

#include "grpc_health.pb-c.h"
#include "protocol/dispatch.h"

enum services_method services_method_classify(const char *method)
{
    if (!method)
        return SERVICES_METHOD_KIND_UNKNOWN;
    if (protocol_handles_method(method))
        return SERVICES_METHOD_KIND_PROVIDER;
    if (!strcmp(method, SERVICES_METHOD_SHUTDOWN))
        return SERVICES_METHOD_KIND_SHUTDOWN;
    if (!strcmp(method, SERVICES_METHOD_STDIO))
        return SERVICES_METHOD_KIND_STDIO;
    if (!strcmp(method, SERVICES_METHOD_BROKER))
        return SERVICES_METHOD_KIND_BROKER;
    if (!strcmp(method, SERVICES_METHOD_HEALTH_CHECK))
        return SERVICES_METHOD_KIND_HEALTH_CHECK;
    return SERVICES_METHOD_KIND_UNKNOWN;
}

int services_health_check(const uint8_t *request, size_t request_len, uint8_t **response,
                          size_t *response_len)
{
    *response = NULL;
    *response_len = 0;
    Grpc__Health__V1__HealthCheckRequest *req =
        grpc__health__v1__health_check_request__unpack(NULL, request_len, request);
    if (!req)
        return GRPC_STATUS_INVALID_ARGUMENT;
    const char *service = req->service ? req->service : "";
    int known = !*service || !strcmp(service, SERVICES_HEALTH_SERVICE_NAME);
    grpc__health__v1__health_check_request__free_unpacked(req, NULL);
    if (!known)
        return GRPC_STATUS_NOT_FOUND;

    Grpc__Health__V1__HealthCheckResponse resp = GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__INIT;
    resp.status = GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__SERVING;
    size_t len = grpc__health__v1__health_check_response__get_packed_size(&resp);
    uint8_t *out = malloc(len ? len : 1);
    if (!out)
        return GRPC_STATUS_RESOURCE_EXHAUSTED;
    grpc__health__v1__health_check_response__pack(&resp, out);
    *response = out;
    *response_len = len;
    return GRPC_STATUS_OK;
}
