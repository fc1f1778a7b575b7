/* SPDX-License-Identifier: BSD-2-Clause */
/* CCP with MPPE; see ccp.h. */
#include "proto/ppp/ccp.h"

#include <string.h>

#include "base/bytes.h"
#include "base/error.h"

static void ccp_emit(struct ccp *ccp, enum ppp_event_type type, uint32_t value, const char *reason)
{
	ppp_fsm_queue_event(&ccp->fsm, type, value, reason);
}

bool ccp_next_event(struct ccp *ccp, struct ppp_event *out)
{
	return ppp_fsm_next_event(&ccp->fsm, out);
}

bool ccp_mppe_required(const struct ccp_config *cfg)
{
	return cfg->mppe40 == CCP_REQUIRED || cfg->mppe56 == CCP_REQUIRED || cfg->mppe128 == CCP_REQUIRED;
}

static uint32_t ccp_acceptable(const struct ccp_config *cfg)
{
	enum ccp_policy need = ccp_mppe_required(cfg) ? CCP_REQUIRED : CCP_ALLOWED;
	uint32_t bits = 0;
	if (cfg->mppe40 >= need)
		bits |= CCP_MPPE_BIT_L;
	if (cfg->mppe56 >= need)
		bits |= CCP_MPPE_BIT_M;
	if (cfg->mppe128 >= need)
		bits |= CCP_MPPE_BIT_S;
	return bits;
}

uint32_t ccp_mppe_resolve(const struct ccp_config *cfg, uint32_t offered)
{
	uint32_t common = offered & ccp_acceptable(cfg);
	uint32_t out;
	/* RFC 3078 §2.1: the strongest common option, exactly one. */
	if (common & CCP_MPPE_BIT_S)
		out = CCP_MPPE_BIT_S;
	else if (common & CCP_MPPE_BIT_M)
		out = CCP_MPPE_BIT_M;
	else if (common & CCP_MPPE_BIT_L)
		out = CCP_MPPE_BIT_L;
	else
		return 0;
	if (cfg->stateless == CCP_REQUIRED || (cfg->stateless == CCP_ALLOWED && (offered & CCP_MPPE_BIT_H)))
		out |= CCP_MPPE_BIT_H;
	if (cfg->mppc && (offered & CCP_MPPE_BIT_C))
		out |= CCP_MPPE_BIT_C;
	return out;
}

/* Report MPPE_REFUSED once; the owner closes LCP with its reason. */
static void ccp_refuse(struct ccp *ccp, const char *why)
{
	if (!ccp_mppe_required(&ccp->cfg) || ccp->refused)
		return;
	log_msg(LOG_LEVEL_WARN, ccp->cfg.tag, "CCP: %s: %s", CCP_MPPE_REFUSED_REASON, why);
	ccp->refused = true;
	ccp_emit(ccp, PPP_EVENT_MPPE_REFUSED, 0, CCP_MPPE_REFUSED_REASON);
}

static bool mppe_build(void *p, struct writer *w)
{
	struct ccp *ccp = p;
	if (!ccp->want_mppe)
		return false;
	writer_u32(w, ccp->want_bits);
	return true;
}

static enum ppp_opt_verdict mppe_request(void *p, const struct ppp_option *opt, struct writer *nak)
{
	struct ccp *ccp = p;
	uint32_t offered = load_be32(opt->value);
	uint32_t answer = ccp_mppe_resolve(&ccp->cfg, offered);
	if (answer == 0) {
		uint32_t ours = ccp_acceptable(&ccp->cfg);
		if (!ours || !ccp_mppe_required(&ccp->cfg))
			return PPP_OPT_REJECT;
		ccp_refuse(ccp, "no common encryption strength");
		/* Tell the peer what we would take. */
		writer_u32(nak, ccp_mppe_resolve(&ccp->cfg, ours | CCP_MPPE_BIT_H));
		return PPP_OPT_NAK;
	}
	if (answer == offered) {
		ccp->tx_bits = offered;
		return PPP_OPT_ACK;
	}
	writer_u32(nak, answer);
	return PPP_OPT_NAK;
}

static void mppe_acked(void *p, const struct ppp_option *opt)
{
	((struct ccp *)p)->rx_bits = load_be32(opt->value);
}

