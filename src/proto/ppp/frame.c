/* SPDX-License-Identifier: BSD-2-Clause */
/* PPP frame codec for PPTP's synchronous framing; see frame.h. */
#include "proto/ppp/frame.h"

#include "base/bytes.h"
#include "base/error.h"
#include "base/reader.h"
#include "proto/ppp/ppp.h"

#define PPP_ADDRESS 0xFF
#define PPP_CONTROL 0x03
#define PPP_DEFAULT_MRU 1500

bool ppp_protocol_valid(uint16_t protocol)
{
	/* 0x00FF is reserved: compressed it would read as an address field. */
	return (protocol & 0x0001) && !(protocol & 0x0100) && protocol != 0x00FF;
}

static int frame_fail(struct ppp_frame_stats *stats, int err)
{
	if (stats) {
		if (err == ERR_UNSUPPORTED)
			stats->rx_unnegotiated++;
		else if (err == ERR_LENGTH)
			stats->rx_too_long++;
		else
			stats->rx_bad_header++;
	}
	return err;
}

int ppp_frame_decode(const struct ppp_frame_config *cfg, const uint8_t *buf, size_t len,
		     struct ppp_frame *out, struct ppp_frame_stats *stats)
{
	struct reader r;
	reader_init(&r, buf, len);
	if (!reader_has(&r, 1))
		return frame_fail(stats, ERR_TRUNCATED);
	/* PPP_QUIRK_LCP_WITHOUT_ADDRESS_CONTROL. RFC 1661 §6.6: with ACFC the 0xFF 0x03 may be absent; a frame that
	 * starts 0xFF is always the uncompressed form since 0xFF can never be
	 * the first byte of a valid protocol field. */
	if (r.data[0] == PPP_ADDRESS) {
		if (reader_u8(&r) != PPP_ADDRESS || reader_u8(&r) != PPP_CONTROL || !reader_ok(&r))
			return frame_fail(stats, reader_ok(&r) ? ERR_MALFORMED : ERR_TRUNCATED);
	} else if (!cfg->rx_acfc) {
		return frame_fail(stats, ERR_UNSUPPORTED);
	}
	if (!reader_has(&r, 1))
		return frame_fail(stats, ERR_TRUNCATED);
	uint16_t protocol;
	if (r.data[r.pos] & 0x01) {
		/* RFC 1661 §6.5: a one-byte protocol field (odd first byte). */
		if (!cfg->rx_pfc)
			return frame_fail(stats, ERR_UNSUPPORTED);
		protocol = reader_u8(&r);
		if (!ppp_protocol_valid(protocol))
			return frame_fail(stats, ERR_MALFORMED);
	} else {
		protocol = reader_u16(&r);
		if (!reader_ok(&r))
			return frame_fail(stats, ERR_TRUNCATED);
		if (!ppp_protocol_valid(protocol))
			return frame_fail(stats, ERR_MALFORMED);
	}
	size_t info_len = reader_remaining(&r);
	size_t mru = cfg->mru ? cfg->mru : PPP_DEFAULT_MRU;
	if (info_len > mru)
		return frame_fail(stats, ERR_LENGTH);
	out->protocol = protocol;
	out->info = reader_ptr(&r, info_len);
	out->info_len = info_len;
	if (!out->info)
		out->info = buf + len;
	if (stats)
		stats->rx_frames++;
	return 0;
}

int ppp_frame_encode(const struct ppp_frame_config *cfg, struct pkt *p, uint16_t protocol)
{
	bool is_lcp = protocol == PPP_PROTO_LCP;
	/* RFC 1661 §6.5: only protocols below 0x100 compress; 0x00FF never
	 * (it would read as the address field). */
	bool compress = cfg->tx_pfc && protocol < 0x100 && protocol != 0x00FF;
	if (compress) {
		uint8_t *h = pkt_push(p, 1);
		if (!h)
			return ERR_NOSPACE;
		h[0] = (uint8_t)protocol;
	} else {
		uint8_t *h = pkt_push(p, 2);
		if (!h)
			return ERR_NOSPACE;
		store_be16(h, protocol);
	}
	/* RFC 1661 §6.6: LCP packets always carry address and control. */
	if (!cfg->tx_acfc || is_lcp) {
		uint8_t *h = pkt_push(p, 2);
		if (!h) {
			pkt_pull(p, compress ? 1 : 2);
			return ERR_NOSPACE;
		}
		h[0] = PPP_ADDRESS;
		h[1] = PPP_CONTROL;
	}
	return 0;
}

int ppp_protocol_reject_build(uint8_t id, uint16_t protocol, const uint8_t *info, size_t info_len,
			      uint16_t peer_mru, uint8_t *out, size_t out_size)
{
	/* RFC 1661 §5.7: the Rejected-Information is truncated to the peer's MRU. */
	size_t mru = peer_mru ? peer_mru : PPP_DEFAULT_MRU;
	size_t max = mru < out_size ? mru : out_size;
	if (max < 6)
		return ERR_NOSPACE;
	if (info_len > max - 6)
		info_len = max - 6;
	out[0] = PPP_PROTO_REJ;
	out[1] = id;
	store_be16(out + 2, (uint16_t)(6 + info_len));
	store_be16(out + 4, protocol);
	if (info_len)
		memcpy(out + 6, info, info_len);
	return (int)(6 + info_len);
}
