/* SPDX-License-Identifier: BSD-2-Clause */
/* LCP; see lcp.h. The option handlers are in lcp_options.c. */
#include "proto/ppp/lcp.h"

#include <string.h>

#include "base/bytes.h"
#include "base/error.h"
#include "base/time.h"
#include "proto/ppp/lcp_internal.h"

void lcp_emit(struct lcp *lcp, enum ppp_event_type type, uint32_t value, const char *reason)
{
	ppp_fsm_queue_event(&lcp->fsm, type, value, reason);
}

bool lcp_next_event(struct lcp *lcp, struct ppp_event *out)
{
	return ppp_fsm_next_event(&lcp->fsm, out);
}

uint32_t lcp_new_magic(struct lcp *lcp)
{
	uint32_t m = 0;
	while (m == 0)
		m = random_u32(lcp->cfg.random);
	return m;
}

/* ---- automaton hooks ---- */

static void lcp_reset_request(void *p)
{
	struct lcp *lcp = p;
	uint16_t mru = lcp->cfg.mru ? lcp->cfg.mru : LCP_DEFAULT_MRU;
	memset(&lcp->want, 0, sizeof(lcp->want));
	memset(&lcp->local, 0, sizeof(lcp->local));
	lcp->local.mru = LCP_DEFAULT_MRU;
	lcp->want.mru = mru;
	lcp->want_mru = mru != LCP_DEFAULT_MRU;
	lcp->want_magic = !lcp->cfg.no_magic;
	lcp->want.magic = lcp->want_magic ? lcp_new_magic(lcp) : 0;
	lcp->want.pfc = lcp->cfg.pfc;
	lcp->want.acfc = lcp->cfg.acfc;
	lcp->auth_index = -1;
	lcp->auth_tried = 0;
	lcp->spap_requests = 0;
	lcp->loop_count = 0;
	if (lcp->cfg.auth_offer[0] != AUTH_METHOD_NONE) {
		lcp->auth_index = 0;
		lcp->auth_tried = AUTH_METHOD_BIT(lcp->cfg.auth_offer[0]);
	}
}

static void lcp_reset_peer(void *p)
{
	struct lcp *lcp = p;
	memset(&lcp->peer, 0, sizeof(lcp->peer));
	lcp->peer.mru = LCP_DEFAULT_MRU;
}

static void lcp_layer_up(void *p)
{
	struct lcp *lcp = p;
	/* RFC 1661 §6.1: the MRU we receive is what the peer acked, else 1500. */
	if (lcp->local.mru == 0)
		lcp->local.mru = LCP_DEFAULT_MRU;
	lcp->last_rx = lcp->fsm.now;
	lcp->last_echo = lcp->fsm.now;
	lcp->echo_outstanding = 0;
	/* The first Echo-Request goes out at once, as pppd's does: it tests the
	 * link both ways before authentication, when a dead path is cheapest
	 * to find, and pppd logs echoes only in that phase. */
	lcp->echo_first_pending = true;
	log_limited(&lcp->fsm.limit, lcp->fsm.now, LOG_LEVEL_DEBUG, lcp->cfg.tag, "LCP up: mru %u/%u, auth us->peer %s, peer->us %s",
		    lcp->local.mru, lcp->peer.mru, auth_method_name(lcp->local.auth),
		    auth_method_name(lcp->peer.auth));
	lcp_emit(lcp, PPP_EVENT_UP, 0, NULL);
}

static void lcp_layer_down(void *p)
{
	lcp_emit(p, PPP_EVENT_DOWN, 0, NULL);
}

static void lcp_layer_started(void *p)
{
	lcp_emit(p, PPP_EVENT_STARTING, 0, NULL);
}

static void lcp_layer_finished(void *p)
{
	struct lcp *lcp = p;
	lcp_emit(lcp, PPP_EVENT_FINISHED, 0, lcp->fsm.term_reason[0] ? lcp->fsm.term_reason : NULL);
}

static void lcp_send_echo_reply(void *p)
{
	struct lcp *lcp = p;
	const struct ppp_cp_packet *rx = lcp->fsm.rx;
	if (!rx || rx->data_len < 4)
		return;
	/* RFC 1661 §5.8: same id, our magic, the data echoed back (within the
	 * peer's MRU). */
	uint8_t data[1500 - PPP_CP_HEADER_LEN];
	size_t n = rx->data_len;
	size_t max = (lcp->peer.mru ? lcp->peer.mru : LCP_DEFAULT_MRU) - PPP_CP_HEADER_LEN;
	if (n > max)
		n = max;
	if (n > sizeof(data))
		n = sizeof(data);
	memcpy(data, rx->data, n);
	store_be32(data, lcp->local.magic);
	ppp_fsm_send(&lcp->fsm, PPP_ECHO_REP, rx->id, data, n);
}

static void lcp_log_text(struct lcp *lcp, const char *what, const uint8_t *text, size_t len)
{
	char buf[128];
	size_t n = len < sizeof(buf) - 1 ? len : sizeof(buf) - 1;
	for (size_t i = 0; i < n; i++)
		buf[i] = (text[i] >= 0x20 && text[i] < 0x7f) ? (char)text[i] : '?';
	buf[n] = 0;
	log_limited(&lcp->fsm.limit, lcp->fsm.now, LOG_LEVEL_INFO, lcp->cfg.tag, "LCP: peer %s: %s", what, buf);
}

