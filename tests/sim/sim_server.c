/* SPDX-License-Identifier: BSD-2-Clause */
/* The socket-free server (sim_server.h): connections, their tunnel events
 * and the server-wide tables, mirroring src/server/server_conn.c and
 * server_session.c step for step. */
#include "sim_server.h"

#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "base/time.h"
#include "proto/auth/auth_method.h"
#include "proto/gre/gre_ipv4.h"
#include "proto/session/tunnel_internal.h"

#define SIM_SETUP_GRACE_MS 30000u

/* ---- the end of a session, of a connection ---- */

static void session_release(struct sim_server *s, struct sim_conn *c, struct sim_session *ss)
{
	if (!ss->in_use)
		return;
	if (ss->address) {
		addr_map_del(&s->by_address, ss->address);
		ip_pool_release(&s->pool, ss->address);
	}
	if (ss->local_call_id && s->by_call[ss->local_call_id] == c->index)
		s->by_call[ss->local_call_id] = -1;
	if (ss->up)
		s->sessions_up--;
	memset(ss, 0, sizeof(*ss));
}

static void conn_free(struct sim_conn *c)
{
	struct sim_server *s = c->server;
	for (int i = 0; i < SIM_SERVER_CALLS_PER_CONN; i++)
		session_release(s, c, &c->sessions[i]);
	for (int i = 0; i < c->pending_count; i++)
		ip_pool_release(&s->pool, c->pending[i]);
	c->pending_count = 0;
	tunnel_free(c->tunnel); /* gives back the call IDs of calls still held */
	c->tunnel = NULL;
	c->deadline = DEADLINE_NONE;
	c->open = false;
}

/* ---- the engine's callbacks (ctx = the connection) ---- */

static void on_tcp_output(void *ctx, const uint8_t *bytes, size_t len)
{
	struct sim_conn *c = ctx;
	c->server->io.tcp_output(c->server->io.ctx, c->index, bytes, len);
}

static void on_gre_output(void *ctx, uint32_t peer, struct pkt *gre)
{
	struct sim_conn *c = ctx;
	c->server->io.gre_output(c->server->io.ctx, peer, gre);
}

static void on_tun_output(void *ctx, struct tunnel_call *call, struct pkt *ip)
{
	struct sim_conn *c = ctx;
	c->server->io.tun_output(c->server->io.ctx, c->index, call->local_id, ip);
}

static int on_call_id_alloc(void *ctx, uint16_t *id)
{
	struct sim_conn *c = ctx;
	return call_ids_take(&c->server->call_ids, id);
}

static void on_call_id_free(void *ctx, uint16_t id)
{
	struct sim_conn *c = ctx;
	if (c->server->by_call[id] == c->index)
		c->server->by_call[id] = -1;
	call_ids_release(&c->server->call_ids, id);
}

/* "userN" has password "pw-N"; user7 has a static address outside the pool. */
static int on_lookup_secret(void *ctx, const char *user, struct ppp_link_secret *out)
{
	(void)ctx;
	unsigned n;
	char tail;
	if (sscanf(user, "user%u%c", &n, &tail) != 1 || n >= SIM_USERS)
		return ERR_NOT_FOUND;
	memset(out, 0, sizeof(*out));
	out->has_password = true;
	snprintf(out->password, sizeof(out->password), "pw-%u", n);
	if (n == SIM_USERS - 1)
		out->static_address = 0xCB007164u; /* 203.0.113.100 */
	return 0;
}

/* An address offered to a login on some connection, IPCP not finished. */
static bool pending_elsewhere(const struct sim_server *s, uint32_t addr)
{
	for (int k = 0; k < SIM_SERVER_MAX_CONNS; k++)
		for (int i = 0; i < s->conns[k].pending_count; i++)
			if (s->conns[k].pending[i] == addr)
				return true;
	return false;
}

/* server_session_assign_address: bounded by max-sessions and the per-
 * connection pending list; a static address outside the pool is taken
 * without pool bookkeeping unless a session holds it or a login on any
 * connection was offered it. */
