/* SPDX-License-Identifier: BSD-2-Clause */
/* EAP (RFC 3748) over PPP (protocol 0xC227), both roles.
 *
 * Authenticator: Request/Identity, then the first method (MD5-Challenge
 * unless configured), switching on a legacy Nak (§5.3.1) to a method the
 * peer desires, we have and have not offered yet, then Success / Failure.
 * A Nak is taken only as the answer to a method's first Request: once the
 * peer has answered in the method, a Nak is discarded (§2.1). So a peer
 * cannot keep the conversation going by Nak'ing back and forth. It retransmits its
 * Requests (§4.3); the peer never retransmits but answers a duplicate
 * Request with its previous Response (§4.1). */
#include <stdio.h>
#include <string.h>

#include "base/bytes.h"
#include "base/crypto.h"
#include "base/error.h"
#include "base/text_escape.h"
#include "base/writer.h"
#include "proto/auth/auth_internal.h"
#include "proto/auth/auth_wire.h"
#include "proto/auth/eap_method.h"
#include "proto/auth/eap_relay.h"

static const struct eap_method *const eap_methods[] = {
	&eap_method_md5,
	&eap_method_mschapv2,
	&eap_method_tls,
};

/* auth_eap_state.methods_offered has a bit per method. */
_Static_assert(sizeof(eap_methods) / sizeof(eap_methods[0]) <= 8, "methods_offered is 8 bits");

size_t eap_method_count(void)
{
	return sizeof(eap_methods) / sizeof(eap_methods[0]);
}

const struct eap_method *eap_method_at(size_t i)
{
	return i < eap_method_count() ? eap_methods[i] : NULL;
}

const struct eap_method *eap_method_find(uint8_t type)
{
	for (size_t i = 0; i < eap_method_count(); i++)
		if (eap_methods[i]->type == type)
			return eap_methods[i];
	return NULL;
}

static bool eap_method_offered(const struct auth_eap_state *s, const struct eap_method *m)
{
	for (size_t i = 0; i < eap_method_count(); i++)
		if (eap_methods[i] == m)
			return (s->methods_offered >> i) & 1u;
	return false;
}

/* Frame Code, Identifier, Length[, Type, Type-Data], send, keep in a->last. */
void eap_send(struct auth *a, uint8_t code, uint8_t id, uint8_t type, const uint8_t *data, size_t data_len)
{
	bool typed = code == EAP_REQUEST || code == EAP_RESPONSE;
	struct writer w;

	uint8_t pkt[AUTH_MAX_PACKET];
	writer_init(&w, pkt, sizeof(pkt));
	writer_u8(&w, code);
	writer_u8(&w, id);
	writer_u16(&w, (uint16_t)(4 + (typed ? 1 + data_len : 0)));
	if (typed) {
		writer_u8(&w, type);
		writer_bytes(&w, data, data_len);
	}
	if (!writer_ok(&w))
		return;
	auth_send_keep(a, pkt, writer_len(&w));
}

/* ---------------------------------------------------------------- */
/* authenticator                                                    */

static void eap_auth_request(struct auth *a, uint64_t now_ms, uint8_t type, const uint8_t *data,
			     size_t len)
{
	struct auth_eap_state *s = &a->u.eap;

	s->id++;
	eap_send(a, EAP_REQUEST, s->id, type, data, len);
	s->transmits = 1;
	a->deadline = now_ms + auth_restart_ms(a);
}

void eap_auth_finish(struct auth *a, bool success, enum auth_cause cause, const char *reason)
{
	struct auth_eap_state *s = &a->u.eap;

	/* RFC 3748 §4.2: the Identifier of the Response it answers. */
	eap_send(a, success ? EAP_SUCCESS : EAP_FAILURE, s->id, 0, NULL, 0);
	s->state = EAP_AUTH_DONE;
	a->deadline = DEADLINE_NONE;
	if (success)
		auth_succeed(a, s->identity);
	else
		auth_fail(a, cause, "%s", reason);
}

