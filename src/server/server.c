/* SPDX-License-Identifier: BSD-2-Clause */
/* The server daemon: setup, signals and teardown. One listening TCP socket,
 * one raw GRE socket and one shared TUN for all sessions, on the daemon core
 * (src/daemon); control connections in server_conn.c, sessions and the
 * demux tables in server_session.c. */
#include "server/server_internal.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/error.h"
#include "config/ppp_policy.h"
#include "daemon/daemon_budget.h"
#include "sys/gre_socket.h"
#include "sys/log_target.h"
#include "sys/netlink.h"
#include "sys/sys_file.h"
#include "sys/sys_random.h"
#include "sys/tcp.h"
#include "sys/unix_socket.h"

static void server_stop_now(void *ctx)
{
	struct server *s = ctx;
	loop_stop(s->loop);
}

static const struct daemon_shutdown_ops server_shutdown_ops = {
	.begin = server_close_all,
	.end = server_stop_now,
	.reload = server_reload,
};

static void server_init(struct server *s, struct loop *loop)
{
	struct server_config *cfg = s->cfg;
	s->loop = loop;
	loop_fd_init(&s->listen_watch);
	loop_fd_init(&s->control_watch);
	s->log_limit = (struct log_limit)LOG_LIMIT_INIT(20, 1000);
	daemon_gre_init(&s->gre, loop, server_gre_lookup, s, SERVER_TAG, LOG_LEVEL_WARN, &s->log_limit);
	daemon_tun_init(&s->tun, loop, server_tun_route, s);
	s->tun.segment_mtu = server_tun_segment_mtu;
	daemon_notify_init(&s->notify, loop, SERVER_TAG); /* before the drop: send() only later */
	metrics_http_init(&s->metrics, loop, server_metrics_render, s);
	s->proc.statm_fd = s->proc.fd_dir = -1;
	call_ids_init(&s->call_ids, sys_random_source());
	server_fds_init(s);
	source_limit_init(&s->limits, (uint32_t)cfg->connect_rate, 20, (uint32_t)cfg->login_failure_rate, 5);
	s->limits.negotiating_max = (uint32_t)cfg->max_negotiating_per_source;
}

/* The metrics listener and the /proc/self descriptors its process figures
 * come from: both before the drop (sys/proc_self.h says why). */
static int server_metrics_open(struct server *s)
{
	int rc = metrics_http_open(&s->metrics, s->metrics_address, s->metrics_port, s->metrics_allow,
				   s->metrics_allow_count);
	if (rc < 0) {
		log_msg(LOG_LEVEL_ERROR, SERVER_TAG, "cannot listen for metrics on %s: %s", s->cfg->metrics_listen,
			error_name(rc));
		return rc;
	}
	proc_self_open(&s->proc);
	log_msg(LOG_LEVEL_INFO, SERVER_TAG, "metrics on http://%s/metrics", s->cfg->metrics_listen);
	return 0;
}

/* --ipv6-pool: the server's own address, subnet 0's ::1, on the TUN (a
 * /128: each session's /64 gets its own route when it comes up), and its
 * link-local fe80::1, the IPV6CP identifier it uses on every session. */
static int server_tun_ipv6(struct server *s)
{
	if (!s->ipv6)
		return 0;
	uint8_t own[16];
	ipv6_pool_subnet(&s->pool6, 0, own);
	own[15] = 1;
	struct netlink nl;
	int rc = netlink_open(&nl);
	if (rc == 0) {
		rc = netlink_addr6_add(&nl, s->tun.dev.ifindex, own, 128);
		uint8_t ll[16] = { 0xfe, 0x80, [15] = SERVER_IPV6_IID };
		if (rc == 0)
			rc = netlink_addr6_add(&nl, s->tun.dev.ifindex, ll, 64);
		netlink_close(&nl);
	}
	/* The peers are hosts, never routers (RFC 4861 §6.1.2, §8.1): their
	 * RAs and Redirects are dropped by each link already; this holds even
	 * for one that hides behind an extension header. */
	static const char *const knobs[] = { "accept_ra", "accept_redirects" };
	for (size_t i = 0; rc == 0 && i < 2; i++) {
		char path[96];
		snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/%s", s->tun.dev.name, knobs[i]);
		if (sys_write_setting(path, "0") < 0)
			log_msg(LOG_LEVEL_WARN, SERVER_TAG, "%s: cannot set 0", path);
	}
	return rc;
}

