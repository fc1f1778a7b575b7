/* SPDX-License-Identifier: BSD-2-Clause */
/* Stepping the simulated world: what is due is delivered, timers fire, and
 * around each input to the server the other connections are copied and compared to
 * show the input changed no one else (issue 11: isolation). */
#include "sim_world.h"

#include <string.h>

#include "base/time.h"
#include "proto/gre/gre_header.h"
#include "proto/gre/gre_ipv4.h"
#include "proto/session/tunnel_internal.h"

#define SIM_SEGMENT_MAX 4096

/* The other connections' state around a sampled input, copied: the pieces
 * of every open connection end to end (sim_conn_pieces). Static: large,
 * and not the heap the run's baseline counts. */
#define SNAP_CALL_BYTES (sizeof(struct tunnel_call) + sizeof(struct tunnel_call_info))
#define SNAP_CONN_BYTES (sizeof(struct sim_conn) + sizeof(struct tunnel) + TUNNEL_MAX_CALLS * SNAP_CALL_BYTES)

struct snapshot {
	bool open[SIM_SERVER_MAX_CONNS];
	size_t at[SIM_SERVER_MAX_CONNS], len[SIM_SERVER_MAX_CONNS];
	uint8_t bytes[SIM_SERVER_MAX_CONNS * SNAP_CONN_BYTES];
};

struct piece_cursor {
	uint8_t *bytes; /* copy: where to write; compare: what to compare with */
	size_t at, end;
};

static bool copy_piece(void *ctx, const void *bytes, size_t len)
{
	struct piece_cursor *cur = ctx;
	if (len > cur->end - cur->at)
		return false;
	memcpy(cur->bytes + cur->at, bytes, len);
	cur->at += len;
	return true;
}

static bool same_piece(void *ctx, const void *bytes, size_t len)
{
	struct piece_cursor *cur = ctx;
	if (len > cur->end - cur->at || memcmp(cur->bytes + cur->at, bytes, len) != 0)
		return false;
	cur->at += len;
	return true;
}

static void snapshot_all(const struct sim_world *w, struct snapshot *out)
{
	size_t at = 0;
	for (int k = 0; k < SIM_SERVER_MAX_CONNS; k++) {
		const struct sim_conn *c = &w->server.conns[k];
		out->open[k] = c->open;
		if (!c->open)
			continue;
		struct piece_cursor cur = { .bytes = out->bytes, .at = at, .end = sizeof(out->bytes) };
		(void)sim_conn_pieces(c, copy_piece, &cur); /* sized for every piece: cannot run out */
		out->at[k] = at;
		out->len[k] = cur.at - at;
		at = cur.at;
	}
}

/* Only connection `target` (-1: none) may differ; a connection that closed
 * and was freed is the target's business too, never another's. */
static void isolation_check(struct sim_world *w, struct snapshot *before, int target, const char *input)
{
	for (int k = 0; k < SIM_SERVER_MAX_CONNS; k++) {
		if (k == target || !before->open[k])
			continue;
		const struct sim_conn *c = &w->server.conns[k];
		struct piece_cursor cur = { .bytes = before->bytes, .at = before->at[k], .end = before->at[k] + before->len[k] };
		if (!c->open || !sim_conn_pieces(c, same_piece, &cur) || cur.at != cur.end) {
			sim_world_fail(w, input, k);
			return;
		}
	}
}

static struct snapshot snap;

/* Is this input one of the sampled ones (the comparison costs more than the input)? */
static bool sampled(struct sim_world *w)
{
	return w->check_isolation && w->server_inputs++ % w->check_isolation == 0;
}

static void server_tcp(struct sim_world *w, int k, const uint8_t *bytes, size_t len)
{
	bool check = sampled(w);
	if (check)
		snapshot_all(w, &snap);
	sim_server_tcp_input(&w->server, k, bytes, len, w->now);
	if (check)
		isolation_check(w, &snap, k, "TCP bytes for one connection changed another");
}

void sim_world_inject_tcp(struct sim_world *w, int conn, const uint8_t *bytes, size_t len)
{
	if (conn >= 0 && conn < SIM_SERVER_MAX_CONNS)
		server_tcp(w, conn, bytes, len);
}

/* The connection a datagram may touch: its call ID's, if src is that peer. */
static int gre_target(const struct sim_world *w, uint32_t src, const struct pkt *p)
{
	struct gre_ipv4 ip;
	struct gre_header h;
	if (gre_ipv4_parse(pkt_data(p), p->len, &ip) < 0 || gre_header_decode(ip.gre, ip.gre_len, &h) < 0)
		return -1;
	int k = w->server.by_call[h.call_id];
	return k >= 0 && w->server.conns[k].open && w->server.conns[k].peer == src ? k : -1;
}

static void server_gre(struct sim_world *w, uint32_t src, struct pkt *p)
{
	int target = -1;
	bool check = sampled(w);
	if (check) {
		target = gre_target(w, src, p);
		snapshot_all(w, &snap);
	}
	sim_server_gre_input(&w->server, src, p, w->now);
	if (check)
		isolation_check(w, &snap, target, "a GRE datagram for one session changed another");
}

