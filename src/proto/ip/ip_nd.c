/* SPDX-License-Identifier: BSD-2-Clause */
/* Router Advertisement and Solicitation codec (see ip_nd.h). */
#include "proto/ip/ip_nd.h"

#include <string.h>

#include "base/bytes.h"
#include "base/error.h"
#include "base/ipv6_scope.h"
#include "base/reader.h"
#include "proto/ip/ip_packet.h"

#define ICMP6_HEADER 4
#define RA_FIXED 16 /* type, code, checksum, hop limit, flags, lifetime, reachable, retrans */
#define RS_FIXED 8

static const uint8_t all_routers[16] = { 0xff, 0x02, [15] = 2 };

void nd_link_local(uint8_t out[16], uint64_t iid)
{
	memset(out, 0, 16);
	out[0] = 0xfe;
	out[1] = 0x80;
	store_be32(out + 8, (uint32_t)(iid >> 32));
	store_be32(out + 12, (uint32_t)iid);
}

static void ip6_header(uint8_t *out, size_t payload, const uint8_t src[16], const uint8_t dst[16])
{
	memset(out, 0, IP6_HEADER_LEN);
	out[0] = 0x60;
	store_be16(out + 4, (uint16_t)payload);
	out[6] = IP_PROTO_ICMPV6;
	out[7] = ND_HOP_LIMIT; /* RFC 4861 §4.1, §4.2: receivers drop anything else */
	memcpy(out + 8, src, 16);
	memcpy(out + 24, dst, 16);
}

static void finish_checksum(uint8_t *pkt, size_t len)
{
	uint8_t *icmp = pkt + IP6_HEADER_LEN;
	store_be16(icmp + 2, 0);
	store_be16(icmp + 2, icmp6_checksum(pkt + 8, pkt + 24, icmp, len - IP6_HEADER_LEN));
}

int nd_ra_build(uint8_t *out, size_t cap, const struct nd_ra *ra, const uint8_t src[16], const uint8_t dst[16])
{
	if (ra->prefix_len > 128 || ra->dns_count > ND_RDNSS_MAX)
		return ERR_INVALID;
	size_t n = IP6_HEADER_LEN + RA_FIXED + (ra->has_prefix ? 32 : 0) + (ra->mtu ? 8 : 0) +
		   (ra->dns_count ? 8 + 16 * (size_t)ra->dns_count : 0);
	if (cap < n)
		return ERR_NOSPACE;
	ip6_header(out, n - IP6_HEADER_LEN, src, dst);
	uint8_t *p = out + IP6_HEADER_LEN;
	memset(p, 0, n - IP6_HEADER_LEN);
	p[0] = ND_TYPE_ROUTER_ADVERT;
	p[4] = ra->cur_hop_limit;
	p[5] = (uint8_t)((ra->managed ? 0x80 : 0) | (ra->other ? 0x40 : 0));
	store_be16(p + 6, ra->router_lifetime);
	/* reachable time and retrans timer: 0 = unspecified (§4.2) */
	p += RA_FIXED;
	if (ra->has_prefix) {
		/* §4.6.2 Prefix Information: type, length 4, prefix length,
		 * L|A, valid, preferred, reserved, prefix */
		p[0] = ND_OPT_PREFIX_INFO;
		p[1] = 4;
		p[2] = ra->prefix_len;
		p[3] = (uint8_t)((ra->on_link ? 0x80 : 0) | 0x40);
		store_be32(p + 4, ra->valid_lifetime);
		store_be32(p + 8, ra->preferred_lifetime);
		memcpy(p + 16, ra->prefix, 16);
		p += 32;
	}
	if (ra->mtu) {
		p[0] = ND_OPT_MTU; /* §4.6.4 */
		p[1] = 1;
		store_be32(p + 4, ra->mtu);
		p += 8;
	}
	if (ra->dns_count) {
		p[0] = ND_OPT_RDNSS; /* RFC 8106 §5.1: length 1 + 2 per address */
		p[1] = (uint8_t)(1 + 2 * ra->dns_count);
		store_be32(p + 4, ra->dns_lifetime);
		for (unsigned i = 0; i < ra->dns_count; i++)
			memcpy(p + 8 + 16 * i, ra->dns[i], 16);
	}
	finish_checksum(out, n);
	return (int)n;
}

int nd_rs_build(uint8_t *out, size_t cap, const uint8_t src[16])
{
	if (cap < ND_RS_LEN)
		return ERR_NOSPACE;
	ip6_header(out, RS_FIXED, src, all_routers);
	memset(out + IP6_HEADER_LEN, 0, RS_FIXED);
	out[IP6_HEADER_LEN] = ND_TYPE_ROUTER_SOLICIT;
	finish_checksum(out, ND_RS_LEN);
	return ND_RS_LEN;
}

bool nd_is_icmp6_type(const uint8_t *pkt, size_t len, uint8_t type)
{
	return len > IP6_HEADER_LEN && (pkt[0] >> 4) == 6 && pkt[6] == IP_PROTO_ICMPV6 && pkt[IP6_HEADER_LEN] == type;
}

/* The checks RS and RA share (§6.1.1, §6.1.2): the IPv6 header, ICMPv6 of
 * `type`, hop limit 255, code 0, the checksum, at least `fixed` bytes. On
 * success *icmp / *icmp_len are the ICMPv6 message. */
