/* SPDX-License-Identifier: BSD-2-Clause */
/* ppp_link, the Authenticate phase (RFC 1661 §3.4): which method LCP
 * offers or accepts, the auth engine's life, and what its result does. */
#include <stdio.h>
#include <string.h>

#include "proto/auth/auth_wire.h"
#include "proto/auth/eap_method.h"
#include "proto/session/ppp_link_internal.h"

/* Strongest first (ppp_link.h). */
static const enum auth_method strongest_first[] = {
	AUTH_METHOD_MSCHAPV2, AUTH_METHOD_MSCHAPV1, AUTH_METHOD_EAP_MD5, AUTH_METHOD_CHAP_MD5, AUTH_METHOD_PAP,
};
_Static_assert(sizeof(strongest_first) / sizeof(strongest_first[0]) == LCP_AUTH_PREFS_MAX,
	       "every method fits LCP's preference list");

unsigned link_auth_allowed(const struct ppp_link *link)
{
	return link->cfg.auth_allowed ? link->cfg.auth_allowed : AUTH_METHOD_BIT(AUTH_METHOD_MSCHAPV2);
}

void link_auth_lcp_config(const struct ppp_link *link, struct lcp_config *lc)
{
	unsigned allowed = link_auth_allowed(link);
	unsigned n = 0;
	for (size_t i = 0; i < LCP_AUTH_PREFS_MAX; i++) {
		enum auth_method m = strongest_first[i];
		if (!(allowed & AUTH_METHOD_BIT(m)))
			continue;
		if (link->cfg.role == PPP_LINK_SERVER) {
			lc->auth_offer[n++] = m;
		} else {
			lc->auth_accept |= AUTH_METHOD_BIT(m);
			lc->auth_accept_order[n++] = m;
		}
	}
}

/* RFC 3079: MS-CHAP gives MPPE keys; EAP may (EAP-TLS, RFC 5216 §2.3;
 * EAP-MSCHAPv2; or keys the RADIUS server sends): whether it did shows
 * in material.valid. */
static bool auth_method_gives_keys(enum auth_method m)
{
	return m == AUTH_METHOD_MSCHAPV2 || m == AUTH_METHOD_MSCHAPV1 || auth_method_is_eap(m);
}

bool link_has_mppe_keys(const struct ppp_link *link)
{
	return link_auth_verified(link) && link->material.valid && auth_method_gives_keys(link->auth_method);
}

void link_auth_stop(struct ppp_link *link)
{
	if (link_auth_running(link))
		auth_destroy(&link->auth);
	if (link->auth_state == LINK_AUTH_RUNNING)
		link->auth_state = LINK_AUTH_IDLE;
	else if (link->auth_state == LINK_AUTH_VERIFIED)
		link->auth_state = LINK_AUTH_ENDED;
	crypto_wipe(&link->material, sizeof(link->material));
}

static void link_report_authenticated(struct ppp_link *link)
{
	struct link_note n = { .type = PPP_LINK_EVENT_AUTHENTICATED };
	link_queue_event(link, &n);
}

/* ---- the engine ---- */

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

void link_auth_result(struct ppp_link *link, const struct auth_result *r)
{
	if (link->phase == PPP_PHASE_DEAD)
		return;
	if (r->success) {
		if (link->auth_state == LINK_AUTH_VERIFIED)
			return; /* re-authentication (CHAP re-challenge) */
		link->auth_state = LINK_AUTH_VERIFIED;
		link->auth_method = r->method; /* EAP: the method it ran */
		snprintf(link->user, sizeof(link->user), "%s", r->user);
		link->material = r->mppe;
		link_report_authenticated(link);
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
		  "%s %s: %s", auth_method_name(r->method), auth_cause_name(r->cause), r->reason);
}

/* LCP is Opened: start the method it agreed on, or go on without one
 * where that is allowed (a client whose server asks for none). */
