/* SPDX-License-Identifier: BSD-2-Clause */
/* The client daemon: one tunnel engine (PNS role) on the daemon core
 * (src/daemon): its TCP connection, the raw GRE socket and a TUN device.
 *
 * Lifetime of one attempt (client_session):
 *   pin a /32 to the server through the current gateway -> TCP connect ->
 *   tunnel_start (SCCRQ, OCRQ, PPP) -> LINK_UP: TUN up, routes, DNS, --up
 *   -> traffic -> CLOSED: undo in reverse order -> exit code from the cause. */
#include "client/client.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/error.h"
#include "base/log.h"
#include "client/client_addr_check.h"
#include "client/client_persist.h"
#include "client/client_session.h"
#include "client/client_settings.h"

static volatile sig_atomic_t client_signalled;

static void session_finish(struct client_session *s, int exit_code)
{
	if (s->phase == CLIENT_FINISHED)
		return;
	s->phase = CLIENT_FINISHED;
	s->exit_code = exit_code;
	daemon_shutdown_closed(&s->shutdown);
	loop_stop(s->loop);
}

/* ---- the data path: one call, one server ---- */

static struct daemon_tunnel *client_gre_lookup(void *ctx, uint16_t call_id)
{
	struct client_session *s = ctx;
	(void)call_id; /* the core checks that the call is ours and comes from the server */
	return &s->dt;
}

static enum daemon_tun_drop client_tun_route(void *ctx, struct pkt *ip, uint64_t now_ms)
{
	struct client_session *s = ctx;
	if (!s->call || !daemon_tunnel_is_running(&s->dt))
		return DAEMON_TUN_DROP_NO_SESSION;
	daemon_tunnel_send_ip(&s->dt, s->call, ip, now_ms);
	return DAEMON_TUN_ROUTED;
}

/* ---- the tunnel's events ---- */

static void tun_failed(struct client_session *s, int rc)
{
	if (rc != ERR_CLOSED)
		log_msg(LOG_LEVEL_ERROR, CLIENT_TAG, "cannot bring up the TUN device: %s", error_name(rc));
	if (s->phase != CLIENT_RUNNING)
		return;
	s->exit_code = CLIENT_EXIT_ERROR;
	daemon_tunnel_close(&s->dt, "local TUN failure", sys_now_ms());
}

/* The helper opened, addressed and raised the TUN (docs/privsep.md says why
 * it and not us) and passed it over: watch it, then routes, DNS, --up. */
static void on_tun_answer(void *ctx, const struct privsep_answer *a)
{
	struct client_session *s = ctx;
	if (a->status < 0) {
		tun_failed(s, a->status);
		return;
	}
	s->tun.dev.fd = a->fd;
	s->tun.dev.ifindex = (int)a->ifindex;
	s->tun.dev.vnet_hdr = a->tun_vnet_hdr;
	snprintf(s->tun.dev.name, sizeof(s->tun.dev.name), "%s", a->ifname);
	/* Even when the link went meanwhile, the host was changed: teardown
	 * runs --down and closes the TUN. */
	s->link_was_up = true;
	const struct ppp_link_event *l = &s->link;
	if (s->phase != CLIENT_RUNNING || !s->call) {
		s->system.link_up = true;
		s->system.local = l->local_address;
		s->system.peer = l->peer_address;
		return;
	}
	int rc = daemon_tun_attach(&s->tun);
	if (rc < 0) {
		tun_failed(s, rc);
		return;
	}
	s->up_since = sys_now_ms();
	client_log_link_up(s->cfg, s->tun.dev.name, s->mtu, l);
	client_system_up(&s->system, l->local_address, l->peer_address, l->dns[0], l->dns[1]);
}

