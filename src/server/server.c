/* The server daemon: accepts control connections, runs one tunnel engine
 * (PAC role) per connection, and moves packets between the shared TUN, the
 * raw GRE socket and the engines.
 *
 * Demultiplexing (RFC 2637 §4.1: GRE carries the receiver's call ID):
 *   GRE -> by_call[our call ID] -> connection, whose peer address must be the
 *          packet's source (anything else is dropped and counted);
 *   TUN -> addr_map[destination] -> session (connection + call).
 * Call IDs are unique per server (call_ids), so several clients behind one
 * NAT address (same source, different call IDs) work at once. */
#include "server/server_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/crypto.h"
#include "base/error.h"
#include "base/log.h"
#include "config/ppp_policy.h"
#include "proto/gre/gre_header.h"
#include "proto/gre/gre_ipv4.h"
#include "sys/gre_socket.h"
#include "sys/privileges.h"
#include "sys/sys_file.h"
#include "sys/sys_random.h"
#include "sys/tcp.h"
#include "sys/unix_socket.h"

#define SERVER_TAG "server"
#define GRE_BATCH 32

/* ---- connections ---- */

static void on_tunnel_event(struct server_conn *c, const struct tunnel_event *ev);

/* After every tunnel_* call: drain its events (tunnel.h), act on a failed
 * TCP write the sink could only record, and re-arm the timer. */
void server_conn_after_tunnel(struct server_conn *c)
{
	struct tunnel_event ev;
	for (;;) {
		while (tunnel_next_event(c->tunnel, &ev))
			on_tunnel_event(c, &ev);
		if (!c->tcp_overflow || tunnel_is_closed(c->tunnel))
			break;
		tunnel_tcp_closed(c->tunnel, sys_now_ms());
	}
	if (!c->dead)
		loop_timer_set(c->server->loop, &c->timer, tunnel_next_deadline(c->tunnel));
}

static struct server_session *conn_session(struct server_conn *c, const struct tunnel_call *call)
{
	for (int i = 0; i < SERVER_CALLS_PER_CONN; i++)
		if (c->sessions[i].in_use && c->sessions[i].call == call)
			return &c->sessions[i];
	return NULL;
}

static void session_release(struct server *s, struct server_conn *c, struct server_session *ss)
{
	if (!ss->in_use)
		return;
	if (ss->address) {
		addr_map_del(&s->by_address, ss->address);
		if (ss->routed && s->nl_open) {
			struct netlink_route r = { .dst = ss->address, .dst_len = 32, .ifindex = s->tun.ifindex };
			(void)netlink_route_del(&s->nl, &r);
		}
		ip_pool_release(&s->pool, ss->address);
	}
	if (ss->local_call_id && s->by_call[ss->local_call_id] == c)
		s->by_call[ss->local_call_id] = NULL;
	if (ss->up)
		s->sessions_up--;
	memset(ss, 0, sizeof(*ss));
}

static void conn_free_deferred(struct loop *loop, struct loop_deferred *d, void *ctx)
{
	struct server_conn *c = ctx;
	struct server *s = c->server;
	(void)d;
	for (int i = 0; i < SERVER_CALLS_PER_CONN; i++)
		session_release(s, c, &c->sessions[i]);
	for (int i = 0; i < c->pending_count; i++)
		ip_pool_release(&s->pool, c->pending[i]);
	loop_fd_remove(loop, &c->watch);
	loop_timer_cancel(loop, &c->timer);
	loop_timer_cancel(loop, &c->setup_timer);
	if (c->fd >= 0) {
		(void)tcp_out_flush(&c->out, c->fd);
		close(c->fd);
	}
	tcp_out_free(&c->out);
	tunnel_free(c->tunnel);
	if (!c->established)
		s->negotiating--;
	*c->prev_next = c->next;
	if (c->next)
		c->next->prev_next = c->prev_next;
	s->connections--;
	free(c);
	if (s->stopping && !s->conns)
		loop_stop(s->loop);
}

