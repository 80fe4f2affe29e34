#include "util/log.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"

static enum log_level current_level = LOG_OFF;

static const char *const level_names[] = {"trace", "debug", "info", "warn", "error"};

static enum log_level log_level_parse(const char *s)
{
    if (!s || !*s)
        return LOG_OFF;
    if (!strcasecmp(s, "TRACE") || !strcasecmp(s, "JSON"))
        return LOG_TRACE;
    if (!strcasecmp(s, "DEBUG"))
        return LOG_DEBUG;
    if (!strcasecmp(s, "INFO"))
        return LOG_INFO;
    if (!strcasecmp(s, "WARN"))
        return LOG_WARN;
    if (!strcasecmp(s, "ERROR"))
        return LOG_ERROR;
    return LOG_OFF;
}

void log_init_from_env(void)
{
    const char *provider = getenv("TF_LOG_PROVIDER");
    current_level = log_level_parse(provider && *provider ? provider : getenv("TF_LOG"));
}

int log_enabled(enum log_level level)
{
    return level < LOG_OFF && level >= current_level;
}

/* hclog wants "2006-01-02T15:04:05.000000Z07:00": exactly six digits. */
static void log_timestamp(char out[40])
{
    struct timeval tv;
    struct tm tm;
    gettimeofday(&tv, NULL);
    gmtime_r(&tv.tv_sec, &tm);
    size_t n = strftime(out, 40, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, 40 - n, ".%06ldZ", (long)tv.tv_usec);
}

static void log_write(enum log_level level, const char *message, va_list kv)
{
    char ts[40];
    log_timestamp(ts);
    cJSON *line = cJSON_CreateObject();
    if (!line)
        return;
    cJSON_AddStringToObject(line, "@level", level_names[level]);
    cJSON_AddStringToObject(line, "@message", message);
    cJSON_AddStringToObject(line, "@module", "lsms");
    cJSON_AddStringToObject(line, "@timestamp", ts);
    for (;;) {
        const char *key = va_arg(kv, const char *);
        if (!key)
            break;
        const char *value = va_arg(kv, const char *);
        cJSON_AddStringToObject(line, key, value ? value : "");
    }
    char *text = cJSON_PrintUnformatted(line);
    cJSON_Delete(line);
    if (!text)
        return;
    struct buf out = {0};
    if (buf_append_str(&out, text) == 0 && buf_append_char(&out, '\n') == 0) {
        ssize_t ignored = write(STDERR_FILENO, out.data, out.len);
        (void)ignored;
    }
    buf_clean_up(&out);
    free(text);
}

void log_kv(enum log_level level, const char *message, ...)
{
    if (!log_enabled(level))
        return;
    va_list ap;
    va_start(ap, message);
    log_write(level, message, ap);
    va_end(ap);
}

static void log_write_plain(enum log_level level, const char *message, ...)
{
    va_list ap;
    va_start(ap, message);
    log_write(level, message, ap);
    va_end(ap);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
    if (!log_enabled(level))
        return;
    struct buf msg = {0};
    va_list ap;
    va_start(ap, fmt);
    int rc = buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    if (rc == 0)
        log_write_plain(level, msg.data, (const char *)NULL);
    buf_clean_up(&msg);
}
