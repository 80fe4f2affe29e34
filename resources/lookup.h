/*
 * lookup.h - a resource's own read, reused by its data source and its list.
 *
 * A data source that shows an object the resource manages (a channel, a
 * distribution, a bucket, a container) reads it exactly as the resource
 * does, into a scratch state of the resource's schema, and copies the
 * attributes it offers: one mapping from AWS's answers to values, so the
 * data source and the resource never disagree.
 */
#ifndef LSMS_RESOURCES_LOOKUP_H
#define LSMS_RESOURCES_LOOKUP_H

#include "framework/cty.h"
#include "framework/diag.h"
#include "framework/resource.h"

/* A known object of `r`'s schema type with every attribute null (nested
 * blocks empty), as import starts from. The compiled schema is kept for the
 * life of the process (one per resource type). Owned by the caller; NULL
 * with an error diagnostic when out of memory. */
struct cty_value *lookup_state_new(const struct lsms_resource *r, struct diags *d);

/* Copies each attribute named in `names` (NULL-terminated) from `src` to
 * `dst`, both objects that have it with the same type. Returns 0, or -1
 * with an error diagnostic (a type mismatch is a bug; memory). */
int lookup_attrs_copy(struct cty_value *dst, const struct cty_value *src,
                      const char *const *names, struct diags *d);

#endif
