/* SPDX-License-Identifier: BSD-2-Clause */
/* Receive coalescing for a TUN opened with IFF_VNET_HDR: in-order TCP
 * segments of one flow, decapsulated in one receive batch, become one
 * super-packet written with a virtio-net header (virtio v1.1 §5.1.6,
 * GSO_TCPV4/TCPV6, NEEDS_CSUM), what a NIC doing LRO/GRO hands its host.
 * The rules follow what makes segments mergeable without changing what
 * TCP sees (RFC 9293 §3.1): same addresses, ports, ACK, window, options
 * and IP header (but the IPv4 identification), contiguous sequence
 * numbers, only ACK (PSH on the last), equal sizes but the last. Each
 * segment's TCP checksum is verified before it is merged: the kernel
 * trusts a NEEDS_CSUM packet's data, so a corrupt one is never merged.
 *
 * No allocation, no syscall: the caller owns the buffer. */
#ifndef OPENPPTP_PROTO_IP_IP_GRO_H
#define OPENPPTP_PROTO_IP_IP_GRO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/ip/ip_gso.h"

struct ip_gro {
	uint8_t *buf;           /* VNET_HDR_LEN + the super-packet */
	size_t cap;             /* bytes of buf (at most VNET_HDR_LEN + 65535 used) */
	size_t len;             /* IP bytes held after the header; 0: empty */
	unsigned version;
	size_t ip_len, hdrs_len;
	size_t gso_size;        /* payload of the first segment */
	unsigned segments;
	uint32_t next_seq;
	bool closed;            /* PSH or a short segment: nothing may follow */
};

void ip_gro_init(struct ip_gro *g, uint8_t *buf, size_t cap);
static inline bool ip_gro_empty(const struct ip_gro *g)
{
	return g->len == 0;
}
/* Take pkt into the super-packet being built: true when merged (or it
 * started one, g empty), false when it does not belong (the caller
 * finishes g and tries again with g empty: false then means "write it
 * alone"). */
bool ip_gro_add(struct ip_gro *g, const uint8_t *pkt, size_t len);
/* Finish: the virtio-net header in front (a zero one for a single
 * segment, which keeps its own checksum), lengths and IPv4 header checksum
 * fixed, the TCP checksum field set to the pseudo-header sum (§5.1.6.2).
 * Returns the bytes to write from g->buf (header included) and empties g. */
size_t ip_gro_finish(struct ip_gro *g);

#endif
