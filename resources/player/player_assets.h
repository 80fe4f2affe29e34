/*
 * player_assets.h - the files of the demo player, embedded in the provider
 * at build time ($(BUILD)/gen/player_assets.c, written by
 * tests/tools/embed_player_assets.py): the page template
 * (resources/player/page/index.html) and hls.js from its npm package
 * (dist/hls.light.min.js and its LICENSE, the version and its integrity
 * pinned in tests/tools/hlsjs). Each array is followed by a NUL byte that
 * its _len does not count.
 */
#ifndef LSMS_RESOURCES_PLAYER_ASSETS_H
#define LSMS_RESOURCES_PLAYER_ASSETS_H

#include <stddef.h>

/* "1.7.4" */
extern const char player_hls_js_version[];

extern const unsigned char player_page_template[];
extern const size_t player_page_template_len;
extern const unsigned char player_hls_js[];
extern const size_t player_hls_js_len;
extern const unsigned char player_hls_js_licence[];
extern const size_t player_hls_js_licence_len;

#endif
