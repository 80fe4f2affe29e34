#include <stdlib.h>

#include "protocol/convert.h"
#include "protocol/rpc.h"

/* The listable resource for type_name, or NULL with an error diagnostic. */
static const struct server_resource *rpc_list_or_diag(const char *type_name, struct diags *d)
{
    const struct server_resource *r = rpc_resource_or_diag(type_name, d);
    if (r && !r->list_config) {
        diags_add(d, DIAG_ERROR, NULL, "Unknown list resource",
                  "The resource type %s cannot be listed.", type_name);
        return NULL;
    }
    return r;
}

/* The list's config as sent, or an all-null object when none was (no
 * `config` block): validators and the list see an object either way. */
static struct cty_value *rpc_list_config_in(const struct server_resource *r,
                                            const Tfplugin6__DynamicValue *dv, struct diags *d)
{
    struct cty_value *config = convert_value_in(dv, schema_compiled_type(r->list_config),
                                                "list configuration", d);
    if (config && cty_value_is_null(config)) {
        cty_value_destroy(config);
        config = schema_null_object(r->list_config);
    }
    if (config) {
        schema_validate_config(r->list_config, config, d);
        if (r->resource->list->validate)
            r->resource->list->validate(config, d);
    }
    return config;
}

enum protocol_status rpc_validate_list_resource_config(const uint8_t *request, size_t len,
                                                       uint8_t **response, size_t *response_len)
{
    Tfplugin6__ValidateListResourceConfig__Request *req =
        (Tfplugin6__ValidateListResourceConfig__Request *)protobuf_c_message_unpack(
            &tfplugin6__validate_list_resource_config__request__descriptor, NULL, len, request);
    if (!req)
        return PROTOCOL_STATUS_INVALID_ARGUMENT;
    struct arena a = {0};
    struct diags d = {0};
    const struct server_resource *r = rpc_list_or_diag(req->type_name, &d);
    if (r)
        cty_value_destroy(rpc_list_config_in(r, req->config, &d));
    Tfplugin6__ValidateListResourceConfig__Response resp =
        TFPLUGIN6__VALIDATE_LIST_RESOURCE_CONFIG__RESPONSE__INIT;
    enum protocol_status status = rpc_respond(&a, &d, &resp.base, &resp.n_diagnostics,
                                              &resp.diagnostics, response, response_len);
    diags_clean_up(&d);
    arena_clean_up(&a);
    protobuf_c_message_free_unpacked(&req->base, NULL);
    return status;
}

struct rpc_list_stream {
    const struct server_resource *r;
    struct protocol_stream *out;
    struct diags *d;
};

/* Packs one event and hands it to the host. Returns 0, or -1 when it could
 * not be sent (client gone, or the event could not be built: then d says so). */
static int rpc_list_send_event(struct protocol_stream *out, struct arena *a,
                               Tfplugin6__ListResource__Event *ev)
{
    uint8_t *bytes = NULL;
    size_t n = 0;
    if (a->failed || convert_pack(&ev->base, &bytes, &n) != 0)
        return -1;
    return out->send(out, bytes, n);
}

static int rpc_list_send(void *arg, const struct cty_value *identity, const char *display_name,
                         const struct cty_value *state)
{
    struct rpc_list_stream *ls = arg;
    struct arena a = {0};
    Tfplugin6__ListResource__Event ev = TFPLUGIN6__LIST_RESOURCE__EVENT__INIT;
    ev.identity = rpc_identity_out(&a, ls->r, identity, ls->d);
    ev.display_name = arena_strdup(&a, display_name ? display_name : "");
    if (state)
        ev.resource_object =
            convert_value_out(&a, state, schema_compiled_type(ls->r->schema), ls->d);
    int rc = -1;
    if (ev.identity && (!state || ev.resource_object))
        rc = rpc_list_send_event(ls->out, &a, &ev);
    arena_clean_up(&a);
    return rc;
}

static bool rpc_list_cancelled(void *arg)
{
    struct rpc_list_stream *ls = arg;
    return ls->out->cancelled(ls->out) != 0;
}

/*
 * ListResource (server stream): one event per object found, sent as the
 * resource's list walks the API; diagnostics, if any, in a last event of
 * their own (Terraform stops reading at an error). The call itself always
 * ends OK: problems travel as diagnostics.
 */
enum protocol_status rpc_list_resource(const uint8_t *request, size_t len,
                                       struct protocol_stream *out)
{
    Tfplugin6__ListResource__Request *req =
        (Tfplugin6__ListResource__Request *)protobuf_c_message_unpack(
            &tfplugin6__list_resource__request__descriptor, NULL, len, request);
    if (!req)
        return PROTOCOL_STATUS_INVALID_ARGUMENT;
    struct diags d = {0};
    const struct server_resource *r = rpc_list_or_diag(req->type_name, &d);
    struct cty_value *config = r ? rpc_list_config_in(r, req->config, &d) : NULL;
    if (config && !cty_value_is_wholly_known(config))
        diags_add(&d, DIAG_ERROR, NULL, "List configuration not known",
                  "The list of %s needs its whole configuration known.", req->type_name);
    if (config && !diags_has_error(&d)) {
        struct resource_ctx ctx;
        rpc_resource_ctx_init(&ctx, &d);
        struct rpc_list_stream ls = {.r = r, .out = out, .d = &d};
        struct list_sink sink = {.send = rpc_list_send, .cancelled = rpc_list_cancelled, .arg = &ls};
        struct list_request lr = {.resource = r->resource,
                                  .schema = r->schema,
                                  .identity = r->identity,
                                  .config = config,
                                  .want_state = req->include_resource_object,
                                  .limit = req->limit};
        int64_t sent = 0;
        (void)list_run(&lr, &ctx, &sink, &sent);
    }
    if (d.n > 0 && !out->cancelled(out)) {
        struct arena a = {0};
        Tfplugin6__ListResource__Event ev = TFPLUGIN6__LIST_RESOURCE__EVENT__INIT;
        convert_diags_out(&a, &d, &ev.n_diagnostic, &ev.diagnostic);
        (void)rpc_list_send_event(out, &a, &ev);
        arena_clean_up(&a);
    }
    cty_value_destroy(config);
    diags_clean_up(&d);
    protobuf_c_message_free_unpacked(&req->base, NULL);
    return PROTOCOL_STATUS_OK;
}
