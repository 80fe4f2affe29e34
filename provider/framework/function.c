#include "framework/function.h"

#include <stdarg.h>
#include <stdlib.h>

#include "util/buf.h"

void function_error_set(struct function_error *err, int64_t argument, const char *fmt, ...)
{
    if (!err || err->text)
        return;
    struct buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    err->text = b.data ? buf_detach(&b) : NULL;
    err->argument = argument;
}

void function_error_clean_up(struct function_error *err)
{
    free(err->text);
    err->text = NULL;
    err->argument = -1;
}

struct cty_value *function_run(const struct lsms_function *f, struct cty_type *return_type,
                               const struct cty_value *const *args, size_t n_args,
                               struct function_error *err)
{
    struct cty_value *result = f->call(args, n_args, err);
    if (result && err->text) {
        /* An error wins over a result returned beside it. */
        cty_value_destroy(result);
        result = NULL;
    }
    if (result && !cty_value_conforms(result, return_type)) {
        cty_value_destroy(result);
        result = NULL;
        function_error_set(err, -1,
                           "%s returned a value that does not match its return type (a bug "
                           "in the provider)",
                           f->name);
    }
    if (!result && !err->text)
        function_error_set(err, -1, "%s failed without saying why", f->name);
    return result;
}
