/* The client daemon: one tunnel engine (src/proto/session/tunnel.h, PNS
 * role) wired to a TCP socket, the raw GRE socket and a TUN device.
 *
 * Lifetime of one attempt (client_session):
 *   pin a /32 to the server through the current gateway -> TCP connect ->
 *   tunnel_start (SCCRQ, OCRQ, PPP) -> LINK_UP: TUN up, routes, DNS, --up
 *   -> traffic -> CLOSED: undo in reverse order -> exit code from the cause. */
#include "client/client.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/error.h"
#include "base/log.h"
#include "base/pkt.h"
#include "client/client_system.h"
#include "config/ipv4.h"
#include "config/ppp_policy.h"
#include "proto/gre/gre_header.h"
#include "proto/gre/gre_ipv4.h"
#include "proto/session/tunnel.h"
#include "sys/gre_socket.h"
#include "sys/loop.h"
#include "sys/netlink.h"
#include "sys/sys_random.h"
#include "sys/tcp.h"
#include "sys/tun.h"

#define CLIENT_TAG "client"
#define GRE_BATCH 32

struct client_session {
	const struct client_config *cfg;
	const struct client_settings *settings;
	struct loop *loop;
	uint32_t server;
	uint32_t local;
	int tcp_fd;
	int gre_fd;
	bool tcp_connected;
	struct loop_fd tcp_watch;
	struct loop_fd gre_watch;
	struct loop_fd tun_watch;
	struct loop_timer timer;
	struct loop_timer connect_timer;
	struct tcp_out out;
	struct tunnel *tunnel;
	struct tunnel_call *call;
	struct tun tun;
	bool tun_open;
	struct client_system system;
	bool link_was_up;
	bool closing;
	bool done;
	int exit_code;
	uint64_t up_since;
};

static volatile sig_atomic_t client_signalled;

static void client_tun_readable(struct loop *loop, struct loop_fd *w, uint32_t events, void *ctx);

static void session_finish(struct client_session *s, int exit_code)
{
	if (s->done)
		return;
	s->done = true;
	s->exit_code = exit_code;
	loop_stop(s->loop);
}

static void on_tunnel_event(struct client_session *s, const struct tunnel_event *ev);

/* After every tunnel_* call: drain its events (tunnel.h), re-arm the timer. */
static void session_after_tunnel(struct client_session *s)
{
	struct tunnel_event ev;
	while (tunnel_next_event(s->tunnel, &ev))
		on_tunnel_event(s, &ev);
	if (!s->done)
		loop_timer_set(s->loop, &s->timer, tunnel_next_deadline(s->tunnel));
}

/* ---- tunnel callbacks ---- */

static void on_tcp_output(void *ctx, const uint8_t *bytes, size_t len)
{
	struct client_session *s = ctx;
	int rc = tcp_out_write(&s->out, s->tcp_fd, bytes, len);
	if (rc == ERR_AGAIN || tcp_out_pending(&s->out))
		loop_fd_modify(s->loop, &s->tcp_watch, LOOP_READ | LOOP_WRITE);
	else if (rc < 0 && rc != ERR_AGAIN)
		log_msg(LOG_LEVEL_WARN, CLIENT_TAG, "TCP write failed: %s", error_name(rc));
}

static void on_gre_output(void *ctx, uint32_t peer, struct pkt *gre_packet)
{
	struct client_session *s = ctx;
	(void)gre_socket_send(s->gre_fd, gre_packet, peer);
	pkt_free(gre_packet);
}

static void on_tun_output(void *ctx, struct tunnel_call *call, struct pkt *ip_packet)
{
	struct client_session *s = ctx;
	(void)call;
	if (s->tun_open)
		(void)tun_write(&s->tun, ip_packet);
	pkt_free(ip_packet);
}

