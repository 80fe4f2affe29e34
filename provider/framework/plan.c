#include "framework/plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "framework/schema_internal.h"

/*
 * The rules this file must never break are OpenTofu's AssertPlanValid
 * (plugin-protocol-notes §6.2): a configured value is planned exactly as
 * configured, a non-computed value the config leaves null stays null, and
 * nested block counts follow the config. So every step below only touches
 * attributes whose config value is null (or write-only ones), and only
 * descends into values that are known in both config and plan.
 */

static bool value_null(const struct cty_value *v)
{
    return !v || cty_value_is_null(v);
}

static bool value_present(const struct cty_value *v)
{
    return v && !cty_value_is_null(v) && cty_value_is_known(v);
}

enum plan_phase {
    /* Step 2-3: write-only to null, defaults where the config is null. */
    PHASE_DEFAULTS,
    /* Step 4: computed attributes the config leaves null. */
    PHASE_UNKNOWNS,
};

struct plan_walk {
    enum plan_phase phase;
    bool create;
    bool changed; /* update whose planned value differs from prior */
};

static int plan_block(const struct plan_walk *w, const struct schema_cblock *b,
                      const struct cty_value *config, struct cty_value *planned);

static int object_replace(struct cty_value *obj, const char *name, struct cty_value *v_owned)
{
    if (!v_owned)
        return -1;
    if (cty_object_set(obj, name, v_owned) != 0) {
        return -1;
    }
    return 0;
}

/* True when `elem` (planned) carries every non-null value of `cfg` (config):
 * how a planned set element is paired with the config element it came from. */
static bool set_element_from_config(const struct schema_cblock *b, const struct cty_value *cfg,
                                    const struct cty_value *elem)
{
    if (!value_present(cfg) || !value_present(elem))
        return false;
    for (size_t i = 0; i < b->n_attrs; i++) {
        const char *name = b->attrs[i].a->name;
        const struct cty_value *cv = cty_value_attr(cfg, name);
        if (value_null(cv) || (b->attrs[i].a->flags & SCHEMA_WRITE_ONLY))
            continue;
        if (!cty_value_equal(cv, cty_value_attr(elem, name)))
            return false;
    }
    return true;
}

/* Plans the objects inside a nested attribute or block value. List elements
 * pair with config by index, maps by key; set elements cannot be changed in
 * place (that could merge elements), so a set is rebuilt into `parent`. */
static int plan_nested(const struct plan_walk *w, const struct schema_cblock *b,
                       enum schema_nesting nesting, const struct cty_value *cfg,
                       struct cty_value *parent, const char *name)
{
    struct cty_value *pv = cty_value_attr(parent, name);
    if (!value_present(cfg) || !value_present(pv))
        return 0;
    int rc = 0;
    size_t n = cty_value_length(pv);
    switch (nesting) {
    case SCHEMA_NESTING_SINGLE:
    case SCHEMA_NESTING_GROUP:
        return plan_block(w, b, cfg, pv);
    case SCHEMA_NESTING_LIST:
        for (size_t i = 0; i < n; i++)
            if (plan_block(w, b, i < cty_value_length(cfg) ? cty_value_index(cfg, i) : NULL,
                           cty_value_index(pv, i)) != 0)
                rc = -1;
        return rc;
    case SCHEMA_NESTING_MAP:
        for (size_t i = 0; i < n; i++)
            if (plan_block(w, b, cty_value_map_get(cfg, cty_value_map_key(pv, i)),
                           cty_value_index(pv, i)) != 0)
                rc = -1;
        return rc;
    case SCHEMA_NESTING_SET: {
        struct cty_value *set = cty_collection_new(cty_value_type(pv));
        for (size_t i = 0; set && i < n; i++) {
            struct cty_value *e = cty_value_clone(cty_value_index(pv, i));
            const struct cty_value *ce = NULL;
            for (size_t j = 0; !ce && j < cty_value_length(cfg); j++)
                if (set_element_from_config(b, cty_value_index(cfg, j), e))
                    ce = cty_value_index(cfg, j);
            if (!e || plan_block(w, b, ce, e) != 0) {
                cty_value_destroy(e); /* not handed over yet */
                rc = -1;
            } else if (cty_collection_append(set, e) != 0) {
                rc = -1; /* the set consumed e */
            }
        }
        if (object_replace(parent, name, set) != 0)
            rc = -1;
        return rc;
    }
    default:
        return 0;
    }
}

