/* SPDX-License-Identifier: BSD-2-Clause */
/* EAP pass-through for the authenticator (RFC 3579 §2.1, eap_relay.h). */
#include "proto/auth/eap_relay.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/crypto.h"
#include "base/error.h"
#include "proto/auth/auth_internal.h"
#include "proto/auth/auth_wire.h"

/* The peer's Response, then the State (RFC 2865 §5.24) to echo. */
#define RELAY_BUF_SIZE (AUTH_VERIFY_EAP_MAX + AUTH_VERIFY_STATE_MAX)

void eap_relay_response(struct auth *a, const uint8_t *pkt, size_t len, uint64_t now_ms)
{
	struct auth_eap_state *s = &a->u.eap;
	struct auth_verify_request *r = &a->verify;

	if (len > AUTH_VERIFY_EAP_MAX) {
		eap_auth_finish(a, false, AUTH_CAUSE_REJECTED, "EAP Response too long to relay");
		return;
	}
	/* On the heap, and only for a relaying engine: most sessions never
	 * pass EAP through and should not carry 1.5 KB for it. */
	if (!s->relay_response && !(s->relay_response = malloc(RELAY_BUF_SIZE))) {
		eap_auth_finish(a, false, AUTH_CAUSE_REJECTED, "no memory to relay EAP");
		return;
	}
	r->method = a->ops->method; /* RADIUS sees EAP as a whole */
	/* Reported as eap-radius, not by the type of the Requests relayed:
	 * the RADIUS server picks and checks the method (and may tunnel
	 * another inside, PEAP/TTLS); the relay never looks into it. */
	a->result.method = AUTH_METHOD_EAP_RADIUS;
	snprintf(r->user, sizeof(r->user), "%s", s->identity);
	memcpy(s->relay_response, pkt, len);
	r->eap = s->relay_response;
	r->eap_len = len;
	/* r->state: the last Access-Challenge's, echoed (RFC 2865 §5.24). */
	r->state = s->relay_response + AUTH_VERIFY_EAP_MAX;
	s->state = EAP_AUTH_RELAYING;
	auth_request_verify(a, now_ms);
}

static void relay_request(struct auth *a, const struct auth_verdict *v, const struct eap_packet *p, uint64_t now_ms)
{
	struct auth_eap_state *s = &a->u.eap;

	/* The buffer exists: a Response was relayed before any verdict. */
	memcpy(s->relay_response + AUTH_VERIFY_EAP_MAX, v->state, v->state_len);
	a->verify.state_len = v->state_len;
	if (p->type != s->relay_type)
		log_msg(LOG_LEVEL_DEBUG, a->cfg.tag, "EAP pass-through: the verifier asks for type %u", p->type);
	s->relay_type = p->type;
	s->id = p->id;
	s->state = EAP_AUTH_RELAY_SENT;
	s->transmits = 1;
	auth_send_keep(a, v->eap, v->eap_len);
	a->deadline = now_ms + auth_restart_ms(a);
}

void eap_relay_verdict(struct auth *a, const struct auth_verdict *v, uint64_t now_ms)
{
	struct auth_eap_state *s = &a->u.eap;
	struct eap_packet p;

	if (s->state != EAP_AUTH_RELAYING)
		return;
	bool have = v->eap_len > 0 && v->eap_len <= sizeof(v->eap) && eap_parse(v->eap, v->eap_len, &p) == 0;
	if (v->cause == AUTH_CAUSE_NONE && v->eap_challenge) {
		if (!have || p.code != EAP_REQUEST || v->state_len > AUTH_VERIFY_STATE_MAX || !s->relay_response) {
			eap_auth_finish(a, false, AUTH_CAUSE_REJECTED, "the verifier's challenge holds no EAP Request");
			return;
		}
		relay_request(a, v, &p, now_ms);
		return;
	}
	/* RFC 3579 §2.6.3: the Success / Failure RADIUS sent says the Identifier. */
	if (have && (p.code == EAP_SUCCESS || p.code == EAP_FAILURE))
		s->id = p.id;
	if (v->cause != AUTH_CAUSE_NONE) {
		eap_auth_finish(a, false, v->cause, v->reason);
		return;
	}
	if (have && p.code == EAP_FAILURE) {
		eap_auth_finish(a, false, AUTH_CAUSE_REJECTED, "the verifier accepted with an EAP Failure");
		return;
	}
	a->result.mppe = v->mppe; /* RADIUS MS-MPPE-Send/Recv-Key, when given */
	eap_auth_finish(a, true, AUTH_CAUSE_NONE, "");
}

void eap_relay_free(struct auth *a)
{
	struct auth_eap_state *s = &a->u.eap;

	if (s->relay_response) {
		crypto_wipe(s->relay_response, RELAY_BUF_SIZE); /* a method's secrets may be in it */
		free(s->relay_response);
	}
	s->relay_response = NULL;
	a->verify.eap = a->verify.state = NULL;
	a->verify.eap_len = a->verify.state_len = 0;
}