static void conn_kill(struct server_conn *c)
{
	if (c->dead)
		return;
	c->dead = true;
	loop_defer(c->server->loop, &c->free_later, conn_free_deferred, c);
}

static void on_tcp_output(void *ctx, const uint8_t *bytes, size_t len)
{
	struct server_conn *c = ctx;
	if (c->fd < 0)
		return;
	if (c->tcp_overflow)
		return;
	int rc = tcp_out_write(&c->out, c->fd, bytes, len);
	if (rc == ERR_LIMIT) {
		/* A sink never calls into the tunnel: server_conn_after_tunnel
		 * tells it the connection is lost once this call returns. */
		log_msg(LOG_LEVEL_WARN, c->tag, "peer does not read its control connection: dropping it");
		c->tcp_overflow = true;
		return;
	}
	if (tcp_out_pending(&c->out))
		loop_fd_modify(c->server->loop, &c->watch, LOOP_READ | LOOP_WRITE);
}

static void on_gre_output(void *ctx, uint32_t peer, struct pkt *gre_packet)
{
	struct server_conn *c = ctx;
	(void)gre_socket_send(c->server->gre_fd, gre_packet, peer);
	pkt_free(gre_packet);
}

static void on_tun_output(void *ctx, struct tunnel_call *call, struct pkt *ip_packet)
{
	struct server_conn *c = ctx;
	(void)call;
	(void)tun_write(&c->server->tun, ip_packet);
	pkt_free(ip_packet);
}

static int on_call_id_alloc(void *ctx, uint16_t *id)
{
	struct server_conn *c = ctx;
	return call_ids_take(&c->server->call_ids, id);
}

static void on_call_id_free(void *ctx, uint16_t id)
{
	struct server_conn *c = ctx;
	if (c->server->by_call[id] == c)
		c->server->by_call[id] = NULL;
	call_ids_release(&c->server->call_ids, id);
}

static int on_lookup_secret(void *ctx, const char *user, struct ppp_link_secret *out)
{
	struct server_conn *c = ctx;
	struct server *s = c->server;
	if (!source_limit_allow_login(&s->limits, c->peer, sys_now_ms())) {
		log_limited(&s->log_limit, sys_now_ms(), LOG_LEVEL_WARN, c->tag,
			    "too many failed logins from this address: refusing \"%s\"", user);
		return ERR_LIMIT;
	}
	const struct secret_entry *e = secrets_lookup(&s->secrets, user, s->cfg->name);
	if (!e)
		return ERR_NOT_FOUND;
	memset(out, 0, sizeof(*out));
	if (e->kind == SECRET_NTHASH) {
		out->has_nt_hash = true;
		memcpy(out->nt_hash, e->nthash, sizeof(out->nt_hash));
	} else {
		out->has_password = true;
		snprintf(out->password, sizeof(out->password), "%s", e->secret);
	}
	out->static_address = secret_entry_static_ip(e);
	return 0;
}

static uint32_t on_assign_address(void *ctx, const char *user, uint32_t static_address)
{
	struct server_conn *c = ctx;
	struct server *s = c->server;
	if (s->sessions_up + (unsigned)c->pending_count >= (unsigned)s->cfg->max_sessions ||
	    c->pending_count >= SERVER_CALLS_PER_CONN) {
		log_msg(LOG_LEVEL_WARN, c->tag, "max-sessions (%d) reached: no address for \"%s\"", s->cfg->max_sessions,
			user);
		return 0;
	}
	uint32_t addr = static_address;
	int rc;
	if (addr) {
		rc = ip_pool_take(&s->pool, addr);
		if (rc == 0 && addr_map_get(&s->by_address, addr))
			rc = ERR_EXISTS;
	} else {
		rc = ip_pool_take_any(&s->pool, &addr);
	}
	if (rc < 0) {
		log_msg(LOG_LEVEL_WARN, c->tag, "no tunnel address for \"%s\": %s", user,
			rc == ERR_LIMIT ? "pool exhausted" : "its static address is in use");
		return 0;
	}
	c->pending[c->pending_count++] = addr;
	return addr;
}

