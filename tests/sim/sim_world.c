/* SPDX-License-Identifier: BSD-2-Clause */
/* The simulated world (sim_world.h): wiring, the network, stepping. */
#include "sim_world.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bytes.h"
#include "base/time.h"
#include "proto/gre/gre_ipv4.h"

void sim_world_fail(struct sim_world *w, const char *what, int who)
{
	if (w->failure[0])
		return;
	snprintf(w->failure, sizeof(w->failure), "t=%llu ms, %d: %s", (unsigned long long)w->now, who, what);
}

/* ---- TCP pipes ---- */

static void pipe_write(struct sim_world *w, struct sim_pipe *p, const uint8_t *bytes, size_t len)
{
	if (p->len + len > p->cap) {
		size_t cap = p->cap ? p->cap : 1024;
		while (cap < p->len + len)
			cap *= 2;
		uint8_t *grown = realloc(p->bytes, cap);
		if (!grown) {
			sim_world_fail(w, "out of memory in a TCP pipe", -1);
			return;
		}
		p->bytes = grown;
		p->cap = cap;
	}
	if (p->len == 0)
		p->ready_at = w->now + w->faults.delay_ms + 1;
	memcpy(p->bytes + p->len, bytes, len);
	p->len += len;
}

static void pipe_reset(struct sim_pipe *p)
{
	free(p->bytes);
	memset(p, 0, sizeof(*p));
}

static bool pipe_idle(const struct sim_pipe *p)
{
	return p->len == 0 && !p->fin;
}

/* ---- the GRE network ---- */

static void gre_enqueue(struct sim_world *w, int to, uint32_t src, struct pkt *p, uint32_t delay_ms)
{
	if (w->gre_len == SIM_GRE_QUEUE) {
		pkt_free(p); /* a full router queue drops */
		return;
	}
	w->gre[w->gre_len++] = (struct sim_datagram){ .at = w->now + 1 + delay_ms, .to = to, .src = src, .p = p };
}

static struct pkt *pkt_copy(const struct pkt *p)
{
	struct pkt *c = pkt_new(PKT_SIZE, PKT_HEADROOM);
	if (c && p->len <= pkt_tailroom(c))
		memcpy(pkt_put(c, p->len), pkt_data(p), p->len);
	return c;
}

/* What the faults do to one datagram on its way. */
static void gre_send(struct sim_world *w, int to, uint32_t src, struct pkt *p)
{
	const struct sim_faults *f = &w->faults;
	if (f->corrupt)
		w->corruption_seen = true; /* no integrity check: garbage may surface later */
	if (sim_rng_chance(&w->rng, f->loss)) {
		pkt_free(p);
		return;
	}
	if (p->len && sim_rng_chance(&w->rng, f->corrupt))
		pkt_data(p)[sim_rng_below(&w->rng, (uint32_t)p->len)] ^= (uint8_t)(1u << sim_rng_below(&w->rng, 8));
	if (sim_rng_chance(&w->rng, f->dup)) {
		struct pkt *c = pkt_copy(p);
		if (c)
			gre_enqueue(w, to, src, c, f->delay_ms + sim_rng_below(&w->rng, f->jitter_ms + 1));
	}
	gre_enqueue(w, to, src, p, f->delay_ms + sim_rng_below(&w->rng, f->jitter_ms + 1));
}

/* ---- the server's sinks ---- */

static void server_tcp_output(void *ctx, int conn, const uint8_t *bytes, size_t len)
{
	struct sim_world *w = ctx;
	pipe_write(w, &w->to_client[conn], bytes, len);
}

static void server_gre_output(void *ctx, uint32_t peer, struct pkt *gre)
{
	struct sim_world *w = ctx;
	/* Every client at that address sees it (several behind one NAT):
	 * each one's tunnel keeps what carries its call ID. */
	for (int i = 0; i < w->nclients; i++) {
		if (w->clients[i].cfg.address != peer)
			continue;
		struct pkt *c = pkt_copy(gre);
		if (c)
			gre_send(w, i, SIM_SERVER_ADDRESS, c);
	}
	pkt_free(gre);
}

