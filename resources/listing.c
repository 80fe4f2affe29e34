/*
 * listing.c - the list filters. See listing.h.
 */
#include "resources/listing.h"

#include <string.h>

#include "resources/common.h"

int listing_emit_imported(struct resource_ctx *ctx, struct list_results *out,
                          enum resource_result (*import)(struct resource_ctx *ctx, const char *id,
                                                         struct cty_value *state),
                          const char *id, const char *display_name)
{
    struct cty_value *seed = list_results_state_new(out);
    if (!seed) {
        resource_diag_oom(ctx->diags);
        return -1;
    }
    if (import(ctx, id, seed) != RESOURCE_OK) {
        if (!diags_has_error(ctx->diags))
            resource_diag_oom(ctx->diags);
        cty_value_destroy(seed);
        return -1;
    }
    return list_results_emit(out, seed, LIST_STATE_SEED, display_name);
}

bool listing_name_matches(const struct cty_value *config, const char *name)
{
    const char *prefix = cty_attr_string(config, "name_prefix");
    return !prefix || (name && strncmp(name, prefix, strlen(prefix)) == 0);
}

bool listing_filters_tags(const struct cty_value *config)
{
    return cty_value_length(cty_value_attr(config, "tags")) > 0;
}

bool listing_tags_match(const struct cty_value *config, const struct cty_value *tags)
{
    const struct cty_value *want = cty_value_attr(config, "tags");
    for (size_t i = 0; i < cty_value_length(want); i++) {
        const char *have = tags ? cty_value_string(cty_value_map_get(tags, cty_value_map_key(want, i)))
                                : NULL;
        const char *value = cty_value_string(cty_value_index(want, i));
        if (!have || !value || strcmp(have, value) != 0)
            return false;
    }
    return true;
}

/* The value of `key` in a JSON object of strings or a [{Key, Value}] list. */
static const char *listing_json_tag(const cJSON *tags, const char *key)
{
    if (cJSON_IsObject(tags))
        return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(tags, key));
    const cJSON *list = cJSON_IsArray(tags) ? tags : NULL;
    const cJSON *t;
    cJSON_ArrayForEach(t, list) {
        const char *k = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(t, "Key"));
        if (k && strcmp(k, key) == 0)
            return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(t, "Value"));
    }
    return NULL;
}

bool listing_tags_match_json(const struct cty_value *config, const cJSON *tags)
{
    const struct cty_value *want = cty_value_attr(config, "tags");
    for (size_t i = 0; i < cty_value_length(want); i++) {
        const char *have = listing_json_tag(tags, cty_value_map_key(want, i));
        const char *value = cty_value_string(cty_value_index(want, i));
        if (!have || !value || strcmp(have, value) != 0)
            return false;
    }
    return true;
}

int listing_next_token(struct resource_ctx *ctx, const cJSON *page, const char *key,
                       char **token)
{
    const char *next = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(page, key));
    if (next && *next && !(*token = strdup(next))) {
        resource_diag_oom(ctx->diags);
        return -1;
    }
    return 0;
}
