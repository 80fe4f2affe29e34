/*
 * scope.c - region and account of resource identities. See scope.h.
 */
#include "resources/scope.h"

#include <string.h>

#include "resources/common.h"
#include "resources/provider.h"

void scope_identity_fill(struct resource_ctx *ctx, struct cty_value *identity, bool regional)
{
    const struct lsms_provider_data *pd = ctx->provider_data;
    if (!pd) /* identities are built only by a configured provider */
        return;
    int rc = resource_set_string(identity, "account_id", pd->account_id);
    if (rc == 0 && regional && !cty_attr_string(identity, "region"))
        rc = resource_set_string(identity, "region", pd->region);
    if (rc != 0)
        resource_diag_oom(ctx->diags);
}

int scope_identity_check(struct resource_ctx *ctx, const struct cty_value *identity,
                         bool region_must_match, const char *what)
{
    const struct lsms_provider_data *pd = resource_provider(ctx);
    if (!pd)
        return -1;
    const char *account = cty_attr_string(identity, "account_id");
    if (account && pd->account_id && strcmp(account, pd->account_id) != 0) {
        diags_error(ctx->diags, "account_id", "Identity of another account",
                    "The import identity names %s in account %s, but the provider's "
                    "credentials are for account %s. Configure a provider for that account "
                    "(for example with assume_role) and import with it.",
                    what, account, pd->account_id);
        return -1;
    }
    const char *region = cty_attr_string(identity, "region");
    if (region_must_match && region && strcmp(region, pd->region) != 0) {
        diags_error(ctx->diags, "region", "Identity of another region",
                    "The import identity names %s in region %s, but the provider manages "
                    "region %s. Import it with a provider configured for %s.",
                    what, region, pd->region, region);
        return -1;
    }
    return 0;
}
