/* SPDX-License-Identifier: BSD-2-Clause */
/* PPTP call state machines (RFC 2637 §3.2): outgoing calls (OCRQ/OCRP),
 * incoming calls (ICRQ/ICRP/ICCN), clearing (CCRQ/CDN), WAN-Error-Notify and
 * Set-Link-Info. Runs only after pptp_ctrl.c's central checks. */
#include "proto/pptp/pptp_ctrl.h"
#include "proto/pptp/pptp_ctrl_internal.h"

#include <string.h>

#include "base/error.h"
#include "base/time.h"

/* ---- calls ---- */

static struct pptp_call *call_by_local(struct pptp_ctrl *c, uint16_t id)
{
	for (unsigned i = 0; i < PPTP_CTRL_MAX_CALLS; i++)
		if (c->calls[i].state != PPTP_CALL_FREE && c->calls[i].local_id == id)
			return &c->calls[i];
	return NULL;
}

static struct pptp_call *call_by_peer(struct pptp_ctrl *c, uint16_t id)
{
	for (unsigned i = 0; i < PPTP_CTRL_MAX_CALLS; i++)
		if (c->calls[i].state != PPTP_CALL_FREE && c->calls[i].state != PPTP_CALL_WAIT_REPLY &&
		    c->calls[i].state != PPTP_CALL_WAIT_ICRP && c->calls[i].peer_id == id)
			return &c->calls[i];
	return NULL;
}

const struct pptp_call *pptp_ctrl_call_find(const struct pptp_ctrl *c, uint16_t local_id)
{
	return call_by_local((struct pptp_ctrl *)c, local_id);
}

unsigned pptp_ctrl_call_count(const struct pptp_ctrl *c)
{
	unsigned n = 0;
	for (unsigned i = 0; i < PPTP_CTRL_MAX_CALLS; i++)
		if (c->calls[i].state != PPTP_CALL_FREE)
			n++;
	return n;
}

/* A free slot with a fresh call ID, or NULL (no slot, no ID). */
static struct pptp_call *call_new(struct pptp_ctrl *c)
{
	unsigned limit = c->cfg.max_calls;
	if (limit > PPTP_CTRL_MAX_CALLS)
		limit = PPTP_CTRL_MAX_CALLS;
	if (pptp_ctrl_call_count(c) >= limit)
		return NULL;
	struct pptp_call *slot = NULL;
	for (unsigned i = 0; i < PPTP_CTRL_MAX_CALLS && !slot; i++)
		if (c->calls[i].state == PPTP_CALL_FREE)
			slot = &c->calls[i];
	if (!slot)
		return NULL;
	uint16_t id = 0;
	if (c->cfg.call_id_alloc) {
		if (c->cfg.call_id_alloc(c->cfg.ctx, &id) < 0)
			return NULL;
	} else {
		/* Unpredictable IDs make blind GRE injection harder; 0 is avoided
		 * because some stacks treat it as "none". */
		int tries = 64;
		do {
			id = random_u16(&c->cfg.random);
		} while ((id == 0 || call_by_local(c, id)) && --tries > 0);
		if (tries == 0)
			return NULL;
	}
	memset(slot, 0, sizeof(*slot));
	slot->local_id = id;
	slot->deadline = DEADLINE_NONE;
	return slot;
}

static void call_free(struct pptp_ctrl *c, struct pptp_call *call)
{
	if (c->cfg.call_id_free)
		c->cfg.call_id_free(c->cfg.ctx, call->local_id);
	call->state = PPTP_CALL_FREE;
}

void pptp_ctrl_release(struct pptp_ctrl *c)
{
	for (unsigned i = 0; i < PPTP_CTRL_MAX_CALLS; i++)
		if (c->calls[i].state != PPTP_CALL_FREE)
			call_free(c, &c->calls[i]);
}

static void call_up(struct pptp_ctrl *c, struct pptp_call *call)
{
	call->state = PPTP_CALL_ESTABLISHED;
	call->deadline = DEADLINE_NONE;
	struct pptp_event ev = { .type = PPTP_EVENT_CALL_UP };
	ev.local_call_id = call->local_id;
	ev.peer_call_id = call->peer_id;
	ev.u.call_up.outgoing = call->outgoing;
	ev.u.call_up.peer_recv_window = call->peer_recv_window;
	ev.u.call_up.peer_processing_delay = call->peer_processing_delay;
	ev.u.call_up.connect_speed = call->connect_speed;
	ev.u.call_up.framing_type = call->framing_type;
	ev.u.call_up.call_serial = call->serial;
	log_limited(&c->limit, c->now_ms, LOG_LEVEL_DEBUG, c->tag, "call up: id %u peer id %u window %u speed %u", call->local_id,
		    call->peer_id, call->peer_recv_window, call->connect_speed);
	pptp_ctrl_emit(c, &ev);
}

