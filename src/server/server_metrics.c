/* SPDX-License-Identifier: BSD-2-Clause */
/* The server's /metrics body: its counters, the live sessions summed, the
 * daemon core's drop counters and the process's figures (docs/metrics.md
 * lists each family; keep the two in step). */
#include "server/server_metrics.h"

#include <stdio.h>
#include <string.h>

#include "proto/auth/auth_method.h"
#include "server/server_internal.h"

const double server_setup_bounds[SERVER_SETUP_BUCKETS] = { 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30 };

const char *server_refusal_name(enum server_refusal r)
{
	switch (r) {
	case SERVER_REFUSED_SHUTTING_DOWN: return "shutting_down";
	case SERVER_REFUSED_CONNECT_RATE: return "connect_rate";
	case SERVER_REFUSED_NEGOTIATING: return "max_negotiating";
	case SERVER_REFUSED_NEGOTIATING_SOURCE: return "max_negotiating_per_source";
	case SERVER_REFUSED_LOGIN_RATE: return "login_failure_rate";
	case SERVER_REFUSED_MAX_SESSIONS: return "max_sessions";
	case SERVER_REFUSED_MAX_SESSIONS_PER_USER: return "max_sessions_per_user";
	case SERVER_REFUSED_NO_ADDRESS: return "no_address";
	case SERVER_REFUSED_COUNT: break;
	}
	return "?";
}

/* ppp_link_stats is uint64_t counters only: add them as an array. */
_Static_assert(sizeof(struct ppp_link_stats) % sizeof(uint64_t) == 0, "ppp_link_stats holds uint64_t only");

static void link_stats_add(struct ppp_link_stats *sum, const struct ppp_link_stats *more)
{
	uint64_t *to = (uint64_t *)sum;
	const uint64_t *from = (const uint64_t *)more;
	for (size_t i = 0; i < sizeof(*sum) / sizeof(uint64_t); i++)
		to[i] += from[i];
}

void server_link_totals_add(struct server_link_totals *sum, const struct tunnel_call_info *info)
{
	link_stats_add(&sum->link, &info->link);
	sum->gre_lost += info->gre_lost;
	sum->gre_reordered += info->gre_reordered;
	sum->gre_duplicate += info->gre_duplicate;
	sum->gre_late += info->gre_late;
}

void server_counters_link_down(struct server_counters *c, enum ppp_link_cause cause, bool was_up)
{
	if (!was_up && (unsigned)cause < SERVER_FAILURE_COUNT)
		c->setup_failures[cause]++;
	if (cause == PPP_CAUSE_AUTH_FAILED)
		c->auth_failures++;
	else if (cause == PPP_CAUSE_ECHO_TIMEOUT)
		c->echo_timeouts++;
}

void server_counters_setup_time(struct server_counters *c, uint64_t ms)
{
	double s = (double)ms / 1000.0;
	size_t i = 0;
	while (i < SERVER_SETUP_BUCKETS && s > server_setup_bounds[i])
		i++;
	c->setup_buckets[i]++;
	c->setup_seconds += s;
}

/* ---- what the live sessions say ---- */

#define MPPE_KINDS 7 /* none, then 40/56/128 x stateful/stateless */

struct live_view {
	uint64_t by_state[TUNNEL_CALL_DOWN];
	uint64_t by_auth[AUTH_METHOD_COUNT];
	uint64_t by_mppe[MPPE_KINDS];
	struct server_link_totals totals;
};

static size_t mppe_kind(unsigned bits, bool stateless)
{
	size_t b = bits == 40 ? 1 : bits == 56 ? 2
			    : bits == 128      ? 3
					       : 0;
	return b ? (b - 1) * 2 + 1 + (stateless ? 1 : 0) : 0;
}