static void on_link_up(struct client_session *s, const struct tunnel_event *ev)
{
	const struct ppp_link_event *l = &ev->link;
	s->call = ev->call;
	s->link = *l;
	/* Issue 12 §1: the TUN never takes more than the link carries (a
	 * larger --mtu would make the link drop or fragment every full-size
	 * packet); --mtu can only lower it. */
	s->mtu = l->mtu;
	s->tun.mtu = l->mtu; /* TUN super-packets are cut to what the link takes */
	if (s->cfg->mtu && (uint32_t)s->cfg->mtu < s->mtu)
		s->mtu = (uint32_t)s->cfg->mtu;
	else if (s->cfg->mtu && (uint32_t)s->cfg->mtu > s->mtu)
		log_msg(LOG_LEVEL_INFO, CLIENT_TAG, "--mtu %d is above the link MTU: the TUN gets %u", s->cfg->mtu, s->mtu);
	char why[256];
	if (client_addr_refusal(s->cfg, s->server, l->local_address, l->peer_address, why, sizeof(why))) {
		log_msg(LOG_LEVEL_ERROR, CLIENT_TAG, "%s", why);
		s->exit_code = CLIENT_EXIT_REFUSED;
		daemon_tunnel_close(&s->dt, "tunnel address refused", sys_now_ms());
		return;
	}
	struct privsep_request r = { .op = PRIVSEP_OP_TUN_OPEN,
				     .local = l->local_address,
				     .peer = l->peer_address,
				     .mtu = (uint16_t)(s->mtu > 65535 ? 65535 : s->mtu) };
	if (privsep_send(s->privsep, &r, on_tun_answer, s) < 0)
		tun_failed(s, ERR_CLOSED);
}

/* The one place the client handles its tunnel's events. */
static void client_on_tunnel_event(void *owner, struct daemon_tunnel *dt, const struct tunnel_event *ev)
{
	struct client_session *s = owner;
	(void)dt;
	switch (ev->type) {
	case TUNNEL_EVENT_CONTROL_UP:
	case TUNNEL_EVENT_CALL_UP:
	case TUNNEL_EVENT_VERIFY:
	case TUNNEL_EVENT_AUTHENTICATED:
		break;
	case TUNNEL_EVENT_LINK_UP:
		on_link_up(s, ev);
		break;
	case TUNNEL_EVENT_IPV6_UP:
		client_system_ipv6_up(&s->system, &ev->link.ipv6);
		break;
	case TUNNEL_EVENT_IPV6_PREFIX:
		client_system_ipv6_prefix(&s->system, &ev->link.ipv6);
		break;
	case TUNNEL_EVENT_LINK_DOWN:
	case TUNNEL_EVENT_CALL_DOWN:
		s->call = NULL;
		break;
	case TUNNEL_EVENT_CLOSED: {
		int code = client_exit_code_for(ev);
		if (s->exit_code == CLIENT_EXIT_ERROR || s->exit_code == CLIENT_EXIT_REFUSED)
			code = s->exit_code; /* decided here: local trouble, a refused address */
		client_log_closed(s->cfg, s->settings, ev, code);
		session_finish(s, code);
		break;
	}
	}
}

/* ---- connecting ---- */

static void client_connected(struct client_session *s)
{
	loop_fd_remove(s->loop, &s->connect_watch);
	uint16_t port;
	if (tcp_local_address(s->tcp_fd, &s->local, &port) < 0)
		s->local = 0;
	(void)tcp_set_nodelay(s->tcp_fd);
	struct tunnel_config tc;
	daemon_tunnel_config_fill(&tc, &s->settings->tunnel, s->local, s->server, CLIENT_TAG);
	tc.link.user = s->cfg->user;
	tc.link.ipv6 = tc.link.ipv6_autoconf = s->cfg->ipv6;
	tc.link.password = s->settings->has_nt_hash ? NULL : s->settings->password;
	tc.link.nt_hash = s->settings->has_nt_hash ? s->settings->nt_hash : NULL;
	uint64_t now = sys_now_ms();
	if (daemon_tunnel_open(&s->dt, &tc, now) < 0 || daemon_tunnel_attach_tcp(&s->dt, s->tcp_fd) < 0) {
		log_msg(LOG_LEVEL_ERROR, CLIENT_TAG, "cannot start the tunnel: out of memory");
		session_finish(s, CLIENT_EXIT_ERROR);
		return;
	}
	s->tcp_fd = -1; /* the control connection's now */
	s->phase = CLIENT_RUNNING;
	if (s->settings->server_count > 1) { /* which of the name's addresses it is */
		char a[IPV4_STR_MAX];
		log_msg(LOG_LEVEL_INFO, CLIENT_TAG, "connected to %s (%s)", ipv4_format(s->server, a),
			s->settings->server_name);
	}
	daemon_tunnel_start(&s->dt, now);
}

