/* SPDX-License-Identifier: BSD-2-Clause */
/* The RFC 1661 §4 option-negotiation automaton, one implementation shared
 * by LCP, IPCP, IPV6CP and CCP.
 *
 * A protocol plugs in with
 *   - struct ppp_fsm_ops: the this-layer actions (tlu/tld/tls/tlf), resets,
 *     and a hook for codes beyond 1..7 (Echo, Protocol-Reject, Reset...);
 *   - a table of struct ppp_option_handler, one per option type it knows.
 * The automaton owns the packet codec, the option-list walk (every length
 * checked), the Ack/Nak/Reject assembly, the restart timer, the
 * Max-Configure / Max-Terminate / Max-Failure counters, and the protocol's
 * event queue (ppp.h): the hooks below queue events with
 * ppp_fsm_queue_event, the owner takes them with ppp_fsm_next_event. */
#ifndef OPENPPTP_PROTO_PPP_FSM_H
#define OPENPPTP_PROTO_PPP_FSM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/log.h"
#include "base/writer.h"
#include "proto/ppp/packet.h"
#include "proto/ppp/ppp.h"

/* RFC 1661 §4.2 states, numbered as in the RFC's table. */
enum ppp_fsm_state {
	PPP_STATE_INITIAL = 0,
	PPP_STATE_STARTING = 1,
	PPP_STATE_CLOSED = 2,
	PPP_STATE_STOPPED = 3,
	PPP_STATE_CLOSING = 4,
	PPP_STATE_STOPPING = 5,
	PPP_STATE_REQ_SENT = 6,
	PPP_STATE_ACK_RCVD = 7,
	PPP_STATE_ACK_SENT = 8,
	PPP_STATE_OPENED = 9,
	PPP_STATE_COUNT = 10,
};

/* RFC 1661 §4.1 events, in the order of the RFC's table. */
enum ppp_fsm_event {
	PPP_EV_UP, PPP_EV_DOWN, PPP_EV_OPEN, PPP_EV_CLOSE,
	PPP_EV_TO_PLUS, PPP_EV_TO_MINUS,
	PPP_EV_RCR_PLUS, PPP_EV_RCR_MINUS, PPP_EV_RCA, PPP_EV_RCN,
	PPP_EV_RTR, PPP_EV_RTA, PPP_EV_RUC,
	PPP_EV_RXJ_PLUS, PPP_EV_RXJ_MINUS, PPP_EV_RXR,
	PPP_EV_COUNT,
};

/* RFC 1661 §4.4 actions as bits; executed in the order listed here, which
 * is the order in which they appear in every cell of the RFC's table. */
enum ppp_fsm_action {
	PPP_ACT_TLD = 1 << 0,
	PPP_ACT_TLS = 1 << 1,
	PPP_ACT_IRC = 1 << 2,
	PPP_ACT_ZRC = 1 << 3,
	PPP_ACT_SCR = 1 << 4,
	PPP_ACT_SCA = 1 << 5,
	PPP_ACT_SCN = 1 << 6,
	PPP_ACT_STR = 1 << 7,
	PPP_ACT_STA = 1 << 8,
	PPP_ACT_TLU = 1 << 9,
	PPP_ACT_TLF = 1 << 10,
	PPP_ACT_SCJ = 1 << 11,
	PPP_ACT_SER = 1 << 12,
};

/* Pure table lookup: false for the RFC's "-" cells (cannot happen). */
bool ppp_fsm_transition(enum ppp_fsm_state state, enum ppp_fsm_event event,
			enum ppp_fsm_state *next, unsigned *actions);
const char *ppp_fsm_state_name(enum ppp_fsm_state state);
const char *ppp_fsm_event_name(enum ppp_fsm_event event);

enum ppp_opt_verdict {
	PPP_OPT_ACK,
	PPP_OPT_NAK,
	PPP_OPT_REJECT,
};

/* One option type of one protocol. `proto` is the protocol instance (struct
 * lcp *, ...). Lengths are of the whole option (type + length + value);
 * a peer option outside [min_len, max_len] is rejected before any handler
 * sees it. Any callback may be NULL (build: never requested; request:
 * always rejected; acked/naked/rejected: nothing to do). */
struct ppp_option_handler {
	uint8_t type;
	const char *name;
	uint8_t min_len;
	uint8_t max_len;
	/* Our Configure-Request: write the value (not type/length) and return
	 * true to include the option. */
	bool (*build)(void *proto, struct writer *value);
	/* The peer's Configure-Request: judge the option; for PPP_OPT_NAK write
	 * the value we suggest into `nak`. */
	enum ppp_opt_verdict (*request)(void *proto, const struct ppp_option *opt, struct writer *nak);
	/* Our request was acked: the option as we sent it. */
	void (*acked)(void *proto, const struct ppp_option *opt);
	/* The peer naked this option with the value it suggests. */
	void (*naked)(void *proto, const struct ppp_option *opt);
	/* The peer rejected this option: stop requesting it. */
	void (*rejected)(void *proto);
};

struct ppp_fsm;