static void live_collect(const struct server *s, struct live_view *v)
{
	memset(v, 0, sizeof(*v));
	for (const struct server_conn *c = s->conns; c; c = c->next) {
		for (int i = 0; i < SERVER_CALLS_PER_CONN; i++) {
			const struct server_session *ss = &c->sessions[i];
			if (!ss->in_use || !ss->call)
				continue;
			struct tunnel_call_info info;
			tunnel_call_get_info(ss->call, &info);
			if (info.state < TUNNEL_CALL_DOWN)
				v->by_state[info.state]++;
			server_link_totals_add(&v->totals, &info);
			if (!ss->up)
				continue;
			for (int m = 0; m < AUTH_METHOD_COUNT; m++)
				if (info.auth && strcmp(info.auth, auth_method_name((enum auth_method)m)) == 0)
					v->by_auth[m]++;
			v->by_mppe[mppe_kind(info.mppe_bits, info.mppe_stateless)]++;
		}
	}
}

/* ---- families ---- */

static void labelled(struct metrics_text *t, const char *name, const char *label, const char *value, uint64_t n)
{
	char labels[96];
	snprintf(labels, sizeof(labels), "%s=\"%s\"", label, value);
	metrics_sample(t, name, labels, n);
}

static void render_sessions(const struct server *s, const struct live_view *v, struct metrics_text *t)
{
	metrics_family(t, "openpptp_sessions", "gauge", "Sessions (PPTP calls) by state.");
	for (int st = 0; st < TUNNEL_CALL_DOWN; st++)
		labelled(t, "openpptp_sessions", "state", tunnel_call_state_name((enum tunnel_call_state)st), v->by_state[st]);
	metrics_family(t, "openpptp_sessions_by_auth", "gauge", "Sessions up by authentication method.");
	for (int m = AUTH_METHOD_NONE + 1; m < AUTH_METHOD_COUNT; m++)
		labelled(t, "openpptp_sessions_by_auth", "method", auth_method_name((enum auth_method)m), v->by_auth[m]);
	metrics_family(t, "openpptp_sessions_by_mppe", "gauge", "Sessions up by MPPE key length and mode.");
	static const char *const mppe_labels[MPPE_KINDS] = {
		"bits=\"none\",mode=\"none\"",
		"bits=\"40\",mode=\"stateful\"",
		"bits=\"40\",mode=\"stateless\"",
		"bits=\"56\",mode=\"stateful\"",
		"bits=\"56\",mode=\"stateless\"",
		"bits=\"128\",mode=\"stateful\"",
		"bits=\"128\",mode=\"stateless\"",
	};
	for (size_t k = 0; k < MPPE_KINDS; k++)
		metrics_sample(t, "openpptp_sessions_by_mppe", mppe_labels[k], v->by_mppe[k]);
	metrics_gauge(t, "openpptp_sessions_max", "The --max-sessions limit.", (uint64_t)s->cfg->max_sessions);
	metrics_gauge(t, "openpptp_control_connections", "Control connections (TCP 1723) open.", s->connections);
	metrics_gauge(t, "openpptp_control_connections_negotiating",
		      "Control connections with no session up yet (--max-negotiating counts these).", s->negotiating);
	metrics_counter(t, "openpptp_control_connections_accepted_total", "Control connections accepted.",
			s->counters.connections_accepted);
}

static void render_setups(const struct server *s, struct metrics_text *t)
{
	const struct server_counters *c = &s->counters;
	metrics_counter(t, "openpptp_session_setups_total", "Sessions that came up (IPCP opened).", c->setups);
	metrics_counter(t, "openpptp_sessions_ended_total", "Sessions that were up and ended.", c->sessions_ended);
	metrics_family(t, "openpptp_session_setup_failures_total", "counter",
		       "Sessions that ended before coming up, by cause.");
	for (unsigned i = PPP_CAUSE_NONE + 1; i < SERVER_FAILURE_COUNT; i++)
		labelled(t, "openpptp_session_setup_failures_total", "cause",
			 i == SERVER_FAILURE_SETUP_TIMEOUT ? "setup-timeout" : ppp_link_cause_name((enum ppp_link_cause)i),
			 c->setup_failures[i]);
	metrics_histogram(t, "openpptp_session_setup_seconds",
			  "Time from the call being placed (Outgoing-Call-Request) to IPCP up.", server_setup_bounds,
			  SERVER_SETUP_BUCKETS, c->setup_buckets, c->setup_seconds);
	metrics_counter(t, "openpptp_auth_failures_total", "Logins refused: wrong password, unknown user.",
			c->auth_failures);
	metrics_counter(t, "openpptp_lcp_echo_timeouts_total", "Sessions dropped for unanswered LCP echoes.",
			c->echo_timeouts);
	metrics_family(t, "openpptp_refused_total", "counter",
		       "Connections, logins and addresses refused by a limit, by reason.");
	for (int r = 0; r < SERVER_REFUSED_COUNT; r++)
		labelled(t, "openpptp_refused_total", "reason", server_refusal_name((enum server_refusal)r), c->refused[r]);
}

