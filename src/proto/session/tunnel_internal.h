/* SPDX-License-Identifier: BSD-2-Clause */
/* Internals shared by tunnel*.c: the tunnel's and the calls' state, the
 * event queue, and the helpers the files call across. Not for other layers. */
#ifndef OPENPPTP_SESSION_TUNNEL_INTERNAL_H
#define OPENPPTP_SESSION_TUNNEL_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "proto/session/tunnel.h"

#define TUNNEL_MAX_CALLS PPTP_CTRL_MAX_CALLS
#define TUNNEL_CLOSE_GRACE_MS 5000u
#define TUNNEL_FIRST_GRE_TIMEOUT_MS 15000u

/* The queue's bound, by construction: a call holds its slot until every
 * event about it has been drained (tunnel_reap), at most one event of each
 * call type per call waits in the queue at a time (a second AUTHENTICATED
 * after an LCP renegotiation updates the waiting one, and so does a second
 * IPV6_UP or IPV6_PREFIX; the others happen once per call), and the tunnel itself adds CONTROL_UP, CLOSED and
 * the CALL_DOWN of the one call a client places when the peer refuses it. */
#define TUNNEL_CALL_EVENT_TYPES 7
#define TUNNEL_QUEUE_MAX (TUNNEL_MAX_CALLS * TUNNEL_CALL_EVENT_TYPES + 3)

/* One waiting event. Its values are in the call (link snapshots) or the
 * tunnel (close cause and reason) until tunnel_next_event copies them out:
 * both stay put until the queue is empty. */
struct tunnel_note {
	enum tunnel_event_type type;
	int8_t slot;             /* calls[] index, -1 = a tunnel event or a call that never came up */
	uint8_t result_code;
	uint16_t local_call_id;
};

struct tunnel_call {
	struct tunnel *tunnel;
	int slot;
	uint16_t local_id;
	uint16_t peer_id;
	enum tunnel_call_state state;
	bool gre_seen;
	bool clear_sent;         /* CLOSING: Call-Clear-Request / Call-Disconnect-Notify sent */
	unsigned queued;         /* bit (1 << type) for each of its events waiting in the queue */
	struct gre_channel gre;
	struct ppp_link *link;
	uint64_t first_gre_deadline;
	uint64_t up_since_ms;
	/* What the link reported, merged (user and method from AUTHENTICATED,
	 * addresses from UP, MPPE from UP and MPPE_UP, cause and reason from
	 * DOWN): status reads it, the queue's link events copy it out. */
	struct ppp_link_event link_ev;
	bool authenticated;
	char tag[80];
};

struct tunnel {
	struct tunnel_config cfg;
	struct pptp_ctrl ctrl;
	struct tunnel_call *calls[TUNNEL_MAX_CALLS];
	char tag[64];
	uint64_t now;
	struct log_limit limit;  /* lines a peer can repeat: Set-Link-Info, call churn */
	enum tunnel_state state;
	bool call_placed;        /* client: our one call was requested */
	uint64_t close_deadline; /* CLOSING: give the links this long to terminate */
	enum tunnel_close_cause cause;
	uint8_t result_code;
	char reason[TUNNEL_REASON_MAX];
	/* The last link that went down: CLOSED reports its cause and reason. */
	bool have_link_down;
	enum ppp_link_cause last_link_cause;
	char last_link_reason[PPP_LINK_REASON_MAX];

	struct tunnel_note queue[TUNNEL_QUEUE_MAX];
	unsigned queue_head;
	unsigned queue_len;
	uint64_t events_lost;    /* queue full: a broken bound; logged, never expected */
};

/* tunnel_events.c */
void tunnel_queue_event(struct tunnel *t, enum tunnel_event_type type, struct tunnel_call *call,
			uint16_t local_call_id, uint8_t result_code);
void tunnel_set_cause(struct tunnel *t, enum tunnel_close_cause cause, const char *reason);

/* tunnel.c: after every pptp_ctrl_* call, act on its events */
void tunnel_take_ctrl_events(struct tunnel *t);

/* tunnel_call.c */
void tunnel_on_call_up(struct tunnel *t, const struct pptp_event *ev);
void tunnel_on_call_down(struct tunnel *t, const struct pptp_event *ev);
/* The call is gone at the PPTP level: lower its link (LINK_DOWN if it was
 * still running), then CALL_DOWN. Freed by tunnel_reap once drained. */
void tunnel_call_gone(struct tunnel *t, struct tunnel_call *call);
void tunnel_call_free(struct tunnel_call *call);
/* After every ppp_link_* call on call->link: take its events. */
void tunnel_call_take_link_events(struct tunnel_call *call);
/* The PPTP call is going: lower the link (straight to Dead, LINK_DOWN). */
void tunnel_call_lower_link(struct tunnel_call *call);
bool tunnel_call_link_down(const struct tunnel_call *call);

#endif
