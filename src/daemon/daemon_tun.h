/* SPDX-License-Identifier: BSD-2-Clause */
/* The TUN read/write path of a daemon: read IP packets (at most
 * DAEMON_TUN_READS_PER_ROUND per readiness), route each to a tunnel and
 * call through the owner's route function, write decrypted packets from
 * the peers; every packet that goes nowhere is counted under one reason.
 * The server has one TUN for all sessions (routed by destination), the
 * client one for its call. Any fd with packet boundaries stands in for
 * the TUN in tests (a socketpair).
 *
 * With TUN offloads (dev.vnet_hdr) each read is a virtio-net header and up
 * to 64 KiB: a TCP super-packet is cut here into segments that fit the
 * session (proto/ip/ip_gso.h), each routed as if read alone, so one read
 * feeds one sendmmsg batch on the GRE socket. The other way, in-order TCP
 * segments of one flow written in one loop round are coalesced
 * (proto/ip/ip_gro.h) and written as one super-packet, after the round. */
#ifndef OPENPPTP_DAEMON_DAEMON_TUN_H
#define OPENPPTP_DAEMON_DAEMON_TUN_H

#include <stdbool.h>
#include <stdint.h>

#include "base/pkt.h"
#include "proto/ip/ip_gro.h"
#include "sys/loop.h"
#include "sys/tun.h"

enum daemon_tun_drop {
	DAEMON_TUN_ROUTED = 0,          /* not a drop: a tunnel took the packet */
	DAEMON_TUN_DROP_NOT_IPV4,       /* not IPv4 (nor IPv6 with --ipv6-pool), or shorter than its header */
	DAEMON_TUN_DROP_NO_SESSION,     /* no session is up for it */
	DAEMON_TUN_DROP_NO_MEMORY,      /* no packet buffer: read into scratch */
	DAEMON_TUN_DROP_WRITE,          /* to the TUN: not open, queue full or error */
	DAEMON_TUN_DROP_OFFLOAD,        /* a virtio-net header or super-packet we cannot segment */
	DAEMON_TUN_DROP_COUNT
};

const char *daemon_tun_drop_name(enum daemon_tun_drop reason);

/* Hand ip to its tunnel (DAEMON_TUN_ROUTED: ownership passed) or say why
 * not (the packet stays the caller's, which frees and counts it). */
typedef enum daemon_tun_drop (*daemon_tun_route_fn)(void *ctx, struct pkt *ip, uint64_t now_ms);

struct daemon_tun_stats {
	uint64_t rx_packets;            /* read from the TUN */
	uint64_t tx_packets;            /* written to it */
	uint64_t dropped[DAEMON_TUN_DROP_COUNT];
	uint64_t gso_reads;             /* super-packets read (offloads on) */
	uint64_t gso_segments;          /* segments cut from them */
	uint64_t gro_writes;            /* super-packets written (2 segments or more) */
	uint64_t gro_segments;          /* segments merged into them */
};

/* The MTU a super-packet's segments must fit (its session's), 0: no
 * bound beyond its own gso_size. */
typedef size_t (*daemon_tun_mtu_fn)(void *ctx, const uint8_t *ip, size_t len);

struct daemon_tun {
	struct tun dev;                 /* dev.fd < 0: not open */
	struct loop *loop;
	struct loop_fd watch;
	daemon_tun_route_fn route;
	void *route_ctx;
	struct pkt *(*alloc)(void);     /* NULL: pkt_new(PKT_SIZE, PKT_HEADROOM) */
	daemon_tun_mtu_fn segment_mtu;  /* NULL: `mtu` below */
	size_t mtu;                     /* segments' bound without segment_mtu (0: none) */
	uint8_t *super;                 /* offloads on: one read (header + 64 KiB) */
	uint8_t *gro_buf;               /* offloads on: the super-packet being coalesced */
	struct ip_gro gro;
	struct loop_deferred gro_flush;
	struct daemon_tun_stats stats;
	uint8_t scratch[PKT_SIZE];
};

void daemon_tun_init(struct daemon_tun *t, struct loop *loop, daemon_tun_route_fn route, void *route_ctx);
/* Watch t->dev.fd (opened by tun_open, or a stand-in); with
 * dev.vnet_hdr, the super-packet buffer too (ERR_NOMEM). */
int daemon_tun_attach(struct daemon_tun *t);
static inline bool daemon_tun_is_open(const struct daemon_tun *t)
{
	return t->dev.fd >= 0;
}
/* Read and route up to DAEMON_TUN_READS_PER_ROUND packets (what the watch
 * calls; exposed for tests). */
void daemon_tun_read(struct daemon_tun *t, uint64_t now_ms);
/* Write one packet to the TUN (offloads on: maybe later, merged with the
 * next ones of its flow, at the end of the loop round); always takes ip. */
void daemon_tun_write(struct daemon_tun *t, struct pkt *ip);
/* The IPv4 destination (host order), or false when ip is not IPv4. */
bool daemon_tun_ipv4_destination(const struct pkt *ip, uint32_t *dst);
/* The IPv6 destination (16 bytes in the packet), or false when ip is not IPv6. */
bool daemon_tun_ipv6_destination(const struct pkt *ip, const uint8_t **dst);
/* Unwatch and close the device. */
void daemon_tun_close(struct daemon_tun *t);

#endif
