/* LCP; see lcp.h. */
#include "proto/ppp/lcp.h"

#include <string.h>

#include "base/bytes.h"
#include "base/error.h"
#include "base/time.h"

#define LCP_DEFAULT_MRU 1500
#define LCP_MIN_MRU 128
static void lcp_emit(struct lcp *lcp, enum ppp_event_type type, uint32_t value, const char *reason)
{
	ppp_fsm_queue_event(&lcp->fsm, type, value, reason);
}

bool lcp_next_event(struct lcp *lcp, struct ppp_event *out)
{
	return ppp_fsm_next_event(&lcp->fsm, out);
}

static uint32_t lcp_new_magic(struct lcp *lcp)
{
	uint32_t m = 0;
	while (m == 0)
		m = random_u32(lcp->cfg.random);
	return m;
}

/* ---- authentication-protocol encoding (RFC 1661 §6.2, RFC 1994 §3) ---- */

static void auth_write(struct writer *w, enum auth_method m)
{
	uint16_t protocol;
	uint8_t algorithm;
	if (!auth_method_to_lcp(m, &protocol, &algorithm))
		return;
	writer_u16(w, protocol);
	if (protocol == PPP_PROTO_CHAP)
		writer_u8(w, algorithm);
}

static enum auth_method auth_parse(const struct ppp_option *opt)
{
	struct reader r;
	reader_init(&r, opt->value, opt->value_len);
	uint16_t proto = reader_u16(&r);
	if (!reader_ok(&r) || opt->value_len > 3)
		return AUTH_METHOD_NONE;
	return auth_method_from_lcp(proto, opt->value_len == 3 ? opt->value[2] : -1);
}

/* ---- option handlers ---- */

static bool mru_build(void *p, struct writer *w)
{
	struct lcp *lcp = p;
	if (!lcp->want_mru)
		return false;
	writer_u16(w, lcp->want.mru);
	return true;
}

static enum ppp_opt_verdict mru_request(void *p, const struct ppp_option *opt, struct writer *nak)
{
	struct lcp *lcp = p;
	uint16_t mru = load_be16(opt->value);
	uint16_t min = lcp->cfg.min_peer_mru ? lcp->cfg.min_peer_mru : LCP_MIN_MRU;
	if (mru < min) {
		writer_u16(nak, min);
		return PPP_OPT_NAK;
	}
	lcp->peer.mru = mru;
	return PPP_OPT_ACK;
}

static void mru_acked(void *p, const struct ppp_option *opt)
{
	struct lcp *lcp = p;
	lcp->local.mru = load_be16(opt->value);
}

static void mru_naked(void *p, const struct ppp_option *opt)
{
	struct lcp *lcp = p;
	uint16_t mru = load_be16(opt->value);
	/* A smaller suggestion is taken; anything else: fall back to the default. */
	if (mru >= LCP_MIN_MRU && mru <= lcp->want.mru)
		lcp->want.mru = mru;
	else
		lcp->want_mru = false;
}

static void mru_rejected(void *p)
{
	((struct lcp *)p)->want_mru = false;
}

static enum ppp_opt_verdict accm_request(void *p, const struct ppp_option *opt, struct writer *nak)
{
	/* RFC 1662 §7.1: ACCM only matters for async HDLC; PPTP is synchronous,
	 * so any map is accepted and ignored. */
	(void)p; (void)opt; (void)nak;
	return PPP_OPT_ACK;
}

static bool auth_build(void *p, struct writer *w)
{
	struct lcp *lcp = p;
	if (lcp->auth_index < 0)
		return false;
	auth_write(w, lcp->cfg.auth_offer[lcp->auth_index]);
	return true;
}

static enum auth_method auth_preferred_accept(const struct lcp *lcp)
{
	static const enum auth_method strongest[] = {
		AUTH_METHOD_MSCHAPV2, AUTH_METHOD_EAP_MD5, AUTH_METHOD_MSCHAPV1, AUTH_METHOD_CHAP_MD5, AUTH_METHOD_PAP,
	};
	for (int i = 0; i < LCP_AUTH_PREFS_MAX && lcp->cfg.auth_accept_order[i] != AUTH_METHOD_NONE; i++)
		if (lcp->cfg.auth_accept & AUTH_METHOD_BIT(lcp->cfg.auth_accept_order[i]))
			return lcp->cfg.auth_accept_order[i];
	for (size_t i = 0; i < sizeof(strongest) / sizeof(strongest[0]); i++)
		if (lcp->cfg.auth_accept & AUTH_METHOD_BIT(strongest[i]))
			return strongest[i];
	return AUTH_METHOD_NONE;
}