static void conn_take_pending(struct server_conn *c, uint32_t addr)
{
	for (int i = 0; i < c->pending_count; i++) {
		if (c->pending[i] == addr) {
			c->pending[i] = c->pending[--c->pending_count];
			return;
		}
	}
}

static void on_tunnel_event(struct server_conn *c, const struct tunnel_event *ev)
{
	struct server *s = c->server;
	switch (ev->type) {
	case TUNNEL_EVENT_CONTROL_UP:
		break;
	case TUNNEL_EVENT_CALL_UP:
		for (int i = 0; i < SERVER_CALLS_PER_CONN; i++) {
			if (!c->sessions[i].in_use) {
				c->sessions[i].in_use = true;
				c->sessions[i].call = ev->call;
				c->sessions[i].local_call_id = ev->local_call_id;
				c->sessions[i].conn = c;
				break;
			}
		}
		s->by_call[ev->local_call_id] = c;
		break;
	case TUNNEL_EVENT_AUTHENTICATED:
		if (snprintf(c->tag, sizeof(c->tag), "%s user %s", c->peer_text, ev->link.user[0] ? ev->link.user : "?") >=
		    (int)sizeof(c->tag))
			log_msg(LOG_LEVEL_DEBUG, c->tag, "user name cut in the log tag");
		break;
	case TUNNEL_EVENT_LINK_UP: {
		struct server_session *ss = conn_session(c, ev->call);
		if (!ss)
			break;
		uint32_t addr = ev->link.peer_address;
		conn_take_pending(c, addr);
		ss->address = addr;
		if (addr_map_put(&s->by_address, addr, ss) < 0) {
			log_msg(LOG_LEVEL_ERROR, c->tag, "address already in use: closing");
			ss->address = 0;
			tunnel_call_close(c->tunnel, ev->call, "address in use", sys_now_ms());
			break;
		}
		if (s->nl_open) {
			struct netlink_route r = { .dst = addr, .dst_len = 32, .ifindex = s->tun.ifindex };
			ss->routed = netlink_route_replace(&s->nl, &r) == 0;
		}
		ss->up = true;
		ss->up_since = sys_now_ms();
		s->sessions_up++;
		if (!c->established) {
			c->established = true;
			s->negotiating--;
			loop_timer_cancel(s->loop, &c->setup_timer);
		}
		char a[IPV4_STR_MAX];
		log_msg(LOG_LEVEL_INFO, c->tag, "session up: %s, %s, MPPE %s%s", ipv4_format(addr, a),
			auth_method_name(ev->link.auth), ev->link.mppe_bits ? "" : "none",
			ev->link.mppe_bits == 128 ? "128" : ev->link.mppe_bits == 56 ? "56" : ev->link.mppe_bits == 40 ? "40" : "");
		break;
	}
	case TUNNEL_EVENT_LINK_DOWN:
		if (ev->link.cause == PPP_CAUSE_AUTH_FAILED)
			source_limit_note_failure(&s->limits, c->peer, sys_now_ms());
		break;
	case TUNNEL_EVENT_CALL_DOWN: {
		struct server_session *ss = ev->call ? conn_session(c, ev->call) : NULL;
		if (ss)
			session_release(s, c, ss);
		if (s->by_call[ev->local_call_id] == c)
			s->by_call[ev->local_call_id] = NULL;
		break;
	}
	case TUNNEL_EVENT_CLOSED:
		conn_kill(c);
		break;
	}
}

static void conn_event(struct loop *loop, struct loop_fd *w, uint32_t events, void *ctx)
{
	struct server_conn *c = ctx;
	(void)w;
	if (c->dead)
		return;
	uint64_t now = sys_now_ms();
	if (events & LOOP_WRITE) {
		int rc = tcp_out_flush(&c->out, c->fd);
		if (rc == 0)
			loop_fd_modify(loop, &c->watch, LOOP_READ);
	}
	if (events & (LOOP_READ | LOOP_ERROR)) {
		uint8_t buf[4096];
		for (int i = 0; i < 8 && !c->dead; i++) {
			int n = tcp_read(c->fd, buf, sizeof(buf));
			if (n > 0) {
				tunnel_tcp_input(c->tunnel, buf, (size_t)n, now);
				server_conn_after_tunnel(c);
				continue;
			}
			if (n != ERR_AGAIN) {
				loop_fd_remove(loop, &c->watch);
				tunnel_tcp_closed(c->tunnel, now);
				server_conn_after_tunnel(c);
			}
			break;
		}
	}
}