static void eap_auth_start_method(struct auth *a, uint64_t now_ms, const struct eap_method *m)
{
	struct auth_eap_state *s = &a->u.eap;
	uint8_t data[AUTH_MAX_PACKET - 5];
	struct writer w;

	writer_init(&w, data, sizeof(data));
	if (m->auth_start(a, &w) < 0) {
		eap_auth_finish(a, false, AUTH_CAUSE_REJECTED, "method failed to start");
		return;
	}
	s->method_type = m->type;
	for (size_t i = 0; i < eap_method_count(); i++)
		if (eap_methods[i] == m)
			s->methods_offered |= (uint8_t)(1u << i);
	a->result.method = m->reported; /* the login's name from now on */
	s->state = EAP_AUTH_METHOD_OFFERED;
	eap_auth_request(a, now_ms, m->type, data, writer_len(&w));
}

static int eap_auth_input(struct auth *a, const struct eap_packet *p, const uint8_t *raw, size_t raw_len,
			  uint64_t now_ms)
{
	struct auth_eap_state *s = &a->u.eap;

	if (p->code != EAP_RESPONSE)
		return auth_drop(a, now_ms, ERR_STATE, "non-response from the peer");
	if (p->id != s->id)
		return auth_drop(a, now_ms, ERR_STATE, "response with a stale identifier");

	switch (s->state) {
	case EAP_AUTH_IDENTITY_SENT: {
		if (p->type != EAP_TYPE_IDENTITY)
			return auth_drop(a, now_ms, ERR_UNKNOWN_TYPE, "non-identity answer to Identity");
		snprintf(a->result.user, sizeof(a->result.user), "%s", "");
		if (!auth_copy_name(s->identity, sizeof(s->identity), p->data, p->data_len) ||
		    s->identity[0] == '\0') {
			eap_auth_finish(a, false, AUTH_CAUSE_REJECTED, "empty or invalid identity");
			return 0;
		}
		snprintf(a->result.user, sizeof(a->result.user), "%s", s->identity);
		if (a->cfg.remote_verify) {
			eap_relay_response(a, raw, raw_len, now_ms);
			return 0;
		}
		const struct eap_method *m = eap_method_find(a->cfg.eap_first_type);
		eap_auth_start_method(a, now_ms, m ? m : &eap_method_md5);
		return 0;
	}
	case EAP_AUTH_METHOD_OFFERED:
	case EAP_AUTH_METHOD_RUNNING: {
		if (p->type == EAP_TYPE_NAK) {
			/* RFC 3748 §2.1: no Nak after a non-Nak Response; one may
			 * be spoofed, so it is discarded and logged. */
			if (s->state == EAP_AUTH_METHOD_RUNNING)
				return auth_drop(a, now_ms, ERR_STATE, "Nak after the method began");
			/* §5.3.1: the desired types, 0 = none. Each method is
			 * offered at most once. */
			for (size_t i = 0; i < p->data_len; i++) {
				const struct eap_method *m = eap_method_find(p->data[i]);
				if (m && !eap_method_offered(s, m)) {
					log_limited(&a->bad_log, now_ms, LOG_LEVEL_INFO, a->cfg.tag, "EAP: peer Nak'ed type %u, trying %s",
						s->method_type, m->name);
					eap_auth_start_method(a, now_ms, m);
					return 0;
				}
			}
			eap_auth_finish(a, false, AUTH_CAUSE_UNSUPPORTED, "peer Nak'ed and no common EAP method");
			return 0;
		}
		if (p->type != s->method_type)
			return auth_drop(a, now_ms, ERR_UNKNOWN_TYPE, "response of another type");
		s->state = EAP_AUTH_METHOD_RUNNING;
		const struct eap_method *m = eap_method_find(s->method_type);
		uint8_t data[AUTH_MAX_PACKET - 5];
		struct writer w;
		struct eap_method_outcome out = { .cause = AUTH_CAUSE_WRONG_PASSWORD, .reason = "" };
		writer_init(&w, data, sizeof(data));
		int rc = m->auth_response(a, p->id, p->data, p->data_len, &w, &out);
		if (rc < 0)
			return auth_drop(a, now_ms, rc, "malformed method response");
		if (rc == EAP_METHOD_CONTINUE)
			eap_auth_request(a, now_ms, m->type, data, writer_len(&w));
		else if (rc == EAP_METHOD_SUCCESS)
			eap_auth_finish(a, true, AUTH_CAUSE_NONE, "");
		else
			eap_auth_finish(a, false, out.cause, out.reason);
		return 0;
	}
	case EAP_AUTH_RELAY_SENT:
		eap_relay_response(a, raw, raw_len, now_ms);
		return 0;
	case EAP_AUTH_RELAYING:
		return 0; /* a retransmission while the verifier decides: absorbed */
	case EAP_AUTH_DONE:
		/* Our Success/Failure was lost and the peer repeats itself. */
		auth_resend(a);
		return 0;
	default:
		return auth_drop(a, now_ms, ERR_STATE, "response before start");
	}
}

