/* SPDX-License-Identifier: BSD-2-Clause */
/* CCP (RFC 1962) with the MPPE/MPPC option (RFC 3078 §2, RFC 2118).
 * Only option 18 is negotiated; Deflate, BSD, Predictor and the rest are
 * rejected. The MPPE data path (src/proto/mppe) acts on the outputs here:
 * the negotiated bits per direction and the Reset-Request/Ack events. */
#ifndef OPENPPTP_PROTO_PPP_CCP_H
#define OPENPPTP_PROTO_PPP_CCP_H

#include <stdbool.h>
#include <stdint.h>

#include "proto/ppp/fsm.h"

#define CCP_OPT_MPPE 18

/* Supported Bits (RFC 3078 §2, RFC 2118 §2). */
#define CCP_MPPE_BIT_H 0x01000000u   /* stateless */
#define CCP_MPPE_BIT_M 0x00000080u   /* 56-bit */
#define CCP_MPPE_BIT_S 0x00000040u   /* 128-bit */
#define CCP_MPPE_BIT_L 0x00000020u   /* 40-bit */
#define CCP_MPPE_BIT_D 0x00000010u   /* obsolete, never accepted */
#define CCP_MPPE_BIT_C 0x00000001u   /* MPPC compression */
#define CCP_MPPE_STRENGTH_BITS (CCP_MPPE_BIT_M | CCP_MPPE_BIT_S | CCP_MPPE_BIT_L)

/* The message pppd users know; the session closes LCP with it. */
#define CCP_MPPE_REFUSED_REASON "MPPE required but peer refused"

enum ccp_policy {
	CCP_REFUSED = 0,
	CCP_ALLOWED = 1,
	CCP_REQUIRED = 2,
};

struct ccp_config {
	const char *tag;
	struct ppp_fsm_config fsm;
	/* Per strength. If any strength is REQUIRED, encryption is mandatory
	 * and only the REQUIRED strengths are acceptable; otherwise the
	 * ALLOWED ones are, and encryption is optional. */
	enum ccp_policy mppe40;
	enum ccp_policy mppe56;
	enum ccp_policy mppe128;
	enum ccp_policy stateless;   /* REQUIRED: H set; REFUSED: H clear; ALLOWED: as the peer offers */
	bool mppc;                   /* MPPC compression allowed */
	ppp_output_fn output;
	void *output_ctx;
};

struct ccp {
	struct ppp_fsm fsm;
	struct ccp_config cfg;
	uint32_t want_bits;
	bool want_mppe;
	/* Valid after PPP_EVENT_UP (RFC 1962 §1: each side's Configure-Request
	 * names what it can receive/decompress):
	 *   rx_bits: our request as the peer acked it  -> the peer->us direction
	 *   tx_bits: the peer's request as we acked it -> the us->peer direction
	 * 0 = no MPPE that way. */
	uint32_t rx_bits;
	uint32_t tx_bits;
	bool refused;            /* PPP_EVENT_MPPE_REFUSED was raised */
	uint8_t reset_id;
	/* The peer Protocol-Rejected CCP (RFC 1661 §5.7): we send it no CCP
	 * packet until LCP comes up again (ccp_lower_up). */
	bool peer_rejected;
	/* ccp_compressed_while_down: no Terminate-Ack before this time. */
	uint64_t term_ack_not_before;
};

int ccp_init(struct ccp *ccp, const struct ccp_config *cfg);
void ccp_lower_up(struct ccp *ccp, uint64_t now_ms);
void ccp_lower_down(struct ccp *ccp, uint64_t now_ms);
void ccp_open(struct ccp *ccp, uint64_t now_ms);
void ccp_close(struct ccp *ccp, const char *reason, uint64_t now_ms);
int ccp_input(struct ccp *ccp, const uint8_t *buf, size_t len, uint64_t now_ms);
/* LCP Protocol-Reject of CCP: RXJ-, and MPPE_REFUSED when required. */
void ccp_protocol_rejected(struct ccp *ccp, uint64_t now_ms);
uint64_t ccp_next_deadline(const struct ccp *ccp);
/* Events out (ppp.h): the oldest undrained event; false when none. */
bool ccp_next_event(struct ccp *ccp, struct ppp_event *out);
void ccp_on_timeout(struct ccp *ccp, uint64_t now_ms);
bool ccp_mppe_required(const struct ccp_config *cfg);
/* Pure policy: the single-strength answer to an offer, or 0 when no
 * strength is common. */
uint32_t ccp_mppe_resolve(const struct ccp_config *cfg, uint32_t offered);
/* RFC 1962 §1.1 Reset-Request (returns the id used) and Reset-Ack. */
int ccp_send_reset_request(struct ccp *ccp);
/* A compressed datagram (0x00FD) arrived and our CCP is Stopped or Closed:
 * the peer believes CCP is Opened. Sends an unelicited Terminate-Ack so the
 * peer renegotiates (at most one per Restart interval); true when sent. */
bool ccp_compressed_while_down(struct ccp *ccp, uint64_t now_ms);
void ccp_send_reset_ack(struct ccp *ccp, uint8_t id);

#endif
