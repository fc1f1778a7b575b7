/* SPDX-License-Identifier: BSD-2-Clause */
/* A socket-free PPTP server for the structured fuzzer and `make sim`.
 *
 * src/server is wired to the event loop, sockets, the privileged helper and
 * the wall clock, so this drives the same sans-I/O engines the way
 * src/server/server_conn.c and server_session.c do: one tunnel engine (PAC
 * role) per control connection, call IDs unique across the server
 * (src/server/call_ids), tunnel addresses from the pool (ip_pool, with the
 * per-connection "pending" list of server_session.c), the two data-path
 * tables (by_call for GRE, addr_map for the TUN) and the GRE demux of
 * src/daemon/daemon_gre.c (IPv4 header, GRE header, call ID -> connection,
 * source == that connection's peer). Time is whatever the caller says. */
#ifndef OPENPPTP_TEST_SIM_SERVER_H
#define OPENPPTP_TEST_SIM_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/pkt.h"
#include "proto/session/tunnel.h"
#include "server/addr_map.h"
#include "server/call_ids.h"
#include "server/ip_pool.h"
#include "sim_rng.h"

#define SIM_SERVER_MAX_CONNS 32
#define SIM_SERVER_CALLS_PER_CONN 4    /* SERVER_CALLS_PER_CONN */
#define SIM_SERVER_ADDRESS 0xC6336401u /* 198.51.100.1: underlay */
#define SIM_SERVER_TUNNEL 0xCB007101u  /* 203.0.113.1: the server's tunnel address */
#define SIM_POOL_FIRST 0xCB00710Au     /* 203.0.113.10 */
#define SIM_POOL_LAST 0xCB00711Du      /* 203.0.113.29: 20 addresses */
#define SIM_USERS 8                    /* "user0".."user7", password "pw-N" */

/* Output sinks (pure I/O, must not call back into the server). */
struct sim_server_io {
	void *ctx;
	void (*tcp_output)(void *ctx, int conn, const uint8_t *bytes, size_t len);
	/* GRE header first; ownership passes. */
	void (*gre_output)(void *ctx, uint32_t peer, struct pkt *gre);
	/* A decrypted IP packet from session (conn, call ID); ownership passes. */
	void (*tun_output)(void *ctx, int conn, uint16_t call_id, struct pkt *ip);
	/* The connection's tunnel reported CLOSED: the server forgot it. */
	void (*conn_closed)(void *ctx, int conn, enum tunnel_close_cause cause);
};

struct sim_session {
	bool in_use;
	bool up;
	struct tunnel_call *call;
	uint16_t local_call_id;
	uint32_t address;
};

struct sim_server;

struct sim_conn {
	struct sim_server *server;
	int index;
	bool open;
	bool closing; /* tunnel_close asked */
	uint32_t peer;
	struct tunnel *tunnel;
	/* tunnel_next_deadline(tunnel), taken after every call into the
	 * tunnel (conn_drain): every step asks for it, and the engines'
	 * timers are only moved by such calls. */
	uint64_t deadline;
	uint32_t pending[SIM_SERVER_CALLS_PER_CONN];
	int pending_count;
	struct sim_session sessions[SIM_SERVER_CALLS_PER_CONN];
	unsigned links_up; /* LINK_UP events seen */
	unsigned links_down;
};

enum sim_gre_drop {
	SIM_GRE_DELIVERED,
	SIM_GRE_MALFORMED,
	SIM_GRE_NO_CALL,
	SIM_GRE_WRONG_PEER,
	SIM_GRE_RESULTS
};

struct sim_server {
	struct sim_server_io io;
	struct sim_rng rng;
	struct call_ids call_ids;
	struct ip_pool pool;
	struct addr_map by_address;
	int8_t by_call[65536]; /* our call ID -> connection index, -1 = none */
	struct sim_conn conns[SIM_SERVER_MAX_CONNS];
	unsigned sessions_up;
	unsigned max_sessions;
	unsigned auth; /* AUTH_METHOD_BIT set */
	struct ppp_mppe_policy mppe;
	uint32_t setup_timeout_ms;
	uint64_t gre[SIM_GRE_RESULTS];
	uint64_t tun_no_session;
	uint64_t events_lost;  /* a tunnel's queue overflowed: a broken bound */
	const char *violation; /* first broken invariant seen while running */
	/* Something may have changed since the last sim_server_check: the
	 * tables and engines only change inside sim_server_* calls, so a
	 * check between two of them would find what the last one found. */
	bool changed;
};

struct sim_server_config {
	unsigned auth;
	struct ppp_mppe_policy mppe;
	unsigned max_sessions;     /* 0 = 20 */
	uint32_t setup_timeout_ms; /* 0 = 30000 */
};

int sim_server_init(struct sim_server *s, const struct sim_server_config *cfg, const struct sim_server_io *io,
		    uint64_t seed);
void sim_server_destroy(struct sim_server *s);

/* A new control connection from peer in table slot `slot` (the caller
 * keeps slots whose old bytes are still in flight out of reuse): its
 * index, or -1 when that slot is taken. */
int sim_server_accept(struct sim_server *s, int slot, uint32_t peer, uint64_t now);
void sim_server_tcp_input(struct sim_server *s, int conn, const uint8_t *bytes, size_t len, uint64_t now);
void sim_server_tcp_closed(struct sim_server *s, int conn, uint64_t now);
/* An IPv4 datagram carrying GRE from src (what the raw socket reads); takes p. */
enum sim_gre_drop sim_server_gre_input(struct sim_server *s, uint32_t src, struct pkt *p, uint64_t now);
/* An IP packet from the TUN, routed by destination; takes ip. */
void sim_server_tun_input(struct sim_server *s, struct pkt *ip, uint64_t now);
void sim_server_close_conn(struct sim_server *s, int conn, uint64_t now);
void sim_server_close_all(struct sim_server *s, uint64_t now);
uint64_t sim_server_next_deadline(const struct sim_server *s);
void sim_server_on_timeout(struct sim_server *s, uint64_t now);
unsigned sim_server_open_conns(const struct sim_server *s);

/* sim_server_check.c: the server-wide bookkeeping invariants. NULL when
 * they hold, else what broke. `idle`: no connection is open, so every table
 * must be back to empty. */
const char *sim_server_check(const struct sim_server *s);
const char *sim_server_check_idle(const struct sim_server *s);
/* The pieces of a connection's state one input to another connection
 * must not change, in a fixed order: fn(ctx, bytes, len) for each, until
 * it returns false (then so does this). */
typedef bool (*sim_conn_piece_fn)(void *ctx, const void *bytes, size_t len);
bool sim_conn_pieces(const struct sim_conn *c, sim_conn_piece_fn fn, void *ctx);

#endif
