/*
 * fixture_provider.c - a provider table for the protocol tests of the
 * generic layers (framework, protocol, plugin host): one resource with an
 * identity, a list and generated configuration, a data source, a variadic
 * function and an action with progress, over a store of files in
 * $LSMS_FIXTURE_DIR (one file per object, so that the several processes a
 * client starts per command share it). Linked with provider/main.c and
 * liblsms.a into build/.../tests/terraform-provider-lsms-fixture, in place
 * of resources/provider.c: the real resources talk to AWS and are tested
 * end to end against the emulator (tests/acceptance); this binary tests
 * the protocol machinery alone, with any client, in milliseconds.
 *
 * Object file: five lines, "name", "size", "label" (may be empty), "serial",
 * "touched" (how many times the action ran on it).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "framework/resource.h"

/* ---- the store ---- */

struct thing {
    char name[128];
    char size[32];
    char label[128];
    char serial[32];
    long touched;
};

static const char *fixture_dir(struct diags *d)
{
    const char *dir = getenv("LSMS_FIXTURE_DIR");
    if (!dir || !*dir)
        diags_add(d, DIAG_ERROR, NULL, "Fixture store not set",
                  "Set LSMS_FIXTURE_DIR to a directory for the fixture provider's objects.");
    return dir && *dir ? dir : NULL;
}

static void fixture_path(char *out, size_t n, const char *dir, const char *id)
{
    snprintf(out, n, "%s/%s", dir, id);
}

static void line_copy(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src);
    dst[strcspn(dst, "\n")] = 0;
}

/* 0 found, 1 missing, -1 error (diagnosed). */
static int thing_load(struct diags *d, const char *id, struct thing *t)
{
    const char *dir = fixture_dir(d);
    if (!dir)
        return -1;
    if (!id || !*id || strchr(id, '/')) {
        diags_add(d, DIAG_ERROR, NULL, "Invalid ID", "\"%s\" is not a fixture ID.", id ? id : "");
        return -1;
    }
    char path[4096], line[256];
    fixture_path(path, sizeof(path), dir, id);
    FILE *f = fopen(path, "r");
    if (!f)
        return errno == ENOENT ? 1 : -1;
    memset(t, 0, sizeof(*t));
    char *fields[4] = {t->name, t->size, t->label, t->serial};
    size_t sizes[4] = {sizeof(t->name), sizeof(t->size), sizeof(t->label), sizeof(t->serial)};
    for (int i = 0; i < 4 && fgets(line, sizeof(line), f); i++)
        line_copy(fields[i], sizes[i], line);
    if (fgets(line, sizeof(line), f))
        t->touched = strtol(line, NULL, 10);
    fclose(f);
    return 0;
}