static int plan_attr(const struct plan_walk *w, const struct schema_cattr *ca,
                     const struct cty_value *config, struct cty_value *planned)
{
    const char *name = ca->a->name;
    unsigned flags = ca->a->flags;
    const struct cty_value *cfg = config ? cty_value_attr(config, name) : NULL;
    const struct cty_value *pv = cty_value_attr(planned, name);

    if (flags & SCHEMA_WRITE_ONLY) {
        /* Write-only values are never stored, planned included (§6.4). */
        if (w->phase == PHASE_DEFAULTS && !value_null(pv))
            return object_replace(planned, name, cty_null_new(ca->type));
        return 0;
    }
    if (!value_null(cfg)) {
        if (ca->nested)
            return plan_nested(w, ca->nested, ca->a->nested->nesting, cfg, planned, name);
        return 0;
    }
    /* The config leaves it null: a default is what the user "configured". */
    if (ca->default_value) {
        if (w->phase == PHASE_DEFAULTS && !cty_value_equal(pv, ca->default_value))
            return object_replace(planned, name, cty_value_clone(ca->default_value));
        return 0;
    }
    if (w->phase != PHASE_UNKNOWNS || !(flags & SCHEMA_COMPUTED))
        return 0;
    if (!w->create && !w->changed)
        return 0; /* nothing changes: keep the prior value so OpenTofu sees NoOp */
    if (!w->create && (flags & SCHEMA_USE_STATE) && !value_null(pv))
        return 0; /* the proposed value of a computed attribute is the prior one */
    if (pv && !cty_value_is_known(pv))
        return 0;
    return object_replace(planned, name, cty_unknown_new(ca->type));
}

static int plan_block(const struct plan_walk *w, const struct schema_cblock *b,
                      const struct cty_value *config, struct cty_value *planned)
{
    if (!value_present(planned))
        return 0;
    int rc = 0;
    for (size_t i = 0; i < b->n_attrs; i++)
        if (plan_attr(w, &b->attrs[i], config, planned) != 0)
            rc = -1;
    for (size_t i = 0; i < b->n_blocks; i++) {
        const struct schema_cblock_type *bt = &b->blocks[i];
        const char *name = bt->bt->name;
        const struct cty_value *pv = cty_value_attr(planned, name);
        enum schema_nesting nesting = bt->bt->nesting;
        /* OpenTofu wants no blocks as an empty collection and GROUP blocks
         * never null (notes §8.10). */
        if (w->phase == PHASE_DEFAULTS && pv && cty_value_is_null(pv)) {
            struct cty_value *fill = NULL;
            if (nesting == SCHEMA_NESTING_GROUP)
                fill = schema_cblock_null_object(bt->block);
            else if (nesting != SCHEMA_NESTING_SINGLE)
                fill = cty_collection_new(bt->type);
            if (fill && object_replace(planned, name, fill) != 0)
                rc = -1;
        }
        const struct cty_value *cfg = config ? cty_value_attr(config, name) : NULL;
        if (plan_nested(w, bt->block, nesting, cfg, planned, name) != 0)
            rc = -1;
    }
    return rc;
}

/* ---- requires-replace ---- */

struct replace_list {
    struct attr_path *paths;
    size_t n;
};

static int replace_add(struct replace_list *r, const struct attr_path *path)
{
    struct attr_path *p = realloc(r->paths, (r->n + 1) * sizeof(*p));
    if (!p)
        return -1;
    r->paths = p;
    if (attr_path_copy(&r->paths[r->n], path) != 0)
        return -1;
    r->n++;
    return 0;
}

