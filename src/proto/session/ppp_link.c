/* SPDX-License-Identifier: BSD-2-Clause */
/* One PPP link: the RFC 1661 §3.2 phase machine gluing LCP, authentication
 * (ppp_link_auth.c), and CCP + MPPE, IPCP and IPV6CP (ppp_link_ncp.c).
 *
 * Events out, both ways. LCP, the NCPs and the authentication engine
 * queue their events; the link drains them (ppp_link_drain) after each
 * call into them, so acting on an event (closing LCP, tearing the auth
 * engine down) never runs inside the engine that raised it. The link in
 * turn queues AUTHENTICATED / MPPE_UP / UP / DOWN for its owner, who takes
 * them with ppp_link_next_event() after each call into the link. */
#include "proto/session/ppp_link.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text_escape.h"
#include "proto/session/ppp_link_internal.h"

/* A line every call repeats (phase, closing, link down): through the
 * limiter the owner shares across calls (ppp_link_config.log_limit) when
 * there is one; a lone link says each only a bounded number of times. */
static void __attribute__((format(printf, 3, 4)))
churn_log(struct ppp_link *link, enum log_level level, const char *fmt, ...)
{
	char line[LINK_REASON_MAX + 128];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (link->cfg.log_limit)
		log_limited(link->cfg.log_limit, link->now, level, link->cfg.tag, "%s", line);
	else
		log_msg(level, link->cfg.tag, "%s", line);
}

/* A link's ending: the server's log line for it; a client's daemon says it
 * once in its own words (client_report.c), so there it is debug. */
static enum log_level link_news_level(const struct ppp_link *link, enum log_level server_level)
{
	return link->cfg.role == PPP_LINK_CLIENT ? LOG_LEVEL_DEBUG : server_level;
}

void link_set_phase(struct ppp_link *link, enum ppp_link_phase phase)
{
	if (link->phase == phase)
		return;
	churn_log(link, LOG_LEVEL_DEBUG, "phase %s -> %s", ppp_link_phase_name(link->phase),
		  ppp_link_phase_name(phase));
	link->phase = phase;
}

/* ---- output ---- */

void ppp_link_frame_config(const struct ppp_link *link, struct ppp_frame_config *fc)
{
	lcp_frame_config(&link->lcp, fc);
	/* ACFC/PFC towards the peer only once LCP is Opened (RFC 1661 §6.5/6.6:
	 * the compressed forms are used only after the option was agreed). */
	if (!lcp_is_opened(&link->lcp)) {
		fc->tx_acfc = false;
		fc->tx_pfc = false;
	}
}

void link_send_control(void *ctx, uint16_t protocol, const uint8_t *packet, size_t len)
{
	struct ppp_link *link = ctx;
	if (link->phase == PPP_PHASE_DEAD || len > PKT_SIZE - PKT_HEADROOM)
		return;
	struct pkt *p = pkt_new(PKT_SIZE, PKT_HEADROOM);
	if (!p)
		return;
	memcpy(pkt_put(p, len), packet, len);
	struct ppp_frame_config fc;
	ppp_link_frame_config(link, &fc);
	if (ppp_frame_encode(&fc, p, protocol) < 0) {
		pkt_free(p);
		return;
	}
	ppp_link_log_packet(link->cfg.tag, "sent", protocol, packet, len);
	link->cfg.output(link->cfg.ctx, p);
}

/* ---- events out ---- */

void link_queue_event(struct ppp_link *link, const struct link_note *note)
{
	if (link->events_len == LINK_EVENTS_MAX) {
		link->events_lost++;
		log_msg(LOG_LEVEL_ERROR, link->cfg.tag, "event queue full: event %d lost", (int)note->type);
		return;
	}
	link->events[(link->events_head + link->events_len) % LINK_EVENTS_MAX] = *note;
	link->events_len++;
}