static int thing_store(struct diags *d, const char *id, const struct thing *t)
{
    const char *dir = fixture_dir(d);
    if (!dir)
        return -1;
    char path[4096], tmp[4200];
    fixture_path(path, sizeof(path), dir, id);
    snprintf(tmp, sizeof(tmp), "%s.tmp%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "w");
    if (!f || fprintf(f, "%s\n%s\n%s\n%s\n%ld\n", t->name, t->size, t->label, t->serial,
                      t->touched) < 0 ||
        fclose(f) != 0 || rename(tmp, path) != 0) {
        diags_add(d, DIAG_ERROR, NULL, "Fixture store failed", "Cannot write %s.", path);
        return -1;
    }
    return 0;
}

/* ---- resource lsms_fixture_thing ---- */

static const struct schema_attribute thing_attrs[] = {
    {.name = "id", .type = "string", .flags = SCHEMA_COMPUTED | SCHEMA_USE_STATE,
     .description = "ID: `thing-<name>`."},
    {.name = "name", .type = "string", .flags = SCHEMA_REQUIRED | SCHEMA_REPLACE,
     .description = "Name."},
    {.name = "size", .type = "number", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .default_json = "1", .description = "Size (default 1)."},
    {.name = "label", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "Label.", .deprecation_message = "Use `name` instead."},
    {.name = "serial", .type = "string", .flags = SCHEMA_COMPUTED | SCHEMA_USE_STATE,
     .description = "Set at create (computed only: never in generated configuration)."},
    {.name = "touched", .type = "number", .flags = SCHEMA_COMPUTED,
     .description = "How many times lsms_fixture_step ran on it."},
    {0}};

static const struct schema thing_schema = {
    .version = 0, .block = {.attributes = thing_attrs, .description = "A fixture object."}};

static int thing_to_state(struct diags *d, const char *id, const struct thing *t,
                          struct cty_value *state)
{
    if (cty_object_set(state, "id", cty_string_new(id)) != 0 ||
        cty_object_set(state, "name", cty_string_new(t->name)) != 0 ||
        cty_object_set(state, "size", cty_number_new(t->size[0] ? t->size : "1")) != 0 ||
        cty_object_set(state, "label", t->label[0] ? cty_string_new(t->label)
                                                   : cty_null_new(cty_type_string())) != 0 ||
        cty_object_set(state, "serial", cty_string_new(t->serial)) != 0 ||
        cty_object_set(state, "touched", cty_number_new_int(t->touched)) != 0) {
        diags_add(d, DIAG_ERROR, NULL, "Out of memory", "Out of memory.");
        return -1;
    }
    return 0;
}

static void thing_from_config(const struct cty_value *v, struct thing *t)
{
    line_copy(t->name, sizeof(t->name), cty_attr_string(v, "name") ? cty_attr_string(v, "name") : "");
    const char *size = cty_value_number_text(cty_value_attr(v, "size"));
    line_copy(t->size, sizeof(t->size), size ? size : "1");
    const char *label = cty_attr_string(v, "label");
    line_copy(t->label, sizeof(t->label), label ? label : "");
}

static enum resource_result thing_create(struct resource_ctx *ctx, const struct cty_value *config,
                                         struct cty_value *state)
{
    (void)config;
    struct thing t = {0}, existing;
    thing_from_config(state, &t);
    char id[160];
    snprintf(id, sizeof(id), "thing-%s", t.name);
    if (thing_load(ctx->diags, id, &existing) == 0) {
        diags_error(ctx->diags, "name", "Already exists", "%s already exists.", id);
        return RESOURCE_ERROR;
    }
    snprintf(t.serial, sizeof(t.serial), "%ld", (long)time(NULL));
    if (thing_store(ctx->diags, id, &t) != 0)
        return RESOURCE_ERROR;
    return thing_to_state(ctx->diags, id, &t, state) == 0 ? RESOURCE_OK : RESOURCE_PARTIAL;
}

static enum resource_result thing_read(struct resource_ctx *ctx, struct cty_value *state,
                                       bool *gone)
{
    const char *id = cty_attr_string(state, "id");
    struct thing t;
    int rc = thing_load(ctx->diags, id, &t);
    if (rc < 0)
        return RESOURCE_ERROR;
    if (rc == 1) {
        *gone = true;
        return RESOURCE_OK;
    }
    char id_copy[160];
    line_copy(id_copy, sizeof(id_copy), id);
    return thing_to_state(ctx->diags, id_copy, &t, state) == 0 ? RESOURCE_OK : RESOURCE_ERROR;
}

static enum resource_result thing_update(struct resource_ctx *ctx, const struct cty_value *prior,
                                         const struct cty_value *config, struct cty_value *state)
{
    (void)config;
    const char *id = cty_attr_string(prior, "id");
    struct thing t;
    if (thing_load(ctx->diags, id, &t) != 0) {
        diags_add(ctx->diags, DIAG_ERROR, NULL, "Gone", "%s is gone.", id ? id : "");
        return RESOURCE_ERROR;
    }
    struct thing next = t;
    thing_from_config(state, &next);
    char id_copy[160];
    line_copy(id_copy, sizeof(id_copy), id);
    if (thing_store(ctx->diags, id_copy, &next) != 0)
        return RESOURCE_ERROR;
    return thing_to_state(ctx->diags, id_copy, &next, state) == 0 ? RESOURCE_OK : RESOURCE_ERROR;
}

static enum resource_result thing_delete(struct resource_ctx *ctx, const struct cty_value *prior)
{
    const char *dir = fixture_dir(ctx->diags);
    const char *id = cty_attr_string(prior, "id");
    if (!dir || !id)
        return RESOURCE_ERROR;
    char path[4096];
    fixture_path(path, sizeof(path), dir, id);
    if (unlink(path) != 0 && errno != ENOENT) {
        diags_add(ctx->diags, DIAG_ERROR, NULL, "Delete failed", "Cannot remove %s.", path);
        return RESOURCE_ERROR;
    }
    return RESOURCE_OK;
}

static enum resource_result thing_import(struct resource_ctx *ctx, const char *id,
                                         struct cty_value *state)
{
    (void)ctx;
    return cty_object_set(state, "id", cty_string_new(id)) == 0 ? RESOURCE_OK : RESOURCE_ERROR;
}

/* Identity {id, region}: id is copied from the state by the framework; the
 * region comes from "the provider", here a constant, so that fill and the
 * merge of a given identity are both exercised. */
static const struct schema_attribute thing_identity_attrs[] = {
    {.name = "id", .type = "string", .flags = SCHEMA_REQUIRED,
     .description = "The object's ID."},
    {.name = "region", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "Always `fixture-1`."},
    {0}};

static void thing_identity_fill(struct resource_ctx *ctx, const struct cty_value *state,
                                struct cty_value *identity)
{
    (void)state;
    /* LSMS_FIXTURE_BAD_IDENTITY makes the resource break the identity rules:
     * the protocol tests show the framework refuses to send it. */
    const char *bad = getenv("LSMS_FIXTURE_BAD_IDENTITY");
    if (bad && strcmp(bad, "type") == 0)
        (void)cty_object_set(identity, "region", cty_number_new_int(7));
    else if (bad && strcmp(bad, "null") == 0)
        (void)cty_object_set(identity, "id", cty_null_new(cty_type_string()));
    else if (bad && strcmp(bad, "changed") == 0)
        (void)cty_object_set(identity, "id", cty_string_new("thing-other"));
    else if (cty_object_set(identity, "region", cty_string_new("fixture-1")) != 0)
        diags_add(ctx->diags, DIAG_ERROR, NULL, "Out of memory", "Out of memory.");
}

static enum resource_result thing_import_identity(struct resource_ctx *ctx,
                                                  const struct cty_value *identity,
                                                  struct cty_value *state)
{
    const char *region = cty_attr_string(identity, "region");
    if (region && strcmp(region, "fixture-1") != 0) {
        diags_error(ctx->diags, "region", "Wrong region",
                    "The identity names region %s; this provider manages fixture-1.", region);
        return RESOURCE_ERROR;
    }
    return thing_import(ctx, cty_attr_string(identity, "id"), state);
}

static const struct resource_identity thing_identity = {
    .version = 0,
    .attributes = thing_identity_attrs,
    .fill = thing_identity_fill,
    .import = thing_import_identity,
};

static const struct schema_attribute thing_list_attrs[] = {
    {.name = "name_prefix", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "Only objects whose name starts with this."},
    {.name = "full", .type = "bool", .flags = SCHEMA_OPTIONAL,
     .description = "Emit full states instead of seeds (the framework then reads nothing)."},
    {.name = "fail_after", .type = "number", .flags = SCHEMA_OPTIONAL,
     .description = "Fail the walk after this many objects."},
    {.name = "delay_ms", .type = "number", .flags = SCHEMA_OPTIONAL,
     .description = "Wait this long before each object (for cancellation tests)."},
    {0}};

static const struct schema thing_list_schema = {
    .version = 0, .block = {.attributes = thing_list_attrs, .description = "Filters."}};

static int thing_id_compare(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static enum resource_result thing_list(struct resource_ctx *ctx, const struct cty_value *config,
                                       struct list_results *out)
{
    const char *dir = fixture_dir(ctx->diags);
    if (!dir)
        return RESOURCE_ERROR;
    const char *prefix = cty_attr_string(config, "name_prefix");
    bool full = cty_attr_bool(config, "full", false);
    int64_t fail_after = cty_attr_int(config, "fail_after", -1);
    int64_t delay_ms = cty_attr_int(config, "delay_ms", 0);
    DIR *dh = opendir(dir);
    if (!dh) {
        diags_add(ctx->diags, DIAG_ERROR, NULL, "List failed", "Cannot read %s.", dir);
        return RESOURCE_ERROR;
    }
    char *ids[256];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(dh)) && n < 256)
        if (strncmp(e->d_name, "thing-", 6) == 0 && !strstr(e->d_name, ".tmp"))
            ids[n++] = strdup(e->d_name);
    closedir(dh);
    qsort(ids, n, sizeof(ids[0]), thing_id_compare);
    enum resource_result rc = RESOURCE_OK;
    int64_t emitted = 0;
    for (size_t i = 0; i < n && rc == RESOURCE_OK; i++) {
        struct thing t;
        if (!ids[i] || thing_load(ctx->diags, ids[i], &t) != 0)
            continue;
        if (prefix && strncmp(t.name, prefix, strlen(prefix)) != 0)
            continue;
        if (fail_after >= 0 && emitted >= fail_after) {
            diags_add(ctx->diags, DIAG_ERROR, NULL, "List failed",
                      "The fixture list failed after %lld objects, as configured.",
                      (long long)emitted);
            rc = RESOURCE_ERROR;
            break;
        }
        if (delay_ms > 0) {
            struct timespec ts = {delay_ms / 1000, (delay_ms % 1000) * 1000000L};
            nanosleep(&ts, NULL);
        }
        struct cty_value *state = list_results_state_new(out);
        if (!state) {
            rc = RESOURCE_ERROR;
            break;
        }
        int set = full ? thing_to_state(ctx->diags, ids[i], &t, state)
                       : cty_object_set(state, "id", cty_string_new(ids[i]));
        if (set != 0) {
            cty_value_destroy(state);
            rc = RESOURCE_ERROR;
            break;
        }
        int emit = list_results_emit(out, state, full ? LIST_STATE_FULL : LIST_STATE_SEED, t.name);
        if (emit < 0)
            rc = RESOURCE_ERROR;
        else if (emit > 0)
            break;
        emitted++;
    }
    for (size_t i = 0; i < n; i++)
        free(ids[i]);
    return rc;
}

