/* A PPTP tunnel: the control engine, and per call a GRE channel and a PPP
 * link, wired together (see tunnel.h).
 *
 * Re-entrancy: the engines call back into us (pptp events, link events,
 * GRE deliveries) from inside their own functions, so nothing is freed
 * there. Callbacks only set flags; tunnel_leave() runs when the outermost
 * public entry point returns and does what the flags ask: clear calls whose
 * link died, free calls that are gone, stop the control connection when a
 * client has no call left, and finally report CLOSED. The CLOSED event is
 * the very last thing a public function does, so its handler may free the
 * tunnel. */
#include "proto/session/tunnel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/log.h"
#include "base/time.h"

#define TUNNEL_CLOSE_GRACE_MS 5000u
#define TUNNEL_FIRST_GRE_TIMEOUT_MS 15000u

struct tunnel_call {
	struct tunnel *tunnel;
	uint16_t local_id;
	uint16_t peer_id;
	struct gre_channel gre;
	struct ppp_link *link;
	bool gre_seen;
	bool link_down;          /* the PPP link finished: clear the call */
	bool clear_sent;
	bool call_down;          /* PPTP says the call is gone: free it */
	uint64_t first_gre_deadline;
	uint64_t up_since_ms;
	const char *state;
	char user[128];
	const char *auth;
	uint32_t local_address;
	uint32_t peer_address;
	unsigned mppe_bits;
	bool mppe_stateless;
	char tag[80];
};

struct tunnel {
	struct tunnel_config cfg;
	struct pptp_ctrl ctrl;
	struct tunnel_call *calls[PPTP_CTRL_MAX_CALLS];
	char tag[64];
	uint64_t now;
	int depth;
	bool call_placed;        /* client: our one call was requested */
	bool closing;            /* tunnel_close() was called */
	uint64_t close_deadline;
	bool stop_sent;
	bool tcp_close_seen;     /* pptp said CLOSE_TCP */
	bool closed_reported;
	enum tunnel_close_cause cause;
	uint8_t result_code;
	char reason[160];
	bool have_link_down;
	struct ppp_link_event last_link_down;
	char last_link_reason[160];
};

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

static void tunnel_set_cause(struct tunnel *t, enum tunnel_close_cause cause, const char *reason)
{
	if (t->cause != TUNNEL_CLOSE_NONE)
		return; /* the first cause is the real one; the rest are consequences */
	t->cause = cause;
	if (reason)
		snprintf(t->reason, sizeof(t->reason), "%s", reason);
}

static void tunnel_emit(struct tunnel *t, struct tunnel_event *ev)
{
	if (t->cfg.event)
		t->cfg.event(t->cfg.ctx, ev);
}

static void tunnel_emit_call(struct tunnel *t, enum tunnel_event_type type, struct tunnel_call *call,
			     const struct ppp_link_event *link)
{
	struct tunnel_event ev = {
		.type = type,
		.call = call,
		.local_call_id = call ? call->local_id : 0,
		.peer_call_id = call ? call->peer_id : 0,
		.link = link,
	};
	tunnel_emit(t, &ev);
}

static int tunnel_call_slot(const struct tunnel *t, uint16_t local_id)
{
	for (int i = 0; i < PPTP_CTRL_MAX_CALLS; i++)
		if (t->calls[i] && t->calls[i]->local_id == local_id)
			return i;
	return -1;
}

struct tunnel_call *tunnel_call_find(struct tunnel *t, uint16_t local_call_id)
{
	int i = tunnel_call_slot(t, local_call_id);
	return i < 0 ? NULL : t->calls[i];
}

/* ---- PPP link callbacks (ctx = call) ---- */