static void conn_timer(struct loop *loop, struct loop_timer *t, void *ctx)
{
	struct server_conn *c = ctx;
	(void)loop;
	(void)t;
	if (c->dead)
		return;
	tunnel_on_timeout(c->tunnel, sys_now_ms());
	server_conn_after_tunnel(c);
}

/* Slowloris: a connection that has not brought a link up in time goes. */
static void conn_setup_expired(struct loop *loop, struct loop_timer *t, void *ctx)
{
	struct server_conn *c = ctx;
	(void)loop;
	(void)t;
	if (c->dead || c->established)
		return;
	log_limited(&c->server->log_limit, sys_now_ms(), LOG_LEVEL_WARN, c->tag,
		    "no session after %d s: closing the connection", c->server->cfg->setup_timeout);
	tunnel_tcp_closed(c->tunnel, sys_now_ms());
	server_conn_after_tunnel(c);
}

static void server_accept(struct loop *loop, struct loop_fd *w, uint32_t events, void *ctx)
{
	struct server *s = ctx;
	(void)w;
	(void)events;
	for (int i = 0; i < 64; i++) {
		uint32_t peer;
		uint16_t port;
		int fd = tcp_accept(s->listen_fd, &peer, &port);
		if (fd < 0)
			return;
		uint64_t now = sys_now_ms();
		char peer_text[IPV4_STR_MAX];
		ipv4_format(peer, peer_text);
		if (s->stopping || !source_limit_allow_connect(&s->limits, peer, now) ||
		    s->negotiating >= (unsigned)s->cfg->max_negotiating) {
			log_limited(&s->log_limit, now, LOG_LEVEL_WARN, SERVER_TAG,
				    "refused control connection from %s:%u: %s", peer_text, port,
				    s->stopping ? "shutting down"
				    : s->negotiating >= (unsigned)s->cfg->max_negotiating ? "too many connections negotiating"
											   : "connection rate limit");
			close(fd);
			continue;
		}
		struct server_conn *c = calloc(1, sizeof(*c));
		if (!c) {
			close(fd);
			continue;
		}
		c->server = s;
		c->fd = fd;
		c->peer = peer;
		c->peer_port = port;
		snprintf(c->peer_text, sizeof(c->peer_text), "%s:%u", peer_text, port);
		snprintf(c->tag, sizeof(c->tag), "%s", c->peer_text);
		tcp_out_init(&c->out, 64 * 1024);
		loop_fd_init(&c->watch);
		loop_timer_init(&c->timer, conn_timer, c);
		loop_timer_init(&c->setup_timer, conn_setup_expired, c);
		(void)tcp_set_nodelay(fd);
		uint16_t lport;
		if (tcp_local_address(fd, &c->local, &lport) < 0)
			c->local = s->cfg->listen;

		struct tunnel_config tc = { 0 };
		tc.role = PPTP_ROLE_PAC;
		tc.local_ipv4 = c->local;
		tc.peer_ipv4 = peer;
		tc.tag = c->peer_text;
		tc.random = sys_random_source();
		pptp_ctrl_config_defaults(&tc.ctrl, PPTP_ROLE_PAC);
		snprintf(tc.ctrl.hostname, sizeof(tc.ctrl.hostname), "%s", s->cfg->name);
		tc.ctrl.keepalive_interval_ms = (uint32_t)s->cfg->pptp_echo_interval * 1000u;
		tc.ctrl.keepalive_timeout_ms = (uint32_t)s->cfg->pptp_echo_interval * 1000u;
		tc.ctrl.setup_timeout_ms = (uint32_t)s->cfg->setup_timeout * 1000u;
		gre_channel_config_default(&tc.gre);
		ppp_link_config_defaults(&tc.link, PPP_LINK_SERVER);
		tc.link.auth_allowed = s->auth;
		tc.link.mppe = s->mppe;
		tc.link.local_name = s->cfg->name;
		tc.link.local_address = s->cfg->local_ip;
		tc.link.dns[0] = s->dns[0];
		tc.link.dns[1] = s->dns[1];
		tc.link.nbns[0] = s->nbns[0];
		tc.link.nbns[1] = s->nbns[1];
		tc.link.lcp_echo_interval_ms = (uint32_t)s->cfg->lcp_echo_interval * 1000u;
		tc.link.lcp_echo_failures = (uint32_t)s->cfg->lcp_echo_failures;
		tc.link.lookup_secret = on_lookup_secret;
		tc.link.assign_address = on_assign_address;
		tc.ctx = c;
		tc.tcp_output = on_tcp_output;
		tc.gre_output = on_gre_output;
		tc.tun_output = on_tun_output;
		tc.call_id_alloc = on_call_id_alloc;
		tc.call_id_free = on_call_id_free;
		c->tunnel = tunnel_new(&tc, now);
		if (!c->tunnel) {
			tcp_out_free(&c->out);
			close(fd);
			free(c);
			continue;
		}
		c->next = s->conns;
		if (s->conns)
			s->conns->prev_next = &c->next;
		c->prev_next = &s->conns;
		s->conns = c;
		s->connections++;
		s->negotiating++;
		loop_fd_add(loop, &c->watch, fd, LOOP_READ, conn_event, c);
		loop_timer_set(loop, &c->setup_timer, now + (uint64_t)s->cfg->setup_timeout * 1000u);
		log_msg(LOG_LEVEL_INFO, c->tag, "control connection accepted");
		server_conn_after_tunnel(c);
	}
}

