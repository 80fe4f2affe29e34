#include "framework/list.h"

#include <string.h>

#include "framework/resource.h"
#include "framework/schema_internal.h"

struct list_results {
    const struct list_request *req;
    struct resource_ctx *ctx;
    const struct list_sink *sink;
    int64_t sent;
    bool stopped;
    bool failed; /* a bug in an emitted object, reported in ctx->diags */
};

bool list_results_want_state(const struct list_results *out)
{
    return out && out->req->want_state;
}

struct cty_value *list_results_state_new(const struct list_results *out)
{
    return schema_null_object(out->req->schema);
}

static bool list_should_stop(struct list_results *out)
{
    if (out->stopped)
        return true;
    if (resource_ctx_stopping(out->ctx) ||
        (out->sink->cancelled && out->sink->cancelled(out->sink->arg)))
        out->stopped = true;
    return out->stopped;
}

/* The identity's first string attribute, when no display name was given. */
static const char *list_default_display_name(const struct schema_compiled *idc,
                                             const struct cty_value *identity)
{
    const struct schema_cblock *b = idc->root;
    for (size_t i = 0; i < b->n_attrs; i++) {
        const char *s = cty_attr_string(identity, b->attrs[i].a->name);
        if (s)
            return s;
    }
    return "";
}

static int list_bug(struct list_results *out, const char *problem)
{
    diags_add(out->ctx->diags, DIAG_ERROR, NULL, "Provider produced an invalid list result",
              "The list of %s emitted an object whose %s. This is a bug in the provider.",
              out->req->resource->type_name, problem);
    out->failed = true;
    out->stopped = true;
    return -1;
}

int list_results_emit(struct list_results *out, struct cty_value *state,
                      enum list_state_kind kind, const char *display_name)
{
    const struct list_request *req = out->req;
    int rc = 0;
    struct cty_value *identity = NULL;
    if (list_should_stop(out)) {
        rc = 1;
        goto done;
    }
    if (!state || cty_value_is_null(state) ||
        !cty_value_conforms(state, schema_compiled_type(req->schema))) {
        rc = list_bug(out, "state is null or does not match the resource schema");
        goto done;
    }
    if (kind == LIST_STATE_SEED && req->want_state) {
        bool gone = false;
        if (!req->resource->read) {
            rc = list_bug(out, "state needs a read the resource does not have");
            goto done;
        }
        if (req->resource->read(out->ctx, state, &gone) != RESOURCE_OK) {
            out->stopped = true;
            rc = -1;
            goto done;
        }
        if (gone) /* deleted between the list and the read: not there any more */
            goto done;
    }
    if (req->want_state) {
        if (!cty_value_is_wholly_known(state)) {
            rc = list_bug(out, "state holds unknown values");
            goto done;
        }
        schema_null_write_only(req->schema, state);
    }
    if (identity_from_state(req->resource->identity, req->identity, out->ctx, state, &identity) !=
        0) {
        out->stopped = true;
        rc = -1;
        goto done;
    }
    if (identity_check(req->identity, identity, NULL, 0, req->resource->type_name, "list",
                       out->ctx->diags) != 0) {
        out->failed = true;
        out->stopped = true;
        rc = -1;
        goto done;
    }
    if (!display_name || !*display_name)
        display_name = list_default_display_name(req->identity, identity);
    if (out->sink->send(out->sink->arg, identity, display_name,
                        req->want_state ? state : NULL) != 0) {
        out->stopped = true;
        rc = 1;
        goto done;
    }
    out->sent++;
    if (req->limit > 0 && out->sent >= req->limit) {
        out->stopped = true;
        rc = 1;
    }
done:
    cty_value_destroy(identity);
    cty_value_destroy(state);
    return rc;
}

enum resource_result list_run(const struct list_request *req, struct resource_ctx *ctx,
                              const struct list_sink *sink, int64_t *n_sent)
{
    struct list_results out = {.req = req, .ctx = ctx, .sink = sink};
    enum resource_result rc = RESOURCE_ERROR;
    *n_sent = 0;
    if (!req->resource->list || !req->resource->list->list) {
        diags_add(ctx->diags, DIAG_ERROR, NULL, "List not supported",
                  "The resource type %s cannot be listed.", req->resource->type_name);
        return RESOURCE_ERROR;
    }
    if (!list_should_stop(&out))
        rc = req->resource->list->list(ctx, req->config, &out);
    else
        rc = RESOURCE_OK;
    if (out.failed)
        rc = RESOURCE_ERROR;
    if (rc != RESOURCE_OK && !diags_has_error(ctx->diags))
        diags_add(ctx->diags, DIAG_ERROR, NULL, "List failed",
                  "Listing %s failed without saying why. This is a bug in the provider.",
                  req->resource->type_name);
    *n_sent = out.sent;
    return rc == RESOURCE_OK ? RESOURCE_OK : RESOURCE_ERROR;
}
