/* SPDX-License-Identifier: BSD-2-Clause */
/* Control connections: accepting (with the per-source and negotiating
 * limits), one tunnel engine (PAC role) per connection on the daemon core,
 * its events, and its end. */
#include "server/server_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/error.h"
#include "base/text_escape.h"
#include "sys/tcp.h"

/* ---- the end of a connection ---- */

static void conn_free(struct server_conn *c)
{
	struct server *s = c->server;
	server_auth_conn_gone(s, c);
	for (int i = 0; i < SERVER_CALLS_PER_CONN; i++) {
		if (c->sessions[i].in_use && !c->sessions[i].term_cause)
			c->sessions[i].term_cause = daemon_shutdown_is_stopping(&s->shutdown) ? ACCT_CAUSE_NAS_REQUEST
												: ACCT_CAUSE_LOST_CARRIER;
		server_session_release(s, c, &c->sessions[i]);
	}
	server_session_drop_pending(c);
	loop_timer_cancel(s->loop, &c->setup_timer);
	loop_timer_cancel(s->loop, &c->idle_timer);
	daemon_tunnel_destroy(&c->dt);
	if (!c->established) {
		s->negotiating--;
		source_limit_negotiating_close(&s->limits, c->peer);
	}
	*c->prev_next = c->next;
	if (c->next)
		c->next->prev_next = c->prev_next;
	s->connections--;
	free(c);
}

static void conn_free_deferred(struct loop *loop, struct loop_deferred *d, void *ctx)
{
	struct server_conn *c = ctx;
	struct server *s = c->server;
	(void)d;
	conn_free(c);
	if (daemon_shutdown_is_stopping(&s->shutdown) && !s->conns) {
		daemon_shutdown_closed(&s->shutdown);
		loop_stop(loop);
	}
}

/* Free it after the current callback: the engine may still be running. */
static void conn_kill(struct server_conn *c)
{
	if (c->dead)
		return;
	c->dead = true;
	loop_defer(c->server->loop, &c->free_later, conn_free_deferred, c);
}

void server_free_all(struct server *s)
{
	while (s->conns) {
		struct server_conn *c = s->conns;
		loop_defer_cancel(s->loop, &c->free_later);
		conn_free(c);
	}
}

bool server_close_all(void *ctx, int signo)
{
	struct server *s = ctx;
	if (signo > 0)
		log_msg(LOG_LEVEL_INFO, SERVER_TAG, "signal %d: closing %u connections", signo, s->connections);
	else
		log_msg(LOG_LEVEL_INFO, SERVER_TAG, "closing %u connections", s->connections);
	uint64_t now = sys_now_ms();
	for (struct server_conn *c = s->conns; c; c = c->next)
		if (!c->dead)
			daemon_tunnel_close(&c->dt, "Server shutting down", now);
	return s->conns != NULL;
}

/* ---- the engine's callbacks (ctx = the daemon_tunnel) ---- */

static int on_call_id_alloc(void *ctx, uint16_t *id)
{
	struct server_conn *c = daemon_tunnel_owner(ctx);
	return call_ids_take(&c->server->call_ids, id);
}

static void on_call_id_free(void *ctx, uint16_t id)
{
	struct server_conn *c = daemon_tunnel_owner(ctx);
	if (c->server->by_call[id] == c)
		c->server->by_call[id] = NULL;
	call_ids_release(&c->server->call_ids, id);
}

