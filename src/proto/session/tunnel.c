/* SPDX-License-Identifier: BSD-2-Clause */
/* A PPTP tunnel: the control engine, and per call a GRE channel and a PPP
 * link, wired together (see tunnel.h).
 *
 * Every public entry point has the same shape: tunnel_enter() frees the
 * calls that are gone once the owner has drained every event about them;
 * the engines run and queue events, which the tunnel takes after each
 * call into them (tunnel_take_ctrl_events, tunnel_call_take_link_events);
 * tunnel_settle() then carries the consequences to a fixed point (a link that died gets its call cleared,
 * a client with no call left stops the control connection, a closed
 * control connection reports CLOSED). Nothing here calls the owner back
 * about state, so no entry point can be re-entered and nothing is freed
 * under a caller. */
#include "proto/session/tunnel_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/log.h"
#include "base/time.h"

struct tunnel_call *tunnel_call_find(struct tunnel *t, uint16_t local_call_id)
{
	for (int i = 0; i < TUNNEL_MAX_CALLS; i++)
		if (t->calls[i] && t->calls[i]->local_id == local_call_id)
			return t->calls[i];
	return NULL;
}

/* ---- PPTP control callbacks (ctx = tunnel) ---- */

static void tunnel_ctrl_output(void *ctx, const uint8_t *bytes, size_t len)
{
	struct tunnel *t = ctx;
	t->cfg.tcp_output(t->cfg.ctx, bytes, len);
}

static int tunnel_call_id_alloc(void *ctx, uint16_t *id)
{
	struct tunnel *t = ctx;
	return t->cfg.call_id_alloc(t->cfg.ctx, id);
}

static void tunnel_call_id_free(void *ctx, uint16_t id)
{
	struct tunnel *t = ctx;
	t->cfg.call_id_free(t->cfg.ctx, id);
}

static void tunnel_on_down_reason(struct tunnel *t, const struct pptp_event *ev)
{
	switch (ev->u.tunnel_down.reason) {
	case PPTP_DOWN_PEER_STOP:
		tunnel_set_cause(t, TUNNEL_CLOSE_PEER_STOP, "peer stopped the control connection");
		break;
	case PPTP_DOWN_KEEPALIVE:
		tunnel_set_cause(t, TUNNEL_CLOSE_KEEPALIVE, "no reply to PPTP Echo-Request");
		break;
	case PPTP_DOWN_REJECTED:
		t->result_code = ev->u.tunnel_down.result_code;
		tunnel_set_cause(t, TUNNEL_CLOSE_REFUSED, "peer refused the control connection");
		break;
	case PPTP_DOWN_TCP_CLOSED:
		tunnel_set_cause(t, TUNNEL_CLOSE_TCP_LOST, "TCP connection closed");
		break;
	case PPTP_DOWN_PROTOCOL_ERROR:
	case PPTP_DOWN_VERSION:
	case PPTP_DOWN_SETUP_TIMEOUT:
	case PPTP_DOWN_COLLISION:
		tunnel_set_cause(t, TUNNEL_CLOSE_PROTOCOL, pptp_down_reason_name(ev->u.tunnel_down.reason));
		break;
	case PPTP_DOWN_LOCAL_STOP:
	case PPTP_DOWN_STOP_TIMEOUT:
		tunnel_set_cause(t, TUNNEL_CLOSE_LOCAL, "closed locally");
		break;
	}
}

