/*
 * distribution_functions.c - provider function playback_url (function.h):
 *
 *   provider::lsms::playback_url(domain_name, stream_path)
 *
 * The HLS playback URL of a stream served by a distribution, as
 * lsms_distribution.live_stream_url builds it, for a configuration that has
 * the domain (a data source, an alias such as live.example.com, another
 * stream path) but not the resource: "https://<domain>/<path>.m3u8". It
 * accepts the forms a domain and a path come in (with scheme or trailing
 * slash, with leading slash or extension) and refuses what would not be a
 * URL.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "framework/function.h"
#include "resources/distribution/distribution.h"
#include "util/buf.h"

/* The host of `domain` ("d1.cloudfront.net", "https://d1.cloudfront.net/",
 * "live.example.com:8443"), malloc'd into *host; NULL with *why. */
static char *playback_host(const char *domain, const char **why)
{
    const char *s = domain ? domain : "";
    if (strncmp(s, "https://", 8) == 0)
        s += 8;
    else if (strncmp(s, "http://", 7) == 0) {
        *why = "CloudFront serves the stream over https: give the domain name alone (such as "
               "d111111abcdef8.cloudfront.net) or an https:// URL";
        return NULL;
    }
    size_t len = strlen(s);
    while (len > 0 && s[len - 1] == '/')
        len--;
    if (len == 0) {
        *why = "The domain name is empty";
        return NULL;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!isalnum(c) && c != '.' && c != '-' && c != ':') {
            *why = "Not a domain name: letters, digits, '.', '-' (and a ':port'), such as "
                   "d111111abcdef8.cloudfront.net; a path belongs in stream_path";
            return NULL;
        }
    }
    return strndup(s, len);
}

/* The stream path without leading '/' and without ".m3u8", checked. */
static char *playback_path(const char *path, const char **why)
{
    const char *s = path ? path : "";
    while (*s == '/')
        s++;
    size_t len = strlen(s);
    if (len >= 5 && strcmp(s + len - 5, ".m3u8") == 0)
        len -= 5;
    if (len == 0) {
        *why = "The stream path is empty: give the channel's stream_path, such as "
               "stream/index";
        return NULL;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        bool segment_start = i == 0 || s[i - 1] == '/';
        if (!isalnum(c) && !strchr("_.~-/", c)) {
            *why = "A stream path holds letters, digits, '_', '.', '~', '-' and '/' (the "
                   "channel's stream_path rule), such as stream/index";
            return NULL;
        }
        if ((c == '/' && segment_start) || (segment_start && c == '.' &&
                                            (i + 1 == len || s[i + 1] == '/' ||
                                             (s[i + 1] == '.' && (i + 2 == len || s[i + 2] == '/'))))) {
            *why = "A stream path has no empty, '.' or '..' segment";
            return NULL;
        }
    }
    if (s[len - 1] == '/') {
        *why = "A stream path names the manifest, not a folder: stream/index, not stream/";
        return NULL;
    }
    return strndup(s, len);
}

static struct cty_value *playback_url_call(const struct cty_value *const *args, size_t n_args,
                                           struct function_error *err)
{
    (void)n_args;
    const char *why = NULL;
    char *host = playback_host(cty_value_string(args[0]), &why);
    if (!host) {
        function_error_set(err, 0, "%s", why ? why : "Out of memory");
        return NULL;
    }
    char *path = playback_path(cty_value_string(args[1]), &why);
    if (!path) {
        free(host);
        function_error_set(err, 1, "%s", why ? why : "Out of memory");
        return NULL;
    }
    struct buf url = {0};
    struct cty_value *v = buf_printf(&url, "https://%s/%s.m3u8", host, path) == 0
                              ? cty_string_new(url.data)
                              : NULL;
    buf_clean_up(&url);
    free(host);
    free(path);
    if (!v)
        function_error_set(err, -1, "Out of memory");
    return v;
}

const struct lsms_function lsms_playback_url_function = {
    .name = "playback_url",
    .params = (const struct function_param[]){
        {.name = "domain_name", .type = "string",
         .description = "The distribution's domain (`lsms_distribution.domain_name`, "
                        "`data.lsms_distribution.<name>.domain_name`, or an alias of it), with "
                        "or without `https://`."},
        {.name = "stream_path", .type = "string",
         .description = "The channel's `stream_path` (such as `stream/index`), with or without "
                        "a leading `/` or the `.m3u8` extension."},
        {0}},
    .return_type = "string",
    .summary = "The HLS playback URL of a stream",
    .description = "Returns `https://<domain_name>/<stream_path>.m3u8`, the master manifest a "
                   "player opens, as `lsms_distribution.live_stream_url` builds it. A domain "
                   "that is not a host name (or is http://) and a path that is not a stream "
                   "path are errors on their argument.",
    .call = playback_url_call,
};
