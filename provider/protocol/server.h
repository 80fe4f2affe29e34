/*
 * server.h - the protocol layer's process-wide state.
 *
 * Holds the compiled schemas (built once, on first use) of the provider, its
 * resources (with their identity and list config), data sources, actions
 * and functions; the provider data returned by ConfigureProvider; and the
 * StopProvider flag. OpenTofu starts a separate process per provider
 * instance and configures it once, so one provider-data slot per process is
 * enough.
 */
#ifndef LSMS_PROTOCOL_SERVER_H
#define LSMS_PROTOCOL_SERVER_H

#include <stddef.h>

#include "framework/resource.h"
#include "framework/schema.h"

struct server_resource {
    const struct lsms_resource *resource;
    struct schema_compiled *schema;
    struct schema_compiled *identity;    /* NULL: no identity */
    struct schema_compiled *list_config; /* NULL: no list */
};

struct server_data_source {
    const struct lsms_data_source *data_source;
    struct schema_compiled *schema;
};

struct server_action {
    const struct lsms_action *action;
    struct schema_compiled *schema;
};

struct server_function {
    const struct lsms_function *function;
    struct cty_type **param_types; /* one per parameter, owned */
    size_t n_params;
    struct cty_type *variadic_type; /* NULL: not variadic */
    struct cty_type *return_type;
};

/* Compiles every schema once (thread-safe). Returns 0, or -1 with a static
 * explanation in *error (a bug in a schema table; the log names it). */
int server_init(const char **error);
const struct schema_compiled *server_provider_schema(void);
const struct server_resource *server_find_resource(const char *type_name);
const struct server_resource *server_resources(size_t *n);
const struct server_data_source *server_find_data_source(const char *type_name);
const struct server_data_source *server_data_sources(size_t *n);
const struct server_action *server_find_action(const char *type_name);
const struct server_action *server_actions(size_t *n);
const struct server_function *server_find_function(const char *name);
const struct server_function *server_functions(size_t *n);

/* Provider data from ConfigureProvider (NULL until configured). */
void *server_provider_data(void);
void server_set_provider_data(void *data);
/* Sets the stop flag and tells the provider (never blocks). */
void server_request_stop(void);
const volatile int *server_stop_flag(void);

#endif
