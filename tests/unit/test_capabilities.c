/* The framework rules behind identity, list resources, actions, data sources,
 * functions and generated configuration (framework/identity.h, list.h,
 * action.h, data_source.h, function.h; schema_config_from_state), without
 * the protocol layer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "framework/cty.h"
#include "framework/resource.h"
#include "framework/schema.h"

#define ATTRS(...) ((const struct schema_attribute[]){__VA_ARGS__, {0}})

/* ---- a resource: {id, name, size (default 1), note (write-only),
 * serial (computed), tags (map), rule blocks (set) {port, rule_id computed}} */

static const struct schema_block rule_block = {
    .attributes = ATTRS(
        {.name = "port", .type = "number", .flags = SCHEMA_REQUIRED, .description = "Port."},
        {.name = "rule_id", .type = "string", .flags = SCHEMA_COMPUTED, .description = "Id."})};

static const struct schema thing_schema = {
    .block = {.attributes = ATTRS(
                  {.name = "id", .type = "string", .flags = SCHEMA_COMPUTED,
                   .description = "Id."},
                  {.name = "name", .type = "string", .flags = SCHEMA_REQUIRED,
                   .description = "Name."},
                  {.name = "size", .type = "number",
                   .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED, .default_json = "1",
                   .description = "Size."},
                  {.name = "note", .type = "string",
                   .flags = SCHEMA_OPTIONAL | SCHEMA_WRITE_ONLY, .description = "Note."},
                  {.name = "serial", .type = "string", .flags = SCHEMA_COMPUTED,
                   .description = "Serial."},
                  {.name = "tags", .type = "[\"map\",\"string\"]", .flags = SCHEMA_OPTIONAL,
                   .description = "Tags."}),
              .block_types = (const struct schema_block_type[]){
                  {.name = "rule", .nesting = SCHEMA_NESTING_SET, .block = &rule_block}, {0}},
              .description = "A thing."}};

static const struct schema_attribute thing_identity_attrs[] = {
    {.name = "id", .type = "string", .flags = SCHEMA_REQUIRED, .description = "Id."},
    {.name = "region", .type = "string", .flags = SCHEMA_OPTIONAL, .description = "Region."},
    {0}};

static int fill_mode; /* 0 region "r1", 1 wrong type, 2 error */

static void thing_identity_fill(struct resource_ctx *ctx, const struct cty_value *state,
                                struct cty_value *identity)
{
    (void)state;
    if (fill_mode == 1)
        (void)cty_object_set(identity, "region", cty_bool_new(true));
    else if (fill_mode == 2)
        diags_add(ctx->diags, DIAG_ERROR, NULL, "No region", "The provider has no region.");
    else
        (void)cty_object_set(identity, "region", cty_string_new("r1"));
}

static const struct resource_identity thing_identity = {
    .version = 0, .attributes = thing_identity_attrs, .fill = thing_identity_fill};

struct fixture {
    struct schema_compiled *schema, *idc;
    struct schema *id_table;
    struct diags d;
    struct resource_ctx ctx;
    volatile int stop;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    char *error = NULL;
    f->schema = schema_compile(&thing_schema, &error);
    assert_non_null(f->schema);
    assert_int_equal(identity_table_check(&thing_identity, &error), 0);
    f->id_table = identity_schema_new(&thing_identity);
    f->idc = schema_compile(f->id_table, &error);
    assert_non_null(f->idc);
    f->ctx.diags = &f->d;
    f->ctx.stop_requested = &f->stop;
    fill_mode = 0;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    schema_compiled_destroy(f->schema);
    schema_compiled_destroy(f->idc);
    free(f->id_table);
    diags_clean_up(&f->d);
    free(f);
    return 0;
}

static struct cty_value *state_of(struct fixture *f, const char *id, const char *name)
{
    struct cty_value *s = schema_null_object(f->schema);
    assert_non_null(s);
    if (id)
        assert_int_equal(cty_object_set(s, "id", cty_string_new(id)), 0);
    else
        assert_int_equal(cty_object_set(s, "id", cty_unknown_new(cty_type_string())), 0);
    assert_int_equal(cty_object_set(s, "name", cty_string_new(name)), 0);
    return s;
}

static const char *first_detail(const struct fixture *f)
{
    return f->d.n ? f->d.items[0].detail : "";
}

/* ---- identity ---- */

