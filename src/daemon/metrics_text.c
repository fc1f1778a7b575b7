/* SPDX-License-Identifier: BSD-2-Clause */
/* Prometheus text format 0.0.4 writer (daemon/metrics_text.h). */
#include "daemon/metrics_text.h"

#include <stdarg.h>
#include <stdio.h>

void metrics_text_init(struct metrics_text *t, char *buf, size_t cap)
{
	t->buf = buf;
	t->cap = cap;
	t->len = 0;
	t->full = cap == 0;
	if (cap)
		buf[0] = '\0';
}

static void put(struct metrics_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct metrics_text *t, const char *fmt, ...)
{
	if (t->full)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= t->cap - t->len) {
		t->full = true;
		t->buf[t->len] = '\0';
		return;
	}
	t->len += (size_t)n;
}

void metrics_family(struct metrics_text *t, const char *name, const char *type, const char *help)
{
	put(t, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

void metrics_sample(struct metrics_text *t, const char *name, const char *labels, uint64_t value)
{
	if (labels && labels[0])
		put(t, "%s{%s} %llu\n", name, labels, (unsigned long long)value);
	else
		put(t, "%s %llu\n", name, (unsigned long long)value);
}

void metrics_sample_real(struct metrics_text *t, const char *name, const char *labels, double value)
{
	if (labels && labels[0])
		put(t, "%s{%s} %.6g\n", name, labels, value);
	else
		put(t, "%s %.6g\n", name, value);
}

void metrics_counter(struct metrics_text *t, const char *name, const char *help, uint64_t value)
{
	metrics_family(t, name, "counter", help);
	metrics_sample(t, name, "", value);
}

void metrics_gauge(struct metrics_text *t, const char *name, const char *help, uint64_t value)
{
	metrics_family(t, name, "gauge", help);
	metrics_sample(t, name, "", value);
}

void metrics_histogram(struct metrics_text *t, const char *name, const char *help, const double *bounds,
		       size_t nbounds, const uint64_t *counts, double sum)
{
	metrics_family(t, name, "histogram", help);
	uint64_t cumulative = 0;
	for (size_t i = 0; i < nbounds; i++) {
		cumulative += counts[i];
		put(t, "%s_bucket{le=\"%g\"} %llu\n", name, bounds[i], (unsigned long long)cumulative);
	}
	cumulative += counts[nbounds];
	put(t, "%s_bucket{le=\"+Inf\"} %llu\n", name, (unsigned long long)cumulative);
	put(t, "%s_sum %.6g\n", name, sum);
	put(t, "%s_count %llu\n", name, (unsigned long long)cumulative);
}
