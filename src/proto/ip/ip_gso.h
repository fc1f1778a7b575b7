/* SPDX-License-Identifier: BSD-2-Clause */
/* TUN offloads as pure functions: the virtio-net header that precedes
 * every packet on a TUN opened with IFF_VNET_HDR (virtio spec v1.1
 * §5.1.6 "struct virtio_net_hdr"), the partial checksum the kernel leaves
 * with VIRTIO_NET_HDR_F_NEEDS_CSUM (§5.1.6.2), and TCP segmentation of a
 * GSO super-packet (up to 64 KiB) into segments that fit the session MTU
 * (what a NIC doing TSO would do: RFC 9293 §3.1 header rules per segment,
 * RFC 791 §3.1 / RFC 8200 §3 lengths, RFC 1071 checksums).
 *
 * No state beyond the iterator, no allocation, no syscall. */
#ifndef OPENPPTP_PROTO_IP_IP_GSO_H
#define OPENPPTP_PROTO_IP_IP_GSO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* virtio spec v1.1 §5.1.6: the header without num_buffers, what the TUN
 * uses by default (TUNSETVNETHDRSZ not called). */
#define VNET_HDR_LEN 10
#define VNET_HDR_F_NEEDS_CSUM 1
#define VNET_HDR_F_DATA_VALID 2
#define VNET_HDR_GSO_NONE 0
#define VNET_HDR_GSO_TCPV4 1
#define VNET_HDR_GSO_UDP 3
#define VNET_HDR_GSO_TCPV6 4
#define VNET_HDR_GSO_ECN 0x80

struct vnet_hdr {
	uint8_t flags;
	uint8_t gso_type;         /* VNET_HDR_GSO_*, maybe | VNET_HDR_GSO_ECN */
	uint16_t hdr_len;         /* a hint only: the TUN puts its linear length here */
	uint16_t gso_size;        /* payload bytes per segment (the TCP MSS) */
	uint16_t csum_start;      /* NEEDS_CSUM: checksum from here to the end ... */
	uint16_t csum_offset;     /* ... stored at csum_start + csum_offset */
};

/* The TUN's header is in the host's byte order (legacy virtio, §2.4.3:
 * TUNSETVNETLE/BE not used), so these are plain copies of the fields. */
void vnet_hdr_decode(const uint8_t in[VNET_HDR_LEN], struct vnet_hdr *h);
void vnet_hdr_encode(const struct vnet_hdr *h, uint8_t out[VNET_HDR_LEN]);

/* A packet without GSO but with NEEDS_CSUM: the checksum field holds the
 * pseudo-header sum; add the bytes from csum_start to the end, store the
 * complement (§5.1.6.2). In place. 0, or ERR_LENGTH when the offsets point
 * outside the packet. Without the flag: 0, nothing done. */
int vnet_finish_checksum(uint8_t *pkt, size_t len, const struct vnet_hdr *h);

/* Segmenting one TCP super-packet (gso_type TCPV4 or TCPV6). */
struct ip_gso {
	const uint8_t *pkt;
	unsigned version;         /* 4 or 6 */
	size_t ip_len;            /* IP header bytes (IPv4 with options; IPv6 40) */
	size_t hdrs_len;          /* IP + TCP header bytes, copied into every segment */
	size_t payload_len;       /* TCP payload bytes of the super-packet */
	size_t seg_payload;       /* payload bytes per segment */
	size_t done;              /* payload bytes already emitted */
	unsigned index;           /* segments already emitted */
};

/* Check the super-packet and start. mtu (0: none) bounds every segment:
 * a gso_size bigger than mtu allows is cut down to it. Errors:
 * ERR_UNSUPPORTED (not a TCP GSO type, or the IP version or protocol
 * disagrees with it), ERR_INVALID (gso_size 0), ERR_TRUNCATED / ERR_LENGTH
 * / ERR_MALFORMED (headers short or inconsistent, hdr_len past the end,
 * an IPv4 fragment), ERR_NOSPACE (mtu leaves no room for payload). */
int ip_gso_begin(struct ip_gso *g, const struct vnet_hdr *h, const uint8_t *pkt, size_t len, size_t mtu);
/* Write the next segment to out: its length, 0 when all were written,
 * ERR_NOSPACE when cap is short. Each segment has its own IPv4 total
 * length, identification (+1 per segment) and header checksum, or IPv6
 * payload length; TCP sequence number advanced by the payload before it;
 * FIN and PSH only on the last, CWR only on the first (RFC 3168 §6.1.2);
 * a full TCP checksum over the pseudo-header. */
int ip_gso_next(struct ip_gso *g, uint8_t *out, size_t cap);

/* How many segments ip_gso_next will write in all. */
size_t ip_gso_count(const struct ip_gso *g);

#endif
