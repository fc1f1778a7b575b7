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
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/text_escape.h"
#include "base/bytes.h"
#include "proto/auth/mschap_crypto.h"
#include "proto/ip/ip_nd.h"

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
 * means "asked for" (a failure is logged when the answer comes). mtu: the
 * session's link MTU; below the shared TUN's it goes on the route (issue
 * 12 §1), so the kernel sizes packets to this peer (and answers its own
 * senders with Fragmentation Needed) before they reach us. */
static void server_route(struct server *s, uint32_t address, uint16_t mtu, bool add, bool *routed)
{
	uint16_t route_mtu = mtu && mtu < (uint32_t)s->cfg->mtu ? mtu : 0;
	if (add)
		*routed = server_privsep_route(s, address, route_mtu, true);
	else if (*routed)
		(void)server_privsep_route(s, address, 0, false);
}

static void server_session_forget_link_local(struct server *s, struct server_session *ss)
{
	if (!ss->peer_iid)
		return;
	if (addr_map_get(&s->by_iid, server_iid_key(ss->peer_iid)) == ss)
		addr_map_del(&s->by_iid, server_iid_key(ss->peer_iid));
	if (ss->routed_ll) {
		uint8_t ll[16];
		nd_link_local(ll, ss->peer_iid);
		(void)server_privsep_route6(s, ll, 128, false);
	}
	ss->peer_iid = 0;
	ss->routed_ll = false;
}

void server_session_release(struct server *s, struct server_conn *c, struct server_session *ss)
{
	if (!ss->in_use)
		return;
	server_acct_stop(s, ss);
	server_dae_session_down(s, ss);
	if (ss->subnet6) {
		if (addr_map_get(&s->by_subnet6, ss->subnet6) == ss)
			addr_map_del(&s->by_subnet6, ss->subnet6);
		if (ss->routed6) {
			uint8_t prefix[16];
			ipv6_pool_subnet(&s->pool6, ss->subnet6, prefix);
			(void)server_privsep_route6(s, prefix, 64, false);
		}
	}
	server_session_forget_link_local(s, ss);
	server_framed_release(s, ss);
	if (ss->address) {
		addr_map_del(&s->by_address, ss->address);
		server_route(s, ss->address, 0, false, &ss->routed);
		ip_pool_release(&s->pool, ss->address);
	}
	if (ss->local_call_id && s->by_call[ss->local_call_id] == c)
		s->by_call[ss->local_call_id] = NULL;
	/* Its last figures into the totals (server_metrics.h). Only a session
	 * that came up carried traffic worth adding; a call that failed
	 * before IPCP is counted in the setup failures instead. */
	if (ss->call && ss->up) {
		struct tunnel_call_info info;
		tunnel_call_get_info(ss->call, &info);
		server_link_totals_add(&s->counters.closed, &info);
	}
	if (ss->up) {
		s->counters.sessions_ended++;
		daemon_notify_sessions(&s->notify, --s->sessions_up);
	}
	free(ss->user);
	free(ss->grant.class_value);
	memset(ss, 0, sizeof(*ss));
}

void server_session_grant(struct server_session *ss, const struct radius_grant *g)
{
	free(ss->grant.class_value);
	ss->grant = (struct server_grant){ .session_timeout = g->session_timeout,
					   .idle_timeout = g->idle_timeout,
					   .interim_interval = g->interim_interval };
	if (g->class_len && (ss->grant.class_value = malloc(g->class_len)) != NULL) {
		memcpy(ss->grant.class_value, g->class_value, g->class_len);
		ss->grant.class_len = g->class_len;
	}
}