static void eap_auth_timeout(struct auth *a, uint64_t now_ms)
{
	struct auth_eap_state *s = &a->u.eap;

	if (s->state == EAP_AUTH_RELAYING) {
		auth_verify_clear(a);
		eap_auth_finish(a, false, AUTH_CAUSE_TIMEOUT, "no verdict from the verifier in time");
		return;
	}
	if (s->state != EAP_AUTH_IDENTITY_SENT && s->state != EAP_AUTH_METHOD_OFFERED &&
	    s->state != EAP_AUTH_METHOD_RUNNING && s->state != EAP_AUTH_RELAY_SENT) {
		a->deadline = DEADLINE_NONE;
		return;
	}
	if (s->transmits >= auth_max_transmits(a)) {
		s->state = EAP_AUTH_DONE;
		auth_fail(a, AUTH_CAUSE_TIMEOUT, "no response to %u EAP Requests", s->transmits);
		return;
	}
	/* RFC 3748 §4.3: retransmit with the same Identifier. */
	s->transmits++;
	auth_resend(a);
	a->deadline = now_ms + auth_restart_ms(a);
}

/* ---------------------------------------------------------------- */
/* peer                                                             */

static int eap_peer_request(struct auth *a, const struct eap_packet *p, uint64_t now_ms)
{
	struct auth_eap_state *s = &a->u.eap;
	uint8_t data[AUTH_MAX_PACKET - 5];
	struct writer w;
	uint8_t type = p->type;

	if (a->last_len && p->id == s->id) {
		/* RFC 3748 §4.1: a duplicate Request gets the same Response. */
		auth_resend(a);
		return 0;
	}
	writer_init(&w, data, sizeof(data));
	switch (p->type) {
	case EAP_TYPE_IDENTITY:
		writer_bytes(&w, a->cfg.user, strlen(a->cfg.user));
		break;
	case EAP_TYPE_NOTIFICATION: {
		/* RFC 3748 §5.2: show it, answer with an empty Notification. */
		char text[256];
		size_t n = p->data_len < sizeof(text) - 1 ? p->data_len : sizeof(text) - 1;
		memcpy(text, p->data, n);
		text[n] = '\0';
		char shown[TEXT_ESCAPED_SIZE(sizeof(text))];
		text_escape_str(shown, sizeof(shown), text);
		log_limited(&a->bad_log, now_ms, LOG_LEVEL_INFO, a->cfg.tag, "EAP notification: \"%s\"", shown);
		break;
	}
	case EAP_TYPE_NAK:
	case EAP_TYPE_EXPANDED:
		return auth_drop(a, now_ms, ERR_UNKNOWN_TYPE, "Nak/expanded type in a Request");
	default: {
		const struct eap_method *m = eap_method_find(p->type);
		if (m && m->peer_usable(a)) {
			a->result.method = m->reported; /* named in its own failure too */
			int rc = m->peer_request(a, p->id, p->data, p->data_len, &w);
			if (rc < 0)
				return auth_drop(a, now_ms, rc, "malformed method request");
			if (a->done) { /* the method refused the authenticator */
				s->state = EAP_PEER_DONE;
				return 0;
			}
			s->method_type = m->type;
			s->method_answered = true;
			break;
		}
		/* RFC 3748 §5.3.1: legacy Nak listing what we would accept. */
		type = EAP_TYPE_NAK;
		for (size_t i = 0; i < eap_method_count(); i++)
			if (eap_method_at(i)->peer_usable(a))
				writer_u8(&w, eap_method_at(i)->type);
		if (writer_len(&w) == 0)
			writer_u8(&w, 0);
		s->nak_sent = true;
		log_limited(&a->bad_log, now_ms, LOG_LEVEL_INFO, a->cfg.tag, "EAP: Nak for type %u", p->type);
		break;
	}
	}
	s->id = p->id;
	eap_send(a, EAP_RESPONSE, p->id, type, data, writer_len(&w));
	a->deadline = now_ms + auth_wait_ms(a);
	return 0;
}