static int exit_code_for(const struct tunnel_event *ev)
{
	switch (ev->cause) {
	case TUNNEL_CLOSE_NONE:
	case TUNNEL_CLOSE_LOCAL:
		return CLIENT_EXIT_OK;
	case TUNNEL_CLOSE_REFUSED:
		return CLIENT_EXIT_REFUSED;
	case TUNNEL_CLOSE_NO_GRE:
		return CLIENT_EXIT_NO_GRE;
	case TUNNEL_CLOSE_PEER_STOP:
	case TUNNEL_CLOSE_TCP_LOST:
		return CLIENT_EXIT_PEER_CLOSED;
	case TUNNEL_CLOSE_KEEPALIVE:
	case TUNNEL_CLOSE_PROTOCOL:
		return CLIENT_EXIT_LINK_FAILED;
	case TUNNEL_CLOSE_LINK_FAILED:
		break;
	}
	switch (ev->has_link ? ev->link.cause : PPP_CAUSE_NONE) {
	case PPP_CAUSE_AUTH_FAILED:
	case PPP_CAUSE_AUTH_PEER_BAD:
	case PPP_CAUSE_NO_AUTH_METHOD:
		return CLIENT_EXIT_AUTH_FAILED;
	case PPP_CAUSE_MPPE_REFUSED:
		return CLIENT_EXIT_MPPE_REFUSED;
	case PPP_CAUSE_PEER_TERMINATE:
	case PPP_CAUSE_LOWER_DOWN:
		return CLIENT_EXIT_PEER_CLOSED;
	case PPP_CAUSE_LOCAL_CLOSE:
		return CLIENT_EXIT_OK;
	default:
		return CLIENT_EXIT_LINK_FAILED;
	}
}

static void on_link_up(struct client_session *s, const struct tunnel_event *ev)
{
	const struct ppp_link_event *l = &ev->link;
	char local[IPV4_STR_MAX], peer[IPV4_STR_MAX], dns1[IPV4_STR_MAX], dns2[IPV4_STR_MAX];
	ipv4_format(l->local_address, local);
	ipv4_format(l->peer_address, peer);
	ipv4_format(l->dns[0], dns1);
	ipv4_format(l->dns[1], dns2);
	s->call = ev->call;
	uint32_t mtu = s->cfg->mtu ? (uint32_t)s->cfg->mtu : l->mtu;
	int rc = tun_open(&s->tun, s->cfg->ifname);
	if (rc == 0)
		rc = tun_configure(&s->tun, mtu, l->local_address, l->peer_address, 32);
	if (rc < 0) {
		log_msg(LOG_LEVEL_ERROR, CLIENT_TAG, "cannot bring up the TUN device: %s", error_name(rc));
		s->exit_code = CLIENT_EXIT_ERROR;
		tunnel_close(s->tunnel, "local TUN failure", sys_now_ms());
		return;
	}
	s->tun_open = true;
	loop_fd_init(&s->tun_watch);
	loop_fd_add(s->loop, &s->tun_watch, s->tun.fd, LOOP_READ, client_tun_readable, s);
	s->link_was_up = true;
	s->up_since = sys_now_ms();
	log_msg(LOG_LEVEL_INFO, CLIENT_TAG,
		"tunnel up: %s local %s peer %s mtu %u, auth %s, %s%u%s, dns %s %s", s->tun.name, local, peer, mtu,
		auth_method_name(l->auth), l->mppe_bits ? "MPPE-" : "no encryption", l->mppe_bits ? l->mppe_bits : 0,
		l->mppe_bits ? (l->mppe_stateless ? " stateless" : " stateful") : "", dns1, dns2);
	client_system_up(&s->system, s->cfg, s->tun.name, s->tun.ifindex, l->local_address, l->peer_address,
			 l->dns[0], l->dns[1], s->server);
}

