/*
 * listing.h - what the lsms list resources share (list.h): the filters they
 * offer, a name prefix and tags, as `config` attributes of a `list` block,
 * and the emission of an object as its resource's import seeds it:
 *
 *     list "lsms_channel" "events" {
 *       provider = lsms
 *       config {
 *         name_prefix = "event-"
 *         tags        = { team = "live" }
 *       }
 *     }
 */
#ifndef LSMS_RESOURCES_LISTING_H
#define LSMS_RESOURCES_LISTING_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "framework/cty.h"
#include "framework/list.h"
#include "framework/resource.h"
#include "framework/schema.h"

#define LSMS_LIST_NAME_PREFIX_ATTR(what)                                                       \
    {.name = "name_prefix", .type = "string", .flags = SCHEMA_OPTIONAL,                        \
     .description = "Only " what " whose name starts with this (case-sensitive)."}

#define LSMS_LIST_TAGS_ATTR(what)                                                              \
    {.name = "tags", .type = "[\"map\",\"string\"]", .flags = SCHEMA_OPTIONAL,                 \
     .description = "Only " what " that carry every one of these tags with exactly this "     \
                    "value (other tags may be there too). Reading the tags costs one call "    \
                    "per object where the list call does not return them."}

/* Whether `name` starts with the config's name_prefix (true when unset). */
bool listing_name_matches(const struct cty_value *config, const char *name);

/* Whether the config filters by tags (a non-empty `tags` map). */
bool listing_filters_tags(const struct cty_value *config);

/* Whether the object's tags (a map(string) value; NULL or null: none) hold
 * every tag of the config's `tags` filter (true when unset). */
bool listing_tags_match(const struct cty_value *config, const struct cty_value *tags);

/* The same for tags given as a JSON object {"key": "value", ...} (MediaLive)
 * or a JSON array [{"Key": k, "Value": v}, ...] (MediaStore, CloudWatch). */
bool listing_tags_match_json(const struct cty_value *config, const cJSON *tags);

/* Emits the object whose import id is `id`: a state seeded by the
 * resource's import by id (`import`), shown as `display_name` (NULL: the
 * identity's first string). Returns list_results_emit's 0 (go on) or 1
 * (stop), or -1 with a diagnostic in ctx->diags (import refused the id, or
 * memory ran out). */
int listing_emit_imported(struct resource_ctx *ctx, struct list_results *out,
                          enum resource_result (*import)(struct resource_ctx *ctx, const char *id,
                                                         struct cty_value *state),
                          const char *id, const char *display_name);

/* The next page's token of a JSON list answer: the string `key` of `page`
 * copied into *token (left NULL when it is missing or empty: the walk ends).
 * Returns 0, or -1 with an out-of-memory diagnostic in ctx->diags. */
int listing_next_token(struct resource_ctx *ctx, const cJSON *page, const char *key,
                       char **token);

#endif