/* ---- data path ---- */

static void server_gre_readable(struct loop *loop, struct loop_fd *w, uint32_t events, void *ctx)
{
	struct server *s = ctx;
	(void)loop;
	(void)w;
	(void)events;
	for (int round = 0; round < 64; round++) {
		struct pkt *pkts[GRE_BATCH];
		uint32_t src[GRE_BATCH];
		for (int i = 0; i < GRE_BATCH; i++)
			pkts[i] = pkt_alloc(PKT_SIZE, PKT_HEADROOM);
		int n = gre_socket_recv_batch(s->gre_fd, pkts, src, GRE_BATCH);
		uint64_t now = sys_now_ms();
		for (int i = 0; i < GRE_BATCH; i++) {
			struct pkt *p = pkts[i];
			if (!p)
				continue;
			if (i >= n || p->len == 0) {
				pkt_free(p);
				continue;
			}
			struct gre_ipv4 ip;
			struct gre_header h;
			int rc = gre_ipv4_strip(p, &ip);
			if (rc >= 0)
				rc = gre_header_strip(p, &h);
			if (rc < 0) {
				s->stats.gre_malformed++;
				gre_error_count(&s->stats.gre_errors, rc);
				log_limited(&s->log_limit, now, LOG_LEVEL_WARN, SERVER_TAG, "dropped GRE from %u.%u.%u.%u: %s",
					    src[i] >> 24, (src[i] >> 16) & 0xff, (src[i] >> 8) & 0xff, src[i] & 0xff,
					    error_name(rc));
				pkt_free(p);
				continue;
			}
			struct server_conn *c = s->by_call[h.call_id];
			if (!c || c->dead || c->peer != src[i]) {
				s->stats.gre_foreign++;
				log_limited(&s->log_limit, now, LOG_LEVEL_WARN, SERVER_TAG,
					    "dropped GRE for call %u from %u.%u.%u.%u: %s", h.call_id, src[i] >> 24,
					    (src[i] >> 16) & 0xff, (src[i] >> 8) & 0xff, src[i] & 0xff,
					    c ? "not that call's peer" : "no such call");
				pkt_free(p);
				continue;
			}
			tunnel_gre_input(c->tunnel, &h, p, now);
			server_conn_after_tunnel(c);
		}
		if (n < GRE_BATCH)
			break;
	}
}

