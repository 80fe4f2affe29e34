#include "framework/data_source.h"

#include "framework/schema_internal.h"

static int data_source_bug(struct resource_ctx *ctx, const struct lsms_data_source *ds,
                           const char *problem)
{
    diags_add(ctx->diags, DIAG_ERROR, NULL, "Provider produced an invalid data source result",
              "The data source %s returned a result whose %s. This is a bug in the provider.",
              ds->type_name, problem);
    return -1;
}

int data_source_run(const struct lsms_data_source *ds, const struct schema_compiled *c,
                    struct resource_ctx *ctx, const struct cty_value *config,
                    struct cty_value **out)
{
    *out = NULL;
    struct cty_value *state = cty_value_clone(config);
    if (!state || cty_value_is_null(state) || schema_apply_defaults(c, state) != 0) {
        cty_value_destroy(state);
        diags_add(ctx->diags, DIAG_ERROR, NULL, "Invalid data source configuration",
                  "The configuration of %s could not be prepared for reading.", ds->type_name);
        return -1;
    }
    if (ds->read(ctx, config, state) != RESOURCE_OK) {
        cty_value_destroy(state);
        if (!diags_has_error(ctx->diags))
            diags_add(ctx->diags, DIAG_ERROR, NULL, "Data source read failed",
                      "Reading %s failed without saying why. This is a bug in the provider.",
                      ds->type_name);
        return -1;
    }
    int rc = 0;
    if (cty_value_is_null(state) || !cty_value_conforms(state, schema_compiled_type(c)))
        rc = data_source_bug(ctx, ds, "value is null or does not match the schema");
    else if (!cty_value_is_wholly_known(state))
        rc = data_source_bug(ctx, ds, "value holds unknown values");
    else {
        /* Configured values come back as configured (notes §6.5). */
        const struct schema_cblock *b = c->root;
        for (size_t i = 0; rc == 0 && i < b->n_attrs; i++) {
            const char *name = b->attrs[i].a->name;
            const struct cty_value *cv = cty_value_attr(config, name);
            if (cv && !cty_value_is_null(cv) && !(b->attrs[i].a->flags & SCHEMA_WRITE_ONLY) &&
                !cty_value_equal(cv, cty_value_attr(state, name)))
                rc = data_source_bug(ctx, ds, "configured attributes were changed");
        }
    }
    if (rc != 0) {
        cty_value_destroy(state);
        return -1;
    }
    schema_null_write_only(c, state);
    *out = state;
    return 0;
}
