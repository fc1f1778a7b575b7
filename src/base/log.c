/* SPDX-License-Identifier: BSD-2-Clause */
#include "base/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/log_format.h"

static void log_stderr_sink(void *ctx, enum log_level level, const char *tag, const char *message)
{
	(void)ctx;
	char line[768];
	log_format_stderr(line, sizeof(line), level, tag, message);
	fprintf(stderr, "%s\n", line);
}

static log_sink_fn log_sink = log_stderr_sink;
static void *log_sink_ctx;
static enum log_level log_threshold = LOG_LEVEL_INFO;

void log_set_sink(log_sink_fn sink, void *ctx)
{
	log_sink = sink ? sink : log_stderr_sink;
	log_sink_ctx = ctx;
}

void log_set_level(enum log_level level)
{
	log_threshold = level;
}

enum log_level log_get_level(void)
{
	return log_threshold;
}

bool log_enabled(enum log_level level)
{
	return level <= log_threshold;
}

const char *log_level_name(enum log_level level)
{
	switch (level) {
	case LOG_LEVEL_ERROR: return "error";
	case LOG_LEVEL_WARN: return "warning";
	case LOG_LEVEL_INFO: return "info";
	case LOG_LEVEL_DEBUG: return "debug";
	}
	return "?";
}

static void log_emit(enum log_level level, const char *tag, const char *prefix,
		     const char *fmt, va_list ap)
{
	char message[512];
	size_t used = 0;
	if (prefix) {
		int n = snprintf(message, sizeof(message), "%s", prefix);
		used = n > 0 ? (size_t)n : 0;
		if (used >= sizeof(message))
			used = sizeof(message) - 1;
	}
	vsnprintf(message + used, sizeof(message) - used, fmt, ap);
	log_sink(log_sink_ctx, level, tag, message);
}

void log_msg(enum log_level level, const char *tag, const char *fmt, ...)
{
	if (!log_enabled(level))
		return;
	va_list ap;
	va_start(ap, fmt);
	log_emit(level, tag, NULL, fmt, ap);
	va_end(ap);
}

void log_limited(struct log_limit *limit, uint64_t now_ms, enum log_level level,
		 const char *tag, const char *fmt, ...)
{
	if (!log_enabled(level))
		return;
	if (!limit->started) {
		limit->started = true;
		limit->tokens = limit->burst;
		limit->last_ms = now_ms;
	}
	if (limit->interval_ms && now_ms > limit->last_ms) {
		uint64_t refill = (now_ms - limit->last_ms) / limit->interval_ms;
		if (refill) {
			uint64_t tokens = limit->tokens + refill;
			limit->tokens = tokens > limit->burst ? limit->burst : (uint32_t)tokens;
			limit->last_ms += refill * limit->interval_ms;
		}
	}
	if (limit->tokens == 0) {
		limit->suppressed++;
		return;
	}
	limit->tokens--;
	char prefix[64] = "";
	if (limit->suppressed) {
		snprintf(prefix, sizeof(prefix), "(%u similar lines suppressed) ", limit->suppressed);
		limit->suppressed = 0;
	}
	va_list ap;
	va_start(ap, fmt);
	log_emit(level, tag, prefix[0] ? prefix : NULL, fmt, ap);
	va_end(ap);
}