void sim_world_inject_gre(struct sim_world *w, uint32_t src, const uint8_t *bytes, size_t len, uint32_t delay_ms)
{
	struct pkt *p = pkt_new(PKT_SIZE, PKT_HEADROOM);
	if (!p)
		return;
	if (len > pkt_tailroom(p))
		len = pkt_tailroom(p);
	memcpy(pkt_put(p, len), bytes, len);
	if (w->gre_len == SIM_GRE_QUEUE) {
		pkt_free(p);
		return;
	}
	w->gre[w->gre_len++] = (struct sim_datagram){ .at = w->now + delay_ms, .to = -1, .src = src, .p = p };
}

/* ---- delivery ---- */

/* The next segment of a pipe (TCP cuts a stream anywhere), into seg. */
static size_t take_segment(struct sim_world *w, struct sim_pipe *p, uint8_t *seg, size_t max)
{
	size_t n = p->len < max ? p->len : max;
	if (w->faults.tcp_segment && n > 1)
		n = 1 + sim_rng_below(&w->rng, (uint32_t)(n < w->faults.tcp_segment ? n : w->faults.tcp_segment));
	memcpy(seg, p->bytes, n);
	memmove(p->bytes, p->bytes + n, p->len - n);
	p->len -= n;
	return n;
}

static bool deliver_tcp(struct sim_world *w)
{
	bool moved = false;
	uint8_t seg[SIM_SEGMENT_MAX];
	for (int k = 0; k < SIM_SERVER_MAX_CONNS; k++) {
		struct sim_pipe *up = &w->to_server[k], *down = &w->to_client[k];
		size_t n = 0;
		if (up->len && up->ready_at <= w->now) {
			n = take_segment(w, up, seg, sizeof(seg));
			server_tcp(w, k, seg, n);
			moved = true;
		} else if (!up->len && up->fin) {
			up->fin = false;
			sim_server_tcp_closed(&w->server, k, w->now);
			moved = true;
		}
		int i = w->client_of[k];
		if (down->len && down->ready_at <= w->now) {
			n = take_segment(w, down, seg, sizeof(seg));
			if (i >= 0 && !w->silent[i])
				sim_client_tcp_input(&w->clients[i], seg, n, w->now);
			moved = true;
		} else if (!down->len && down->fin) {
			down->fin = false;
			if (i >= 0 && !w->silent[i])
				sim_client_tcp_closed(&w->clients[i], w->now);
			moved = true;
		}
	}
	return moved;
}

/* The earliest due datagram (ties: the first queued), delivered. */
static bool deliver_gre(struct sim_world *w)
{
	size_t best = SIZE_MAX;
	for (size_t i = 0; i < w->gre_len; i++)
		if (w->gre[i].at <= w->now && (best == SIZE_MAX || w->gre[i].at < w->gre[best].at))
			best = i;
	if (best == SIZE_MAX)
		return false;
	struct sim_datagram d = w->gre[best];
	memmove(&w->gre[best], &w->gre[best + 1], (w->gre_len - best - 1) * sizeof(w->gre[0]));
	w->gre_len--;
	if (d.to < 0) {
		server_gre(w, d.src, d.p);
	} else if (sim_client_running(&w->clients[d.to]) && !w->silent[d.to]) {
		sim_client_gre_input(&w->clients[d.to], d.p, w->now);
	} else {
		pkt_free(d.p);
	}
	return true;
}

/* A client whose tunnel ended closes its TCP connection. */
static void reap_clients(struct sim_world *w)
{
	for (int i = 0; i < w->nclients; i++) {
		int k = w->conn_of[i];
		struct sim_client *c = &w->clients[i];
		if (k < 0 || sim_client_running(c))
			continue;
		if (c->event_after_closed)
			sim_world_fail(w, "a client tunnel event after CLOSED", i);
		if (c->closed && c->cause == TUNNEL_CLOSE_NONE)
			sim_world_fail(w, "a client tunnel closed without a cause", i);
		w->to_server[k].fin = true;
		w->conn_of[i] = -1;
		w->client_of[k] = -1;
		w->to_client[k].len = 0;
		w->to_client[k].fin = false;
	}
}

static void fire_timers(struct sim_world *w)
{
	sim_server_on_timeout(&w->server, w->now);
	for (int i = 0; i < w->nclients; i++)
		if (!w->silent[i])
			sim_client_on_timeout(&w->clients[i], w->now);
}

/* The deadlines the server and clients keep (taken after every call into
 * their tunnels) against the engines', on a sample of steps: a call that
 * moved a timer without a retake would change when things fire. */
#define DEADLINE_AUDIT_STEPS 64u