static void on_tunnel_event(struct client_session *s, const struct tunnel_event *ev)
{
	switch (ev->type) {
	case TUNNEL_EVENT_CONTROL_UP:
	case TUNNEL_EVENT_CALL_UP:
	case TUNNEL_EVENT_AUTHENTICATED:
		break;
	case TUNNEL_EVENT_LINK_UP:
		on_link_up(s, ev);
		break;
	case TUNNEL_EVENT_LINK_DOWN:
	case TUNNEL_EVENT_CALL_DOWN:
		s->call = NULL;
		break;
	case TUNNEL_EVENT_CLOSED: {
		int code = exit_code_for(ev);
		if (s->exit_code == CLIENT_EXIT_ERROR)
			code = CLIENT_EXIT_ERROR;
		const char *why = ev->has_link && ev->cause == TUNNEL_CLOSE_LINK_FAILED ? ev->link.reason : ev->reason;
		switch (code) {
		case CLIENT_EXIT_OK:
			log_msg(LOG_LEVEL_INFO, CLIENT_TAG, "disconnected");
			break;
		case CLIENT_EXIT_REFUSED:
			log_msg(LOG_LEVEL_ERROR, CLIENT_TAG, "the server refused the connection (PPTP result code %u)",
				ev->result_code);
			break;
		case CLIENT_EXIT_NO_GRE:
			log_msg(LOG_LEVEL_ERROR, CLIENT_TAG,
				"TCP 1723 worked but no GRE came back: a firewall or NAT drops IP protocol 47");
			break;
		case CLIENT_EXIT_AUTH_FAILED:
			log_msg(LOG_LEVEL_ERROR, CLIENT_TAG, "authentication failed: %s", why && why[0] ? why : "refused");
			break;
		case CLIENT_EXIT_MPPE_REFUSED:
			if (s->settings->mppe.required)
				log_msg(LOG_LEVEL_ERROR, CLIENT_TAG, "MPPE required but peer refused%s%s",
					why && why[0] ? ": " : "", why ? why : "");
			else /* the server wants MPPE, our --mppe said no */
				log_msg(LOG_LEVEL_ERROR, CLIENT_TAG,
					"the server requires MPPE and --mppe %s refuses it%s%s", s->cfg->mppe,
					why && why[0] ? ": " : "", why ? why : "");
			break;
		case CLIENT_EXIT_PEER_CLOSED:
			log_msg(tunnel_close_is_orderly(ev->cause, ev->has_link ? &ev->link : NULL) ? LOG_LEVEL_INFO
												   : LOG_LEVEL_WARN,
				CLIENT_TAG,
				"the server closed the session%s%s", why && why[0] ? ": " : "",
				why ? why : "");
			break;
		default:
			log_msg(LOG_LEVEL_ERROR, CLIENT_TAG, "the link failed: %s", why && why[0] ? why : "unknown cause");
			break;
		}
		session_finish(s, code);
		break;
	}
	}
}

/* ---- fd and timer callbacks ---- */

static void client_tun_readable(struct loop *loop, struct loop_fd *w, uint32_t events, void *ctx)
{
	struct client_session *s = ctx;
	(void)loop;
	(void)w;
	(void)events;
	for (int n = 0; n < 64 && !s->done; n++) {
		struct pkt *p = pkt_alloc(PKT_SIZE, PKT_HEADROOM);
		if (!p)
			break;
		int rc = tun_read(&s->tun, p);
		if (rc <= 0) {
			pkt_free(p);
			break;
		}
		if (!s->call) {
			pkt_free(p);
			continue;
		}
		(void)tunnel_send_ip(s->tunnel, s->call, p, sys_now_ms());
		session_after_tunnel(s);
	}
}

static void gre_readable(struct loop *loop, struct loop_fd *w, uint32_t events, void *ctx)
{
	struct client_session *s = ctx;
	(void)loop;
	(void)w;
	(void)events;
	for (int round = 0; round < 16 && !s->done; round++) {
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
			struct gre_ipv4 ip;
			struct gre_header h;
			if (i >= n || p->len == 0 || src[i] != s->server || gre_ipv4_strip(p, &ip) < 0 ||
			    gre_header_strip(p, &h) < 0 || !s->tunnel || s->done) {
				pkt_free(p);
				continue;
			}
			tunnel_gre_input(s->tunnel, &h, p, now);
			session_after_tunnel(s);
		}
		if (n < GRE_BATCH)
			break;
	}
}

static void tcp_event(struct loop *loop, struct loop_fd *w, uint32_t events, void *ctx)
{
	struct client_session *s = ctx;
	(void)w;
	uint64_t now = sys_now_ms();
	if (!s->tcp_connected) {
		int rc = tcp_connect_result(s->tcp_fd);
		if (rc == ERR_AGAIN)
			return;
		loop_timer_cancel(loop, &s->connect_timer);
		if (rc < 0) {
			char server[IPV4_STR_MAX];
			log_msg(LOG_LEVEL_ERROR, CLIENT_TAG, "cannot reach %s on TCP port 1723: connection refused",
				ipv4_format(s->server, server));
			session_finish(s, CLIENT_EXIT_UNREACHABLE);
			return;
		}
		s->tcp_connected = true;
		(void)tcp_set_nodelay(s->tcp_fd);
		loop_fd_modify(loop, &s->tcp_watch, LOOP_READ);
		tunnel_start(s->tunnel, now);
		session_after_tunnel(s);
		return;
	}
	if (events & LOOP_WRITE) {
		int rc = tcp_out_flush(&s->out, s->tcp_fd);
		if (rc == 0)
			loop_fd_modify(loop, &s->tcp_watch, LOOP_READ);
	}
	if (events & (LOOP_READ | LOOP_ERROR)) {
		uint8_t buf[4096];
		for (int i = 0; i < 16 && !s->done; i++) {
			int n = tcp_read(s->tcp_fd, buf, sizeof(buf));
			if (n > 0) {
				tunnel_tcp_input(s->tunnel, buf, (size_t)n, now);
				session_after_tunnel(s);
				continue;
			}
			if (n != ERR_AGAIN) {
				loop_fd_remove(loop, &s->tcp_watch);
				tunnel_tcp_closed(s->tunnel, now);
				session_after_tunnel(s);
			}
			break;
		}
	}
}

