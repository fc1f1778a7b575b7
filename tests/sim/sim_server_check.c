/* SPDX-License-Identifier: BSD-2-Clause */
/* The server's bookkeeping invariants (issue 11, "Prove it"): every call ID
 * in the server-wide table is held by a call some connection's control
 * engine knows, every pool address by a session or a pending assignment,
 * every routed address by a live session; with no connection open, all of
 * it is back to empty. And for isolation: the pieces of what one
 * connection's input may change, so a check can show the others kept theirs. */
#include "sim_server.h"

#include <string.h>

#include "proto/session/tunnel_internal.h"

/* What one connection's input may change, piece by piece: the connection,
 * its tunnel, each call with the link's counters and state. The isolation
 * check copies the pieces of every other connection before an input and
 * compares them after (bytes, not a hash: exact, and several times faster
 * than hashing them). */
bool sim_conn_pieces(const struct sim_conn *c, sim_conn_piece_fn fn, void *ctx)
{
	if (!fn(ctx, c, sizeof(*c)))
		return false;
	if (!c->open)
		return true;
	const struct tunnel *t = c->tunnel;
	if (!fn(ctx, t, sizeof(*t)))
		return false;
	for (int i = 0; i < TUNNEL_MAX_CALLS; i++) {
		const struct tunnel_call *call = t->calls[i];
		if (!call)
			continue;
		struct tunnel_call_info info;
		tunnel_call_get_info(call, &info);
		if (!fn(ctx, call, sizeof(*call)) || !fn(ctx, &info.link, sizeof(info.link)) ||
		    !fn(ctx, &info.state, sizeof(info.state)) ||
		    !fn(ctx, &info.local_address, sizeof(info.local_address)) ||
		    !fn(ctx, &info.peer_address, sizeof(info.peer_address)))
			return false;
	}
	return true;
}

static bool call_id_taken(const struct call_ids *ids, uint16_t id)
{
	return (ids->taken[id / 64] >> (id % 64)) & 1u;
}

const char *sim_server_check(const struct sim_server *s)
{
	if (s->violation)
		return s->violation;
	if (s->events_lost)
		return "a tunnel's event queue overflowed";
	unsigned ctrl_calls = 0, pool_held = 0, mapped = 0, up = 0;
	for (int i = 0; i < SIM_SERVER_MAX_CONNS; i++) {
		const struct sim_conn *c = &s->conns[i];
		if (!c->open)
			continue;
		ctrl_calls += pptp_ctrl_call_count(&c->tunnel->ctrl);
		for (int k = 0; k < c->pending_count; k++)
			pool_held += ip_pool_contains(&s->pool, c->pending[k]);
		for (int k = 0; k < SIM_SERVER_CALLS_PER_CONN; k++) {
			const struct sim_session *ss = &c->sessions[k];
			if (!ss->in_use)
				continue;
			if (ss->address) {
				mapped++;
				pool_held += ip_pool_contains(&s->pool, ss->address);
				if (addr_map_get(&s->by_address, ss->address) != ss)
					return "a session's address routes elsewhere";
			}
			up += ss->up;
			if (!call_id_taken(&s->call_ids, ss->local_call_id))
				return "a session's call ID is free in the server table";
		}
	}
	if (s->call_ids.in_use != ctrl_calls + 1) /* + call ID 0, never handed out */
		return "call IDs taken != calls the control engines hold";
	if (s->pool.in_use != pool_held)
		return "pool addresses taken != addresses held by sessions and pending links";
	if (s->by_address.count != mapped)
		return "routed addresses != sessions with an address";
	if (s->sessions_up != up)
		return "sessions_up != sessions up";
	return NULL;
}

/* The GRE table, entry by entry (64 Ki entries: at the end, not per step). */
static const char *check_by_call(const struct sim_server *s)
{
	for (uint32_t id = 0; id < 65536; id++) {
		int k = s->by_call[id];
		if (k < 0)
			continue;
		if (!s->conns[k].open)
			return "GRE table names a closed connection";
		if (!call_id_taken(&s->call_ids, (uint16_t)id))
			return "GRE table names a free call ID";
	}
	return NULL;
}

const char *sim_server_check_idle(const struct sim_server *s)
{
	const char *broken = sim_server_check(s);
	if (!broken)
		broken = check_by_call(s);
	if (broken)
		return broken;
	if (sim_server_open_conns(s))
		return "a connection is still open";
	if (s->call_ids.in_use != 1 || s->pool.in_use || s->by_address.count || s->sessions_up)
		return "tables not back to empty with no connection open";
	return NULL;
}
