/* SPDX-License-Identifier: BSD-2-Clause */
/* A PPTP client tunnel and a server tunnel (proto/session/tunnel.h) wired
 * back to back in one process, virtual time, no sockets: the setup of
 * tests/unit/test_tunnel.c cut down to what the benchmarks need.
 *
 * One `bench_net` carries the bytes of every pair: TCP chunks and GRE
 * datagrams in one FIFO, each delivered `latency_ms` after it was sent.
 * Bring-up uses 1 ms, as the unit tests do (with zero latency a PPP frame
 * could reach a client before the Outgoing-Call-Reply that announces the
 * call). The data path benchmark then sets 0 so a packet crosses at once.
 *
 * Pairs are brought up one at a time; only the pair being driven gets its
 * timers fired. The per-pair state here is small on purpose: the memory
 * benchmark keeps a thousand of them. */
#ifndef OPENPPTP_BENCH_PAIR_H
#define OPENPPTP_BENCH_PAIR_H

#include <stdbool.h>
#include <stdint.h>

#include "base/pkt.h"
#include "proto/session/tunnel.h"

#include "common.h"

#define NET_QUEUE 4096

struct bench_pair;

struct pair_side {
	struct bench_pair *pair;
	int index;                /* 0 = client (PNS), 1 = server (PAC) */
	struct tunnel *tunnel;
	struct tunnel_call *call; /* set at LINK_UP */
	bool link_up;
	bool link_failed;         /* LINK_DOWN or CLOSED: a benchmark bug */
	uint16_t mtu;             /* LINK_UP: the IP MTU the link offers */
	unsigned mppe_bits;
	bool mppe_stateless;
	uint64_t ip_packets;      /* delivered to our "TUN" */
	uint64_t ip_bytes;
	uint8_t *copy_to;         /* if set, the last delivered packet is copied here */
	size_t copy_cap, copy_len;
	struct bench_random random;
};

struct bench_pair {
	struct bench_net *net;
	struct pair_side side[2];
};

struct net_msg {
	struct pair_side *to;
	struct pkt *p;
	uint64_t at;
	bool tcp;                 /* TCP bytes, else a GRE packet (GRE header first) */
};

struct bench_net {
	uint64_t now;             /* virtual milliseconds */
	uint32_t latency_ms;
	unsigned head, tail;
	struct net_msg q[NET_QUEUE];
};

enum pair_mppe {
	PAIR_MPPE_STATELESS,      /* the defaults: MPPE-128 required, stateless */
	PAIR_MPPE_STATEFUL,       /* MPPE-128, stateful (both ends insist) */
	PAIR_MPPE_NONE,           /* no CCP: plain PPP in GRE */
};

void net_init(struct bench_net *net);
/* Free whatever is still queued. */
void net_clear(struct bench_net *net);

/* Create both tunnels (MS-CHAPv2, seeds from `id`) and send the client's
 * SCCRQ. Nothing is delivered yet. */
/* Drain a side's tunnel events (after every tunnel_* call). */
void pair_drain(struct pair_side *s);
void pair_init(struct bench_pair *pair, struct bench_net *net, enum pair_mppe mppe, unsigned id);
/* Run in virtual time until both links are up and nothing is in flight. */
void pair_bring_up(struct bench_pair *pair);
/* Deliver everything due now and fire due timers, without moving time. */
void pair_pump(struct bench_pair *pair);
/* Free one side's tunnel (0 = client, 1 = server). */
void pair_free_side(struct bench_pair *pair, int index);

#endif
