/*
 * services.h - which service a gRPC method path belongs to, and the small
 * go-plugin side services that need a payload (health check).
 *
 * The long-lived StreamStdio/StartStream calls and Shutdown are driven by
 * server.c; this module only knows names and message bytes.
 */
#ifndef LSMS_PLUGIN_SERVICES_H
#define LSMS_PLUGIN_SERVICES_H

#include <stddef.h>
#include <stdint.h>

#define SERVICES_METHOD_SHUTDOWN "/plugin.GRPCController/Shutdown"
#define SERVICES_METHOD_STDIO "/plugin.GRPCStdio/StreamStdio"
#define SERVICES_METHOD_BROKER "/plugin.GRPCBroker/StartStream"
#define SERVICES_METHOD_HEALTH_CHECK "/grpc.health.v1.Health/Check"
/* go-plugin registers its health status under this service name. */
#define SERVICES_HEALTH_SERVICE_NAME "plugin"

enum services_method {
    SERVICES_METHOD_KIND_UNKNOWN = 0,
    SERVICES_METHOD_KIND_PROVIDER, /* tfplugin6.Provider unary: protocol layer */
    SERVICES_METHOD_KIND_SHUTDOWN,
    SERVICES_METHOD_KIND_STDIO,
    SERVICES_METHOD_KIND_BROKER,
    SERVICES_METHOD_KIND_HEALTH_CHECK,
};

/* Classifies a full method path ("/package.Service/Method"); borrowed. */
enum services_method services_method_classify(const char *method);

/*
 * Answers grpc.health.v1.Health/Check. `request` (borrowed) is a serialized
 * HealthCheckRequest. Service "" or "plugin" is SERVING. On success returns
 * 0 (gRPC OK) and sets *response to a malloc'd serialized HealthCheckResponse
 * the caller frees. Otherwise returns a gRPC status code (3 INVALID_ARGUMENT
 * for a malformed request, 5 NOT_FOUND for an unknown service, as the
 * reference health service does) with *response NULL.
 */
int services_health_check(const uint8_t *request, size_t request_len, uint8_t **response,
                          size_t *response_len);

#endif
