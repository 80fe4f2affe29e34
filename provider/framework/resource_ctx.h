/*
 * resource_ctx.h - what every callback of a resource, data source, list,
 * or action receives, and how it reports its outcome. Split out of
 * resource.h so that the capability headers (identity.h, list.h,
 * data_source.h, action.h) can use it without including each other.
 */
#ifndef LSMS_FRAMEWORK_RESOURCE_CTX_H
#define LSMS_FRAMEWORK_RESOURCE_CTX_H

#include "framework/diag.h"

enum resource_result {
    RESOURCE_OK = 0,
    RESOURCE_ERROR = 1,
    RESOURCE_PARTIAL = 2,
};

struct resource_ctx {
    /* What the provider's configure returned (NULL before ConfigureProvider). */
    void *provider_data;
    struct diags *diags;
    /* Set by StopProvider; long waits must check it (via provider_data's
     * client, which shares the flag, or resource_ctx_stopping). */
    const volatile int *stop_requested;
};

/* True once StopProvider came. Safe from any thread (StopProvider runs on
 * another worker than the call that checks). */
static inline int resource_ctx_stopping(const struct resource_ctx *ctx)
{
    return ctx->stop_requested && __atomic_load_n(ctx->stop_requested, __ATOMIC_ACQUIRE);
}

#endif
