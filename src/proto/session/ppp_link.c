/* One PPP link: the RFC 1661 §3.2 phase machine gluing LCP, authentication
 * (src/proto/auth), CCP + MPPE (src/proto/mppe), IPCP and IPV6CP.
 *
 * Events out (proto/ppp/ppp.h, proto/auth/auth.h): LCP, the NCPs and the
 * authentication engine queue their events; the link drains them
 * (ppp_link_drain) after each call into them, so acting on an event
 * (closing LCP, tearing the auth engine down) never runs inside the engine
 * that raised it. */
#include "proto/session/ppp_link.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/session/ppp_link_internal.h"

static void link_engine_event(struct ppp_link *link, const struct ppp_event *ev);
static void link_auth_result(struct ppp_link *link, const struct auth_result *r);

/* Strongest first (ppp_link.h). */
static const struct {
	enum ppp_link_auth link;
	enum ppp_auth_method lcp;
	enum auth_method engine;
} auth_map[] = {
	{ PPP_LINK_AUTH_MSCHAPV2, PPP_AUTH_MSCHAP_V2, AUTH_METHOD_MSCHAPV2 },
	{ PPP_LINK_AUTH_MSCHAPV1, PPP_AUTH_MSCHAP_V1, AUTH_METHOD_MSCHAPV1 },
	{ PPP_LINK_AUTH_EAP_MD5, PPP_AUTH_EAP, AUTH_METHOD_EAP },
	{ PPP_LINK_AUTH_CHAP_MD5, PPP_AUTH_CHAP_MD5, AUTH_METHOD_CHAP_MD5 },
	{ PPP_LINK_AUTH_PAP, PPP_AUTH_PAP, AUTH_METHOD_PAP },
};
#define AUTH_MAP_N (sizeof(auth_map) / sizeof(auth_map[0]))

static unsigned link_auth_allowed(const struct ppp_link *link)
{
	return link->cfg.auth_allowed ? link->cfg.auth_allowed : (unsigned)PPP_LINK_AUTH_MSCHAPV2;
}

