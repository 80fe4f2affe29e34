/*
 * listing.h - the filters every lsms list resource offers (list.h): a name
 * prefix and tags, as `config` attributes of a `list` block:
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

#endif
