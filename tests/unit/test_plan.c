/* The plan pipeline against OpenTofu's plan rules (notes §6.2-§6.4). */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "framework/cty.h"
#include "framework/plan.h"
#include "framework/schema.h"

#define ATTRS(...) ((const struct schema_attribute[]){__VA_ARGS__, {0}})

/* "label" replaces unless the prior name begins with the planned label (the
 * shape of a bucket's name_prefix). */
static bool label_replace_if(const struct cty_value *prior, const struct cty_value *planned)
{
    const char *name = cty_attr_string(prior, "name");
    const char *label = cty_attr_string(planned, "label");
    return !name || !label || strncmp(name, label, strlen(label)) != 0;
}

static const struct schema_block rule_block = {
    .attributes = ATTRS(
        {.name = "max_age", .type = "number", .flags = SCHEMA_OPTIONAL, .description = "Age."},
        {.name = "origin", .type = "string", .flags = SCHEMA_OPTIONAL | SCHEMA_REPLACE,
         .description = "Origin."},
        {.name = "rule_id", .type = "string", .flags = SCHEMA_COMPUTED, .description = "Id."})};

static const struct schema_block timeouts_block = {
    .attributes = ATTRS({.name = "create", .type = "string", .flags = SCHEMA_OPTIONAL,
                         .description = "Create."})};

static const struct schema test_schema = {
    .block = {
        .attributes = ATTRS(
            {.name = "name", .type = "string", .flags = SCHEMA_REQUIRED | SCHEMA_REPLACE,
             .description = "Name."},
            {.name = "id", .type = "string", .flags = SCHEMA_COMPUTED, .description = "Id."},
            {.name = "arn", .type = "string", .flags = SCHEMA_COMPUTED | SCHEMA_USE_STATE,
             .description = "ARN."},
            {.name = "status", .type = "string", .flags = SCHEMA_COMPUTED,
             .description = "Status."},
            {.name = "enabled", .type = "bool", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
             .description = "Enabled.", .default_json = "true"},
            {.name = "comment", .type = "string", .flags = SCHEMA_OPTIONAL,
             .description = "Comment."},
            {.name = "region", .type = "string", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
             .description = "Region."},
            {.name = "pass_wo", .type = "string", .flags = SCHEMA_OPTIONAL | SCHEMA_WRITE_ONLY,
             .description = "Password."},
            {.name = "label", .type = "string", .flags = SCHEMA_OPTIONAL | SCHEMA_REPLACE,
             .description = "Label.", .replace_if = label_replace_if},
            {.name = "settings", .flags = SCHEMA_OPTIONAL, .description = "Settings.",
             .nested = &(const struct schema_object){
                 .nesting = SCHEMA_NESTING_SINGLE,
                 .attributes = ATTRS(
                     {.name = "mode", .type = "string", .flags = SCHEMA_OPTIONAL | SCHEMA_REPLACE,
                      .description = "Mode."},
                     {.name = "level", .type = "number", .flags = SCHEMA_OPTIONAL,
                      .description = "Level."},
                     {.name = "derived", .type = "string", .flags = SCHEMA_COMPUTED,
                      .description = "Derived."})}},
            {.name = "endpoints", .flags = SCHEMA_OPTIONAL, .description = "Endpoints.",
             .nested = &(const struct schema_object){
                 .nesting = SCHEMA_NESTING_SET,
                 .attributes = ATTRS(
                     {.name = "url", .type = "string", .flags = SCHEMA_OPTIONAL | SCHEMA_REPLACE,
                      .description = "URL."},
                     {.name = "weight", .type = "number", .flags = SCHEMA_OPTIONAL,
                      .description = "Weight."},
                     {.name = "eid", .type = "string", .flags = SCHEMA_COMPUTED,
                      .description = "Id."})}}),
        .block_types = (const struct schema_block_type[]){
            {.name = "cors_rules", .nesting = SCHEMA_NESTING_LIST, .block = &rule_block},
            {.name = "timeouts", .nesting = SCHEMA_NESTING_SINGLE, .block = &timeouts_block},
            {0}},
    }};