static void on_connect_ready(struct loop *loop, struct loop_fd *w, uint32_t events, void *ctx)
{
	struct client_session *s = ctx;
	(void)w;
	(void)events;
	int rc = tcp_connect_result(s->tcp_fd);
	if (rc == ERR_AGAIN)
		return;
	loop_timer_cancel(loop, &s->connect_timer);
	if (rc < 0) {
		char server[IPV4_STR_MAX];
		log_msg(LOG_LEVEL_ERROR, CLIENT_TAG, "cannot reach %s on TCP port 1723: %s", ipv4_format(s->server, server),
			rc == ERR_CLOSED ? "connection refused" : "host unreachable");
		session_finish(s, CLIENT_EXIT_UNREACHABLE);
		return;
	}
	client_connected(s);
}

static void on_connect_timeout(struct loop *loop, struct loop_timer *t, void *ctx)
{
	struct client_session *s = ctx;
	(void)loop;
	(void)t;
	char server[IPV4_STR_MAX];
	log_msg(LOG_LEVEL_ERROR, CLIENT_TAG, "cannot reach %s on TCP port 1723: no answer in %d s",
		ipv4_format(s->server, server), s->cfg->connect_timeout);
	session_finish(s, CLIENT_EXIT_UNREACHABLE);
}

/* ---- signals ---- */

static bool client_stop_begin(void *ctx, int signo)
{
	struct client_session *s = ctx;
	client_signalled = 1;
	if (s->phase != CLIENT_RUNNING || !daemon_tunnel_is_running(&s->dt))
		return false;
	log_msg(LOG_LEVEL_INFO, CLIENT_TAG, "signal %d: closing the tunnel", signo);
	daemon_tunnel_close(&s->dt, "User request", sys_now_ms());
	return true;
}

static void client_stop_end(void *ctx)
{
	struct client_session *s = ctx;
	client_signalled = 1;
	if (s->phase == CLIENT_FINISHED) /* tearing down: waiting for the helper */
		client_system_abort(&s->system);
	session_finish(s, CLIENT_EXIT_OK);
}

static const struct daemon_shutdown_ops client_shutdown_ops = {
	.begin = client_stop_begin,
	.end = client_stop_end,
};

/* ---- one attempt ---- */

static void on_helper_lost(void *ctx)
{
	struct client_session *s = ctx;
	log_msg(LOG_LEVEL_ERROR, CLIENT_TAG, "stopping: the privileged helper is gone");
	if (s->phase == CLIENT_RUNNING)
		daemon_tunnel_close(&s->dt, "local failure", sys_now_ms());
	session_finish(s, CLIENT_EXIT_ERROR);
}

static void client_session_init(struct client_session *s, struct loop *loop, const struct client_config *cfg,
				const struct client_settings *settings, uint32_t server, struct privsep_channel *privsep)
{
	s->cfg = cfg;
	s->settings = settings;
	s->loop = loop;
	s->server = server;
	s->phase = CLIENT_CONNECTING;
	s->tcp_fd = -1;
	s->exit_code = CLIENT_EXIT_ERROR;
	s->log_limit = (struct log_limit)LOG_LIMIT_INIT(20, 1000);
	loop_fd_init(&s->connect_watch);
	loop_timer_init(&s->connect_timer, on_connect_timeout, s);
	/* A client's raw socket sees every tunnel's GRE on this host: drops
	 * are counted, and logged only at debug. */
	daemon_gre_init(&s->gre, loop, client_gre_lookup, s, CLIENT_TAG, LOG_LEVEL_DEBUG, &s->log_limit);
	daemon_tun_init(&s->tun, loop, client_tun_route, s);
	daemon_tunnel_init(&s->dt, loop, &s->gre, &s->tun, client_on_tunnel_event, s, CLIENT_TAG);
	s->privsep = privsep;
	client_system_init(&s->system, loop, privsep, cfg);
}

