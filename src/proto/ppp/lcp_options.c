/* SPDX-License-Identifier: BSD-2-Clause */
/* LCP's Configuration Options (RFC 1661 §6, RFC 1994 §3 for the
 * authentication protocol): one handler each, in the table the RFC 1661
 * automaton walks (fsm.h). Split from lcp.c, which keeps the automaton
 * hooks, echo and the public entry points. */
#include <string.h>

#include "base/bytes.h"
#include "base/error.h"
#include "proto/ppp/lcp.h"
#include "proto/ppp/lcp_internal.h"

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

/* RFC 1661 §5.3: Nak with a value we would accept. SPAP (0xC027) is never
 * accepted: we suggest the strongest method we allow (as the one to be
 * authenticated: auth_accept; as the authenticator, which accepts none
 * from the peer: the first we offer), and refuse a peer that insists. */
static enum ppp_opt_verdict auth_spap(struct lcp *lcp, struct writer *nak)
{
	enum auth_method best = auth_preferred_accept(lcp);
	if (best == AUTH_METHOD_NONE)
		best = lcp->cfg.auth_offer[0];
	if (++lcp->spap_requests >= LCP_SPAP_INSIST_MAX && lcp->cfg.auth_accept) {
		log_limited(&lcp->fsm.limit, lcp->fsm.now, LOG_LEVEL_WARN, lcp->cfg.tag, "LCP: %s", LCP_SPAP_REFUSED_REASON);
		lcp_emit(lcp, PPP_EVENT_AUTH_REFUSED, 0, LCP_SPAP_REFUSED_REASON);
		return PPP_OPT_REJECT;
	}
	log_limited(&lcp->fsm.limit, lcp->fsm.now, LOG_LEVEL_INFO, lcp->cfg.tag,
		    "LCP: peer asks authentication SPAP (Shiva, unsupported), we suggest %s", auth_method_name(best));
	if (best == AUTH_METHOD_NONE)
		return PPP_OPT_REJECT;
	auth_write(nak, best);
	return PPP_OPT_NAK;
}

static enum ppp_opt_verdict auth_request(void *p, const struct ppp_option *opt, struct writer *nak)
{
	struct lcp *lcp = p;
	if (opt->value_len >= 2 && ((unsigned)opt->value[0] << 8 | opt->value[1]) == PPP_PROTO_SPAP)
		return auth_spap(lcp, nak);
	enum auth_method m = auth_parse(opt);
	if (m != AUTH_METHOD_NONE && (lcp->cfg.auth_accept & AUTH_METHOD_BIT(m))) {
		lcp->peer.auth = m;
		return PPP_OPT_ACK;
	}
	enum auth_method best = auth_preferred_accept(lcp);
	log_limited(&lcp->fsm.limit, lcp->fsm.now, LOG_LEVEL_INFO, lcp->cfg.tag, "LCP: peer asks authentication %s, we %s %s",
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
		log_limited(&lcp->fsm.limit, lcp->fsm.now, LOG_LEVEL_WARN, lcp->cfg.tag, "LCP: peer refused every authentication method we allow");
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
	log_limited(&lcp->fsm.limit, lcp->fsm.now, LOG_LEVEL_WARN, lcp->cfg.tag, "LCP: peer rejected authentication");
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
		log_limited(&lcp->fsm.limit, lcp->fsm.now, LOG_LEVEL_WARN, lcp->cfg.tag, "LCP: serial line is looped back");
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
const struct ppp_option_handler lcp_options[] = {
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

const size_t lcp_option_count = sizeof(lcp_options) / sizeof(lcp_options[0]);
