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
 *      differs from prior (known values only; an unknown counts as a change),
 *      unless the attribute's replace_if hook says the change is in place;
 *      and the resource's partial_attr, planned unknown, when the prior
 *      state is of an object only partly there.
 *   6. the resource's modify_plan hook.
 * The result always satisfies OpenTofu's AssertPlanValid: configured values
 * are returned exactly as configured.
 *
 * Details: defaults replace the proposed value whenever the config is null
 * (on update OpenTofu proposes the prior value there). "Changed" means the
 * value after steps 2-3 differs from prior. SCHEMA_USE_STATE keeps the prior
 * value only when it is non-null. Steps 2-4 apply inside nested attributes
 * and nested blocks too (list elements pair with config by index, maps by
 * key, set elements by their configured values); nested LIST/SET/MAP blocks
 * that are null become empty, GROUP blocks all-null objects. Requires-replace
 * paths name list elements by index and map elements by key; a set element
 * has no path, so a replace-relevant change inside a set names the set.
 * Errors the modify_plan hook adds to ctx->diags make the call fail.
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

/*
 * Checks an apply result against its plan as OpenTofu does (notes §6.4), so
 * the protocol layer can report a resource bug as one clear error instead of
 * OpenTofu's "inconsistent result after apply": a planned null (delete) must
 * come back null and anything else non-null; the result must have the
 * schema's type, hold no unknown, and equal every known planned value (lists
 * and maps element by element, known sets as sets; a set with unknowns may
 * shrink but not grow). planned and applied are borrowed and may be NULL for
 * null. Returns 0, or -1 with one error diagnostic (path where the problem
 * is; values are never shown, they may be sensitive).
 */
int plan_check_result(const struct schema_compiled *c, const struct cty_value *planned,
                      const struct cty_value *applied, struct diags *d);

#endif
