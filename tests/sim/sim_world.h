/* SPDX-License-Identifier: BSD-2-Clause */
/* The simulated world: one sim_server, several sim_clients, the TCP
 * connections between them (in-order byte pipes delivered in random
 * segments) and a GRE network with loss, duplication, reordering, delay
 * and corruption, all in virtual time. Nothing here reads a clock or opens
 * a socket: given the same seed and the same calls, it does the same thing.
 *
 * The world checks, on every step, the invariants it can see at once
 * (payload receipts, the isolation of connections, the server's tables);
 * the first broken one is kept in `failure`. */
#ifndef OPENPPTP_TEST_SIM_WORLD_H
#define OPENPPTP_TEST_SIM_WORLD_H

#include <stdbool.h>
#include <stdint.h>

#include "sim_client.h"
#include "sim_rng.h"
#include "sim_server.h"
#include "sim_traffic.h"

#define SIM_MAX_CLIENTS 12
#define SIM_GRE_QUEUE 4096

struct sim_faults {
	uint32_t loss;        /* permille of GRE datagrams lost */
	uint32_t dup;         /* permille duplicated */
	uint32_t corrupt;     /* permille with one byte flipped */
	uint32_t delay_ms;    /* base one-way delay (GRE and TCP) */
	uint32_t jitter_ms;   /* GRE: extra random delay (reorders) */
	uint32_t tcp_segment; /* TCP delivered in segments of 1..N bytes (0 = whole) */
};

/* One direction of a TCP connection: bytes in order. */
struct sim_pipe {
	uint8_t *bytes;
	size_t len, cap;
	uint64_t ready_at; /* the head may be delivered from then on */
	bool fin;          /* the writer closed: deliver after the bytes */
};

struct sim_datagram {
	uint64_t at;
	int to; /* -1 = server, else a client index */
	uint32_t src;
	struct pkt *p; /* server: IPv4 header first; client: GRE header first */
};

struct sim_world {
	uint64_t now;
	struct sim_rng rng; /* the network's draws */
	struct sim_faults faults;
	struct sim_server server;
	int nclients;
	struct sim_client clients[SIM_MAX_CLIENTS];
	bool silent[SIM_MAX_CLIENTS];        /* a client that stopped answering anything */
	int conn_of[SIM_MAX_CLIENTS];        /* the server connection of its current life, -1 none */
	int client_of[SIM_SERVER_MAX_CONNS]; /* -1: nobody's (the client restarted or left) */
	uint32_t conn_epoch[SIM_SERVER_MAX_CONNS];
	int conn_owner[SIM_SERVER_MAX_CONNS]; /* the client whose life conn_epoch is (kept after it left), -1 = hostile */
	struct sim_pipe to_server[SIM_SERVER_MAX_CONNS];
	struct sim_pipe to_client[SIM_SERVER_MAX_CONNS];
	bool server_fin_sent[SIM_SERVER_MAX_CONNS];
	struct sim_ledger up[SIM_MAX_CLIENTS];   /* client -> server traffic of the current life */
	struct sim_ledger down[SIM_MAX_CLIENTS]; /* server -> client */
	uint32_t epoch[SIM_MAX_CLIENTS];
	struct sim_datagram gre[SIM_GRE_QUEUE];
	size_t gre_len;
	unsigned check_isolation; /* compare the other connections around 1 input in N (0 = never, 1 = every one) */
	uint64_t server_inputs;
	uint64_t receipts[5]; /* by enum sim_receipt */
	uint64_t steps;
	uint64_t packets_sent;
	char failure[512];
	bool corruption_seen;        /* the network corrupted something once: garbage may surface */
	bool mppe_stateful_stuck;    /* the failure is a stateful MPPE receiver that never recovered */
	bool stuck_after_corruption; /* ... a receiver that never recovered after corrupted packets */
};

int sim_world_init(struct sim_world *w, const struct sim_server_config *server_cfg, uint64_t seed);
void sim_world_destroy(struct sim_world *w);
/* Start (or restart) client i: a new connection to the server. `announce`:
 * a restart closes the old connection with a FIN; otherwise it goes silent. */
int sim_world_connect(struct sim_world *w, int i, const struct sim_client_config *cfg, bool announce);
/* Deliver whatever is due at `now`, fire due timers; true if anything happened. */
bool sim_world_step(struct sim_world *w);
/* The earliest time something is due (DEADLINE_NONE: nothing left). */
uint64_t sim_world_next(const struct sim_world *w);
/* Run until virtual time `until` or done(w) is true. */
void sim_world_run(struct sim_world *w, uint64_t until, bool (*done)(const struct sim_world *w));
/* Tagged traffic: client i to the server, the server to client i. */
bool sim_world_send_up(struct sim_world *w, int i, size_t pad);
bool sim_world_send_down(struct sim_world *w, int i, size_t pad);
/* A datagram from anywhere to the server (raw bytes: IPv4 header first). */
void sim_world_inject_gre(struct sim_world *w, uint32_t src, const uint8_t *bytes, size_t len, uint32_t delay_ms);
/* Raw TCP bytes into the server side of connection k (a hostile client). */
void sim_world_inject_tcp(struct sim_world *w, int conn, const uint8_t *bytes, size_t len);
void sim_world_fail(struct sim_world *w, const char *what, int who);
bool sim_world_quiet(const struct sim_world *w);

#endif