static int nd_validate(const uint8_t *pkt, size_t len, uint8_t type, size_t fixed, const uint8_t **icmp,
		       size_t *icmp_len)
{
	struct ip_info ip;
	int rc = ip_parse(pkt, len, &ip);
	if (rc < 0)
		return rc;
	if (ip.version != 6)
		return ERR_VERSION;
	if (ip.protocol != IP_PROTO_ICMPV6)
		return ERR_UNKNOWN_TYPE;
	size_t n = ip.total_len - IP6_HEADER_LEN;
	const uint8_t *m = pkt + IP6_HEADER_LEN;
	if (n < ICMP6_HEADER)
		return ERR_TRUNCATED;
	if (m[0] != type)
		return ERR_UNKNOWN_TYPE;
	if (n < fixed)
		return ERR_TRUNCATED;
	if (pkt[7] != ND_HOP_LIMIT || m[1] != 0)
		return ERR_MALFORMED;
	if (icmp6_checksum(ip.src, ip.dst, m, n) != 0)
		return ERR_CRYPTO;
	*icmp = m;
	*icmp_len = n;
	return 0;
}

/* §4.6: every option's length is in 8-byte units, never 0, never past the end. */
static int nd_options_check(const uint8_t *opt, size_t len)
{
	while (len > 0) {
		if (len < 2)
			return ERR_TRUNCATED;
		size_t olen = (size_t)opt[1] * 8;
		if (olen == 0 || olen > len)
			return ERR_LENGTH;
		opt += olen;
		len -= olen;
	}
	return 0;
}

static int ra_prefix_option(const uint8_t *o, size_t olen, struct nd_ra *out)
{
	if (olen != 32)
		return ERR_LENGTH;
	uint8_t plen = o[2];
	if (plen > 128)
		return ERR_MALFORMED;
	bool autonomous = (o[3] & 0x40) != 0;
	uint32_t valid = load_be32(o + 4), preferred = load_be32(o + 8);
	const uint8_t *prefix = o + 16;
	/* RFC 4862 §5.5.3: A set, not link-local, preferred <= valid, and a
	 * length that leaves 64 bits for our interface identifier. The
	 * first usable one wins. */
	bool link_local = ipv6_is_link_local(prefix);
	if (out->has_prefix || !autonomous || link_local || preferred > valid || plen != 64)
		return 0;
	out->has_prefix = true;
	out->prefix_len = plen;
	memcpy(out->prefix, prefix, 8);
	memset(out->prefix + 8, 0, 8);
	out->on_link = (o[3] & 0x80) != 0;
	out->valid_lifetime = valid;
	out->preferred_lifetime = preferred;
	return 0;
}

static int ra_rdnss_option(const uint8_t *o, size_t olen, struct nd_ra *out)
{
	/* RFC 8106 §5.1: length 3, 5, 7 ...; at least one address */
	if (olen < 24 || (olen / 8) % 2 == 0)
		return ERR_MALFORMED;
	uint32_t lifetime = load_be32(o + 4);
	for (size_t at = 8; at + 16 <= olen && out->dns_count < ND_RDNSS_MAX; at += 16) {
		memcpy(out->dns[out->dns_count++], o + at, 16);
		out->dns_lifetime = lifetime;
	}
	return 0;
}

int nd_ra_parse(const uint8_t *pkt, size_t len, struct nd_ra *out)
{
	memset(out, 0, sizeof(*out));
	const uint8_t *m;
	size_t n;
	int rc = nd_validate(pkt, len, ND_TYPE_ROUTER_ADVERT, RA_FIXED, &m, &n);
	if (rc < 0)
		return rc;
	/* §6.1.2: the source is a link-local address */
	if (!ipv6_is_link_local(pkt + 8))
		return ERR_MALFORMED;
	const uint8_t *opt = m + RA_FIXED;
	size_t left = n - RA_FIXED;
	if ((rc = nd_options_check(opt, left)) < 0)
		return rc;
	out->cur_hop_limit = m[4];
	out->managed = (m[5] & 0x80) != 0;
	out->other = (m[5] & 0x40) != 0;
	out->router_lifetime = load_be16(m + 6);
	while (left > 0) {
		size_t olen = (size_t)opt[1] * 8;
		switch (opt[0]) {
		case ND_OPT_PREFIX_INFO:
			rc = ra_prefix_option(opt, olen, out);
			break;
		case ND_OPT_MTU:
			rc = olen == 8 ? 0 : ERR_LENGTH;
			if (rc == 0)
				out->mtu = load_be32(opt + 4);
			break;
		case ND_OPT_RDNSS:
			rc = ra_rdnss_option(opt, olen, out);
			break;
		default:
			rc = 0; /* §4.6: unknown options are skipped */
			break;
		}
		if (rc < 0) {
			memset(out, 0, sizeof(*out));
			return rc;
		}
		opt += olen;
		left -= olen;
	}
	return 0;
}

int nd_rs_parse(const uint8_t *pkt, size_t len)
{
	const uint8_t *m;
	size_t n;
	int rc = nd_validate(pkt, len, ND_TYPE_ROUTER_SOLICIT, RS_FIXED, &m, &n);
	if (rc < 0)
		return rc;
	return nd_options_check(m + RS_FIXED, n - RS_FIXED);
}