bool ppp_link_next_event(struct ppp_link *link, struct ppp_link_event *out)
{
	_Static_assert(sizeof(out->user) == AUTH_MAX_NAME + 1, "a user name fits the event");
	if (!link->events_len)
		return false;
	const struct link_note *n = &link->events[link->events_head];
	memset(out, 0, sizeof(*out));
	out->type = n->type;
	out->local_address = n->local_address;
	out->peer_address = n->peer_address;
	memcpy(out->dns, n->dns, sizeof(out->dns));
	memcpy(out->nbns, n->nbns, sizeof(out->nbns));
	out->mtu = n->mtu;
	out->mppe_bits = n->mppe_bits;
	out->mppe_stateless = n->mppe_stateless;
	out->mppc = n->mppc;
	out->ipv6 = n->ipv6;
	if (link_auth_verified(link))
		text_escape_str(out->user, sizeof(out->user), link->user); /* to logs, status */
	out->auth = link->auth_method;
	if (n->type == PPP_LINK_EVENT_DOWN) {
		out->cause = link->cause;
		snprintf(out->reason, sizeof(out->reason), "%s", link->reason);
	}
	link->events_head = (link->events_head + 1) % LINK_EVENTS_MAX;
	link->events_len--;
	return true;
}

/* ---- closing ---- */

void link_set_cause(struct ppp_link *link, enum ppp_link_cause cause, const char *reason)
{
	if (link->cause != PPP_CAUSE_NONE)
		return;
	link->cause = cause;
	snprintf(link->reason, sizeof(link->reason), "%s", reason ? reason : "");
}

/* LCP Terminate-Request (RFC 1661 §3.7); its text is the first reason
 * given, like the link's cause. Runs from the drain, never inside an
 * engine. */
static void link_request_close(struct ppp_link *link, const char *term_text)
{
	if (link->phase == PPP_PHASE_DEAD)
		return;
	if (!link->term_text[0])
		snprintf(link->term_text, sizeof(link->term_text), "%s", term_text);
	link_set_phase(link, PPP_PHASE_TERMINATE);
	lcp_close(&link->lcp, link->term_text, link->now);
}

