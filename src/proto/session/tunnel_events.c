/* SPDX-License-Identifier: BSD-2-Clause */
/* The tunnel's event queue (tunnel.h "Events out") and the close cause it
 * reports with CLOSED. */
#include "proto/session/tunnel_internal.h"

#include <stdio.h>
#include <string.h>

#include "base/log.h"

const char *tunnel_close_cause_name(enum tunnel_close_cause cause)
{
	switch (cause) {
	case TUNNEL_CLOSE_NONE: return "none";
	case TUNNEL_CLOSE_LOCAL: return "closed locally";
	case TUNNEL_CLOSE_PEER_STOP: return "peer stopped the control connection";
	case TUNNEL_CLOSE_REFUSED: return "peer refused the connection";
	case TUNNEL_CLOSE_TCP_LOST: return "TCP connection lost";
	case TUNNEL_CLOSE_KEEPALIVE: return "PPTP keepalive timeout";
	case TUNNEL_CLOSE_PROTOCOL: return "PPTP protocol error";
	case TUNNEL_CLOSE_NO_GRE: return "no GRE from the peer";
	case TUNNEL_CLOSE_LINK_FAILED: return "PPP link down";
	}
	return "?";
}

/* A hang-up either side asked for is news, not trouble: it is logged at
 * info so that warnings mean something went wrong (a lost connection, a
 * timeout, a refusal, a protocol error). */
bool tunnel_close_is_orderly(enum tunnel_close_cause cause, const struct ppp_link_event *link)
{
	switch (cause) {
	case TUNNEL_CLOSE_NONE:
	case TUNNEL_CLOSE_LOCAL:
	case TUNNEL_CLOSE_PEER_STOP:
		return true;
	case TUNNEL_CLOSE_LINK_FAILED:
	case TUNNEL_CLOSE_TCP_LOST:
		/* The peer's Terminate-Request, then its TCP close (pptpd). */
		return link && (link->cause == PPP_CAUSE_PEER_TERMINATE || link->cause == PPP_CAUSE_LOCAL_CLOSE);
	case TUNNEL_CLOSE_REFUSED:
	case TUNNEL_CLOSE_KEEPALIVE:
	case TUNNEL_CLOSE_PROTOCOL:
	case TUNNEL_CLOSE_NO_GRE:
		break;
	}
	return false;
}

void tunnel_set_cause(struct tunnel *t, enum tunnel_close_cause cause, const char *reason)
{
	if (t->cause != TUNNEL_CLOSE_NONE)
		return; /* the first cause is the real one; the rest are consequences */
	t->cause = cause;
	if (reason)
		snprintf(t->reason, sizeof(t->reason), "%s", reason);
}

void tunnel_queue_event(struct tunnel *t, enum tunnel_event_type type, struct tunnel_call *call,
			uint16_t local_call_id, uint8_t result_code)
{
	if (call) {
		unsigned bit = 1u << type;
		if (call->queued & bit)
			return; /* the waiting event reads the newest snapshot */
		call->queued |= bit;
	}
	if (t->queue_len == TUNNEL_QUEUE_MAX) {
		t->events_lost++;
		log_msg(LOG_LEVEL_ERROR, t->tag, "event queue full: event %d lost", (int)type);
		return;
	}
	unsigned i = (t->queue_head + t->queue_len) % TUNNEL_QUEUE_MAX;
	t->queue[i] = (struct tunnel_note){
		.type = type,
		.slot = (int8_t)(call ? call->slot : -1),
		.result_code = result_code,
		.local_call_id = call ? call->local_id : local_call_id,
	};
	t->queue_len++;
}

bool tunnel_next_event(struct tunnel *t, struct tunnel_event *out)
{
	if (!t->queue_len)
		return false;
	struct tunnel_note n = t->queue[t->queue_head];
	t->queue_head = (t->queue_head + 1) % TUNNEL_QUEUE_MAX;
	t->queue_len--;

	memset(out, 0, sizeof(*out));
	out->type = n.type;
	out->local_call_id = n.local_call_id;
	out->result_code = n.result_code;
	struct tunnel_call *call = n.slot >= 0 ? t->calls[n.slot] : NULL;
	if (call) {
		call->queued &= ~(1u << n.type);
		out->call = call;
		out->peer_call_id = call->peer_id;
		static const enum ppp_link_event_type link_type[] = {
			[TUNNEL_EVENT_AUTHENTICATED] = PPP_LINK_EVENT_AUTHENTICATED,
			[TUNNEL_EVENT_LINK_UP] = PPP_LINK_EVENT_UP,
			[TUNNEL_EVENT_LINK_DOWN] = PPP_LINK_EVENT_DOWN,
			[TUNNEL_EVENT_IPV6_UP] = PPP_LINK_EVENT_IPV6_UP,
			[TUNNEL_EVENT_IPV6_PREFIX] = PPP_LINK_EVENT_IPV6_PREFIX,
		};
		if (n.type == TUNNEL_EVENT_AUTHENTICATED || n.type == TUNNEL_EVENT_LINK_UP ||
		    n.type == TUNNEL_EVENT_LINK_DOWN || n.type == TUNNEL_EVENT_IPV6_UP ||
		    n.type == TUNNEL_EVENT_IPV6_PREFIX) {
			out->link = call->link_ev;
			out->link.type = link_type[n.type];
			out->has_link = true;
		}
	}
	if (n.type == TUNNEL_EVENT_CLOSED) {
		out->cause = t->cause;
		out->result_code = t->result_code;
		snprintf(out->reason, sizeof(out->reason), "%s", t->reason);
		if (t->have_link_down) {
			out->link.type = PPP_LINK_EVENT_DOWN;
			out->link.cause = t->last_link_cause;
			memcpy(out->link.reason, t->last_link_reason, sizeof(out->link.reason));
			out->has_link = true;
		}
	}
	return true;
}