static int client_session_run(const struct client_config *cfg, const struct client_settings *settings,
			      uint32_t server, struct privsep_channel *privsep, int *gre_fd, bool *was_up)
{
	struct loop loop;
	if (loop_init(&loop) < 0)
		return CLIENT_EXIT_ERROR;
	struct client_session s;
	memset(&s, 0, sizeof(s));
	client_session_init(&s, &loop, cfg, settings, server, privsep);
	(void)daemon_shutdown_init(&s.shutdown, &loop, CLIENT_TAG, DAEMON_STOP_GRACE_MS, &client_shutdown_ops, &s);
	if (privsep_channel_attach(privsep, &loop, on_helper_lost, &s) < 0) {
		log_msg(LOG_LEVEL_ERROR, CLIENT_TAG, "the privileged helper is gone");
		goto out;
	}

	/* Pin the server before anything can move the default route. */
	client_system_pin_server(&s.system, s.server);

	s.tcp_fd = tcp_connect_start(s.server, 1723, 0);
	if (s.tcp_fd < 0) {
		char text[IPV4_STR_MAX];
		log_msg(LOG_LEVEL_ERROR, CLIENT_TAG, "cannot reach %s on TCP port 1723: %s", ipv4_format(s.server, text),
			error_name(s.tcp_fd));
		s.exit_code = CLIENT_EXIT_UNREACHABLE;
		goto out;
	}
	if (daemon_gre_attach(&s.gre, *gre_fd) < 0)
		goto out;
	loop_fd_add(&loop, &s.connect_watch, s.tcp_fd, LOOP_WRITE, on_connect_ready, &s);
	loop_timer_set(&loop, &s.connect_timer, sys_now_ms() + (uint64_t)cfg->connect_timeout * 1000u);
	s.exit_code = CLIENT_EXIT_OK;
	loop_run(&loop);

out:
	/* Every answer still due refers to s (a TUN opened meanwhile is
	 * closed below). */
	client_system_settle(&s.system);
	client_system_down(&s.system);
	daemon_tun_close(&s.tun);
	client_system_unpin_server(&s.system);
	privsep_channel_detach(privsep);
	client_log_drops(&s.gre.stats, &s.tun.stats);
	if (s.gre.fd >= 0)
		*gre_fd = daemon_gre_detach(&s.gre);
	loop_fd_remove(&loop, &s.connect_watch);
	if (s.tcp_fd >= 0)
		close(s.tcp_fd);
	loop_timer_cancel(&loop, &s.connect_timer);
	daemon_tunnel_destroy(&s.dt);
	daemon_shutdown_destroy(&s.shutdown);
	loop_destroy(&loop);
	*was_up = s.link_was_up;
	return s.exit_code;
}

/* --persist: wait `seconds` in a loop of its own, so SIGTERM/SIGINT end the
 * wait at once. */
static bool backoff_stop_begin(void *ctx, int signo)
{
	(void)ctx;
	(void)signo;
	client_signalled = 1;
	return false;
}

static void backoff_stop_end(void *ctx)
{
	loop_stop(ctx);
}

static const struct daemon_shutdown_ops backoff_shutdown_ops = {
	.begin = backoff_stop_begin,
	.end = backoff_stop_end,
};

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
	struct daemon_shutdown shutdown;
	loop_timer_init(&timer, backoff_done, NULL);
	(void)daemon_shutdown_init(&shutdown, &loop, CLIENT_TAG, 0, &backoff_shutdown_ops, &loop);
	loop_timer_set(&loop, &timer, sys_now_ms() + (uint64_t)seconds * 1000u);
	loop_run(&loop);
	loop_timer_cancel(&loop, &timer);
	daemon_shutdown_destroy(&shutdown);
	loop_destroy(&loop);
}