static void call_link_output(void *ctx, struct pkt *frame)
{
	struct tunnel_call *call = ctx;
	struct tunnel *t = call->tunnel;
	if (call->call_down || gre_channel_send(&call->gre, frame, t->now) < 0) {
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

static void call_link_event(void *ctx, const struct ppp_link_event *ev)
{
	struct tunnel_call *call = ctx;
	struct tunnel *t = call->tunnel;
	switch (ev->type) {
	case PPP_LINK_EVENT_AUTHENTICATED:
		snprintf(call->user, sizeof(call->user), "%s", ev->user ? ev->user : "");
		call->auth = ppp_link_auth_name(ev->auth);
		call->state = "auth";
		tunnel_emit_call(t, TUNNEL_EVENT_AUTHENTICATED, call, ev);
		break;
	case PPP_LINK_EVENT_MPPE_UP:
		call->mppe_bits = ev->mppe_bits;
		call->mppe_stateless = ev->mppe_stateless;
		break;
	case PPP_LINK_EVENT_UP:
		call->local_address = ev->local_address;
		call->peer_address = ev->peer_address;
		call->mppe_bits = ev->mppe_bits;
		call->mppe_stateless = ev->mppe_stateless;
		call->state = "up";
		call->up_since_ms = t->now;
		tunnel_emit_call(t, TUNNEL_EVENT_LINK_UP, call, ev);
		break;
	case PPP_LINK_EVENT_DOWN:
		if (call->link_down)
			break;
		call->link_down = true;
		call->state = "closing";
		t->have_link_down = true;
		t->last_link_down = *ev;
		snprintf(t->last_link_reason, sizeof(t->last_link_reason), "%s", ev->reason ? ev->reason : "");
		t->last_link_down.reason = t->last_link_reason;
		t->last_link_down.user = NULL;
		/* A link that went down only because its call did says nothing
		 * about why: the tunnel names that cause itself. */
		if (!t->closing && ev->cause != PPP_CAUSE_LOWER_DOWN)
			tunnel_set_cause(t, TUNNEL_CLOSE_LINK_FAILED, t->last_link_reason);
		tunnel_emit_call(t, TUNNEL_EVENT_LINK_DOWN, call, ev);
		break;
	}
}

/* ---- GRE channel callbacks (ctx = call) ---- */

static void call_gre_deliver(void *ctx, struct pkt *ppp_payload, uint64_t now_ms)
{
	struct tunnel_call *call = ctx;
	if (call->link && !call->call_down)
		ppp_link_input(call->link, ppp_payload, now_ms);
	else
		pkt_free(ppp_payload);
}

/* Ack-only packets: the channel lends us its buffer, the daemon wants one it owns. */
static void call_gre_output(void *ctx, struct pkt *gre_packet)
{
	struct tunnel_call *call = ctx;
	struct tunnel *t = call->tunnel;
	struct pkt *copy = pkt_alloc(PKT_HEADROOM + gre_packet->len, PKT_HEADROOM);
	if (!copy)
		return;
	memcpy(pkt_put(copy, gre_packet->len), pkt_data(gre_packet), gre_packet->len);
	t->cfg.gre_output(t->cfg.ctx, t->cfg.peer_ipv4, copy);
}

/* ---- the daemon's server-side callbacks, called with its own ctx ---- */

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

/* ---- calls ---- */

static void tunnel_call_up(struct tunnel *t, const struct pptp_event *ev)
{
	int slot = -1;
	for (int i = 0; i < PPTP_CTRL_MAX_CALLS; i++)
		if (!t->calls[i]) {
			slot = i;
			break;
		}
	struct tunnel_call *call = slot < 0 ? NULL : calloc(1, sizeof(*call));
	if (!call) {
		log_msg(LOG_LEVEL_ERROR, t->tag, "no memory for call %u", ev->local_call_id);
		pptp_ctrl_call_close(&t->ctrl, ev->local_call_id, t->now);
		return;
	}
	call->tunnel = t;
	call->local_id = ev->local_call_id;
	call->peer_id = ev->peer_call_id;
	call->state = "negotiating";
	call->auth = "";
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
	lcfg.random = t->cfg.random;
	lcfg.ctx = call;
	lcfg.output = call_link_output;
	lcfg.deliver_ip = call_link_deliver_ip;
	lcfg.event = call_link_event;
	lcfg.lookup_secret = t->cfg.link.lookup_secret ? call_lookup_secret : NULL;
	lcfg.assign_address = call_assign_address;
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
	log_msg(LOG_LEVEL_INFO, call->tag, "call up: peer call %u, peer window %u, speed %u", call->peer_id,
		ev->u.call_up.peer_recv_window, ev->u.call_up.connect_speed);
	tunnel_emit_call(t, TUNNEL_EVENT_CALL_UP, call, NULL);
	ppp_link_start(call->link, t->now);
}

static void tunnel_call_down(struct tunnel *t, const struct pptp_event *ev)
{
	struct tunnel_call *call = tunnel_call_find(t, ev->local_call_id);
	if (!call) {
		/* A call that never came up: the peer refused our request. */
		if (ev->u.call_down.reason == PPTP_CALL_DOWN_REJECTED) {
			t->result_code = ev->u.call_down.result_code;
			tunnel_set_cause(t, TUNNEL_CLOSE_REFUSED, "peer refused the call");
		} else if (ev->u.call_down.reason == PPTP_CALL_DOWN_TIMEOUT) {
			tunnel_set_cause(t, TUNNEL_CLOSE_PROTOCOL, "no reply to our call request");
		}
		struct tunnel_event out = { .type = TUNNEL_EVENT_CALL_DOWN, .local_call_id = ev->local_call_id,
					    .result_code = ev->u.call_down.result_code };
		tunnel_emit(t, &out);
		return;
	}
	if (call->call_down)
		return;
	/* Lower the link first: one that was already terminating (auth
	 * failure, peer's Terminate-Request) reports its own cause, which is
	 * the real one; the Call-Disconnect is only its consequence. */
	if (!call->link_down)
		ppp_link_lower_down(call->link, t->now); /* emits LINK_DOWN through call_link_event */
	if (ev->u.call_down.reason == PPTP_CALL_DOWN_PEER && !t->closing)
		tunnel_set_cause(t, TUNNEL_CLOSE_PEER_STOP, "peer cleared the call");
	call->call_down = true;
	log_msg(LOG_LEVEL_INFO, call->tag, "call down");
	tunnel_emit_call(t, TUNNEL_EVENT_CALL_DOWN, call, NULL);
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

static void tunnel_ctrl_event(void *ctx, const struct pptp_event *ev)
{
	struct tunnel *t = ctx;
	switch (ev->type) {
	case PPTP_EVENT_TUNNEL_UP: {
		log_msg(LOG_LEVEL_INFO, t->tag, "control connection up: peer \"%s\" vendor \"%s\"",
			ev->u.tunnel_up.peer_hostname, ev->u.tunnel_up.peer_vendor);
		struct tunnel_event out = { .type = TUNNEL_EVENT_CONTROL_UP };
		tunnel_emit(t, &out);
		if (t->cfg.role == PPTP_ROLE_PNS && !t->call_placed && !t->closing) {
			struct pptp_call_params params;
			pptp_call_params_defaults(&params);
			uint16_t id;
			t->call_placed = true;
			if (pptp_ctrl_call_open(&t->ctrl, &params, t->now, &id) < 0) {
				tunnel_set_cause(t, TUNNEL_CLOSE_PROTOCOL, "could not place the call");
				t->closing = true;
			}
		}
		break;
	}
	case PPTP_EVENT_CALL_UP:
		tunnel_call_up(t, ev);
		break;
	case PPTP_EVENT_CALL_DOWN:
		tunnel_call_down(t, ev);
		break;
	case PPTP_EVENT_KEEPALIVE_TIMEOUT:
		tunnel_set_cause(t, TUNNEL_CLOSE_KEEPALIVE, "no reply to PPTP Echo-Request");
		break;
	case PPTP_EVENT_TUNNEL_DOWN:
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
		break;
	case PPTP_EVENT_SET_LINK_INFO:
		log_msg(LOG_LEVEL_INFO, t->tag, "Set-Link-Info: send ACCM 0x%08x, receive ACCM 0x%08x (ignored: sync framing)",
			ev->u.set_link_info.send_accm, ev->u.set_link_info.recv_accm);
		break;
	case PPTP_EVENT_WAN_ERROR:
		log_msg(LOG_LEVEL_WARN, t->tag, "WAN-Error-Notify: CRC %u, framing %u, overrun %u, timeout %u",
			ev->u.wan_error.crc_errors, ev->u.wan_error.framing_errors,
			ev->u.wan_error.hardware_overruns, ev->u.wan_error.timeout_errors);
		break;
	case PPTP_EVENT_CLOSE_TCP:
		t->tcp_close_seen = true;
		break;
	}
}

/* ---- deferred work ---- */

static unsigned tunnel_live_calls(const struct tunnel *t)
{
	unsigned n = 0;
	for (int i = 0; i < PPTP_CTRL_MAX_CALLS; i++)
		if (t->calls[i])
			n++;
	return n;
}

static void tunnel_call_free(struct tunnel_call *call)
{
	gre_channel_destroy(&call->gre);
	ppp_link_free(call->link);
	free(call);
}

static bool tunnel_reap_once(struct tunnel *t)
{
	bool changed = false;
	for (int i = 0; i < PPTP_CTRL_MAX_CALLS; i++) {
		struct tunnel_call *call = t->calls[i];
		if (!call)
			continue;
		if (call->link_down && !call->call_down && !call->clear_sent) {
			call->clear_sent = true;
			changed = true;
			if (pptp_ctrl_call_close(&t->ctrl, call->local_id, t->now) < 0)
				call->call_down = true; /* nothing left to clear */
		}
		if (call->call_down) {
			t->calls[i] = NULL;
			tunnel_call_free(call);
			changed = true;
		}
	}
	bool client_done = t->cfg.role == PPTP_ROLE_PNS && t->call_placed;
	if ((t->closing || client_done) && tunnel_live_calls(t) == 0 && !t->stop_sent &&
	    !pptp_ctrl_is_closed(&t->ctrl)) {
		bool call_pending = client_done && pptp_ctrl_call_count(&t->ctrl) > 0;
		if (!call_pending || t->closing) {
			t->stop_sent = true;
			changed = true;
			if (pptp_ctrl_stop(&t->ctrl, PPTP_STOP_REASON_NONE, t->now) < 0)
				pptp_ctrl_tcp_closed(&t->ctrl, t->now);
		}
	}
	return changed;
}

static void tunnel_enter(struct tunnel *t, uint64_t now_ms)
{
	if (now_ms > t->now)
		t->now = now_ms;
	t->depth++;
}

static void tunnel_leave(struct tunnel *t)
{
	if (--t->depth > 0)
		return;
	t->depth++;
	for (int rounds = 0; rounds < 8 && tunnel_reap_once(t); rounds++)
		;
	t->depth--;
	if (t->tcp_close_seen && !t->closed_reported) {
		/* Every call went down with the control connection. */
		for (int i = 0; i < PPTP_CTRL_MAX_CALLS; i++) {
			if (t->calls[i]) {
				tunnel_call_free(t->calls[i]);
				t->calls[i] = NULL;
			}
		}
		t->closed_reported = true;
		if (t->cause == TUNNEL_CLOSE_NONE)
			t->cause = TUNNEL_CLOSE_LOCAL;
		bool orderly = tunnel_close_is_orderly(t->cause, t->have_link_down ? &t->last_link_down : NULL);
		log_msg(orderly ? LOG_LEVEL_INFO : LOG_LEVEL_WARN, t->tag, "tunnel closed: %s%s%s",
			tunnel_close_cause_name(t->cause), t->reason[0] ? ": " : "",
			t->reason);
		struct tunnel_event ev = {
			.type = TUNNEL_EVENT_CLOSED,
			.cause = t->cause,
			.result_code = t->result_code,
			.reason = t->reason,
			.link = t->have_link_down ? &t->last_link_down : NULL,
		};
		tunnel_emit(t, &ev); /* last: the handler may free t */
	}
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
	snprintf(t->tag, sizeof(t->tag), "%s", config->tag ? config->tag : "tunnel");
	t->cfg.tag = t->tag;

	struct pptp_ctrl_config ccfg = config->ctrl;
	ccfg.role = config->role;
	ccfg.local_ipv4 = config->local_ipv4;
	ccfg.peer_ipv4 = config->peer_ipv4;
	ccfg.random = config->random;
	ccfg.ctx = t;
	ccfg.output = tunnel_ctrl_output;
	ccfg.event = tunnel_ctrl_event;
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
	for (int i = 0; i < PPTP_CTRL_MAX_CALLS; i++)
		if (t->calls[i])
			tunnel_call_free(t->calls[i]);
	free(t);
}

int tunnel_start(struct tunnel *t, uint64_t now_ms)
{
	tunnel_enter(t, now_ms);
	int rc = pptp_ctrl_start(&t->ctrl, now_ms);
	tunnel_leave(t);
	return rc;
}

void tunnel_tcp_input(struct tunnel *t, const uint8_t *bytes, size_t len, uint64_t now_ms)
{
	tunnel_enter(t, now_ms);
	(void)pptp_ctrl_input(&t->ctrl, bytes, len, now_ms);
	tunnel_leave(t);
}

void tunnel_tcp_closed(struct tunnel *t, uint64_t now_ms)
{
	tunnel_enter(t, now_ms);
	pptp_ctrl_tcp_closed(&t->ctrl, now_ms);
	tunnel_leave(t);
}

void tunnel_gre_input(struct tunnel *t, const struct gre_header *header, struct pkt *payload, uint64_t now_ms)
{
	tunnel_enter(t, now_ms);
	struct tunnel_call *call = tunnel_call_find(t, header->call_id);
	if (!call || call->call_down) {
		pkt_free(payload);
	} else {
		call->gre_seen = true;
		(void)gre_channel_receive(&call->gre, header, payload, now_ms);
	}
	tunnel_leave(t);
}

int tunnel_send_ip(struct tunnel *t, struct tunnel_call *call, struct pkt *ip_packet, uint64_t now_ms)
{
	if (!call || call->link_down || call->call_down) {
		pkt_free(ip_packet);
		return ERR_STATE;
	}
	tunnel_enter(t, now_ms);
	int rc = ppp_link_send_ip(call->link, ip_packet, now_ms);
	tunnel_leave(t);
	return rc;
}

void tunnel_close(struct tunnel *t, const char *reason, uint64_t now_ms)
{
	tunnel_enter(t, now_ms);
	if (!t->closing) {
		t->closing = true;
		t->close_deadline = now_ms + TUNNEL_CLOSE_GRACE_MS;
		tunnel_set_cause(t, TUNNEL_CLOSE_LOCAL, reason);
		for (int i = 0; i < PPTP_CTRL_MAX_CALLS; i++) {
			struct tunnel_call *call = t->calls[i];
			if (call && !call->link_down)
				ppp_link_close(call->link, reason ? reason : "closed", now_ms);
		}
	}
	tunnel_leave(t);
}

void tunnel_call_close(struct tunnel *t, struct tunnel_call *call, const char *reason, uint64_t now_ms)
{
	tunnel_enter(t, now_ms);
	if (call && !call->link_down)
		ppp_link_close(call->link, reason ? reason : "closed", now_ms);
	tunnel_leave(t);
}

uint64_t tunnel_next_deadline(const struct tunnel *t)
{
	if (t->closed_reported)
		return DEADLINE_NONE;
	uint64_t d = pptp_ctrl_next_deadline(&t->ctrl);
	if (t->closing && !t->stop_sent)
		d = deadline_min(d, t->close_deadline);
	for (int i = 0; i < PPTP_CTRL_MAX_CALLS; i++) {
		const struct tunnel_call *call = t->calls[i];
		if (!call || call->call_down)
			continue;
		d = deadline_min(d, gre_channel_next_deadline(&call->gre));
		d = deadline_min(d, ppp_link_next_deadline(call->link));
		if (!call->gre_seen && !call->link_down)
			d = deadline_min(d, call->first_gre_deadline);
	}
	return d;
}

void tunnel_on_timeout(struct tunnel *t, uint64_t now_ms)
{
	tunnel_enter(t, now_ms);
	if (pptp_ctrl_next_deadline(&t->ctrl) <= now_ms)
		pptp_ctrl_on_timeout(&t->ctrl, now_ms);
	for (int i = 0; i < PPTP_CTRL_MAX_CALLS; i++) {
		struct tunnel_call *call = t->calls[i];
		if (!call || call->call_down)
			continue;
		if (gre_channel_next_deadline(&call->gre) <= now_ms)
			gre_channel_on_timeout(&call->gre, now_ms);
		if (!call->link_down && ppp_link_next_deadline(call->link) <= now_ms)
			ppp_link_on_timeout(call->link, now_ms);
		if (!call->gre_seen && !call->link_down && call->first_gre_deadline <= now_ms) {
			/* RFC 2637 §4: the data path is GRE. A control connection
			 * that works while no GRE ever arrives is a firewall or NAT
			 * dropping IP protocol 47. */
			log_msg(LOG_LEVEL_ERROR, call->tag,
				"TCP 1723 worked but no GRE came back: a firewall or NAT drops IP protocol 47");
			tunnel_set_cause(t, TUNNEL_CLOSE_NO_GRE,
					 "TCP 1723 worked but no GRE came back: a firewall or NAT drops IP protocol 47");
			ppp_link_lower_down(call->link, now_ms);
		}
	}
	if (t->closing && !t->stop_sent && t->close_deadline <= now_ms) {
		/* The links did not finish in time: drop them and stop. */
		for (int i = 0; i < PPTP_CTRL_MAX_CALLS; i++) {
			struct tunnel_call *call = t->calls[i];
			if (call && !call->link_down)
				ppp_link_lower_down(call->link, now_ms);
			if (call && !call->call_down)
				call->call_down = true;
		}
		t->stop_sent = true;
		if (pptp_ctrl_stop(&t->ctrl, PPTP_STOP_REASON_NONE, now_ms) < 0)
			pptp_ctrl_tcp_closed(&t->ctrl, now_ms);
	}
	tunnel_leave(t);
}

bool tunnel_is_closed(const struct tunnel *t)
{
	return t->closed_reported;
}

uint32_t tunnel_peer_ipv4(const struct tunnel *t)
{
	return t->cfg.peer_ipv4;
}

void tunnel_call_get_info(const struct tunnel_call *call, struct tunnel_call_info *out)
{
	memset(out, 0, sizeof(*out));
	out->local_call_id = call->local_id;
	out->peer_call_id = call->peer_id;
	out->state = call->state;
	out->user = call->user;
	out->auth = call->auth;
	out->local_address = call->local_address;
	out->peer_address = call->peer_address;
	out->mppe_bits = call->mppe_bits;
	out->mppe_stateless = call->mppe_stateless;
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
