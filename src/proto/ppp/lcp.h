/* SPDX-License-Identifier: BSD-2-Clause */
/* LCP (RFC 1661 §6, RFC 1570): link options, authentication-protocol
 * negotiation for both roles, Magic-Number loopback detection, keepalive
 * echoes, Protocol-Reject, Terminate with a reason. */
#ifndef OPENPPTP_PROTO_PPP_LCP_H
#define OPENPPTP_PROTO_PPP_LCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/random.h"
#include "proto/auth/auth_method.h"
#include "proto/ppp/frame.h"
#include "proto/ppp/fsm.h"

/* LCP option types (RFC 1661 §6, RFC 1570, assigned numbers). */
enum lcp_option_type {
	LCP_OPT_MRU = 1,
	LCP_OPT_ACCM = 2,
	LCP_OPT_AUTH = 3,
	LCP_OPT_QUALITY = 4,
	LCP_OPT_MAGIC = 5,
	LCP_OPT_PFC = 7,
	LCP_OPT_ACFC = 8,
	LCP_OPT_CALLBACK = 13,
	LCP_OPT_MRRU = 17,
	LCP_OPT_ENDPOINT = 19,
	LCP_OPT_LINK_DISCRIMINATOR = 23,
};

#define LCP_AUTH_PREFS_MAX 5

/* SPAP (Shiva PAP, protocol 0xC027) has no public specification of its
 * wire format, so it is never spoken (docs/auth.md). A peer that asks for
 * it gets a Conf-Nak with the strongest method we allow; one that still
 * asks for it LCP_SPAP_INSIST_MAX times (a lost Nak is retransmitted
 * once) is refused with this reason. */
#define PPP_PROTO_SPAP 0xC027
#define LCP_SPAP_INSIST_MAX 3
#define LCP_SPAP_REFUSED_REASON \
	"server requires SPAP (Shiva), which openpptp does not support; ask for MS-CHAPv2"

struct lcp_config {
	const char *tag;                 /* log tag, may be NULL */
	struct ppp_fsm_config fsm;       /* zeroes = RFC defaults */
	uint16_t mru;                    /* our MRU; 0 = 1500 (then not requested) */
	uint16_t min_peer_mru;           /* smallest peer MRU accepted, 0 = 128 */
	/* Authenticator: methods to demand of the peer, best first; the list
	 * ends at the first AUTH_METHOD_NONE. Empty: no authentication asked. */
	enum auth_method auth_offer[LCP_AUTH_PREFS_MAX];
	/* Authenticatee: methods the peer may demand of us (AUTH_METHOD_BIT set);
	 * a Nak suggests the first allowed one of auth_accept_order (or the
	 * strongest allowed when the order is empty). */
	unsigned auth_accept;
	enum auth_method auth_accept_order[LCP_AUTH_PREFS_MAX];
	bool pfc;                        /* request and accept Protocol-Field-Compression */
	bool acfc;                       /* request and accept Address-and-Control-Field-Compression */
	bool no_magic;                   /* do not request Magic-Number */
	uint32_t echo_interval_ms;       /* keepalive interval, 0 = off */
	unsigned echo_failures;          /* unanswered echoes before giving up, 0 = 3 */
	unsigned loopback_max;           /* magic collisions before "looped back", 0 = 5 */
	const struct random_source *random;
	ppp_output_fn output;
	void *output_ctx;
};

/* What one direction negotiated. */
struct lcp_options {
	uint16_t mru;
	enum auth_method auth;
	uint32_t magic;       /* 0 = not negotiated */
	bool pfc;
	bool acfc;
};

/* RFC 1570 §1.1 Identification texts the peer sent (Windows: "MSRASV5.20"
 * and "MSRAS-0-HOSTNAME"): the first distinct ones, printable ASCII (others
 * as '?'), cut at LCP_IDENT_MAX. */
#define LCP_IDENT_MAX 63
#define LCP_IDENT_KEEP 2

struct lcp {
	struct ppp_fsm fsm;
	struct lcp_config cfg;
	/* local: our request as the peer acked it (what we receive, how the
	 * peer must authenticate to us). peer: the peer's request as we acked
	 * it (its MRU = our send limit, how we must authenticate to it). */
	struct lcp_options local;
	struct lcp_options peer;

	/* what we request now */
	struct lcp_options want;
	bool want_mru, want_magic;
	int auth_index;                 /* into cfg.auth_offer, -1 = none */
	unsigned auth_tried;            /* AUTH_METHOD_BIT of methods offered */
	unsigned spap_requests;         /* the peer's Conf-Reqs asking for SPAP */
	unsigned loop_count;

	/* keepalive */
	uint64_t last_rx;
	uint64_t last_echo;
	bool echo_first_pending;   /* LCP just opened: one Echo-Request now */
	unsigned echo_outstanding;
	uint64_t echoes_sent;

	char peer_ident[LCP_IDENT_KEEP][LCP_IDENT_MAX + 1];
	unsigned peer_ident_count;
};

int lcp_init(struct lcp *lcp, const struct lcp_config *cfg);
void lcp_lower_up(struct lcp *lcp, uint64_t now_ms);
void lcp_lower_down(struct lcp *lcp, uint64_t now_ms);
void lcp_open(struct lcp *lcp, uint64_t now_ms);
/* Close the link: Terminate-Request carrying `reason` (pppd's texts, e.g.
 * "MPPE required but peer refused"), logged and reported. LCP does not
 * close itself when the peer refuses every authentication method
 * (AUTH_REFUSED) or the link is looped back (LOOPBACK): it reports, and
 * the owner closes with the event's reason. */
void lcp_close(struct lcp *lcp, const char *reason, uint64_t now_ms);
/* One LCP packet (the information field of a 0xC021 frame). */
int lcp_input(struct lcp *lcp, const uint8_t *buf, size_t len, uint64_t now_ms);
/* Any frame from the peer arrived: postpones the next echo. */
void lcp_note_rx(struct lcp *lcp, uint64_t now_ms);
uint64_t lcp_next_deadline(const struct lcp *lcp);
void lcp_on_timeout(struct lcp *lcp, uint64_t now_ms);
bool lcp_is_opened(const struct lcp *lcp);
/* The i-th Identification text kept (see LCP_IDENT_KEEP), NULL past them. */
const char *lcp_peer_identification(const struct lcp *lcp, unsigned i);
/* Events out (ppp.h): the oldest undrained event; false when none. */
bool lcp_next_event(struct lcp *lcp, struct ppp_event *out);
/* Answer a frame of an unknown or unopened protocol with Protocol-Reject
 * (only in Opened, RFC 1661 §5.7). */
int lcp_send_protocol_reject(struct lcp *lcp, uint16_t protocol, const uint8_t *info, size_t info_len);
/* The framing this LCP negotiated, for ppp_frame_decode/encode. */
void lcp_frame_config(const struct lcp *lcp, struct ppp_frame_config *out);

#endif