static struct schema_compiled *compiled;

static int setup(void **state)
{
    (void)state;
    char *error = NULL;
    compiled = schema_compile(&test_schema, &error);
    if (!compiled)
        fail_msg("schema: %s", error);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    schema_compiled_destroy(compiled);
    return 0;
}

static struct cty_type *attr_type(struct cty_type *t, const char *name)
{
    return cty_type_attr_type(t, (size_t)cty_type_attr_index(t, name));
}

static void set_str(struct cty_value *obj, const char *name, const char *s)
{
    assert_int_equal(cty_object_set(obj, name, s ? cty_string_new(s)
                                                 : cty_null_new(cty_type_string())),
                     0);
}

/* The configuration `name = "a"`, nothing else. */
static struct cty_value *config_minimal(void)
{
    struct cty_value *c = schema_null_object(compiled);
    set_str(c, "name", "a");
    return c;
}

/* What the state holds after creating config_minimal(). */
static struct cty_value *state_after_create(void)
{
    struct cty_value *s = config_minimal();
    set_str(s, "id", "id-1");
    set_str(s, "arn", "arn:aws:x:::a");
    set_str(s, "status", "ACTIVE");
    set_str(s, "region", "us-east-1");
    cty_object_set(s, "enabled", cty_bool_new(true));
    return s;
}

/* OpenTofu's ProposedNew for a top-level-attributes-only schema: computed
 * attributes null in config take the prior value, others the config's. */
static struct cty_value *proposed_from(const struct cty_value *prior, const struct cty_value *config)
{
    struct cty_value *p = cty_value_clone(config);
    if (!prior)
        return p;
    for (const struct schema_attribute *a = test_schema.block.attributes; a->name; a++)
        if ((a->flags & SCHEMA_COMPUTED) && cty_value_is_null(cty_value_attr(config, a->name)))
            cty_object_set(p, a->name, cty_value_clone(cty_value_attr(prior, a->name)));
    return p;
}

static void plan(const struct lsms_resource *r, const struct cty_value *prior,
                 const struct cty_value *config, struct plan_result *out)
{
    struct diags d = {0};
    struct resource_ctx ctx = {.diags = &d};
    struct cty_value *proposed = proposed_from(prior, config);
    int rc = plan_resource_change(r, compiled, &ctx, prior, proposed, config, out);
    for (size_t i = 0; i < d.n; i++)
        print_message("diag: %s: %s\n", d.items[i].summary, d.items[i].detail);
    assert_int_equal(rc, 0);
    assert_int_equal(d.n, 0);
    cty_value_destroy(proposed);
    diags_clean_up(&d);
}

static bool attr_unknown(const struct cty_value *obj, const char *name)
{
    const struct cty_value *v = cty_value_attr(obj, name);
    return v && !cty_value_is_known(v);
}

static void assert_replace_paths(const struct plan_result *r, const char *const *want)
{
    size_t n = 0;
    for (; want[n]; n++) {
        assert_true(n < r->n_replace);
        char *s = attr_path_to_string(&r->replace[n]);
        assert_string_equal(s, want[n]);
        free(s);
    }
    assert_int_equal(r->n_replace, n);
}

