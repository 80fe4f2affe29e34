/*
 * channel_push.c - push endpoints for encoders. See channel_push.h.
 */
#include "resources/channel/channel_push.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

void channel_push_target_clean_up(struct channel_push_target *t)
{
    free(t->url);
    free(t->server);
    free(t->stream_key);
    *t = (struct channel_push_target){0};
}

/* host[:port] of an authority: a non-empty host of letters, digits, '.',
 * '-' (or a bracketed IPv6 address) and a port of 1 to 65535 if any. */
static bool channel_push_authority_ok(const char *s, size_t len, bool port_required)
{
    size_t host_end = len;
    if (len > 0 && s[0] == '[') {
        const char *close = memchr(s, ']', len);
        if (!close)
            return false;
        host_end = (size_t)(close - s) + 1;
    } else {
        const char *colon = memchr(s, ':', len);
        host_end = colon ? (size_t)(colon - s) : len;
        for (size_t i = 0; i < host_end; i++)
            if (!isalnum((unsigned char)s[i]) && s[i] != '.' && s[i] != '-')
                return false;
    }
    if (host_end == 0 || (host_end == 2 && s[0] == '['))
        return false;
    if (host_end == len)
        return !port_required;
    if (s[host_end] != ':' || host_end + 1 == len)
        return false;
    long port = 0;
    for (size_t i = host_end + 1; i < len; i++) {
        if (!isdigit((unsigned char)s[i]) || (port = port * 10 + (s[i] - '0')) > 65535)
            return false;
    }
    return port >= 1;
}

int channel_push_target_parse(const char *endpoint, struct channel_push_target *out,
                              const char **why)
{
    *out = (struct channel_push_target){0};
    *why = NULL;
    if (!endpoint || !*endpoint) {
        *why = "The endpoint is empty: give an element of lsms_channel.input_endpoints";
        return -1;
    }
    for (const char *p = endpoint; *p; p++)
        if (isspace((unsigned char)*p) || iscntrl((unsigned char)*p)) {
            *why = "The endpoint contains white space; a push endpoint is a URL such as "
                   "rtmp://198.51.100.10:1935/live/stream";
            return -1;
        }
    bool rtmp = strncmp(endpoint, "rtmp://", 7) == 0 || strncmp(endpoint, "rtmps://", 8) == 0;
    bool rtp = strncmp(endpoint, "rtp://", 6) == 0;
    if (!rtmp && !rtp) {
        *why = "Not a push endpoint: MediaLive push inputs take rtmp://<address>:<port>/<app>/"
               "<stream> (RTMP_PUSH) or rtp://<address>:<port> (RTP_PUSH)";
        return -1;
    }
    const char *auth = strstr(endpoint, "://") + 3;
    const char *slash = strchr(auth, '/');
    size_t auth_len = slash ? (size_t)(slash - auth) : strlen(auth);
    if (rtp) {
        if (!channel_push_authority_ok(auth, auth_len, true) || (slash && slash[1])) {
            *why = "An RTP push endpoint is rtp://<address>:<port>, with no path";
            return -1;
        }
        out->protocol = "rtp";
        out->ffmpeg_format = "rtp_mpegts";
        out->url = strdup(endpoint);
        return out->url ? 0 : -1;
    }
    /* rtmp://host[:port]/app/stream: the stream is the last segment, the
     * application everything before it (MediaLive's is one segment, OBS
     * accepts more). */
    const char *last = strrchr(endpoint, '/');
    if (!channel_push_authority_ok(auth, auth_len, false)) {
        *why = "The endpoint's address is not <host>[:<port>] with a port of 1 to 65535";
        return -1;
    }
    if (!slash || last == slash || !last[1] || slash[1] == '/') {
        *why = "An RTMP push endpoint is rtmp://<address>:<port>/<application>/<stream>, with "
               "both an application and a stream name";
        return -1;
    }
    out->protocol = "rtmp";
    out->ffmpeg_format = "flv";
    out->url = strdup(endpoint);
    out->server = strndup(endpoint, (size_t)(last - endpoint));
    out->stream_key = strdup(last + 1);
    if (!out->url || !out->server || !out->stream_key) {
        channel_push_target_clean_up(out);
        return -1;
    }
    return 0;
}

int channel_push_test_card_kbps(const struct ladder_profile *profile)
{
    /* About 1.5 times the top rendition's bitrate, in round numbers; every
     * one below the 10 Mbps of the profiles' MediaLive input classes. */
    const struct ladder_rung *rungs;
    size_t n = ladder_profile_rungs(profile, &rungs);
    long top = n ? rungs[n - 1].bitrate_bps : 0;
    return top >= 4000000 ? 6000 : top >= 2500000 ? 3500 : 2500;
}

/* Appends `url` as one POSIX shell word: as it is when every character is
 * one no shell treats specially (the endpoints MediaLive reports), else in
 * single quotes with each ' written '\''. The command is meant to be run as
 * printed (README: eval "$(tofu output -raw test_card_command)"), and an
 * accepted endpoint may hold '$', ';', '&', '(', '[' or a quote in its path. */
static int channel_push_shell_word(struct buf *b, const char *url)
{
    bool plain = *url != '\0';
    for (const char *p = url; *p && plain; p++)
        plain = isalnum((unsigned char)*p) || strchr("._~:/@%+=,-", *p) != NULL;
    if (plain)
        return buf_append_str(b, url);
    if (buf_append_char(b, '\''))
        return -1;
    for (const char *p = url; *p; p++)
        if (*p == '\'' ? buf_append_str(b, "'\\''") : buf_append_char(b, *p))
            return -1;
    return buf_append_char(b, '\'');
}

char *channel_push_test_card_command(const struct channel_push_target *t,
                                     const struct ladder_profile *profile)
{
    const struct ladder_rung *rungs;
    size_t n = ladder_profile_rungs(profile, &rungs);
    if (!n || !t->url)
        return NULL;
    int kbps = channel_push_test_card_kbps(profile);
    struct buf b = {0};
    if (buf_printf(&b,
                   "ffmpeg -re -f lavfi -i testsrc2=size=%dx%d:rate=30 "
                   "-f lavfi -i sine=frequency=440:sample_rate=48000 "
                   "-c:v libx264 -preset veryfast -tune zerolatency -pix_fmt yuv420p -g 60 "
                   "-b:v %dk -maxrate %dk -bufsize %dk -c:a aac -b:a 128k -ar 48000 -f %s ",
                   rungs[n - 1].width, rungs[n - 1].height, kbps, kbps, 2 * kbps,
                   t->ffmpeg_format) != 0 ||
        channel_push_shell_word(&b, t->url) != 0) {
        buf_clean_up(&b);
        return NULL;
    }
    return b.data;
}
