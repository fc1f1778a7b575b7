/* SPDX-License-Identifier: BSD-2-Clause */
#include "server/status_format.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/error.h"

struct text_out {
	char *buf;
	size_t cap;
	size_t len;
	bool full;
};

static void out_printf(struct text_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void out_printf(struct text_out *o, const char *fmt, ...)
{
	if (o->full)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= o->cap - o->len) {
		o->full = true;
		return;
	}
	o->len += (size_t)n;
}

static void out_char(struct text_out *o, char c)
{
	if (o->full)
		return;
	if (o->cap - o->len < 2) { /* the char and the NUL out_finish adds */
		o->full = true;
		return;
	}
	o->buf[o->len++] = c;
}

/* JSON string body: escape quotes, backslashes and control characters
 * (user names come from the wire). Plain characters are copied one by one
 * rather than through vsnprintf: at 10,000 sessions a formatted call per
 * character was a good part of the event loop's stall while answering. */
static void out_json_string(struct text_out *o, const char *s)
{
	out_char(o, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			out_printf(o, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			out_printf(o, "\\u%04x", *p);
		else
			out_char(o, (char)*p);
	}
	out_char(o, '"');
}

void ipv4_to_text(uint32_t addr, char out[16])
{
	snprintf(out, 16, "%u.%u.%u.%u", addr >> 24, (addr >> 16) & 0xff, (addr >> 8) & 0xff, addr & 0xff);
}

static int out_finish(struct text_out *o)
{
	if (o->full || o->cap == 0)
		return ERR_NOSPACE;
	o->buf[o->len] = '\0';
	return (int)o->len;
}

/* Printable copy of a wire-supplied name for the table (no escapes there). */
static void printable(const char *in, char *out, size_t cap)
{
	size_t n = 0;
	for (; *in && n + 1 < cap; in++)
		out[n++] = ((unsigned char)*in < 0x20 || *in == 0x7f) ? '?' : *in;
	out[n] = '\0';
}

int status_format_table_head(char *out, size_t cap, const struct status_header *h)
{
	struct text_out o = { .buf = out, .cap = cap };
	out_printf(&o, "openpptp %s, up %llus, %u/%u sessions, %u control connections\n", h->version,
		   (unsigned long long)h->uptime_s, h->sessions, h->max_sessions, h->control_connections);
	out_printf(&o, "loop: worst stall %llu us (%llu us since the last status), %llu of %llu iterations over 10 ms\n",
		   (unsigned long long)h->loop_worst_stall_us, (unsigned long long)h->loop_recent_stall_us,
		   (unsigned long long)h->loop_stalls_over_10ms, (unsigned long long)h->loop_iterations);
	out_printf(&o, "%-20s %-15s %-15s %-11s %8s %-12s %-10s %12s %12s %s\n", "USER", "PEER", "TUNNEL",
		   "CALL", "UPTIME", "AUTH", "MPPE", "TX", "RX", "GRE lost/reord/dup/late");
	return out_finish(&o);
}

int status_format_table_row(char *out, size_t cap, const struct session_snapshot *s)
{
	struct text_out o = { .buf = out, .cap = cap };
	char peer[16], tunnel[16], user[21], calls[12], mppe[24];
	ipv4_to_text(s->peer_address, peer);
	if (s->tunnel_address)
		ipv4_to_text(s->tunnel_address, tunnel);
	else
		snprintf(tunnel, sizeof(tunnel), "-");
	printable(s->user[0] ? s->user : "-", user, sizeof(user));
	snprintf(calls, sizeof(calls), "%u/%u", s->local_call_id, s->peer_call_id);
	if (s->mppe_bits)
		snprintf(mppe, sizeof(mppe), "%u%s", s->mppe_bits, s->mppe_stateless ? " sless" : " sful");
	else
		snprintf(mppe, sizeof(mppe), "none");
	out_printf(&o, "%-20s %-15s %-15s %-11s %7llus %-12s %-10s %12llu %12llu %llu/%llu/%llu/%llu\n", user, peer,
		   tunnel, calls, (unsigned long long)s->uptime_s, s->auth[0] ? s->auth : "-", mppe,
		   (unsigned long long)s->tx_bytes, (unsigned long long)s->rx_bytes, (unsigned long long)s->gre_lost,
		   (unsigned long long)s->gre_reordered, (unsigned long long)s->gre_duplicate,
		   (unsigned long long)s->gre_late);
	return out_finish(&o);
}

int status_format_json_head(char *out, size_t cap, const struct status_header *h)
{
	struct text_out o = { .buf = out, .cap = cap };
	out_printf(&o, "{\"version\":");
	out_json_string(&o, h->version);
	out_printf(&o, ",\"uptime_s\":%llu,\"sessions\":%u,\"max_sessions\":%u,\"control_connections\":%u,"
		   "\"gre_socket_drops\":%llu,",
		   (unsigned long long)h->uptime_s, h->sessions, h->max_sessions, h->control_connections,
		   (unsigned long long)h->gre_socket_drops);
	out_printf(&o, "\"loop\":{\"iterations\":%llu,\"worst_stall_us\":%llu,\"recent_worst_stall_us\":%llu,"
		   "\"stalls_over_10ms\":%llu},\"list\":[",
		   (unsigned long long)h->loop_iterations, (unsigned long long)h->loop_worst_stall_us,
		   (unsigned long long)h->loop_recent_stall_us, (unsigned long long)h->loop_stalls_over_10ms);
	return out_finish(&o);
}

int status_format_json_row(char *out, size_t cap, const struct session_snapshot *s, bool first)
{
	struct text_out o = { .buf = out, .cap = cap };
	char peer[16], tunnel[16];
	ipv4_to_text(s->peer_address, peer);
	ipv4_to_text(s->tunnel_address, tunnel);
	out_printf(&o, "%s{\"user\":", first ? "" : ",");
	out_json_string(&o, s->user);
	out_printf(&o, ",\"state\":");
	out_json_string(&o, s->state);
	out_printf(&o, ",\"peer\":\"%s\",\"tunnel_address\":", peer);
	if (s->tunnel_address)
		out_printf(&o, "\"%s\"", tunnel);
	else
		out_printf(&o, "null");
	out_printf(&o, ",\"ipv6_prefix\":");
	if (s->ipv6_prefix[0])
		out_json_string(&o, s->ipv6_prefix);
	else
		out_printf(&o, "null");
	out_printf(&o, ",\"local_call_id\":%u,\"peer_call_id\":%u,\"uptime_s\":%llu,\"auth\":", s->local_call_id,
		   s->peer_call_id, (unsigned long long)s->uptime_s);
	out_json_string(&o, s->auth);
	out_printf(&o, ",\"acct_session_id\":");
	out_json_string(&o, s->acct_session_id);
	out_printf(&o, ",\"mppe_bits\":%u,\"mppe_stateless\":%s,"
		   "\"tx_packets\":%llu,\"tx_bytes\":%llu,\"rx_packets\":%llu,\"rx_bytes\":%llu,"
		   "\"gre_lost\":%llu,\"gre_reordered\":%llu,\"gre_duplicate\":%llu,\"gre_late\":%llu,"
		   "\"drop_ip_source\":%llu,\"drop_ip_version\":%llu,\"drop_ip_malformed\":%llu,"
		   "\"icmp_too_big\":%llu,\"fragments\":%llu,\"mss_clamped\":%llu",
		   s->mppe_bits, s->mppe_stateless ? "true" : "false", (unsigned long long)s->tx_packets,
		   (unsigned long long)s->tx_bytes, (unsigned long long)s->rx_packets, (unsigned long long)s->rx_bytes,
		   (unsigned long long)s->gre_lost, (unsigned long long)s->gre_reordered,
		   (unsigned long long)s->gre_duplicate, (unsigned long long)s->gre_late,
		   (unsigned long long)s->drop_ip_source, (unsigned long long)s->drop_ip_version,
		   (unsigned long long)s->drop_ip_malformed, (unsigned long long)s->icmp_too_big,
		   (unsigned long long)s->fragments, (unsigned long long)s->mss_clamped);
	out_printf(&o, ",\"mppe_lost\":%llu,\"mppe_resets_sent\":%llu,\"mppe_recovered\":%llu,"
		   "\"mppe_garbage\":%llu,\"mppe_garbage_resyncs\":%llu,\"mppe_over_budget\":%llu}",
		   (unsigned long long)s->mppe_lost, (unsigned long long)s->mppe_resets_sent,
		   (unsigned long long)s->mppe_recovered, (unsigned long long)s->mppe_garbage,
		   (unsigned long long)s->mppe_garbage_resyncs, (unsigned long long)s->mppe_over_budget);
	return out_finish(&o);
}

/* The whole answer in one buffer: head, rows, tail. */
static int format_all(char *out, size_t cap, const struct status_header *h, const struct session_snapshot *s,
		      size_t count, bool json)
{
	size_t len = 0;
	int n = json ? status_format_json_head(out, cap, h) : status_format_table_head(out, cap, h);
	for (size_t i = 0;; i++) {
		if (n < 0)
			return n;
		len += (size_t)n;
		if (i == count)
			break;
		n = json ? status_format_json_row(out + len, cap - len, &s[i], i == 0)
			 : status_format_table_row(out + len, cap - len, &s[i]);
	}
	if (json) {
		if (cap - len < sizeof(STATUS_JSON_TAIL))
			return ERR_NOSPACE;
		memcpy(out + len, STATUS_JSON_TAIL, sizeof(STATUS_JSON_TAIL));
		len += sizeof(STATUS_JSON_TAIL) - 1;
	}
	return (int)len;
}

int status_format_table(char *out, size_t cap, const struct status_header *h, const struct session_snapshot *s,
			size_t count)
{
	return format_all(out, cap, h, s, count, false);
}

int status_format_json(char *out, size_t cap, const struct status_header *h, const struct session_snapshot *s,
		       size_t count)
{
	return format_all(out, cap, h, s, count, true);
}