/* Sockets, TUN, control socket: everything that needs root, before the drop. */
static int server_open(struct server *s)
{
	struct server_config *cfg = s->cfg;
	int rc;
	if ((rc = tun_open(&s->tun.dev, cfg->ifname, cfg->tun_offload == TUN_OFFLOAD_ON)) < 0 ||
	    (rc = tun_configure(&s->tun.dev, (uint32_t)cfg->mtu, cfg->local_ip, 0, 32)) < 0 ||
	    (rc = server_tun_ipv6(s)) < 0 || (rc = daemon_tun_attach(&s->tun)) < 0) {
		log_msg(LOG_LEVEL_ERROR, SERVER_TAG, "cannot set up TUN %s: %s", cfg->ifname, error_name(rc));
		return rc;
	}
	/* 4096 (the kernel caps it at net.core.somaxconn): with 128, bursts of
	 * 1,000 connects/s overflowed it and each dropped SYN cost a client a
	 * 1 s retransmit (openpptp load at 10,000 sessions, docs/load.md). */
	s->listen_fd = tcp_listen(cfg->listen, 1723, 4096);
	if (s->listen_fd < 0) {
		log_msg(LOG_LEVEL_ERROR, SERVER_TAG, "cannot listen on TCP port 1723: %s", error_name(s->listen_fd));
		return s->listen_fd;
	}
	int gre_fd = gre_socket_open(cfg->listen);
	rc = gre_fd < 0 ? gre_fd : daemon_gre_attach(&s->gre, gre_fd);
	if (rc < 0) {
		log_msg(LOG_LEVEL_ERROR, SERVER_TAG, "cannot open a raw GRE socket: %s", error_name(rc));
		if (gre_fd >= 0)
			close(gre_fd);
		return rc;
	}
	s->control_fd = unix_listen(cfg->control_socket);
	if (s->control_fd < 0)
		log_msg(LOG_LEVEL_WARN, SERVER_TAG, "no control socket at %s: openpptp status will not work",
			cfg->control_socket);
	else
		s->control_gid_known = unix_socket_group(cfg->control_socket, &s->control_gid) == 0;
	if (s->metrics_on && (rc = server_metrics_open(s)) < 0)
		return rc;
	if ((rc = server_radius_open(s)) < 0)
		return rc;
	server_fds_reserve(s);
	loop_fd_add(s->loop, &s->listen_watch, s->listen_fd, LOOP_READ, server_accept, s);
	if (s->control_fd >= 0)
		loop_fd_add(s->loop, &s->control_watch, s->control_fd, LOOP_READ, server_control_readable, s);
	return 0;
}

static void server_close(struct server *s)
{
	daemon_notify_close(&s->notify);
	server_control_close_all(s);
	server_free_all(s); /* their accounting Stops go out now */
	server_acct_off(s);
	/* The route removals just queued, then the control socket: its
	 * directory is root's, so the helper unlinks it. */
	if (s->privsep.helper > 0)
		server_privsep_finish(s);
	else if (s->control_fd >= 0)
		unlink(s->cfg->control_socket); /* no helper yet: still root */
	if (s->control_fd >= 0) {
		loop_fd_remove(s->loop, &s->control_watch);
		close(s->control_fd);
	}
	status_streams_free(&s->status_streams, s->loop);
	daemon_gre_close(&s->gre);
	metrics_http_close(&s->metrics);
	proc_self_close(&s->proc);
	server_fds_close(s);
	if (s->listen_fd >= 0) {
		loop_fd_remove(s->loop, &s->listen_watch);
		close(s->listen_fd);
	}
	daemon_tun_close(&s->tun);
	server_radius_close(s);
	daemon_shutdown_destroy(&s->shutdown);
	secrets_destroy(&s->secrets);
	ip_pool_destroy(&s->pool);
	addr_map_destroy(&s->by_address);
	addr_map_destroy(&s->by_subnet6);
	addr_map_destroy(&s->by_iid);
	server_framed_destroy(&s->framed);
}

