/*
 * plan.h - the generic plan computation for PlanResourceChange.
 *
 * Pipeline (fixed order, as in terraform-plugin-framework):
 *   1. destroy (proposed null): planned null.
 *   2. planned = proposed; write-only attributes become null.
 *   3. defaults for attributes the config leaves null.
 *   4. computed attributes the config leaves null: unknown on create; on
 *      update unknown only when some configured value changed and the
 *      attribute is not SCHEMA_USE_STATE, else the prior value.
 *   5. requires-replace: SCHEMA_REPLACE attributes whose planned value
 *      differs from prior (known values only; an unknown counts as a change).
 *   6. the resource's modify_plan hook.
 * The result always satisfies OpenTofu's AssertPlanValid: configured values
 * are returned exactly as configured.
 */
#ifndef LSMS_FRAMEWORK_PLAN_H
#define LSMS_FRAMEWORK_PLAN_H

#include "framework/cty.h"
#include "framework/diag.h"
#include "framework/resource.h"
#include "framework/schema.h"

struct plan_result {
    struct cty_value *planned;      /* owned; NULL means planned null (destroy) */
    struct attr_path *replace;      /* owned array of requires-replace paths */
    size_t n_replace;
};

/* prior, proposed and config are borrowed; null values may be passed as
 * NULL or as a null cty value. Returns 0, or -1 with diagnostics. */
int plan_resource_change(const struct lsms_resource *r, const struct schema_compiled *c,
                         struct resource_ctx *ctx, const struct cty_value *prior,
                         const struct cty_value *proposed, const struct cty_value *config,
                         struct plan_result *out);
void plan_result_clean_up(struct plan_result *r);

#endif