/* RFC 1570 §1.1: Identification may come in any state, before Opened
 * too (Windows sends it with its first Configure-Requests). */
static void lcp_keep_identification(struct lcp *lcp, const uint8_t *text, size_t len)
{
	char shown[LCP_IDENT_MAX + 1];
	size_t n = len < LCP_IDENT_MAX ? len : LCP_IDENT_MAX;
	for (size_t i = 0; i < n; i++)
		shown[i] = (text[i] >= 0x20 && text[i] < 0x7f) ? (char)text[i] : '?';
	shown[n] = 0;
	if (n == 0 || lcp->peer_ident_count == LCP_IDENT_KEEP)
		return;
	for (unsigned i = 0; i < lcp->peer_ident_count; i++)
		if (strcmp(lcp->peer_ident[i], shown) == 0)
			return; /* sent again with each Configure-Reject */
	memcpy(lcp->peer_ident[lcp->peer_ident_count++], shown, n + 1);
}

const char *lcp_peer_identification(const struct lcp *lcp, unsigned i)
{
	return i < lcp->peer_ident_count ? lcp->peer_ident[i] : NULL;
}

static int lcp_extra_code(void *p, const struct ppp_cp_packet *pkt, uint64_t now)
{
	struct lcp *lcp = p;
	struct reader r;
	reader_init(&r, pkt->data, pkt->data_len);
	switch (pkt->code) {
	case PPP_PROTO_REJ: {
		uint16_t proto = reader_u16(&r);
		if (!reader_ok(&r))
			return ERR_TRUNCATED;
		/* RFC 1661 §5.7: only meaningful in Opened. */
		if (lcp->fsm.state != PPP_STATE_OPENED)
			return ERR_STATE;
		log_limited(&lcp->fsm.limit, lcp->fsm.now, LOG_LEVEL_INFO, lcp->cfg.tag, "LCP: peer rejected protocol 0x%04x (%s)", proto,
			ppp_protocol_name(proto));
		if (proto == PPP_PROTO_LCP) {
			ppp_fsm_event(&lcp->fsm, PPP_EV_RXJ_MINUS);
		} else {
			ppp_fsm_event(&lcp->fsm, PPP_EV_RXJ_PLUS);
			lcp_emit(lcp, PPP_EVENT_PROTOCOL_REJECT, proto, NULL);
		}
		return 0;
	}
	case PPP_ECHO_REQ:
	case PPP_ECHO_REP:
	case PPP_DISCARD_REQ:
	case PPP_IDENTIFICATION:
	case PPP_TIME_REMAINING:
		break;
	default:
		return ERR_UNKNOWN_TYPE;
	}
	uint32_t magic = reader_u32(&r);
	if (!reader_ok(&r))
		return ERR_TRUNCATED;
	if (pkt->code == PPP_IDENTIFICATION)
		lcp_keep_identification(lcp, r.data + r.pos, reader_remaining(&r));
	/* RFC 1661 §5.8: Echo and Discard are only for the Opened state. */
	if (lcp->fsm.state != PPP_STATE_OPENED)
		return pkt->code == PPP_IDENTIFICATION ? 0 : ERR_STATE;
	if (magic != 0 && magic == lcp->local.magic && pkt->code != PPP_IDENTIFICATION) {
		log_limited(&lcp->fsm.limit, now, LOG_LEVEL_WARN, lcp->cfg.tag,
			    "LCP: %s with our own magic, the link may be looped back", ppp_code_name(pkt->code));
		return ERR_PEER;
	}
	switch (pkt->code) {
	case PPP_ECHO_REQ:
		ppp_fsm_event(&lcp->fsm, PPP_EV_RXR);
		break;
	case PPP_ECHO_REP:
		lcp->echo_outstanding = 0;
		break;
	case PPP_IDENTIFICATION:
		lcp_log_text(lcp, "identification", r.data + r.pos, reader_remaining(&r));
		break;
	case PPP_TIME_REMAINING: {
		uint32_t seconds = reader_u32(&r);
		if (!reader_ok(&r))
			return ERR_TRUNCATED;
		lcp_log_text(lcp, "time remaining", r.data + r.pos, reader_remaining(&r));
		lcp_emit(lcp, PPP_EVENT_TIME_REMAINING, seconds, NULL);
		break;
	}
	default: /* Discard-Request */
		break;
	}
	return 0;
}

static const struct ppp_fsm_ops lcp_ops = {
	.layer_up = lcp_layer_up,
	.layer_down = lcp_layer_down,
	.layer_started = lcp_layer_started,
	.layer_finished = lcp_layer_finished,
	.reset_request = lcp_reset_request,
	.reset_peer = lcp_reset_peer,
	.extra_code = lcp_extra_code,
	.send_echo_reply = lcp_send_echo_reply,
};

