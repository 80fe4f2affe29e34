/*
 * player_page.h - the objects lsms_player writes under its prefix, built
 * from its arguments: the page (the template of resources/player/page/
 * with its configuration filled in), hls.js and hls.js's licence notice
 * (both from the npm package embedded at build time, player_assets.h).
 *
 * The page carries its configuration as JSON in
 *   <script id="lsms-player-config" type="application/json">...</script>
 * which the page's script reads, and from which import recovers the
 * arguments (player_page_config_read).
 */
#ifndef LSMS_RESOURCES_PLAYER_PAGE_H
#define LSMS_RESOURCES_PLAYER_PAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The page's inputs (borrowed). channel_id may be NULL. */
struct player_page_params {
    const char *title;
    const char *stream_path;  /* "stream/index": the page plays /<stream_path>.m3u8 */
    const char *channel_id;
    const char *domain_name;
    int64_t max_age_seconds;  /* Cache-Control max-age of the page and the licence */
};

#define PLAYER_OBJECT_COUNT 3
#define PLAYER_PAGE_NAME "index.html"
#define PLAYER_LICENCE_NAME "hls.js-LICENSE.txt"
/* Versioned, so a cached copy never outlives a provider that serves another
 * hls.js: it is cached for a day. */
#define PLAYER_HLS_JS_MAX_AGE_SECONDS 86400

/* One object to write: its name under the prefix, bytes, headers and the
 * lower-case hex SHA-256 of the bytes. */
struct player_object {
    char name[64];
    const unsigned char *body; /* the embedded bytes, or `page` below */
    size_t len;
    const char *content_type;  /* static */
    char cache_control[32];
    char sha256[65];
};

struct player_objects {
    struct player_object items[PLAYER_OBJECT_COUNT]; /* the page is items[0] */
    char *page;                                      /* owned: the filled-in page */
};

/* Builds every object from `p`. 0, or -1 when out of memory (or `p` lacks
 * title, stream_path or domain_name). Clean up `out` in either case. */
int player_objects_build(const struct player_page_params *p, struct player_objects *out);
void player_objects_clean_up(struct player_objects *out);

/* The page's file name of the embedded hls.js: "hls-1.7.4.light.min.js". */
const char *player_hls_js_name(void);

/* The configuration a page carries (owned strings, NULL when absent). */
struct player_page_config {
    char *title;
    char *stream_path;
    char *channel_id;
    char *domain_name;
    int64_t max_age_seconds; /* -1 when absent */
};

/* Reads the configuration out of a page's bytes. 0, or -1 when the bytes
 * are not a page lsms_player wrote (no configuration block, or one that is
 * not a JSON object with title and stream_path) or memory runs out. */
int player_page_config_read(const char *html, size_t len, struct player_page_config *out);
void player_page_config_clean_up(struct player_page_config *c);

#endif
