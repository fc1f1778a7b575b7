/* SPDX-License-Identifier: BSD-2-Clause */
/* PPP framing as PPTP carries it (RFC 2637 §4.3): synchronous, no HDLC
 * flags, no FCS, no byte stuffing. What is left of RFC 1662 §3 is the
 * optional address/control 0xFF 0x03 (dropped under ACFC, RFC 1661 §6.6)
 * and the protocol field, one byte under PFC (RFC 1661 §6.5). */
#ifndef OPENPPTP_PROTO_PPP_FRAME_H
#define OPENPPTP_PROTO_PPP_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/pkt.h"

struct ppp_frame_config {
	bool rx_acfc;    /* peer may omit 0xFF 0x03 (we asked ACFC, peer acked) */
	bool rx_pfc;     /* peer may send a 1-byte protocol (we asked PFC, peer acked) */
	bool tx_acfc;    /* we may omit 0xFF 0x03 (peer asked ACFC, we acked) */
	bool tx_pfc;     /* we may compress the protocol (peer asked PFC, we acked) */
	uint16_t mru;    /* largest information field we accept; 0 = 1500 */
};

struct ppp_frame_stats {
	uint64_t rx_frames;
	uint64_t rx_bad_header;      /* short frame, bad address/control or protocol */
	uint64_t rx_unnegotiated;    /* ACFC or PFC used before it was negotiated */
	uint64_t rx_too_long;        /* information field above the MRU */
};

struct ppp_frame {
	uint16_t protocol;
	const uint8_t *info;   /* information field (points into the input) */
	size_t info_len;
};

/* Decode one frame. Returns 0, or ERR_TRUNCATED / ERR_MALFORMED (bad
 * address/control or protocol value) / ERR_UNSUPPORTED (compression that
 * was not negotiated) / ERR_LENGTH (above MRU); stats counted when given. */
int ppp_frame_decode(const struct ppp_frame_config *cfg, const uint8_t *buf, size_t len,
		     struct ppp_frame *out, struct ppp_frame_stats *stats);

/* Prepend protocol (and address/control unless tx_acfc) in place. The
 * control protocols (>= 0xC000 LCP, and LCP always) are never compressed:
 * RFC 1661 §6.5/§6.6 require LCP packets in full form. Returns 0 or ERR_NOSPACE. */
int ppp_frame_encode(const struct ppp_frame_config *cfg, struct pkt *p, uint16_t protocol);

/* A protocol value is valid when its low byte is odd and the high byte
 * even (RFC 1661 §2), and it is not the reserved 0x00FF. */
bool ppp_protocol_valid(uint16_t protocol);

/* Build an LCP Protocol-Reject (RFC 1661 §5.7) for a received frame of
 * `protocol` with information `info`: code 8, id, rejected protocol, then
 * as much of the information as fits in `peer_mru`. Writes into out; returns
 * the length or ERR_NOSPACE. */
int ppp_protocol_reject_build(uint8_t id, uint16_t protocol, const uint8_t *info, size_t info_len,
			      uint16_t peer_mru, uint8_t *out, size_t out_size);

#endif