static void timer_fired(struct loop *loop, struct loop_timer *t, void *ctx)
{
	struct client_session *s = ctx;
	(void)loop;
	(void)t;
	tunnel_on_timeout(s->tunnel, sys_now_ms());
	session_after_tunnel(s);
}

static void connect_timed_out(struct loop *loop, struct loop_timer *t, void *ctx)
{
	struct client_session *s = ctx;
	(void)loop;
	(void)t;
	char server[IPV4_STR_MAX];
	log_msg(LOG_LEVEL_ERROR, CLIENT_TAG, "cannot reach %s on TCP port 1723: no answer in %d s",
		ipv4_format(s->server, server), s->cfg->connect_timeout);
	session_finish(s, CLIENT_EXIT_UNREACHABLE);
}

static void on_stop_signal(struct loop *loop, int signo, void *ctx)
{
	struct client_session *s = ctx;
	(void)loop;
	client_signalled = 1;
	if (s->closing || !s->tunnel || !s->tcp_connected) {
		session_finish(s, CLIENT_EXIT_OK);
		return;
	}
	s->closing = true;
	log_msg(LOG_LEVEL_INFO, CLIENT_TAG, "signal %d: closing the tunnel", signo);
	tunnel_close(s->tunnel, "User request", sys_now_ms());
	session_after_tunnel(s);
}

/* ---- one attempt ---- */

static int client_session_run(const struct client_config *cfg, const struct client_settings *settings)
{
	struct client_session s = { .cfg = cfg, .settings = settings, .tcp_fd = -1, .gre_fd = -1,
				    .exit_code = CLIENT_EXIT_ERROR };
	struct loop loop;
	if (loop_init(&loop) < 0)
		return CLIENT_EXIT_ERROR;
	s.loop = &loop;
	s.server = settings->server;
	client_system_init(&s.system);
	loop_fd_init(&s.tcp_watch);
	loop_fd_init(&s.gre_watch);
	loop_fd_init(&s.tun_watch);
	loop_timer_init(&s.timer, timer_fired, &s);
	loop_timer_init(&s.connect_timer, connect_timed_out, &s);
	tcp_out_init(&s.out, 256 * 1024);
	loop_signals(&loop, on_stop_signal, NULL, &s);

	/* Pin the server before anything can move the default route. */
	client_system_pin_server(&s.system, s.server);

	s.tcp_fd = tcp_connect_start(s.server, 1723, 0);
	if (s.tcp_fd < 0) {
		char server[IPV4_STR_MAX];
		log_msg(LOG_LEVEL_ERROR, CLIENT_TAG, "cannot reach %s on TCP port 1723: %s", ipv4_format(s.server, server),
			error_name(s.tcp_fd));
		s.exit_code = CLIENT_EXIT_UNREACHABLE;
		goto out;
	}
	uint16_t port;
	if (tcp_local_address(s.tcp_fd, &s.local, &port) < 0)
		s.local = 0;
	s.gre_fd = gre_socket_open(0);
	if (s.gre_fd < 0) {
		log_msg(LOG_LEVEL_ERROR, CLIENT_TAG, "cannot open a raw GRE socket (root or CAP_NET_RAW needed): %s",
			error_name(s.gre_fd));
		goto out;
	}
	loop_fd_add(&loop, &s.gre_watch, s.gre_fd, LOOP_READ, gre_readable, &s);

	struct tunnel_config tc = { 0 };
	tc.role = PPTP_ROLE_PNS;
	tc.local_ipv4 = s.local;
	tc.peer_ipv4 = s.server;
	tc.tag = "client";
	tc.random = sys_random_source();
	pptp_ctrl_config_defaults(&tc.ctrl, PPTP_ROLE_PNS);
	snprintf(tc.ctrl.hostname, sizeof(tc.ctrl.hostname), "%s", cfg->name);
	tc.ctrl.keepalive_interval_ms = (uint32_t)cfg->pptp_echo_interval * 1000u;
	tc.ctrl.keepalive_timeout_ms = (uint32_t)cfg->pptp_echo_interval * 1000u;
	gre_channel_config_default(&tc.gre);
	ppp_link_config_defaults(&tc.link, PPP_LINK_CLIENT);
	tc.link.auth_allowed = settings->auth;
	tc.link.mppe = settings->mppe;
	tc.link.user = cfg->user;
	tc.link.password = settings->password;
	tc.link.local_name = cfg->name;
	tc.link.lcp_echo_interval_ms = (uint32_t)cfg->lcp_echo_interval * 1000u;
	tc.link.lcp_echo_failures = (uint32_t)cfg->lcp_echo_failures;
	tc.ctx = &s;
	tc.tcp_output = on_tcp_output;
	tc.gre_output = on_gre_output;
	tc.tun_output = on_tun_output;
	s.tunnel = tunnel_new(&tc, sys_now_ms());
	if (!s.tunnel)
		goto out;
	loop_fd_add(&loop, &s.tcp_watch, s.tcp_fd, LOOP_WRITE, tcp_event, &s);
	loop_timer_set(&loop, &s.connect_timer, sys_now_ms() + (uint64_t)cfg->connect_timeout * 1000u);
	s.exit_code = CLIENT_EXIT_OK;
	loop_run(&loop);

out:
	if (s.link_was_up)
		client_system_down(&s.system, cfg);
	if (s.tun_open) {
		loop_fd_remove(&loop, &s.tun_watch);
		tun_close(&s.tun);
	}
	client_system_unpin_server(&s.system);
	if (s.gre_fd >= 0) {
		loop_fd_remove(&loop, &s.gre_watch);
		close(s.gre_fd);
	}
	if (s.tcp_fd >= 0) {
		(void)tcp_out_flush(&s.out, s.tcp_fd);
		loop_fd_remove(&loop, &s.tcp_watch);
		close(s.tcp_fd);
	}
	loop_timer_cancel(&loop, &s.timer);
	loop_timer_cancel(&loop, &s.connect_timer);
	tcp_out_free(&s.out);
	tunnel_free(s.tunnel);
	loop_free(&loop);
	return s.exit_code;
}

