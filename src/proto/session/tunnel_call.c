/* SPDX-License-Identifier: BSD-2-Clause */
/* One call of a tunnel: its GRE channel (RFC 2637 §4) and PPP link wired
 * together, its life from PPTP CALL_UP to CALL_DOWN, and what status sees. */
#include "proto/session/tunnel_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/log.h"

const char *tunnel_call_state_name(enum tunnel_call_state state)
{
	switch (state) {
	case TUNNEL_CALL_NEGOTIATING: return "negotiating";
	case TUNNEL_CALL_AUTHENTICATED: return "auth";
	case TUNNEL_CALL_UP: return "up";
	case TUNNEL_CALL_CLOSING: return "closing";
	case TUNNEL_CALL_DOWN: return "down";
	}
	return "?";
}

/* The PPP link has finished (CLOSING or DOWN). */
bool tunnel_call_link_down(const struct tunnel_call *call)
{
	return call->state >= TUNNEL_CALL_CLOSING;
}

/* ---- PPP link callbacks (ctx = call) ---- */

static void call_link_output(void *ctx, struct pkt *frame)
{
	struct tunnel_call *call = ctx;
	struct tunnel *t = call->tunnel;
	if (call->state == TUNNEL_CALL_DOWN || gre_channel_send(&call->gre, frame, t->now) < 0) {
		pkt_free(frame);
		return;
	}
	t->cfg.gre_output(t->cfg.ctx, t->cfg.peer_ipv4, frame);
}

static void call_link_deliver_ip(void *ctx, struct pkt *ip_packet)
{
	struct tunnel_call *call = ctx;
	struct tunnel *t = call->tunnel;
	if (t->cfg.tun_output)
		t->cfg.tun_output(t->cfg.ctx, call, ip_packet);
	else
		pkt_free(ip_packet);
}

static void call_link_event(struct tunnel_call *call, const struct ppp_link_event *ev)
{
	struct tunnel *t = call->tunnel;
	struct ppp_link_event *m = &call->link_ev;
	switch (ev->type) {
	case PPP_LINK_EVENT_AUTHENTICATED:
		memcpy(m->user, ev->user, sizeof(m->user));
		m->auth = ev->auth;
		call->authenticated = true;
		if (call->state < TUNNEL_CALL_AUTHENTICATED)
			call->state = TUNNEL_CALL_AUTHENTICATED;
		tunnel_queue_event(t, TUNNEL_EVENT_AUTHENTICATED, call, 0, 0);
		break;
	case PPP_LINK_EVENT_VERIFY:
		tunnel_queue_event(t, TUNNEL_EVENT_VERIFY, call, 0, 0);
		break;
	case PPP_LINK_EVENT_MPPE_UP:
		m->mppe_bits = ev->mppe_bits;
		m->mppe_stateless = ev->mppe_stateless;
		m->mppc = ev->mppc;
		break;
	case PPP_LINK_EVENT_UP:
		m->local_address = ev->local_address;
		m->peer_address = ev->peer_address;
		memcpy(m->dns, ev->dns, sizeof(m->dns));
		memcpy(m->nbns, ev->nbns, sizeof(m->nbns));
		m->mtu = ev->mtu;
		m->mppe_bits = ev->mppe_bits;
		m->mppe_stateless = ev->mppe_stateless;
		m->mppc = ev->mppc;
		call->state = TUNNEL_CALL_UP;
		call->up_since_ms = t->now;
		tunnel_queue_event(t, TUNNEL_EVENT_LINK_UP, call, 0, 0);
		break;
	case PPP_LINK_EVENT_IPV6_UP:
	case PPP_LINK_EVENT_IPV6_PREFIX:
		m->ipv6 = ev->ipv6;
		tunnel_queue_event(t, ev->type == PPP_LINK_EVENT_IPV6_UP ? TUNNEL_EVENT_IPV6_UP : TUNNEL_EVENT_IPV6_PREFIX,
				   call, 0, 0);
		break;
	case PPP_LINK_EVENT_DOWN:
		if (tunnel_call_link_down(call))
			break;
		call->state = TUNNEL_CALL_CLOSING;
		m->cause = ev->cause;
		memcpy(m->reason, ev->reason, sizeof(m->reason));
		t->have_link_down = true;
		t->last_link_cause = ev->cause;
		memcpy(t->last_link_reason, ev->reason, sizeof(t->last_link_reason));
		/* A link that went down only because its call did says nothing
		 * about why: the tunnel names that cause itself. */
		if (t->state < TUNNEL_CLOSING && ev->cause != PPP_CAUSE_LOWER_DOWN)
			tunnel_set_cause(t, TUNNEL_CLOSE_LINK_FAILED, ev->reason);
		tunnel_queue_event(t, TUNNEL_EVENT_LINK_DOWN, call, 0, 0);
		break;
	}
}