static void create_plans_unset_computed_unknown_and_defaults(void **state)
{
    (void)state;
    struct cty_value *config = config_minimal();
    /* A value that is only known at apply stays exactly as configured. */
    cty_object_set(config, "comment", cty_unknown_new(cty_type_string()));
    struct plan_result r;
    plan(NULL, NULL, config, &r);
    const struct cty_value *p = r.planned;
    assert_non_null(p);
    assert_string_equal(cty_attr_string(p, "name"), "a");
    assert_true(attr_unknown(p, "id"));
    assert_true(attr_unknown(p, "arn")); /* USE_STATE has no state on create */
    assert_true(attr_unknown(p, "status"));
    assert_true(attr_unknown(p, "region")); /* optional+computed, unset */
    assert_true(attr_unknown(p, "comment"));
    assert_true(cty_attr_bool(p, "enabled", false)); /* default */
    assert_true(cty_value_is_known(cty_value_attr(p, "enabled")));
    assert_true(cty_value_is_null(cty_value_attr(p, "settings"))); /* optional, unset */
    assert_true(cty_value_is_null(cty_value_attr(p, "timeouts")));
    const struct cty_value *rules = cty_value_attr(p, "cors_rules");
    assert_false(cty_value_is_null(rules));
    assert_int_equal(cty_value_length(rules), 0);
    assert_int_equal(r.n_replace, 0); /* never on create */
    plan_result_clean_up(&r);
    cty_value_destroy(config);
}

static void create_with_block_and_nested_attribute(void **state)
{
    (void)state;
    struct cty_value *config = config_minimal();
    struct cty_type *t = schema_compiled_type(compiled);
    struct cty_type *lt = attr_type(t, "cors_rules");
    struct cty_value *rules = cty_collection_new(lt);
    struct cty_value *rule = cty_object_new(cty_type_element(lt));
    cty_object_set(rule, "max_age", cty_number_new_int(3000));
    cty_collection_append(rules, rule);
    cty_object_set(config, "cors_rules", rules);
    struct cty_value *settings = cty_object_new(attr_type(t, "settings"));
    set_str(settings, "mode", "fast");
    cty_object_set(config, "settings", settings);

    struct plan_result r;
    plan(NULL, NULL, config, &r);
    const struct cty_value *pr = cty_value_attr(r.planned, "cors_rules");
    assert_int_equal(cty_value_length(pr), 1);
    const struct cty_value *e = cty_value_index(pr, 0);
    assert_int_equal(cty_attr_int(e, "max_age", -1), 3000);
    assert_true(attr_unknown(e, "rule_id"));
    assert_true(cty_value_is_null(cty_value_attr(e, "origin")));
    const struct cty_value *ps = cty_value_attr(r.planned, "settings");
    assert_string_equal(cty_attr_string(ps, "mode"), "fast");
    assert_true(attr_unknown(ps, "derived"));
    assert_true(cty_value_is_null(cty_value_attr(ps, "level")));
    plan_result_clean_up(&r);
    cty_value_destroy(config);
}

static void write_only_is_planned_null(void **state)
{
    (void)state;
    struct cty_value *config = config_minimal();
    set_str(config, "pass_wo", "secret");
    struct plan_result r;
    plan(NULL, NULL, config, &r);
    assert_true(cty_value_is_null(cty_value_attr(r.planned, "pass_wo")));
    plan_result_clean_up(&r);
    cty_value_destroy(config);
}

static void null_nested_list_block_becomes_empty(void **state)
{
    (void)state;
    struct cty_value *config = config_minimal();
    struct cty_type *t = schema_compiled_type(compiled);
    cty_object_set(config, "cors_rules", cty_null_new(attr_type(t, "cors_rules")));
    struct plan_result r;
    plan(NULL, NULL, config, &r);
    const struct cty_value *rules = cty_value_attr(r.planned, "cors_rules");
    assert_false(cty_value_is_null(rules));
    assert_true(cty_value_is_known(rules));
    assert_int_equal(cty_value_length(rules), 0);
    plan_result_clean_up(&r);
    cty_value_destroy(config);
}