static void mppe_naked(void *p, const struct ppp_option *opt)
{
	struct ccp *ccp = p;
	uint32_t suggested = load_be32(opt->value);
	uint32_t answer = ccp_mppe_resolve(&ccp->cfg, suggested);
	/* RFC 3078 §2.1: re-request what the peer named, or give up. */
	bool h_conflict = ccp->cfg.stateless != CCP_ALLOWED &&
			  (answer & CCP_MPPE_BIT_H) != (suggested & CCP_MPPE_BIT_H);
	if (answer == 0 || h_conflict) {
		ccp_refuse(ccp, answer == 0 ? "peer naked an encryption strength we do not allow"
					    : "stateless mode mismatch");
		if (!ccp_mppe_required(&ccp->cfg))
			ccp->want_mppe = false;
		return;
	}
	ccp->want_bits = answer;
}

static void mppe_rejected(void *p)
{
	struct ccp *ccp = p;
	ccp->want_mppe = false;
	ccp_refuse(ccp, "peer rejected the MPPE option");
}

/* Only MPPE/MPPC (18). Predictor (1, 2), Deflate (26), BSD-Compress (21),
 * Stac (17) ... have no handler and are rejected. */
static const struct ppp_option_handler ccp_options[] = {
	{ CCP_OPT_MPPE, "MPPE", 6, 6, mppe_build, mppe_request, mppe_acked, mppe_naked, mppe_rejected },
};

static void ccp_reset_request_state(void *p)
{
	struct ccp *ccp = p;
	uint32_t ours = ccp_acceptable(&ccp->cfg);
	ccp->want_mppe = ours != 0;
	ccp->want_bits = ours;
	/* RFC 3078 §2.1: request everything we support. */
	if (ccp->cfg.stateless != CCP_REFUSED)
		ccp->want_bits |= CCP_MPPE_BIT_H;
	if (ccp->cfg.mppc)
		ccp->want_bits |= CCP_MPPE_BIT_C;
	ccp->rx_bits = 0;
}

static void ccp_reset_peer(void *p)
{
	((struct ccp *)p)->tx_bits = 0;
}

static void ccp_layer_up(void *p)
{
	struct ccp *ccp = p;
	if (ccp_mppe_required(&ccp->cfg) &&
	    (!(ccp->rx_bits & CCP_MPPE_STRENGTH_BITS) || !(ccp->tx_bits & CCP_MPPE_STRENGTH_BITS))) {
		/* Never an unencrypted session when encryption is required. */
		ccp_refuse(ccp, "CCP opened without MPPE in both directions");
		return;
	}
	log_msg(LOG_LEVEL_DEBUG, ccp->cfg.tag, "CCP up: rx 0x%08x tx 0x%08x", ccp->rx_bits, ccp->tx_bits);
	ccp_emit(ccp, PPP_EVENT_UP, 0, NULL);
}

static void ccp_layer_down(void *p) { ccp_emit(p, PPP_EVENT_DOWN, 0, NULL); }
static void ccp_layer_started(void *p) { ccp_emit(p, PPP_EVENT_STARTING, 0, NULL); }
static void ccp_layer_finished(void *p) { ccp_emit(p, PPP_EVENT_FINISHED, 0, NULL); }

static int ccp_extra_code(void *p, const struct ppp_cp_packet *pkt, uint64_t now)
{
	struct ccp *ccp = p;
	(void)now;
	if (pkt->code != PPP_RESET_REQ && pkt->code != PPP_RESET_ACK)
		return ERR_UNKNOWN_TYPE;
	/* RFC 1962 §1.1: only meaningful once CCP is Opened. */
	if (ccp->fsm.state != PPP_STATE_OPENED)
		return ERR_STATE;
	ccp_emit(ccp, pkt->code == PPP_RESET_REQ ? PPP_EVENT_RESET_REQUEST : PPP_EVENT_RESET_ACK, pkt->id,
		 NULL);
	return 0;
}

static const struct ppp_fsm_ops ccp_ops = {
	.layer_up = ccp_layer_up,
	.layer_down = ccp_layer_down,
	.layer_started = ccp_layer_started,
	.layer_finished = ccp_layer_finished,
	.reset_request = ccp_reset_request_state,
	.reset_peer = ccp_reset_peer,
	.extra_code = ccp_extra_code,
};

int ccp_init(struct ccp *ccp, const struct ccp_config *cfg)
{
	if (!cfg || !cfg->output)
		return ERR_INVALID;
	memset(ccp, 0, sizeof(*ccp));
	ccp->cfg = *cfg;
	ppp_fsm_init(&ccp->fsm, PPP_PROTO_CCP, "CCP", &ccp_ops, ccp_options,
		     sizeof(ccp_options) / sizeof(ccp_options[0]), ccp, &cfg->fsm, cfg->output, cfg->output_ctx);
	ccp->fsm.tag = cfg->tag;
	ccp_reset_request_state(ccp);
	return 0;
}