/* A change for requires-replace: different, or not yet known. */
static bool value_changed(const struct cty_value *prior, const struct cty_value *planned)
{
    if (value_null(prior) && value_null(planned))
        return false;
    if (!prior || !planned)
        return true;
    return !cty_value_is_wholly_known(planned) || !cty_value_equal(prior, planned);
}

static bool cblock_has_replace(const struct schema_cblock *b)
{
    for (size_t i = 0; i < b->n_attrs; i++)
        if ((b->attrs[i].a->flags & SCHEMA_REPLACE) ||
            (b->attrs[i].nested && cblock_has_replace(b->attrs[i].nested)))
            return true;
    for (size_t i = 0; i < b->n_blocks; i++)
        if (cblock_has_replace(b->blocks[i].block))
            return true;
    return false;
}

/* Set elements have no path of their own: two elements "match" when they
 * agree on everything that can require replacement. */
static bool set_elements_match(const struct schema_cblock *b, const struct cty_value *x,
                               const struct cty_value *y)
{
    for (size_t i = 0; i < b->n_attrs; i++) {
        const struct schema_cattr *ca = &b->attrs[i];
        bool relevant = (ca->a->flags & SCHEMA_REPLACE) || (ca->nested && cblock_has_replace(ca->nested));
        if (relevant && value_changed(cty_value_attr(x, ca->a->name), cty_value_attr(y, ca->a->name)))
            return false;
    }
    for (size_t i = 0; i < b->n_blocks; i++) {
        const char *name = b->blocks[i].bt->name;
        if (cblock_has_replace(b->blocks[i].block) &&
            value_changed(cty_value_attr(x, name), cty_value_attr(y, name)))
            return false;
    }
    return true;
}

static bool set_covered(const struct schema_cblock *b, const struct cty_value *from,
                        const struct cty_value *in)
{
    for (size_t i = 0; i < cty_value_length(from); i++) {
        bool found = false;
        for (size_t j = 0; !found && j < cty_value_length(in); j++)
            found = set_elements_match(b, cty_value_index(from, i), cty_value_index(in, j));
        if (!found)
            return false;
    }
    return true;
}

static int replace_block(const struct schema_cblock *b, const struct cty_value *prior,
                         const struct cty_value *planned, struct attr_path *path,
                         struct replace_list *out);

static int replace_nested(const struct schema_cblock *b, enum schema_nesting nesting,
                          const struct cty_value *prior, const struct cty_value *planned,
                          struct attr_path *path, struct replace_list *out)
{
    if (!cblock_has_replace(b) || (value_null(prior) && value_null(planned)))
        return 0;
    if ((planned && !cty_value_is_known(planned)) ||
        (nesting == SCHEMA_NESTING_SET &&
         (value_null(prior) || value_null(planned) || !set_covered(b, planned, prior) ||
          !set_covered(b, prior, planned))))
        return replace_add(out, path);
    if (nesting == SCHEMA_NESTING_SET)
        return 0;
    if (nesting == SCHEMA_NESTING_SINGLE || nesting == SCHEMA_NESTING_GROUP)
        return replace_block(b, prior, planned, path, out);
    int rc = 0;
    if (nesting == SCHEMA_NESTING_LIST) {
        size_t np = value_null(prior) ? 0 : cty_value_length(prior);
        size_t nq = value_null(planned) ? 0 : cty_value_length(planned);
        for (size_t i = 0; rc == 0 && i < (np > nq ? np : nq); i++) {
            if (attr_path_push_index(path, (int64_t)i) != 0)
                return -1;
            rc = replace_block(b, i < np ? cty_value_index(prior, i) : NULL,
                               i < nq ? cty_value_index(planned, i) : NULL, path, out);
            attr_path_pop(path);
        }
        return rc;
    }
    /* MAP: keys of both sides. */
    for (int side = 0; rc == 0 && side < 2; side++) {
        const struct cty_value *m = side ? prior : planned;
        const struct cty_value *other = side ? planned : prior;
        for (size_t i = 0; rc == 0 && !value_null(m) && i < cty_value_length(m); i++) {
            const char *key = cty_value_map_key(m, i);
            const struct cty_value *o = value_null(other) ? NULL : cty_value_map_get(other, key);
            if (side && o)
                continue; /* seen from the planned side */
            if (attr_path_push_key(path, key) != 0)
                return -1;
            rc = side ? replace_block(b, cty_value_index(m, i), NULL, path, out)
                      : replace_block(b, o, cty_value_index(m, i), path, out);
            attr_path_pop(path);
        }
    }
    return rc;
}

