/* SPDX-License-Identifier: BSD-2-Clause */
/* Pure functions over IP packets on the TUN side of a session: a bounded
 * parse, the source check for decapsulated packets, ICMP "too big" answers
 * (RFC 1191, RFC 4443 §3.2), IPv4 fragmentation (RFC 791) and TCP MSS
 * clamping (RFC 879, RFC 6691) with an incremental checksum (RFC 1624).
 *
 * No state, no allocation, no syscall: buffers in, buffers out. Every
 * length is checked against the bytes really there before it is used. */
#ifndef OPENPPTP_PROTO_IP_PACKET_H
#define OPENPPTP_PROTO_IP_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/ipv4_text.h"

#define IP4_HEADER_MIN 20
#define IP6_HEADER_LEN 40
#define IP_PROTO_ICMP 1
#define IP_PROTO_TCP 6
#define IP_PROTO_ICMPV6 58
/* RFC 1812 §4.3.2.3: an ICMPv4 error is at most 576 bytes;
 * RFC 4443 §2.4(c): an ICMPv6 error at most the minimum MTU, 1280. */
#define ICMP4_ERROR_MAX 576
#define ICMP6_ERROR_MAX 1280
#define ICMP4_TOO_BIG_OVERHEAD 28 /* IPv4 header + ICMP header */
#define ICMP6_TOO_BIG_OVERHEAD 48 /* IPv6 header + ICMPv6 header */

/* What ip_parse found. src/dst point into the packet (4 or 16 bytes). */
struct ip_info {
	unsigned version;         /* 4 or 6 */
	size_t header_len;        /* IPv4: IHL * 4; IPv6: 40 (extension headers are payload) */
	size_t total_len;         /* from the header; never above the buffer */
	uint8_t protocol;         /* IPv4 Protocol, IPv6 Next Header */
	bool dont_fragment;       /* IPv4 DF */
	bool more_fragments;      /* IPv4 MF */
	size_t fragment_offset;   /* IPv4, in bytes */
	const uint8_t *src;
	const uint8_t *dst;
};

/* 0, or ERR_TRUNCATED / ERR_LENGTH / ERR_VERSION / ERR_MALFORMED. */
int ip_parse(const uint8_t *pkt, size_t len, struct ip_info *out);

/* Who may send through a session (server: the peer's negotiated addresses).
 * ipv6_up false: no IPv6 source is acceptable; up, the link-local
 * fe80::iid and, once delegated, any address of the session's /64. */
struct ip_peer {
	uint32_t ipv4;            /* host order; the IPCP-assigned address */
	bool ipv6_up;
	uint64_t ipv6_iid;        /* IPV6CP interface identifier: fe80::iid */
	bool ipv6_has_prefix;     /* a /64 was delegated (announced in the RA) */
	uint8_t ipv6_prefix[8];   /* its first 64 bits: any address inside is the peer's */
	/* RADIUS Framed-Route prefixes the server routes to this session
	 * (issue 14): a source inside one is the peer's too. */
	const struct ipv4_prefix *routes;
	unsigned route_count;
};

enum ip_source_verdict {
	IP_SOURCE_OK = 0,
	IP_SOURCE_MALFORMED,      /* not a parseable IP packet */
	IP_SOURCE_WRONG_VERSION,  /* the PPP protocol said the other version */
	IP_SOURCE_SPOOFED,        /* a source the session was not given */
};

/* `version` is what the PPP protocol field says (0x0021: 4, 0x0057: 6).
 * peer NULL: check the version only (the client: the server forwards
 * packets from anywhere). */
enum ip_source_verdict ip_source_check(const uint8_t *pkt, size_t len, unsigned version,
				       const struct ip_peer *peer);

/* RFC 1812 §4.3.2.7 / RFC 4443 §2.4(e): may this packet be answered with
 * an ICMP error at all (not an ICMP error itself, not a non-first
 * fragment, not from an unspecified/multicast/broadcast/loopback source)? */
bool ip_may_answer_with_icmp(const struct ip_info *ip, const uint8_t *pkt);

/* ICMPv4 Destination Unreachable, Fragmentation Needed and DF Set (type 3
 * code 4, RFC 1191 §4: next-hop MTU in the low 16 bits of the second
 * word), from `from` (host order) to the packet's source, quoting as much
 * of it as fits in 576 bytes. Returns the length written to out, or a
 * negative error (ERR_UNSUPPORTED: this packet must not be answered). */
int icmp4_frag_needed(uint8_t *out, size_t cap, const uint8_t *pkt, size_t len, uint32_t from, uint16_t mtu);

/* ICMPv6 Packet Too Big (RFC 4443 §3.2) from `from` to the packet's
 * source, quoting as much as fits in 1280 bytes, checksum over the
 * pseudo-header (RFC 8200 §8.1). Same returns as above. */
int icmp6_packet_too_big(uint8_t *out, size_t cap, const uint8_t *pkt, size_t len, const uint8_t from[16],
			 uint32_t mtu);

/* RFC 791 fragmentation of an IPv4 packet without DF into pieces of at
 * most `mtu` bytes. Call with *offset = 0, then again while it returns a
 * positive length: each call writes the next fragment to out and advances
 * *offset (bytes of the original payload consumed). Returns 0 when done,
 * or a negative error (ERR_STATE: DF set; ERR_LENGTH: mtu too small). */
int ip4_fragment_next(const uint8_t *pkt, size_t len, uint16_t mtu, size_t *offset, uint8_t *out, size_t cap);

/* A TCP segment with SYN whose MSS option is above max_mss gets max_mss;
 * the TCP checksum is updated incrementally (RFC 1624 eqn. 3). In place.
 * Returns true when it changed the packet. IPv6: TCP right after the
 * fixed header only (no extension-header walk). */
bool tcp_mss_clamp(uint8_t *pkt, size_t len, uint16_t max_mss);

/* RFC 8200 §8.1: the ICMPv6 checksum of msg (len bytes, its checksum
 * field as it is) over the pseudo-header; 0 when a received one is right. */
uint16_t icmp6_checksum(const uint8_t *src, const uint8_t *dst, const uint8_t *msg, size_t len);

/* RFC 1624 eqn. 3: checksum hc after a 16-bit word changes from m to m2. */
uint16_t inet_checksum_update16(uint16_t hc, uint16_t m, uint16_t m2);

#endif