static void destroy_plans_null(void **state)
{
    (void)state;
    struct cty_value *prior = state_after_create();
    struct diags d = {0};
    struct resource_ctx ctx = {.diags = &d};
    struct plan_result r;
    assert_int_equal(plan_resource_change(NULL, compiled, &ctx, prior, NULL, NULL, &r), 0);
    assert_null(r.planned);
    assert_int_equal(r.n_replace, 0);
    struct cty_value *null_obj = cty_null_new(schema_compiled_type(compiled));
    assert_int_equal(plan_resource_change(NULL, compiled, &ctx, prior, null_obj, null_obj, &r), 0);
    assert_null(r.planned);
    assert_int_equal(d.n, 0);
    cty_value_destroy(null_obj);
    cty_value_destroy(prior);
}

static void update_without_change_plans_prior_exactly(void **state)
{
    (void)state;
    struct cty_value *prior = state_after_create();
    struct cty_value *config = config_minimal();
    struct plan_result r;
    plan(NULL, prior, config, &r);
    assert_true(cty_value_equal(r.planned, prior));
    assert_true(cty_value_is_wholly_known(r.planned));
    assert_int_equal(r.n_replace, 0);
    plan_result_clean_up(&r);
    cty_value_destroy(config);
    cty_value_destroy(prior);
}

static void update_with_change_unknowns_computed_except_use_state(void **state)
{
    (void)state;
    struct cty_value *prior = state_after_create();
    struct cty_value *config = config_minimal();
    set_str(config, "comment", "changed");
    struct plan_result r;
    plan(NULL, prior, config, &r);
    const struct cty_value *p = r.planned;
    assert_string_equal(cty_attr_string(p, "comment"), "changed");
    assert_true(attr_unknown(p, "id"));
    assert_true(attr_unknown(p, "status"));
    assert_true(attr_unknown(p, "region"));
    assert_string_equal(cty_attr_string(p, "arn"), "arn:aws:x:::a"); /* USE_STATE */
    assert_true(cty_attr_bool(p, "enabled", false));
    assert_int_equal(r.n_replace, 0); /* comment is not REPLACE */
    plan_result_clean_up(&r);
    cty_value_destroy(config);
    cty_value_destroy(prior);
}

static void default_applies_when_config_is_null_on_update(void **state)
{
    (void)state;
    struct cty_value *prior = state_after_create();
    cty_object_set(prior, "enabled", cty_bool_new(false)); /* was configured false */
    struct cty_value *config = config_minimal();          /* now removed */
    struct plan_result r;
    plan(NULL, prior, config, &r);
    assert_true(cty_attr_bool(r.planned, "enabled", false));
    assert_true(attr_unknown(r.planned, "status")); /* that is a change */
    plan_result_clean_up(&r);
    cty_value_destroy(config);
    cty_value_destroy(prior);
}

static void configured_optional_computed_value_is_kept(void **state)
{
    (void)state;
    struct cty_value *prior = state_after_create();
    struct cty_value *config = config_minimal();
    set_str(config, "region", "eu-west-1");
    struct plan_result r;
    plan(NULL, prior, config, &r);
    assert_string_equal(cty_attr_string(r.planned, "region"), "eu-west-1");
    plan_result_clean_up(&r);
    cty_value_destroy(config);
    cty_value_destroy(prior);
}