static void audit_deadlines(struct sim_world *w)
{
	for (int k = 0; k < SIM_SERVER_MAX_CONNS; k++) {
		const struct sim_conn *c = &w->server.conns[k];
		if (c->open && c->deadline != tunnel_next_deadline(c->tunnel))
			sim_world_fail(w, "simulation: a server connection's kept deadline is stale", k);
	}
	for (int i = 0; i < w->nclients; i++) {
		const struct sim_client *c = &w->clients[i];
		if (c->tunnel && c->deadline != tunnel_next_deadline(c->tunnel))
			sim_world_fail(w, "simulation: a client's kept deadline is stale", i);
	}
}

bool sim_world_step(struct sim_world *w)
{
	w->steps++;
	bool moved = deliver_tcp(w);
	moved |= deliver_gre(w);
	if (sim_server_next_deadline(&w->server) <= w->now) {
		fire_timers(w);
		moved = true;
	}
	for (int i = 0; i < w->nclients && !moved; i++)
		if (!w->silent[i] && sim_client_next_deadline(&w->clients[i]) <= w->now) {
			fire_timers(w);
			moved = true;
		}
	reap_clients(w);
	if (w->server.changed) {
		w->server.changed = false;
		const char *broken = sim_server_check(&w->server);
		if (broken)
			sim_world_fail(w, broken, -1);
	}
	if (w->steps % DEADLINE_AUDIT_STEPS == 0)
		audit_deadlines(w);
	return moved;
}

uint64_t sim_world_next(const struct sim_world *w)
{
	uint64_t d = sim_server_next_deadline(&w->server);
	for (int i = 0; i < w->nclients; i++)
		if (!w->silent[i])
			d = deadline_min(d, sim_client_next_deadline(&w->clients[i]));
	for (size_t i = 0; i < w->gre_len; i++)
		d = deadline_min(d, w->gre[i].at);
	for (int k = 0; k < SIM_SERVER_MAX_CONNS; k++) {
		if (w->to_server[k].len)
			d = deadline_min(d, w->to_server[k].ready_at);
		if (w->to_client[k].len)
			d = deadline_min(d, w->to_client[k].ready_at);
		if ((w->to_server[k].fin && !w->to_server[k].len) || (w->to_client[k].fin && !w->to_client[k].len))
			d = deadline_min(d, w->now);
	}
	return d;
}

bool sim_world_quiet(const struct sim_world *w)
{
	if (w->gre_len)
		return false;
	for (int k = 0; k < SIM_SERVER_MAX_CONNS; k++)
		if (w->to_server[k].len || w->to_client[k].len || w->to_server[k].fin || w->to_client[k].fin)
			return false;
	return true;
}

void sim_world_run(struct sim_world *w, uint64_t until, bool (*done)(const struct sim_world *w))
{
	uint64_t same_now = 0, last_now = w->now;
	while (!w->failure[0]) {
		if (done && done(w))
			return;
		if (w->now != last_now) {
			last_now = w->now;
			same_now = 0;
		} else if (++same_now > 200000) {
			int who = -1;
			for (int i = 0; i < w->nclients; i++)
				if (!w->silent[i] && sim_client_next_deadline(&w->clients[i]) <= w->now)
					who = i;
			for (int k = 0; k < SIM_SERVER_MAX_CONNS; k++)
				if (w->server.conns[k].open && tunnel_next_deadline(w->server.conns[k].tunnel) <= w->now)
					who = 100 + k;
			sim_world_fail(w, "no progress: 200000 steps at one instant (a timer that never stops firing: client i, or 100 + server connection k)", who);
			return;
		}
		if (sim_world_step(w))
			continue;
		uint64_t next = sim_world_next(w);
		if (next == DEADLINE_NONE || next > until) {
			if (w->now < until)
				w->now = until;
			return;
		}
		if (next > w->now)
			w->now = next;
	}
}

/* ---- tagged traffic ---- */

bool sim_world_send_up(struct sim_world *w, int i, size_t pad)
{
	struct sim_client *c = &w->clients[i];
	if (!c->link_up || w->silent[i])
		return false;
	struct pkt *ip = sim_traffic_make(&w->up[i], (uint16_t)i, SIM_TO_SERVER, c->local_address, c->peer_address, pad,
					  NULL);
	if (!ip)
		return false;
	w->packets_sent++;
	return sim_client_send_ip(c, ip, w->now) == 0;
}

bool sim_world_send_down(struct sim_world *w, int i, size_t pad)
{
	struct sim_client *c = &w->clients[i];
	if (!c->link_up || w->conn_of[i] < 0)
		return false;
	/* Only to an address the server routes to this client's connection:
	 * the TUN routes by destination, whoever the sender meant. */
	const struct sim_session *ss = addr_map_get(&w->server.by_address, c->local_address);
	const struct sim_conn *k = &w->server.conns[w->conn_of[i]];
	if (!ss || ss < k->sessions || ss >= k->sessions + SIM_SERVER_CALLS_PER_CONN)
		return false;
	struct pkt *ip = sim_traffic_make(&w->down[i], (uint16_t)i, SIM_TO_CLIENT, SIM_SERVER_TUNNEL, c->local_address,
					  pad, NULL);
	if (!ip)
		return false;
	w->packets_sent++;
	sim_server_tun_input(&w->server, ip, w->now);
	return true;
}