static int on_lookup_secret(void *ctx, const char *user, struct ppp_link_secret *out)
{
	struct server_conn *c = daemon_tunnel_owner(ctx);
	struct server *s = c->server;
	char shown[TEXT_ESCAPED_SIZE(64)]; /* the name as logs show it (escaped; long names cut) */
	text_escape_str(shown, sizeof(shown), user);
	/* Counted at the attempt (a token now, given back when the login
	 * succeeds), not when the link goes down: parallel attempts from one
	 * source cannot all pass before the first failure is counted. The
	 * engine may ask twice for one login (the name, then without its
	 * "DOMAIN\\"): one token per login. */
	if (!c->login_charged) {
		if (!source_limit_begin_login(&s->limits, c->peer, sys_now_ms())) {
			s->counters.refused[SERVER_REFUSED_LOGIN_RATE]++;
			log_limited(&s->log_limit, sys_now_ms(), LOG_LEVEL_WARN, c->tag,
				    "too many failed logins from this address: refusing \"%s\"", shown);
			return ERR_LIMIT;
		}
		c->login_charged = true;
	}
	const struct secret_entry *e = secrets_lookup(&s->secrets, user, s->cfg->name);
	if (!e)
		return ERR_NOT_FOUND;
	if (secret_addrs_is_empty(&e->addrs)) {
		/* chap-secrets `-` (or every address excluded): refused like a
		 * wrong password on the wire, with the cause in the log. */
		log_limited(&s->log_limit, sys_now_ms(), LOG_LEVEL_WARN, c->tag,
			    "login refused for \"%s\": line %u of the secrets file allows no address", shown, e->line);
		return ERR_POLICY;
	}
	if (secret_entry_is_empty(e)) {
		log_limited(&s->log_limit, sys_now_ms(), LOG_LEVEL_WARN, c->tag,
			    "login refused for \"%s\": line %u of the secrets file has an empty secret", shown, e->line);
		return ERR_POLICY;
	}
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

static bool conn_has_calls(const struct server_conn *c)
{
	for (int i = 0; i < SERVER_CALLS_PER_CONN; i++)
		if (c->sessions[i].in_use)
			return true;
	return false;
}

/* The last call ended and no other came within the grace: stop the
 * control connection (Stop-Control-Connection-Request, then close). */
static void conn_idle_expired(struct loop *loop, struct loop_timer *t, void *ctx)
{
	struct server_conn *c = ctx;
	(void)loop;
	(void)t;
	if (c->dead || conn_has_calls(c))
		return;
	log_limited(&c->server->log_limit, sys_now_ms(), LOG_LEVEL_INFO, c->tag,
		    "no call left: stopping the control connection");
	daemon_tunnel_close(&c->dt, "No call left", sys_now_ms());
}

/* The one place the server handles a connection's tunnel events. */
static void conn_on_tunnel_event(void *owner, struct daemon_tunnel *dt, const struct tunnel_event *ev)
{
	struct server_conn *c = owner;
	struct server *s = c->server;
	(void)dt;
	switch (ev->type) {
	case TUNNEL_EVENT_CONTROL_UP:
		break;
	case TUNNEL_EVENT_CALL_UP:
		loop_timer_cancel(s->loop, &c->idle_timer);
		server_session_call_up(c, ev);
		break;
	case TUNNEL_EVENT_AUTHENTICATED:
		if (c->login_charged)
			source_limit_login_succeeded(&s->limits, c->peer, sys_now_ms());
		c->login_charged = false;
		if (snprintf(c->tag, sizeof(c->tag), "%s user %s", c->peer_text, ev->link.user[0] ? ev->link.user : "?") >=
		    (int)sizeof(c->tag))
			log_msg(LOG_LEVEL_DEBUG, c->tag, "user name cut in the log tag");
		break;
	case TUNNEL_EVENT_LINK_UP:
		server_session_link_up(c, ev);
		break;
	case TUNNEL_EVENT_IPV6_UP:
		server_session_ipv6_up(c, ev);
		break;
	case TUNNEL_EVENT_IPV6_PREFIX:
		break;
	case TUNNEL_EVENT_VERIFY:
		server_auth_begin(s, c, ev);
		break;
	case TUNNEL_EVENT_LINK_DOWN: {
		struct server_session *ss = ev->call ? server_session_of(c, ev->call) : NULL;
		server_counters_link_down(&s->counters, ev->link.cause, ss && ss->up);
		c->login_charged = false; /* a failed login keeps its token spent */
		if (ss && !ss->term_cause)
			ss->term_cause = server_acct_cause(ev->link.cause, daemon_shutdown_is_stopping(&s->shutdown));
		break;
	}
	case TUNNEL_EVENT_CALL_DOWN:
		server_session_call_down(c, ev);
		if (!conn_has_calls(c) && !c->dead)
			loop_timer_set(s->loop, &c->idle_timer, sys_now_ms() + SERVER_IDLE_CONN_GRACE_MS);
		break;
	case TUNNEL_EVENT_CLOSED:
		conn_kill(c);
		break;
	}
}

/* Slowloris: a connection that has not brought a link up in time goes. */
static void conn_setup_expired(struct loop *loop, struct loop_timer *t, void *ctx)
{
	struct server_conn *c = ctx;
	(void)loop;
	(void)t;
	if (c->dead || c->established)
		return;
	bool placed_a_call = false;
	for (int i = 0; i < SERVER_CALLS_PER_CONN; i++)
		placed_a_call |= c->sessions[i].in_use;
	if (!placed_a_call) /* else the call's link reports its own cause when it goes down */
		c->server->counters.setup_failures[SERVER_FAILURE_SETUP_TIMEOUT]++;
	log_limited(&c->server->log_limit, sys_now_ms(), LOG_LEVEL_WARN, c->tag,
		    "no session after %d s: closing the connection", c->server->cfg->setup_timeout);
	daemon_tunnel_tcp_lost(&c->dt, sys_now_ms());
}

/* ---- accepting ---- */

/* Why a new connection is refused, or SERVER_REFUSED_COUNT. */
static enum server_refusal server_refusal(struct server *s, uint32_t peer, uint64_t now)
{
	if (daemon_shutdown_is_stopping(&s->shutdown))
		return SERVER_REFUSED_SHUTTING_DOWN;
	if (!source_limit_allow_connect(&s->limits, peer, now))
		return SERVER_REFUSED_CONNECT_RATE;
	if (s->negotiating >= (unsigned)s->cfg->max_negotiating)
		return SERVER_REFUSED_NEGOTIATING;
	/* Last: it counts the connection (conn_free or the first session
	 * uncounts it). */
	if (!source_limit_negotiating_open(&s->limits, peer, now))
		return SERVER_REFUSED_NEGOTIATING_SOURCE;
	return SERVER_REFUSED_COUNT;
}

static const char *server_refusal_text(enum server_refusal r)
{
	switch (r) {
	case SERVER_REFUSED_SHUTTING_DOWN: return "shutting down";
	case SERVER_REFUSED_CONNECT_RATE: return "connection rate limit";
	case SERVER_REFUSED_NEGOTIATING: return "too many connections negotiating";
	case SERVER_REFUSED_NEGOTIATING_SOURCE: return "too many connections negotiating from this address";
	default: return server_refusal_name(r);
	}
}

static void conn_config(struct server_conn *c, struct tunnel_config *tc)
{
	struct server *s = c->server;
	daemon_tunnel_config_fill(tc, &s->tunnel, c->local, c->peer, c->peer_text);
	tc->ctrl.setup_timeout_ms = (uint32_t)s->cfg->setup_timeout * 1000u;
	tc->link.local_address = s->cfg->local_ip;
	tc->link.dns[0] = s->dns[0];
	tc->link.dns[1] = s->dns[1];
	tc->link.nbns[0] = s->nbns[0];
	tc->link.nbns[1] = s->nbns[1];
	tc->link.lookup_secret = on_lookup_secret;
	if (s->cfg->auth_source != SERVER_AUTH_SECRETS) {
		/* server_auth.h; the engine's own limit is a backstop past every
		 * server's tries (the RADIUS client ends each request first). */
		unsigned servers = s->radius.cfg.n_servers[RADIUS_SERVICE_AUTH];
		tc->link.remote_verify = true;
		tc->link.verify_timeout_ms = (uint32_t)s->cfg->radius_timeout * 1000u * (uint32_t)(s->cfg->radius_retries + 1) *
						     (servers ? servers : 1) + 5000u;
	}
	tc->link.assign_address = server_session_assign_address;
	if (s->ipv6) {
		tc->link.ipv6 = true;
		tc->link.ipv6_interface_id = SERVER_IPV6_IID;
		tc->link.assign_prefix6 = server_session_assign_prefix6;
		tc->link.dns6_count = s->dns6_count;
		memcpy(tc->link.dns6, s->dns6, sizeof(tc->link.dns6));
	}
	tc->call_id_alloc = on_call_id_alloc;
	tc->call_id_free = on_call_id_free;
}

static void server_conn_new(struct server *s, int fd, uint32_t peer, uint16_t port, uint64_t now)
{
	struct server_conn *c = calloc(1, sizeof(*c));
	if (!c) {
		source_limit_negotiating_close(&s->limits, peer);
		close(fd);
		return;
	}
	c->server = s;
	c->peer = peer;
	c->peer_port = port;
	char peer_text[IPV4_STR_MAX];
	snprintf(c->peer_text, sizeof(c->peer_text), "%s:%u", ipv4_format(peer, peer_text), port);
	snprintf(c->tag, sizeof(c->tag), "%s", c->peer_text);
	loop_timer_init(&c->setup_timer, conn_setup_expired, c);
	loop_timer_init(&c->idle_timer, conn_idle_expired, c);
	(void)tcp_set_nodelay(fd);
	uint16_t lport;
	if (tcp_local_address(fd, &c->local, &lport) < 0)
		c->local = s->cfg->listen;
	daemon_tunnel_init(&c->dt, s->loop, &s->gre, &s->tun, conn_on_tunnel_event, c, c->tag);
	struct tunnel_config tc;
	conn_config(c, &tc);
	if (daemon_tunnel_open(&c->dt, &tc, now) < 0 || daemon_tunnel_attach_tcp(&c->dt, fd) < 0) {
		daemon_tunnel_destroy(&c->dt); /* the fd is not the tunnel's yet */
		source_limit_negotiating_close(&s->limits, peer);
		close(fd);
		free(c);
		return;
	}
	c->next = s->conns;
	if (s->conns)
		s->conns->prev_next = &c->next;
	c->prev_next = &s->conns;
	s->conns = c;
	s->connections++;
	s->negotiating++;
	s->counters.connections_accepted++;
	loop_timer_set(s->loop, &c->setup_timer, now + (uint64_t)s->cfg->setup_timeout * 1000u);
	log_msg(LOG_LEVEL_INFO, c->tag, "control connection accepted");
}

void server_accept(struct loop *loop, struct loop_fd *w, uint32_t events, void *ctx)
{
	struct server *s = ctx;
	(void)loop;
	(void)w;
	(void)events;
	for (int i = 0; i < 64; i++) {
		uint32_t peer;
		uint16_t port;
		int fd = tcp_accept(s->listen_fd, &peer, &port);
		if (fd == ERR_LIMIT) {
			server_fds_exhausted(s, s->listen_fd);
			return;
		}
		if (fd < 0)
			return;
		uint64_t now = sys_now_ms();
		enum server_refusal refused = server_refusal(s, peer, now);
		if (refused != SERVER_REFUSED_COUNT) {
			char peer_text[IPV4_STR_MAX];
			s->counters.refused[refused]++;
			log_limited(&s->log_limit, now, LOG_LEVEL_WARN, SERVER_TAG,
				    "refused control connection from %s:%u: %s", ipv4_format(peer, peer_text), port,
				    server_refusal_text(refused));
			close(fd);
			continue;
		}
		server_conn_new(s, fd, peer, port, now);
	}
}
