/*
 * channel_push.h - a channel's push endpoints as encoders want them: the
 * parts of an RTMP or RTP URL that OBS and ffmpeg ask for, and the ffmpeg
 * command that pushes a test card. Pure functions (no I/O), unit-tested in
 * tests/unit/test_channel_push.c; the provider functions push_target and
 * test_card_command (channel_functions.c) are built on them.
 */
#ifndef LSMS_RESOURCES_CHANNEL_CHANNEL_PUSH_H
#define LSMS_RESOURCES_CHANNEL_CHANNEL_PUSH_H

#include "resources/ladder.h"

/* A parsed push endpoint. Strings malloc'd and owned (clean up); server and
 * stream_key are NULL for RTP. */
struct channel_push_target {
    const char *protocol;      /* "rtmp" | "rtp" (static) */
    char *url;                 /* the endpoint as given */
    char *server;              /* rtmp[s]://host[:port]/<app>: everything but the stream */
    char *stream_key;          /* the last path segment */
    const char *ffmpeg_format; /* "flv" | "rtp_mpegts" (static) */
};

/*
 * Parses a MediaLive push endpoint: rtmp://host[:port]/app/stream (rtmps://
 * too; MediaLive names the application and the stream in the path, OBS
 * wants them apart) or rtp://host:port. Returns 0 and fills *out (zeroed
 * first), or -1 with *why a static sentence saying what is wrong (NULL when
 * memory ran out).
 */
int channel_push_target_parse(const char *endpoint, struct channel_push_target *out,
                              const char **why);
void channel_push_target_clean_up(struct channel_push_target *t);

/* The source bitrate the test card is sent at for a profile, kbit/s: well
 * above its top rendition, within the profile's MediaLive input class. */
int channel_push_test_card_kbps(const struct ladder_profile *profile);

/*
 * "ffmpeg -re -f lavfi -i testsrc2=size=<W>x<H>:rate=30 -f lavfi -i
 * sine=frequency=440:sample_rate=48000 -c:v libx264 -preset veryfast -tune
 * zerolatency -pix_fmt yuv420p -g 60 -b:v <k>k -maxrate <k>k -bufsize <2k>k
 * -c:a aac -b:a 128k -ar 48000 -f <format> <url>": the test card at the
 * profile's top rendition size, to be run by a POSIX shell as printed: <url>
 * is one shell word (as it is when it holds only letters, digits and
 * ._~:/@%+=,- as MediaLive's endpoints do; else in single quotes).
 * malloc'd, NULL when out of memory.
 */
char *channel_push_test_card_command(const struct channel_push_target *t,
                                     const struct ladder_profile *profile);

#endif
