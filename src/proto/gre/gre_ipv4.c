/* SPDX-License-Identifier: BSD-2-Clause */
#include "proto/gre/gre_ipv4.h"

#include "base/pkt.h"
#include "base/reader.h"
#include "proto/gre/gre_header.h"

#define IPV4_FLAG_MF 0x2000u
#define IPV4_OFFSET_MASK 0x1FFFu

int gre_ipv4_parse(const uint8_t *buf, size_t len, struct gre_ipv4 *out)
{
	struct reader r;
	reader_init(&r, buf, len);
	uint8_t version_ihl = reader_u8(&r);
	reader_skip(&r, 1);                 /* DSCP/ECN */
	uint16_t total_len = reader_u16(&r);
	reader_skip(&r, 2);                 /* identification */
	uint16_t frag = reader_u16(&r);
	uint8_t ttl = reader_u8(&r);
	uint8_t protocol = reader_u8(&r);
	reader_skip(&r, 2);                 /* checksum */
	uint32_t src = reader_u32(&r);
	uint32_t dst = reader_u32(&r);
	if (!reader_ok(&r))
		return GRE_ERR_IP_SHORT;

	if ((version_ihl >> 4) != 4)
		return GRE_ERR_IP_VERSION;
	size_t header_len = (size_t)(version_ihl & 0x0F) * 4;
	if (header_len < GRE_IPV4_HEADER_MIN || header_len > len)
		return GRE_ERR_IP_HEADER_LENGTH;
	if (total_len < header_len || total_len > len)
		return GRE_ERR_IP_TOTAL_LENGTH;
	if (protocol != GRE_IP_PROTOCOL)
		return GRE_ERR_IP_PROTOCOL;
	/* The kernel reassembles before raw delivery, so a fragment here is
	 * not something a real path produces; refuse rather than parse a
	 * partial GRE header. */
	if (frag & (IPV4_FLAG_MF | IPV4_OFFSET_MASK))
		return GRE_ERR_IP_FRAGMENT;

	out->src = src;
	out->dst = dst;
	out->ttl = ttl;
	out->header_len = header_len;
	out->gre = buf + header_len;
	out->gre_len = (size_t)total_len - header_len;
	return (int)header_len;
}

int gre_ipv4_strip(struct pkt *p, struct gre_ipv4 *out)
{
	int hlen = gre_ipv4_parse(pkt_data(p), p->len, out);
	if (hlen < 0)
		return hlen;
	pkt_pull(p, (size_t)hlen);
	pkt_trim(p, out->gre_len);
	return hlen;
}