static enum ppp_opt_verdict auth_request(void *p, const struct ppp_option *opt, struct writer *nak)
{
	struct lcp *lcp = p;
	enum auth_method m = auth_parse(opt);
	if (m != AUTH_METHOD_NONE && (lcp->cfg.auth_accept & AUTH_METHOD_BIT(m))) {
		lcp->peer.auth = m;
		return PPP_OPT_ACK;
	}
	enum auth_method best = auth_preferred_accept(lcp);
	log_msg(LOG_LEVEL_INFO, lcp->cfg.tag, "LCP: peer asks authentication %s, we %s %s",
		m == AUTH_METHOD_NONE ? "(unknown)" : auth_method_name(m),
		best == AUTH_METHOD_NONE ? "refuse to authenticate" : "suggest",
		best == AUTH_METHOD_NONE ? "" : auth_method_name(best));
	if (best == AUTH_METHOD_NONE)
		return PPP_OPT_REJECT;
	auth_write(nak, best);
	return PPP_OPT_NAK;
}

static void auth_acked(void *p, const struct ppp_option *opt)
{
	struct lcp *lcp = p;
	lcp->local.auth = auth_parse(opt);
}

/* Move to the next method in our preference that was not offered yet;
 * `suggested` (from a Nak) is taken first when we allow it. */
static void auth_advance(struct lcp *lcp, enum auth_method suggested)
{
	int idx = -1;
	for (int i = 0; i < LCP_AUTH_PREFS_MAX && lcp->cfg.auth_offer[i] != AUTH_METHOD_NONE; i++) {
		enum auth_method m = lcp->cfg.auth_offer[i];
		if (lcp->auth_tried & AUTH_METHOD_BIT(m))
			continue;
		if (m == suggested) {
			idx = i;
			break;
		}
		if (idx < 0)
			idx = i;
	}
	if (idx < 0) {
		log_msg(LOG_LEVEL_WARN, lcp->cfg.tag, "LCP: peer refused every authentication method we allow");
		lcp->auth_index = -1;
		lcp_emit(lcp, PPP_EVENT_AUTH_REFUSED, 0, "peer refused to authenticate");
		return;
	}
	lcp->auth_index = idx;
	lcp->auth_tried |= AUTH_METHOD_BIT(lcp->cfg.auth_offer[idx]);
}

static void auth_naked(void *p, const struct ppp_option *opt)
{
	struct lcp *lcp = p;
	if (lcp->auth_index < 0)
		return; /* a Nak naming an option we did not send: we do not ask */
	auth_advance(lcp, auth_parse(opt));
}

static void auth_rejected(void *p)
{
	struct lcp *lcp = p;
	if (lcp->auth_index < 0)
		return;
	log_msg(LOG_LEVEL_WARN, lcp->cfg.tag, "LCP: peer rejected authentication");
	lcp->auth_index = -1;
	lcp_emit(lcp, PPP_EVENT_AUTH_REFUSED, 0, "peer refused to authenticate");
}

static bool magic_build(void *p, struct writer *w)
{
	struct lcp *lcp = p;
	if (!lcp->want_magic)
		return false;
	writer_u32(w, lcp->want.magic);
	return true;
}

static void magic_collision(struct lcp *lcp)
{
	lcp->loop_count++;
	unsigned max = lcp->cfg.loopback_max ? lcp->cfg.loopback_max : 5;
	if (lcp->loop_count >= max) {
		log_msg(LOG_LEVEL_WARN, lcp->cfg.tag, "LCP: serial line is looped back");
		lcp_emit(lcp, PPP_EVENT_LOOPBACK, 0, "Loopback detected");
	}
}