void pptp_call_down(struct pptp_ctrl *c, struct pptp_call *call, enum pptp_call_down_reason reason,
		      uint8_t result, uint8_t error, uint16_t cause)
{
	struct pptp_event ev = { .type = PPTP_EVENT_CALL_DOWN };
	ev.local_call_id = call->local_id;
	ev.peer_call_id = call->peer_id;
	ev.u.call_down.reason = reason;
	ev.u.call_down.result_code = result;
	ev.u.call_down.error_code = error;
	ev.u.call_down.cause_code = cause;
	call_free(c, call);
	pptp_ctrl_emit(c, &ev);
}

/* The owner's policy for a call the peer asks for; 1 accepts. */
static int call_policy(struct pptp_ctrl *c, const struct pptp_msg *m)
{
	return c->cfg.call_accept ? c->cfg.call_accept(c->cfg.ctx, m) : 1;
}

void pptp_call_on_out_call_request(struct pptp_ctrl *c, const struct pptp_msg *m, uint64_t now_ms)
{
	const struct pptp_out_call_request *o = &m->u.out_call_request;
	if (call_by_peer(c, o->call_id)) {
		log_limited(&c->limit, now_ms, LOG_LEVEL_WARN, c->tag,
			    "Outgoing-Call-Request reuses call ID %u: answered Bad-Call ID", o->call_id);
		pptp_ctrl_send_error_reply(c, m, PPTP_OUT_CALL_GENERAL_ERROR, PPTP_ERROR_BAD_CALL_ID);
		return;
	}
	int verdict = call_policy(c, m);
	if (verdict != PPTP_OUT_CALL_CONNECTED) {
		log_limited(&c->limit, now_ms, LOG_LEVEL_INFO, c->tag, "Outgoing-Call-Request refused: result %d",
			    verdict);
		pptp_ctrl_send_error_reply(c, m, (uint8_t)verdict, PPTP_ERROR_NONE);
		return;
	}
	struct pptp_call *call = call_new(c);
	if (!call) {
		log_limited(&c->limit, now_ms, LOG_LEVEL_WARN, c->tag,
			    "Outgoing-Call-Request refused: no call slot or ID (No-Resource)");
		pptp_ctrl_send_error_reply(c, m, PPTP_OUT_CALL_GENERAL_ERROR, PPTP_ERROR_NO_RESOURCE);
		return;
	}
	call->outgoing = true;
	call->peer_id = o->call_id;
	call->serial = o->call_serial;
	call->peer_recv_window = o->recv_window;
	call->peer_processing_delay = o->processing_delay;
	call->connect_speed = c->cfg.connect_speed ? c->cfg.connect_speed : o->max_bps;
	call->framing_type = o->framing_type;
	struct pptp_msg r = { .type = PPTP_MSG_OUT_CALL_REPLY };
	r.u.out_call_reply.call_id = call->local_id;
	r.u.out_call_reply.peer_call_id = o->call_id;
	r.u.out_call_reply.result_code = PPTP_OUT_CALL_CONNECTED;
	r.u.out_call_reply.connect_speed = call->connect_speed;
	r.u.out_call_reply.recv_window = c->cfg.recv_window;
	r.u.out_call_reply.processing_delay = c->cfg.processing_delay;
	pptp_ctrl_send(c, &r);
	if (c->state == PPTP_CTRL_CLOSED) {
		/* The connection closed while we answered (an owner whose
		 * output sink gave up at once): the slot was still free to
		 * close_connection, so give its ID back here, not a call up. */
		call_free(c, call);
		return;
	}
	call_up(c, call);
}