static void server_tun_readable(struct loop *loop, struct loop_fd *w, uint32_t events, void *ctx)
{
	struct server *s = ctx;
	(void)loop;
	(void)w;
	(void)events;
	for (int i = 0; i < 256; i++) {
		struct pkt *p = pkt_alloc(PKT_SIZE, PKT_HEADROOM);
		if (!p)
			return;
		int rc = tun_read(&s->tun, p);
		if (rc <= 0) {
			pkt_free(p);
			return;
		}
		const uint8_t *ip = pkt_data(p);
		if (p->len < 20 || (ip[0] >> 4) != 4) {
			pkt_free(p);
			continue;
		}
		uint32_t dst = (uint32_t)ip[16] << 24 | (uint32_t)ip[17] << 16 | (uint32_t)ip[18] << 8 | ip[19];
		struct server_session *ss = addr_map_get(&s->by_address, dst);
		if (!ss || !ss->up || ss->conn->dead) {
			s->stats.tun_no_session++;
			pkt_free(p);
			continue;
		}
		(void)tunnel_send_ip(ss->conn->tunnel, ss->call, p, sys_now_ms());
		server_conn_after_tunnel(ss->conn);
	}
}

/* ---- signals ---- */

static void server_stop_signal(struct loop *loop, int signo, void *ctx)
{
	struct server *s = ctx;
	if (s->stopping) {
		log_msg(LOG_LEVEL_WARN, SERVER_TAG, "signal %d again: exiting now", signo);
		loop_stop(loop);
		return;
	}
	s->stopping = true;
	log_msg(LOG_LEVEL_INFO, SERVER_TAG, "signal %d: closing %u connections", signo, s->connections);
	if (!s->conns) {
		loop_stop(loop);
		return;
	}
	uint64_t now = sys_now_ms();
	for (struct server_conn *c = s->conns; c; c = c->next) {
		if (!c->dead) {
			tunnel_close(c->tunnel, "Server shutting down", now);
			server_conn_after_tunnel(c);
		}
	}
	loop_timer_set(loop, &s->stop_timer, now + 10000);
}

static void server_stop_expired(struct loop *loop, struct loop_timer *t, void *ctx)
{
	(void)t;
	(void)ctx;
	log_msg(LOG_LEVEL_WARN, SERVER_TAG, "connections did not close in time: exiting");
	loop_stop(loop);
}

int server_load_secrets(struct server *s)
{
	char *text;
	size_t len;
	int rc = sys_read_file(s->cfg->secrets, 16 << 20, &text, &len);
	if (rc < 0) {
		log_msg(LOG_LEVEL_ERROR, SERVER_TAG, "cannot read secrets file %s: %s", s->cfg->secrets, error_name(rc));
		return rc;
	}
	struct secrets fresh;
	rc = secrets_parse(&fresh, text, len, s->cfg->secrets);
	crypto_wipe(text, len);
	free(text);
	if (rc < 0) {
		log_msg(LOG_LEVEL_ERROR, SERVER_TAG, "secrets not loaded: %s", fresh.error);
		return rc;
	}
	secrets_free(&s->secrets);
	s->secrets = fresh;
	log_msg(LOG_LEVEL_INFO, SERVER_TAG, "loaded %zu secrets from %s", s->secrets.count, s->cfg->secrets);
	return 0;
}

static void server_reload_signal(struct loop *loop, int signo, void *ctx)
{
	struct server *s = ctx;
	(void)loop;
	(void)signo;
	(void)server_load_secrets(s);
}

/* ---- setup ---- */