static int replace_block(const struct schema_cblock *b, const struct cty_value *prior,
                         const struct cty_value *planned, struct attr_path *path,
                         struct replace_list *out)
{
    int rc = 0;
    if (planned && !value_null(planned) && !cty_value_is_known(planned))
        return cblock_has_replace(b) ? replace_add(out, path) : 0;
    const struct cty_value *p = value_present(prior) ? prior : NULL;
    const struct cty_value *q = value_present(planned) ? planned : NULL;
    for (size_t i = 0; rc == 0 && i < b->n_attrs; i++) {
        const struct schema_cattr *ca = &b->attrs[i];
        const struct cty_value *pv = p ? cty_value_attr(p, ca->a->name) : NULL;
        const struct cty_value *qv = q ? cty_value_attr(q, ca->a->name) : NULL;
        if (attr_path_push_attr(path, ca->a->name) != 0)
            return -1;
        if (ca->a->flags & SCHEMA_REPLACE) {
            if (value_changed(pv, qv) && (!ca->a->replace_if || !p || !q || ca->a->replace_if(p, q)))
                rc = replace_add(out, path);
        } else if (ca->nested) {
            rc = replace_nested(ca->nested, ca->a->nested->nesting, pv, qv, path, out);
        }
        attr_path_pop(path);
    }
    for (size_t i = 0; rc == 0 && i < b->n_blocks; i++) {
        const struct schema_cblock_type *bt = &b->blocks[i];
        if (attr_path_push_attr(path, bt->bt->name) != 0)
            return -1;
        rc = replace_nested(bt->block, bt->bt->nesting, p ? cty_value_attr(p, bt->bt->name) : NULL,
                            q ? cty_value_attr(q, bt->bt->name) : NULL, path, out);
        attr_path_pop(path);
    }
    return rc;
}

/* An object read found only partly there (lsms_resource.partial_attr):
 * `name` (NULL: a whole object) becomes unknown and requires replacement.
 * OpenTofu replaces only for a path whose value changes, hence the unknown. */
static int replace_partial(const char *name, struct cty_value *planned, struct attr_path *path,
                           struct replace_list *out)
{
    const struct cty_value *v = name ? cty_value_attr(planned, name) : NULL;
    if (!v)
        return 0;
    struct cty_value *unknown = cty_unknown_new(cty_value_type(v));
    if (!unknown || cty_object_set(planned, name, unknown) != 0)
        return -1;
    for (size_t i = 0; i < out->n; i++) {
        char *s = attr_path_to_string(&out->paths[i]);
        bool seen = s && strcmp(s, name) == 0;
        free(s);
        if (seen)
            return 0;
    }
    if (attr_path_push_attr(path, name) != 0)
        return -1;
    int rc = replace_add(out, path);
    attr_path_pop(path);
    return rc;
}

/* ---- the pipeline ---- */

int plan_resource_change(const struct lsms_resource *r, const struct schema_compiled *c,
                         struct resource_ctx *ctx, const struct cty_value *prior,
                         const struct cty_value *proposed, const struct cty_value *config,
                         struct plan_result *out)
{
    struct diags scratch = {0};
    struct diags *d = ctx && ctx->diags ? ctx->diags : &scratch;
    struct replace_list replace = {0};
    struct attr_path path = {0};
    size_t diags_before = d->n;
    *out = (struct plan_result){0};