static void tunnel_ctrl_event(struct tunnel *t, const struct pptp_event *ev)
{
	switch (ev->type) {
	case PPTP_EVENT_TUNNEL_UP:
		/* the client's person needs the "tunnel up" line only */
		log_msg(t->cfg.role == PPTP_ROLE_PNS ? LOG_LEVEL_DEBUG : LOG_LEVEL_INFO, t->tag, "control connection up: peer \"%s\" vendor \"%s\"",
			t->ctrl.peer_hostname, t->ctrl.peer_vendor);
		tunnel_queue_event(t, TUNNEL_EVENT_CONTROL_UP, NULL, 0, 0);
		if (t->cfg.role == PPTP_ROLE_PNS && !t->call_placed && t->state == TUNNEL_OPEN) {
			struct pptp_call_params params;
			pptp_call_params_defaults(&params);
			uint16_t id;
			t->call_placed = true;
			if (pptp_ctrl_call_open(&t->ctrl, &params, t->now, &id) < 0) {
				tunnel_set_cause(t, TUNNEL_CLOSE_PROTOCOL, "could not place the call");
				t->state = TUNNEL_CLOSING;
			}
		}
		break;
	case PPTP_EVENT_CALL_UP:
		tunnel_on_call_up(t, ev);
		break;
	case PPTP_EVENT_CALL_DOWN:
		tunnel_on_call_down(t, ev);
		break;
	case PPTP_EVENT_KEEPALIVE_TIMEOUT:
		tunnel_set_cause(t, TUNNEL_CLOSE_KEEPALIVE, "no reply to PPTP Echo-Request");
		break;
	case PPTP_EVENT_TUNNEL_DOWN:
		tunnel_on_down_reason(t, ev);
		break;
	case PPTP_EVENT_SET_LINK_INFO:
		log_limited(&t->limit, t->now, LOG_LEVEL_INFO, t->tag, "Set-Link-Info: send ACCM 0x%08x, receive ACCM 0x%08x (ignored: sync framing)",
			ev->u.set_link_info.send_accm, ev->u.set_link_info.recv_accm);
		break;
	case PPTP_EVENT_WAN_ERROR:
		log_limited(&t->limit, t->now, LOG_LEVEL_WARN, t->tag, "WAN-Error-Notify: CRC %u, framing %u, overrun %u, timeout %u",
			ev->u.wan_error.crc_errors, ev->u.wan_error.framing_errors,
			ev->u.wan_error.hardware_overruns, ev->u.wan_error.timeout_errors);
		break;
	case PPTP_EVENT_CLOSE_TCP:
		break; /* tunnel_settle reads pptp_ctrl_is_closed() */
	}
}

/* After every pptp_ctrl_* call: act on what the control engine queued
 * (acting may call it again, which queues more). */
void tunnel_take_ctrl_events(struct tunnel *t)
{
	struct pptp_event ev;
	while (pptp_ctrl_next_event(&t->ctrl, &ev))
		tunnel_ctrl_event(t, &ev);
}

/* ---- settling ---- */

static unsigned tunnel_live_calls(const struct tunnel *t)
{
	unsigned n = 0;
	for (int i = 0; i < TUNNEL_MAX_CALLS; i++)
		if (t->calls[i] && t->calls[i]->state != TUNNEL_CALL_DOWN)
			n++;
	return n;
}

/* One step towards the fixed point; true if anything changed. Every step
 * sets a flag that is never cleared (clear_sent, STOPPING), so the loop in
 * tunnel_settle ends after at most one step per call plus one. */
static bool tunnel_advance(struct tunnel *t)
{
	bool changed = false;
	for (int i = 0; i < TUNNEL_MAX_CALLS; i++) {
		struct tunnel_call *call = t->calls[i];
		if (!call || call->state != TUNNEL_CALL_CLOSING || call->clear_sent)
			continue;
		/* RFC 2637 §2.12/§2.13: the link is over, clear the call
		 * (PNS: Call-Clear-Request, PAC: Call-Disconnect-Notify). */
		call->clear_sent = true;
		changed = true;
		int rc = pptp_ctrl_call_close(&t->ctrl, call->local_id, t->now);
		tunnel_take_ctrl_events(t);
		if (rc < 0)
			tunnel_call_gone(t, call); /* nothing left to clear */
	}
	bool client_done = t->cfg.role == PPTP_ROLE_PNS && t->call_placed;
	if ((t->state == TUNNEL_CLOSING || (t->state == TUNNEL_OPEN && client_done)) && tunnel_live_calls(t) == 0 &&
	    !pptp_ctrl_is_closed(&t->ctrl)) {
		bool call_pending = client_done && pptp_ctrl_call_count(&t->ctrl) > 0;
		if (!call_pending || t->state == TUNNEL_CLOSING) {
			t->state = TUNNEL_STOPPING;
			changed = true;
			if (pptp_ctrl_stop(&t->ctrl, PPTP_STOP_REASON_NONE, t->now) < 0)
				pptp_ctrl_tcp_closed(&t->ctrl, t->now);
			tunnel_take_ctrl_events(t);
		}
	}
	return changed;
}