void server_session_call_up(struct server_conn *c, const struct tunnel_event *ev)
{
	for (int i = 0; i < SERVER_CALLS_PER_CONN; i++) {
		if (!c->sessions[i].in_use) {
			c->sessions[i].in_use = true;
			c->sessions[i].call = ev->call;
			c->sessions[i].local_call_id = ev->local_call_id;
			c->sessions[i].conn = c;
			c->sessions[i].call_up_ms = sys_now_ms();
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
		if (c->pending[i].address == addr) {
			c->pending[i] = c->pending[--c->pending_count];
			c->server->pending_addresses--;
			return;
		}
	}
}

void server_session_drop_pending(struct server_conn *c)
{
	struct server *s = c->server;
	for (int i = 0; i < c->pending_count; i++)
		ip_pool_release(&s->pool, c->pending[i].address);
	s->pending_addresses -= (unsigned)c->pending_count;
	c->pending_count = 0;
}

void server_session_call_down(struct server_conn *c, const struct tunnel_event *ev)
{
	struct server *s = c->server;
	struct server_session *ss = ev->call ? server_session_of(c, ev->call) : NULL;
	bool came_up = ss && ss->up;
	if (ss)
		server_session_release(s, c, ss);
	if (s->by_call[ev->local_call_id] == c)
		s->by_call[ev->local_call_id] = NULL;
	if (came_up)
		return;
	/* A call that failed before IPCP finished: its address goes back now,
	 * not when the connection ends. The pending list does not say which
	 * call an address went to, so it is emptied only when no other call of
	 * this connection is still before IPCP (one call per connection is
	 * what clients do; the rest goes at the connection's end). */
	for (int i = 0; i < SERVER_CALLS_PER_CONN; i++)
		if (c->sessions[i].in_use && !c->sessions[i].up)
			return;
	server_session_drop_pending(c);
}

uint64_t server_account_key(const char *user)
{
	/* FNV-1a, 64 bits. */
	uint64_t h = 0xcbf29ce484222325ULL;
	for (const char *p = mschap_strip_domain(user); *p; p++) {
		h ^= (uint8_t)*p;
		h *= 0x100000001b3ULL;
	}
	return h;
}

unsigned server_account_sessions(const struct server *s, uint64_t account)
{
	unsigned n = 0;
	for (const struct server_conn *c = s->conns; c; c = c->next) {
		for (int i = 0; i < SERVER_CALLS_PER_CONN; i++)
			n += c->sessions[i].up && c->sessions[i].account == account;
		for (int i = 0; i < c->pending_count; i++)
			n += c->pending[i].account == account;
	}
	return n;
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
	ss->account = server_account_key(ev->link.user);
	if (addr_map_put(&s->by_address, addr, ss) < 0) {
		log_msg(LOG_LEVEL_ERROR, c->tag, "address already in use: closing");
		ss->address = 0;
		tunnel_call_close(c->dt.tunnel, ev->call, "address in use", sys_now_ms());
		return;
	}
	server_route(s, addr, ev->link.mtu, true, &ss->routed);
	ss->mtu = ev->link.mtu;
	server_framed_route_all(s, ss, true);
	ss->up = true;
	ss->up_since = sys_now_ms();
	s->counters.setups++;
	server_counters_setup_time(&s->counters, ss->up_since - ss->call_up_ms);
	ss->idle_since = ss->up_since;
	free(ss->user);
	ss->user = strdup(ev->link.user); /* NULL (no memory): accounting sends "" */
	server_acct_start(s, ss);
	daemon_notify_sessions(&s->notify, ++s->sessions_up);
	if (!c->established) {
		c->established = true;
		s->negotiating--;
		source_limit_negotiating_close(&s->limits, c->peer);
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

/* An address handed to a login whose IPCP has not finished: counted in
 * the server-wide admission (server_session_assign_address). */
static uint32_t pending_add(struct server_conn *c, uint32_t addr, uint64_t account)
{
	c->pending[c->pending_count].address = addr;
	c->pending[c->pending_count].account = account;
	c->pending_count++;
	c->server->pending_addresses++;
	return addr;
}

/* RFC 2865 §5.8 Framed-IP-Address, or the pool when it is absent or
 * 255.255.255.254 (then static_address is 0). A Framed-IP-Address must lie
 * in --pool: the privileged helper routes nothing else (docs/radius.md). */
static uint32_t radius_address(struct server *s, struct server_conn *c, const char *shown, uint32_t addr,
			       uint64_t account)
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
		s->counters.refused[SERVER_REFUSED_NO_ADDRESS]++;
		log_msg(LOG_LEVEL_WARN, c->tag, "no tunnel address for \"%s\" (RADIUS %s): %s", shown,
			addr ? ipv4_format(addr, a) : "pool", error_name(rc));
		return 0;
	}
	return pending_add(c, addr, account);
}

/* A static address outside the pool has no pool bookkeeping: it is held
 * by a session that is up or by a login it was offered to whose IPCP has
 * not finished (on any connection). A second concurrent login of its
 * user is refused rather than offered it too: the secrets file allows
 * that user no other address (pppd likewise refuses an address the file
 * does not authorise), and two peers must never hold one address. */
static bool address_held(const struct server *s, uint32_t addr)
{
	if (addr_map_get(&s->by_address, addr))
		return true;
	for (const struct server_conn *c = s->conns; c; c = c->next)
		for (int i = 0; i < c->pending_count; i++)
			if (c->pending[i].address == addr)
				return true;
	return false;
}

uint32_t server_session_assign_address(void *tunnel_ctx, const char *user, uint32_t static_address)
{
	struct server_conn *c = daemon_tunnel_owner(tunnel_ctx);
	struct server *s = c->server;
	char shown[TEXT_ESCAPED_SIZE(64)]; /* the name as logs show it (escaped; long names cut) */
	text_escape_str(shown, sizeof(shown), user);
	/* Admission, server-wide: sessions up plus every address handed out
	 * and not yet up, so concurrent logins cannot overshoot. */
	if (s->sessions_up + s->pending_addresses >= (unsigned)s->cfg->max_sessions ||
	    c->pending_count >= SERVER_CALLS_PER_CONN) {
		s->counters.refused[SERVER_REFUSED_MAX_SESSIONS]++;
		log_limited(&s->log_limit, sys_now_ms(), LOG_LEVEL_WARN, c->tag,
			    "max-sessions (%d) reached: no address for \"%s\"", s->cfg->max_sessions, shown);
		return 0;
	}
	uint64_t account = server_account_key(user);
	if (s->cfg->max_sessions_per_user > 0 &&
	    server_account_sessions(s, account) >= (unsigned)s->cfg->max_sessions_per_user) {
		s->counters.refused[SERVER_REFUSED_MAX_SESSIONS_PER_USER]++;
		log_limited(&s->log_limit, sys_now_ms(), LOG_LEVEL_WARN, c->tag,
			    "max-sessions-per-user (%d) reached: no address for \"%s\"", s->cfg->max_sessions_per_user,
			    shown);
		return 0;
	}
	if (server_session_radius_waiting(c))
		return radius_address(s, c, shown, static_address, account);
	(void)static_address; /* re-read below: the file may have been reloaded since the lookup */
	const struct secret_entry *e = login_entry(s, user);
	if (!e) {
		log_msg(LOG_LEVEL_WARN, c->tag, "no tunnel address for \"%s\": no longer in the secrets file", shown);
		return 0;
	}
	uint32_t addr = secret_addrs_static(&e->addrs);
	int rc = ERR_LIMIT;
	if (addr && !ip_pool_contains(&s->pool, addr) && !address_held(s, addr))
		rc = 0; /* a static address outside the pool: no pool bookkeeping, as before */
	if (rc < 0)
		rc = ip_pool_take_in(&s->pool, &e->addrs, &addr);
	if (rc < 0) {
		s->counters.refused[SERVER_REFUSED_NO_ADDRESS]++;
		log_msg(LOG_LEVEL_WARN, c->tag,
			"no tunnel address for \"%s\": none free among those line %u of the secrets file allows", shown,
			e->line);
		return 0;
	}
	return pending_add(c, addr, account);
}

/* --ipv6-pool: the /64 follows the tunnel address (ipv6.h). Subnet 0 is
 * the server's; one taken by another session (two tunnel addresses with
 * the same low bits: a pool wider than the /64s) gives none, and the
 * peer keeps its link-local address only. */
bool server_session_assign_prefix6(void *tunnel_ctx, uint32_t peer_address, uint8_t prefix[8])
{
	struct server_conn *c = daemon_tunnel_owner(tunnel_ctx);
	struct server *s = c->server;
	uint32_t subnet = ipv6_pool_subnet_of_ipv4(&s->pool6, peer_address);
	const struct server_session *other = subnet ? addr_map_get(&s->by_subnet6, subnet) : NULL;
	if (!subnet || (other && other->address != peer_address)) {
		log_msg(LOG_LEVEL_WARN, c->tag, "no IPv6 prefix: subnet %u of --ipv6-pool is %s", subnet,
			subnet ? "another session's" : "the server's");
		return false;
	}
	uint8_t full[16];
	ipv6_pool_subnet(&s->pool6, subnet, full);
	memcpy(prefix, full, 8);
	return true;
}

/* IPV6CP is up: the session's /64 goes into the demux table and gets its
 * route on the TUN. */
/* The link-local table's key: the identifier's low 32 bits (never 0);
 * a lookup checks the whole identifier. */
uint32_t server_iid_key(uint64_t iid)
{
	uint32_t k = (uint32_t)iid;
	return k ? k : 1;
}

/* fe80::<peer identifier>: reachable from the server's stack through the
 * TUN (its own fe80::1). Two sessions whose identifiers share the low 32
 * bits: the second is not reachable by link-local address (its /64 is). */
static void server_session_link_local(struct server_conn *c, struct server_session *ss, uint64_t iid)
{
	struct server *s = c->server;
	if (ss->peer_iid == iid)
		return;
	server_session_forget_link_local(s, ss); /* IPV6CP renegotiated another identifier */
	if (!iid || addr_map_put(&s->by_iid, server_iid_key(iid), ss) < 0)
		return;
	ss->peer_iid = iid;
	uint8_t ll[16];
	nd_link_local(ll, iid);
	ss->routed_ll = server_privsep_route6(s, ll, 128, true);
}

void server_session_ipv6_up(struct server_conn *c, const struct tunnel_event *ev)
{
	struct server *s = c->server;
	struct server_session *ss = server_session_of(c, ev->call);
	const struct ppp_link_ipv6 *v = &ev->link.ipv6;
	if (!ss || !ss->up)
		return;
	server_session_link_local(c, ss, v->peer_id);
	if (!v->has_prefix || ss->subnet6)
		return;
	uint32_t subnet = ipv6_pool_subnet_of(&s->pool6, v->prefix);
	if (!subnet || addr_map_put(&s->by_subnet6, subnet, ss) < 0) {
		log_msg(LOG_LEVEL_WARN, c->tag, "IPv6 prefix not routed: subnet %u in use", subnet);
		return;
	}
	ss->subnet6 = subnet;
	ss->routed6 = server_privsep_route6(s, v->prefix, 64, true);
	char p[IPV6_STR_MAX];
	log_msg(LOG_LEVEL_INFO, c->tag, "session IPv6: %s/64, peer fe80::%x:%x:%x:%x", ipv6_format(v->prefix, p),
		(unsigned)(v->peer_id >> 48), (unsigned)(v->peer_id >> 32) & 0xffff,
		(unsigned)(v->peer_id >> 16) & 0xffff, (unsigned)v->peer_id & 0xffff);
}

/* ---- the data path's tables ---- */

/* IPv6: a destination in --ipv6-pool by its subnet ID, a link-local one
 * (fe80::/64) by the peer's identifier. */
static struct server_session *server_session_by_ipv6(struct server *s, const uint8_t *dst)
{
	static const uint8_t link_local[8] = { 0xfe, 0x80 };
	if (memcmp(dst, link_local, 8) != 0)
		return addr_map_get(&s->by_subnet6, ipv6_pool_subnet_of(&s->pool6, dst));
	uint64_t iid = (uint64_t)load_be32(dst + 8) << 32 | load_be32(dst + 12);
	struct server_session *ss = addr_map_get(&s->by_iid, server_iid_key(iid));
	return ss && ss->peer_iid == iid ? ss : NULL;
}

/* IPv4: a session's own address (the /32 fast path), else a RADIUS
 * Framed-Route prefix routed to it (issue 14; server_framed.h bounds the
 * scan). */
static struct server_session *server_session_by_ipv4(struct server *s, uint32_t dst)
{
	struct server_session *ss = addr_map_get(&s->by_address, dst);
	if (!ss && s->framed.used)
		ss = server_framed_lookup(&s->framed, dst);
	return ss;
}

struct daemon_tunnel *server_gre_lookup(void *ctx, uint16_t call_id)
{
	struct server *s = ctx;
	struct server_conn *c = s->by_call[call_id];
	return c && !c->dead ? &c->dt : NULL;
}

size_t server_tun_segment_mtu(void *ctx, const uint8_t *ip, size_t len)
{
	struct server *s = ctx;
	struct pkt view = { .buf = (uint8_t *)ip, .cap = len, .len = len };
	uint32_t dst;
	const uint8_t *dst6;
	struct server_session *ss = NULL;
	if (daemon_tun_ipv4_destination(&view, &dst))
		ss = server_session_by_ipv4(s, dst);
	else if (s->ipv6 && daemon_tun_ipv6_destination(&view, &dst6))
		ss = server_session_by_ipv6(s, dst6);
	/* No session: segments at the TUN MTU, for the route to count and drop. */
	return ss && ss->up && ss->mtu ? ss->mtu : (size_t)s->cfg->mtu;
}

enum daemon_tun_drop server_tun_route(void *ctx, struct pkt *ip, uint64_t now_ms)
{
	struct server *s = ctx;
	uint32_t dst;
	struct server_session *ss;
	const uint8_t *dst6;
	if (daemon_tun_ipv4_destination(ip, &dst))
		ss = server_session_by_ipv4(s, dst);
	else if (s->ipv6 && daemon_tun_ipv6_destination(ip, &dst6))
		ss = server_session_by_ipv6(s, dst6);
	else
		return DAEMON_TUN_DROP_NOT_IPV4;
	if (!ss || !ss->up || ss->conn->dead || !daemon_tunnel_is_running(&ss->conn->dt))
		return DAEMON_TUN_DROP_NO_SESSION;
	daemon_tunnel_send_ip(&ss->conn->dt, ss->call, ip, now_ms);
	return DAEMON_TUN_ROUTED;
}