struct ppp_fsm_ops {
	void (*layer_up)(void *proto);        /* tlu */
	void (*layer_down)(void *proto);      /* tld */
	void (*layer_started)(void *proto);   /* tls */
	void (*layer_finished)(void *proto);  /* tlf */
	/* Start of a negotiation: reset what we request to the configuration. */
	void (*reset_request)(void *proto);
	/* Before each peer Configure-Request: forget the peer's options. */
	void (*reset_peer)(void *proto);
	/* A code outside 1..7: return 0 when handled, ERR_UNKNOWN_TYPE for an
	 * unknown code (the automaton then sends Code-Reject: RUC). */
	int (*extra_code)(void *proto, const struct ppp_cp_packet *pkt, uint64_t now_ms);
	/* After judging a Configure-Request with nothing to reject: append
	 * options the peer left out but must negotiate (RFC 1332 §3.3 style
	 * unsolicited Nak); `present` has bit t set for every type t seen.
	 * Return true when something was appended. May be NULL. */
	bool (*missing_options)(void *proto, const uint32_t present[8], struct writer *nak);
	/* RXR's ser action (LCP Echo-Reply); NULL for other protocols. */
	void (*send_echo_reply)(void *proto);
};

struct ppp_fsm_config {
	uint32_t restart_ms;     /* RFC 1661 §4.6 Restart timer, default 3000 */
	uint8_t max_configure;   /* default 10 */
	uint8_t max_terminate;   /* default 2 */
	uint8_t max_failure;     /* default 5 */
};

#define PPP_FSM_REQ_MAX 256
#define PPP_FSM_REASON_MAX 128
/* One call into an engine queues at most two events (PEER_TERMINATE then
 * DOWN; FINISHED then MPPE_REFUSED; an LCP option verdict then UP or
 * DOWN): one RFC 1661 event runs at most one of tld/tls/tlu/tlf. The
 * owner drains after every call; twice that is room to spare. */
#define PPP_FSM_EVENTS_MAX 4

struct ppp_fsm {
	/* set by ppp_fsm_init */
	uint16_t protocol;
	const char *name;             /* "LCP", "IPCP" ... for logs */
	const char *tag;              /* log tag (session), may be NULL */
	const struct ppp_fsm_ops *ops;
	const struct ppp_option_handler *options;
	size_t n_options;
	void *proto;
	ppp_output_fn output;
	void *output_ctx;
	struct ppp_fsm_config cfg;

	enum ppp_fsm_state state;
	uint8_t next_id;              /* id of the next packet we originate */
	uint8_t req_id;               /* id of our outstanding Configure-Request */
	bool req_answered;            /* an Ack/Nak/Reject for req_id was taken */
	int restart_count;
	unsigned nak_loops;           /* Naks sent since the last Ack (Max-Failure) */
	uint64_t now;
	uint64_t deadline;            /* restart timer, DEADLINE_NONE when stopped */
	uint8_t last_req[PPP_FSM_REQ_MAX];  /* options of our outstanding request */
	size_t last_req_len;
	char term_reason[PPP_FSM_REASON_MAX]; /* our Terminate-Request text */

	/* valid only while an input is processed */
	const struct ppp_cp_packet *rx;   /* the packet behind the event */
	const uint8_t *reply;             /* the Ack/Nak/Reject for RCR+/- */
	size_t reply_len;

	struct log_limit limit;
	/* counters */
	uint64_t rx_discarded;            /* silently discarded packets */
	uint64_t rx_malformed;

	/* events out (ppp.h) */
	struct ppp_event events[PPP_FSM_EVENTS_MAX];
	uint8_t events_head;
	uint8_t events_len;
	uint64_t events_lost;             /* queue full: a broken bound, logged */
	char peer_reason[PPP_FSM_REASON_MAX]; /* the peer's last Terminate-Request text */
};

void ppp_fsm_init(struct ppp_fsm *f, uint16_t protocol, const char *name,
		  const struct ppp_fsm_ops *ops, const struct ppp_option_handler *options,
		  size_t n_options, void *proto, const struct ppp_fsm_config *cfg,
		  ppp_output_fn output, void *output_ctx);

/* Administrative and lower-layer events. */
void ppp_fsm_lower_up(struct ppp_fsm *f, uint64_t now_ms);
void ppp_fsm_lower_down(struct ppp_fsm *f, uint64_t now_ms);
void ppp_fsm_open(struct ppp_fsm *f, uint64_t now_ms);
/* Close with a reason sent in the Terminate-Request (may be NULL). */
void ppp_fsm_close(struct ppp_fsm *f, const char *reason, uint64_t now_ms);
/* The peer Protocol-Rejected this protocol (RXJ-). */
void ppp_fsm_protocol_rejected(struct ppp_fsm *f, uint64_t now_ms);

/* One received packet of this protocol. Returns 0 when it was acted on,
 * or a negative error when it was discarded (counted and logged). */
int ppp_fsm_input(struct ppp_fsm *f, const uint8_t *buf, size_t len, uint64_t now_ms);

uint64_t ppp_fsm_next_deadline(const struct ppp_fsm *f);
void ppp_fsm_on_timeout(struct ppp_fsm *f, uint64_t now_ms);

/* Drive one RFC event directly (the input path and the tests use it). */
void ppp_fsm_event(struct ppp_fsm *f, enum ppp_fsm_event ev);

/* Append an event for the owner (`reason`: a constant or f->peer_reason). */
void ppp_fsm_queue_event(struct ppp_fsm *f, enum ppp_event_type type, uint32_t value, const char *reason);
/* The oldest undrained event into *out; false when there is none. */
bool ppp_fsm_next_event(struct ppp_fsm *f, struct ppp_event *out);

/* Send a packet of this protocol with a fresh id (Echo, Reset ...). */
void ppp_fsm_send(struct ppp_fsm *f, uint8_t code, uint8_t id, const void *data, size_t len);
uint8_t ppp_fsm_new_id(struct ppp_fsm *f);

#endif