static uint32_t on_assign_address(void *ctx, const char *user, uint32_t static_address)
{
	struct sim_conn *c = ctx;
	struct sim_server *s = c->server;
	(void)user;
	if (s->sessions_up + (unsigned)c->pending_count >= s->max_sessions ||
	    c->pending_count >= SIM_SERVER_CALLS_PER_CONN)
		return 0;
	uint32_t addr = static_address;
	if (addr && !ip_pool_contains(&s->pool, addr)) {
		/* The user's only address: refused while another login holds it. */
		if (addr_map_get(&s->by_address, addr) || pending_elsewhere(s, addr))
			return 0;
	} else if (ip_pool_take_any(&s->pool, &addr) < 0) {
		return 0;
	}
	c->pending[c->pending_count++] = addr;
	return addr;
}

/* ---- events ---- */

static struct sim_session *session_of(struct sim_conn *c, const struct tunnel_call *call)
{
	for (int i = 0; i < SIM_SERVER_CALLS_PER_CONN; i++)
		if (c->sessions[i].in_use && c->sessions[i].call == call)
			return &c->sessions[i];
	return NULL;
}

static void take_pending(struct sim_conn *c, uint32_t addr)
{
	for (int i = 0; i < c->pending_count; i++) {
		if (c->pending[i] == addr) {
			c->pending[i] = c->pending[--c->pending_count];
			return;
		}
	}
}

static void on_call_up(struct sim_conn *c, const struct tunnel_event *ev)
{
	for (int i = 0; i < SIM_SERVER_CALLS_PER_CONN; i++) {
		if (!c->sessions[i].in_use) {
			c->sessions[i] = (struct sim_session){ .in_use = true, .call = ev->call, .local_call_id = ev->local_call_id };
			break;
		}
	}
	c->server->by_call[ev->local_call_id] = (int8_t)c->index;
}

static void on_link_up(struct sim_conn *c, const struct tunnel_event *ev, uint64_t now)
{
	struct sim_server *s = c->server;
	struct sim_session *ss = session_of(c, ev->call);
	c->links_up++;
	if (!ss)
		return;
	uint32_t addr = ev->link.peer_address;
	take_pending(c, addr);
	if (pending_elsewhere(s, addr) && !s->violation)
		s->violation = "one tunnel address offered to two concurrent logins";
	ss->address = addr;
	if (addr_map_put(&s->by_address, addr, ss) < 0) {
		ss->address = 0;
		tunnel_call_close(c->tunnel, ev->call, "address in use", now);
		return;
	}
	ss->up = true;
	s->sessions_up++;
}

static void conn_event(struct sim_conn *c, const struct tunnel_event *ev, uint64_t now, bool *closed)
{
	struct sim_server *s = c->server;
	switch (ev->type) {
	case TUNNEL_EVENT_CONTROL_UP:
	case TUNNEL_EVENT_AUTHENTICATED:
	case TUNNEL_EVENT_IPV6_UP: /* the simulation runs IPv4 sessions only */
	case TUNNEL_EVENT_IPV6_PREFIX:
	case TUNNEL_EVENT_VERIFY: /* remote verification is not simulated: the secrets path only */
		break;
	case TUNNEL_EVENT_CALL_UP:
		on_call_up(c, ev);
		break;
	case TUNNEL_EVENT_LINK_UP:
		on_link_up(c, ev, now);
		break;
	case TUNNEL_EVENT_LINK_DOWN:
		c->links_down++;
		break;
	case TUNNEL_EVENT_CALL_DOWN: {
		struct sim_session *ss = ev->call ? session_of(c, ev->call) : NULL;
		if (ss)
			session_release(s, c, ss);
		if (s->by_call[ev->local_call_id] == c->index)
			s->by_call[ev->local_call_id] = -1;
		break;
	}
	case TUNNEL_EVENT_CLOSED:
		*closed = true;
		if (s->io.conn_closed)
			s->io.conn_closed(s->io.ctx, c->index, ev->cause);
		break;
	}
}

/* What the daemon does after every tunnel_* call; a closed connection is
 * freed once its events are drained (server_conn.c frees it deferred). */