/* One attempt: the server name's addresses in the resolver's order until
 * one answers on TCP 1723 (issue 15 §3); what happens after that is that
 * address's result. */
static int client_attempt(const struct client_config *cfg, const struct client_settings *settings,
			  struct privsep_channel *privsep, int *gre_fd, bool *was_up)
{
	int code = CLIENT_EXIT_UNREACHABLE;
	for (size_t i = 0; i < settings->server_count; i++) {
		if (i > 0) {
			char a[IPV4_STR_MAX];
			log_msg(LOG_LEVEL_INFO, CLIENT_TAG, "trying %s, address %zu of %zu of %s",
				ipv4_format(settings->servers[i], a), i + 1, settings->server_count, settings->server_name);
		}
		code = client_session_run(cfg, settings, settings->servers[i], privsep, gre_fd, was_up);
		if (code != CLIENT_EXIT_UNREACHABLE || client_signalled || privsep->state != PRIVSEP_CHANNEL_OPEN)
			break;
	}
	return code;
}

/* ---- entry point ---- */

int client_main(int argc, char **argv)
{
	struct client_config cfg;
	struct client_settings settings;
	int rc = client_settings_load(argc, argv, &cfg, &settings);
	if (rc != 0)
		return rc < 0 ? CLIENT_EXIT_USAGE : 0;

	/* As root: the raw GRE socket (kept for every attempt), then the
	 * helper, then the drop (docs/privsep.md). */
	int gre_fd = gre_socket_open(0);
	if (gre_fd < 0) {
		log_msg(LOG_LEVEL_ERROR, CLIENT_TAG, "cannot open a raw GRE socket (root or CAP_NET_RAW needed): %s",
			error_name(gre_fd));
		client_settings_destroy(&cfg, &settings);
		return CLIENT_EXIT_ERROR;
	}
	struct privsep_config pc;
	struct privsep_prefix *routes = NULL;
	struct privsep_channel privsep;
	privsep_channel_init_fd(&privsep, -1);
	int pc_rc = client_privsep_config(&cfg, settings.server, &pc, &routes);
	pc.servers = settings.servers; /* SERVER_PIN may pin any of them */
	pc.server_count = settings.server_count;
	if (pc_rc < 0 || privsep_start(&pc, &privsep) < 0 ||
	    privsep_drop(PRIVSEP_ROLE_CLIENT, cfg.privsep_user, cfg.privsep_group, !cfg.privsep) < 0) {
		log_msg(LOG_LEVEL_ERROR, CLIENT_TAG, "cannot separate privileges");
		privsep_channel_close(&privsep, 5000);
		close(gre_fd);
		free(routes);
		free((void *)pc.routes6);
		client_settings_destroy(&cfg, &settings);
		return CLIENT_EXIT_ERROR;
	}

	struct client_persist persist;
	client_persist_init(&persist);
	int code;
	for (;;) {
		uint64_t started = sys_now_ms();
		bool was_up = false;
		code = client_attempt(&cfg, &settings, &privsep, &gre_fd, &was_up);
		if (client_signalled || privsep.state != PRIVSEP_CHANNEL_OPEN)
			break;
		unsigned wait_s;
		enum client_persist_next next =
			client_persist_after(&persist, &cfg, code, was_up, sys_now_ms() - started, &wait_s);
		client_persist_log(&persist, &cfg, next, wait_s);
		if (next != CLIENT_PERSIST_RETRY)
			break;
		client_backoff(wait_s);
		if (client_signalled)
			break;
	}
	privsep_channel_close(&privsep, (PRIVSEP_HOOK_TIMEOUT_S + 5) * 1000);
	if (gre_fd >= 0)
		close(gre_fd);
	free(routes);
	free((void *)pc.routes6);
	client_settings_destroy(&cfg, &settings);
	return code;
}