static int server_settings(struct server *s, int argc, char **argv)
{
	struct server_config *cfg = s->cfg;
	struct options o;
	if (options_init(&o, &server_option_table, cfg) < 0) {
		fprintf(stderr, "openpptp server: %s\n", options_error(&o));
		return -1;
	}
	const char *positional[1];
	size_t npositional = 0;
	int rc = options_parse_args(&o, argc - 1, argv + 1, positional, 1, &npositional);
	if (rc == OPTIONS_HELP) {
		char help[8192];
		options_help(&server_option_table, help, sizeof(help));
		fputs(help, stdout);
		return 1;
	}
	if (rc == 0 && cfg->config) {
		char *text;
		size_t len;
		rc = sys_read_file(cfg->config, 1 << 20, &text, &len);
		if (rc < 0) {
			fprintf(stderr, "openpptp server: cannot read %s: %s\n", cfg->config, error_name(rc));
			return -1;
		}
		rc = options_parse_ini(&o, text, len, cfg->config);
		free(text);
	}
	if (rc < 0) {
		fprintf(stderr, "openpptp server: %s\n", options_error(&o));
		return -1;
	}
	if (npositional) {
		fprintf(stderr, "openpptp server: unexpected argument '%s'\n", positional[0]);
		return -1;
	}
	if (!options_is_set(&o, "local-ip") || !options_is_set(&o, "pool")) {
		fprintf(stderr, "openpptp server: --local-ip and --pool are required (try --help)\n");
		return -1;
	}
	char err[160];
	if (ppp_policy_parse_auth(cfg->auth, &s->auth, err, sizeof(err)) < 0 ||
	    ppp_policy_parse_mppe(cfg->mppe, &s->mppe, err, sizeof(err)) < 0) {
		fprintf(stderr, "openpptp server: %s\n", err);
		return -1;
	}
	for (size_t i = 0; i < cfg->dns.count && i < 2; i++) {
		if (ipv4_parse(cfg->dns.items[i], &s->dns[i]) < 0) {
			fprintf(stderr, "openpptp server: --dns %s: not an IPv4 address\n", cfg->dns.items[i]);
			return -1;
		}
	}
	for (size_t i = 0; i < cfg->wins.count && i < 2; i++) {
		if (ipv4_parse(cfg->wins.items[i], &s->nbns[i]) < 0) {
			fprintf(stderr, "openpptp server: --wins %s: not an IPv4 address\n", cfg->wins.items[i]);
			return -1;
		}
	}
	if (cfg->local_ip >= cfg->pool.first && cfg->local_ip <= cfg->pool.last) {
		fprintf(stderr, "openpptp server: --local-ip must not be inside --pool\n");
		return -1;
	}
	return 0;
}

