/* SPDX-License-Identifier: BSD-2-Clause */
/* The PPTP control engine's events out (pptp_ctrl.h) and their names. */
#include "proto/pptp/pptp_ctrl.h"
#include "proto/pptp/pptp_ctrl_internal.h"

#include "base/log.h"

void pptp_ctrl_emit(struct pptp_ctrl *c, const struct pptp_event *ev)
{
	if (c->events_len == PPTP_CTRL_EVENTS_MAX) {
		c->events_lost++;
		log_msg(LOG_LEVEL_ERROR, c->tag, "event queue full: %s lost", pptp_event_name(ev->type));
		return;
	}
	c->events[(c->events_head + c->events_len) % PPTP_CTRL_EVENTS_MAX] = *ev;
	c->events_len++;
}

bool pptp_ctrl_next_event(struct pptp_ctrl *c, struct pptp_event *out)
{
	if (!c->events_len)
		return false;
	*out = c->events[c->events_head];
	c->events_head = (c->events_head + 1) % PPTP_CTRL_EVENTS_MAX;
	c->events_len--;
	return true;
}

const char *pptp_event_name(enum pptp_event_type type)
{
	switch (type) {
	case PPTP_EVENT_TUNNEL_UP: return "tunnel-up";
	case PPTP_EVENT_TUNNEL_DOWN: return "tunnel-down";
	case PPTP_EVENT_CALL_UP: return "call-up";
	case PPTP_EVENT_CALL_DOWN: return "call-down";
	case PPTP_EVENT_KEEPALIVE_TIMEOUT: return "keepalive-timeout";
	case PPTP_EVENT_SET_LINK_INFO: return "set-link-info";
	case PPTP_EVENT_WAN_ERROR: return "wan-error";
	case PPTP_EVENT_CLOSE_TCP: return "close-tcp";
	}
	return "?";
}

const char *pptp_down_reason_name(enum pptp_down_reason reason)
{
	switch (reason) {
	case PPTP_DOWN_LOCAL_STOP: return "local stop";
	case PPTP_DOWN_PEER_STOP: return "peer stop";
	case PPTP_DOWN_KEEPALIVE: return "keepalive timeout";
	case PPTP_DOWN_SETUP_TIMEOUT: return "setup timeout";
	case PPTP_DOWN_STOP_TIMEOUT: return "stop reply timeout";
	case PPTP_DOWN_REJECTED: return "start rejected";
	case PPTP_DOWN_PROTOCOL_ERROR: return "protocol error";
	case PPTP_DOWN_VERSION: return "version mismatch";
	case PPTP_DOWN_TCP_CLOSED: return "tcp closed";
	case PPTP_DOWN_COLLISION: return "lost start collision";
	}
	return "?";
}