static const struct resource_list thing_list_def = {
    .config_schema = &thing_list_schema,
    .list = thing_list,
};

/* The generated configuration drops the label when it is "generated": a
 * resource hook on top of the framework's derivation. */
static void thing_generate_config(const struct cty_value *state, struct cty_value *config)
{
    const char *label = cty_attr_string(state, "label");
    if (label && strcmp(label, "generated") == 0)
        (void)cty_object_set(config, "label", cty_null_new(cty_type_string()));
}

static const struct lsms_resource thing_resource = {
    .type_name = "lsms_fixture_thing",
    .schema = &thing_schema,
    .create = thing_create,
    .read = thing_read,
    .update = thing_update,
    .delete = thing_delete,
    .import = thing_import,
    .identity = &thing_identity,
    .list = &thing_list_def,
    .generate_config = thing_generate_config,
};

/* ---- data source lsms_fixture_lookup ---- */

static const struct schema_attribute lookup_attrs[] = {
    {.name = "name", .type = "string", .flags = SCHEMA_REQUIRED, .description = "Name."},
    {.name = "id", .type = "string", .flags = SCHEMA_COMPUTED, .description = "ID."},
    {.name = "size", .type = "number", .flags = SCHEMA_COMPUTED, .description = "Size."},
    {0}};

