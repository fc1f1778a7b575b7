/* SPDX-License-Identifier: BSD-2-Clause */
#include "load/load_report.h"

#include <stdarg.h>
#include <stdio.h>

static const char *const fail_names[LOAD_FAIL_COUNT] = {
	[LOAD_FAIL_CONNECT] = "connect",
	[LOAD_FAIL_REFUSED] = "refused",
	[LOAD_FAIL_NO_GRE] = "no_gre",
	[LOAD_FAIL_AUTH] = "auth",
	[LOAD_FAIL_MPPE] = "mppe",
	[LOAD_FAIL_PEER_CLOSED] = "peer_closed",
	[LOAD_FAIL_LINK] = "link",
	[LOAD_FAIL_TIMEOUT] = "setup_timeout",
	[LOAD_FAIL_LOCAL] = "local",
	[LOAD_FAIL_DROPPED] = "dropped",
	[LOAD_FAIL_UNFINISHED] = "unfinished",
};

const char *load_fail_name(enum load_fail f)
{
	return (unsigned)f < LOAD_FAIL_COUNT ? fail_names[f] : "unknown";
}

/* An appender that keeps counting past the end, like snprintf. */
struct out {
	char *buf;
	size_t cap, len;
};

__attribute__((format(printf, 2, 3))) static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t room = o->len < o->cap ? o->cap - o->len : 0;
	int n = vsnprintf(room ? o->buf + o->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

static size_t finish(struct out *o)
{
	if (o->cap)
		o->buf[o->len < o->cap ? o->len : o->cap - 1] = '\0';
	return o->len;
}

static double ms(uint32_t us)
{
	return us / 1000.0;
}

size_t load_progress_format(const struct load_progress *p, char *buf, size_t cap)
{
	struct out o = { buf, cap, 0 };
	put(&o, "%5.0f s  up %u  negotiating %u  failed %u  done %u  %.0f setups/s  p50 %.1f ms  p99 %.1f ms",
	    p->elapsed_s, p->up, p->negotiating, p->failed, p->done, p->setups_per_s, ms(p->p50_us), ms(p->p99_us));
	return finish(&o);
}

uint32_t load_report_failed_total(const struct load_report *r)
{
	uint32_t n = 0;
	for (int i = 0; i < LOAD_FAIL_COUNT; i++)
		n += r->failed[i];
	return n;
}

static void text_summary(struct out *o, const char *what, const struct load_summary *s)
{
	if (s->count == 0) {
		put(o, "%-18s none\n", what);
		return;
	}
	put(o, "%-18s n %llu  min %.2f  p50 %.2f  p90 %.2f  p99 %.2f  max %.2f ms\n", what,
	    (unsigned long long)s->count, ms(s->min), ms(s->p50), ms(s->p90), ms(s->p99), ms(s->max));
}

size_t load_report_text(const struct load_report *r, char *buf, size_t cap)
{
	struct out o = { buf, cap, 0 };
	put(&o, "openpptp load: %s, %u clients at %u/s from %u source address%s (fd limit %llu)\n", r->server,
	    r->clients, r->rate, r->sources, r->sources == 1 ? "" : "es", (unsigned long long)r->fd_limit);
	put(&o, "%-18s %u started, %u up (peak %u at once), %u closed cleanly, %u failed\n", "sessions", r->started,
	    r->up_total, r->up_peak, r->closed_clean, load_report_failed_total(r));
	if (load_report_failed_total(r)) {
		put(&o, "%-18s", "failed by cause");
		for (int i = 0; i < LOAD_FAIL_COUNT; i++)
			if (r->failed[i])
				put(&o, " %s %u", load_fail_name((enum load_fail)i), r->failed[i]);
		put(&o, "\n");
	}
	if (r->redials)
		put(&o, "%-18s %u redials, %u sessions up again (the last at %.2f s)\n", "reconnect", r->redials,
		    r->recovered, r->recovered_at_s);
	put(&o, "%-18s %.1f sessions/s (%u up in %.2f s)\n", "setup rate", r->setup_rate, r->up_total, r->ramp_s);
	text_summary(&o, "handshake", &r->handshake);
	if (r->echo_sent) {
		text_summary(&o, "echo rtt", &r->rtt);
		put(&o, "%-18s %llu sent, %llu answered, %llu lost, %llu corrupt\n", "echoes",
		    (unsigned long long)r->echo_sent, (unsigned long long)r->echo_received,
		    (unsigned long long)r->echo_lost, (unsigned long long)r->echo_corrupt);
	}
	put(&o, "%-18s %.1f s (worst loop stall %.1f ms)\n", "run time", r->duration_s, r->loop_worst_stall_ms);
	return finish(&o);
}

static void json_summary(struct out *o, const char *what, const struct load_summary *s)
{
	put(o, "\"%s\":{\"count\":%llu,\"min_ms\":%.3f,\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f}",
	    what, (unsigned long long)s->count, ms(s->min), ms(s->p50), ms(s->p90), ms(s->p99), ms(s->max));
}

size_t load_report_json(const struct load_report *r, char *buf, size_t cap)
{
	struct out o = { buf, cap, 0 };
	/* r->server is an address we formatted: no character needs escaping. */
	put(&o, "{\"server\":\"%s\",\"clients\":%u,\"rate\":%u,\"sources\":%u,\"fd_limit\":%llu,", r->server,
	    r->clients, r->rate, r->sources, (unsigned long long)r->fd_limit);
	put(&o, "\"started\":%u,\"up\":%u,\"up_peak\":%u,\"closed_clean\":%u,\"failed\":%u,\"failed_by_cause\":{",
	    r->started, r->up_total, r->up_peak, r->closed_clean, load_report_failed_total(r));
	for (int i = 0; i < LOAD_FAIL_COUNT; i++)
		put(&o, "%s\"%s\":%u", i ? "," : "", load_fail_name((enum load_fail)i), r->failed[i]);
	put(&o, "},\"redials\":%u,\"recovered\":%u,\"recovered_at_s\":%.3f", r->redials, r->recovered,
	    r->recovered_at_s);
	put(&o, ",\"setup_rate\":%.1f,\"ramp_s\":%.3f,\"duration_s\":%.3f,\"loop_worst_stall_ms\":%.1f,", r->setup_rate,
	    r->ramp_s, r->duration_s, r->loop_worst_stall_ms);
	json_summary(&o, "handshake", &r->handshake);
	put(&o, ",");
	json_summary(&o, "echo_rtt", &r->rtt);
	put(&o, ",\"echo\":{\"sent\":%llu,\"received\":%llu,\"lost\":%llu,\"corrupt\":%llu},\"gre_foreign\":%llu}\n",
	    (unsigned long long)r->echo_sent, (unsigned long long)r->echo_received, (unsigned long long)r->echo_lost,
	    (unsigned long long)r->echo_corrupt, (unsigned long long)r->gre_foreign);
	return finish(&o);
}
