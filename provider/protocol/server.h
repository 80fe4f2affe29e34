/*
 * server.h - the protocol layer's process-wide state.
 *
 * Holds the compiled schemas (built once, on first use), the provider data
 * returned by ConfigureProvider, and the StopProvider flag. OpenTofu starts a
 * separate process per provider instance and configures it once, so one
 * provider-data slot per process is enough.
 */
#ifndef LSMS_PROTOCOL_SERVER_H
#define LSMS_PROTOCOL_SERVER_H

#include <stddef.h>

#include "framework/resource.h"
#include "framework/schema.h"

struct server_resource {
    const struct lsms_resource *resource;
    struct schema_compiled *schema;
};

/* Compiles every schema once (thread-safe). Returns 0, or -1 with a static
 * explanation in *error (a bug in a schema table). */
int server_init(const char **error);
const struct schema_compiled *server_provider_schema(void);
const struct server_resource *server_find_resource(const char *type_name);
const struct server_resource *server_resources(size_t *n);

/* Provider data from ConfigureProvider (NULL until configured). */
void *server_provider_data(void);
void server_set_provider_data(void *data);
/* Sets the stop flag and tells the provider (never blocks). */
void server_request_stop(void);
const volatile int *server_stop_flag(void);

#endif
