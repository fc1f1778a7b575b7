/* SPDX-License-Identifier: BSD-2-Clause */
/* Logging: one function, levels, a session tag, and a rate limiter for
 * lines that hostile input can trigger. The sink is set by the daemon
 * (stderr or syslog) or by a test that wants to read the lines. */
#ifndef OPENPPTP_BASE_LOG_H
#define OPENPPTP_BASE_LOG_H

#include <stdbool.h>
#include <stdint.h>

enum log_level {
	LOG_LEVEL_ERROR = 0,
	LOG_LEVEL_WARN = 1,
	LOG_LEVEL_INFO = 2,
	LOG_LEVEL_DEBUG = 3,
};

typedef void (*log_sink_fn)(void *ctx, enum log_level level, const char *tag, const char *message);

void log_set_sink(log_sink_fn sink, void *ctx);
void log_set_level(enum log_level level);
enum log_level log_get_level(void);
bool log_enabled(enum log_level level);
const char *log_level_name(enum log_level level);

/* tag names the session or component ("call 4711 peer 192.0.2.11"); may be NULL. */
void log_msg(enum log_level level, const char *tag, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A token bucket per source of hostile-input lines: `burst` lines, then one
 * per `interval_ms`; the number suppressed is reported on the next line. */
struct log_limit {
	uint32_t burst;
	uint32_t interval_ms;
	uint32_t tokens;
	uint32_t suppressed;
	uint64_t last_ms;
	bool started;
};

#define LOG_LIMIT_INIT(burst_, interval_ms_) \
	{ .burst = (burst_), .interval_ms = (interval_ms_) }

void log_limited(struct log_limit *limit, uint64_t now_ms, enum log_level level,
		 const char *tag, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

#endif