static int eap_peer_input(struct auth *a, const struct eap_packet *p, uint64_t now_ms)
{
	struct auth_eap_state *s = &a->u.eap;

	if (s->state != EAP_PEER_WAITING)
		return auth_drop(a, now_ms, ERR_STATE, "packet after the result");
	switch (p->code) {
	case EAP_REQUEST:
		return eap_peer_request(a, p, now_ms);
	case EAP_RESPONSE:
		return auth_drop(a, now_ms, ERR_STATE, "response sent to the peer");
	case EAP_SUCCESS:
		if (!s->method_answered) {
			/* No method ran: a Success now authenticates nobody. */
			s->state = EAP_PEER_DONE;
			auth_fail(a, AUTH_CAUSE_REJECTED, "EAP Success before any method");
			return 0;
		}
		const struct eap_method *m = eap_method_find(s->method_type);
		if (m && m->peer_may_succeed && !m->peer_may_succeed(a)) {
			s->state = EAP_PEER_DONE;
			auth_fail(a, AUTH_CAUSE_BAD_AUTHENTICATOR, "EAP Success before %s finished", m->name);
			return 0;
		}
		s->state = EAP_PEER_DONE;
		a->deadline = DEADLINE_NONE;
		auth_succeed(a, a->cfg.user);
		return 0;
	default: /* EAP_FAILURE */
		s->state = EAP_PEER_DONE;
		if (s->method_answered)
			auth_fail(a, AUTH_CAUSE_WRONG_PASSWORD, "EAP Failure after method %u", s->method_type);
		else if (s->nak_sent)
			auth_fail(a, AUTH_CAUSE_UNSUPPORTED, "EAP Failure after our Nak: no common method");
		else
			auth_fail(a, AUTH_CAUSE_REJECTED, "EAP Failure before any method ran");
		return 0;
	}
}

/* ---------------------------------------------------------------- */

static int eap_start(struct auth *a, uint64_t now_ms)
{
	struct auth_eap_state *s = &a->u.eap;

	if (a->cfg.role == AUTH_ROLE_AUTHENTICATOR) {
		random_fill(&a->cfg.random, &s->id, 1);
		s->methods_offered = 0;
		s->state = EAP_AUTH_IDENTITY_SENT;
		eap_auth_request(a, now_ms, EAP_TYPE_IDENTITY, NULL, 0);
		return 0;
	}
	snprintf(a->result.user, sizeof(a->result.user), "%s", a->cfg.user);
	s->state = EAP_PEER_WAITING;
	a->deadline = now_ms + auth_wait_ms(a);
	return 0;
}

static int eap_input(struct auth *a, const uint8_t *payload, size_t len, uint64_t now_ms)
{
	struct eap_packet p;
	int rc = eap_parse(payload, len, &p);

	if (rc < 0)
		return auth_drop(a, now_ms, rc, "malformed packet");
	if (a->cfg.role == AUTH_ROLE_AUTHENTICATOR) /* relayed without the padding past Length */
		return eap_auth_input(a, &p, payload, load_be16(payload + 2), now_ms);
	return eap_peer_input(a, &p, now_ms);
}

static void eap_on_timeout(struct auth *a, uint64_t now_ms)
{
	struct auth_eap_state *s = &a->u.eap;

	if (a->cfg.role == AUTH_ROLE_AUTHENTICATOR) {
		eap_auth_timeout(a, now_ms);
		return;
	}
	if (s->state == EAP_PEER_WAITING) {
		s->state = EAP_PEER_DONE;
		auth_fail(a, AUTH_CAUSE_TIMEOUT, "authenticator went silent");
		return;
	}
	a->deadline = DEADLINE_NONE;
}

static void eap_destroy(struct auth *a)
{
	for (size_t i = 0; i < eap_method_count(); i++)
		if (eap_methods[i]->destroy)
			eap_methods[i]->destroy(a);
	eap_relay_free(a);
	crypto_wipe(&a->u.eap, sizeof(a->u.eap));
}

const struct auth_method_ops auth_eap_ops = {
	.method = AUTH_METHOD_EAP_MD5,
	.ppp_protocol = PPP_PROTO_EAP,
	.chap_algorithm = 0,
	.start = eap_start,
	.input = eap_input,
	.on_timeout = eap_on_timeout,
	.destroy = eap_destroy,
	.verdict = eap_relay_verdict,
};
