#include "plugin/grpc_log.h"

#include <grpc/support/log.h>
#include <stdio.h>

#include "util/log.h"

static void grpc_log_bridge(gpr_log_func_args *args)
{
    enum log_level level = LOG_WARN;
    if (args->severity == GPR_LOG_SEVERITY_DEBUG)
        level = LOG_TRACE;
    else if (args->severity == GPR_LOG_SEVERITY_INFO)
        level = LOG_DEBUG;
    if (!log_enabled(level))
        return;
    char where[32];
    snprintf(where, sizeof(where), "%d", args->line);
    log_kv(level, args->message ? args->message : "", "source", "grpc", "file",
           args->file ? args->file : "", "line", where, NULL);
}

void grpc_log_bridge_install(void)
{
    gpr_set_log_function(grpc_log_bridge);
}
