/* SPDX-License-Identifier: BSD-2-Clause */
/* Sessions: the calls of every control connection, their tunnel addresses
 * and host routes, and the two tables the data path demultiplexes by
 * (RFC 2637 §4.1: GRE carries the receiver's call ID):
 *   GRE -> by_call[our call ID] -> connection (the core then checks that the
 *          packet's source is that connection's peer);
 *   TUN -> by_address[destination] -> session (connection + call).
 * Call IDs are unique per server (call_ids), so several clients behind one
 * NAT address (same source, different call IDs) work at once. */
#include "server/server_internal.h"

#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "base/text_escape.h"
#include "proto/auth/mschap_crypto.h"

struct server_session *server_session_of(struct server_conn *c, const struct tunnel_call *call)
{
	for (int i = 0; i < SERVER_CALLS_PER_CONN; i++)
		if (c->sessions[i].in_use && c->sessions[i].call == call)
			return &c->sessions[i];
	return NULL;
}

struct server_session *server_session_by_call_id(struct server_conn *c, uint16_t local_call_id)
{
	for (int i = 0; i < SERVER_CALLS_PER_CONN; i++)
		if (c->sessions[i].in_use && c->sessions[i].local_call_id == local_call_id)
			return &c->sessions[i];
	return NULL;
}

/* Through the privileged helper; the answer comes later, so `routed`
 * means "asked for" (a failure is logged when the answer comes). */
static void server_route(struct server *s, uint32_t address, bool add, bool *routed)
{
	if (add)
		*routed = server_privsep_route(s, address, true);
	else if (*routed)
		(void)server_privsep_route(s, address, false);
}

void server_session_release(struct server *s, struct server_conn *c, struct server_session *ss)
{
	if (!ss->in_use)
		return;
	server_acct_stop(s, ss);
	if (ss->address) {
		addr_map_del(&s->by_address, ss->address);
		server_route(s, ss->address, false, &ss->routed);
		ip_pool_release(&s->pool, ss->address);
	}
	if (ss->local_call_id && s->by_call[ss->local_call_id] == c)
		s->by_call[ss->local_call_id] = NULL;
	if (ss->up)
		daemon_notify_sessions(&s->notify, --s->sessions_up);
	memset(ss, 0, sizeof(*ss));
}

void server_session_call_up(struct server_conn *c, const struct tunnel_event *ev)
{
	for (int i = 0; i < SERVER_CALLS_PER_CONN; i++) {
		if (!c->sessions[i].in_use) {
			c->sessions[i].in_use = true;
			c->sessions[i].call = ev->call;
			c->sessions[i].local_call_id = ev->local_call_id;
			c->sessions[i].conn = c;
			server_acct_session_id(c->server, &c->sessions[i]);
			break;
		}
	}
	c->server->by_call[ev->local_call_id] = c;
}

/* The address handed out for this link is now the session's. */
static void conn_take_pending(struct server_conn *c, uint32_t addr)
{
	for (int i = 0; i < c->pending_count; i++) {
		if (c->pending[i] == addr) {
			c->pending[i] = c->pending[--c->pending_count];
			return;
		}
	}
}

static const char *mppe_text(unsigned bits)
{
	return bits == 128 ? "128" : bits == 56 ? "56" : bits == 40 ? "40" : "none";
}

void server_session_link_up(struct server_conn *c, const struct tunnel_event *ev)
{
	struct server *s = c->server;
	struct server_session *ss = server_session_of(c, ev->call);
	if (!ss)
		return;
	uint32_t addr = ev->link.peer_address;
	conn_take_pending(c, addr);
	ss->address = addr;
	if (addr_map_put(&s->by_address, addr, ss) < 0) {
		log_msg(LOG_LEVEL_ERROR, c->tag, "address already in use: closing");
		ss->address = 0;
		tunnel_call_close(c->dt.tunnel, ev->call, "address in use", sys_now_ms());
		return;
	}
	server_route(s, addr, true, &ss->routed);
	ss->up = true;
	ss->up_since = sys_now_ms();
	ss->idle_since = ss->up_since;
	snprintf(ss->user, sizeof(ss->user), "%s", ev->link.user);
	server_acct_start(s, ss);
	daemon_notify_sessions(&s->notify, ++s->sessions_up);
	if (!c->established) {
		c->established = true;
		s->negotiating--;
		loop_timer_cancel(s->loop, &c->setup_timer);
	}
	char a[IPV4_STR_MAX];
	log_msg(LOG_LEVEL_INFO, c->tag, "session up: %s, %s, MPPE %s", ipv4_format(addr, a),
		auth_method_name(ev->link.auth), mppe_text(ev->link.mppe_bits));
}

/* The entry a login authenticated with: the auth engine asks for the name
 * as sent, then without its "DOMAIN\\"; a name whose entry allows no
 * address was refused at lookup, so the bare name's entry was used. */
