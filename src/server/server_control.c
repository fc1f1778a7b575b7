/* SPDX-License-Identifier: BSD-2-Clause */
/* The control socket: one request line per connection, one answer.
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
#include "server/status_format.h"
#include "sys/unix_socket.h"

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
			snap->peer_address = c->peer;
			snap->tunnel_address = ss->address;
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
				daemon_tunnel_call_close(&c->dt, ss->call, "Kicked by the administrator", sys_now_ms());
				kicked++;
			}
		}
	}
	return kicked;
}

void server_control_readable(struct loop *loop, struct loop_fd *w, uint32_t events, void *ctx)
{
	struct server *s = ctx;
	(void)loop;
	(void)w;
	(void)events;
	int fd = unix_accept(s->control_fd);
	if (fd < 0)
		return;
	char request[256];
	int n = unix_read_all(fd, request, sizeof(request) - 1);
	if (n <= 0) {
		close(fd);
		return;
	}
	request[n] = '\0';
	request[strcspn(request, "\r\n")] = '\0';

	size_t max = s->connections * SERVER_CALLS_PER_CONN + 1;
	struct session_snapshot *snaps = calloc(max, sizeof(*snaps));
	size_t cap = 4096 + max * 512;
	char *answer = malloc(cap);
	if (!snaps || !answer) {
		free(snaps);
		free(answer);
		close(fd);
		return;
	}
	if (strncmp(request, "status", 6) == 0) {
		size_t count = server_snapshots(s, snaps, max);
		struct status_header h = { .uptime_s = (sys_now_ms() - s->started_ms) / 1000,
					   .sessions = s->sessions_up,
					   .max_sessions = (uint32_t)s->cfg->max_sessions,
					   .control_connections = s->connections };
		snprintf(h.version, sizeof(h.version), "%s", OPENPPTP_VERSION);
		int len = strcmp(request, "status json") == 0 ? status_format_json(answer, cap, &h, snaps, count)
							       : status_format_table(answer, cap, &h, snaps, count);
		if (len > 0) {
			if (strcmp(request, "status json") != 0) {
				const struct daemon_gre_stats *g = &s->gre.stats;
				const struct daemon_tun_stats *t = &s->tun.stats;
				int extra = snprintf(
					answer + len, cap - (size_t)len,
					"GRE dropped: %llu foreign, %llu malformed, %llu unreadable, %llu no memory\n"
					"TUN dropped: %llu no session, %llu not IPv4, %llu no memory, %llu write failed\n",
					(unsigned long long)daemon_gre_foreign(g),
					(unsigned long long)g->dropped[DAEMON_GRE_DROP_MALFORMED],
					(unsigned long long)g->dropped[DAEMON_GRE_DROP_UNREADABLE],
					(unsigned long long)g->dropped[DAEMON_GRE_DROP_NO_MEMORY],
					(unsigned long long)t->dropped[DAEMON_TUN_DROP_NO_SESSION],
					(unsigned long long)t->dropped[DAEMON_TUN_DROP_NOT_IPV4],
					(unsigned long long)t->dropped[DAEMON_TUN_DROP_NO_MEMORY],
					(unsigned long long)t->dropped[DAEMON_TUN_DROP_WRITE]);
				if (extra > 0 && (size_t)extra < cap - (size_t)len)
					len += extra;
			}
			(void)unix_write_all(fd, answer, (size_t)len);
		}
	} else if (strncmp(request, "kick ", 5) == 0) {
		int kicked = server_kick(s, request + 5);
		int len = snprintf(answer, cap, kicked ? "kicked %d session(s)\n" : "no session matches\n", kicked);
		(void)unix_write_all(fd, answer, (size_t)len);
	} else {
		int len = snprintf(answer, cap, "error: unknown request\n");
		(void)unix_write_all(fd, answer, (size_t)len);
	}
	free(snaps);
	free(answer);
	close(fd);
}
