/*
 * encoding_profile.c - the encoding ladder (ladder.h) offered to
 * configurations that build players or dashboards elsewhere:
 *   data "lsms_encoding_profile" "hd" { name = "HD-720p" }
 *   provider::lsms::encoding_profile_renditions("HD-720p")
 *
 * Also the pattern to copy for a data source (data_source.h) and a provider
 * function (function.h): one const table each, listed in resources/provider.c.
 */
#include <stdio.h>
#include <stdlib.h>

#include "framework/data_source.h"
#include "framework/function.h"
#include "framework/resource.h"
#include "resources/ladder.h"

/* The renditions' type: lsms_channel's `renditions` attributes, and the
 * bitrates a player's bandwidth estimate or a dashboard's thresholds need
 * (the video ceiling of its QVBR rate control, the audio of every rung). */
#define ENCODING_PROFILE_RENDITIONS_TYPE                                                       \
    "[\"list\",[\"object\",{\"name\":\"string\",\"width\":\"number\",\"height\":\"number\","   \
    "\"bitrate\":\"number\",\"max_bitrate\":\"number\",\"audio_bitrate\":\"number\","            \
    "\"framerate\":\"number\"}]]"

static const char *const encoding_profile_names[] = {"HD-1080p", "HD-720p", "SD-540p", NULL};

static struct cty_value *encoding_profile_rendition_new(struct cty_type *elem,
                                                        const struct ladder_rung *r)
{
    char fps[32];
    snprintf(fps, sizeof fps, "%.10g", ladder_rung_framerate(r));
    struct cty_value *o = cty_object_new(elem);
    if (!o || cty_object_set(o, "name", cty_string_new(r->name)) != 0 ||
        cty_object_set(o, "width", cty_number_new_int(r->width)) != 0 ||
        cty_object_set(o, "height", cty_number_new_int(r->height)) != 0 ||
        cty_object_set(o, "bitrate", cty_number_new_int(r->bitrate_bps)) != 0 ||
        cty_object_set(o, "max_bitrate", cty_number_new_int(r->max_bitrate_bps)) != 0 ||
        cty_object_set(o, "audio_bitrate",
                       cty_number_new_int(ladder_shared_get()->audio_bitrate_bps)) != 0 ||
        cty_object_set(o, "framerate", cty_number_new(fps)) != 0) {
        cty_value_destroy(o);
        return NULL;
    }
    return o;
}

/* The profile's rungs, lowest first, as a value of `list_type`; NULL when
 * out of memory. */
static struct cty_value *encoding_profile_renditions(struct cty_type *list_type,
                                                     const struct ladder_profile *profile)
{
    const struct ladder_rung *rungs;
    size_t n = ladder_profile_rungs(profile, &rungs);
    struct cty_value *list = cty_collection_new(list_type);
    for (size_t i = 0; list && i < n; i++) {
        struct cty_value *o = encoding_profile_rendition_new(cty_type_element(list_type), &rungs[i]);
        if (!o || cty_collection_append(list, o) != 0) {
            cty_value_destroy(list);
            return NULL;
        }
    }
    return list;
}

/* ---- data "lsms_encoding_profile" ---- */

static const struct schema_attribute encoding_profile_attrs[] = {
    {.name = "name", .type = "string", .flags = SCHEMA_REQUIRED,
     .description = "The encoding profile: `HD-1080p`, `HD-720p` or `SD-540p` (the "
                    "`encoding_profile` of an `lsms_channel`).",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_ONE_OF, .one_of = encoding_profile_names}, {0}}},
    {.name = "renditions", .type = ENCODING_PROFILE_RENDITIONS_TYPE, .flags = SCHEMA_COMPUTED,
     .description = "The HLS renditions of the profile, lowest first: name (the HLS name "
                    "modifier, e.g. `_1280x720`), width, height, video bitrate, the ceiling "
                    "of its QVBR rate control (`max_bitrate`) and the AAC audio bitrate, all "
                    "in bit/s, and frame rate."},
    {.name = "input_resolution", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "The MediaLive input resolution class the profile needs (`SD` or `HD`)."},
    {.name = "input_maximum_bitrate", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "The MediaLive input bitrate class the profile needs (e.g. `MAX_10_MBPS`)."},
    {.name = "segment_length_seconds", .type = "number", .flags = SCHEMA_COMPUTED,
     .description = "The length of an HLS segment, in seconds."},
    {0}};