static void requires_replace_only_for_changed_replace_attributes(void **state)
{
    (void)state;
    struct cty_type *t = schema_compiled_type(compiled);
    struct cty_type *lt = attr_type(t, "cors_rules");
    struct cty_value *prior = state_after_create();
    struct cty_value *rules = cty_collection_new(lt);
    struct cty_value *rule = cty_object_new(cty_type_element(lt));
    set_str(rule, "origin", "*");
    set_str(rule, "rule_id", "r0");
    cty_collection_append(rules, rule);
    cty_object_set(prior, "cors_rules", rules);
    struct cty_value *settings = cty_object_new(attr_type(t, "settings"));
    set_str(settings, "mode", "fast");
    cty_object_set(settings, "level", cty_number_new_int(1));
    set_str(settings, "derived", "d");
    cty_object_set(prior, "settings", settings);

    /* Config: same name, settings.mode changed, settings.level changed,
     * cors_rules[0].origin unchanged, max_age changed. */
    struct cty_value *config = config_minimal();
    settings = cty_object_new(attr_type(t, "settings"));
    set_str(settings, "mode", "slow");
    cty_object_set(settings, "level", cty_number_new_int(2));
    cty_object_set(config, "settings", settings);
    rules = cty_collection_new(lt);
    rule = cty_object_new(cty_type_element(lt));
    set_str(rule, "origin", "*");
    cty_object_set(rule, "max_age", cty_number_new_int(5));
    cty_collection_append(rules, rule);
    cty_object_set(config, "cors_rules", rules);

    struct plan_result r;
    plan(NULL, prior, config, &r);
    assert_replace_paths(&r, (const char *[]){"settings.mode", NULL});
    plan_result_clean_up(&r);

    /* Name and the block's origin change too; an unknown counts as a change. */
    set_str(config, "name", "b");
    rule = cty_value_index(cty_value_attr(config, "cors_rules"), 0);
    cty_object_set(rule, "origin", cty_unknown_new(cty_type_string()));
    plan(NULL, prior, config, &r);
    assert_true(attr_unknown(cty_value_index(cty_value_attr(r.planned, "cors_rules"), 0), "origin"));
    assert_replace_paths(&r, (const char *[]){"name", "settings.mode", "cors_rules[0].origin", NULL});
    plan_result_clean_up(&r);

    /* The same config on create reports nothing. */
    plan(NULL, NULL, config, &r);
    assert_int_equal(r.n_replace, 0);
    plan_result_clean_up(&r);
    cty_value_destroy(config);
    cty_value_destroy(prior);
}

static void replace_if_keeps_a_change_in_place(void **state)
{
    (void)state;
    struct cty_value *prior = state_after_create(); /* name "a", label null */
    struct cty_value *config = config_minimal();
    struct plan_result r;

    /* A label the name begins with: recorded in place. */
    set_str(config, "label", "a");
    plan(NULL, prior, config, &r);
    assert_string_equal(cty_attr_string(r.planned, "label"), "a");
    assert_int_equal(r.n_replace, 0);
    plan_result_clean_up(&r);

    /* One it does not begin with: replaced. */
    set_str(config, "label", "b");
    plan(NULL, prior, config, &r);
    assert_replace_paths(&r, (const char *[]){"label", NULL});
    plan_result_clean_up(&r);

    /* The hook only softens label: a name change still replaces. */
    set_str(config, "label", "a");
    set_str(config, "name", "b");
    plan(NULL, prior, config, &r);
    assert_replace_paths(&r, (const char *[]){"name", NULL});
    plan_result_clean_up(&r);
    cty_value_destroy(config);
    cty_value_destroy(prior);
}

static struct cty_value *endpoints(const char *url, int64_t weight, const char *eid)
{
    struct cty_type *st = attr_type(schema_compiled_type(compiled), "endpoints");
    struct cty_value *set = cty_collection_new(st);
    struct cty_value *e = cty_object_new(cty_type_element(st));
    set_str(e, "url", url);
    cty_object_set(e, "weight", cty_number_new_int(weight));
    set_str(e, "eid", eid);
    cty_collection_append(set, e);
    return set;
}

