/*
 * rpc.h - one handler per tfplugin6 RPC (one file each: rpc_<name>.c).
 *
 * Each handler unpacks its request, works through the framework and packs
 * its response into a malloc'd buffer for the plugin host. Problems the user
 * should see travel as diagnostics in the response; a gRPC error status is
 * only for requests that cannot be decoded at all.
 */
#ifndef LSMS_PROTOCOL_RPC_H
#define LSMS_PROTOCOL_RPC_H

#include <stddef.h>
#include <stdint.h>

#include "framework/resource.h"
#include "protocol/dispatch.h"
#include "protocol/server.h"
#include "tfplugin6.pb-c.h"
#include "util/arena.h"

typedef enum protocol_status (*rpc_handler)(const uint8_t *request, size_t len, uint8_t **response,
                                            size_t *response_len);

enum protocol_status rpc_get_metadata(const uint8_t *, size_t, uint8_t **, size_t *);
enum protocol_status rpc_get_provider_schema(const uint8_t *, size_t, uint8_t **, size_t *);
enum protocol_status rpc_get_resource_identity_schemas(const uint8_t *, size_t, uint8_t **,
                                                       size_t *);
enum protocol_status rpc_get_functions(const uint8_t *, size_t, uint8_t **, size_t *);
enum protocol_status rpc_validate_provider_config(const uint8_t *, size_t, uint8_t **, size_t *);
enum protocol_status rpc_validate_resource_config(const uint8_t *, size_t, uint8_t **, size_t *);
enum protocol_status rpc_validate_data_resource_config(const uint8_t *, size_t, uint8_t **,
                                                       size_t *);
enum protocol_status rpc_configure_provider(const uint8_t *, size_t, uint8_t **, size_t *);
enum protocol_status rpc_upgrade_resource_state(const uint8_t *, size_t, uint8_t **, size_t *);
enum protocol_status rpc_read_resource(const uint8_t *, size_t, uint8_t **, size_t *);
enum protocol_status rpc_plan_resource_change(const uint8_t *, size_t, uint8_t **, size_t *);
enum protocol_status rpc_apply_resource_change(const uint8_t *, size_t, uint8_t **, size_t *);
enum protocol_status rpc_import_resource_state(const uint8_t *, size_t, uint8_t **, size_t *);
enum protocol_status rpc_read_data_source(const uint8_t *, size_t, uint8_t **, size_t *);
enum protocol_status rpc_stop_provider(const uint8_t *, size_t, uint8_t **, size_t *);
enum protocol_status rpc_upgrade_resource_identity(const uint8_t *, size_t, uint8_t **, size_t *);
enum protocol_status rpc_call_function(const uint8_t *, size_t, uint8_t **, size_t *);
enum protocol_status rpc_generate_resource_config(const uint8_t *, size_t, uint8_t **, size_t *);
enum protocol_status rpc_validate_list_resource_config(const uint8_t *, size_t, uint8_t **,
                                                       size_t *);
enum protocol_status rpc_validate_action_config(const uint8_t *, size_t, uint8_t **, size_t *);
enum protocol_status rpc_plan_action(const uint8_t *, size_t, uint8_t **, size_t *);

/* Server-streaming handlers: each event is sent through `out` as it comes. */
typedef enum protocol_status (*rpc_stream_handler)(const uint8_t *request, size_t len,
                                                   struct protocol_stream *out);
enum protocol_status rpc_list_resource(const uint8_t *, size_t, struct protocol_stream *);
enum protocol_status rpc_invoke_action(const uint8_t *, size_t, struct protocol_stream *);

/* Shared by the handlers. */

/* The resource for type_name, or NULL with an error diagnostic. */
const struct server_resource *rpc_resource_or_diag(const char *type_name, struct diags *d);
/* The provider block's configuration decoded with its schema (owned by the
 * caller), or NULL with an error diagnostic. */
struct cty_value *rpc_provider_config_in(const Tfplugin6__DynamicValue *dv, struct diags *d);
/* A resource context for a call on the configured provider. */
void rpc_resource_ctx_init(struct resource_ctx *ctx, struct diags *d);
/* Puts the diagnostics into the response (its diagnostics fields are given)
 * and packs it into *out. PROTOCOL_STATUS_OK, or INTERNAL when memory ran
 * out anywhere while the response was built. */
enum protocol_status rpc_respond(struct arena *a, const struct diags *d,
                                 const ProtobufCMessage *resp, size_t *n_diagnostics,
                                 Tfplugin6__Diagnostic ***diagnostics, uint8_t **out,
                                 size_t *out_len);

/* Diagnostic for an operation a resource does not offer (a NULL callback). */
void rpc_diag_unsupported(struct diags *d, const char *type_name, const char *operation);

/* Resource identity (rpc_identity.c). */
/* Decodes an identity sent by the client: *out is NULL when none was sent.
 * Returns 0, or -1 with an error (malformed, or the resource has none). */
int rpc_identity_in(const struct server_resource *r, const Tfplugin6__ResourceIdentityData *in,
                    struct diags *d, struct cty_value **out);
/* The identity as the protocol sends it (NULL for none). */
Tfplugin6__ResourceIdentityData *rpc_identity_out(struct arena *a, const struct server_resource *r,
                                                  const struct cty_value *identity,
                                                  struct diags *d);
/* The checked identity of `state` (framework/identity.h): *out NULL when the
 * resource has no identity or state is null. Returns 0, or -1 with the error
 * in ctx->diags (the operation then fails). */
int rpc_identity_of_state(const struct server_resource *r, struct resource_ctx *ctx,
                          const struct cty_value *state, const struct cty_value *prior,
                          unsigned flags, const char *operation, struct cty_value **out);

#endif
