/*
 * scope.h - where an AWS object lives, for resource identities: the region
 * and the account of the provider that manages it.
 *
 * Every lsms resource names its object by one id or name plus, for a
 * regional service, the region, and the account. The identity carries both
 * (optional for import: the provider supplies them), so that an identity
 * copied from one configuration into another names the same object, and an
 * import block written for another region or account fails with a clear
 * message instead of importing a namesake.
 */
#ifndef LSMS_RESOURCES_SCOPE_H
#define LSMS_RESOURCES_SCOPE_H

#include <stdbool.h>

#include "framework/cty.h"
#include "framework/resource_ctx.h"
#include "framework/schema.h"

/* Identity attribute table entries (optional for import). */
#define LSMS_IDENTITY_REGION_ATTR                                                              \
    {.name = "region", .type = "string", .flags = SCHEMA_OPTIONAL,                             \
     .description = "AWS region of the object (default: the provider's region)."}
#define LSMS_IDENTITY_ACCOUNT_ATTR                                                             \
    {.name = "account_id", .type = "string", .flags = SCHEMA_OPTIONAL,                         \
     .description = "AWS account that owns the object (default: the provider's account)."}

/*
 * identity.h's fill for identities with LSMS_IDENTITY_ACCOUNT_ATTR and, when
 * `regional`, LSMS_IDENTITY_REGION_ATTR: sets account_id (null when the
 * provider skips requesting it: the framework then keeps the account id
 * stored for the object, if any, identity_keep_stored) and, when the
 * identity has no region yet (none copied from the state), the provider's
 * region.
 */
void scope_identity_fill(struct resource_ctx *ctx, struct cty_value *identity, bool regional);

/*
 * Before an import by identity: the identity's account_id (when given, and
 * when the provider knows its own) must be the provider's, and, when
 * `region_must_match`, its region (when given) the provider's region.
 * `what` names the object in the message ("MediaLive channel 1234567").
 * Returns 0, or -1 with an error diagnostic on the attribute.
 */
int scope_identity_check(struct resource_ctx *ctx, const struct cty_value *identity,
                         bool region_must_match, const char *what);

#endif