static void server_log_start(const struct server *s)
{
	const struct server_config *cfg = s->cfg;
	char listen[IPV4_STR_MAX], local[IPV4_STR_MAX], first[IPV4_STR_MAX], last[IPV4_STR_MAX], auth[80];
	ppp_policy_auth_text(s->tunnel.auth, auth, sizeof(auth));
	log_msg(LOG_LEVEL_INFO, SERVER_TAG, "listening on %s:1723, tunnel %s on %s, pool %s-%s, auth %s, mppe %s",
		ipv4_format(cfg->listen, listen), ipv4_format(cfg->local_ip, local), s->tun.dev.name,
		ipv4_format(cfg->pool.first, first), ipv4_format(cfg->pool.last, last), auth, cfg->mppe);
	if (s->ipv6) {
		char pool6[IPV6_STR_MAX];
		log_msg(LOG_LEVEL_INFO, SERVER_TAG, "IPv6: a /64 per session of %s/%u, announced by Router Advertisement",
			ipv6_format(s->pool6.addr, pool6), s->pool6.len);
	}
}

int server_main(int argc, char **argv)
{
	struct server_config cfg;
	static struct server s; /* large (by_call), one per process */
	memset(&s, 0, sizeof(s));
	s.cfg = &cfg;
	s.listen_fd = s.control_fd = s.fd_reserve = -1;
	daemon_radius_init(&s.radius);
	loop_timer_init(&s.acct_timer, NULL, NULL); /* armed by server_acct_init */
	privsep_channel_init_fd(&s.privsep, -1);
	int rc = server_settings(&s, argc, argv);
	if (rc != 0)
		return rc > 0 ? 0 : 2;
	log_set_level((enum log_level)cfg.log_level);
	(void)log_target_setup((enum log_target)cfg.log_target, NULL);
	ppp_policy_warn_weak(SERVER_TAG, s.tunnel.auth, &s.tunnel.mppe);
	int exit_code = 1;

	struct loop loop;
	if (loop_init(&loop) < 0)
		return 1;
	server_init(&s, &loop);
	if (ip_pool_init(&s.pool, cfg.pool.first, cfg.pool.last) < 0 ||
	    addr_map_init(&s.by_address, (size_t)cfg.max_sessions) < 0 ||
	    addr_map_init(&s.by_subnet6, s.ipv6 ? (size_t)cfg.max_sessions : 1) < 0 ||
	    addr_map_init(&s.by_iid, s.ipv6 ? (size_t)cfg.max_sessions : 1) < 0 ||
	    server_framed_init(&s.framed, (size_t)cfg.max_sessions) < 0) {
		log_msg(LOG_LEVEL_ERROR, SERVER_TAG, "pool too large");
		goto out;
	}
	if (server_fds_raise_limit(&s) < 0 || server_load_secrets(&s) < 0 || server_open(&s) < 0)
		goto out;
	(void)daemon_shutdown_init(&s.shutdown, &loop, SERVER_TAG, DAEMON_STOP_GRACE_MS, &server_shutdown_ops, &s);
	/* Everything that needs root is open: fork the helper, drop. */
	struct privsep_config pc;
	server_privsep_config(&s, &pc);
	if (privsep_start(&pc, &s.privsep) < 0 ||
	    privsep_channel_attach(&s.privsep, &loop, server_helper_lost, &s) < 0)
		goto out;
	if (privsep_drop(PRIVSEP_ROLE_SERVER, cfg.user, cfg.group, !cfg.privsep) < 0) {
		log_msg(LOG_LEVEL_ERROR, SERVER_TAG, "cannot drop privileges");
		goto out;
	}
	s.started_ms = sys_now_ms();
	server_log_start(&s);
	daemon_notify_ready(&s.notify);
	loop_run(&loop);
	exit_code = s.helper_lost ? 1 : 0;

out:
	server_close(&s);
	loop_destroy(&loop);
	daemon_eap_tls_free(&s.tunnel);
	struct options o = { .table = &server_option_table, .cfg = &cfg };
	options_destroy(&o);
	log_msg(LOG_LEVEL_INFO, SERVER_TAG, "stopped");
	return exit_code;
}