static void on_out_call_reply(struct pptp_ctrl *c, struct pptp_call *call, const struct pptp_msg *m)
{
	const struct pptp_out_call_reply *o = &m->u.out_call_reply;
	if (o->result_code != PPTP_OUT_CALL_CONNECTED) {
		log_limited(&c->limit, c->now_ms, LOG_LEVEL_WARN, c->tag, "outgoing call %u refused: result %u error %u cause %u",
			call->local_id, o->result_code, o->error_code, o->cause_code);
		pptp_call_down(c, call, PPTP_CALL_DOWN_REJECTED, o->result_code, o->error_code, o->cause_code);
		return;
	}
	call->peer_id = o->call_id;
	call->peer_recv_window = o->recv_window;
	call->peer_processing_delay = o->processing_delay;
	call->connect_speed = o->connect_speed;
	call_up(c, call);
}

void pptp_call_on_in_call_request(struct pptp_ctrl *c, const struct pptp_msg *m, uint64_t now_ms)
{
	const struct pptp_in_call_request *i = &m->u.in_call_request;
	if (call_by_peer(c, i->call_id)) {
		log_limited(&c->limit, now_ms, LOG_LEVEL_WARN, c->tag,
			    "Incoming-Call-Request reuses call ID %u: answered Bad-Call ID", i->call_id);
		pptp_ctrl_send_error_reply(c, m, PPTP_IN_CALL_GENERAL_ERROR, PPTP_ERROR_BAD_CALL_ID);
		return;
	}
	int verdict = call_policy(c, m);
	if (verdict != PPTP_IN_CALL_CONNECT) {
		log_limited(&c->limit, now_ms, LOG_LEVEL_INFO, c->tag, "Incoming-Call-Request refused: result %d",
			    verdict);
		pptp_ctrl_send_error_reply(c, m, (uint8_t)verdict, PPTP_ERROR_NONE);
		return;
	}
	struct pptp_call *call = call_new(c);
	if (!call) {
		log_limited(&c->limit, now_ms, LOG_LEVEL_WARN, c->tag,
			    "Incoming-Call-Request refused: no call slot or ID (No-Resource)");
		pptp_ctrl_send_error_reply(c, m, PPTP_IN_CALL_GENERAL_ERROR, PPTP_ERROR_NO_RESOURCE);
		return;
	}
	call->outgoing = false;
	call->peer_id = i->call_id;
	call->serial = i->call_serial;
	call->state = PPTP_CALL_WAIT_CONNECT;
	call->deadline = now_ms + c->cfg.call_timeout_ms;
	struct pptp_msg r = { .type = PPTP_MSG_IN_CALL_REPLY };
	r.u.in_call_reply.call_id = call->local_id;
	r.u.in_call_reply.peer_call_id = i->call_id;
	r.u.in_call_reply.result_code = PPTP_IN_CALL_CONNECT;
	r.u.in_call_reply.recv_window = c->cfg.recv_window;
	r.u.in_call_reply.processing_delay = c->cfg.processing_delay;
	pptp_ctrl_send(c, &r);
}

static void on_in_call_reply(struct pptp_ctrl *c, struct pptp_call *call, const struct pptp_msg *m)
{
	const struct pptp_in_call_reply *i = &m->u.in_call_reply;
	if (i->result_code != PPTP_IN_CALL_CONNECT) {
		log_limited(&c->limit, c->now_ms, LOG_LEVEL_WARN, c->tag, "incoming call %u refused: result %u error %u", call->local_id,
			i->result_code, i->error_code);
		pptp_call_down(c, call, PPTP_CALL_DOWN_REJECTED, i->result_code, i->error_code, 0);
		return;
	}
	call->peer_id = i->call_id;
	call->peer_recv_window = i->recv_window;
	call->peer_processing_delay = i->processing_delay;
	if (!call->connect_speed)
		call->connect_speed = c->cfg.connect_speed ? c->cfg.connect_speed : 10000000;
	struct pptp_msg r = { .type = PPTP_MSG_IN_CALL_CONNECTED };
	r.u.in_call_connected.peer_call_id = i->call_id;
	r.u.in_call_connected.connect_speed = call->connect_speed;
	r.u.in_call_connected.recv_window = c->cfg.recv_window;
	r.u.in_call_connected.processing_delay = c->cfg.processing_delay;
	r.u.in_call_connected.framing_type = call->framing_type;
	pptp_ctrl_send(c, &r);
	if (c->state == PPTP_CTRL_CLOSED) {
		/* The connection closed while we answered (an owner whose
		 * output sink gave up at once): the slot was still free to
		 * close_connection, so give its ID back here, not a call up. */
		call_free(c, call);
		return;
	}
	call_up(c, call);
}