static void tunnel_report_closed(struct tunnel *t)
{
	/* The control connection took every call with it; a call the engine
	 * no longer knew still gets its CALL_DOWN before CLOSED. */
	for (int i = 0; i < TUNNEL_MAX_CALLS; i++)
		if (t->calls[i])
			tunnel_call_gone(t, t->calls[i]);
	t->state = TUNNEL_CLOSED;
	if (t->cause == TUNNEL_CLOSE_NONE)
		t->cause = TUNNEL_CLOSE_LOCAL;
	struct ppp_link_event last = { .type = PPP_LINK_EVENT_DOWN, .cause = t->last_link_cause };
	bool orderly = tunnel_close_is_orderly(t->cause, t->have_link_down ? &last : NULL);
	/* The client says why it ended in its own words (client_report.c). */
	enum log_level level = orderly ? LOG_LEVEL_INFO : LOG_LEVEL_WARN;
	if (t->cfg.role == PPTP_ROLE_PNS)
		level = LOG_LEVEL_DEBUG;
	log_msg(level, t->tag, "tunnel closed: %s%s%s",
		tunnel_close_cause_name(t->cause), t->reason[0] ? ": " : "", t->reason);
	tunnel_queue_event(t, TUNNEL_EVENT_CLOSED, NULL, 0, 0);
}

static void tunnel_settle(struct tunnel *t)
{
	if (t->state == TUNNEL_CLOSED)
		return;
	while (tunnel_advance(t))
		;
	if (pptp_ctrl_is_closed(&t->ctrl))
		tunnel_report_closed(t);
}

/* Free the calls that are gone, but only once the owner has drained every
 * event: until then an event may still name them. */
static void tunnel_reap(struct tunnel *t)
{
	if (t->queue_len)
		return;
	for (int i = 0; i < TUNNEL_MAX_CALLS; i++) {
		struct tunnel_call *call = t->calls[i];
		if (call && call->state == TUNNEL_CALL_DOWN) {
			t->calls[i] = NULL;
			tunnel_call_free(call);
		}
	}
}

static void tunnel_enter(struct tunnel *t, uint64_t now_ms)
{
	if (now_ms > t->now)
		t->now = now_ms;
	tunnel_reap(t);
}

/* ---- public API ---- */

struct tunnel *tunnel_new(const struct tunnel_config *config, uint64_t now_ms)
{
	if (!config->tcp_output || !config->gre_output || !config->random.fill)
		return NULL;
	struct tunnel *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->cfg = *config;
	t->now = now_ms;
	t->limit = (struct log_limit)LOG_LIMIT_INIT(20, 1000); /* a whole session's life fits the burst */
	t->state = TUNNEL_OPEN;
	snprintf(t->tag, sizeof(t->tag), "%s", config->tag ? config->tag : "tunnel");
	t->cfg.tag = t->tag;

	struct pptp_ctrl_config ccfg = config->ctrl;
	ccfg.role = config->role;
	ccfg.local_ipv4 = config->local_ipv4;
	ccfg.peer_ipv4 = config->peer_ipv4;
	ccfg.random = config->random;
	ccfg.ctx = t;
	ccfg.output = tunnel_ctrl_output;
	ccfg.call_id_alloc = config->call_id_alloc ? tunnel_call_id_alloc : NULL;
	ccfg.call_id_free = config->call_id_free ? tunnel_call_id_free : NULL;
	if (pptp_ctrl_init(&t->ctrl, &ccfg, now_ms) < 0) {
		free(t);
		return NULL;
	}
	return t;
}