    /* 1. destroy */
    if (value_null(proposed))
        return 0;

    bool create = value_null(prior);
    struct cty_value *planned = cty_value_clone(proposed);
    if (!planned)
        goto oom;

    /* 2-3. write-only to null; defaults where the config is null. */
    struct plan_walk w = {.phase = PHASE_DEFAULTS, .create = create};
    if (plan_block(&w, c->root, config, planned) != 0)
        goto oom;

    /* 4. computed attributes the config leaves null. */
    w.phase = PHASE_UNKNOWNS;
    w.changed = !create && !cty_value_equal(planned, prior);
    if (plan_block(&w, c->root, config, planned) != 0)
        goto oom;

    /* 5. requires-replace: never on create (OpenTofu ignores it there). */
    if (!create && replace_block(c->root, prior, planned, &path, &replace) != 0)
        goto oom;
    if (!create && r && r->partial_attr && replace_partial(r->partial_attr(prior), planned,
                                                           &path, &replace) != 0)
        goto oom;

    /* 6. the resource's hook; write-only must stay null whatever it did. */
    if (r && r->modify_plan) {
        r->modify_plan(ctx, create ? NULL : prior, config, planned);
        schema_null_write_only(c, planned);
    }
    attr_path_clean_up(&path);
    diags_clean_up(&scratch);
    out->planned = planned;
    out->replace = replace.paths;
    out->n_replace = replace.n;
    /* Only errors the hook added count: the caller's list may hold others. */
    for (size_t i = diags_before; i < d->n; i++) {
        if (d->items[i].severity == DIAG_ERROR) {
            plan_result_clean_up(out);
            return -1;
        }
    }
    return 0;
oom:
    if (planned)
        cty_value_destroy(planned);
    for (size_t i = 0; i < replace.n; i++)
        attr_path_clean_up(&replace.paths[i]);
    free(replace.paths);
    attr_path_clean_up(&path);
    diags_clean_up(&scratch);
    if (ctx && ctx->diags)
        diags_error(ctx->diags, NULL, "Out of memory",
                    "The provider ran out of memory while planning the change.");
    return -1;
}

void plan_result_clean_up(struct plan_result *r)
{
    if (r->planned)
        cty_value_destroy(r->planned);
    for (size_t i = 0; i < r->n_replace; i++)
        attr_path_clean_up(&r->replace[i]);
    free(r->replace);
    *r = (struct plan_result){0};
}

/* ---- checking an apply result against its plan (notes §6.4) ---- */

/* Returns false at the first place where `applied` breaks the plan; `path`
 * then names it. */
static bool result_compatible(const struct cty_value *planned, const struct cty_value *applied,
                              struct attr_path *path)
{
    if (!cty_value_is_known(planned))
        return true;
    if (cty_value_is_null(planned) || cty_value_is_null(applied))
        return cty_value_is_null(planned) == cty_value_is_null(applied);
    if (!cty_value_is_known(applied))
        return false;
    struct cty_type *t = cty_value_type(planned);
    size_t n = cty_value_length(planned);
    switch (cty_type_kind(t)) {
    case CTY_OBJECT:
        for (size_t i = 0; i < cty_type_count(t); i++) {
            const char *name = cty_type_attr_name(t, i);
            if (attr_path_push_attr(path, name) != 0)
                return false;
            if (!result_compatible(cty_value_attr(planned, name), cty_value_attr(applied, name),
                                   path))
                return false;
            attr_path_pop(path);
        }
        return true;
    case CTY_LIST:
    case CTY_TUPLE:
        if (cty_value_length(applied) != n)
            return false;
        for (size_t i = 0; i < n; i++) {
            if (attr_path_push_index(path, (int64_t)i) != 0)
                return false;
            if (!result_compatible(cty_value_index(planned, i), cty_value_index(applied, i), path))
                return false;
            attr_path_pop(path);
        }
        return true;
    case CTY_MAP:
        if (cty_value_length(applied) != n)
            return false;
        for (size_t i = 0; i < n; i++) {
            const char *key = cty_value_map_key(planned, i);
            const struct cty_value *a = cty_value_map_get(applied, key);
            if (!a || attr_path_push_key(path, key) != 0)
                return false;
            if (!result_compatible(cty_value_index(planned, i), a, path))
                return false;
            attr_path_pop(path);
        }
        return true;
    case CTY_SET:
        /* A set with unknown elements may shrink (elements can coalesce once
         * known) but never grow; a known set must come back equal. */
        if (!cty_value_is_wholly_known(planned))
            return cty_value_length(applied) <= n;
        return cty_value_equal(planned, applied);
    default:
        return cty_value_equal(planned, applied);
    }
}