/* --persist: wait `seconds` in a loop of its own, so SIGTERM/SIGINT end the
 * wait at once. */
static void backoff_signal(struct loop *loop, int signo, void *ctx)
{
	(void)signo;
	(void)ctx;
	client_signalled = 1;
	loop_stop(loop);
}

static void backoff_done(struct loop *loop, struct loop_timer *t, void *ctx)
{
	(void)t;
	(void)ctx;
	loop_stop(loop);
}

static void client_backoff(unsigned seconds)
{
	struct loop loop;
	if (loop_init(&loop) < 0) {
		sleep(seconds);
		return;
	}
	struct loop_timer timer;
	loop_timer_init(&timer, backoff_done, NULL);
	loop_signals(&loop, backoff_signal, NULL, NULL);
	loop_timer_set(&loop, &timer, sys_now_ms() + (uint64_t)seconds * 1000u);
	loop_run(&loop);
	loop_timer_cancel(&loop, &timer);
	loop_free(&loop);
}

/* ---- entry point ---- */

int client_main(int argc, char **argv)
{
	struct client_config cfg;
	struct client_settings settings;
	int rc = client_settings_load(argc, argv, &cfg, &settings);
	if (rc != 0)
		return rc < 0 ? CLIENT_EXIT_USAGE : 0;

	unsigned backoff = 1;
	int code;
	for (;;) {
		uint64_t started = sys_now_ms();
		code = client_session_run(&cfg, &settings);
		if (!cfg.persist || client_signalled)
			break;
		if (code == CLIENT_EXIT_USAGE)
			break;
		/* A session that lasted a while resets the backoff. */
		if (sys_now_ms() - started > 60000)
			backoff = 1;
		log_msg(LOG_LEVEL_INFO, CLIENT_TAG, "reconnecting in %u s (--persist)", backoff);
		client_backoff(backoff);
		if (client_signalled)
			break;
		backoff = backoff * 2 > (unsigned)cfg.max_backoff ? (unsigned)cfg.max_backoff : backoff * 2;
	}
	client_settings_free(&cfg, &settings);
	return code;
}