static void identity_tables_are_checked(void **state)
{
    (void)state;
    char *error = NULL;
    struct resource_identity bad = {
        .attributes = ATTRS({.name = "id", .type = "string", .flags = SCHEMA_COMPUTED,
                             .description = "Id."})};
    assert_int_equal(identity_table_check(&bad, &error), -1);
    assert_non_null(strstr(error, "required"));
    free(error);
    bad.attributes = ATTRS({.name = "id", .type = "[\"map\",\"string\"]",
                            .flags = SCHEMA_REQUIRED, .description = "Id."});
    assert_int_equal(identity_table_check(&bad, &error), -1);
    assert_non_null(strstr(error, "type"));
    free(error);
    bad.attributes = ATTRS({0});
    assert_int_equal(identity_table_check(&bad, &error), -1);
    free(error);
}

static void identity_copies_state_attributes_then_fills(void **state)
{
    struct fixture *f = *state;
    struct cty_value *s = state_of(f, "t-1", "one"), *id = NULL;
    assert_int_equal(identity_from_state(&thing_identity, f->idc, &f->ctx, s, &id), 0);
    assert_string_equal(cty_attr_string(id, "id"), "t-1");
    assert_string_equal(cty_attr_string(id, "region"), "r1");
    assert_int_equal(identity_check(f->idc, id, NULL, 0, "lsms_thing", "read", &f->d), 0);
    assert_true(identity_complete(f->idc, id));
    cty_value_destroy(id);
    /* A null state has no identity. */
    struct cty_value *null = cty_null_new(schema_compiled_type(f->schema));
    assert_int_equal(identity_from_state(&thing_identity, f->idc, &f->ctx, null, &id), 0);
    assert_null(id);
    cty_value_destroy(null);
    cty_value_destroy(s);
    assert_int_equal(f->d.n, 0);
}

static void identity_fill_error_fails(void **state)
{
    struct fixture *f = *state;
    fill_mode = 2;
    struct cty_value *s = state_of(f, "t-1", "one"), *id = NULL;
    assert_int_equal(identity_from_state(&thing_identity, f->idc, &f->ctx, s, &id), -1);
    assert_null(id);
    assert_string_equal(f->d.items[0].summary, "No region");
    cty_value_destroy(s);
}

static void identity_of_wrong_type_is_refused(void **state)
{
    struct fixture *f = *state;
    fill_mode = 1;
    struct cty_value *s = state_of(f, "t-1", "one"), *id = NULL;
    assert_int_equal(identity_from_state(&thing_identity, f->idc, &f->ctx, s, &id), 0);
    assert_int_equal(identity_check(f->idc, id, NULL, 0, "lsms_thing", "read", &f->d), -1);
    assert_string_equal(f->d.items[0].summary, "Provider produced invalid identity");
    assert_non_null(strstr(first_detail(f), "does not match the identity schema"));
    assert_non_null(strstr(first_detail(f), "lsms_thing"));
    cty_value_destroy(id);
    cty_value_destroy(s);
}

static void identity_unknown_only_where_allowed(void **state)
{
    struct fixture *f = *state;
    struct cty_value *s = state_of(f, NULL, "one"), *id = NULL;
    assert_int_equal(identity_from_state(&thing_identity, f->idc, &f->ctx, s, &id), 0);
    assert_false(cty_value_is_known(cty_value_attr(id, "id")));
    assert_false(identity_complete(f->idc, id));
    assert_int_equal(identity_check(f->idc, id, NULL, IDENTITY_MAY_BE_UNKNOWN, "lsms_thing",
                                    "plan", &f->d),
                     0);
    assert_int_equal(identity_check(f->idc, id, NULL, 0, "lsms_thing", "apply", &f->d), -1);
    assert_non_null(strstr(first_detail(f), "attribute id is unknown"));
    cty_value_destroy(id);
    cty_value_destroy(s);
}

static void identity_required_attribute_must_be_set(void **state)
{
    struct fixture *f = *state;
    struct cty_value *s = state_of(f, "t-1", "one"), *id = NULL;
    assert_int_equal(identity_from_state(&thing_identity, f->idc, &f->ctx, s, &id), 0);
    assert_int_equal(cty_object_set(id, "id", cty_null_new(cty_type_string())), 0);
    assert_int_equal(identity_check(f->idc, id, NULL, 0, "lsms_thing", "import", &f->d), -1);
    assert_non_null(strstr(first_detail(f), "attribute id is null, but it is required"));
    /* An optional one may be null. */
    diags_clean_up(&f->d);
    assert_int_equal(cty_object_set(id, "id", cty_string_new("t-1")), 0);
    assert_int_equal(cty_object_set(id, "region", cty_null_new(cty_type_string())), 0);
    assert_int_equal(identity_check(f->idc, id, NULL, 0, "lsms_thing", "import", &f->d), 0);
    cty_value_destroy(id);
    cty_value_destroy(s);
}

