/* SPDX-License-Identifier: BSD-2-Clause */
/* ICMP "too big" answers built in userspace: IPv4 Fragmentation Needed
 * (RFC 792, RFC 1191 §4) and ICMPv6 Packet Too Big (RFC 4443 §3.2). */
#include "proto/ip/ip_packet.h"

#include <string.h>

#include "base/bytes.h"
#include "base/error.h"
#include "base/inet_checksum.h"

int icmp4_frag_needed(uint8_t *out, size_t cap, const uint8_t *pkt, size_t len, uint32_t from, uint16_t mtu)
{
	struct ip_info ip;
	int rc = ip_parse(pkt, len, &ip);
	if (rc < 0)
		return rc;
	if (ip.version != 4)
		return ERR_VERSION;
	if (!ip_may_answer_with_icmp(&ip, pkt))
		return ERR_UNSUPPORTED;
	size_t quote = ip.total_len;
	if (quote > ICMP4_ERROR_MAX - ICMP4_TOO_BIG_OVERHEAD)
		quote = ICMP4_ERROR_MAX - ICMP4_TOO_BIG_OVERHEAD;
	size_t n = ICMP4_TOO_BIG_OVERHEAD + quote;
	if (cap < n)
		return ERR_NOSPACE;
	memset(out, 0, ICMP4_TOO_BIG_OVERHEAD);
	out[0] = 0x45;
	store_be16(out + 2, (uint16_t)n);
	out[8] = 64;            /* TTL */
	out[9] = IP_PROTO_ICMP;
	store_be32(out + 12, from);
	memcpy(out + 16, ip.src, 4);
	store_be16(out + 10, inet_checksum(out, 20));
	uint8_t *icmp = out + 20;
	icmp[0] = 3;            /* Destination Unreachable */
	icmp[1] = 4;            /* fragmentation needed and DF set */
	store_be16(icmp + 6, mtu);
	memcpy(icmp + 8, pkt, quote);
	store_be16(icmp + 2, inet_checksum(icmp, 8 + quote));
	return (int)n;
}

/* RFC 8200 §8.1: the upper-layer checksum covers a pseudo-header of the
 * source, the destination, the upper-layer length and the next header. */
uint16_t icmp6_checksum(const uint8_t *src, const uint8_t *dst, const uint8_t *msg, size_t len)
{
	uint32_t sum = 0;
	for (size_t i = 0; i < 16; i += 2)
		sum += (uint32_t)load_be16(src + i) + load_be16(dst + i);
	sum += (uint32_t)(len >> 16) + (uint32_t)(len & 0xffff) + IP_PROTO_ICMPV6;
	uint16_t body = (uint16_t)~inet_checksum(msg, len); /* the folded sum of msg */
	sum += body;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	uint16_t ck = (uint16_t)~sum;
	return ck;
}

int icmp6_packet_too_big(uint8_t *out, size_t cap, const uint8_t *pkt, size_t len, const uint8_t from[16],
			 uint32_t mtu)
{
	struct ip_info ip;
	int rc = ip_parse(pkt, len, &ip);
	if (rc < 0)
		return rc;
	if (ip.version != 6)
		return ERR_VERSION;
	if (!ip_may_answer_with_icmp(&ip, pkt))
		return ERR_UNSUPPORTED;
	size_t quote = ip.total_len;
	if (quote > ICMP6_ERROR_MAX - ICMP6_TOO_BIG_OVERHEAD)
		quote = ICMP6_ERROR_MAX - ICMP6_TOO_BIG_OVERHEAD;
	size_t n = ICMP6_TOO_BIG_OVERHEAD + quote;
	if (cap < n)
		return ERR_NOSPACE;
	memset(out, 0, ICMP6_TOO_BIG_OVERHEAD);
	out[0] = 0x60;
	store_be16(out + 4, (uint16_t)(n - IP6_HEADER_LEN));
	out[6] = IP_PROTO_ICMPV6;
	out[7] = 255;           /* hop limit */
	memcpy(out + 8, from, 16);
	memcpy(out + 24, ip.src, 16);
	uint8_t *icmp = out + IP6_HEADER_LEN;
	icmp[0] = 2;            /* Packet Too Big */
	store_be32(icmp + 4, mtu);
	memcpy(icmp + 8, pkt, quote);
	store_be16(icmp + 2, icmp6_checksum(out + 8, out + 24, icmp, n - IP6_HEADER_LEN));
	return (int)n;
}