int server_main(int argc, char **argv)
{
	struct server_config cfg;
	static struct server s; /* large (by_call), one per process */
	memset(&s, 0, sizeof(s));
	s.cfg = &cfg;
	s.listen_fd = s.gre_fd = s.control_fd = -1;
	int rc = server_settings(&s, argc, argv);
	if (rc != 0)
		return rc > 0 ? 0 : 2;
	log_set_level((enum log_level)cfg.log_level);
	ppp_policy_warn_weak(SERVER_TAG, s.auth, &s.mppe);
	int exit_code = 1;

	struct loop loop;
	if (loop_init(&loop) < 0)
		return 1;
	s.loop = &loop;
	loop_fd_init(&s.listen_watch);
	loop_fd_init(&s.gre_watch);
	loop_fd_init(&s.tun_watch);
	loop_fd_init(&s.control_watch);
	loop_timer_init(&s.stop_timer, server_stop_expired, &s);
	call_ids_init(&s.call_ids, sys_random_source());
	source_limit_init(&s.limits, (uint32_t)cfg.connect_rate, 20, (uint32_t)cfg.login_failure_rate, 5);
	s.log_limit = (struct log_limit)LOG_LIMIT_INIT(20, 1000);
	if (ip_pool_init(&s.pool, cfg.pool.first, cfg.pool.last) < 0 ||
	    addr_map_init(&s.by_address, (size_t)cfg.max_sessions) < 0) {
		log_msg(LOG_LEVEL_ERROR, SERVER_TAG, "pool too large");
		goto out;
	}
	if (server_load_secrets(&s) < 0)
		goto out;

	s.nl_open = netlink_open(&s.nl) == 0;
	if ((rc = tun_open(&s.tun, cfg.ifname)) < 0 ||
	    (rc = tun_configure(&s.tun, (uint32_t)cfg.mtu, cfg.local_ip, 0, 32)) < 0) {
		log_msg(LOG_LEVEL_ERROR, SERVER_TAG, "cannot set up TUN %s: %s", cfg.ifname, error_name(rc));
		goto out;
	}
	s.tun_open = true;
	s.listen_fd = tcp_listen(cfg.listen, 1723, 128);
	if (s.listen_fd < 0) {
		log_msg(LOG_LEVEL_ERROR, SERVER_TAG, "cannot listen on TCP port 1723: %s", error_name(s.listen_fd));
		goto out;
	}
	s.gre_fd = gre_socket_open(cfg.listen);
	if (s.gre_fd < 0) {
		log_msg(LOG_LEVEL_ERROR, SERVER_TAG, "cannot open a raw GRE socket: %s", error_name(s.gre_fd));
		goto out;
	}
	s.control_fd = unix_listen(cfg.control_socket);
	if (s.control_fd < 0)
		log_msg(LOG_LEVEL_WARN, SERVER_TAG, "no control socket at %s: openpptp status will not work",
			cfg.control_socket);
	loop_fd_add(&loop, &s.listen_watch, s.listen_fd, LOOP_READ, server_accept, &s);
	loop_fd_add(&loop, &s.gre_watch, s.gre_fd, LOOP_READ, server_gre_readable, &s);
	loop_fd_add(&loop, &s.tun_watch, s.tun.fd, LOOP_READ, server_tun_readable, &s);
	if (s.control_fd >= 0)
		loop_fd_add(&loop, &s.control_watch, s.control_fd, LOOP_READ, server_control_readable, &s);
	loop_signals(&loop, server_stop_signal, server_reload_signal, &s);
	if (cfg.user && sys_drop_privileges(cfg.user, cfg.group) < 0) {
		log_msg(LOG_LEVEL_ERROR, SERVER_TAG, "cannot drop privileges to %s", cfg.user);
		goto out;
	}
	s.started_ms = sys_now_ms();
	char listen[IPV4_STR_MAX], local[IPV4_STR_MAX], first[IPV4_STR_MAX], last[IPV4_STR_MAX], auth[80];
	ppp_policy_auth_text(s.auth, auth, sizeof(auth));
	log_msg(LOG_LEVEL_INFO, SERVER_TAG, "listening on %s:1723, tunnel %s on %s, pool %s-%s, auth %s, mppe %s",
		ipv4_format(cfg.listen, listen), ipv4_format(cfg.local_ip, local), s.tun.name,
		ipv4_format(cfg.pool.first, first), ipv4_format(cfg.pool.last, last), auth, cfg.mppe);
	loop_run(&loop);
	exit_code = 0;

out:
	while (s.conns) {
		struct server_conn *c = s.conns;
		if (!c->dead)
			conn_kill(c);
		loop_defer_cancel(&loop, &c->free_later);
		conn_free_deferred(&loop, &c->free_later, c);
	}
	if (s.control_fd >= 0) {
		loop_fd_remove(&loop, &s.control_watch);
		close(s.control_fd);
		unlink(cfg.control_socket);
	}
	if (s.gre_fd >= 0) {
		loop_fd_remove(&loop, &s.gre_watch);
		close(s.gre_fd);
	}
	if (s.listen_fd >= 0) {
		loop_fd_remove(&loop, &s.listen_watch);
		close(s.listen_fd);
	}
	if (s.tun_open) {
		loop_fd_remove(&loop, &s.tun_watch);
		tun_close(&s.tun);
	}
	if (s.nl_open)
		netlink_close(&s.nl);
	loop_timer_cancel(&loop, &s.stop_timer);
	secrets_free(&s.secrets);
	ip_pool_destroy(&s.pool);
	addr_map_free(&s.by_address);
	loop_free(&loop);
	struct options o = { .table = &server_option_table, .cfg = &cfg };
	options_free(&o);
	log_msg(LOG_LEVEL_INFO, SERVER_TAG, "stopped");
	return exit_code;
}