static void conn_drain(struct sim_conn *c, uint64_t now)
{
	struct tunnel_event ev;
	bool closed = false;
	while (tunnel_next_event(c->tunnel, &ev)) {
		if (closed && !c->server->violation)
			c->server->violation = "a tunnel event after CLOSED";
		conn_event(c, &ev, now, &closed);
	}
	if (c->tunnel->events_lost)
		c->server->events_lost += c->tunnel->events_lost;
	if (closed)
		conn_free(c);
	else
		c->deadline = tunnel_next_deadline(c->tunnel);
}

static struct sim_conn *conn_at(struct sim_server *s, int conn)
{
	if (conn < 0 || conn >= SIM_SERVER_MAX_CONNS || !s->conns[conn].open)
		return NULL;
	s->changed = true;
	return &s->conns[conn];
}

/* ---- public ---- */

int sim_server_init(struct sim_server *s, const struct sim_server_config *cfg, const struct sim_server_io *io,
		    uint64_t seed)
{
	memset(s, 0, sizeof(*s));
	s->io = *io;
	sim_rng_seed(&s->rng, seed);
	call_ids_init(&s->call_ids, sim_rng_source(&s->rng));
	memset(s->by_call, -1, sizeof(s->by_call));
	s->auth = cfg->auth ? cfg->auth : AUTH_METHOD_BIT(AUTH_METHOD_MSCHAPV2);
	s->mppe = cfg->mppe;
	s->max_sessions = cfg->max_sessions ? cfg->max_sessions : 20;
	s->setup_timeout_ms = cfg->setup_timeout_ms ? cfg->setup_timeout_ms : SIM_SETUP_GRACE_MS;
	if (ip_pool_init(&s->pool, SIM_POOL_FIRST, SIM_POOL_LAST) < 0)
		return -1;
	if (addr_map_init(&s->by_address, 64) < 0) {
		ip_pool_destroy(&s->pool);
		return -1;
	}
	for (int i = 0; i < SIM_SERVER_MAX_CONNS; i++)
		s->conns[i] = (struct sim_conn){ .server = s, .index = i, .deadline = DEADLINE_NONE };
	s->changed = true;
	return 0;
}

void sim_server_destroy(struct sim_server *s)
{
	for (int i = 0; i < SIM_SERVER_MAX_CONNS; i++)
		if (s->conns[i].open)
			conn_free(&s->conns[i]);
	addr_map_destroy(&s->by_address);
	ip_pool_destroy(&s->pool);
}

int sim_server_accept(struct sim_server *s, int slot, uint32_t peer, uint64_t now)
{
	if (slot < 0 || slot >= SIM_SERVER_MAX_CONNS || s->conns[slot].open)
		return -1;
	s->changed = true;
	{
		int i = slot;
		struct sim_conn *c = &s->conns[i];
		*c = (struct sim_conn){ .server = s, .index = i, .peer = peer, .deadline = DEADLINE_NONE };
		struct tunnel_config tc = { 0 };
		tc.role = PPTP_ROLE_PAC;
		tc.local_ipv4 = SIM_SERVER_ADDRESS;
		tc.peer_ipv4 = peer;
		tc.tag = "sim-server";
		tc.random = sim_rng_source(&s->rng);
		pptp_ctrl_config_defaults(&tc.ctrl, PPTP_ROLE_PAC);
		tc.ctrl.setup_timeout_ms = s->setup_timeout_ms;
		gre_channel_config_default(&tc.gre);
		ppp_link_config_defaults(&tc.link, PPP_LINK_SERVER);
		tc.link.auth_allowed = s->auth;
		tc.link.mppe = s->mppe;
		tc.link.local_address = SIM_SERVER_TUNNEL;
		tc.link.lookup_secret = on_lookup_secret;
		tc.link.assign_address = on_assign_address;
		tc.ctx = c;
		tc.tcp_output = on_tcp_output;
		tc.gre_output = on_gre_output;
		tc.tun_output = on_tun_output;
		tc.call_id_alloc = on_call_id_alloc;
		tc.call_id_free = on_call_id_free;
		c->tunnel = tunnel_new(&tc, now);
		if (!c->tunnel)
			return -1;
		c->deadline = tunnel_next_deadline(c->tunnel);
		c->open = true;
		return i;
	}
}