static void identity_must_not_change(void **state)
{
    struct fixture *f = *state;
    struct cty_value *a = state_of(f, "t-1", "one"), *b = state_of(f, "t-2", "one");
    struct cty_value *ia = NULL, *ib = NULL;
    assert_int_equal(identity_from_state(&thing_identity, f->idc, &f->ctx, a, &ia), 0);
    assert_int_equal(identity_from_state(&thing_identity, f->idc, &f->ctx, b, &ib), 0);
    assert_int_equal(identity_check(f->idc, ia, ia, 0, "lsms_thing", "read", &f->d), 0);
    assert_int_equal(identity_check(f->idc, ib, ia, 0, "lsms_thing", "read", &f->d), -1);
    assert_non_null(strstr(first_detail(f), "attribute id differs"));
    /* A value stored null may be filled in; a stored value may not go away. */
    diags_clean_up(&f->d);
    struct cty_value *partial = cty_value_clone(ia);
    assert_int_equal(cty_object_set(partial, "region", cty_null_new(cty_type_string())), 0);
    assert_int_equal(identity_check(f->idc, ia, partial, 0, "lsms_thing", "read", &f->d), 0);
    assert_int_equal(identity_check(f->idc, partial, ia, 0, "lsms_thing", "read", &f->d), -1);
    assert_non_null(strstr(first_detail(f), "attribute region differs"));
    cty_value_destroy(partial);
    cty_value_destroy(ia);
    cty_value_destroy(ib);
    cty_value_destroy(a);
    cty_value_destroy(b);
}

/* A provider that cannot tell an optional attribute now (its account, with
 * skip_requesting_account_id) keeps the stored value instead of failing;
 * what it does tell is never overwritten, and a required one is not
 * filled from the stored identity. */
static void identity_keeps_stored_values_the_provider_cannot_tell(void **state)
{
    struct fixture *f = *state;
    struct cty_value *s = state_of(f, "t-1", "one"), *stored = NULL, *now = NULL;
    assert_int_equal(identity_from_state(&thing_identity, f->idc, &f->ctx, s, &stored), 0);
    assert_int_equal(identity_from_state(&thing_identity, f->idc, &f->ctx, s, &now), 0);
    assert_int_equal(cty_object_set(now, "region", cty_null_new(cty_type_string())), 0);
    /* Without the step, the check fails as before. */
    assert_int_equal(identity_check(f->idc, now, stored, 0, "lsms_thing", "read", &f->d), -1);
    diags_clean_up(&f->d);
    identity_keep_stored(f->idc, now, stored);
    assert_string_equal(cty_attr_string(now, "region"), "r1");
    assert_int_equal(identity_check(f->idc, now, stored, 0, "lsms_thing", "read", &f->d), 0);
    /* A value the provider knows is kept as it is: a different one still fails. */
    assert_int_equal(cty_object_set(now, "region", cty_string_new("r2")), 0);
    identity_keep_stored(f->idc, now, stored);
    assert_string_equal(cty_attr_string(now, "region"), "r2");
    assert_int_equal(identity_check(f->idc, now, stored, 0, "lsms_thing", "read", &f->d), -1);
    diags_clean_up(&f->d);
    /* A required attribute is not taken from the stored identity. */
    assert_int_equal(cty_object_set(now, "id", cty_null_new(cty_type_string())), 0);
    identity_keep_stored(f->idc, now, stored);
    assert_true(cty_value_is_null(cty_value_attr(now, "id")));
    /* Nothing stored: nothing kept. */
    struct cty_value *fresh = NULL;
    assert_int_equal(identity_from_state(&thing_identity, f->idc, &f->ctx, s, &fresh), 0);
    assert_int_equal(cty_object_set(fresh, "region", cty_null_new(cty_type_string())), 0);
    identity_keep_stored(f->idc, fresh, NULL);
    assert_true(cty_value_is_null(cty_value_attr(fresh, "region")));
    cty_value_destroy(fresh);
    cty_value_destroy(now);
    cty_value_destroy(stored);
    cty_value_destroy(s);
}