void tunnel_call_take_link_events(struct tunnel_call *call)
{
	struct ppp_link_event ev;
	while (ppp_link_next_event(call->link, &ev))
		call_link_event(call, &ev);
}

/* ---- GRE channel callbacks (ctx = call) ---- */

static void call_gre_deliver(void *ctx, struct pkt *ppp_payload, uint64_t now_ms)
{
	struct tunnel_call *call = ctx;
	if (call->link && call->state != TUNNEL_CALL_DOWN) {
		ppp_link_input(call->link, ppp_payload, now_ms);
		tunnel_call_take_link_events(call);
	} else {
		pkt_free(ppp_payload);
	}
}

/* Ack-only packets: the channel lends us its buffer, the daemon wants one it owns. */
static void call_gre_output(void *ctx, struct pkt *gre_packet)
{
	struct tunnel_call *call = ctx;
	struct tunnel *t = call->tunnel;
	struct pkt *copy = pkt_new(PKT_HEADROOM + gre_packet->len, PKT_HEADROOM);
	if (!copy)
		return;
	memcpy(pkt_put(copy, gre_packet->len), pkt_data(gre_packet), gre_packet->len);
	t->cfg.gre_output(t->cfg.ctx, t->cfg.peer_ipv4, copy);
}

/* ---- the daemon's server-side queries, called with its own ctx ---- */

static int call_lookup_secret(void *ctx, const char *user, struct ppp_link_secret *out)
{
	struct tunnel_call *call = ctx;
	struct tunnel *t = call->tunnel;
	if (!t->cfg.link.lookup_secret)
		return ERR_NOT_FOUND;
	return t->cfg.link.lookup_secret(t->cfg.ctx, user, out);
}

static uint32_t call_assign_address(void *ctx, const char *user, uint32_t static_address)
{
	struct tunnel_call *call = ctx;
	struct tunnel *t = call->tunnel;
	if (!t->cfg.link.assign_address)
		return static_address;
	return t->cfg.link.assign_address(t->cfg.ctx, user, static_address);
}

static bool call_assign_prefix6(void *ctx, uint32_t peer_address, uint8_t prefix[8])
{
	struct tunnel_call *call = ctx;
	struct tunnel *t = call->tunnel;
	return t->cfg.link.assign_prefix6(t->cfg.ctx, peer_address, prefix);
}

/* ---- life ---- */

void tunnel_on_call_up(struct tunnel *t, const struct pptp_event *ev)
{
	int slot = -1;
	for (int i = 0; i < TUNNEL_MAX_CALLS; i++)
		if (!t->calls[i]) {
			slot = i;
			break;
		}
	struct tunnel_call *call = slot < 0 ? NULL : calloc(1, sizeof(*call));
	if (!call) {
		/* Its CALL_DOWN (queued now, taken by the caller's drain) is
		 * not reported: the owner never heard of this call. */
		log_msg(LOG_LEVEL_ERROR, t->tag, "no memory for call %u", ev->local_call_id);
		pptp_ctrl_call_close(&t->ctrl, ev->local_call_id, t->now);
		return;
	}
	call->tunnel = t;
	call->slot = slot;
	call->local_id = ev->local_call_id;
	call->peer_id = ev->peer_call_id;
	call->state = TUNNEL_CALL_NEGOTIATING;
	snprintf(call->tag, sizeof(call->tag), "%s call %u", t->tag, call->local_id);

	struct gre_channel_config gcfg = t->cfg.gre;
	gcfg.local_call_id = call->local_id;
	gcfg.peer_call_id = call->peer_id;
	gcfg.peer_recv_window = ev->u.call_up.peer_recv_window;
	gcfg.local_recv_window = t->ctrl.cfg.recv_window;
	gcfg.tag = call->tag;
	gcfg.ctx = call;
	gcfg.deliver = call_gre_deliver;
	gcfg.output = call_gre_output;
	if (gre_channel_init(&call->gre, &gcfg) < 0) {
		free(call);
		pptp_ctrl_call_close(&t->ctrl, ev->local_call_id, t->now);
		return;
	}

	struct ppp_link_config lcfg = t->cfg.link;
	lcfg.tag = call->tag;
	lcfg.log_limit = &t->limit;
	lcfg.random = t->cfg.random;
	lcfg.ctx = call;
	lcfg.output = call_link_output;
	lcfg.deliver_ip = call_link_deliver_ip;
	lcfg.lookup_secret = t->cfg.link.lookup_secret ? call_lookup_secret : NULL;
	lcfg.assign_address = call_assign_address;
	lcfg.assign_prefix6 = t->cfg.link.assign_prefix6 ? call_assign_prefix6 : NULL;
	call->link = ppp_link_new(&lcfg);
	if (!call->link) {
		gre_channel_destroy(&call->gre);
		free(call);
		pptp_ctrl_call_close(&t->ctrl, ev->local_call_id, t->now);
		return;
	}
	uint32_t first_gre = t->cfg.first_gre_timeout_ms ? t->cfg.first_gre_timeout_ms : TUNNEL_FIRST_GRE_TIMEOUT_MS;
	call->first_gre_deadline = t->now + first_gre;
	t->calls[slot] = call;
	log_limited(&t->limit, t->now, LOG_LEVEL_DEBUG, call->tag, "call up: peer call %u, peer window %u, speed %u", call->peer_id,
		    ev->u.call_up.peer_recv_window, ev->u.call_up.connect_speed);
	tunnel_queue_event(t, TUNNEL_EVENT_CALL_UP, call, 0, 0);
	ppp_link_start(call->link, t->now);
	tunnel_call_take_link_events(call);
}