static void render_traffic(const struct server *s, const struct server_link_totals *sum, struct metrics_text *t)
{
	const struct ppp_link_stats *l = &sum->link;
	metrics_family(t, "openpptp_ip_bytes_total", "counter", "IP bytes through the tunnels (in: from clients).");
	labelled(t, "openpptp_ip_bytes_total", "direction", "in", l->ip_rx_bytes);
	labelled(t, "openpptp_ip_bytes_total", "direction", "out", l->ip_tx_bytes);
	metrics_family(t, "openpptp_ip_packets_total", "counter", "IP packets through the tunnels (in: from clients).");
	labelled(t, "openpptp_ip_packets_total", "direction", "in", l->ip_rx_packets);
	labelled(t, "openpptp_ip_packets_total", "direction", "out", l->ip_tx_packets);
	metrics_counter(t, "openpptp_gre_lost_total", "GRE packets never received (sequence gaps).", sum->gre_lost);
	metrics_counter(t, "openpptp_gre_reordered_total", "GRE packets received out of order and put back in order.",
			sum->gre_reordered);
	metrics_counter(t, "openpptp_gre_duplicated_total", "GRE packets received twice.", sum->gre_duplicate);
	metrics_counter(t, "openpptp_gre_late_total", "GRE packets received after their gap was given up.",
			sum->gre_late);
	metrics_family(t, "openpptp_gre_dropped_total", "counter", "GRE packets dropped before any session, by reason.");
	static const char *const gre_reasons[DAEMON_GRE_DROP_COUNT] = { "unreadable", "no_memory", "malformed",
									"no_call", "wrong_peer" };
	for (int r = 0; r < DAEMON_GRE_DROP_COUNT; r++)
		labelled(t, "openpptp_gre_dropped_total", "reason", gre_reasons[r], s->gre.stats.dropped[r]);
	metrics_family(t, "openpptp_tun_dropped_total", "counter", "Packets from the TUN dropped, by reason.");
	static const char *const tun_reasons[DAEMON_TUN_DROP_COUNT] = { "not_ipv4", "no_session", "no_memory",
									"write_failed", "offload" };
	for (int r = 0; r < DAEMON_TUN_DROP_COUNT; r++)
		labelled(t, "openpptp_tun_dropped_total", "reason", tun_reasons[r], s->tun.stats.dropped[r]);
	metrics_family(t, "openpptp_ip_dropped_total", "counter", "Packets dropped inside sessions, by reason.");
	labelled(t, "openpptp_ip_dropped_total", "reason", "not_up", l->dropped_not_up);
	labelled(t, "openpptp_ip_dropped_total", "reason", "unencrypted", l->dropped_unencrypted);
	labelled(t, "openpptp_ip_dropped_total", "reason", "inner_protocol", l->dropped_inner_protocol);
	labelled(t, "openpptp_ip_dropped_total", "reason", "too_long", l->dropped_too_long);
	labelled(t, "openpptp_ip_dropped_total", "reason", "ip_malformed", l->dropped_ip_malformed);
	labelled(t, "openpptp_ip_dropped_total", "reason", "ip_version", l->dropped_ip_version);
	labelled(t, "openpptp_ip_dropped_total", "reason", "ip_source", l->dropped_ip_source);
	labelled(t, "openpptp_ip_dropped_total", "reason", "ppp_malformed", l->frames_malformed);
	metrics_family(t, "openpptp_mppe_resets_total", "counter", "MPPE CCP Reset-Requests (RFC 3078 §7), by direction.");
	labelled(t, "openpptp_mppe_resets_total", "direction", "sent", l->mppe_resets_sent);
	labelled(t, "openpptp_mppe_resets_total", "direction", "received", l->mppe_resets_received);
	metrics_counter(t, "openpptp_mppe_discards_total", "MPPE packets that could not be decrypted and were dropped.",
			l->mppe_rx_errors);
	metrics_counter(t, "openpptp_mppe_over_budget_total",
			"MPPE catch-ups or resync searches refused: over the per-second key-change budget.",
			l->mppe_over_budget);
	metrics_counter(t, "openpptp_ccp_terminate_acks_total",
			"CCP Terminate-Acks sent for compressed data while our CCP was not Opened.",
			l->ccp_term_acks_sent);
	metrics_counter(t, "openpptp_icmp_too_big_total", "ICMP too-big answers for packets above a session's MTU.",
			l->icmp_too_big_sent);
	metrics_counter(t, "openpptp_mss_clamped_total", "TCP SYNs whose MSS was lowered.", l->mss_clamped);
}