static void identity_copies_into_state_by_name_and_type(void **state)
{
    struct fixture *f = *state;
    struct cty_value *id = cty_object_new(schema_compiled_type(f->idc));
    assert_int_equal(cty_object_set(id, "id", cty_string_new("t-9")), 0);
    assert_int_equal(cty_object_set(id, "region", cty_string_new("r1")), 0);
    struct cty_value *s = schema_null_object(f->schema);
    identity_copy_to_state(id, s);
    assert_string_equal(cty_attr_string(s, "id"), "t-9");
    assert_null(cty_value_attr(s, "region")); /* not a state attribute */
    cty_value_destroy(s);
    cty_value_destroy(id);
}

/* ---- generated configuration ---- */

static struct cty_value *rule_of(struct cty_type *set_type, int port, const char *rule_id)
{
    struct cty_value *r = cty_object_new(cty_type_element(set_type));
    assert_int_equal(cty_object_set(r, "port", cty_number_new_int(port)), 0);
    assert_int_equal(cty_object_set(r, "rule_id", cty_string_new(rule_id)), 0);
    return r;
}

static void config_from_state_keeps_what_a_user_writes(void **state)
{
    struct fixture *f = *state;
    struct cty_value *s = state_of(f, "t-1", "one");
    assert_int_equal(cty_object_set(s, "size", cty_number_new_int(1)), 0);
    assert_int_equal(cty_object_set(s, "serial", cty_string_new("42")), 0);
    struct cty_type *set_type = cty_value_type(cty_value_attr(s, "rule"));
    struct cty_value *rules = cty_collection_new(set_type);
    /* Two rules that differ only in their computed id: one in the config. */
    assert_int_equal(cty_collection_append(rules, rule_of(set_type, 80, "a")), 0);
    assert_int_equal(cty_collection_append(rules, rule_of(set_type, 80, "b")), 0);
    assert_int_equal(cty_collection_append(rules, rule_of(set_type, 443, "c")), 0);
    assert_int_equal(cty_object_set(s, "rule", rules), 0);

    struct cty_value *c = schema_config_from_state(f->schema, s);
    assert_non_null(c);
    assert_true(cty_value_conforms(c, schema_compiled_type(f->schema)));
    assert_true(cty_value_is_null(cty_value_attr(c, "id")));     /* computed only */
    assert_true(cty_value_is_null(cty_value_attr(c, "serial"))); /* computed only */
    assert_true(cty_value_is_null(cty_value_attr(c, "size")));   /* its default */
    assert_string_equal(cty_attr_string(c, "name"), "one");
    const struct cty_value *crules = cty_value_attr(c, "rule");
    assert_int_equal(cty_value_length(crules), 2);
    for (size_t i = 0; i < 2; i++)
        assert_true(cty_value_is_null(cty_value_attr(cty_value_index(crules, i), "rule_id")));
    cty_value_destroy(c);

    /* A size other than the default is what the user wrote. */
    assert_int_equal(cty_object_set(s, "size", cty_number_new_int(3)), 0);
    assert_int_equal(cty_object_set(s, "note", cty_string_new("secret")), 0);
    c = schema_config_from_state(f->schema, s);
    assert_string_equal(cty_value_number_text(cty_value_attr(c, "size")), "3");
    assert_true(cty_value_is_null(cty_value_attr(c, "note"))); /* write-only */
    cty_value_destroy(c);
    cty_value_destroy(s);
}

/* ---- list ---- */

static int list_seed_count;
static int list_reads;

static enum resource_result thing_read(struct resource_ctx *ctx, struct cty_value *state,
                                       bool *gone)
{
    (void)ctx;
    list_reads++;
    const char *id = cty_attr_string(state, "id");
    if (strcmp(id, "t-gone") == 0) {
        *gone = true;
        return RESOURCE_OK;
    }
    return cty_object_set(state, "serial", cty_string_new("s")) == 0 &&
                   cty_object_set(state, "size", cty_number_new_int(1)) == 0 &&
                   cty_object_set(state, "name", cty_string_new(id)) == 0
               ? RESOURCE_OK
               : RESOURCE_ERROR;
}