int lcp_init(struct lcp *lcp, const struct lcp_config *cfg)
{
	if (!cfg || !cfg->random || !cfg->output)
		return ERR_INVALID;
	memset(lcp, 0, sizeof(*lcp));
	lcp->cfg = *cfg;
	ppp_fsm_init(&lcp->fsm, PPP_PROTO_LCP, "LCP", &lcp_ops, lcp_options,
		     lcp_option_count, lcp, &cfg->fsm, cfg->output, cfg->output_ctx);
	lcp->fsm.tag = cfg->tag;
	lcp_reset_request(lcp);
	lcp_reset_peer(lcp);
	return 0;
}

void lcp_lower_up(struct lcp *lcp, uint64_t now_ms)
{
	ppp_fsm_lower_up(&lcp->fsm, now_ms);
}

void lcp_lower_down(struct lcp *lcp, uint64_t now_ms)
{
	ppp_fsm_lower_down(&lcp->fsm, now_ms);
}

void lcp_open(struct lcp *lcp, uint64_t now_ms)
{
	ppp_fsm_open(&lcp->fsm, now_ms);
}

void lcp_close(struct lcp *lcp, const char *reason, uint64_t now_ms)
{
	if (reason && *reason)
		log_limited(&lcp->fsm.limit, lcp->fsm.now, LOG_LEVEL_DEBUG, lcp->cfg.tag, "LCP: closing: %s", reason);
	ppp_fsm_close(&lcp->fsm, reason, now_ms);
}

int lcp_input(struct lcp *lcp, const uint8_t *buf, size_t len, uint64_t now_ms)
{
	/* PPP_QUIRK_ECHO_SAME_INTERVAL: a peer's Echo-Request postpones none
	 * of ours, or our dead-peer detection would rest on the peer's timer.
	 * Any other packet is traffic that makes a probe unnecessary
	 * (RFC 1661 §5.8). */
	if (len < 1 || buf[0] != PPP_ECHO_REQ)
		lcp_note_rx(lcp, now_ms);
	return ppp_fsm_input(&lcp->fsm, buf, len, now_ms);
}

void lcp_note_rx(struct lcp *lcp, uint64_t now_ms)
{
	if (now_ms > lcp->last_rx)
		lcp->last_rx = now_ms;
	lcp->echo_outstanding = 0;
}

static uint64_t lcp_echo_deadline(const struct lcp *lcp)
{
	if (!lcp->cfg.echo_interval_ms || lcp->fsm.state != PPP_STATE_OPENED)
		return DEADLINE_NONE;
	if (lcp->echo_first_pending)
		return lcp->last_echo;
	uint64_t base = lcp->last_rx > lcp->last_echo ? lcp->last_rx : lcp->last_echo;
	return base + lcp->cfg.echo_interval_ms;
}

uint64_t lcp_next_deadline(const struct lcp *lcp)
{
	return deadline_min(ppp_fsm_next_deadline(&lcp->fsm), lcp_echo_deadline(lcp));
}

void lcp_on_timeout(struct lcp *lcp, uint64_t now_ms)
{
	ppp_fsm_on_timeout(&lcp->fsm, now_ms);
	if (now_ms < lcp_echo_deadline(lcp))
		return;
	unsigned max = lcp->cfg.echo_failures ? lcp->cfg.echo_failures : 3;
	if (lcp->echo_outstanding >= max) {
		log_msg(LOG_LEVEL_WARN, lcp->cfg.tag, "LCP: no response to %u echo-requests", max);
		lcp_emit(lcp, PPP_EVENT_ECHO_TIMEOUT, max, "Peer not responding");
		lcp_close(lcp, "Peer not responding", now_ms);
		return;
	}
	uint8_t magic[4];
	store_be32(magic, lcp->local.magic);
	ppp_fsm_send(&lcp->fsm, PPP_ECHO_REQ, ppp_fsm_new_id(&lcp->fsm), magic, sizeof(magic));
	lcp->echo_outstanding++;
	lcp->echoes_sent++;
	lcp->last_echo = now_ms;
	lcp->echo_first_pending = false;
}

bool lcp_is_opened(const struct lcp *lcp)
{
	return lcp->fsm.state == PPP_STATE_OPENED;
}

int lcp_send_protocol_reject(struct lcp *lcp, uint16_t protocol, const uint8_t *info, size_t info_len)
{
	if (!lcp_is_opened(lcp))
		return ERR_STATE;
	uint8_t buf[1500];
	int n = ppp_protocol_reject_build(ppp_fsm_new_id(&lcp->fsm), protocol, info, info_len, lcp->peer.mru,
					  buf, sizeof(buf));
	if (n < 0)
		return n;
	lcp->cfg.output(lcp->cfg.output_ctx, PPP_PROTO_LCP, buf, (size_t)n);
	return 0;
}

void lcp_frame_config(const struct lcp *lcp, struct ppp_frame_config *out)
{
	out->rx_acfc = lcp->local.acfc;
	out->rx_pfc = lcp->local.pfc;
	out->tx_acfc = lcp->peer.acfc;
	out->tx_pfc = lcp->peer.pfc;
	out->mru = lcp->local.mru ? lcp->local.mru : LCP_DEFAULT_MRU;
}