static void render_process(const struct server *s, struct metrics_text *t)
{
	struct proc_self_stats p;
	proc_self_read(&s->proc, &p);
	metrics_family(t, "process_cpu_seconds_total", "counter", "User and system CPU time of the main process.");
	metrics_sample_real(t, "process_cpu_seconds_total", "", p.cpu_seconds);
	if (p.has_rss)
		metrics_gauge(t, "process_resident_memory_bytes", "Resident memory of the main process.", p.rss_bytes);
	if (p.has_fds)
		metrics_gauge(t, "process_open_fds", "Open file descriptors of the main process.", p.open_fds);
	if (s->proc.max_fds)
		metrics_gauge(t, "process_max_fds", "The descriptor limit (RLIMIT_NOFILE).", s->proc.max_fds);
	metrics_family(t, "process_start_time_seconds", "gauge", "Start time, seconds since the epoch.");
	metrics_sample_real(t, "process_start_time_seconds", "", s->proc.start_time_s);
	metrics_family(t, "openpptp_build_info", "gauge", "The version running (always 1).");
	metrics_sample(t, "openpptp_build_info", "version=\"" OPENPPTP_VERSION "\"", 1);
	metrics_counter(t, "openpptp_metrics_scrapes_total", "Answers to GET /metrics.", s->metrics.scrapes);
	metrics_family(t, "openpptp_metrics_refused_total", "counter", "Metrics requests refused, by reason.");
	for (int r = 0; r < METRICS_REFUSED_COUNT; r++)
		labelled(t, "openpptp_metrics_refused_total", "reason", metrics_refusal_name((enum metrics_refusal)r),
			 s->metrics.refused[r]);
	metrics_family(t, "openpptp_metrics_render_seconds", "gauge", "How long the previous /metrics body took to build.");
	metrics_sample_real(t, "openpptp_metrics_render_seconds", "", (double)s->metrics.last_render_us / 1e6);
}

void server_metrics_render(void *ctx, struct metrics_text *t)
{
	const struct server *s = ctx;
	struct live_view v;
	live_collect(s, &v);
	struct server_link_totals sum = s->counters.closed;
	link_stats_add(&sum.link, &v.totals.link);
	sum.gre_lost += v.totals.gre_lost;
	sum.gre_reordered += v.totals.gre_reordered;
	sum.gre_duplicate += v.totals.gre_duplicate;
	sum.gre_late += v.totals.gre_late;
	render_sessions(s, &v, t);
	render_setups(s, t);
	render_traffic(s, &sum, t);
	render_process(s, t);
}