static enum resource_result thing_list(struct resource_ctx *ctx, const struct cty_value *config,
                                       struct list_results *out)
{
    (void)config;
    static const char *const ids[] = {"t-1", "t-gone", "t-2", "t-3", NULL};
    for (int i = 0; ids[i] && i < list_seed_count; i++) {
        struct cty_value *s = list_results_state_new(out);
        if (!s || cty_object_set(s, "id", cty_string_new(ids[i])) != 0 ||
            cty_object_set(s, "name", cty_string_new(ids[i])) != 0) {
            cty_value_destroy(s);
            return RESOURCE_ERROR;
        }
        int rc = list_results_emit(out, s, LIST_STATE_SEED, i == 0 ? NULL : ids[i]);
        if (rc < 0)
            return RESOURCE_ERROR;
        if (rc > 0)
            return RESOURCE_OK;
    }
    (void)ctx;
    return RESOURCE_OK;
}

static const struct resource_list thing_list_def = {.config_schema = &thing_schema,
                                                    .list = thing_list};
static const struct lsms_resource thing_resource = {.type_name = "lsms_thing",
                                                    .schema = &thing_schema,
                                                    .read = thing_read,
                                                    .identity = &thing_identity,
                                                    .list = &thing_list_def};

struct sent {
    char names[8][32];
    int n;
    int with_state;
    int refuse_after; /* -1: never */
};

static int sink_send(void *arg, const struct cty_value *identity, const char *display_name,
                     const struct cty_value *state)
{
    struct sent *s = arg;
    assert_non_null(identity);
    if (s->refuse_after >= 0 && s->n >= s->refuse_after)
        return -1;
    snprintf(s->names[s->n++], sizeof(s->names[0]), "%s", display_name);
    if (state) {
        s->with_state++;
        assert_string_equal(cty_attr_string(state, "serial"), "s"); /* read was called */
    }
    return 0;
}

static enum resource_result run_list(struct fixture *f, struct sent *sent, bool want_state,
                                     int64_t limit)
{
    struct list_sink sink = {.send = sink_send, .arg = sent};
    struct list_request req = {.resource = &thing_resource,
                               .schema = f->schema,
                               .identity = f->idc,
                               .config = NULL,
                               .want_state = want_state,
                               .limit = limit};
    int64_t n = 0;
    enum resource_result rc = list_run(&req, &f->ctx, &sink, &n);
    assert_int_equal(n, sent->n);
    return rc;
}

static void list_emits_identity_and_reads_seeds_on_request(void **state)
{
    struct fixture *f = *state;
    struct sent sent = {.refuse_after = -1};
    list_seed_count = 4;
    list_reads = 0;
    assert_int_equal(run_list(f, &sent, false, 0), RESOURCE_OK);
    /* Without state no read: the gone one is listed from its seed. The
     * first has no display name: the identity's first string (its id). */
    assert_int_equal(sent.n, 4);
    assert_string_equal(sent.names[0], "t-1");
    assert_int_equal(list_reads, 0);
    assert_int_equal(sent.with_state, 0);

    struct sent full = {.refuse_after = -1};
    assert_int_equal(run_list(f, &full, true, 0), RESOURCE_OK);
    assert_int_equal(list_reads, 4);
    assert_int_equal(full.n, 3); /* read said t-gone is gone */
    assert_int_equal(full.with_state, 3);
    assert_string_equal(full.names[1], "t-2");
    assert_int_equal(f->d.n, 0);
}

static void list_stops_at_limit_cancel_and_stop(void **state)
{
    struct fixture *f = *state;
    list_seed_count = 4;
    struct sent limited = {.refuse_after = -1};
    assert_int_equal(run_list(f, &limited, false, 2), RESOURCE_OK);
    assert_int_equal(limited.n, 2);

    struct sent refused = {.refuse_after = 1};
    assert_int_equal(run_list(f, &refused, false, 0), RESOURCE_OK);
    assert_int_equal(refused.n, 1);

    f->stop = 1;
    struct sent stopped = {.refuse_after = -1};
    assert_int_equal(run_list(f, &stopped, false, 0), RESOURCE_OK);
    assert_int_equal(stopped.n, 0);
    assert_int_equal(f->d.n, 0);
}

static void list_refuses_a_bad_identity(void **state)
{
    struct fixture *f = *state;
    fill_mode = 1;
    list_seed_count = 2;
    struct sent sent = {.refuse_after = -1};
    assert_int_equal(run_list(f, &sent, false, 0), RESOURCE_ERROR);
    assert_int_equal(sent.n, 0);
    assert_string_equal(f->d.items[0].summary, "Provider produced invalid identity");
}