static bool client_call_id_clash(void *ctx, int client, uint16_t id)
{
	const struct sim_world *w = ctx;
	for (int i = 0; i < w->nclients; i++)
		if (i != client && w->clients[i].cfg.address == w->clients[client].cfg.address &&
		    sim_client_held_id(&w->clients[i], id))
			return true;
	return false;
}

/* Whose traffic a server connection carries, and which life of it. */
static enum sim_receipt receive_on(struct sim_world *w, int client, uint32_t epoch, struct sim_ledger *ledger,
				   enum sim_dir dir, const struct pkt *ip)
{
	if (epoch == ledger->epoch)
		return sim_traffic_receive(ledger, (uint16_t)client, dir, pkt_data(ip), ip->len);
	/* An earlier life: only whose it is can be checked. */
	struct sim_ledger old;
	sim_ledger_reset(&old, epoch);
	memset(old.sent, 0xFF, sizeof(old.sent));
	(void)w;
	return sim_traffic_receive(&old, (uint16_t)client, dir, pkt_data(ip), ip->len);
}

static void note_receipt(struct sim_world *w, enum sim_receipt r, int who)
{
	w->receipts[r]++;
	if (r == SIM_RECEIPT_FOREIGN || r == SIM_RECEIPT_NEVER_SENT || r == SIM_RECEIPT_DUPLICATE)
		sim_world_fail(w, sim_receipt_name(r), who);
	if (w->faults.corrupt)
		w->corruption_seen = true;
	if (r == SIM_RECEIPT_CORRUPT && !w->corruption_seen)
		sim_world_fail(w, "a corrupted payload with no corruption on the network", who);
}

static void server_tun_output(void *ctx, int conn, uint16_t call_id, struct pkt *ip)
{
	struct sim_world *w = ctx;
	(void)call_id;
	int i = w->conn_owner[conn];
	if (i < 0) {
		sim_world_fail(w, "the server delivered IP from a connection nobody owns", conn);
	} else {
		note_receipt(w, receive_on(w, i, w->conn_epoch[conn], &w->up[i], SIM_TO_SERVER, ip), i);
	}
	pkt_free(ip);
}

static void server_conn_closed(void *ctx, int conn, enum tunnel_close_cause cause)
{
	struct sim_world *w = ctx;
	if (cause == TUNNEL_CLOSE_NONE)
		sim_world_fail(w, "a server connection closed without a cause", conn);
	w->to_client[conn].fin = true;
}

/* ---- the clients' sinks ---- */

static void client_tcp_output(void *ctx, int client, const uint8_t *bytes, size_t len)
{
	struct sim_world *w = ctx;
	int k = w->conn_of[client];
	if (k >= 0)
		pipe_write(w, &w->to_server[k], bytes, len);
}

static void client_gre_output(void *ctx, int client, uint32_t peer, struct pkt *gre)
{
	struct sim_world *w = ctx;
	struct sim_client *c = &w->clients[client];
	if (peer != SIM_SERVER_ADDRESS || pkt_headroom(gre) < 20) {
		sim_world_fail(w, "a client sent GRE elsewhere", client);
		pkt_free(gre);
		return;
	}
	uint8_t *ip = pkt_push(gre, 20);
	memset(ip, 0, 20);
	ip[0] = 0x45;
	store_be16(ip + 2, (uint16_t)gre->len);
	ip[8] = 64;
	ip[9] = 47;
	store_be32(ip + 12, c->cfg.address);
	store_be32(ip + 16, SIM_SERVER_ADDRESS);
	gre_send(w, -1, c->cfg.address, gre);
}