void ccp_lower_up(struct ccp *ccp, uint64_t now_ms)
{
	ccp->peer_rejected = false;
	ppp_fsm_lower_up(&ccp->fsm, now_ms);
}
void ccp_lower_down(struct ccp *ccp, uint64_t now_ms) { ppp_fsm_lower_down(&ccp->fsm, now_ms); }
void ccp_open(struct ccp *ccp, uint64_t now_ms) { ppp_fsm_open(&ccp->fsm, now_ms); }
void ccp_close(struct ccp *ccp, const char *reason, uint64_t now_ms)
{
	ppp_fsm_close(&ccp->fsm, reason, now_ms);
}

int ccp_input(struct ccp *ccp, const uint8_t *buf, size_t len, uint64_t now_ms)
{
	return ppp_fsm_input(&ccp->fsm, buf, len, now_ms);
}

void ccp_protocol_rejected(struct ccp *ccp, uint64_t now_ms)
{
	ccp->peer_rejected = true;
	ppp_fsm_protocol_rejected(&ccp->fsm, now_ms);
	ccp_refuse(ccp, "peer rejected the CCP protocol");
}

uint64_t ccp_next_deadline(const struct ccp *ccp) { return ppp_fsm_next_deadline(&ccp->fsm); }

void ccp_on_timeout(struct ccp *ccp, uint64_t now_ms)
{
	enum ppp_fsm_state before = ccp->fsm.state;
	ppp_fsm_on_timeout(&ccp->fsm, now_ms);
	if (ccp->fsm.state == PPP_STATE_STOPPED && before >= PPP_STATE_REQ_SENT &&
	    before <= PPP_STATE_ACK_SENT)
		ccp_refuse(ccp, "CCP negotiation timed out");
}

int ccp_send_reset_request(struct ccp *ccp)
{
	if (ccp->fsm.state != PPP_STATE_OPENED)
		return ERR_STATE;
	uint8_t id = ppp_fsm_new_id(&ccp->fsm);
	ppp_fsm_send(&ccp->fsm, PPP_RESET_REQ, id, NULL, 0);
	return id;
}

/* RFC 1962 §2.1: a peer sends compressed datagrams only once its CCP is
 * Opened. One that reaches us while ours is Stopped (we gave up after
 * Max-Configure, RFC 1661 §4.6, because the Configure-Ack to our last
 * request was lost, though the peer had acked it and seen its own request
 * acked) or Closed means the two ends disagree, and nothing in the
 * automaton would ever tell the peer: it encrypts, we do not decrypt, and
 * with MPPE optional on our side the session carries no traffic for ever
 * (simulation seed 278189). RFC 1661 §4.2 (Stopped: "upon reception of
 * ... other packets, a Terminate-Ack is sent"; Closed answers only a
 * Configure-Request so, and we stretch it here) and §5.5 ("an unelicited
 * Terminate-Ack indicates that the peer is in the Closed or Stopped
 * states, or is otherwise in need of re-negotiation"): we send one;
 * the peer's Opened automaton runs RTA (tld, scr), our Stopped one answers
 * its Configure-Request (RCR: irc, scr, sca), and the ends converge (pppd
 * instead ends the link, "MPPE disabled", as it does whenever its CCP goes
 * down with MPPE: the ends agree too). At most one per Restart interval, so
 * a burst of datagrams still in flight does not restart a negotiation
 * already under way. Never after the peer Protocol-Rejected CCP: RFC 1661
 * §5.7, we MUST stop sending the rejected protocol (a stray or spoofed
 * 0x00FD would draw one). */
bool ccp_compressed_while_down(struct ccp *ccp, uint64_t now_ms)
{
	enum ppp_fsm_state s = ccp->fsm.state;
	if (ccp->peer_rejected || (s != PPP_STATE_STOPPED && s != PPP_STATE_CLOSED) ||
	    now_ms < ccp->term_ack_not_before)
		return false;
	ccp->term_ack_not_before = now_ms + ccp->fsm.cfg.restart_ms;
	log_limited(&ccp->fsm.limit, now_ms, LOG_LEVEL_INFO, ccp->cfg.tag,
		    "CCP: compressed data from a peer that thinks CCP is open (ours %s): Terminate-Ack to renegotiate",
		    ppp_fsm_state_name(s));
	ppp_fsm_send(&ccp->fsm, PPP_TERM_ACK, ppp_fsm_new_id(&ccp->fsm), NULL, 0);
	return true;
}

void ccp_send_reset_ack(struct ccp *ccp, uint8_t id)
{
	if (ccp->fsm.state == PPP_STATE_OPENED)
		ppp_fsm_send(&ccp->fsm, PPP_RESET_ACK, id, NULL, 0);
}
