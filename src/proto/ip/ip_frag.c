/* SPDX-License-Identifier: BSD-2-Clause */
/* IPv4 fragmentation by the router that cannot forward a packet whole
 * (RFC 791 §2.3 "Fragmentation", §3.2 "Fragmentation Procedure"). */
#include "proto/ip/ip_packet.h"

#include <string.h>

#include "base/bytes.h"
#include "base/error.h"
#include "base/inet_checksum.h"

/* The header of a later fragment: the fixed part and only the options
 * whose copied flag is set (RFC 791 §3.1, Options), padded to 32 bits. */
static size_t copy_later_header(uint8_t *out, const uint8_t *pkt, size_t hl)
{
	memcpy(out, pkt, IP4_HEADER_MIN);
	size_t n = IP4_HEADER_MIN;
	size_t i = IP4_HEADER_MIN;
	while (i < hl) {
		uint8_t type = pkt[i];
		if (type == 0) /* End of Option List */
			break;
		if (type == 1) { /* No Operation: not copied */
			i++;
			continue;
		}
		if (i + 1 >= hl)
			break;
		size_t olen = pkt[i + 1];
		if (olen < 2 || i + olen > hl)
			break; /* a broken option list: keep what was whole */
		if (type & 0x80) {
			memcpy(out + n, pkt + i, olen);
			n += olen;
		}
		i += olen;
	}
	while (n & 3)
		out[n++] = 0; /* End of Option List padding */
	return n;
}

int ip4_fragment_next(const uint8_t *pkt, size_t len, uint16_t mtu, size_t *offset, uint8_t *out, size_t cap)
{
	struct ip_info ip;
	int rc = ip_parse(pkt, len, &ip);
	if (rc < 0)
		return rc;
	if (ip.version != 4)
		return ERR_VERSION;
	if (ip.dont_fragment)
		return ERR_STATE;
	size_t payload = ip.total_len - ip.header_len;
	if (*offset >= payload)
		return 0;
	size_t hl;
	if (*offset == 0) {
		if (cap < ip.header_len)
			return ERR_NOSPACE;
		memcpy(out, pkt, ip.header_len);
		hl = ip.header_len;
	} else {
		if (cap < ip.header_len)
			return ERR_NOSPACE;
		hl = copy_later_header(out, pkt, ip.header_len);
	}
	/* every fragment but the last carries a multiple of 8 bytes */
	if (mtu < hl + 8)
		return ERR_LENGTH;
	size_t room = mtu - hl;
	size_t take = payload - *offset;
	bool last = true;
	if (take > room) {
		take = room & ~(size_t)7;
		last = false;
	}
	if (cap < hl + take)
		return ERR_NOSPACE;
	size_t frag_off = ip.fragment_offset + *offset;
	if (frag_off / 8 > 0x1fff)
		return ERR_LENGTH;
	memcpy(out + hl, pkt + ip.header_len + *offset, take);
	out[0] = (uint8_t)(0x40 | (hl / 4));
	store_be16(out + 2, (uint16_t)(hl + take));
	uint16_t flags = (!last || ip.more_fragments) ? 0x2000 : 0;
	store_be16(out + 6, (uint16_t)(flags | (frag_off / 8)));
	store_be16(out + 10, 0);
	store_be16(out + 10, inet_checksum(out, hl));
	*offset += take;
	return (int)(hl + take);
}
