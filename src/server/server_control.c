/* SPDX-License-Identifier: BSD-2-Clause */
/* The control socket's requests: one request line per connection, one
 * answer (the I/O is server_control_io.c).
 *   status        the session table
 *   status json   the same as JSON
 *   kick WHO      close the sessions of user WHO or tunnel address WHO */
#include "server/server_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/error.h"
#include "config/ipv4.h"
#include "server/control_request.h"
#include "server/status_format.h"
#include "server/status_stream.h"

static size_t server_snapshots(struct server *s, struct session_snapshot *out, size_t max)
{
	size_t n = 0;
	uint64_t now = sys_now_ms();
	for (struct server_conn *c = s->conns; c && n < max; c = c->next) {
		for (int i = 0; i < SERVER_CALLS_PER_CONN && n < max; i++) {
			struct server_session *ss = &c->sessions[i];
			if (!ss->in_use || !ss->call)
				continue;
			struct tunnel_call_info info;
			tunnel_call_get_info(ss->call, &info);
			struct session_snapshot *snap = &out[n++];
			memset(snap, 0, sizeof(*snap));
			snprintf(snap->user, sizeof(snap->user), "%s", info.user ? info.user : "");
			snprintf(snap->state, sizeof(snap->state), "%s", tunnel_call_state_name(info.state));
			snprintf(snap->auth, sizeof(snap->auth), "%s", info.auth ? info.auth : "");
			snprintf(snap->acct_session_id, sizeof(snap->acct_session_id), "%s", ss->acct_session_id);
			snap->peer_address = c->peer;
			snap->tunnel_address = ss->address;
			if (ss->subnet6) {
				uint8_t prefix[16];
				char text[IPV6_STR_MAX];
				ipv6_pool_subnet(&s->pool6, ss->subnet6, prefix);
				snprintf(snap->ipv6_prefix, sizeof(snap->ipv6_prefix), "%s/64", ipv6_format(prefix, text));
			}
			snap->local_call_id = info.local_call_id;
			snap->peer_call_id = info.peer_call_id;
			snap->uptime_s = ss->up ? (now - ss->up_since) / 1000 : 0;
			snap->mppe_bits = info.mppe_bits;
			snap->mppe_stateless = info.mppe_stateless;
			snap->tx_packets = info.link.ip_tx_packets;
			snap->tx_bytes = info.link.ip_tx_bytes;
			snap->rx_packets = info.link.ip_rx_packets;
			snap->rx_bytes = info.link.ip_rx_bytes;
			snap->gre_lost = info.gre_lost;
			snap->gre_reordered = info.gre_reordered;
			snap->gre_duplicate = info.gre_duplicate;
			snap->gre_late = info.gre_late;
			snap->drop_ip_source = info.link.dropped_ip_source;
			snap->drop_ip_version = info.link.dropped_ip_version;
			snap->drop_ip_malformed = info.link.dropped_ip_malformed;
			snap->icmp_too_big = info.link.icmp_too_big_sent;
			snap->fragments = info.link.fragments_sent;
			snap->mss_clamped = info.link.mss_clamped;
			snap->mppe_lost = info.link.mppe_lost;
			snap->mppe_resets_sent = info.link.mppe_resets_sent;
			snap->mppe_recovered = info.link.mppe_recovered;
			snap->mppe_garbage = info.link.mppe_garbage;
			snap->mppe_garbage_resyncs = info.link.mppe_garbage_resyncs;
			snap->mppe_over_budget = info.link.mppe_over_budget;
		}
	}
	return n;
}

static int server_kick(struct server *s, const char *who)
{
	uint32_t addr = 0;
	bool by_addr = ipv4_parse(who, &addr) == 0;
	int kicked = 0;
	for (struct server_conn *c = s->conns; c; c = c->next) {
		for (int i = 0; i < SERVER_CALLS_PER_CONN; i++) {
			struct server_session *ss = &c->sessions[i];
			if (!ss->in_use || !ss->call || c->dead)
				continue;
			struct tunnel_call_info info;
			tunnel_call_get_info(ss->call, &info);
			if ((by_addr && ss->address == addr) || (!by_addr && info.user && strcmp(info.user, who) == 0)) {
				log_msg(LOG_LEVEL_INFO, c->tag, "kicked by the administrator");
				ss->term_cause = ACCT_CAUSE_ADMIN_RESET;
				daemon_tunnel_call_close(&c->dt, ss->call, "Kicked by the administrator", sys_now_ms());
				kicked++;
			}
		}
	}
	return kicked;
}

