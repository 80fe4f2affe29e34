#include "protocol/server.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static const char *init_error;
static struct schema_compiled *provider_schema;
static struct server_resource *resources;
static size_t n_resources;
static struct server_data_source *data_sources;
static size_t n_data_sources;
static struct server_action *actions;
static size_t n_actions;
static struct server_function *functions;
static size_t n_functions;
static void *provider_data;
static pthread_mutex_t data_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile int stop_requested;

static void server_log_table_error(const char *what, const char *error)
{
    log_kv(LOG_ERROR, "invalid schema table", "schema", what, "error", error ? error : "",
           (const char *)NULL);
}

static struct schema_compiled *server_compile(const struct schema *s, const char *what)
{
    char *error = NULL;
    struct schema_compiled *c = schema_compile(s, &error);
    if (!c) {
        server_log_table_error(what, error);
        free(error);
    }
    return c;
}

static size_t server_count(const void *const *list)
{
    size_t n = 0;
    while (list && list[n])
        n++;
    return n;
}

/* Identity and list of one resource. The identity table lives as long as
 * the process (the compiled schema points into it). */
static int server_compile_capabilities(struct server_resource *sr)
{
    const struct lsms_resource *r = sr->resource;
    if (r->identity) {
        char *error = NULL;
        if (identity_table_check(r->identity, &error) != 0) {
            server_log_table_error(r->type_name, error);
            free(error);
            return -1;
        }
        struct schema *table = identity_schema_new(r->identity);
        sr->identity = table ? server_compile(table, r->type_name) : NULL;
        if (!sr->identity) {
            free(table);
            return -1;
        }
    }
    if (r->list) {
        if (!r->identity || !r->list->config_schema || !r->list->list) {
            server_log_table_error(r->type_name,
                                   "a list needs an identity, a config schema and a list callback");
            return -1;
        }
        sr->list_config = server_compile(r->list->config_schema, r->type_name);
        if (!sr->list_config)
            return -1;
    }
    return 0;
}

/* An action's config has no computed attributes: an action has no state. */
static int server_action_schema_check(const struct lsms_action *a)
{
    for (const struct schema_attribute *at = a->schema->block.attributes; at && at->name; at++)
        if (at->flags & SCHEMA_COMPUTED) {
            server_log_table_error(a->type_name, "an action's attributes cannot be computed");
            return -1;
        }
    if (!a->invoke) {
        server_log_table_error(a->type_name, "an action needs an invoke callback");
        return -1;
    }
    return 0;
}

static struct cty_type *server_function_type(const char *fn, const char *type)
{
    char *error = NULL;
    struct cty_type *t = NULL;
    if (type) {
        size_t len = strlen(type);
        char *json = malloc(len + 3);
        if (json) {
            if (type[0] == '[' || type[0] == '"')
                memcpy(json, type, len + 1);
            else
                snprintf(json, len + 3, "\"%s\"", type);
            t = cty_type_from_json(json, strlen(json), &error);
            free(json);
        }
    }
    if (!t)
        server_log_table_error(fn, error ? error : "a function type is missing or invalid");
    free(error);
    return t;
}