/* ---- actions ---- */

struct progress {
    char last[64];
    int n;
    bool cancelled;
};

static int progress_send(void *arg, const char *message)
{
    struct progress *p = arg;
    snprintf(p->last, sizeof(p->last), "%s", message);
    p->n++;
    return 0;
}

static bool progress_cancelled(void *arg)
{
    return ((struct progress *)arg)->cancelled;
}

static int invoke_steps;

static enum resource_result count_invoke(struct action_ctx *ctx, const struct cty_value *config)
{
    (void)config;
    for (int i = 1; i <= invoke_steps; i++) {
        if (action_progress(ctx, "step %d", i) != 0)
            return RESOURCE_ERROR;
    }
    return invoke_steps >= 0 ? RESOURCE_OK : RESOURCE_ERROR;
}

static const struct lsms_action count_action = {.type_name = "lsms_count",
                                                .schema = &thing_schema,
                                                .invoke = count_invoke};

static void action_progress_reaches_the_sink(void **state)
{
    struct fixture *f = *state;
    struct progress p = {0};
    struct action_sink sink = {.progress = progress_send, .cancelled = progress_cancelled,
                               .arg = &p};
    invoke_steps = 3;
    assert_int_equal(action_run(&count_action, &f->ctx, NULL, &sink), RESOURCE_OK);
    assert_int_equal(p.n, 3);
    assert_string_equal(p.last, "step 3");
    assert_int_equal(f->d.n, 0);
}

static void action_failure_without_diagnostic_still_reports_one(void **state)
{
    struct fixture *f = *state;
    struct progress p = {0};
    struct action_sink sink = {.progress = progress_send, .arg = &p};
    invoke_steps = -1;
    assert_int_equal(action_run(&count_action, &f->ctx, NULL, &sink), RESOURCE_ERROR);
    assert_int_equal(f->d.n, 1);
    assert_string_equal(f->d.items[0].summary, "Action failed");
}

static void action_cancelled_by_client_or_stop(void **state)
{
    struct fixture *f = *state;
    struct progress p = {.cancelled = true};
    struct action_sink sink = {.progress = progress_send, .cancelled = progress_cancelled,
                               .arg = &p};
    invoke_steps = 3;
    assert_int_equal(action_run(&count_action, &f->ctx, NULL, &sink), RESOURCE_ERROR);
    assert_int_equal(p.n, 0);
    assert_string_equal(f->d.items[0].summary, "Action cancelled");
    diags_clean_up(&f->d);
    p.cancelled = false;
    f->stop = 1;
    assert_int_equal(action_run(&count_action, &f->ctx, NULL, &sink), RESOURCE_ERROR);
    assert_int_equal(p.n, 0);
    assert_string_equal(f->d.items[0].summary, "Action cancelled");
}

/* ---- data sources ---- */

static int ds_mode; /* 0 fine, 1 leaves unknown, 2 changes name */

static enum resource_result ds_read(struct resource_ctx *ctx, const struct cty_value *config,
                                    struct cty_value *state)
{
    (void)ctx;
    (void)config;
    if (ds_mode == 1)
        return cty_object_set(state, "serial", cty_unknown_new(cty_type_string())) == 0
                   ? RESOURCE_OK
                   : RESOURCE_ERROR;
    if (ds_mode == 2)
        return cty_object_set(state, "name", cty_string_new("other")) == 0 ? RESOURCE_OK
                                                                          : RESOURCE_ERROR;
    return cty_object_set(state, "id", cty_string_new("found")) == 0 ? RESOURCE_OK
                                                                     : RESOURCE_ERROR;
}

static const struct lsms_data_source thing_ds = {.type_name = "lsms_thing",
                                                 .schema = &thing_schema,
                                                 .read = ds_read};