static const struct schema encoding_profile_schema = {
    .version = 0,
    .block = {.attributes = encoding_profile_attrs,
              .description = "The renditions of one of the channel's encoding profiles, for "
                             "players and dashboards built in another configuration. Needs "
                             "no AWS call."}};

static enum resource_result encoding_profile_read(struct resource_ctx *ctx,
                                                  const struct cty_value *config,
                                                  struct cty_value *state)
{
    const char *name = cty_attr_string(config, "name");
    const struct ladder_profile *profile = ladder_profile_find(name);
    if (!profile) { /* the validator refuses it first; kept for direct calls */
        diags_error(ctx->diags, "name", "Unknown encoding profile",
                    "\"%s\" is not an encoding profile: use HD-1080p, HD-720p or SD-540p.",
                    name ? name : "");
        return RESOURCE_ERROR;
    }
    const struct cty_value *cur = cty_value_attr(state, "renditions");
    struct cty_value *renditions = cur ? encoding_profile_renditions(cty_value_type(cur), profile)
                                       : NULL;
    if (!renditions || cty_object_set(state, "renditions", renditions) != 0 ||
        cty_object_set(state, "input_resolution", cty_string_new(profile->input_resolution)) != 0 ||
        cty_object_set(state, "input_maximum_bitrate",
                       cty_string_new(profile->input_maximum_bitrate)) != 0 ||
        cty_object_set(state, "segment_length_seconds",
                       cty_number_new_int(ladder_shared_get()->hls_segment_length_s)) != 0) {
        diags_error(ctx->diags, NULL, "Out of memory",
                    "The provider ran out of memory reading an encoding profile.");
        return RESOURCE_ERROR;
    }
    return RESOURCE_OK;
}

const struct lsms_data_source lsms_encoding_profile_data_source = {
    .type_name = "lsms_encoding_profile",
    .schema = &encoding_profile_schema,
    .read = encoding_profile_read,
};

/* ---- provider::lsms::encoding_profile_renditions(name) ---- */

static struct cty_value *encoding_profile_renditions_call(const struct cty_value *const *args,
                                                          size_t n_args,
                                                          struct function_error *err)
{
    (void)n_args;
    const char *name = cty_value_string(args[0]);
    const struct ladder_profile *profile = ladder_profile_find(name);
    if (!profile) {
        function_error_set(err, 0,
                           "\"%s\" is not an encoding profile: use HD-1080p, HD-720p or SD-540p",
                           name ? name : "");
        return NULL;
    }
    char *error = NULL;
    struct cty_type *t = cty_type_from_json(ENCODING_PROFILE_RENDITIONS_TYPE,
                                            sizeof(ENCODING_PROFILE_RENDITIONS_TYPE) - 1, &error);
    struct cty_value *v = t ? encoding_profile_renditions(t, profile) : NULL;
    cty_type_release(t);
    if (!v)
        function_error_set(err, -1, "Out of memory%s%s", error ? ": " : "", error ? error : "");
    free(error);
    return v;
}

const struct lsms_function lsms_encoding_profile_renditions_function = {
    .name = "encoding_profile_renditions",
    .params = (const struct function_param[]){
        {.name = "name", .type = "string",
         .description = "The encoding profile: `HD-1080p`, `HD-720p` or `SD-540p`."},
        {0}},
    .return_type = ENCODING_PROFILE_RENDITIONS_TYPE,
    .summary = "The renditions of an encoding profile",
    .description = "Returns the HLS renditions of an encoding profile, lowest first, as the "
                   "`lsms_encoding_profile` data source gives them: name, width, height, video "
                   "bitrate, its QVBR ceiling (`max_bitrate`) and the audio bitrate (bit/s), "
                   "and frame rate. Needs no provider configuration: usable in `locals`, "
                   "variables' validation and outputs of any configuration.",
    .call = encoding_profile_renditions_call,
};
