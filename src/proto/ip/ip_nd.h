/* SPDX-License-Identifier: BSD-2-Clause */
/* Neighbor Discovery on a PPP link (RFC 4861, RFC 5072 §5): the server
 * announces each session's /64 with a Router Advertisement built here, in
 * userspace, and the client learns its prefix (and DNS, RFC 8106 RDNSS)
 * by parsing it. Router Solicitations both ways.
 *
 * Pure functions over whole IPv6 packets: no state, no allocation, no
 * syscall. The parsers are wire input: every length is checked against
 * the bytes really there, and a packet failing any RFC 4861 §6.1 validity
 * test (hop limit 255, code 0, checksum, length, option lengths) is
 * refused with an error, never half-read. */
#ifndef OPENPPTP_PROTO_IP_ND_H
#define OPENPPTP_PROTO_IP_ND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ND_TYPE_ROUTER_SOLICIT 133
#define ND_TYPE_ROUTER_ADVERT 134
#define ND_OPT_PREFIX_INFO 3
#define ND_OPT_MTU 5
#define ND_OPT_RDNSS 25 /* RFC 8106 §5.1 */
#define ND_HOP_LIMIT 255
#define ND_RS_LEN (40 + 8)
#define ND_RDNSS_MAX 2
/* Header 16 + prefix 32 + MTU 8 + RDNSS 8 + 16 per server */
#define ND_RA_MAX (40 + 16 + 32 + 8 + 8 + 16 * ND_RDNSS_MAX)
#define ND_LIFETIME_INFINITE 0xffffffffu

/* What a Router Advertisement says, as far as a PPP link needs it: one
 * prefix for SLAAC (RFC 4862 §5.5.3), the link MTU, DNS servers. */
struct nd_ra {
	uint8_t cur_hop_limit;      /* 0 = unspecified */
	bool managed, other;        /* M and O flags */
	uint16_t router_lifetime;   /* seconds; 0 = not a default router */
	bool has_prefix;            /* a Prefix Information option with A set and /64 */
	uint8_t prefix[16];         /* bits past prefix_len are zero */
	uint8_t prefix_len;
	bool on_link;               /* L flag */
	uint32_t valid_lifetime, preferred_lifetime;
	uint32_t mtu;               /* 0 = no MTU option */
	uint8_t dns_count;          /* RDNSS addresses kept (the first ND_RDNSS_MAX) */
	uint8_t dns[ND_RDNSS_MAX][16];
	uint32_t dns_lifetime;
};

/* The RA as a whole IPv6 packet from src (our link-local) to dst
 * (ff02::1, or the soliciting peer): the length written, or ERR_NOSPACE,
 * or ERR_INVALID (prefix_len above 128, or an RDNSS count above the max). */
int nd_ra_build(uint8_t *out, size_t cap, const struct nd_ra *ra, const uint8_t src[16], const uint8_t dst[16]);

/* Parse and validate an RA (RFC 4861 §6.1.2): 0, or ERR_TRUNCATED,
 * ERR_LENGTH (an option length of 0 or past the end; lengths that
 * disagree), ERR_UNKNOWN_TYPE (not ICMPv6 type 134), ERR_MALFORMED (hop
 * limit not 255, code not 0, source not link-local, a prefix length above
 * 128, an RDNSS option of even length), ERR_CRYPTO (checksum wrong).
 * Unknown options are skipped (§4.6). Prefixes that SLAAC cannot use
 * (A clear, length not 64, link-local) are skipped as §5.5.3 says. */
int nd_ra_parse(const uint8_t *pkt, size_t len, struct nd_ra *out);

/* A Router Solicitation (RFC 4861 §4.1) from src to ff02::2, without a
 * source link-layer option (a PPP link has no link-layer address): the
 * length written (ND_RS_LEN) or ERR_NOSPACE. */
int nd_rs_build(uint8_t *out, size_t cap, const uint8_t src[16]);

/* Is pkt a valid Router Solicitation (RFC 4861 §6.1.1)? 0, or the same
 * errors as nd_ra_parse (ERR_UNKNOWN_TYPE: another packet). */
int nd_rs_parse(const uint8_t *pkt, size_t len);

/* Is pkt an ICMPv6 packet of this type right after the fixed header (a
 * cheap test before the parse; false for anything shorter)? */
bool nd_is_icmp6_type(const uint8_t *pkt, size_t len, uint8_t type);

/* fe80::iid (RFC 4291 §2.5.6, RFC 5072 §5). */
void nd_link_local(uint8_t out[16], uint64_t iid);

#endif