void tunnel_free(struct tunnel *t)
{
	if (!t)
		return;
	/* Freed before CLOSED (server_free_all, an owner's error path): the
	 * server-wide call IDs of calls still up must come back. */
	pptp_ctrl_release(&t->ctrl);
	for (int i = 0; i < TUNNEL_MAX_CALLS; i++)
		if (t->calls[i])
			tunnel_call_free(t->calls[i]);
	free(t);
}

int tunnel_start(struct tunnel *t, uint64_t now_ms)
{
	tunnel_enter(t, now_ms);
	int rc = pptp_ctrl_start(&t->ctrl, now_ms);
	tunnel_take_ctrl_events(t);
	tunnel_settle(t);
	return rc;
}

void tunnel_tcp_input(struct tunnel *t, const uint8_t *bytes, size_t len, uint64_t now_ms)
{
	tunnel_enter(t, now_ms);
	/* One control message at a time, its events taken before the next:
	 * the engine's queue holds what one message can cause. */
	while (len > 0 && !pptp_ctrl_is_closed(&t->ctrl)) {
		size_t used = pptp_ctrl_input(&t->ctrl, bytes, len, now_ms);
		tunnel_take_ctrl_events(t);
		if (!used)
			break;
		bytes += used;
		len -= used;
	}
	tunnel_settle(t);
}

void tunnel_tcp_closed(struct tunnel *t, uint64_t now_ms)
{
	tunnel_enter(t, now_ms);
	pptp_ctrl_tcp_closed(&t->ctrl, now_ms);
	tunnel_take_ctrl_events(t);
	tunnel_settle(t);
}

void tunnel_gre_input(struct tunnel *t, const struct gre_header *header, struct pkt *payload, uint64_t now_ms)
{
	tunnel_enter(t, now_ms);
	struct tunnel_call *call = tunnel_call_find(t, header->call_id);
	if (!call || call->state == TUNNEL_CALL_DOWN) {
		pkt_free(payload);
	} else {
		call->gre_seen = true;
		(void)gre_channel_receive(&call->gre, header, payload, now_ms);
	}
	tunnel_settle(t);
}

int tunnel_send_ip(struct tunnel *t, struct tunnel_call *call, struct pkt *ip_packet, uint64_t now_ms)
{
	if (!call || tunnel_call_link_down(call)) {
		pkt_free(ip_packet);
		return ERR_STATE;
	}
	tunnel_enter(t, now_ms);
	int rc = ppp_link_send_ip(call->link, ip_packet, now_ms);
	tunnel_call_take_link_events(call);
	tunnel_settle(t);
	return rc;
}

void tunnel_close(struct tunnel *t, const char *reason, uint64_t now_ms)
{
	tunnel_enter(t, now_ms);
	if (t->state == TUNNEL_OPEN) {
		t->state = TUNNEL_CLOSING;
		t->close_deadline = now_ms + TUNNEL_CLOSE_GRACE_MS;
		tunnel_set_cause(t, TUNNEL_CLOSE_LOCAL, reason);
		for (int i = 0; i < TUNNEL_MAX_CALLS; i++) {
			struct tunnel_call *call = t->calls[i];
			if (call && !tunnel_call_link_down(call)) {
				ppp_link_close(call->link, reason ? reason : "closed", now_ms);
				tunnel_call_take_link_events(call);
			}
		}
	}
	tunnel_settle(t);
}

void tunnel_call_close(struct tunnel *t, struct tunnel_call *call, const char *reason, uint64_t now_ms)
{
	tunnel_enter(t, now_ms);
	if (call && !tunnel_call_link_down(call)) {
		ppp_link_close(call->link, reason ? reason : "closed", now_ms);
		tunnel_call_take_link_events(call);
	}
	tunnel_settle(t);
}

const struct auth_verify_request *tunnel_call_verify_request(const struct tunnel_call *call)
{
	if (!call || tunnel_call_link_down(call))
		return NULL;
	return ppp_link_verify_request(call->link);
}

const char *tunnel_call_peer_identification(const struct tunnel_call *call, unsigned i)
{
	return call && call->link ? ppp_link_peer_identification(call->link, i) : NULL;
}

