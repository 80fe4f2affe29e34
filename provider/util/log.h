/*
 * log.h - hclog-format JSON lines on stderr.
 *
 * go-plugin parses each stderr line of a provider: a JSON object with
 * "@level", "@message" (a string), "@timestamp" (exactly six fractional
 * digits) and extra key/value pairs. The level comes from TF_LOG_PROVIDER,
 * else TF_LOG (TRACE, DEBUG, INFO, WARN, ERROR, OFF, JSON = TRACE); unset
 * means off, so nothing is formatted at all.
 *
 * Never pass secrets (keys, tokens, passwords, origin secrets) to these
 * functions: log lines are shown to users.
 */
#ifndef LSMS_UTIL_LOG_H
#define LSMS_UTIL_LOG_H

enum log_level { LOG_TRACE = 0, LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR, LOG_OFF };

/* Reads the level from the environment. Call once at start-up; later calls
 * re-read it (tests use that). */
void log_init_from_env(void);
int log_enabled(enum log_level level);
/*
 * Writes one line: `message` plus key/value string pairs, terminated by a
 * NULL key. Example: log_kv(LOG_DEBUG, "aws call", "operation", "PutDashboard",
 * "status", "200", NULL). Thread-safe; each line is written with one write(2).
 */
void log_kv(enum log_level level, const char *message, ...) __attribute__((sentinel));
/* printf-style message with no extra keys. */
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
