#include <stdlib.h>

#include "protocol/convert.h"
#include "protocol/rpc.h"

/* The action for type_name, or NULL with an error diagnostic. */
static const struct server_action *rpc_action_or_diag(const char *type_name, struct diags *d)
{
    const char *error = NULL;
    if (server_init(&error) != 0) {
        diags_add(d, DIAG_ERROR, NULL, "Provider schema is invalid",
                  "The provider cannot serve any request: %s. This is a bug in the provider.",
                  error);
        return NULL;
    }
    const struct server_action *a = server_find_action(type_name);
    if (!a)
        diags_add(d, DIAG_ERROR, NULL, "Unknown action", "The provider has no action \"%s\".",
                  type_name ? type_name : "");
    return a;
}

/* The action's config, decoded and validated (NULL with an error when it
 * cannot be decoded; validation problems are in d). */
static struct cty_value *rpc_action_config_in(const struct server_action *sa,
                                              const Tfplugin6__DynamicValue *dv, struct diags *d)
{
    struct cty_value *config =
        convert_value_in(dv, schema_compiled_type(sa->schema), "action configuration", d);
    if (config && cty_value_is_null(config)) {
        cty_value_destroy(config);
        config = schema_null_object(sa->schema);
    }
    if (config) {
        schema_validate_config(sa->schema, config, d);
        if (sa->action->validate)
            sa->action->validate(config, d);
    }
    return config;
}

enum protocol_status rpc_validate_action_config(const uint8_t *request, size_t len,
                                                uint8_t **response, size_t *response_len)
{
    Tfplugin6__ValidateActionConfig__Request *req =
        (Tfplugin6__ValidateActionConfig__Request *)protobuf_c_message_unpack(
            &tfplugin6__validate_action_config__request__descriptor, NULL, len, request);
    if (!req)
        return PROTOCOL_STATUS_INVALID_ARGUMENT;
    struct arena a = {0};
    struct diags d = {0};
    const struct server_action *sa = rpc_action_or_diag(req->type_name, &d);
    if (sa)
        cty_value_destroy(rpc_action_config_in(sa, req->config, &d));
    Tfplugin6__ValidateActionConfig__Response resp =
        TFPLUGIN6__VALIDATE_ACTION_CONFIG__RESPONSE__INIT;
    enum protocol_status status = rpc_respond(&a, &d, &resp.base, &resp.n_diagnostics,
                                              &resp.diagnostics, response, response_len);
    diags_clean_up(&d);
    arena_clean_up(&a);
    protobuf_c_message_free_unpacked(&req->base, NULL);
    return status;
}

/* At plan time, with a config that may hold unknowns: the action's early
 * checks. Never deferred (notes §8.13). */
enum protocol_status rpc_plan_action(const uint8_t *request, size_t len, uint8_t **response,
                                     size_t *response_len)
{
    Tfplugin6__PlanAction__Request *req = (Tfplugin6__PlanAction__Request *)
        protobuf_c_message_unpack(&tfplugin6__plan_action__request__descriptor, NULL, len, request);
    if (!req)
        return PROTOCOL_STATUS_INVALID_ARGUMENT;
    struct arena a = {0};
    struct diags d = {0};
    const struct server_action *sa = rpc_action_or_diag(req->action_type, &d);
    struct cty_value *config = sa ? rpc_action_config_in(sa, req->config, &d) : NULL;
    if (config && !diags_has_error(&d) && sa->action->plan) {
        struct resource_ctx ctx;
        rpc_resource_ctx_init(&ctx, &d);
        sa->action->plan(&ctx, config);
    }
    Tfplugin6__PlanAction__Response resp = TFPLUGIN6__PLAN_ACTION__RESPONSE__INIT;
    enum protocol_status status = rpc_respond(&a, &d, &resp.base, &resp.n_diagnostics,
                                              &resp.diagnostics, response, response_len);
    cty_value_destroy(config);
    diags_clean_up(&d);
    arena_clean_up(&a);
    protobuf_c_message_free_unpacked(&req->base, NULL);
    return status;
}

static int rpc_action_send(struct protocol_stream *out, struct arena *a,
                           Tfplugin6__InvokeAction__Event *ev)
{
    uint8_t *bytes = NULL;
    size_t n = 0;
    if (a->failed || convert_pack(&ev->base, &bytes, &n) != 0)
        return -1;
    return out->send(out, bytes, n);
}

static int rpc_action_progress(void *arg, const char *message)
{
    struct protocol_stream *out = arg;
    struct arena a = {0};
    Tfplugin6__InvokeAction__Event ev = TFPLUGIN6__INVOKE_ACTION__EVENT__INIT;
    Tfplugin6__InvokeAction__Event__Progress progress =
        TFPLUGIN6__INVOKE_ACTION__EVENT__PROGRESS__INIT;
    progress.message = (char *)message;
    ev.type_case = TFPLUGIN6__INVOKE_ACTION__EVENT__TYPE_PROGRESS;
    ev.progress = &progress;
    int rc = rpc_action_send(out, &a, &ev);
    arena_clean_up(&a);
    return rc;
}

static bool rpc_action_cancelled(void *arg)
{
    struct protocol_stream *out = arg;
    return out->cancelled(out) != 0;
}

/*
 * InvokeAction (server stream): Progress events while the action runs, then
 * exactly one Completed event with its diagnostics (errors included: the
 * call itself ends OK).
 */
enum protocol_status rpc_invoke_action(const uint8_t *request, size_t len,
                                       struct protocol_stream *out)
{
    Tfplugin6__InvokeAction__Request *req =
        (Tfplugin6__InvokeAction__Request *)protobuf_c_message_unpack(
            &tfplugin6__invoke_action__request__descriptor, NULL, len, request);
    if (!req)
        return PROTOCOL_STATUS_INVALID_ARGUMENT;
    struct diags d = {0};
    const struct server_action *sa = rpc_action_or_diag(req->action_type, &d);
    struct cty_value *config = sa ? rpc_action_config_in(sa, req->config, &d) : NULL;
    if (config && !cty_value_is_wholly_known(config))
        diags_add(&d, DIAG_ERROR, NULL, "Action configuration not known",
                  "The action %s can only be invoked once its whole configuration is known.",
                  req->action_type);
    if (config && !diags_has_error(&d)) {
        struct resource_ctx ctx;
        rpc_resource_ctx_init(&ctx, &d);
        struct action_sink sink = {
            .progress = rpc_action_progress, .cancelled = rpc_action_cancelled, .arg = out};
        (void)action_run(sa->action, &ctx, config, &sink);
    }
    struct arena a = {0};
    Tfplugin6__InvokeAction__Event ev = TFPLUGIN6__INVOKE_ACTION__EVENT__INIT;
    Tfplugin6__InvokeAction__Event__Completed completed =
        TFPLUGIN6__INVOKE_ACTION__EVENT__COMPLETED__INIT;
    convert_diags_out(&a, &d, &completed.n_diagnostics, &completed.diagnostics);
    ev.type_case = TFPLUGIN6__INVOKE_ACTION__EVENT__TYPE_COMPLETED;
    ev.completed = &completed;
    (void)rpc_action_send(out, &a, &ev);
    arena_clean_up(&a);
    cty_value_destroy(config);
    diags_clean_up(&d);
    protobuf_c_message_free_unpacked(&req->base, NULL);
    return PROTOCOL_STATUS_OK;
}