static void on_in_call_connected(struct pptp_ctrl *c, struct pptp_call *call, const struct pptp_msg *m)
{
	const struct pptp_in_call_connected *i = &m->u.in_call_connected;
	call->peer_recv_window = i->recv_window;
	call->peer_processing_delay = i->processing_delay;
	call->connect_speed = i->connect_speed;
	call->framing_type = i->framing_type;
	call_up(c, call);
}

static void on_call_clear_request(struct pptp_ctrl *c, struct pptp_call *call)
{
	/* RFC 2637 §2.12-2.13: answer with Call-Disconnect-Notify, result 4. */
	struct pptp_msg r = { .type = PPTP_MSG_CALL_DISCONNECT_NOTIFY };
	r.u.call_disconnect_notify.call_id = call->local_id;
	r.u.call_disconnect_notify.result_code = PPTP_DISCONNECT_REQUEST;
	pptp_ctrl_send(c, &r);
	log_limited(&c->limit, c->now_ms, LOG_LEVEL_DEBUG, c->tag, "call %u cleared by peer", call->local_id);
	pptp_call_down(c, call, PPTP_CALL_DOWN_PEER, PPTP_DISCONNECT_REQUEST, 0, 0);
}

static void on_call_disconnect_notify(struct pptp_ctrl *c, struct pptp_call *call, const struct pptp_msg *m)
{
	const struct pptp_call_disconnect_notify *d = &m->u.call_disconnect_notify;
	log_limited(&c->limit, c->now_ms, LOG_LEVEL_DEBUG, c->tag, "call %u disconnected by peer: result %u error %u cause %u",
		    call->local_id, d->result_code, d->error_code, d->cause_code);
	enum pptp_call_down_reason reason =
		call->state == PPTP_CALL_WAIT_DISCONNECT ? PPTP_CALL_DOWN_LOCAL : PPTP_CALL_DOWN_PEER;
	pptp_call_down(c, call, reason, d->result_code, d->error_code, d->cause_code);
}

static void on_wan_error(struct pptp_ctrl *c, struct pptp_call *call, const struct pptp_msg *m)
{
	struct pptp_event ev = { .type = PPTP_EVENT_WAN_ERROR };
	ev.local_call_id = call->local_id;
	ev.peer_call_id = call->peer_id;
	ev.u.wan_error = m->u.wan_error_notify;
	pptp_ctrl_emit(c, &ev);
}

static void on_set_link_info(struct pptp_ctrl *c, struct pptp_call *call, const struct pptp_msg *m)
{
	const struct pptp_set_link_info *s = &m->u.set_link_info;
	/* Synchronous/async ACCMs matter only to HDLC framing, which PPTP over
	 * GRE does not do: log and report, never fail. */
	log_limited(&c->limit, c->now_ms, LOG_LEVEL_DEBUG, c->tag, "Set-Link-Info for call %u: send ACCM %08x recv ACCM %08x",
		call->local_id, s->send_accm, s->recv_accm);
	struct pptp_event ev = { .type = PPTP_EVENT_SET_LINK_INFO };
	ev.local_call_id = call->local_id;
	ev.peer_call_id = call->peer_id;
	ev.u.set_link_info.send_accm = s->send_accm;
	ev.u.set_link_info.recv_accm = s->recv_accm;
	pptp_ctrl_emit(c, &ev);
}

/* Find the call a call message refers to (descriptor: whose ID it carries). */
static struct pptp_call *call_for(struct pptp_ctrl *c, const struct pptp_msg *m, const struct pptp_msg_desc *d)
{
	uint16_t id = pptp_msg_call_id(m);
	if (d->call_id_owner == PPTP_CALL_ID_OURS)
		return call_by_local(c, id);
	struct pptp_call *call = call_by_peer(c, id);
	if (!call && m->type == PPTP_MSG_CALL_DISCONNECT_NOTIFY)
		call = call_by_local(c, id); /* PPTP_QUIRK_DISCONNECT_NOTIFY_OWN_ID */
	return call;
}

