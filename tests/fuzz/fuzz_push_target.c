/*
 * fuzz_push_target - channel_push_target_parse, the string parser behind
 * the provider functions push_target and test_card_command (a MediaLive
 * push endpoint: rtmp[s]://host[:port]/app/stream or rtp://host:port), and
 * channel_push_test_card_command on what it accepts.
 *
 * Input: the endpoint (NUL-terminated copy). Properties:
 * - refused: a reason is given and nothing is left allocated;
 * - accepted: the URL is the input; an RTMP endpoint is exactly
 *   <server>/<stream_key> with a non-empty key holding no '/', the server
 *   keeping the scheme, and <server>/<stream_key> parses back to the same
 *   parts (what OBS is told is what ffmpeg is told); an RTP endpoint has no
 *   server nor key;
 * - the test card command of every encoding profile ends with
 *   "-f <format> <word>" and names the profile's top rendition, where <word>
 *   is the URL as one POSIX shell word: the URL itself when it holds no
 *   character a shell treats specially, else single-quoted, so that the
 *   word, unquoted as a shell does, is the URL and nothing in it runs.
 */
#include "resources/channel/channel_push.h"
#include "resources/ladder.h"
#include "util/buf.h"
#include "fuzz_common.h"

/* The shell word at the end of `cmd` (after its last " -f <format> "),
 * unquoted as a POSIX shell does: plain characters, or '...' spans (no
 * escapes inside) and \' between them. NULL when the tail is not one word
 * of those forms or holds a character a shell would act on unquoted. */
static char *fuzz_shell_word(const char *cmd, const char *format)
{
    struct buf lead = {0};
    FUZZ_ASSERT(buf_printf(&lead, " -f %s ", format) == 0);
    const char *w = strstr(cmd, lead.data);
    FUZZ_ASSERT(w != NULL);
    w += lead.len;
    buf_clean_up(&lead);
    struct buf out = {0};
    FUZZ_ASSERT(buf_append_str(&out, "") == 0);
    while (*w) {
        if (*w == '\'') {
            const char *end = strchr(w + 1, '\'');
            if (!end)
                goto bad;
            for (const char *p = w + 1; p < end; p++)
                FUZZ_ASSERT(buf_append_char(&out, *p) == 0);
            w = end + 1;
        } else if (w[0] == '\\' && w[1] == '\'') {
            FUZZ_ASSERT(buf_append_char(&out, '\'') == 0);
            w += 2;
        } else if ((*w >= 'a' && *w <= 'z') || (*w >= 'A' && *w <= 'Z') ||
                   (*w >= '0' && *w <= '9') || strchr("._~:/@%+=,-", *w)) {
            FUZZ_ASSERT(buf_append_char(&out, *w++) == 0);
        } else {
            goto bad;
        }
    }
    return out.data;
bad:
    buf_clean_up(&out);
    return NULL;
}

static void fuzz_command(const struct channel_push_target *t)
{
    for (size_t i = 0; ladder_profile_at(i); i++) {
        const struct ladder_profile *p = ladder_profile_at(i);
        const struct ladder_rung *rungs;
        size_t n = ladder_profile_rungs(p, &rungs);
        char *cmd = channel_push_test_card_command(t, p);
        FUZZ_ASSERT(cmd != NULL && n > 0);
        struct buf size = {0};
        FUZZ_ASSERT(buf_printf(&size, "size=%dx%d:", rungs[n - 1].width, rungs[n - 1].height) ==
                    0);
        FUZZ_ASSERT(strncmp(cmd, "ffmpeg ", 7) == 0 && strstr(cmd, size.data) != NULL);
        char *word = fuzz_shell_word(cmd, t->ffmpeg_format);
        if (!word || strcmp(word, t->url) != 0)
            fprintf(stderr, "command: %s\nurl: %s\n", cmd, t->url);
        FUZZ_ASSERT(word != NULL && strcmp(word, t->url) == 0);
        free(word);
        buf_clean_up(&size);
        free(cmd);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *endpoint = fuzz_cstring(data, size);
    struct channel_push_target t;
    const char *why = "stale";
    int rc = channel_push_target_parse(endpoint, &t, &why);
    if (rc != 0) {
        FUZZ_ASSERT(rc == -1 && why != NULL);
        FUZZ_ASSERT(t.url == NULL && t.server == NULL && t.stream_key == NULL);
        free(endpoint);
        return 0;
    }
    FUZZ_ASSERT(why == NULL && t.url && strcmp(t.url, endpoint) == 0);
    if (strcmp(t.protocol, "rtp") == 0) {
        FUZZ_ASSERT(strcmp(t.ffmpeg_format, "rtp_mpegts") == 0);
        FUZZ_ASSERT(strncmp(endpoint, "rtp://", 6) == 0);
        FUZZ_ASSERT(t.server == NULL && t.stream_key == NULL);
    } else {
        FUZZ_ASSERT(strcmp(t.protocol, "rtmp") == 0 && strcmp(t.ffmpeg_format, "flv") == 0);
        FUZZ_ASSERT(t.server && t.stream_key && *t.stream_key && !strchr(t.stream_key, '/'));
        FUZZ_ASSERT(strncmp(t.server, "rtmp://", 7) == 0 || strncmp(t.server, "rtmps://", 8) == 0);
        struct buf joined = {0};
        FUZZ_ASSERT(buf_printf(&joined, "%s/%s", t.server, t.stream_key) == 0);
        FUZZ_ASSERT(strcmp(joined.data, endpoint) == 0);
        struct channel_push_target again;
        const char *why2 = NULL;
        FUZZ_ASSERT(channel_push_target_parse(joined.data, &again, &why2) == 0);
        FUZZ_ASSERT(strcmp(again.server, t.server) == 0 &&
                    strcmp(again.stream_key, t.stream_key) == 0);
        channel_push_target_clean_up(&again);
        buf_clean_up(&joined);
    }
    fuzz_command(&t);
    channel_push_target_clean_up(&t);
    FUZZ_ASSERT(t.url == NULL && t.server == NULL && t.stream_key == NULL);
    free(endpoint);
    return 0;
}