static const struct schema lookup_schema = {
    .version = 0, .block = {.attributes = lookup_attrs, .description = "Looks a thing up."}};

static enum resource_result lookup_read(struct resource_ctx *ctx, const struct cty_value *config,
                                        struct cty_value *state)
{
    char id[160];
    snprintf(id, sizeof(id), "thing-%s", cty_attr_string(config, "name"));
    struct thing t;
    int rc = thing_load(ctx->diags, id, &t);
    if (rc != 0) {
        if (rc > 0)
            diags_error(ctx->diags, "name", "Not found", "No fixture thing is named %s.",
                        cty_attr_string(config, "name"));
        return RESOURCE_ERROR;
    }
    if (getenv("LSMS_FIXTURE_BAD_DATA"))
        return cty_object_set(state, "name", cty_string_new("changed")) == 0 ? RESOURCE_OK
                                                                            : RESOURCE_ERROR;
    return cty_object_set(state, "id", cty_string_new(id)) == 0 &&
                   cty_object_set(state, "size", cty_number_new(t.size)) == 0
               ? RESOURCE_OK
               : RESOURCE_ERROR;
}

static const struct lsms_data_source lookup_data_source = {
    .type_name = "lsms_fixture_lookup",
    .schema = &lookup_schema,
    .read = lookup_read,
};

/* ---- function fixture_join(separator, parts...) ---- */

static struct cty_value *join_call(const struct cty_value *const *args, size_t n,
                                   struct function_error *err)
{
    const char *sep = cty_value_string(args[0]);
    size_t len = 1;
    for (size_t i = 1; i < n; i++) {
        if (cty_value_is_null(args[i])) {
            function_error_set(err, (int64_t)i, "part %zu is null", i);
            return NULL;
        }
        len += cty_value_string_len(args[i]) + strlen(sep);
    }
    char *s = calloc(1, len);
    if (!s)
        return NULL;
    for (size_t i = 1; i < n; i++) {
        if (i > 1)
            strcat(s, sep);
        strcat(s, cty_value_string(args[i]));
    }
    if (strcmp(s, "bad-type") == 0) { /* a result of the wrong type: a bug the framework catches */
        free(s);
        return cty_number_new_int(1);
    }
    struct cty_value *v = cty_string_new(s);
    free(s);
    return v;
}

