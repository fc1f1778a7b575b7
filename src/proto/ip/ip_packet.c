/* SPDX-License-Identifier: BSD-2-Clause */
/* IP packet parse, the source check for decapsulated packets, and TCP MSS
 * clamping (see ip_packet.h). */
#include "proto/ip/ip_packet.h"

#include <string.h>

#include "base/bytes.h"
#include "base/error.h"
#include "base/reader.h"

int ip_parse(const uint8_t *pkt, size_t len, struct ip_info *out)
{
	memset(out, 0, sizeof(*out));
	struct reader r;
	reader_init(&r, pkt, len);
	uint8_t vb = reader_u8(&r);
	if (!reader_ok(&r))
		return ERR_TRUNCATED;
	out->version = vb >> 4;
	if (out->version == 4) {
		/* RFC 791 §3.1 */
		out->header_len = (size_t)(vb & 15) * 4;
		(void)reader_u8(&r); /* TOS */
		out->total_len = reader_u16(&r);
		(void)reader_u16(&r); /* identification */
		uint16_t frag = reader_u16(&r);
		(void)reader_u8(&r); /* TTL */
		out->protocol = reader_u8(&r);
		(void)reader_u16(&r); /* checksum */
		out->src = reader_ptr(&r, 4);
		out->dst = reader_ptr(&r, 4);
		if (!reader_ok(&r))
			return ERR_TRUNCATED;
		if (out->header_len < IP4_HEADER_MIN)
			return ERR_MALFORMED;
		if (out->total_len < out->header_len || out->total_len > len)
			return ERR_LENGTH;
		if (frag & 0x8000)
			return ERR_RESERVED;
		out->dont_fragment = (frag & 0x4000) != 0;
		out->more_fragments = (frag & 0x2000) != 0;
		out->fragment_offset = (size_t)(frag & 0x1fff) * 8;
		return 0;
	}
	if (out->version == 6) {
		/* RFC 8200 §3 */
		(void)reader_ptr(&r, 3); /* rest of traffic class, flow label */
		size_t payload = reader_u16(&r);
		out->protocol = reader_u8(&r);
		(void)reader_u8(&r); /* hop limit */
		out->src = reader_ptr(&r, 16);
		out->dst = reader_ptr(&r, 16);
		if (!reader_ok(&r))
			return ERR_TRUNCATED;
		out->header_len = IP6_HEADER_LEN;
		out->total_len = IP6_HEADER_LEN + payload;
		if (out->total_len > len)
			return ERR_LENGTH;
		return 0;
	}
	return ERR_VERSION;
}

static bool ip6_is_link_local_with(const uint8_t *a, uint64_t iid)
{
	/* fe80::/64 (RFC 4291 §2.5.6) with the IPV6CP interface identifier
	 * (RFC 5072 §5) */
	static const uint8_t prefix[8] = { 0xfe, 0x80 };
	return memcmp(a, prefix, 8) == 0 && load_be32(a + 8) == (uint32_t)(iid >> 32) &&
	       load_be32(a + 12) == (uint32_t)iid;
}

enum ip_source_verdict ip_source_check(const uint8_t *pkt, size_t len, unsigned version,
				       const struct ip_peer *peer)
{
	if (len == 0)
		return IP_SOURCE_MALFORMED;
	if ((unsigned)(pkt[0] >> 4) != version)
		return IP_SOURCE_WRONG_VERSION;
	struct ip_info ip;
	if (ip_parse(pkt, len, &ip) < 0)
		return IP_SOURCE_MALFORMED;
	if (!peer)
		return IP_SOURCE_OK;
	if (version == 4) {
		uint32_t src = load_be32(ip.src);
		if (src == peer->ipv4 && peer->ipv4 != 0)
			return IP_SOURCE_OK;
		const struct ipv4_prefix host = { src, 32 };
		for (unsigned i = 0; i < peer->route_count; i++)
			if (ipv4_prefix_contains(&peer->routes[i], &host))
				return IP_SOURCE_OK;
		return IP_SOURCE_SPOOFED;
	}
	/* RFC 5072 §5: the link-local address from the negotiated
	 * identifier; RFC 4862: any address the peer formed in its /64. */
	if (!peer->ipv6_up)
		return IP_SOURCE_SPOOFED;
	if (ip6_is_link_local_with(ip.src, peer->ipv6_iid))
		return IP_SOURCE_OK;
	return peer->ipv6_has_prefix && memcmp(ip.src, peer->ipv6_prefix, 8) == 0 ? IP_SOURCE_OK : IP_SOURCE_SPOOFED;
}

