/*
 * convert.h - protobuf-c messages <-> framework values.
 *
 * Everything built for a response is allocated from the call's arena and
 * freed with it after packing.
 */
#ifndef LSMS_PROTOCOL_CONVERT_H
#define LSMS_PROTOCOL_CONVERT_H

#include <stddef.h>
#include <stdint.h>

#include "framework/cty.h"
#include "framework/diag.h"
#include "framework/resource.h"
#include "framework/schema.h"
#include "tfplugin6.pb-c.h"
#include "util/arena.h"

/* Decodes a DynamicValue of the given type: msgpack when present, else JSON,
 * else null (an absent value means null on the wire). Returns an owned value,
 * or NULL with an error diagnostic naming `what` ("config", "prior state"). */
struct cty_value *convert_value_in(const Tfplugin6__DynamicValue *dv, struct cty_type *type,
                                   const char *what, struct diags *d);

/* Encodes `v` (NULL means a null value) as msgpack. NULL with a diagnostic
 * when the value does not conform to the type. */
Tfplugin6__DynamicValue *convert_value_out(struct arena *a, const struct cty_value *v,
                                           struct cty_type *type, struct diags *d);

Tfplugin6__AttributePath *convert_path_out(struct arena *a, const struct attr_path *p);

/* Fills *n and *out with the diagnostics; secrets never reach here. */
void convert_diags_out(struct arena *a, const struct diags *d, size_t *n,
                       Tfplugin6__Diagnostic ***out);

Tfplugin6__Schema *convert_schema_out(struct arena *a, const struct schema *s);
/* A table's type string as the protocol's JSON type bytes ("string" ->
 * "\"string\""; JSON forms as they are). */
ProtobufCBinaryData convert_type_out(struct arena *a, const char *type);
Tfplugin6__ResourceIdentitySchema *convert_identity_schema_out(struct arena *a,
                                                               const struct resource_identity *id);
Tfplugin6__Function *convert_function_out(struct arena *a, const struct lsms_function *f);

/* Packs a message into a malloc'd buffer. Returns 0 or -1. */
int convert_pack(const ProtobufCMessage *m, uint8_t **out, size_t *len);

#endif
