#include "protocol/server.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static const char *init_error;
static struct schema_compiled *provider_schema;
static struct server_resource *resources;
static size_t n_resources;
static void *provider_data;
static pthread_mutex_t data_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile int stop_requested;

static struct schema_compiled *server_compile(const struct schema *s, const char *what)
{
    char *error = NULL;
    struct schema_compiled *c = schema_compile(s, &error);
    if (!c) {
        log_kv(LOG_ERROR, "invalid schema table", "schema", what, "error", error ? error : "",
               (const char *)NULL);
        free(error);
    }
    return c;
}

static void server_init_once(void)
{
    provider_schema = server_compile(lsms_provider.schema, "provider");
    if (!provider_schema) {
        init_error = "the provider schema table is invalid";
        return;
    }
    size_t n = 0;
    while (lsms_provider.resources[n])
        n++;
    resources = calloc(n ? n : 1, sizeof(*resources));
    if (!resources) {
        init_error = "out of memory";
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const struct lsms_resource *r = lsms_provider.resources[i];
        resources[i].resource = r;
        resources[i].schema = server_compile(r->schema, r->type_name);
        if (!resources[i].schema) {
            init_error = "a resource schema table is invalid";
            return;
        }
    }
    n_resources = n;
}

int server_init(const char **error)
{
    pthread_once(&init_once, server_init_once);
    if (init_error) {
        *error = init_error;
        return -1;
    }
    return 0;
}

const struct schema_compiled *server_provider_schema(void)
{
    return provider_schema;
}

const struct server_resource *server_find_resource(const char *type_name)
{
    for (size_t i = 0; type_name && i < n_resources; i++)
        if (strcmp(resources[i].resource->type_name, type_name) == 0)
            return &resources[i];
    return NULL;
}

const struct server_resource *server_resources(size_t *n)
{
    *n = n_resources;
    return resources;
}

void *server_provider_data(void)
{
    pthread_mutex_lock(&data_lock);
    void *data = provider_data;
    pthread_mutex_unlock(&data_lock);
    return data;
}

void server_set_provider_data(void *data)
{
    pthread_mutex_lock(&data_lock);
    void *old = provider_data;
    provider_data = data;
    pthread_mutex_unlock(&data_lock);
    /* A second ConfigureProvider in one process does not happen with
     * OpenTofu; if it does, the old data may still be in use by running
     * calls, so it is deliberately kept rather than freed. */
    (void)old;
}

void server_request_stop(void)
{
    stop_requested = 1;
    void *data = server_provider_data();
    if (data && lsms_provider.stop)
        lsms_provider.stop(data);
}

const volatile int *server_stop_flag(void)
{
    return &stop_requested;
}
