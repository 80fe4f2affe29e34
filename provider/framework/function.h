/*
 * function.h - provider functions (Terraform 1.8+, OpenTofu 1.7+):
 * `provider::lsms::<name>(args...)` in any expression.
 *
 * One const table per function, listed in lsms_provider.functions.
 *
 * WHAT A FUNCTION IMPLEMENTS
 * - name: without the prefix ("playback_url"); ^[a-z][a-z0-9_]*$.
 * - params: {0}-terminated positional parameters. type is a JSON type
 *   string as in schema tables ("string", "number", "[\"list\",\"string\"]",
 *   "dynamic"). allow_null: a null argument reaches call (otherwise the
 *   client refuses it). allow_unknown: an unknown argument reaches call
 *   (otherwise the client does not call and the result is unknown).
 *   variadic: optional final parameter taking zero or more arguments.
 * - return_type: JSON type string of the result.
 * - summary and description (markdown) for the docs; deprecation_message
 *   when the function is deprecated (the client warns where it is called).
 * - call: args[0..n_args) are the arguments (variadic ones included, each of
 *   the variadic type), borrowed. Returns the result, owned by the caller,
 *   of return_type; or NULL after function_error_set. Functions run without
 *   provider configuration (the client calls them while validating and
 *   planning, on unconfigured provider processes): they must be pure
 *   computations of their arguments, never call a cloud API.
 *
 * function_error_set(err, argument, fmt, ...) records the error text the
 * user sees and the index of the argument at fault (-1: none). The client
 * shows it where the function is called, pointing at that argument, as
 * 'Invalid value for "<parameter>" parameter: <text>.' (or 'Call to function
 * ... failed: <text>.'): write the text without a final period.
 *
 * WHAT THE FRAMEWORK GUARANTEES
 * - GetProviderSchema and GetFunctions list every function.
 * - call runs only with the right number of arguments, each decoded with its
 *   parameter's type (a bad argument is an error on that argument), null
 *   only where allow_null, unknown only where allow_unknown.
 * - The result is checked against return_type (and must not be NULL
 *   without an error): a mismatch is an error naming the function (a
 *   provider bug), never a malformed value.
 */
#ifndef LSMS_FRAMEWORK_FUNCTION_H
#define LSMS_FRAMEWORK_FUNCTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "framework/cty.h"

struct function_param {
    const char *name;
    const char *type;
    bool allow_null;
    bool allow_unknown;
    const char *description; /* markdown */
};

/* Filled by function_error_set; owned by the framework. */
struct function_error {
    char *text;       /* malloc'd */
    int64_t argument; /* -1: not about one argument */
};

struct lsms_function {
    const char *name;
    const struct function_param *params;
    const struct function_param *variadic;
    const char *return_type;
    const char *summary;
    const char *description;
    const char *deprecation_message;
    struct cty_value *(*call)(const struct cty_value *const *args, size_t n_args,
                              struct function_error *err);
};

/* Records the error (the first one set wins). */
void function_error_set(struct function_error *err, int64_t argument, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void function_error_clean_up(struct function_error *err);

/* ---- used by the protocol layer (resources never call these) ---- */

/* Calls f with arguments already decoded and checked against the
 * parameters, and checks the result against `return_type`. Returns the
 * owned result, or NULL with err->text set (a generic text when the
 * function set none). err must start zeroed with argument -1. */
struct cty_value *function_run(const struct lsms_function *f, struct cty_type *return_type,
                               const struct cty_value *const *args, size_t n_args,
                               struct function_error *err);

#endif
