#include <stdlib.h>

#include "protocol/convert.h"
#include "protocol/rpc.h"

/* Clients call GetFunctions only for a function missing from the schema
 * they have; the answer is the same list as in GetProviderSchema. */
enum protocol_status rpc_get_functions(const uint8_t *request, size_t len, uint8_t **response,
                                       size_t *response_len)
{
    (void)request;
    (void)len;
    struct arena a = {0};
    struct diags d = {0};
    Tfplugin6__GetFunctions__Response resp = TFPLUGIN6__GET_FUNCTIONS__RESPONSE__INIT;
    const char *error = NULL;
    if (server_init(&error) != 0) {
        diags_add(&d, DIAG_ERROR, NULL, "Provider schema is invalid",
                  "The provider's tables are invalid: %s. This is a bug in the provider.", error);
    } else {
        size_t n = 0;
        const struct server_function *fs = server_functions(&n);
        resp.functions = arena_calloc(&a, n, sizeof(*resp.functions));
        for (size_t i = 0; resp.functions && i < n; i++) {
            Tfplugin6__GetFunctions__Response__FunctionsEntry *e = arena_alloc(&a, sizeof(*e));
            if (!e)
                break;
            tfplugin6__get_functions__response__functions_entry__init(e);
            e->key = arena_strdup(&a, fs[i].function->name);
            e->value = convert_function_out(&a, fs[i].function);
            resp.functions[resp.n_functions++] = e;
        }
    }
    enum protocol_status status = rpc_respond(&a, &d, &resp.base, &resp.n_diagnostics,
                                              &resp.diagnostics, response, response_len);
    diags_clean_up(&d);
    arena_clean_up(&a);
    return status;
}

/* Decodes the arguments with the parameters' types. Returns 0, or -1 with
 * err set (naming the argument at fault). Error texts carry no final period
 * and no "Invalid value" prefix: the clients add both ('Invalid value for
 * "name" parameter: <text>.'). */
static int rpc_function_args(const struct server_function *sf,
                             const Tfplugin6__CallFunction__Request *req, struct cty_value **args,
                             struct function_error *err)
{
    const struct lsms_function *f = sf->function;
    for (size_t i = 0; i < req->n_arguments; i++) {
        bool variadic = i >= sf->n_params;
        const struct function_param *p = variadic ? f->variadic : &f->params[i];
        struct cty_type *t = variadic ? sf->variadic_type : sf->param_types[i];
        struct diags d = {0};
        args[i] = convert_value_in(req->arguments[i], t, "function argument", &d);
        const char *why = !args[i]                             ? "could not be decoded"
                          : cty_value_is_null(args[i]) && !p->allow_null ? "must not be null"
                          : !cty_value_is_wholly_known(args[i]) && !p->allow_unknown
                              ? "must be known"
                              : NULL;
        diags_clean_up(&d);
        if (why) {
            function_error_set(err, (int64_t)i, "the argument %s", why);
            return -1;
        }
    }
    return 0;
}

enum protocol_status rpc_call_function(const uint8_t *request, size_t len, uint8_t **response,
                                       size_t *response_len)
{
    Tfplugin6__CallFunction__Request *req =
        (Tfplugin6__CallFunction__Request *)protobuf_c_message_unpack(
            &tfplugin6__call_function__request__descriptor, NULL, len, request);
    if (!req)
        return PROTOCOL_STATUS_INVALID_ARGUMENT;
    struct arena a = {0};
    struct diags d = {0};
    struct function_error err = {.argument = -1};
    Tfplugin6__CallFunction__Response resp = TFPLUGIN6__CALL_FUNCTION__RESPONSE__INIT;
    struct cty_value **args = NULL;
    struct cty_value *result = NULL;
    const char *error = NULL;
    const struct server_function *sf = NULL;
    if (server_init(&error) != 0)
        function_error_set(&err, -1, "the provider's tables are invalid: %s", error);
    else if (!(sf = server_find_function(req->name)))
        function_error_set(&err, -1, "the provider has no function \"%s\"",
                           req->name ? req->name : "");
    else if (req->n_arguments < sf->n_params ||
             (!sf->variadic_type && req->n_arguments > sf->n_params))
        function_error_set(&err, -1, "%s takes %zu argument%s%s, %zu given",
                           req->name, sf->n_params, sf->n_params == 1 ? "" : "s",
                           sf->variadic_type ? " or more" : "", req->n_arguments);
    else if (!(args = calloc(req->n_arguments ? req->n_arguments : 1, sizeof(*args))))
        function_error_set(&err, -1, "out of memory");
    else if (rpc_function_args(sf, req, args, &err) == 0)
        result = function_run(sf->function, sf->return_type,
                              (const struct cty_value *const *)args, req->n_arguments, &err);

    if (result) {
        resp.result = convert_value_out(&a, result, sf->return_type, &d);
        if (!resp.result)
            function_error_set(&err, -1, "%s returned a value that could not be encoded "
                                         "(a bug in the provider)",
                               sf->function->name);
    }
    if (err.text || !resp.result) {
        Tfplugin6__FunctionError *fe = arena_alloc(&a, sizeof(*fe));
        if (fe) {
            tfplugin6__function_error__init(fe);
            fe->text = arena_strdup(&a, err.text ? err.text : "the function failed");
            if (err.argument >= 0) {
                fe->_function_argument_case =
                    TFPLUGIN6__FUNCTION_ERROR___FUNCTION_ARGUMENT_FUNCTION_ARGUMENT;
                fe->function_argument = err.argument;
            }
        }
        resp.result = NULL;
        resp.error = fe;
    }
    enum protocol_status status = PROTOCOL_STATUS_OK;
    if (a.failed || convert_pack(&resp.base, response, response_len) != 0)
        status = PROTOCOL_STATUS_INTERNAL;
    for (size_t i = 0; args && i < req->n_arguments; i++)
        cty_value_destroy(args[i]);
    free(args);
    cty_value_destroy(result);
    function_error_clean_up(&err);
    diags_clean_up(&d);
    arena_clean_up(&a);
    protobuf_c_message_free_unpacked(&req->base, NULL);
    return status;
}