void tunnel_call_lower_link(struct tunnel_call *call)
{
	if (tunnel_call_link_down(call))
		return;
	ppp_link_lower_down(call->link, call->tunnel->now);
	tunnel_call_take_link_events(call); /* LINK_DOWN */
}

void tunnel_call_gone(struct tunnel *t, struct tunnel_call *call)
{
	if (call->state == TUNNEL_CALL_DOWN)
		return;
	tunnel_call_lower_link(call);
	call->state = TUNNEL_CALL_DOWN;
	log_limited(&t->limit, t->now, LOG_LEVEL_DEBUG, call->tag, "call down");
	tunnel_queue_event(t, TUNNEL_EVENT_CALL_DOWN, call, 0, 0);
}

void tunnel_on_call_down(struct tunnel *t, const struct pptp_event *ev)
{
	struct tunnel_call *call = tunnel_call_find(t, ev->local_call_id);
	if (!call) {
		/* A call that never came up. Only our own request is news to the
		 * owner (the peer refused it, or never answered); one we failed
		 * to set up (tunnel_on_call_up) was never reported. */
		if (ev->u.call_down.reason == PPTP_CALL_DOWN_REJECTED) {
			t->result_code = ev->u.call_down.result_code;
			tunnel_set_cause(t, TUNNEL_CLOSE_REFUSED, "peer refused the call");
		} else if (ev->u.call_down.reason == PPTP_CALL_DOWN_TIMEOUT) {
			tunnel_set_cause(t, TUNNEL_CLOSE_PROTOCOL, "no reply to our call request");
		} else {
			return;
		}
		tunnel_queue_event(t, TUNNEL_EVENT_CALL_DOWN, NULL, ev->local_call_id, ev->u.call_down.result_code);
		return;
	}
	if (call->state == TUNNEL_CALL_DOWN)
		return;
	/* Lower the link first: one that was already terminating (auth
	 * failure, peer's Terminate-Request) reports its own cause, which is
	 * the real one; the Call-Disconnect is only its consequence. */
	tunnel_call_lower_link(call);
	if (ev->u.call_down.reason == PPTP_CALL_DOWN_PEER && t->state < TUNNEL_CLOSING)
		tunnel_set_cause(t, TUNNEL_CLOSE_PEER_STOP, "peer cleared the call");
	tunnel_call_gone(t, call);
}

void tunnel_call_free(struct tunnel_call *call)
{
	gre_channel_destroy(&call->gre);
	ppp_link_free(call->link);
	free(call);
}

void tunnel_call_get_info(const struct tunnel_call *call, struct tunnel_call_info *out)
{
	memset(out, 0, sizeof(*out));
	out->local_call_id = call->local_id;
	out->peer_call_id = call->peer_id;
	out->state = call->state;
	out->user = call->link_ev.user;
	out->auth = call->authenticated ? auth_method_name(call->link_ev.auth) : "";
	out->local_address = call->link_ev.local_address; /* 0 until LINK_UP */
	out->peer_address = call->link_ev.peer_address;
	out->mppe_bits = call->link_ev.mppe_bits;
	out->mppe_stateless = call->link_ev.mppe_stateless;
	out->up_since_ms = call->up_since_ms;
	if (call->link)
		ppp_link_get_stats(call->link, &out->link);
	out->gre_lost = call->gre.stats.rx_lost;
	out->gre_reordered = call->gre.stats.rx_reordered;
	out->gre_duplicate = call->gre.stats.rx_duplicate;
	out->gre_late = call->gre.stats.rx_late;
	out->gre_tx = call->gre.stats.tx_packets;
	out->gre_rx = call->gre.stats.rx_accepted;
}
