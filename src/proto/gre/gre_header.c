/* SPDX-License-Identifier: BSD-2-Clause */
#include "proto/gre/gre_header.h"

#include "base/bytes.h"
#include "base/error.h"
#include "base/reader.h"

void gre_error_count(struct gre_error_counters *c, int err)
{
	if (err <= GRE_ERR_FIRST && err >= GRE_ERR_LAST)
		c->count[GRE_ERR_FIRST - err]++;
}

uint64_t gre_error_get(const struct gre_error_counters *c, int err)
{
	if (err <= GRE_ERR_FIRST && err >= GRE_ERR_LAST)
		return c->count[GRE_ERR_FIRST - err];
	return 0;
}

int gre_header_decode(const uint8_t *buf, size_t len, struct gre_header *out)
{
	struct reader r;
	reader_init(&r, buf, len);
	uint8_t flags = reader_u8(&r);
	uint8_t ver = reader_u8(&r);
	uint16_t protocol = reader_u16(&r);
	uint16_t payload_len = reader_u16(&r);
	uint16_t call_id = reader_u16(&r);
	if (!reader_ok(&r))
		return GRE_ERR_SHORT;

	/* RFC 2637 §4.1: C, R, s and Recur "Set to zero", K "Set to one",
	 * flag bits 9-12 "Must be set to zero", Ver "Must contain 1". The
	 * version is checked first: a version-0 GRE packet (RFC 2784) on the
	 * same socket is not ours at all, whatever its flags. */
	if ((ver & GRE_VERSION_MASK) != GRE_VERSION_ENHANCED)
		return GRE_ERR_VERSION;
	if (protocol != GRE_PROTOCOL_PPP)
		return GRE_ERR_PROTOCOL;
	if (flags & GRE_FLAG_C)
		return GRE_ERR_CHECKSUM;
	if (flags & GRE_FLAG_R)
		return GRE_ERR_ROUTING;
	if (!(flags & GRE_FLAG_K))
		return GRE_ERR_NO_KEY;
	if (flags & GRE_FLAG_SSR)
		return GRE_ERR_STRICT_ROUTE;
	if (flags & GRE_RECUR_MASK)
		return GRE_ERR_RECURSION;
	if (ver & GRE_FLAGS2_MASK)
		return GRE_ERR_FLAGS;

	bool has_seq = (flags & GRE_FLAG_S) != 0;
	bool has_ack = (ver & GRE_FLAG_A) != 0;
	if (!has_seq && !has_ack)
		return GRE_ERR_NO_SEQ_NO_ACK;
	uint32_t seq = has_seq ? reader_u32(&r) : 0;
	uint32_t ack = has_ack ? reader_u32(&r) : 0;
	if (!reader_ok(&r))
		return GRE_ERR_SHORT;
	/* RFC 2637 §4.1: S is "Set to zero (0) if payload is not present". */
	if (!has_seq && payload_len != 0)
		return GRE_ERR_ACK_ONLY_PAYLOAD;
	if (has_seq && payload_len == 0)
		return GRE_ERR_EMPTY_PAYLOAD;
	if (reader_remaining(&r) < payload_len)
		return GRE_ERR_PAYLOAD_LENGTH;

	out->has_seq = has_seq;
	out->has_ack = has_ack;
	out->payload_len = payload_len;
	out->call_id = call_id;
	out->seq = seq;
	out->ack = ack;
	return (int)r.pos;
}

int gre_header_push(struct pkt *p, const struct gre_header *h)
{
	if (p->len > UINT16_MAX || (!h->has_seq && p->len != 0) || (!h->has_seq && !h->has_ack))
		return ERR_INVALID;
	size_t hlen = gre_header_len(h);
	uint16_t payload_len = (uint16_t)p->len;
	uint8_t *w = pkt_push(p, hlen);
	if (!w)
		return ERR_NOSPACE;
	w[0] = (uint8_t)(GRE_FLAG_K | (h->has_seq ? GRE_FLAG_S : 0));
	w[1] = (uint8_t)(GRE_VERSION_ENHANCED | (h->has_ack ? GRE_FLAG_A : 0));
	store_be16(w + 2, GRE_PROTOCOL_PPP);
	store_be16(w + 4, payload_len);
	store_be16(w + 6, h->call_id);
	uint8_t *next = w + GRE_HEADER_BASE;
	if (h->has_seq) {
		store_be32(next, h->seq);
		next += 4;
	}
	if (h->has_ack)
		store_be32(next, h->ack);
	return (int)hlen;
}

int gre_header_strip(struct pkt *p, struct gre_header *out)
{
	struct gre_header h;
	int hlen = gre_header_decode(pkt_data(p), p->len, &h);
	if (hlen < 0)
		return hlen;
	pkt_pull(p, (size_t)hlen);
	pkt_trim(p, h.payload_len);
	*out = h;
	return hlen;
}