/* `status` / `status json`: one snapshot of every session now, written
 * out a part at a time by status_stream (the loop is not held while a
 * 10,000-session answer is formatted and read). */
void server_status_answer(struct server *s, int fd, bool json)
{
	size_t max = s->connections * SERVER_CALLS_PER_CONN + 1;
	struct session_snapshot *snaps = calloc(max, sizeof(*snaps));
	if (!snaps) {
		close(fd);
		return;
	}
	size_t count = server_snapshots(s, snaps, max);
	struct status_header h = { .uptime_s = (sys_now_ms() - s->started_ms) / 1000,
				   .sessions = s->sessions_up,
				   .max_sessions = (uint32_t)s->cfg->max_sessions,
				   .control_connections = s->connections,
				   .gre_socket_drops = s->gre.stats.socket_drops,
				   .loop_iterations = s->loop->iterations,
				   .loop_worst_stall_us = s->loop->stall_worst_us,
				   .loop_recent_stall_us = loop_take_recent_stall(s->loop),
				   .loop_stalls_over_10ms = s->loop->stalls_over_10ms };
	snprintf(h.version, sizeof(h.version), "%s", OPENPPTP_VERSION);
	char trailer[512];
	const struct daemon_gre_stats *g = &s->gre.stats;
	const struct daemon_tun_stats *t = &s->tun.stats;
	snprintf(trailer, sizeof(trailer),
		 "GRE dropped: %llu foreign, %llu malformed, %llu unreadable, %llu no memory\n"
		 "TUN dropped: %llu no session, %llu not IPv4, %llu no memory, %llu write failed, %llu offload\n"
		 "TUN offload: %s, %llu super-packets cut into %llu segments, %llu segments merged into %llu\n",
		 (unsigned long long)daemon_gre_foreign(g), (unsigned long long)g->dropped[DAEMON_GRE_DROP_MALFORMED],
		 (unsigned long long)g->dropped[DAEMON_GRE_DROP_UNREADABLE],
		 (unsigned long long)g->dropped[DAEMON_GRE_DROP_NO_MEMORY],
		 (unsigned long long)t->dropped[DAEMON_TUN_DROP_NO_SESSION],
		 (unsigned long long)t->dropped[DAEMON_TUN_DROP_NOT_IPV4],
		 (unsigned long long)t->dropped[DAEMON_TUN_DROP_NO_MEMORY],
		 (unsigned long long)t->dropped[DAEMON_TUN_DROP_WRITE],
		 (unsigned long long)t->dropped[DAEMON_TUN_DROP_OFFLOAD], s->tun.dev.vnet_hdr ? "on" : "off",
		 (unsigned long long)t->gso_reads, (unsigned long long)t->gso_segments,
		 (unsigned long long)t->gro_segments, (unsigned long long)t->gro_writes);
	int rc = status_stream_start(&s->status_streams, s->loop, fd, json, &h, snaps, count, json ? NULL : trailer);
	if (rc < 0)
		log_limited(&s->log_limit, sys_now_ms(), LOG_LEVEL_WARN, SERVER_TAG, "status request dropped: %s",
			    error_name(rc));
}

char *server_control_answer(struct server *s, const char *request, size_t *len)
{
	*len = 0;
	struct control_request req;
	enum control_request_kind kind = control_request_parse(request, strlen(request), &req);
	char *answer = malloc(256);
	if (!answer)
		return NULL;
	int n;
	if (kind == CONTROL_REQUEST_KICK) {
		int kicked = server_kick(s, req.who);
		n = snprintf(answer, 256, kicked ? "kicked %d session(s)\n" : "no session matches\n", kicked);
	} else {
		n = snprintf(answer, 256, "error: unknown request\n");
	}
	if (n <= 0 || n >= 256) {
		free(answer);
		return NULL;
	}
	*len = (size_t)n;
	return answer;
}