/* Which call states a message may meet. */
static bool call_state_ok(const struct pptp_call *call, enum pptp_msg_type t)
{
	switch (t) {
	case PPTP_MSG_OUT_CALL_REPLY: return call->state == PPTP_CALL_WAIT_REPLY;
	case PPTP_MSG_IN_CALL_REPLY: return call->state == PPTP_CALL_WAIT_ICRP;
	case PPTP_MSG_IN_CALL_CONNECTED: return call->state == PPTP_CALL_WAIT_CONNECT;
	case PPTP_MSG_CALL_CLEAR_REQUEST:
	case PPTP_MSG_CALL_DISCONNECT_NOTIFY: return true;
	default: return call->state == PPTP_CALL_ESTABLISHED;
	}
}

void pptp_call_dispatch(struct pptp_ctrl *c, const struct pptp_msg *m, const struct pptp_msg_desc *d,
			  uint64_t now_ms)
{
	struct pptp_call *call = call_for(c, m, d);
	if (!call || !call_state_ok(call, m->type)) {
		/* RFC 2637 §2.16 error 5 (Bad-Call ID); no reply message exists
		 * for these, and a race with a clear is normal: log and drop. */
		log_limited(&c->limit, now_ms, LOG_LEVEL_WARN, c->tag, "%s for %s call ID %u: ignored", d->name,
			    call ? "a call in the wrong state," : "unknown", pptp_msg_call_id(m));
		return;
	}
	switch (m->type) {
	case PPTP_MSG_OUT_CALL_REPLY: on_out_call_reply(c, call, m); break;
	case PPTP_MSG_IN_CALL_REPLY: on_in_call_reply(c, call, m); break;
	case PPTP_MSG_IN_CALL_CONNECTED: on_in_call_connected(c, call, m); break;
	case PPTP_MSG_CALL_CLEAR_REQUEST: on_call_clear_request(c, call); break;
	case PPTP_MSG_CALL_DISCONNECT_NOTIFY: on_call_disconnect_notify(c, call, m); break;
	case PPTP_MSG_WAN_ERROR_NOTIFY: on_wan_error(c, call, m); break;
	case PPTP_MSG_SET_LINK_INFO: on_set_link_info(c, call, m); break;
	default: break;
	}
}

void pptp_call_timeout(struct pptp_ctrl *c, struct pptp_call *call)
{
	log_msg(LOG_LEVEL_WARN, c->tag, "call %u: no answer from peer, giving up", call->local_id);
	if (c->cfg.role == PPTP_ROLE_PNS) {
		/* RFC 2637 §2.12: the PNS may clear a call still being set up. */
		struct pptp_msg m = { .type = PPTP_MSG_CALL_CLEAR_REQUEST };
		m.u.call_clear_request.call_id = call->local_id;
		pptp_ctrl_send(c, &m);
	}
	pptp_call_down(c, call, PPTP_CALL_DOWN_TIMEOUT, 0, 0, 0);
}

/* ---- calls started locally ---- */

int pptp_ctrl_call_open(struct pptp_ctrl *c, const struct pptp_call_params *p, uint64_t now_ms,
			uint16_t *local_id)
{
	if (c->cfg.role != PPTP_ROLE_PNS)
		return ERR_INVALID;
	if (c->state != PPTP_CTRL_ESTABLISHED)
		return ERR_STATE;
	struct pptp_call *call = call_new(c);
	if (!call)
		return ERR_LIMIT;
	call->outgoing = true;
	call->serial = c->next_serial++;
	call->state = PPTP_CALL_WAIT_REPLY;
	call->deadline = now_ms + c->cfg.call_timeout_ms;
	call->framing_type = p->framing_type;
	struct pptp_msg m = { .type = PPTP_MSG_OUT_CALL_REQUEST };
	struct pptp_out_call_request *o = &m.u.out_call_request;
	o->call_id = call->local_id;
	o->call_serial = call->serial;
	o->min_bps = p->min_bps;
	o->max_bps = p->max_bps;
	o->bearer_type = p->bearer_type;
	o->framing_type = p->framing_type;
	o->recv_window = c->cfg.recv_window;
	o->processing_delay = c->cfg.processing_delay;
	o->phone_number_length = (uint16_t)strnlen(p->phone_number, PPTP_STRING_LEN);
	memcpy(o->phone_number, p->phone_number, sizeof(o->phone_number));
	memcpy(o->subaddress, p->subaddress, sizeof(o->subaddress));
	pptp_ctrl_send(c, &m);
	if (local_id)
		*local_id = call->local_id;
	return 0;
}