static bool server_function_name_valid(const char *name)
{
    if (!name || !(*name >= 'a' && *name <= 'z'))
        return false;
    for (const char *c = name; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_'))
            return false;
    return true;
}

static int server_compile_function(struct server_function *sf)
{
    const struct lsms_function *f = sf->function;
    if (!server_function_name_valid(f->name) || !f->call) {
        server_log_table_error(f->name ? f->name : "(function)",
                               "a function needs a name matching ^[a-z][a-z0-9_]*$ and a call");
        return -1;
    }
    size_t n = 0;
    while (f->params && f->params[n].name)
        n++;
    sf->param_types = calloc(n ? n : 1, sizeof(*sf->param_types));
    if (!sf->param_types)
        return -1;
    for (size_t i = 0; i < n; i++) {
        sf->param_types[i] = server_function_type(f->name, f->params[i].type);
        if (!sf->param_types[i])
            return -1;
        sf->n_params++;
    }
    if (f->variadic && !(sf->variadic_type = server_function_type(f->name, f->variadic->type)))
        return -1;
    sf->return_type = server_function_type(f->name, f->return_type);
    return sf->return_type ? 0 : -1;
}

static void server_init_once(void)
{
    provider_schema = server_compile(lsms_provider.schema, "provider");
    if (!provider_schema) {
        init_error = "the provider schema table is invalid";
        return;
    }
    size_t n = server_count((const void *const *)lsms_provider.resources);
    resources = calloc(n ? n : 1, sizeof(*resources));
    size_t nd = server_count((const void *const *)lsms_provider.data_sources);
    data_sources = calloc(nd ? nd : 1, sizeof(*data_sources));
    size_t na = server_count((const void *const *)lsms_provider.actions);
    actions = calloc(na ? na : 1, sizeof(*actions));
    size_t nf = server_count((const void *const *)lsms_provider.functions);
    functions = calloc(nf ? nf : 1, sizeof(*functions));
    if (!resources || !data_sources || !actions || !functions) {
        init_error = "out of memory";
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const struct lsms_resource *r = lsms_provider.resources[i];
        resources[i].resource = r;
        resources[i].schema = server_compile(r->schema, r->type_name);
        if (!resources[i].schema || server_compile_capabilities(&resources[i]) != 0) {
            init_error = "a resource schema table is invalid";
            return;
        }
    }
    for (size_t i = 0; i < nd; i++) {
        const struct lsms_data_source *ds = lsms_provider.data_sources[i];
        data_sources[i].data_source = ds;
        data_sources[i].schema = ds->read ? server_compile(ds->schema, ds->type_name) : NULL;
        if (!data_sources[i].schema) {
            init_error = "a data source table is invalid";
            return;
        }
    }
    for (size_t i = 0; i < na; i++) {
        const struct lsms_action *a = lsms_provider.actions[i];
        actions[i].action = a;
        actions[i].schema = server_compile(a->schema, a->type_name);
        if (!actions[i].schema || server_action_schema_check(a) != 0) {
            init_error = "an action table is invalid";
            return;
        }
    }
    for (size_t i = 0; i < nf; i++) {
        functions[i].function = lsms_provider.functions[i];
        if (server_compile_function(&functions[i]) != 0) {
            init_error = "a function table is invalid";
            return;
        }
    }
    n_resources = n;
    n_data_sources = nd;
    n_actions = na;
    n_functions = nf;
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

const struct server_data_source *server_find_data_source(const char *type_name)
{
    for (size_t i = 0; type_name && i < n_data_sources; i++)
        if (strcmp(data_sources[i].data_source->type_name, type_name) == 0)
            return &data_sources[i];
    return NULL;
}

const struct server_data_source *server_data_sources(size_t *n)
{
    *n = n_data_sources;
    return data_sources;
}

const struct server_action *server_find_action(const char *type_name)
{
    for (size_t i = 0; type_name && i < n_actions; i++)
        if (strcmp(actions[i].action->type_name, type_name) == 0)
            return &actions[i];
    return NULL;
}

const struct server_action *server_actions(size_t *n)
{
    *n = n_actions;
    return actions;
}

const struct server_function *server_find_function(const char *name)
{
    for (size_t i = 0; name && i < n_functions; i++)
        if (strcmp(functions[i].function->name, name) == 0)
            return &functions[i];
    return NULL;
}

const struct server_function *server_functions(size_t *n)
{
    *n = n_functions;
    return functions;
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
    __atomic_store_n(&stop_requested, 1, __ATOMIC_RELEASE);
    void *data = server_provider_data();
    if (data && lsms_provider.stop)
        lsms_provider.stop(data);
}

const volatile int *server_stop_flag(void)
{
    return &stop_requested;
}
