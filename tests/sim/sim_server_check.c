/* SPDX-License-Identifier: BSD-2-Clause */
/* The server's bookkeeping invariants (issue 11, "Prove it"): every call ID
 * in the server-wide table is held by a call some connection's control
 * engine knows, every pool address by a session or a pending assignment,
 * every routed address by a live session; with no connection open, all of
 * it is back to empty. And the isolation digest: what one connection's
 * input may change, hashed, so a check can show the others kept theirs. */
#include "sim_server.h"

#include <string.h>

#include "proto/session/tunnel_internal.h"

/* Word at a time: the digest runs around every input of the simulation. */
static uint64_t fnv1a(uint64_t h, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t word;
		memcpy(&word, p + i, 8);
		h = (h ^ word) * 0x100000001B3ull;
		h ^= h >> 29;
	}
	for (; i < len; i++)
		h = (h ^ p[i]) * 0x100000001B3ull;
	return h;
}

uint64_t sim_conn_digest(const struct sim_conn *c)
{
	uint64_t h = 0xCBF29CE484222325ull;
	h = fnv1a(h, c, sizeof(*c));
	if (!c->open)
		return h;
	const struct tunnel *t = c->tunnel;
	h = fnv1a(h, t, sizeof(*t));
	for (int i = 0; i < TUNNEL_MAX_CALLS; i++) {
		const struct tunnel_call *call = t->calls[i];
		if (!call)
			continue;
		h = fnv1a(h, call, sizeof(*call));
		struct tunnel_call_info info;
		tunnel_call_get_info(call, &info);
		h = fnv1a(h, &info.link, sizeof(info.link));
		h = fnv1a(h, &info.state, sizeof(info.state));
		h = fnv1a(h, &info.local_address, sizeof(info.local_address));
		h = fnv1a(h, &info.peer_address, sizeof(info.peer_address));
	}
	return h;
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