static enum ppp_opt_verdict magic_request(void *p, const struct ppp_option *opt, struct writer *nak)
{
	struct lcp *lcp = p;
	uint32_t magic = load_be32(opt->value);
	/* RFC 1661 §6.4: zero is never valid; a peer magic equal to ours means
	 * a probable loopback: pick a new magic of our own and Nak. */
	if (magic == 0 || (lcp->want_magic && magic == lcp->want.magic)) {
		if (magic != 0) {
			magic_collision(lcp);
			lcp->want.magic = lcp_new_magic(lcp);
		}
		writer_u32(nak, lcp_new_magic(lcp));
		return PPP_OPT_NAK;
	}
	lcp->peer.magic = magic;
	return PPP_OPT_ACK;
}

static void magic_acked(void *p, const struct ppp_option *opt)
{
	struct lcp *lcp = p;
	lcp->local.magic = load_be32(opt->value);
}

static void magic_naked(void *p, const struct ppp_option *opt)
{
	struct lcp *lcp = p;
	(void)opt;
	/* RFC 1661 §6.4: on a Nak a different magic MUST be chosen. */
	if (!lcp->want_magic)
		return;
	magic_collision(lcp);
	lcp->want.magic = lcp_new_magic(lcp);
}

static void magic_rejected(void *p)
{
	((struct lcp *)p)->want_magic = false;
}

static bool pfc_build(void *p, struct writer *w)
{
	(void)w;
	return ((struct lcp *)p)->want.pfc;
}

static enum ppp_opt_verdict pfc_request(void *p, const struct ppp_option *opt, struct writer *nak)
{
	struct lcp *lcp = p;
	(void)opt; (void)nak;
	if (!lcp->cfg.pfc)
		return PPP_OPT_REJECT;
	lcp->peer.pfc = true;
	return PPP_OPT_ACK;
}

static void pfc_acked(void *p, const struct ppp_option *opt)
{
	(void)opt;
	((struct lcp *)p)->local.pfc = true;
}

static void pfc_rejected(void *p)
{
	((struct lcp *)p)->want.pfc = false;
}

static bool acfc_build(void *p, struct writer *w)
{
	(void)w;
	return ((struct lcp *)p)->want.acfc;
}

static enum ppp_opt_verdict acfc_request(void *p, const struct ppp_option *opt, struct writer *nak)
{
	struct lcp *lcp = p;
	(void)opt; (void)nak;
	if (!lcp->cfg.acfc)
		return PPP_OPT_REJECT;
	lcp->peer.acfc = true;
	return PPP_OPT_ACK;
}

static void acfc_acked(void *p, const struct ppp_option *opt)
{
	(void)opt;
	((struct lcp *)p)->local.acfc = true;
}

static void acfc_rejected(void *p)
{
	((struct lcp *)p)->want.acfc = false;
}

/* Callback, MRRU, Endpoint-Discriminator, Link-Discriminator (BACP),
 * Quality-Protocol and everything unknown have no handler: rejected. */
static const struct ppp_option_handler lcp_options[] = {
	{ LCP_OPT_MRU, "MRU", 4, 4, mru_build, mru_request, mru_acked, mru_naked, mru_rejected },
	{ LCP_OPT_ACCM, "ACCM", 6, 6, NULL, accm_request, NULL, NULL, NULL },
	{ LCP_OPT_AUTH, "Authentication-Protocol", 4, 5, auth_build, auth_request, auth_acked, auth_naked,
	  auth_rejected },
	{ LCP_OPT_MAGIC, "Magic-Number", 6, 6, magic_build, magic_request, magic_acked, magic_naked,
	  magic_rejected },
	{ LCP_OPT_PFC, "Protocol-Field-Compression", 2, 2, pfc_build, pfc_request, pfc_acked, NULL,
	  pfc_rejected },
	{ LCP_OPT_ACFC, "Address-and-Control-Field-Compression", 2, 2, acfc_build, acfc_request, acfc_acked,
	  NULL, acfc_rejected },
};

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
	log_msg(LOG_LEVEL_INFO, lcp->cfg.tag, "LCP up: mru %u/%u, auth us->peer %s, peer->us %s",
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
		log_msg(LOG_LEVEL_INFO, lcp->cfg.tag, "LCP: peer rejected protocol 0x%04x (%s)", proto,
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
		     sizeof(lcp_options) / sizeof(lcp_options[0]), lcp, &cfg->fsm, cfg->output, cfg->output_ctx);
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
		log_msg(LOG_LEVEL_INFO, lcp->cfg.tag, "LCP: closing: %s", reason);
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