void link_fail(struct ppp_link *link, enum ppp_link_cause cause, const char *term_text, const char *fmt, ...)
{
	char reason[LINK_REASON_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (link->cause == PPP_CAUSE_NONE)
		churn_log(link, link_news_level(link, LOG_LEVEL_WARN), "closing link (%s): %s", ppp_link_cause_name(cause),
			  reason);
	link_set_cause(link, cause, reason);
	link_request_close(link, term_text ? term_text : reason);
}

/* Dead: report DOWN exactly once. */
static void link_dead(struct ppp_link *link, enum ppp_link_cause fallback, const char *fallback_reason)
{
	if (link->life == LINK_LIFE_DOWN)
		return;
	link_set_cause(link, fallback, fallback_reason);
	link_ncps_down(link);
	link_auth_stop(link);
	link_set_phase(link, PPP_PHASE_DEAD);
	link->life = LINK_LIFE_DOWN;
	churn_log(link, link_news_level(link, LOG_LEVEL_INFO), "link down (%s): %s", ppp_link_cause_name(link->cause),
		  link->reason[0] ? link->reason : "-");
	struct link_note n = { .type = PPP_LINK_EVENT_DOWN };
	link_queue_event(link, &n);
}

/* ---- LCP ---- */

/* A peer's Terminate text, mapped to a cause where it says something
 * we can act on (ours and pppd's texts). Once the link was up, any
 * Terminate-Request is a hang-up: PPP_QUIRK_TERMINATE_SAYS_MPPE_DISABLED. */
static enum ppp_link_cause peer_reason_cause(const struct ppp_link *link, const char *reason)
{
	if (!reason || link->life == LINK_LIFE_UP)
		return PPP_CAUSE_PEER_TERMINATE;
	if (strstr(reason, "MPPE"))
		return PPP_CAUSE_MPPE_REFUSED;
	if (strstr(reason, "refused to authenticate"))
		return PPP_CAUSE_NO_AUTH_METHOD;
	if (strstr(reason, "Authentication failed") || strstr(reason, "Failed to authenticate"))
		return PPP_CAUSE_AUTH_FAILED;
	return PPP_CAUSE_PEER_TERMINATE;
}

static void link_lcp_protocol_reject(struct ppp_link *link, uint16_t protocol)
{
	if (protocol == PPP_PROTO_CCP && link->ccp_state != NCP_OFF)
		ccp_protocol_rejected(&link->ccp, link->now);
	else if (protocol == PPP_PROTO_IPCP && link->ipcp_state != NCP_OFF)
		link_fail(link, PPP_CAUSE_IPCP_FAILED, NULL, "peer rejected IPCP");
	else if (protocol == PPP_PROTO_IPV6CP && link->ipv6cp_state != NCP_OFF)
		ipv6cp_protocol_rejected(&link->ipv6cp, link->now);
	else if (link->auth_state == LINK_AUTH_RUNNING && protocol == link->auth.ops->ppp_protocol)
		link_fail(link, PPP_CAUSE_NO_AUTH_METHOD, "peer refused to authenticate", "peer Protocol-Rejected %s",
			  ppp_protocol_name(protocol));
}

static void link_lcp_event(struct ppp_link *link, const struct ppp_event *ev)
{
	char buf[LINK_REASON_MAX];
	switch (ev->type) {
	case PPP_EVENT_UP:
		if (!lcp_is_opened(&link->lcp))
			break; /* stale: we closed LCP since it came up */
		/* A Terminate-Request during negotiation followed by a peer that
		 * negotiated anyway: that was not the end of the link. */
		if (link->cause_from_peer) {
			link->cause = PPP_CAUSE_NONE;
			link->reason[0] = '\0';
		}
		link->cause_from_peer = false;
		link->lcp_was_opened = true;
		link_start_auth(link);
		break;
	case PPP_EVENT_DOWN:
		link_ncps_down(link);
		link_auth_stop(link);
		link->auth_state = LINK_AUTH_IDLE; /* a new LCP means a new authentication */
		if (link->life == LINK_LIFE_UP || link->cause != PPP_CAUSE_NONE || link->phase == PPP_PHASE_TERMINATE) {
			link_set_phase(link, PPP_PHASE_TERMINATE);
			if (link->cause == PPP_CAUSE_NONE)
				link_fail(link, PPP_CAUSE_PEER_TERMINATE, NULL, "peer renegotiated LCP after the link was up");
		} else {
			link_set_phase(link, PPP_PHASE_ESTABLISH); /* renegotiation before UP */
		}
		break;
	case PPP_EVENT_FINISHED:
		link_dead(link, PPP_CAUSE_LCP_FAILED,
			  link->lcp_was_opened ? "LCP finished" : "LCP negotiation failed (no agreement or no answer)");
		break;
	case PPP_EVENT_PEER_TERMINATE:
		snprintf(buf, sizeof(buf), "peer: %s", ev->reason && *ev->reason ? ev->reason : "(no reason)");
		if (link->cause == PPP_CAUSE_NONE)
			link->cause_from_peer = !lcp_is_opened(&link->lcp);
		link_set_cause(link, peer_reason_cause(link, ev->reason), buf);
		break;
	case PPP_EVENT_PROTOCOL_REJECT:
		link_lcp_protocol_reject(link, (uint16_t)ev->value);
		break;
	case PPP_EVENT_ECHO_TIMEOUT:
		link_set_cause(link, PPP_CAUSE_ECHO_TIMEOUT, ev->reason ? ev->reason : "Peer not responding");
		link_set_phase(link, PPP_PHASE_TERMINATE);
		break;
	case PPP_EVENT_LOOPBACK:
		/* LCP reports, the link closes (lcp.h), with LCP's text. */
		link_set_cause(link, PPP_CAUSE_LOOPBACK, ev->reason ? ev->reason : "Loopback detected");
		link_request_close(link, ev->reason ? ev->reason : "Loopback detected");
		break;
	case PPP_EVENT_AUTH_REFUSED:
		link_set_cause(link, PPP_CAUSE_NO_AUTH_METHOD, ev->reason ? ev->reason : "peer refused to authenticate");
		link_request_close(link, ev->reason ? ev->reason : "peer refused to authenticate");
		break;
	default:
		break;
	}
}

/* One dispatcher for the four control protocols. Events still queued by
 * an NCP that has been stopped, or by anything once the link is dead, are
 * moot: what they would do was done by whoever stopped it. */
static void link_engine_event(struct ppp_link *link, const struct ppp_event *ev)
{
	if (link->life == LINK_LIFE_DOWN)
		return;
	switch (ev->protocol) {
	case PPP_PROTO_LCP:
		link_lcp_event(link, ev);
		break;
	case PPP_PROTO_CCP:
		if (link->ccp_state != NCP_OFF)
			link_ccp_event(link, ev);
		break;
	case PPP_PROTO_IPCP:
		if (link->ipcp_state != NCP_OFF)
			link_ipcp_event(link, ev);
		break;
	case PPP_PROTO_IPV6CP:
		if (link->ipv6cp_state != NCP_OFF)
			link_ipv6cp_event(link, ev);
		break;
	default:
		break;
	}
}

/* Take every event the engines have queued, until none is left. Acting on
 * one may call another engine, which queues more; every handler moves a
 * state forward, so this ends. */
void ppp_link_drain(struct ppp_link *link)
{
	struct ppp_event ev;
	const struct auth_result *r;
	for (;;) {
		if (lcp_next_event(&link->lcp, &ev))
			link_engine_event(link, &ev);
		else if (link_auth_running(link) && (r = auth_next_result(&link->auth)) != NULL)
			link_auth_result(link, r);
		else if (link_auth_running(link) && auth_next_verify(&link->auth) != NULL)
			link_queue_event(link, &(struct link_note){ .type = PPP_LINK_EVENT_VERIFY });
		else if (ccp_next_event(&link->ccp, &ev) || ipcp_next_event(&link->ipcp, &ev) ||
			 ipv6cp_next_event(&link->ipv6cp, &ev))
			link_engine_event(link, &ev);
		else
			return;
	}
}

/* ---- lifecycle ---- */

struct ppp_link *ppp_link_new(const struct ppp_link_config *config)
{
	if (!config || !config->random.fill || !config->output)
		return NULL;
	struct ppp_link *link = calloc(1, sizeof(*link));
	if (!link)
		return NULL;
	link->cfg = *config;
	link->limit = (struct log_limit)LOG_LIMIT_INIT(5, 10000);
	const struct ppp_link_config *c = &link->cfg;

	struct lcp_config lc;
	memset(&lc, 0, sizeof(lc));
	lc.tag = c->tag;
	lc.fsm.restart_ms = c->restart_ms;
	lc.fsm.max_configure = (uint8_t)(c->max_configure > 255 ? 255 : c->max_configure);
	lc.mru = c->mru ? c->mru : LINK_DEFAULT_MRU;
	link_auth_lcp_config(link, &lc);
	lc.pfc = true;
	lc.acfc = true;
	lc.echo_interval_ms = c->lcp_echo_interval_ms;
	lc.echo_failures = c->lcp_echo_failures;
	lc.random = &link->cfg.random;
	lc.output = link_send_control;
	lc.output_ctx = link;
	if (lcp_init(&link->lcp, &lc) < 0) {
		free(link);
		return NULL;
	}
	log_msg(LOG_LEVEL_DEBUG, c->tag, "link created: %s, auth 0x%x, mppe %s%s%s%s",
		c->role == PPP_LINK_SERVER ? "server" : "client", link_auth_allowed(link),
		c->mppe.required ? "required" : "optional", c->mppe.allow_128 ? " 128" : "",
		c->mppe.allow_56 ? " 56" : "", c->mppe.allow_40 ? " 40" : "");
	return link;
}

void ppp_link_free(struct ppp_link *link)
{
	if (!link)
		return;
	link_auth_stop(link);
	if (link->mppe_on)
		mppe_channel_wipe(&link->mppe);
	crypto_wipe(link, sizeof(*link));
	free(link);
}

void ppp_link_start(struct ppp_link *link, uint64_t now_ms)
{
	if (link->life != LINK_LIFE_NEW)
		return;
	link->life = LINK_LIFE_STARTED;
	link->now = now_ms;
	link_set_phase(link, PPP_PHASE_ESTABLISH);
	lcp_lower_up(&link->lcp, now_ms);
	lcp_open(&link->lcp, now_ms);
	ppp_link_drain(link);
}

void ppp_link_close(struct ppp_link *link, const char *reason, uint64_t now_ms)
{
	if (link->life == LINK_LIFE_NEW || link->phase == PPP_PHASE_DEAD)
		return;
	link->now = now_ms;
	const char *r = reason && *reason ? reason : "Administrative close";
	link_set_cause(link, PPP_CAUSE_LOCAL_CLOSE, r);
	link_request_close(link, r);
	ppp_link_drain(link);
}

void ppp_link_lower_down(struct ppp_link *link, uint64_t now_ms)
{
	if (link->life == LINK_LIFE_NEW || link->life == LINK_LIFE_DOWN)
		return;
	link->now = now_ms;
	link_set_cause(link, PPP_CAUSE_LOWER_DOWN, "lower layer down (call cleared)");
	lcp_lower_down(&link->lcp, now_ms);
	/* Dead before LCP's DOWN is taken: its consequences are moot. */
	link_dead(link, PPP_CAUSE_LOWER_DOWN, NULL);
	ppp_link_drain(link);
}

const char *ppp_link_peer_identification(const struct ppp_link *link, unsigned i)
{
	return lcp_peer_identification(&link->lcp, i);
}

bool ppp_link_is_up(const struct ppp_link *link)
{
	return link->life == LINK_LIFE_UP && link->phase == PPP_PHASE_NETWORK;
}

enum ppp_link_phase ppp_link_phase(const struct ppp_link *link)
{
	return link->phase;
}

void ppp_link_get_stats(const struct ppp_link *link, struct ppp_link_stats *out)
{
	*out = link->stats;
	if (link->mppe_on && link->mppe.cfg.key_bits != 0) {
		const struct mppe_rx_stats *m = &link->mppe.rx.stats;
		out->mppe_lost = m->lost;
		out->mppe_recovered = m->recovered;
		out->mppe_garbage = m->garbage;
		out->mppe_garbage_resyncs = m->garbage_resyncs;
		out->mppe_over_budget = m->over_budget;
	}
}

/* ---- timers ---- */

uint64_t ppp_link_next_deadline(const struct ppp_link *link)
{
	if (link->life == LINK_LIFE_NEW || link->phase == PPP_PHASE_DEAD)
		return DEADLINE_NONE;
	uint64_t d = lcp_next_deadline(&link->lcp);
	if (link_auth_running(link))
		d = deadline_min(d, auth_next_deadline(&link->auth));
	if (link->ccp_state != NCP_OFF)
		d = deadline_min(d, ccp_next_deadline(&link->ccp));
	if (link->ipcp_state != NCP_OFF)
		d = deadline_min(d, ipcp_next_deadline(&link->ipcp));
	if (link->ipv6cp_state != NCP_OFF)
		d = deadline_min(d, ipv6cp_next_deadline(&link->ipv6cp));
	return deadline_min(d, link_ipv6_next_deadline(link));
}

void ppp_link_on_timeout(struct ppp_link *link, uint64_t now_ms)
{
	if (link->life == LINK_LIFE_NEW || link->phase == PPP_PHASE_DEAD)
		return;
	link->now = now_ms;
	/* Each engine's events are taken before the next engine runs: LCP
	 * going down stops the others' timers. */
	if (lcp_next_deadline(&link->lcp) <= now_ms)
		lcp_on_timeout(&link->lcp, now_ms);
	ppp_link_drain(link);
	if (link_auth_running(link) && auth_next_deadline(&link->auth) <= now_ms)
		auth_on_timeout(&link->auth, now_ms);
	ppp_link_drain(link);
	if (link->ccp_state != NCP_OFF && ccp_next_deadline(&link->ccp) <= now_ms)
		ccp_on_timeout(&link->ccp, now_ms);
	ppp_link_drain(link);
	if (link->ipcp_state != NCP_OFF && ipcp_next_deadline(&link->ipcp) <= now_ms)
		ipcp_on_timeout(&link->ipcp, now_ms);
	ppp_link_drain(link);
	if (link->ipv6cp_state != NCP_OFF && ipv6cp_next_deadline(&link->ipv6cp) <= now_ms)
		ipv6cp_on_timeout(&link->ipv6cp, now_ms);
	ppp_link_drain(link);
	if (link_ipv6_next_deadline(link) <= now_ms)
		link_ipv6_on_timeout(link, now_ms);
}