/* Path to the first unknown inside v, for the error detail. */
static bool unknown_find(const struct cty_value *v, struct attr_path *path)
{
    if (!cty_value_is_known(v))
        return true;
    if (cty_value_is_null(v) || cty_value_is_wholly_known(v))
        return false;
    struct cty_type *t = cty_value_type(v);
    if (cty_type_kind(t) == CTY_OBJECT) {
        for (size_t i = 0; i < cty_type_count(t); i++) {
            const char *name = cty_type_attr_name(t, i);
            if (attr_path_push_attr(path, name) != 0)
                return true;
            if (unknown_find(cty_value_attr(v, name), path))
                return true;
            attr_path_pop(path);
        }
        return false;
    }
    for (size_t i = 0; i < cty_value_length(v); i++) {
        int rc = cty_type_kind(t) == CTY_MAP ? attr_path_push_key(path, cty_value_map_key(v, i))
                 : cty_type_kind(t) == CTY_SET ? 1
                                                : attr_path_push_index(path, (int64_t)i);
        if (rc < 0)
            return true;
        if (unknown_find(cty_value_index(v, i), path))
            return true;
        if (rc == 0)
            attr_path_pop(path);
    }
    return false;
}

int plan_check_result(const struct schema_compiled *c, const struct cty_value *planned,
                      const struct cty_value *applied, struct diags *d)
{
    static const char summary[] = "Provider produced inconsistent result after apply";
    struct attr_path path = {0};
    int rc = -1;
    if (value_null(planned)) {
        if (value_null(applied))
            return 0;
        diags_add(d, DIAG_ERROR, NULL, summary,
                  "The resource was planned for deletion but the provider returned an object. "
                  "This is a bug in the provider.");
        return -1;
    }
    if (value_null(applied)) {
        diags_add(d, DIAG_ERROR, NULL, summary,
                  "The provider returned a null object after creating or updating the resource. "
                  "This is a bug in the provider.");
        return -1;
    }
    struct cty_type *t = schema_compiled_type(c);
    if (!cty_type_has_dynamic(t) && !cty_type_equal(cty_value_type(applied), t)) {
        diags_add(d, DIAG_ERROR, NULL, summary,
                  "The provider returned an object that does not conform to the resource schema. "
                  "This is a bug in the provider.");
        return -1;
    }
    char *where = NULL;
    if (unknown_find(applied, &path)) {
        where = attr_path_to_string(&path);
        diags_add(d, DIAG_ERROR, &path, summary,
                  "The provider left %s unknown after apply; every value must be known once the "
                  "change is applied. This is a bug in the provider.",
                  where && *where ? where : "the object");
        goto out;
    }
    attr_path_clean_up(&path);
    if (!result_compatible(planned, applied, &path)) {
        /* Values are not shown: they may be sensitive. */
        where = attr_path_to_string(&path);
        diags_add(d, DIAG_ERROR, &path, summary,
                  "The provider planned a known value for %s but the apply result differs from "
                  "it. This is a bug in the provider.",
                  where && *where ? where : "the object");
        goto out;
    }
    rc = 0;
out:
    free(where);
    attr_path_clean_up(&path);
    return rc;
}