static void set_nested_attribute_elements_and_replace(void **state)
{
    (void)state;
    struct cty_value *config = config_minimal();
    cty_object_set(config, "endpoints", endpoints("https://a", 1, NULL));
    struct plan_result r;
    plan(NULL, NULL, config, &r);
    const struct cty_value *set = cty_value_attr(r.planned, "endpoints");
    assert_int_equal(cty_value_length(set), 1);
    const struct cty_value *e = cty_value_index(set, 0);
    assert_string_equal(cty_attr_string(e, "url"), "https://a");
    assert_int_equal(cty_attr_int(e, "weight", -1), 1);
    assert_true(attr_unknown(e, "eid"));
    plan_result_clean_up(&r);

    struct cty_value *prior = state_after_create();
    cty_object_set(prior, "endpoints", endpoints("https://a", 1, "e1"));
    /* Only the non-REPLACE weight changes: in place. */
    cty_object_set(config, "endpoints", endpoints("https://a", 2, NULL));
    plan(NULL, prior, config, &r);
    assert_int_equal(r.n_replace, 0);
    plan_result_clean_up(&r);
    /* The url changes: the set is named, as its elements have no path. */
    cty_object_set(config, "endpoints", endpoints("https://b", 1, NULL));
    plan(NULL, prior, config, &r);
    assert_replace_paths(&r, (const char *[]){"endpoints", NULL});
    plan_result_clean_up(&r);
    cty_value_destroy(prior);
    cty_value_destroy(config);
}

static int hook_calls;
static bool hook_saw_null_prior;

static void hook(struct resource_ctx *ctx, const struct cty_value *prior,
                 const struct cty_value *config, struct cty_value *planned)
{
    (void)config;
    hook_calls++;
    hook_saw_null_prior = prior == NULL;
    /* Derive a computed value that is already known at plan time. */
    cty_object_set(planned, "status", cty_string_new("PLANNED"));
    cty_object_set(planned, "pass_wo", cty_string_new("leak"));
    if (strcmp(cty_attr_string(planned, "name"), "bad") == 0)
        diags_error(ctx->diags, "name", "Bad name", "The name \"bad\" is not allowed.");
}

static void modify_plan_hook_runs_last(void **state)
{
    (void)state;
    const struct lsms_resource res = {.type_name = "lsms_test", .schema = &test_schema,
                                      .modify_plan = hook};
    struct cty_value *config = config_minimal();
    struct plan_result r;
    hook_calls = 0;
    plan(&res, NULL, config, &r);
    assert_int_equal(hook_calls, 1);
    assert_true(hook_saw_null_prior);
    assert_string_equal(cty_attr_string(r.planned, "status"), "PLANNED");
    assert_true(cty_value_is_null(cty_value_attr(r.planned, "pass_wo")));
    plan_result_clean_up(&r);

    /* An error from the hook fails the plan; earlier diagnostics do not. */
    set_str(config, "name", "bad");
    struct diags d = {0};
    diags_error(&d, NULL, "Earlier", "An error from an earlier step.");
    struct resource_ctx ctx = {.diags = &d};
    assert_int_equal(plan_resource_change(&res, compiled, &ctx, NULL, config, config, &r), -1);
    assert_null(r.planned);
    assert_int_equal(d.n, 2);
    set_str(config, "name", "a");
    assert_int_equal(plan_resource_change(&res, compiled, &ctx, NULL, config, config, &r), 0);
    plan_result_clean_up(&r);
    diags_clean_up(&d);
    cty_value_destroy(config);
}

/* "status" PARTIAL marks an object read found only partly there. */
static const char *partial_status(const struct cty_value *prior)
{
    const char *status = cty_attr_string(prior, "status");
    return status && strcmp(status, "PARTIAL") == 0 ? "status" : NULL;
}