void tunnel_verify_done(struct tunnel *t, uint16_t local_call_id, const struct auth_verdict *v,
			const struct ppp_link_grant *g, uint64_t now_ms)
{
	tunnel_enter(t, now_ms);
	struct tunnel_call *call = tunnel_call_find(t, local_call_id);
	if (call && !tunnel_call_link_down(call)) {
		ppp_link_verify_done(call->link, v, g, now_ms);
		tunnel_call_take_link_events(call);
	}
	tunnel_settle(t);
}

uint64_t tunnel_next_deadline(const struct tunnel *t)
{
	if (t->state == TUNNEL_CLOSED)
		return DEADLINE_NONE;
	uint64_t d = pptp_ctrl_next_deadline(&t->ctrl);
	if (t->state == TUNNEL_CLOSING)
		d = deadline_min(d, t->close_deadline);
	for (int i = 0; i < TUNNEL_MAX_CALLS; i++) {
		const struct tunnel_call *call = t->calls[i];
		if (!call || call->state == TUNNEL_CALL_DOWN)
			continue;
		d = deadline_min(d, gre_channel_next_deadline(&call->gre));
		d = deadline_min(d, ppp_link_next_deadline(call->link));
		if (!call->gre_seen && !tunnel_call_link_down(call))
			d = deadline_min(d, call->first_gre_deadline);
	}
	return d;
}

static void tunnel_call_on_timeout(struct tunnel *t, struct tunnel_call *call, uint64_t now_ms)
{
	if (gre_channel_next_deadline(&call->gre) <= now_ms)
		gre_channel_on_timeout(&call->gre, now_ms);
	if (!tunnel_call_link_down(call) && ppp_link_next_deadline(call->link) <= now_ms) {
		ppp_link_on_timeout(call->link, now_ms);
		tunnel_call_take_link_events(call);
	}
	if (!call->gre_seen && !tunnel_call_link_down(call) && call->first_gre_deadline <= now_ms) {
		/* RFC 2637 §4: the data path is GRE. A control connection
		 * that works while no GRE ever arrives is a firewall or NAT
		 * dropping IP protocol 47. */
		log_msg(LOG_LEVEL_ERROR, call->tag,
			"TCP 1723 worked but no GRE came back: a firewall or NAT drops IP protocol 47");
		tunnel_set_cause(t, TUNNEL_CLOSE_NO_GRE,
				 "TCP 1723 worked but no GRE came back: a firewall or NAT drops IP protocol 47");
		tunnel_call_lower_link(call);
	}
}

void tunnel_on_timeout(struct tunnel *t, uint64_t now_ms)
{
	tunnel_enter(t, now_ms);
	if (pptp_ctrl_next_deadline(&t->ctrl) <= now_ms) {
		pptp_ctrl_on_timeout(&t->ctrl, now_ms);
		tunnel_take_ctrl_events(t);
	}
	for (int i = 0; i < TUNNEL_MAX_CALLS; i++) {
		struct tunnel_call *call = t->calls[i];
		if (call && call->state != TUNNEL_CALL_DOWN)
			tunnel_call_on_timeout(t, call, now_ms);
	}
	if (t->state == TUNNEL_CLOSING && t->close_deadline <= now_ms) {
		/* The links did not finish in time (a peer that ignores our
		 * Terminate-Request): drop them, report each call gone, stop. */
		for (int i = 0; i < TUNNEL_MAX_CALLS; i++)
			if (t->calls[i])
				tunnel_call_gone(t, t->calls[i]);
		t->state = TUNNEL_STOPPING;
		if (pptp_ctrl_stop(&t->ctrl, PPTP_STOP_REASON_NONE, now_ms) < 0)
			pptp_ctrl_tcp_closed(&t->ctrl, now_ms);
		tunnel_take_ctrl_events(t);
	}
	tunnel_settle(t);
}

bool tunnel_is_closed(const struct tunnel *t)
{
	return t->state == TUNNEL_CLOSED;
}

uint32_t tunnel_peer_ipv4(const struct tunnel *t)
{
	return t->cfg.peer_ipv4;
}
