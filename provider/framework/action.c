#include "framework/action.h"

#include <stdarg.h>
#include <stdlib.h>

#include "util/buf.h"

struct action_stream {
    const struct action_sink *sink;
    bool client_gone;
};

bool action_cancelled(const struct action_ctx *ctx)
{
    if (resource_ctx_stopping(&ctx->rc))
        return true;
    const struct action_stream *s = ctx->stream;
    if (!s)
        return false;
    return s->client_gone || (s->sink->cancelled && s->sink->cancelled(s->sink->arg));
}

int action_progress(struct action_ctx *ctx, const char *fmt, ...)
{
    struct action_stream *s = ctx->stream;
    if (!s || action_cancelled(ctx))
        return -1;
    struct buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    int rc = b.data ? s->sink->progress(s->sink->arg, b.data) : 0;
    buf_clean_up(&b);
    if (rc != 0)
        s->client_gone = true;
    return rc != 0 ? -1 : 0;
}

enum resource_result action_run(const struct lsms_action *a, struct resource_ctx *rc,
                                const struct cty_value *config, const struct action_sink *sink)
{
    struct action_stream stream = {.sink = sink};
    struct action_ctx ctx = {.rc = *rc, .stream = &stream};
    enum resource_result result = RESOURCE_ERROR;
    if (!a->invoke)
        diags_add(rc->diags, DIAG_ERROR, NULL, "Action not supported",
                  "The action %s cannot be invoked.", a->type_name);
    else
        result = a->invoke(&ctx, config);
    if (result != RESOURCE_OK && !diags_has_error(rc->diags)) {
        if (action_cancelled(&ctx))
            diags_add(rc->diags, DIAG_ERROR, NULL, "Action cancelled",
                      "The action %s was cancelled before it finished.", a->type_name);
        else
            diags_add(rc->diags, DIAG_ERROR, NULL, "Action failed",
                      "The action %s failed without saying why. This is a bug in the provider.",
                      a->type_name);
    }
    return result == RESOURCE_OK ? RESOURCE_OK : RESOURCE_ERROR;
}
