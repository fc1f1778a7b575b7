/* SPDX-License-Identifier: BSD-2-Clause */
/* The Prometheus text exposition format, version 0.0.4: a family is a
 * "# HELP" and a "# TYPE" line, then its samples, one per line:
 *
 *   # HELP openpptp_sessions Sessions by state.
 *   # TYPE openpptp_sessions gauge
 *   openpptp_sessions{state="up"} 12
 *
 * A writer over a caller's buffer: when it fills up, `full` is set and
 * the rest is skipped, so the caller grows the buffer and renders again.
 * Label values here are our own words (states, causes, methods), never
 * wire text, so no escaping is needed. */
#ifndef OPENPPTP_DAEMON_METRICS_TEXT_H
#define OPENPPTP_DAEMON_METRICS_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define METRICS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

struct metrics_text {
	char *buf;
	size_t cap;
	size_t len;
	bool full;
};

void metrics_text_init(struct metrics_text *t, char *buf, size_t cap);

/* type: "counter", "gauge" or "histogram". */
void metrics_family(struct metrics_text *t, const char *name, const char *type, const char *help);
/* labels: "" or `state="up",mode="x"` (without the braces). */
void metrics_sample(struct metrics_text *t, const char *name, const char *labels, uint64_t value);
void metrics_sample_real(struct metrics_text *t, const char *name, const char *labels, double value);

/* A whole family with one unlabelled sample. */
void metrics_counter(struct metrics_text *t, const char *name, const char *help, uint64_t value);
void metrics_gauge(struct metrics_text *t, const char *name, const char *help, uint64_t value);

/* A histogram: counts[i] observations <= bounds[i] (not cumulative), for
 * i < nbounds, and counts[nbounds] above the last bound; sum in the unit
 * of the bounds. Writes _bucket (cumulative, le="+Inf" last), _sum, _count. */
void metrics_histogram(struct metrics_text *t, const char *name, const char *help, const double *bounds,
		       size_t nbounds, const uint64_t *counts, double sum);

#endif