static void data_source_result_is_checked(void **state)
{
    struct fixture *f = *state;
    struct cty_value *config = schema_null_object(f->schema);
    assert_int_equal(cty_object_set(config, "name", cty_string_new("n")), 0);
    assert_int_equal(cty_object_set(config, "note", cty_string_new("wo")), 0);
    struct cty_value *out = NULL;
    ds_mode = 0;
    assert_int_equal(data_source_run(&thing_ds, f->schema, &f->ctx, config, &out), 0);
    assert_string_equal(cty_attr_string(out, "id"), "found");
    assert_string_equal(cty_value_number_text(cty_value_attr(out, "size")), "1"); /* default */
    assert_true(cty_value_is_null(cty_value_attr(out, "note")));                  /* write-only */
    cty_value_destroy(out);
    ds_mode = 1;
    assert_int_equal(data_source_run(&thing_ds, f->schema, &f->ctx, config, &out), -1);
    assert_null(out);
    assert_non_null(strstr(first_detail(f), "unknown values"));
    diags_clean_up(&f->d);
    ds_mode = 2;
    assert_int_equal(data_source_run(&thing_ds, f->schema, &f->ctx, config, &out), -1);
    assert_non_null(strstr(first_detail(f), "configured attributes were changed"));
    cty_value_destroy(config);
}

/* ---- functions ---- */

static struct cty_value *twice_call(const struct cty_value *const *args, size_t n,
                                    struct function_error *err)
{
    (void)n;
    const char *s = cty_value_string(args[0]);
    if (strcmp(s, "fail") == 0) {
        function_error_set(err, 0, "cannot double %s", s);
        function_error_set(err, 1, "a second error is ignored");
        return NULL;
    }
    if (strcmp(s, "silent") == 0)
        return NULL;
    if (strcmp(s, "number") == 0)
        return cty_number_new_int(2);
    size_t len = strlen(s);
    char *out = malloc(2 * len + 1);
    memcpy(out, s, len);
    memcpy(out + len, s, len + 1);
    struct cty_value *v = cty_string_new(out);
    free(out);
    return v;
}

static const struct lsms_function twice = {.name = "twice",
                                           .params = (const struct function_param[]){
                                               {.name = "s", .type = "string"}, {0}},
                                           .return_type = "string",
                                           .call = twice_call};

static struct cty_value *call_twice(const char *arg, struct function_error *err)
{
    struct cty_value *a = cty_string_new(arg);
    const struct cty_value *args[1] = {a};
    struct cty_value *r = function_run(&twice, cty_type_string(), args, 1, err);
    cty_value_destroy(a);
    return r;
}

static void function_results_and_errors(void **state)
{
    (void)state;
    struct function_error err = {.argument = -1};
    struct cty_value *r = call_twice("ab", &err);
    assert_string_equal(cty_value_string(r), "abab");
    assert_null(err.text);
    cty_value_destroy(r);

    assert_null(call_twice("fail", &err));
    assert_string_equal(err.text, "cannot double fail"); /* the first error wins */
    assert_int_equal(err.argument, 0);
    function_error_clean_up(&err);

    assert_null(call_twice("silent", &err));
    assert_non_null(strstr(err.text, "failed without saying why"));
    assert_int_equal(err.argument, -1);
    function_error_clean_up(&err);

    assert_null(call_twice("number", &err));
    assert_non_null(strstr(err.text, "does not match its return type"));
    function_error_clean_up(&err);
}

static void conforms_checks_nested_types(void **state)
{
    struct fixture *f = *state;
    struct cty_value *s = state_of(f, "t-1", "one");
    assert_true(cty_value_conforms(s, schema_compiled_type(f->schema)));
    /* A number where a string belongs, inside the object. */
    assert_int_equal(cty_object_set(s, "name", cty_number_new_int(1)), 0);
    assert_false(cty_value_conforms(s, schema_compiled_type(f->schema)));
    assert_true(cty_value_conforms(s, cty_type_dynamic()));
    cty_value_destroy(s);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(identity_tables_are_checked),
        T(identity_copies_state_attributes_then_fills),
        T(identity_fill_error_fails),
        T(identity_of_wrong_type_is_refused),
        T(identity_unknown_only_where_allowed),
        T(identity_required_attribute_must_be_set),
        T(identity_must_not_change),
        T(identity_keeps_stored_values_the_provider_cannot_tell),
        T(identity_copies_into_state_by_name_and_type),
        T(config_from_state_keeps_what_a_user_writes),
        T(list_emits_identity_and_reads_seeds_on_request),
        T(list_stops_at_limit_cancel_and_stop),
        T(list_refuses_a_bad_identity),
        T(action_progress_reaches_the_sink),
        T(action_failure_without_diagnostic_still_reports_one),
        T(action_cancelled_by_client_or_stop),
        T(data_source_result_is_checked),
        T(function_results_and_errors),
        T(conforms_checks_nested_types),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
