/*
 * player_page.c - the objects of lsms_player (player_page.h).
 */
#include "resources/player/player_page.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "aws/sigv4.h"
#include "resources/player/player_assets.h"
#include "util/buf.h"

#define PLAYER_CONFIG_OPEN "<script id=\"lsms-player-config\" type=\"application/json\">"
#define PLAYER_CONFIG_CLOSE "</script>"
#define PLAYER_CONFIG_SLOT "{{config}}"

/* The embedded files never change while the provider runs: their names and
 * hashes are computed once. */
static pthread_once_t player_static_once = PTHREAD_ONCE_INIT;
static char player_hls_js_file[64];
static char player_hls_js_sha256[65];
static char player_licence_sha256[65];

static void player_static_init(void)
{
    snprintf(player_hls_js_file, sizeof player_hls_js_file, "hls-%s.light.min.js",
             player_hls_js_version);
    sigv4_sha256_hex(player_hls_js, player_hls_js_len, player_hls_js_sha256);
    sigv4_sha256_hex(player_hls_js_licence, player_hls_js_licence_len, player_licence_sha256);
}

const char *player_hls_js_name(void)
{
    pthread_once(&player_static_once, player_static_init);
    return player_hls_js_file;
}

/* The configuration block's JSON: every '<', '>' and '&' escaped, so no
 * value can close the script element or open a comment. malloc'd or NULL. */
static char *player_config_json(const struct player_page_params *p)
{
    cJSON *c = cJSON_CreateObject();
    char *raw = NULL;
    struct buf out = {0};
    if (!c || !cJSON_AddStringToObject(c, "title", p->title) ||
        !cJSON_AddStringToObject(c, "stream_path", p->stream_path) ||
        !(p->channel_id ? cJSON_AddStringToObject(c, "channel_id", p->channel_id)
                        : cJSON_AddNullToObject(c, "channel_id")) ||
        !cJSON_AddStringToObject(c, "domain_name", p->domain_name) ||
        !cJSON_AddNumberToObject(c, "max_age_seconds", (double)p->max_age_seconds) ||
        !cJSON_AddStringToObject(c, "hls_js", player_hls_js_name()) ||
        !cJSON_AddStringToObject(c, "hls_js_version", player_hls_js_version) ||
        !cJSON_AddStringToObject(c, "hls_js_licence", PLAYER_LICENCE_NAME))
        goto done;
    raw = cJSON_PrintUnformatted(c);
    for (const char *s = raw; s && *s; s++) {
        int bad = *s == '<'   ? buf_append_str(&out, "\\u003c")
                  : *s == '>' ? buf_append_str(&out, "\\u003e")
                  : *s == '&' ? buf_append_str(&out, "\\u0026")
                              : buf_append_char(&out, *s);
        if (bad) {
            buf_clean_up(&out);
            break;
        }
    }
done:
    free(raw);
    cJSON_Delete(c);
    return out.data;
}

/* The template with its one configuration slot filled in. malloc'd or NULL. */
static char *player_page_render(const struct player_page_params *p, size_t *len)
{
    const char *tpl = (const char *)player_page_template;
    const char *slot = strstr(tpl, PLAYER_CONFIG_SLOT);
    char *json = slot ? player_config_json(p) : NULL;
    struct buf page = {0};
    if (!json || buf_append(&page, tpl, (size_t)(slot - tpl)) || buf_append_str(&page, json) ||
        buf_append_str(&page, slot + strlen(PLAYER_CONFIG_SLOT))) {
        free(json);
        buf_clean_up(&page);
        return NULL;
    }
    free(json);
    *len = page.len;
    return page.data;
}

static void player_object_set(struct player_object *o, const char *name,
                              const unsigned char *body, size_t len, const char *content_type,
                              int64_t max_age, const char *sha256)
{
    snprintf(o->name, sizeof o->name, "%s", name);
    o->body = body;
    o->len = len;
    o->content_type = content_type;
    snprintf(o->cache_control, sizeof o->cache_control, "max-age=%lld", (long long)max_age);
    if (sha256)
        memcpy(o->sha256, sha256, sizeof o->sha256);
    else
        sigv4_sha256_hex(body, len, o->sha256);
}

int player_objects_build(const struct player_page_params *p, struct player_objects *out)
{
    memset(out, 0, sizeof *out);
    if (!p->title || !p->stream_path || !p->domain_name)
        return -1;
    pthread_once(&player_static_once, player_static_init);
    size_t page_len = 0;
    out->page = player_page_render(p, &page_len);
    if (!out->page)
        return -1;
    player_object_set(&out->items[0], PLAYER_PAGE_NAME, (const unsigned char *)out->page,
                      page_len, "text/html", p->max_age_seconds, NULL);
    player_object_set(&out->items[1], player_hls_js_file, player_hls_js, player_hls_js_len,
                      "text/javascript", PLAYER_HLS_JS_MAX_AGE_SECONDS,
                      player_hls_js_sha256);
    player_object_set(&out->items[2], PLAYER_LICENCE_NAME, player_hls_js_licence,
                      player_hls_js_licence_len, "text/plain",
                      p->max_age_seconds, player_licence_sha256);
    return 0;
}

void player_objects_clean_up(struct player_objects *out)
{
    free(out->page);
    memset(out, 0, sizeof *out);
}

/* ---- reading a page back ---- */

static char *player_json_string(const cJSON *o, const char *name)
{
    const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, name));
    return s ? strdup(s) : NULL;
}

int player_page_config_read(const char *html, size_t len, struct player_page_config *out)
{
    memset(out, 0, sizeof *out);
    out->max_age_seconds = -1;
    /* The bytes are not a C string (an edit made outside may have put a NUL
     * anywhere, or none at the end): search a copy that stops at the first. */
    char *text = html ? strndup(html, len) : NULL;
    const char *open = text ? strstr(text, PLAYER_CONFIG_OPEN) : NULL;
    const char *json = open ? open + strlen(PLAYER_CONFIG_OPEN) : NULL;
    const char *close = json ? strstr(json, PLAYER_CONFIG_CLOSE) : NULL;
    cJSON *c = close ? cJSON_ParseWithLength(json, (size_t)(close - json)) : NULL;
    int rc = -1;
    if (!cJSON_IsObject(c))
        goto done;
    out->title = player_json_string(c, "title");
    out->stream_path = player_json_string(c, "stream_path");
    out->channel_id = player_json_string(c, "channel_id");
    out->domain_name = player_json_string(c, "domain_name");
    const cJSON *age = cJSON_GetObjectItemCaseSensitive(c, "max_age_seconds");
    if (cJSON_IsNumber(age) && age->valuedouble >= 0 && age->valuedouble <= 1e12)
        out->max_age_seconds = (int64_t)age->valuedouble;
    if (out->title && out->stream_path)
        rc = 0;
done:
    cJSON_Delete(c);
    free(text);
    if (rc != 0)
        player_page_config_clean_up(out);
    return rc;
}

void player_page_config_clean_up(struct player_page_config *c)
{
    free(c->title);
    free(c->stream_path);
    free(c->channel_id);
    free(c->domain_name);
    memset(c, 0, sizeof *c);
    c->max_age_seconds = -1;
}