static void partly_there_object_is_replaced(void **state)
{
    (void)state;
    const struct lsms_resource res = {.type_name = "lsms_test", .schema = &test_schema,
                                      .partial_attr = partial_status};
    struct cty_value *prior = state_after_create();
    struct cty_value *config = config_minimal();
    struct plan_result r;

    /* Whole: no change, nothing replaced. */
    plan(&res, prior, config, &r);
    assert_int_equal(r.n_replace, 0);
    assert_true(cty_value_equal(r.planned, prior));
    plan_result_clean_up(&r);

    /* Partly there: replaced, the marker planned unknown (a change, which
     * OpenTofu needs to honour the replacement), the rest as before. */
    set_str(prior, "status", "PARTIAL");
    plan(&res, prior, config, &r);
    assert_replace_paths(&r, (const char *[]){"status", NULL});
    assert_true(attr_unknown(r.planned, "status"));
    assert_string_equal(cty_attr_string(r.planned, "id"), "id-1");
    plan_result_clean_up(&r);

    /* With a replacing change too: both named, the marker once. */
    set_str(config, "name", "b");
    plan(&res, prior, config, &r);
    assert_replace_paths(&r, (const char *[]){"name", "status", NULL});
    plan_result_clean_up(&r);

    /* Destroy plans null, whatever the prior state. */
    assert_int_equal(plan_resource_change(&res, compiled, &(struct resource_ctx){0}, prior,
                                          NULL, config, &r), 0);
    assert_null(r.planned);
    assert_int_equal(r.n_replace, 0);
    plan_result_clean_up(&r);
    cty_value_destroy(config);
    cty_value_destroy(prior);
}

static void check_result_accepts_filled_unknowns(void **state)
{
    (void)state;
    struct cty_value *config = config_minimal();
    struct plan_result r;
    plan(NULL, NULL, config, &r);
    struct cty_value *applied = state_after_create();
    struct diags d = {0};
    assert_int_equal(plan_check_result(compiled, r.planned, applied, &d), 0);
    assert_int_equal(d.n, 0);
    assert_int_equal(plan_check_result(compiled, NULL, NULL, &d), 0);
    plan_result_clean_up(&r);
    cty_value_destroy(applied);
    cty_value_destroy(config);
}

static void check_result_rejects_unknown_changed_and_null(void **state)
{
    (void)state;
    struct cty_value *config = config_minimal();
    struct plan_result r;
    plan(NULL, NULL, config, &r);
    struct diags d = {0};

    struct cty_value *applied = state_after_create();
    cty_object_set(applied, "status", cty_unknown_new(cty_type_string()));
    assert_int_equal(plan_check_result(compiled, r.planned, applied, &d), -1);
    assert_int_equal(d.n, 1);
    char *s = attr_path_to_string(&d.items[0].path);
    assert_string_equal(s, "status");
    free(s);
    assert_non_null(strstr(d.items[0].detail, "left status unknown"));
    diags_clean_up(&d);

    set_str(applied, "status", "ACTIVE");
    set_str(applied, "name", "other"); /* planned known "a" */
    assert_int_equal(plan_check_result(compiled, r.planned, applied, &d), -1);
    s = attr_path_to_string(&d.items[0].path);
    assert_string_equal(s, "name");
    free(s);
    assert_null(strstr(d.items[0].detail, "other")); /* values are not shown */
    diags_clean_up(&d);

    assert_int_equal(plan_check_result(compiled, r.planned, NULL, &d), -1);
    assert_non_null(strstr(d.items[0].detail, "null object"));
    diags_clean_up(&d);
    assert_int_equal(plan_check_result(compiled, NULL, applied, &d), -1);
    diags_clean_up(&d);
    plan_result_clean_up(&r);
    cty_value_destroy(applied);
    cty_value_destroy(config);
}

#define T(f) cmocka_unit_test(f)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(create_plans_unset_computed_unknown_and_defaults),
        T(create_with_block_and_nested_attribute),
        T(write_only_is_planned_null),
        T(null_nested_list_block_becomes_empty),
        T(destroy_plans_null),
        T(update_without_change_plans_prior_exactly),
        T(update_with_change_unknowns_computed_except_use_state),
        T(default_applies_when_config_is_null_on_update),
        T(configured_optional_computed_value_is_kept),
        T(requires_replace_only_for_changed_replace_attributes),
        T(replace_if_keeps_a_change_in_place),
        T(set_nested_attribute_elements_and_replace),
        T(modify_plan_hook_runs_last),
        T(partly_there_object_is_replaced),
        T(check_result_accepts_filled_unknowns),
        T(check_result_rejects_unknown_changed_and_null),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