static void client_tun_output(void *ctx, int client, struct pkt *ip)
{
	struct sim_world *w = ctx;
	enum sim_receipt r = sim_traffic_receive(&w->down[client], (uint16_t)client, SIM_TO_CLIENT, pkt_data(ip), ip->len);
	if (r == SIM_RECEIPT_FOREIGN && ip->len >= 48) {
		const uint8_t *tag = pkt_data(ip) + 28;
		char what[160];
		snprintf(what, sizeof(what), "client got a packet of client %u (direction %u, life %u) sent to %u.%u.%u.%u",
			 load_be16(tag + 4), load_be16(tag + 6), load_be32(tag + 8), pkt_data(ip)[16], pkt_data(ip)[17],
			 pkt_data(ip)[18], pkt_data(ip)[19]);
		sim_world_fail(w, what, client);
	}
	note_receipt(w, r, client);
	pkt_free(ip);
}

/* ---- life cycle ---- */

int sim_world_init(struct sim_world *w, const struct sim_server_config *server_cfg, uint64_t seed)
{
	memset(w, 0, sizeof(*w));
	w->now = 1000;
	sim_rng_seed(&w->rng, seed);
	struct sim_server_io sio = { .ctx = w, .tcp_output = server_tcp_output, .gre_output = server_gre_output, .tun_output = server_tun_output, .conn_closed = server_conn_closed };
	if (sim_server_init(&w->server, server_cfg, &sio, sim_rng_next(&w->rng)) < 0)
		return -1;
	struct sim_client_io cio = { .ctx = w, .tcp_output = client_tcp_output, .gre_output = client_gre_output, .tun_output = client_tun_output, .call_id_clash = client_call_id_clash };
	for (int i = 0; i < SIM_MAX_CLIENTS; i++) {
		sim_client_init(&w->clients[i], i, &cio, sim_rng_next(&w->rng));
		w->conn_of[i] = -1;
	}
	for (int k = 0; k < SIM_SERVER_MAX_CONNS; k++)
		w->client_of[k] = w->conn_owner[k] = -1;
	return 0;
}

void sim_world_destroy(struct sim_world *w)
{
	for (int i = 0; i < SIM_MAX_CLIENTS; i++)
		sim_client_drop(&w->clients[i]);
	sim_server_destroy(&w->server);
	for (size_t i = 0; i < w->gre_len; i++)
		pkt_free(w->gre[i].p);
	w->gre_len = 0;
	for (int k = 0; k < SIM_SERVER_MAX_CONNS; k++) {
		pipe_reset(&w->to_server[k]);
		pipe_reset(&w->to_client[k]);
	}
}

/* A slot nothing is in flight for: no old bytes can reach the new connection. */
static int free_slot(const struct sim_world *w)
{
	for (int k = 0; k < SIM_SERVER_MAX_CONNS; k++)
		if (!w->server.conns[k].open && w->client_of[k] < 0 && pipe_idle(&w->to_server[k]) &&
		    pipe_idle(&w->to_client[k]))
			return k;
	return -1;
}

/* Client i is no longer on connection k (it left or restarted). */
static void leave_conn(struct sim_world *w, int i, bool announce)
{
	int k = w->conn_of[i];
	if (k < 0)
		return;
	if (announce)
		w->to_server[k].fin = true;
	w->conn_of[i] = -1;
	w->client_of[k] = -1;
	/* What the server still sends there is nobody's: it is dropped. */
	w->to_client[k].len = 0;
	w->to_client[k].fin = false;
}

int sim_world_connect(struct sim_world *w, int i, const struct sim_client_config *cfg, bool announce)
{
	leave_conn(w, i, announce);
	if (i >= w->nclients)
		w->nclients = i + 1;
	w->silent[i] = false;
	int k = free_slot(w);
	if (k < 0 || sim_server_accept(&w->server, k, cfg->address, w->now) < 0)
		return -1;
	w->epoch[i]++;
	sim_ledger_reset(&w->up[i], w->epoch[i]);
	sim_ledger_reset(&w->down[i], w->epoch[i]);
	w->conn_of[i] = k;
	w->client_of[k] = i;
	w->conn_epoch[k] = w->epoch[i];
	w->conn_owner[k] = i;
	if (sim_client_start(&w->clients[i], cfg, w->now) < 0)
		return -1;
	return sim_client_begin(&w->clients[i], w->now);
}
