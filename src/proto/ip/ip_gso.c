/* SPDX-License-Identifier: BSD-2-Clause */
/* The virtio-net header, partial checksums and TCP segmentation of GSO
 * super-packets (see ip_gso.h). */
#include "proto/ip/ip_gso.h"

#include <string.h>

#include "base/bytes.h"
#include "base/error.h"
#include "base/inet_checksum.h"
#include "proto/ip/ip_packet.h"

#define TCP_HEADER_MIN 20
#define TCP_FLAG_FIN 0x01
#define TCP_FLAG_PSH 0x08
#define TCP_FLAG_CWR 0x80

void vnet_hdr_decode(const uint8_t in[VNET_HDR_LEN], struct vnet_hdr *h)
{
	h->flags = in[0];
	h->gso_type = in[1];
	memcpy(&h->hdr_len, in + 2, 2);
	memcpy(&h->gso_size, in + 4, 2);
	memcpy(&h->csum_start, in + 6, 2);
	memcpy(&h->csum_offset, in + 8, 2);
}

void vnet_hdr_encode(const struct vnet_hdr *h, uint8_t out[VNET_HDR_LEN])
{
	out[0] = h->flags;
	out[1] = h->gso_type;
	memcpy(out + 2, &h->hdr_len, 2);
	memcpy(out + 4, &h->gso_size, 2);
	memcpy(out + 6, &h->csum_start, 2);
	memcpy(out + 8, &h->csum_offset, 2);
}

int vnet_finish_checksum(uint8_t *pkt, size_t len, const struct vnet_hdr *h)
{
	if (!(h->flags & VNET_HDR_F_NEEDS_CSUM))
		return 0;
	size_t start = h->csum_start, field = (size_t)h->csum_start + h->csum_offset;
	if (start >= len || field + 2 > len)
		return ERR_LENGTH;
	uint16_t ck = (uint16_t)~inet_fold(inet_sum(0, pkt + start, len - start));
	/* 0 and 0xffff are the same one's complement number; UDP reserves 0
	 * for "no checksum" (RFC 768), so never store it. */
	store_be16(pkt + field, ck ? ck : 0xffff);
	return 0;
}

int ip_gso_begin(struct ip_gso *g, const struct vnet_hdr *h, const uint8_t *pkt, size_t len, size_t mtu)
{
	memset(g, 0, sizeof(*g));
	unsigned type = h->gso_type & (unsigned)~VNET_HDR_GSO_ECN;
	if (type != VNET_HDR_GSO_TCPV4 && type != VNET_HDR_GSO_TCPV6)
		return ERR_UNSUPPORTED;
	if (h->gso_size == 0)
		return ERR_INVALID;
	if (h->hdr_len > len)
		return ERR_TRUNCATED;
	struct ip_info ip;
	int rc = ip_parse(pkt, len, &ip);
	if (rc < 0)
		return rc;
	if (ip.version != (type == VNET_HDR_GSO_TCPV4 ? 4u : 6u) || ip.protocol != IP_PROTO_TCP)
		return ERR_UNSUPPORTED;
	if (ip.more_fragments || ip.fragment_offset)
		return ERR_MALFORMED;
	if (ip.total_len < ip.header_len + TCP_HEADER_MIN)
		return ERR_TRUNCATED;
	size_t tcp_len = (size_t)(pkt[ip.header_len + 12] >> 4) * 4; /* RFC 9293 §3.1 Data Offset */
	if (tcp_len < TCP_HEADER_MIN)
		return ERR_MALFORMED;
	if (ip.header_len + tcp_len > ip.total_len)
		return ERR_TRUNCATED;
	size_t hdrs_len = ip.header_len + tcp_len, seg_payload = h->gso_size;
	if (mtu) {
		if (mtu <= hdrs_len)
			return ERR_NOSPACE;
		if (seg_payload > mtu - hdrs_len)
			seg_payload = mtu - hdrs_len;
	}
	*g = (struct ip_gso){ .pkt = pkt, .version = ip.version, .ip_len = ip.header_len, .hdrs_len = hdrs_len,
			      .payload_len = ip.total_len - hdrs_len, .seg_payload = seg_payload };
	return 0;
}

size_t ip_gso_count(const struct ip_gso *g)
{
	if (!g->pkt)
		return 0;
	if (g->payload_len == 0)
		return 1;
	return (g->payload_len + g->seg_payload - 1) / g->seg_payload;
}

int ip_gso_next(struct ip_gso *g, uint8_t *out, size_t cap)
{
	if (!g->pkt || g->index >= ip_gso_count(g))
		return 0;
	size_t left = g->payload_len - g->done;
	size_t chunk = left < g->seg_payload ? left : g->seg_payload;
	size_t n = g->hdrs_len + chunk;
	if (n > cap)
		return ERR_NOSPACE;
	bool first = g->index == 0, last = g->done + chunk == g->payload_len;
	memcpy(out, g->pkt, g->hdrs_len);
	memcpy(out + g->hdrs_len, g->pkt + g->hdrs_len + g->done, chunk);

	uint8_t *tcp = out + g->ip_len;
	size_t tcp_seg_len = n - g->ip_len;
	uint64_t pseudo;
	if (g->version == 4) {
		/* RFC 791 §3.1: this fragment-free datagram's own length and
		 * identification (consecutive, as the kernel's own TSO does),
		 * then the header checksum over the new header. */
		store_be16(out + 2, (uint16_t)n);
		store_be16(out + 4, (uint16_t)(load_be16(g->pkt + 4) + g->index));
		store_be16(out + 10, 0);
		store_be16(out + 10, (uint16_t)~inet_fold(inet_sum(0, out, g->ip_len)));
		pseudo = inet_sum(0, out + 12, 8); /* RFC 9293 §3.1 pseudo-header */
	} else {
		store_be16(out + 4, (uint16_t)tcp_seg_len); /* RFC 8200 §3 Payload Length */
		pseudo = inet_sum(0, out + 8, 32);     /* RFC 8200 §8.1 pseudo-header */
	}
	pseudo += IP_PROTO_TCP + (uint64_t)tcp_seg_len;

	store_be32(tcp + 4, (uint32_t)(load_be32(g->pkt + g->ip_len + 4) + (uint32_t)g->done));
	uint8_t flags = tcp[13];
	if (!last)
		flags &= (uint8_t)~(TCP_FLAG_FIN | TCP_FLAG_PSH);
	if (!first)
		flags &= (uint8_t)~TCP_FLAG_CWR;
	tcp[13] = flags;
	store_be16(tcp + 16, 0);
	store_be16(tcp + 16, (uint16_t)~inet_fold(inet_sum(pseudo, tcp, tcp_seg_len)));

	g->done += chunk;
	g->index++;
	return (int)n;
}