static const struct lsms_function join_function = {
    .name = "fixture_join",
    .params = (const struct function_param[]){
        {.name = "separator", .type = "string", .description = "Between parts."}, {0}},
    .variadic = &(const struct function_param){
        .name = "parts", .type = "string", .allow_null = true, .description = "Parts."},
    .return_type = "string",
    .summary = "Joins strings",
    .description = "Joins its arguments with the separator.",
    .deprecation_message = "Use join() instead.",
    .call = join_call,
};

/* ---- action lsms_fixture_step ---- */

static const struct schema_attribute step_attrs[] = {
    {.name = "name", .type = "string", .flags = SCHEMA_REQUIRED,
     .description = "The thing to step."},
    {.name = "steps", .type = "number", .flags = SCHEMA_OPTIONAL,
     .description = "How many progress steps (default 3)."},
    {.name = "fail_at", .type = "number", .flags = SCHEMA_OPTIONAL,
     .description = "Fail at this step."},
    {.name = "delay_ms", .type = "number", .flags = SCHEMA_OPTIONAL,
     .description = "Time per step."},
    {0}};

static const struct schema step_schema = {
    .version = 0, .block = {.attributes = step_attrs, .description = "Steps a thing."}};

/* Plan-time checks judge the configuration only: the object may not exist
 * yet (an action_trigger after_create acts on what the same apply creates). */
static void step_plan(struct resource_ctx *ctx, const struct cty_value *config)
{
    int64_t steps = cty_attr_int(config, "steps", 3);
    if (steps < 1 || steps > 100)
        diags_error(ctx->diags, "steps", "Invalid steps", "steps must be 1 to 100, not %lld.",
                    (long long)steps);
}

static enum resource_result step_invoke(struct action_ctx *ctx, const struct cty_value *config)
{
    const char *name = cty_attr_string(config, "name");
    int64_t steps = cty_attr_int(config, "steps", 3);
    int64_t fail_at = cty_attr_int(config, "fail_at", -1);
    int64_t delay_ms = cty_attr_int(config, "delay_ms", 0);
    char id[160];
    struct thing t;
    snprintf(id, sizeof(id), "thing-%s", name);
    if (thing_load(ctx->rc.diags, id, &t) != 0) {
        diags_error(ctx->rc.diags, "name", "Not found", "No fixture thing is named %s.", name);
        return RESOURCE_ERROR;
    }
    for (int64_t i = 1; i <= steps; i++) {
        if (action_progress(ctx, "step %lld of %lld on %s", (long long)i, (long long)steps,
                            name) != 0)
            return RESOURCE_ERROR;
        for (int64_t waited = 0; waited < delay_ms; waited += 10) {
            if (action_cancelled(ctx))
                return RESOURCE_ERROR;
            struct timespec ts = {0, 10 * 1000000L};
            nanosleep(&ts, NULL);
        }
        if (i == fail_at) {
            diags_add(ctx->rc.diags, DIAG_ERROR, NULL, "Step failed",
                      "Step %lld of %s failed, as configured.", (long long)i, name);
            return RESOURCE_ERROR;
        }
    }
    t.touched++;
    return thing_store(ctx->rc.diags, id, &t) == 0 ? RESOURCE_OK : RESOURCE_ERROR;
}

static const struct lsms_action step_action = {
    .type_name = "lsms_fixture_step",
    .schema = &step_schema,
    .plan = step_plan,
    .invoke = step_invoke,
};

/* ---- the provider ---- */

static const struct schema provider_schema = {
    .version = 0, .block = {.attributes = (const struct schema_attribute[]){{0}},
                            .description = "The fixture provider."}};

static int fixture_data;

static void *fixture_configure(const struct cty_value *config, const char *version,
                               struct diags *d)
{
    (void)config;
    (void)version;
    (void)d;
    return &fixture_data;
}

static void fixture_stop(void *data)
{
    (void)data;
}

static const struct lsms_resource *const fixture_resources[] = {&thing_resource, NULL};
static const struct lsms_data_source *const fixture_data_sources[] = {&lookup_data_source, NULL};
static const struct lsms_function *const fixture_functions[] = {&join_function, NULL};
static const struct lsms_action *const fixture_actions[] = {&step_action, NULL};

const struct lsms_provider lsms_provider = {
    .schema = &provider_schema,
    .configure = fixture_configure,
    .stop = fixture_stop,
    .resources = fixture_resources,
    .data_sources = fixture_data_sources,
    .functions = fixture_functions,
    .actions = fixture_actions,
};