void sim_server_tcp_input(struct sim_server *s, int conn, const uint8_t *bytes, size_t len, uint64_t now)
{
	struct sim_conn *c = conn_at(s, conn);
	if (!c)
		return;
	tunnel_tcp_input(c->tunnel, bytes, len, now);
	conn_drain(c, now);
}

void sim_server_tcp_closed(struct sim_server *s, int conn, uint64_t now)
{
	struct sim_conn *c = conn_at(s, conn);
	if (!c)
		return;
	tunnel_tcp_closed(c->tunnel, now);
	conn_drain(c, now);
}

/* daemon_gre.c's gre_dispatch_one, with by_call as the lookup. */
enum sim_gre_drop sim_server_gre_input(struct sim_server *s, uint32_t src, struct pkt *p, uint64_t now)
{
	struct gre_ipv4 ip;
	struct gre_header h;
	int rc = gre_ipv4_strip(p, &ip);
	if (rc >= 0)
		rc = gre_header_strip(p, &h);
	enum sim_gre_drop result = SIM_GRE_DELIVERED;
	struct sim_conn *c = NULL;
	if (rc < 0)
		result = SIM_GRE_MALFORMED;
	else if (!(c = conn_at(s, s->by_call[h.call_id])))
		result = SIM_GRE_NO_CALL;
	else if (c->peer != src)
		result = SIM_GRE_WRONG_PEER;
	else if (!tunnel_call_find(c->tunnel, h.call_id))
		result = SIM_GRE_NO_CALL;
	s->gre[result]++;
	s->changed = true;
	if (result != SIM_GRE_DELIVERED) {
		pkt_free(p);
		return result;
	}
	tunnel_gre_input(c->tunnel, &h, p, now);
	conn_drain(c, now);
	return result;
}

void sim_server_tun_input(struct sim_server *s, struct pkt *ip, uint64_t now)
{
	uint32_t dst = ip->len >= 20 ? (uint32_t)pkt_data(ip)[16] << 24 | (uint32_t)pkt_data(ip)[17] << 16 |
					       (uint32_t)pkt_data(ip)[18] << 8 | pkt_data(ip)[19]
				     : 0;
	struct sim_session *ss = dst ? addr_map_get(&s->by_address, dst) : NULL;
	struct sim_conn *c = NULL;
	for (int i = 0; ss && i < SIM_SERVER_MAX_CONNS && !c; i++)
		if (s->conns[i].open && ss >= s->conns[i].sessions && ss < s->conns[i].sessions + SIM_SERVER_CALLS_PER_CONN)
			c = &s->conns[i];
	s->changed = true;
	if (!ss || !ss->up || !c) {
		s->tun_no_session++;
		pkt_free(ip);
		return;
	}
	(void)tunnel_send_ip(c->tunnel, ss->call, ip, now);
	conn_drain(c, now);
}

void sim_server_close_conn(struct sim_server *s, int conn, uint64_t now)
{
	struct sim_conn *c = conn_at(s, conn);
	if (!c)
		return;
	c->closing = true;
	tunnel_close(c->tunnel, "Server shutting down", now);
	conn_drain(c, now);
}

void sim_server_close_all(struct sim_server *s, uint64_t now)
{
	for (int i = 0; i < SIM_SERVER_MAX_CONNS; i++)
		sim_server_close_conn(s, i, now);
}

uint64_t sim_server_next_deadline(const struct sim_server *s)
{
	uint64_t d = DEADLINE_NONE;
	for (int i = 0; i < SIM_SERVER_MAX_CONNS; i++)
		if (s->conns[i].open)
			d = deadline_min(d, s->conns[i].deadline);
	return d;
}

void sim_server_on_timeout(struct sim_server *s, uint64_t now)
{
	for (int i = 0; i < SIM_SERVER_MAX_CONNS; i++) {
		struct sim_conn *c = &s->conns[i];
		if (c->open && c->deadline <= now) {
			s->changed = true;
			tunnel_on_timeout(c->tunnel, now);
			conn_drain(c, now);
		}
	}
}

unsigned sim_server_open_conns(const struct sim_server *s)
{
	unsigned n = 0;
	for (int i = 0; i < SIM_SERVER_MAX_CONNS; i++)
		n += s->conns[i].open;
	return n;
}
