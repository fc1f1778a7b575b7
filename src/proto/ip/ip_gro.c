/* SPDX-License-Identifier: BSD-2-Clause */
/* Coalescing in-order TCP segments into one GSO super-packet (ip_gro.h). */
#include "proto/ip/ip_gro.h"

#include <string.h>

#include "base/bytes.h"
#include "base/inet_checksum.h"
#include "proto/ip/ip_packet.h"

#define GRO_MAX 65535
#define TCP_ACK 0x10
#define TCP_PSH 0x08

void ip_gro_init(struct ip_gro *g, uint8_t *buf, size_t cap)
{
	*g = (struct ip_gro){ .buf = buf, .cap = cap };
}

struct seg {
	unsigned version;
	size_t ip_len, hdrs_len, payload;
	uint32_t seq;
	uint8_t flags;
};

/* The one's complement sum of the RFC 9293 §3.1 / RFC 8200 §8.1
 * pseudo-header, not folded. */
static uint32_t pseudo_sum(const uint8_t *pkt, unsigned version, size_t tcp_len)
{
	uint32_t s = IP_PROTO_TCP + (uint32_t)tcp_len;
	const uint8_t *a = pkt + (version == 4 ? 12 : 8);
	size_t n = version == 4 ? 8 : 32;
	for (size_t i = 0; i < n; i += 2)
		s += load_be16(a + i);
	return s;
}

static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* A plain TCP segment with payload, only ACK (and maybe PSH) set, a right
 * checksum, nothing past its total length. */
static bool segment_parse(const uint8_t *pkt, size_t len, struct seg *s)
{
	struct ip_info ip;
	if (ip_parse(pkt, len, &ip) != 0 || ip.protocol != IP_PROTO_TCP || ip.total_len != len)
		return false;
	if (ip.version == 4 && (ip.header_len != IP4_HEADER_MIN || ip.more_fragments || ip.fragment_offset))
		return false;
	if (len < ip.header_len + 20)
		return false;
	const uint8_t *t = pkt + ip.header_len;
	size_t tl = (size_t)(t[12] >> 4) * 4;
	if (tl < 20 || ip.header_len + tl >= len)
		return false;
	if ((t[13] & (uint8_t)~TCP_PSH) != TCP_ACK) /* no SYN, FIN, RST, URG, ECE, CWR */
		return false;
	size_t tcp_len = len - ip.header_len;
	if (inet_fold(inet_sum(pseudo_sum(pkt, ip.version, tcp_len), t, tcp_len)) != 0xffff)
		return false;
	*s = (struct seg){ .version = ip.version, .ip_len = ip.header_len, .hdrs_len = ip.header_len + tl,
			   .payload = len - ip.header_len - tl, .seq = load_be32(t + 4), .flags = t[13] };
	return true;
}

/* Same flow and same headers but for what changes per segment: IPv4
 * total length, identification, checksum; IPv6 payload length; TCP
 * sequence number, checksum, PSH. */
static bool same_headers(const struct ip_gro *g, const uint8_t *pkt, const struct seg *s)
{
	const uint8_t *h = g->buf + VNET_HDR_LEN;
	if (s->version != g->version || s->hdrs_len != g->hdrs_len)
		return false;
	if (g->version == 4) {
		if (h[1] != pkt[1] || memcmp(h + 6, pkt + 6, 4) != 0 || memcmp(h + 12, pkt + 12, 8) != 0)
			return false;
	} else if (memcmp(h, pkt, 4) != 0 || memcmp(h + 6, pkt + 6, 34) != 0) {
		return false;
	}
	const uint8_t *a = h + g->ip_len, *b = pkt + s->ip_len;
	return memcmp(a, b, 4) == 0 && memcmp(a + 8, b + 8, 5) == 0 && memcmp(a + 14, b + 14, 2) == 0 &&
	       memcmp(a + 18, b + 18, g->hdrs_len - g->ip_len - 18) == 0;
}

bool ip_gro_add(struct ip_gro *g, const uint8_t *pkt, size_t len)
{
	struct seg s;
	if (!segment_parse(pkt, len, &s) || VNET_HDR_LEN + len > g->cap)
		return false;
	if (g->len == 0) {
		memcpy(g->buf + VNET_HDR_LEN, pkt, len);
		g->len = len;
		g->version = s.version;
		g->ip_len = s.ip_len;
		g->hdrs_len = s.hdrs_len;
		g->gso_size = s.payload;
		g->segments = 1;
		g->next_seq = s.seq + (uint32_t)s.payload;
		g->closed = (s.flags & TCP_PSH) != 0;
		return true;
	}
	if (g->closed || s.seq != g->next_seq || s.payload > g->gso_size || g->len + s.payload > GRO_MAX ||
	    VNET_HDR_LEN + g->len + s.payload > g->cap || !same_headers(g, pkt, &s))
		return false;
	memcpy(g->buf + VNET_HDR_LEN + g->len, pkt + s.hdrs_len, s.payload);
	g->len += s.payload;
	g->segments++;
	g->next_seq += (uint32_t)s.payload;
	if (s.flags & TCP_PSH) {
		g->buf[VNET_HDR_LEN + g->ip_len + 13] |= TCP_PSH;
		g->closed = true;
	}
	if (s.payload < g->gso_size)
		g->closed = true;
	return true;
}

size_t ip_gro_finish(struct ip_gro *g)
{
	size_t len = g->len;
	struct vnet_hdr h = { 0 };
	uint8_t *ip = g->buf + VNET_HDR_LEN;
	if (len && g->segments > 1) {
		if (g->version == 4) {
			store_be16(ip + 2, (uint16_t)len);
			store_be16(ip + 10, 0);
			store_be16(ip + 10, inet_checksum(ip, g->ip_len));
		} else {
			store_be16(ip + 4, (uint16_t)(len - IP6_HEADER_LEN));
		}
		/* §5.1.6.2: the field holds the pseudo-header sum, the kernel
		 * adds the rest (or trusts it: we verified every segment). */
		store_be16(ip + g->ip_len + 16, fold(pseudo_sum(ip, g->version, len - g->ip_len)));
		h = (struct vnet_hdr){ .flags = VNET_HDR_F_NEEDS_CSUM,
				       .gso_type = g->version == 4 ? VNET_HDR_GSO_TCPV4 : VNET_HDR_GSO_TCPV6,
				       .hdr_len = (uint16_t)g->hdrs_len, .gso_size = (uint16_t)g->gso_size,
				       .csum_start = (uint16_t)g->ip_len, .csum_offset = 16 };
	}
	vnet_hdr_encode(&h, g->buf);
	g->len = 0;
	g->segments = 0;
	return len ? VNET_HDR_LEN + len : 0;
}