int pptp_ctrl_call_incoming(struct pptp_ctrl *c, const struct pptp_call_params *p, uint64_t now_ms,
			    uint16_t *local_id)
{
	if (c->cfg.role != PPTP_ROLE_PAC)
		return ERR_INVALID;
	if (c->state != PPTP_CTRL_ESTABLISHED)
		return ERR_STATE;
	struct pptp_call *call = call_new(c);
	if (!call)
		return ERR_LIMIT;
	call->outgoing = false;
	call->serial = c->next_serial++;
	call->state = PPTP_CALL_WAIT_ICRP;
	call->deadline = now_ms + c->cfg.call_timeout_ms;
	call->framing_type = p->framing_type;
	call->connect_speed = p->max_bps;
	struct pptp_msg m = { .type = PPTP_MSG_IN_CALL_REQUEST };
	struct pptp_in_call_request *i = &m.u.in_call_request;
	i->call_id = call->local_id;
	i->call_serial = call->serial;
	i->bearer_type = p->bearer_type;
	i->physical_channel_id = p->physical_channel_id;
	i->dialed_number_length = (uint16_t)strnlen(p->phone_number, PPTP_STRING_LEN);
	i->dialing_number_length = (uint16_t)strnlen(p->dialing_number, PPTP_STRING_LEN);
	memcpy(i->dialed_number, p->phone_number, sizeof(i->dialed_number));
	memcpy(i->dialing_number, p->dialing_number, sizeof(i->dialing_number));
	memcpy(i->subaddress, p->subaddress, sizeof(i->subaddress));
	pptp_ctrl_send(c, &m);
	if (local_id)
		*local_id = call->local_id;
	return 0;
}

int pptp_ctrl_call_close(struct pptp_ctrl *c, uint16_t local_id, uint64_t now_ms)
{
	struct pptp_call *call = call_by_local(c, local_id);
	if (!call)
		return ERR_NOT_FOUND;
	if (c->state != PPTP_CTRL_ESTABLISHED)
		return ERR_STATE;
	if (c->cfg.role == PPTP_ROLE_PNS) {
		if (call->state == PPTP_CALL_WAIT_DISCONNECT)
			return 0;
		/* RFC 2637 §2.12: the PNS's own Call ID; the PAC answers with CDN. */
		struct pptp_msg m = { .type = PPTP_MSG_CALL_CLEAR_REQUEST };
		m.u.call_clear_request.call_id = call->local_id;
		pptp_ctrl_send(c, &m);
		call->state = PPTP_CALL_WAIT_DISCONNECT;
		call->deadline = now_ms + c->cfg.call_timeout_ms;
		return 0;
	}
	/* PAC: RFC 2637 §2.13, result 3 (administrative shutdown). */
	struct pptp_msg m = { .type = PPTP_MSG_CALL_DISCONNECT_NOTIFY };
	m.u.call_disconnect_notify.call_id = call->local_id;
	m.u.call_disconnect_notify.result_code = PPTP_DISCONNECT_ADMIN_SHUTDOWN;
	pptp_ctrl_send(c, &m);
	pptp_call_down(c, call, PPTP_CALL_DOWN_LOCAL, PPTP_DISCONNECT_ADMIN_SHUTDOWN, 0, 0);
	return 0;
}

int pptp_ctrl_set_link_info(struct pptp_ctrl *c, uint16_t local_id, uint32_t send_accm, uint32_t recv_accm,
			    uint64_t now_ms)
{
	(void)now_ms;
	if (c->cfg.role != PPTP_ROLE_PNS)
		return ERR_INVALID; /* RFC 2637 §2.15: PNS to PAC */
	struct pptp_call *call = call_by_local(c, local_id);
	if (!call)
		return ERR_NOT_FOUND;
	if (c->state != PPTP_CTRL_ESTABLISHED || call->state != PPTP_CALL_ESTABLISHED)
		return ERR_STATE;
	struct pptp_msg m = { .type = PPTP_MSG_SET_LINK_INFO };
	m.u.set_link_info.peer_call_id = call->peer_id;
	m.u.set_link_info.send_accm = send_accm;
	m.u.set_link_info.recv_accm = recv_accm;
	pptp_ctrl_send(c, &m);
	return 0;
}