bool ip_may_answer_with_icmp(const struct ip_info *ip, const uint8_t *pkt)
{
	const uint8_t *l4 = pkt + ip->header_len;
	bool l4_type = ip->total_len > ip->header_len;
	if (ip->version == 4) {
		uint32_t s = load_be32(ip->src);
		if (ip->fragment_offset != 0)
			return false;
		/* 0/8, 127/8, multicast and above, limited broadcast */
		if ((s >> 24) == 0 || (s >> 24) == 127 || (s >> 28) >= 14)
			return false;
		/* RFC 1812 §4.3.2.7: never about an ICMP error (types 3, 4, 5, 11, 12) */
		if (ip->protocol == IP_PROTO_ICMP && l4_type) {
			uint8_t t = l4[0];
			if (t == 3 || t == 4 || t == 5 || t == 11 || t == 12)
				return false;
		}
		return true;
	}
	static const uint8_t unspecified[16];
	if (memcmp(ip->src, unspecified, 16) == 0 || ip->src[0] == 0xff)
		return false;
	/* RFC 4443 §2.4(e.1): never about an ICMPv6 error (types below 128) */
	if (ip->protocol == IP_PROTO_ICMPV6 && l4_type && l4[0] < 128)
		return false;
	return true;
}

uint16_t inet_checksum_update16(uint16_t hc, uint16_t m, uint16_t m2)
{
	uint32_t sum = (uint32_t)(uint16_t)~hc + (uint16_t)~m + m2;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint16_t swap16(uint16_t v)
{
	return (uint16_t)(v << 8 | v >> 8);
}

bool tcp_mss_clamp(uint8_t *pkt, size_t len, uint16_t max_mss)
{
	struct ip_info ip;
	if (ip_parse(pkt, len, &ip) < 0 || ip.protocol != IP_PROTO_TCP || ip.fragment_offset != 0)
		return false;
	size_t seg_len = ip.total_len - ip.header_len;
	uint8_t *tcp = pkt + ip.header_len;
	if (seg_len < 20)
		return false;
	size_t doff = (size_t)(tcp[12] >> 4) * 4;
	if (doff < 20 || doff > seg_len || !(tcp[13] & 0x02)) /* SYN */
		return false;
	size_t i = 20;
	while (i < doff) {
		uint8_t kind = tcp[i];
		if (kind == 0) /* End of Option List */
			break;
		if (kind == 1) { /* NOP */
			i++;
			continue;
		}
		if (i + 1 >= doff)
			return false;
		size_t olen = tcp[i + 1];
		if (olen < 2 || i + olen > doff)
			return false;
		if (kind == 2 && olen == 4) {
			uint16_t mss = load_be16(tcp + i + 2);
			if (mss <= max_mss)
				return false;
			store_be16(tcp + i + 2, max_mss);
			/* A 16-bit field at an odd offset adds to the sum byte-swapped
			 * (RFC 1071 §2(B)): update with both values swapped. */
			bool odd = ((i + 2) & 1) != 0;
			uint16_t ck = load_be16(tcp + 16);
			ck = odd ? inet_checksum_update16(ck, swap16(mss), swap16(max_mss))
				 : inet_checksum_update16(ck, mss, max_mss);
			store_be16(tcp + 16, ck);
			return true;
		}
		i += olen;
	}
	return false;
}
