/* SPDX-License-Identifier: BSD-2-Clause */
/* GRE receive for a whole daemon: one raw socket (protocol 47) shared by
 * every tunnel, read in recvmmsg batches (daemon_budget.h), each datagram
 * parsed (IPv4, then the enhanced GRE header of RFC 2637 §4.1) and handed
 * to the tunnel that owns its call ID — or dropped and counted under one
 * reason. Nothing is dropped uncounted, on the server or the client.
 *
 * The demux is a pure function of the batch (daemon_gre_dispatch), so unit
 * tests and the fuzz harness drive it without a raw socket; the socket
 * half only fills the batch. A packet buffer that cannot be allocated is
 * replaced by a scratch buffer: the datagram is still read (the socket
 * drains) and counted as DAEMON_GRE_DROP_NO_MEMORY. */
#ifndef OPENPPTP_DAEMON_DAEMON_GRE_H
#define OPENPPTP_DAEMON_DAEMON_GRE_H

#include <stddef.h>
#include <stdint.h>

#include "base/log.h"
#include "base/pkt.h"
#include "proto/gre/gre_header.h"
#include "sys/loop.h"

/* Most GRE packets queued before one sendmmsg (daemon_budget.h: a TUN
 * callback reads at most 256 packets, so a busy one flushes 8 times). */
#define DAEMON_GRE_TX_BATCH 32

struct daemon_tunnel;

enum daemon_gre_drop {
	DAEMON_GRE_DROP_UNREADABLE = 0, /* truncated by the kernel (larger than a buffer) or no IPv4 source */
	DAEMON_GRE_DROP_NO_MEMORY,      /* no packet buffer: read into scratch */
	DAEMON_GRE_DROP_MALFORMED,      /* IPv4 or GRE header refused (which check: stats.malformed) */
	DAEMON_GRE_DROP_NO_CALL,        /* no call of ours has this call ID */
	DAEMON_GRE_DROP_WRONG_PEER,     /* the call exists; the source is not its peer */
	DAEMON_GRE_DROP_COUNT
};

const char *daemon_gre_drop_name(enum daemon_gre_drop reason);

struct daemon_gre_stats {
	uint64_t rx_datagrams;          /* read from the socket (or injected) */
	uint64_t rx_delivered;          /* handed to a tunnel */
	uint64_t dropped[DAEMON_GRE_DROP_COUNT];
	struct gre_error_counters malformed;
	uint64_t tx_packets;
	uint64_t tx_failed;             /* the kernel refused (buffer full, no route) */
	uint64_t socket_drops;          /* the kernel dropped, receive buffer full (SO_RXQ_OVFL) */
};

/* The tunnel that owns our call ID, or NULL. */
typedef struct daemon_tunnel *(*daemon_gre_lookup_fn)(void *ctx, uint16_t call_id);

struct daemon_gre {
	int fd;
	struct loop *loop;
	struct loop_fd watch;
	const char *tag;
	/* Drops are logged at this level, rate-limited by log_limit: the server
	 * warns; a client's raw socket also sees every other tunnel's GRE on
	 * the host, so it logs them at debug. */
	enum log_level drop_log_level;
	struct log_limit *log_limit;
	daemon_gre_lookup_fn lookup;
	void *lookup_ctx;
	struct pkt *(*alloc)(void);     /* NULL: pkt_new(PKT_SIZE, PKT_HEADROOM); tests inject failure */
	struct daemon_gre_stats stats;
	/* Packets sent in one loop iteration go out in one sendmmsg (a
	 * deferred flush at the end of the iteration, or when full): at full
	 * rate a sendto per packet was a syscall per 1,400 bytes. */
	struct pkt *txq[DAEMON_GRE_TX_BATCH];
	uint32_t txq_peer[DAEMON_GRE_TX_BATCH];
	size_t txq_len;
	struct loop_deferred tx_flush;
	uint8_t scratch[PKT_SIZE];
};

void daemon_gre_init(struct daemon_gre *g, struct loop *loop, daemon_gre_lookup_fn lookup, void *lookup_ctx,
		     const char *tag, enum log_level drop_log_level, struct log_limit *log_limit);
/* Take the raw socket and watch it. */
int daemon_gre_attach(struct daemon_gre *g, int fd);
void daemon_gre_close(struct daemon_gre *g);
/* Stop watching the socket and hand it back, open (the client keeps its one
 * raw socket for every attempt: it cannot reopen it without privileges). */
int daemon_gre_detach(struct daemon_gre *g);

/* Read up to DAEMON_GRE_ROUNDS batches and dispatch them (what the watch
 * calls; exposed for tests with an injected fd). */
void daemon_gre_receive(struct daemon_gre *g, uint64_t now_ms);
/* Demultiplex n received datagrams (IPv4 header first, p->len 0 for an
 * unreadable one) from src[i] (host order). Takes every pkts[i]. */
void daemon_gre_dispatch(struct daemon_gre *g, struct pkt *const pkts[], const uint32_t src[], size_t n,
			 uint64_t now_ms);
/* Send a GRE packet (GRE header first) to peer; always takes p. It is
 * queued and goes out, in order, at the end of this loop iteration (or
 * when DAEMON_GRE_TX_BATCH are waiting, or at daemon_gre_flush). */
void daemon_gre_send(struct daemon_gre *g, struct pkt *p, uint32_t peer);
/* Send what is queued now (one sendmmsg per DAEMON_GRE_TX_BATCH); counts
 * what the kernel refused as tx_failed. close and detach flush first. */
void daemon_gre_flush(struct daemon_gre *g);

/* "foreign" in `openpptp status`: GRE that is not for a call of this peer. */
static inline uint64_t daemon_gre_foreign(const struct daemon_gre_stats *s)
{
	return s->dropped[DAEMON_GRE_DROP_NO_CALL] + s->dropped[DAEMON_GRE_DROP_WRONG_PEER];
}

#endif