void link_start_auth(struct ppp_link *link)
{
	bool server = link->cfg.role == PPP_LINK_SERVER;
	enum auth_method method = server ? link->lcp.local.auth : link->lcp.peer.auth;
	link_set_phase(link, PPP_PHASE_AUTHENTICATE);
	link->auth_method = method;
	if (method == AUTH_METHOD_NONE) {
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
	/* A link that needs MPPE must not even start a method that cannot give
	 * keys: a client would send its PAP password in the clear for nothing. */
	if (link->cfg.mppe.required && !auth_method_gives_keys(method)) {
		link_fail(link, PPP_CAUSE_MPPE_REFUSED, "MPPE required, but MS-CHAP auth not performed",
			  "MPPE required, but %s gives no MPPE keys (MS-CHAP needed)",
			  auth_method_name(link->auth_method));
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
	ac.eap_tls = link->cfg.eap_tls;
	ac.max_packet = link->lcp.peer.mru;
	if (server) {
		ac.lookup = link_auth_lookup;
		ac.lookup_ctx = link;
		ac.remote_verify = link->cfg.remote_verify;
		ac.verify_timeout_ms = link->cfg.verify_timeout_ms;
		/* A server with a certificate offers EAP-TLS (RFC 5216) first; else
		 * a link that wants MPPE is offered the EAP method that keys it. */
		if (link->cfg.eap_tls)
			ac.eap_first_type = 13; /* EAP-TLS */
		else if (link->cfg.mppe.required || link->cfg.mppe.allow_128 || link->cfg.mppe.allow_56 ||
		    link->cfg.mppe.allow_40)
			ac.eap_first_type = EAP_TYPE_MSCHAPV2;
	} else {
		ac.user = link->cfg.user ? link->cfg.user : "";
		if (link->cfg.password)
			(void)auth_secret_set_password(&ac.secret, link->cfg.password);
		else if (link->cfg.nt_hash)
			auth_secret_set_nt_hash(&ac.secret, link->cfg.nt_hash);
	}
	int rc = auth_init(&link->auth, method, &ac);
	auth_secret_wipe(&ac.secret);
	if (rc < 0) {
		link_fail(link, PPP_CAUSE_AUTH_FAILED, NULL, "cannot start %s: %s",
			  auth_method_name(link->auth_method), error_name(rc));
		return;
	}
	link->auth_state = LINK_AUTH_RUNNING;
	log_msg(LOG_LEVEL_DEBUG, link->cfg.tag, "authentication: %s as %s", auth_method_name(link->auth_method),
		server ? "authenticator" : "peer");
	(void)auth_start(&link->auth, link->now); /* its result is taken by the drain */
}

/* RFC 3748 §3.4 / §7.2: an NCP packet from the authenticator is a lower
 * layer success indication; EAP Success is never retransmitted, so an EAP
 * peer that answered the method and then sees the server's NCPs may
 * conclude the Success was lost. Only EAP needs this: CHAP and PAP peers
 * retransmit and get the verdict again. */
void ppp_link_eap_success_lost(struct ppp_link *link, uint16_t protocol)
{
	if (link->cfg.role != PPP_LINK_CLIENT || link->phase != PPP_PHASE_AUTHENTICATE ||
	    link->auth_state != LINK_AUTH_RUNNING || link->auth_method != AUTH_METHOD_EAP_MD5 || link->auth.done ||
	    !link->auth.u.eap.method_answered)
		return;
	/* Only once the method proved the authenticator (EAP-TLS: the
	 * handshake done, RFC 5216 §2.3; EAP-MSCHAPv2: S= checked). */
	const struct eap_method *m = eap_method_find(link->auth.u.eap.method_type);
	if (m && m->peer_may_succeed && !m->peer_may_succeed(&link->auth))
		return; /* mutual authentication not done: no NCP can stand for it */
	log_msg(LOG_LEVEL_INFO, link->cfg.tag, "EAP Success lost: %s from the authenticator taken as success",
		ppp_protocol_name(protocol));
	link->material = link->auth.result.mppe; /* EAP-MSCHAPv2's, once S= was right; else none */
	link->auth_method = link->auth.result.method; /* the EAP method it ran */
	auth_destroy(&link->auth); /* its wait timer would report a failure */
	link->auth_state = LINK_AUTH_ENDED;
	snprintf(link->user, sizeof(link->user), "%s", link->cfg.user ? link->cfg.user : "");
	link_report_authenticated(link);
	link_enter_network(link);
}

const struct auth_verify_request *ppp_link_verify_request(const struct ppp_link *link)
{
	if (link->auth_state != LINK_AUTH_RUNNING && link->auth_state != LINK_AUTH_VERIFIED)
		return NULL;
	return auth_verify_is_pending(&link->auth) ? &link->auth.verify : NULL;
}

/* The authenticator's word on encryption arrives after LCP and before
 * CCP starts (link_enter_network): it can only narrow what is configured
 * (require MPPE, drop strengths), never relax a local requirement. */
static void link_narrow_mppe(struct ppp_link *link, const struct ppp_link_grant *g)
{
	struct ppp_mppe_policy *m = &link->cfg.mppe;
	if (g->mppe_policy == PPP_GRANT_MPPE_REQUIRED)
		m->required = true;
	if (g->mppe_types_set) {
		m->allow_40 = m->allow_40 && (g->mppe_types & PPP_GRANT_MPPE_TYPE_40);
		m->allow_56 = m->allow_56 && (g->mppe_types & PPP_GRANT_MPPE_TYPE_56);
		m->allow_128 = m->allow_128 && (g->mppe_types & PPP_GRANT_MPPE_TYPE_128);
	}
}

void ppp_link_verify_done(struct ppp_link *link, const struct auth_verdict *v, const struct ppp_link_grant *g,
			  uint64_t now_ms)
{
	if (!ppp_link_verify_request(link))
		return;
	link->now = now_ms;
	if (v->cause == AUTH_CAUSE_NONE && g) {
		link->static_address = g->static_address;
		link->route_count = g->route_count <= PPP_GRANT_ROUTES_MAX ? g->route_count : PPP_GRANT_ROUTES_MAX;
		memcpy(link->routes, g->routes, sizeof(link->routes));
		/* RFC 1877 values for IPCP, which starts after this. */
		for (int i = 0; i < 2; i++) {
			if (g->dns[i])
				link->cfg.dns[i] = g->dns[i];
			if (g->nbns[i])
				link->cfg.nbns[i] = g->nbns[i];
		}
		link_narrow_mppe(link, g);
		if (g->mtu_cap)
			link->mtu_cap = g->mtu_cap;
	}
	auth_verify_done(&link->auth, v, now_ms);
	ppp_link_drain(link);
}