static void link_set_phase(struct ppp_link *link, enum ppp_link_phase phase)
{
	if (link->phase == phase)
		return;
	log_msg(LOG_LEVEL_INFO, link->cfg.tag, "phase %s -> %s", ppp_link_phase_name(link->phase),
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

static void link_send_control(void *ctx, uint16_t protocol, const uint8_t *packet, size_t len)
{
	struct ppp_link *link = ctx;
	if (link->phase == PPP_PHASE_DEAD || len > PKT_SIZE - PKT_HEADROOM)
		return;
	struct pkt *p = pkt_alloc(PKT_SIZE, PKT_HEADROOM);
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

static void link_emit(struct ppp_link *link, struct ppp_link_event *ev)
{
	_Static_assert(sizeof(ev->user) == AUTH_MAX_NAME + 1, "a user name fits the event");
	if (link->auth_ok)
		snprintf(ev->user, sizeof(ev->user), "%s", link->user);
	ev->auth = link->auth_method;
	if (link->cfg.event)
		link->cfg.event(link->cfg.ctx, ev);
}

/* ---- closing ---- */

/* Record why the link ends (the first reason wins) and ask for LCP
 * Terminate once the current call returns. */
static void link_fail(struct ppp_link *link, enum ppp_link_cause cause, const char *term_text, const char *fmt,
		      ...) __attribute__((format(printf, 4, 5)));

static void link_set_cause(struct ppp_link *link, enum ppp_link_cause cause, const char *reason)
{
	if (link->cause != PPP_CAUSE_NONE)
		return;
	link->cause = cause;
	snprintf(link->reason, sizeof(link->reason), "%s", reason ? reason : "");
}

/* LCP Terminate-Request (RFC 1661 §3.7); its text is the first reason
 * given, like the link's cause. Called from the drain, never from inside
 * an engine. */
static void link_request_close(struct ppp_link *link, const char *term_text)
{
	if (link->phase == PPP_PHASE_DEAD)
		return;
	if (!link->term_text[0])
		snprintf(link->term_text, sizeof(link->term_text), "%s", term_text);
	link_set_phase(link, PPP_PHASE_TERMINATE);
	lcp_close(&link->lcp, link->term_text, link->now);
}

static void link_fail(struct ppp_link *link, enum ppp_link_cause cause, const char *term_text, const char *fmt,
		      ...)
{
	char reason[LINK_REASON_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (link->cause == PPP_CAUSE_NONE)
		log_msg(LOG_LEVEL_WARN, link->cfg.tag, "closing link (%s): %s", ppp_link_cause_name(cause), reason);
	link_set_cause(link, cause, reason);
	link_request_close(link, term_text ? term_text : reason);
}

static void link_ncps_down(struct ppp_link *link)
{
	uint64_t now = link->now;
	if (link->ccp_on)
		ccp_lower_down(&link->ccp, now);
	if (link->ipcp_on)
		ipcp_lower_down(&link->ipcp, now);
	if (link->ipv6cp_on)
		ipv6cp_lower_down(&link->ipv6cp, now);
	link->ccp_on = link->ipcp_on = link->ipv6cp_on = false;
	link->ccp_up = link->ipcp_up = link->ipv6cp_up = false;
	if (link->mppe_on) {
		mppe_channel_clear(&link->mppe);
		link->mppe_on = false;
	}
}

static void link_auth_stop(struct ppp_link *link)
{
	if (link->auth_on) {
		auth_destroy(&link->auth);
		link->auth_on = false;
	}
	crypto_wipe(&link->material, sizeof(link->material));
}

/* Dead: report DOWN exactly once. */
static void link_dead(struct ppp_link *link, enum ppp_link_cause fallback, const char *fallback_reason)
{
	if (link->down_reported)
		return;
	link_set_cause(link, fallback, fallback_reason);
	link_ncps_down(link);
	link_auth_stop(link);
	link_set_phase(link, PPP_PHASE_DEAD);
	link->down_reported = true;
	log_msg(LOG_LEVEL_INFO, link->cfg.tag, "link down (%s): %s", ppp_link_cause_name(link->cause),
		link->reason[0] ? link->reason : "-");
	struct ppp_link_event ev = { .type = PPP_LINK_EVENT_DOWN, .cause = link->cause };
	snprintf(ev.reason, sizeof(ev.reason), "%s", link->reason);
	link_emit(link, &ev);
}

/* Take every event the engines have queued, until none is left (acting
 * on one may call another engine, which queues more; every handler moves
 * a state forward, so this ends). */
void ppp_link_drain(struct ppp_link *link)
{
	struct ppp_event ev;
	const struct auth_result *r;
	for (;;) {
		if (lcp_next_event(&link->lcp, &ev))
			link_engine_event(link, &ev);
		else if (link->auth_on && (r = auth_next_result(&link->auth)) != NULL)
			link_auth_result(link, r);
		else if (ccp_next_event(&link->ccp, &ev) || ipcp_next_event(&link->ipcp, &ev) ||
			 ipv6cp_next_event(&link->ipv6cp, &ev))
			link_engine_event(link, &ev);
		else
			return;
	}
}

/* ---- up ---- */

uint16_t ppp_link_mtu(const struct ppp_link *link)
{
	uint16_t rx = link->lcp.local.mru ? link->lcp.local.mru : 1500;
	uint16_t tx = link->lcp.peer.mru ? link->lcp.peer.mru : 1500;
	uint16_t mtu = rx < tx ? rx : tx;
	/* Conservative: the overhead is reserved whenever CCP runs, so the MTU
	 * the TUN got at UP stays valid when MPPE comes up after IPCP. */
	if (link->ccp_on && mtu > LINK_MPPE_OVERHEAD)
		mtu = (uint16_t)(mtu - LINK_MPPE_OVERHEAD);
	return mtu;
}

bool ppp_link_mppe_required(const struct ppp_link *link)
{
	return link->cfg.mppe.required;
}

static void link_check_up(struct ppp_link *link)
{
	if (link->up_reported || link->phase != PPP_PHASE_NETWORK || !link->ipcp_up)
		return;
	if (ppp_link_mppe_required(link) && !link->mppe_on)
		return;
	link->up_reported = true;
	struct ppp_link_event ev = { .type = PPP_LINK_EVENT_UP };
	ev.local_address = link->ipcp.local_addr;
	ev.peer_address = link->ipcp.peer_addr;
	if (link->cfg.role == PPP_LINK_CLIENT) {
		ev.dns[0] = link->ipcp.dns[IPCP_DNS1];
		ev.dns[1] = link->ipcp.dns[IPCP_DNS2];
		ev.nbns[0] = link->ipcp.dns[IPCP_NBNS1];
		ev.nbns[1] = link->ipcp.dns[IPCP_NBNS2];
	} else {
		memcpy(ev.dns, link->cfg.dns, sizeof(ev.dns));
		memcpy(ev.nbns, link->cfg.nbns, sizeof(ev.nbns));
	}
	ev.mtu = ppp_link_mtu(link);
	ev.mppe_bits = link->mppe_on ? link->mppe_bits : 0;
	ev.mppe_stateless = link->mppe_on && link->mppe_stateless;
	ev.mppc = link->mppe_on && link->mppc;
	uint32_t l = ev.local_address, r = ev.peer_address;
	log_msg(LOG_LEVEL_INFO, link->cfg.tag, "link up: %u.%u.%u.%u <-> %u.%u.%u.%u mtu %u mppe %u%s%s",
		l >> 24, (l >> 16) & 255, (l >> 8) & 255, l & 255, r >> 24, (r >> 16) & 255, (r >> 8) & 255, r & 255,
		ev.mtu, ev.mppe_bits, ev.mppe_bits ? (ev.mppe_stateless ? " stateless" : " stateful") : "",
		ev.mppc ? " mppc" : "");
	link_emit(link, &ev);
}

/* ---- CCP / MPPE ---- */

static unsigned mppe_bits_strength(uint32_t bits)
{
	if (bits & CCP_MPPE_BIT_S)
		return 128;
	if (bits & CCP_MPPE_BIT_M)
		return 56;
	if (bits & CCP_MPPE_BIT_L)
		return 40;
	return 0;
}

static bool link_has_mppe_keys(const struct ppp_link *link)
{
	return link->auth_ok && link->material.valid &&
	       (link->auth_method == PPP_LINK_AUTH_MSCHAPV2 || link->auth_method == PPP_LINK_AUTH_MSCHAPV1);
}

static void link_ccp_up(struct ppp_link *link)
{
	uint32_t rx = link->ccp.rx_bits, tx = link->ccp.tx_bits;
	const uint32_t relevant = CCP_MPPE_STRENGTH_BITS | CCP_MPPE_BIT_H | CCP_MPPE_BIT_C;
	link->ccp_up = true;
	if (!rx && !tx) {
		log_msg(LOG_LEVEL_INFO, link->cfg.tag, "CCP up without MPPE: data unencrypted");
		return;
	}
	if ((rx & relevant) != (tx & relevant)) {
		link_fail(link, PPP_CAUSE_MPPE_REFUSED, CCP_MPPE_REFUSED_REASON,
			  "MPPE negotiated differently per direction (rx 0x%08x, tx 0x%08x): not supported", rx, tx);
		return;
	}
	unsigned bits = mppe_bits_strength(tx);
	uint8_t send_key[MPPE_START_KEY_SIZE] = { 0 }, recv_key[MPPE_START_KEY_SIZE] = { 0 };
	if (bits) {
		int rc = ERR_INVALID;
		if (!link_has_mppe_keys(link))
			rc = ERR_STATE;
		else if (link->auth_method == PPP_LINK_AUTH_MSCHAPV2)
			rc = mppe_keys_from_mschapv2(link->material.password_hash_hash, link->material.nt_response,
						     link->material.is_server, bits, send_key, recv_key);
		else
			rc = mppe_keys_from_mschapv1(link->material.password_hash_hash, link->material.challenge,
						     bits, send_key, recv_key);
		if (rc < 0) {
			link_fail(link, PPP_CAUSE_MPPE_REFUSED, CCP_MPPE_REFUSED_REASON,
				  "MPPE negotiated but no keys from %s", ppp_link_auth_name(link->auth_method));
			return;
		}
	}
	struct mppe_channel_config mc = {
		.key_bits = bits,
		.stateless = (tx & CCP_MPPE_BIT_H) != 0,
		.compress = (tx & CCP_MPPE_BIT_C) != 0,
		.reset_changes_key = link->cfg.mppe_reset_changes_key >= 0,
	};
	if (link->mppe_on)
		mppe_channel_clear(&link->mppe);
	int rc = mppe_channel_init(&link->mppe, &mc, send_key, recv_key);
	crypto_wipe(send_key, sizeof(send_key));
	crypto_wipe(recv_key, sizeof(recv_key));
	if (rc < 0) {
		link->mppe_on = false;
		link_fail(link, PPP_CAUSE_MPPE_REFUSED, CCP_MPPE_REFUSED_REASON, "MPPE channel setup failed: %s",
			  error_name(rc));
		return;
	}
	link->mppe_on = true;
	link->mppe_bits = bits;
	link->mppe_stateless = mc.stateless;
	link->mppc = mc.compress;
	log_msg(LOG_LEVEL_INFO, link->cfg.tag, "MPPE up: %u-bit %s%s", bits, mc.stateless ? "stateless" : "stateful",
		mc.compress ? ", MPPC" : "");
	struct ppp_link_event ev = { .type = PPP_LINK_EVENT_MPPE_UP, .mppe_bits = bits,
				     .mppe_stateless = mc.stateless, .mppc = mc.compress };
	link_emit(link, &ev);
	link_check_up(link);
}

static void link_ccp_event(struct ppp_link *link, const struct ppp_event *ev)
{
	switch (ev->type) {
	case PPP_EVENT_UP:
		link_ccp_up(link);
		break;
	case PPP_EVENT_DOWN:
		link->ccp_up = false;
		if (link->mppe_on) {
			mppe_channel_clear(&link->mppe);
			link->mppe_on = false;
		}
		break;
	case PPP_EVENT_MPPE_REFUSED:
		link_fail(link, PPP_CAUSE_MPPE_REFUSED, ev->reason ? ev->reason : CCP_MPPE_REFUSED_REASON, "%s",
			  ev->reason ? ev->reason : CCP_MPPE_REFUSED_REASON);
		break;
	case PPP_EVENT_RESET_REQUEST:
		/* RFC 1962 §5.7 / RFC 3078 §8.2: the next packet we send is FLUSHED. */
		link->stats.mppe_resets_received++;
		if (link->mppe_on)
			mppe_channel_reset_request(&link->mppe);
		ccp_send_reset_ack(&link->ccp, (uint8_t)ev->value);
		break;
	default:
		break;
	}
}

/* ---- IPCP / IPV6CP ---- */

static void link_ipcp_event(struct ppp_link *link, const struct ppp_event *ev)
{
	switch (ev->type) {
	case PPP_EVENT_UP:
		link->ipcp_up = true;
		link_check_up(link);
		break;
	case PPP_EVENT_DOWN:
		link->ipcp_up = false;
		break;
	case PPP_EVENT_CONFIG_FAILED:
		link_fail(link, PPP_CAUSE_IPCP_FAILED, NULL, "IPCP: %s", ev->reason ? ev->reason : "failed");
		break;
	case PPP_EVENT_FINISHED:
		if (link->phase == PPP_PHASE_NETWORK)
			link_fail(link, PPP_CAUSE_IPCP_FAILED, "No network protocols running",
				  link->up_reported ? "IPCP closed" : "IPCP negotiation failed");
		break;
	default:
		break;
	}
}

static void link_ipv6cp_event(struct ppp_link *link, const struct ppp_event *ev)
{
	switch (ev->type) {
	case PPP_EVENT_UP:
		link->ipv6cp_up = true;
		log_msg(LOG_LEVEL_INFO, link->cfg.tag, "IPV6CP up");
		break;
	case PPP_EVENT_DOWN:
		link->ipv6cp_up = false;
		break;
	case PPP_EVENT_CONFIG_FAILED:
	case PPP_EVENT_FINISHED:
		/* IPv6 is optional: the link stays up for IPv4. */
		log_msg(LOG_LEVEL_INFO, link->cfg.tag, "IPV6CP not available%s%s", ev->reason ? ": " : "",
			ev->reason ? ev->reason : "");
		break;
	default:
		break;
	}
}

/* ---- network phase ---- */

static void link_enter_network(struct ppp_link *link)
{
	const struct ppp_link_config *c = &link->cfg;
	uint64_t now = link->now;
	bool keys = link_has_mppe_keys(link);
	const struct ppp_mppe_policy *m = &c->mppe;
	bool any_strength = m->allow_40 || m->allow_56 || m->allow_128;

	if (m->required && (!keys || !any_strength)) {
		link_fail(link, PPP_CAUSE_MPPE_REFUSED, "MPPE required, but MS-CHAP auth not performed",
			  "MPPE required, but %s gives no MPPE keys (MS-CHAP needed)",
			  ppp_link_auth_name(link->auth_method));
		return;
	}

	uint32_t peer_addr = 0;
	if (c->role == PPP_LINK_SERVER) {
		peer_addr = c->peer_address;
		if (!peer_addr && c->assign_address)
			peer_addr = c->assign_address(c->ctx, link->user, link->static_address);
		else if (!peer_addr)
			peer_addr = link->static_address;
		if (!peer_addr) {
			link_fail(link, PPP_CAUSE_IPCP_FAILED, "No IP address available",
				  "no IP address available for \"%s\"", link->user);
			return;
		}
		link->assigned_address = peer_addr;
	}

	link_set_phase(link, PPP_PHASE_NETWORK);
	struct ppp_fsm_config fsm = { .restart_ms = c->restart_ms,
				      .max_configure = (uint8_t)(c->max_configure > 255 ? 255 : c->max_configure) };

	enum ccp_policy strength = m->required ? CCP_REQUIRED : CCP_ALLOWED;
	bool run_ccp = (keys && any_strength) || m->allow_mppc;
	if (run_ccp) {
		struct ccp_config cc = { 0 };
		cc.tag = c->tag;
		cc.fsm = fsm;
		cc.mppe40 = keys && m->allow_40 ? strength : CCP_REFUSED;
		cc.mppe56 = keys && m->allow_56 ? strength : CCP_REFUSED;
		cc.mppe128 = keys && m->allow_128 ? strength : CCP_REFUSED;
		cc.stateless = m->stateful_only ? CCP_REFUSED : (m->allow_stateful ? CCP_ALLOWED : CCP_REQUIRED);
		cc.mppc = m->allow_mppc;
		cc.output = link_send_control;
		cc.output_ctx = link;
		if (ccp_init(&link->ccp, &cc) == 0) {
			link->ccp_on = true;
			ccp_lower_up(&link->ccp, now);
			ccp_open(&link->ccp, now);
		}
	}

	struct ipcp_config ic = { 0 };
	ic.tag = c->tag;
	ic.fsm = fsm;
	ic.output = link_send_control;
	ic.output_ctx = link;
	if (c->role == PPP_LINK_SERVER) {
		ic.local_addr = c->local_address;
		ic.peer_addr = peer_addr;
		ic.serve[IPCP_DNS1] = c->dns[0];
		ic.serve[IPCP_DNS2] = c->dns[1];
		ic.serve[IPCP_NBNS1] = c->nbns[0];
		ic.serve[IPCP_NBNS2] = c->nbns[1];
	} else {
		ic.local_addr = c->local_address;
		ic.peer_addr = c->peer_address;
		ic.accept_local = true;
		ic.accept_remote = true;
		ic.request_dns = true;
		ic.request_nbns = true;
	}
	if (ipcp_init(&link->ipcp, &ic) == 0) {
		link->ipcp_on = true;
		ipcp_lower_up(&link->ipcp, now);
		ipcp_open(&link->ipcp, now);
	}

	if (c->ipv6) {
		struct ipv6cp_config vc = { 0 };
		vc.tag = c->tag;
		vc.fsm = fsm;
		vc.random = &link->cfg.random;
		vc.output = link_send_control;
		vc.output_ctx = link;
		if (ipv6cp_init(&link->ipv6cp, &vc) == 0) {
			link->ipv6cp_on = true;
			ipv6cp_lower_up(&link->ipv6cp, now);
			ipv6cp_open(&link->ipv6cp, now);
		}
	}
}

/* ---- authentication ---- */

static void link_auth_output(void *ctx, uint16_t protocol, const uint8_t *payload, size_t len)
{
	link_send_control(ctx, protocol, payload, len);
}

static int link_auth_lookup(void *ctx, const char *user, struct auth_secret *out)
{
	struct ppp_link *link = ctx;
	if (!link->cfg.lookup_secret)
		return ERR_NOT_FOUND;
	struct ppp_link_secret s;
	memset(&s, 0, sizeof(s));
	int rc = link->cfg.lookup_secret(link->cfg.ctx, user, &s);
	if (rc >= 0) {
		s.password[sizeof(s.password) - 1] = '\0';
		if (s.has_password)
			rc = auth_secret_set_password(out, s.password);
		else if (s.has_nt_hash)
			auth_secret_set_nt_hash(out, s.nt_hash);
		else
			rc = ERR_NOT_FOUND;
		if (rc >= 0)
			link->static_address = s.static_address;
	}
	crypto_wipe(&s, sizeof(s));
	return rc < 0 ? ERR_NOT_FOUND : 0;
}

static void link_auth_result(struct ppp_link *link, const struct auth_result *r)
{
	if (link->phase == PPP_PHASE_DEAD)
		return;
	if (r->success) {
		if (link->auth_ok)
			return; /* re-authentication (CHAP re-challenge) */
		link->auth_ok = true;
		snprintf(link->user, sizeof(link->user), "%s", r->user);
		link->material = r->mppe;
		struct ppp_link_event ev = { .type = PPP_LINK_EVENT_AUTHENTICATED };
		link_emit(link, &ev);
		if (link->phase == PPP_PHASE_AUTHENTICATE)
			link_enter_network(link);
		return;
	}
	bool server = link->cfg.role == PPP_LINK_SERVER;
	enum ppp_link_cause cause = PPP_CAUSE_AUTH_FAILED;
	if (r->cause == AUTH_CAUSE_BAD_AUTHENTICATOR)
		cause = PPP_CAUSE_AUTH_PEER_BAD;
	else if (r->cause == AUTH_CAUSE_UNSUPPORTED)
		cause = PPP_CAUSE_NO_AUTH_METHOD;
	link_fail(link, cause, server ? "Authentication failed" : "Failed to authenticate ourselves to peer",
		  "%s %s: %s", ppp_link_auth_name(link->auth_method), auth_cause_name(r->cause), r->reason);
}

static void link_start_auth(struct ppp_link *link)
{
	bool server = link->cfg.role == PPP_LINK_SERVER;
	enum ppp_auth_method lm = server ? link->lcp.local.auth : link->lcp.peer.auth;
	size_t i;
	for (i = 0; i < AUTH_MAP_N; i++)
		if (auth_map[i].lcp == lm)
			break;
	link_set_phase(link, PPP_PHASE_AUTHENTICATE);
	if (lm == PPP_AUTH_NONE || i == AUTH_MAP_N) {
		link->auth_method = PPP_LINK_AUTH_NONE;
		if (server) {
			/* Our LCP always asks for one; Opened without means a bug or
			 * no method configured. Never run a server link unauthenticated. */
			link_fail(link, PPP_CAUSE_NO_AUTH_METHOD, "No authentication", "no authentication negotiated");
			return;
		}
		if (link->cfg.mppe.required) {
			link_fail(link, PPP_CAUSE_MPPE_REFUSED, "MPPE required, but MS-CHAP auth not performed",
				  "MPPE required, but the peer asked for no authentication (no MPPE keys)");
			return;
		}
		link_enter_network(link);
		return;
	}
	link->auth_method = auth_map[i].link;
	/* A link that needs MPPE must not even start a method that cannot give
	 * keys: a client would send its PAP password in the clear for nothing. */
	if (link->cfg.mppe.required && link->auth_method != PPP_LINK_AUTH_MSCHAPV2 &&
	    link->auth_method != PPP_LINK_AUTH_MSCHAPV1) {
		link_fail(link, PPP_CAUSE_MPPE_REFUSED, "MPPE required, but MS-CHAP auth not performed",
			  "MPPE required, but %s gives no MPPE keys (MS-CHAP needed)",
			  ppp_link_auth_name(link->auth_method));
		return;
	}
	struct auth_config ac;
	memset(&ac, 0, sizeof(ac));
	ac.role = server ? AUTH_ROLE_AUTHENTICATOR : AUTH_ROLE_PEER;
	ac.tag = link->cfg.tag;
	ac.local_name = link->cfg.local_name ? link->cfg.local_name : "openpptp";
	ac.random = link->cfg.random;
	ac.restart_ms = link->cfg.restart_ms;
	ac.output = link_auth_output;
	ac.cb_ctx = link;
	if (server) {
		ac.lookup = link_auth_lookup;
		ac.lookup_ctx = link;
	} else {
		ac.user = link->cfg.user ? link->cfg.user : "";
		if (link->cfg.password)
			(void)auth_secret_set_password(&ac.secret, link->cfg.password);
	}
	int rc = auth_init(&link->auth, auth_map[i].engine, &ac);
	auth_secret_wipe(&ac.secret);
	if (rc < 0) {
		link_fail(link, PPP_CAUSE_AUTH_FAILED, NULL, "cannot start %s: %s",
			  ppp_link_auth_name(link->auth_method), error_name(rc));
		return;
	}
	link->auth_on = true;
	log_msg(LOG_LEVEL_INFO, link->cfg.tag, "authentication: %s as %s", ppp_link_auth_name(link->auth_method),
		server ? "authenticator" : "peer");
	(void)auth_start(&link->auth, link->now);
}

/* ---- LCP ---- */

/* A peer's Terminate text, mapped to a cause where it says something
 * we can act on (ours and pppd's texts). Once the link was up, any
 * Terminate-Request is a hang-up: PPP_QUIRK_TERMINATE_SAYS_MPPE_DISABLED. */
static enum ppp_link_cause peer_reason_cause(const struct ppp_link *link, const char *reason)
{
	if (!reason || link->up_reported)
		return PPP_CAUSE_PEER_TERMINATE;
	if (strstr(reason, "MPPE"))
		return PPP_CAUSE_MPPE_REFUSED;
	if (strstr(reason, "refused to authenticate"))
		return PPP_CAUSE_NO_AUTH_METHOD;
	if (strstr(reason, "Authentication failed") || strstr(reason, "Failed to authenticate"))
		return PPP_CAUSE_AUTH_FAILED;
	return PPP_CAUSE_PEER_TERMINATE;
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
		link->auth_ok = false;
		if (link->up_reported || link->cause != PPP_CAUSE_NONE || link->phase == PPP_PHASE_TERMINATE) {
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
		if (ev->value == PPP_PROTO_CCP && link->ccp_on)
			ccp_protocol_rejected(&link->ccp, link->now);
		else if (ev->value == PPP_PROTO_IPCP && link->ipcp_on)
			link_fail(link, PPP_CAUSE_IPCP_FAILED, NULL, "peer rejected IPCP");
		else if (ev->value == PPP_PROTO_IPV6CP && link->ipv6cp_on)
			ipv6cp_protocol_rejected(&link->ipv6cp, link->now);
		else if (link->auth_on && !link->auth_ok && ev->value == link->auth.ops->ppp_protocol)
			link_fail(link, PPP_CAUSE_NO_AUTH_METHOD, "peer refused to authenticate",
				  "peer Protocol-Rejected %s", ppp_protocol_name((uint16_t)ev->value));
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
		link_set_cause(link, PPP_CAUSE_NO_AUTH_METHOD,
			       ev->reason ? ev->reason : "peer refused to authenticate");
		link_request_close(link, ev->reason ? ev->reason : "peer refused to authenticate");
		break;
	default:
		break;
	}
}

/* One dispatcher for the four control protocols. Events still queued
 * when the link is dead (the NCPs lowered on the way down) are moot. */
static void link_engine_event(struct ppp_link *link, const struct ppp_event *ev)
{
	if (link->down_reported)
		return;
	switch (ev->protocol) {
	case PPP_PROTO_LCP: link_lcp_event(link, ev); break;
	case PPP_PROTO_CCP: link_ccp_event(link, ev); break;
	case PPP_PROTO_IPCP: link_ipcp_event(link, ev); break;
	case PPP_PROTO_IPV6CP: link_ipv6cp_event(link, ev); break;
	default: break;
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
	unsigned allowed = link_auth_allowed(link);
	unsigned n = 0;
	for (size_t i = 0; i < AUTH_MAP_N; i++) {
		if (!(allowed & auth_map[i].link))
			continue;
		if (c->role == PPP_LINK_SERVER)
			lc.auth_offer[n++] = auth_map[i].lcp;
		else {
			lc.auth_accept |= PPP_AUTH_BIT(auth_map[i].lcp);
			lc.auth_accept_order[n++] = auth_map[i].lcp;
		}
	}
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
		c->role == PPP_LINK_SERVER ? "server" : "client", allowed, c->mppe.required ? "required" : "optional",
		c->mppe.allow_128 ? " 128" : "", c->mppe.allow_56 ? " 56" : "", c->mppe.allow_40 ? " 40" : "");
	return link;
}

void ppp_link_free(struct ppp_link *link)
{
	if (!link)
		return;
	link_auth_stop(link);
	if (link->mppe_on)
		mppe_channel_clear(&link->mppe);
	crypto_wipe(link, sizeof(*link));
	free(link);
}

void ppp_link_start(struct ppp_link *link, uint64_t now_ms)
{
	if (link->started)
		return;
	link->started = true;
	link->now = now_ms;
	link_set_phase(link, PPP_PHASE_ESTABLISH);
	lcp_lower_up(&link->lcp, now_ms);
	lcp_open(&link->lcp, now_ms);
	ppp_link_drain(link);
}

void ppp_link_close(struct ppp_link *link, const char *reason, uint64_t now_ms)
{
	if (!link->started || link->phase == PPP_PHASE_DEAD)
		return;
	link->now = now_ms;
	const char *r = reason && *reason ? reason : "Administrative close";
	link_set_cause(link, PPP_CAUSE_LOCAL_CLOSE, r);
	link_request_close(link, r);
	ppp_link_drain(link);
}

void ppp_link_lower_down(struct ppp_link *link, uint64_t now_ms)
{
	if (!link->started || link->down_reported)
		return;
	link->now = now_ms;
	link_set_cause(link, PPP_CAUSE_LOWER_DOWN, "lower layer down (call cleared)");
	lcp_lower_down(&link->lcp, now_ms);
	/* Dead before LCP's DOWN is taken: its consequences are moot. */
	link_dead(link, PPP_CAUSE_LOWER_DOWN, NULL);
	ppp_link_drain(link);
}

bool ppp_link_is_up(const struct ppp_link *link)
{
	return link->up_reported && !link->down_reported && link->phase == PPP_PHASE_NETWORK;
}

enum ppp_link_phase ppp_link_phase(const struct ppp_link *link)
{
	return link->phase;
}

void ppp_link_get_stats(const struct ppp_link *link, struct ppp_link_stats *out)
{
	*out = link->stats;
}

/* ---- timers ---- */

uint64_t ppp_link_next_deadline(const struct ppp_link *link)
{
	if (!link->started || link->phase == PPP_PHASE_DEAD)
		return DEADLINE_NONE;
	uint64_t d = lcp_next_deadline(&link->lcp);
	if (link->auth_on)
		d = deadline_min(d, auth_next_deadline(&link->auth));
	if (link->ccp_on)
		d = deadline_min(d, ccp_next_deadline(&link->ccp));
	if (link->ipcp_on)
		d = deadline_min(d, ipcp_next_deadline(&link->ipcp));
	if (link->ipv6cp_on)
		d = deadline_min(d, ipv6cp_next_deadline(&link->ipv6cp));
	return d;
}

void ppp_link_on_timeout(struct ppp_link *link, uint64_t now_ms)
{
	if (!link->started || link->phase == PPP_PHASE_DEAD)
		return;
	link->now = now_ms;
	/* Each engine's events are taken before the next engine runs: LCP
	 * going down stops the NCPs' timers. */
	if (lcp_next_deadline(&link->lcp) <= now_ms)
		lcp_on_timeout(&link->lcp, now_ms);
	ppp_link_drain(link);
	if (link->auth_on && auth_next_deadline(&link->auth) <= now_ms)
		auth_on_timeout(&link->auth, now_ms);
	ppp_link_drain(link);
	if (link->ccp_on && ccp_next_deadline(&link->ccp) <= now_ms)
		ccp_on_timeout(&link->ccp, now_ms);
	ppp_link_drain(link);
	if (link->ipcp_on && ipcp_next_deadline(&link->ipcp) <= now_ms)
		ipcp_on_timeout(&link->ipcp, now_ms);
	ppp_link_drain(link);
	if (link->ipv6cp_on && ipv6cp_next_deadline(&link->ipv6cp) <= now_ms)
		ipv6cp_on_timeout(&link->ipv6cp, now_ms);
	ppp_link_drain(link);
}

/* RFC 3748 §3.4 / §7.2: an NCP packet from the authenticator is a lower
 * layer success indication; EAP Success is never retransmitted, so an EAP
 * peer that answered the method and then sees the server's NCPs may
 * conclude the Success was lost. Only EAP needs this: CHAP and PAP peers
 * retransmit and get the verdict again. */
void ppp_link_eap_success_lost(struct ppp_link *link, uint16_t protocol)
{
	if (link->cfg.role != PPP_LINK_CLIENT || link->phase != PPP_PHASE_AUTHENTICATE || !link->auth_on ||
	    link->auth_ok || link->auth_method != PPP_LINK_AUTH_EAP_MD5 || link->auth.done ||
	    !link->auth.u.eap.method_answered)
		return;
	log_msg(LOG_LEVEL_INFO, link->cfg.tag, "EAP Success lost: %s from the authenticator taken as success",
		ppp_protocol_name(protocol));
	auth_destroy(&link->auth); /* its wait timer would report a failure */
	link->auth_on = false;
	link->auth_ok = true;
	snprintf(link->user, sizeof(link->user), "%s", link->cfg.user ? link->cfg.user : "");
	memset(&link->material, 0, sizeof(link->material));
	struct ppp_link_event ev = { .type = PPP_LINK_EVENT_AUTHENTICATED };
	link_emit(link, &ev);
	link_enter_network(link);
}