static const struct secret_entry *login_entry(const struct server *s, const char *user)
{
	const struct secret_entry *e = secrets_lookup(&s->secrets, user, s->cfg->name);
	const char *bare = mschap_strip_domain(user);

	if ((e && !secret_addrs_is_empty(&e->addrs)) || bare == user)
		return e;
	return secrets_lookup(&s->secrets, bare, s->cfg->name);
}

/* A session RADIUS accepted that has no address yet: it is the one
 * asking (a connection negotiates one call at a time in practice; with
 * several, RADIUS-accepted ones are served in turn). */
static bool server_session_radius_waiting(const struct server_conn *c)
{
	for (int i = 0; i < SERVER_CALLS_PER_CONN; i++)
		if (c->sessions[i].in_use && c->sessions[i].by_radius && !c->sessions[i].up)
			return true;
	return false;
}

/* RFC 2865 §5.8 Framed-IP-Address, or the pool when it is absent or
 * 255.255.255.254 (then static_address is 0). A Framed-IP-Address must lie
 * in --pool: the privileged helper routes nothing else (docs/radius.md). */
static uint32_t radius_address(struct server *s, struct server_conn *c, const char *shown, uint32_t addr)
{
	int rc;
	if (addr && addr_map_get(&s->by_address, addr))
		rc = ERR_EXISTS;
	else if (addr && ip_pool_contains(&s->pool, addr))
		rc = ip_pool_take(&s->pool, addr);
	else if (addr)
		rc = ERR_POLICY; /* the privileged helper routes the pool and the secrets file's statics only */
	else
		rc = ip_pool_take_any(&s->pool, &addr);
	if (rc < 0) {
		char a[IPV4_STR_MAX];
		log_msg(LOG_LEVEL_WARN, c->tag, "no tunnel address for \"%s\" (RADIUS %s): %s", shown,
			addr ? ipv4_format(addr, a) : "pool", error_name(rc));
		return 0;
	}
	c->pending[c->pending_count++] = addr;
	return addr;
}

uint32_t server_session_assign_address(void *tunnel_ctx, const char *user, uint32_t static_address)
{
	struct server_conn *c = daemon_tunnel_owner(tunnel_ctx);
	struct server *s = c->server;
	char shown[TEXT_ESCAPED_SIZE(64)]; /* the name as logs show it (escaped; long names cut) */
	text_escape_str(shown, sizeof(shown), user);
	if (s->sessions_up + (unsigned)c->pending_count >= (unsigned)s->cfg->max_sessions ||
	    c->pending_count >= SERVER_CALLS_PER_CONN) {
		log_msg(LOG_LEVEL_WARN, c->tag, "max-sessions (%d) reached: no address for \"%s\"", s->cfg->max_sessions,
			shown);
		return 0;
	}
	if (server_session_radius_waiting(c))
		return radius_address(s, c, shown, static_address);
	(void)static_address; /* re-read below: the file may have been reloaded since the lookup */
	const struct secret_entry *e = login_entry(s, user);
	if (!e) {
		log_msg(LOG_LEVEL_WARN, c->tag, "no tunnel address for \"%s\": no longer in the secrets file", shown);
		return 0;
	}
	uint32_t addr = secret_addrs_static(&e->addrs);
	int rc = ERR_LIMIT;
	if (addr && !ip_pool_contains(&s->pool, addr) && !addr_map_get(&s->by_address, addr))
		rc = 0; /* a static address outside the pool: no pool bookkeeping, as before */
	if (rc < 0)
		rc = ip_pool_take_in(&s->pool, &e->addrs, &addr);
	if (rc < 0) {
		log_msg(LOG_LEVEL_WARN, c->tag,
			"no tunnel address for \"%s\": none free among those line %u of the secrets file allows", shown,
			e->line);
		return 0;
	}
	c->pending[c->pending_count++] = addr;
	return addr;
}

/* ---- the data path's tables ---- */

struct daemon_tunnel *server_gre_lookup(void *ctx, uint16_t call_id)
{
	struct server *s = ctx;
	struct server_conn *c = s->by_call[call_id];
	return c && !c->dead ? &c->dt : NULL;
}

enum daemon_tun_drop server_tun_route(void *ctx, struct pkt *ip, uint64_t now_ms)
{
	struct server *s = ctx;
	uint32_t dst;
	if (!daemon_tun_ipv4_destination(ip, &dst))
		return DAEMON_TUN_DROP_NOT_IPV4;
	struct server_session *ss = addr_map_get(&s->by_address, dst);
	if (!ss || !ss->up || ss->conn->dead || !daemon_tunnel_is_running(&ss->conn->dt))
		return DAEMON_TUN_DROP_NO_SESSION;
	daemon_tunnel_send_ip(&ss->conn->dt, ss->call, ip, now_ms);
	return DAEMON_TUN_ROUTED;
}
