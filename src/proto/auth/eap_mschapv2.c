/* SPDX-License-Identifier: BSD-2-Clause */
/* EAP-MSCHAPv2 (EAP type 26, draft-kamath-pppext-eap-mschapv2-02), both
 * roles: MS-CHAPv2 (RFC 2759) inside EAP, with its mutual authentication
 * (the authenticator's "S=" response is checked before the peer accepts
 * EAP-Success) and MPPE keys exactly as for MS-CHAPv2 (RFC 3079 §3).
 *
 *   authenticator: Challenge -> Response checked -> Success Request
 *                  ("S=... M=...") -> the peer's Success ack -> EAP-Success;
 *                  a wrong answer gets a Failure Request (E=691), then the
 *                  peer's Failure ack -> EAP-Failure.
 *   peer:          answers the Challenge, checks S= and acks, or acks a
 *                  Failure; EAP-Success counts only after a good S=. */
#include <stdio.h>
#include <string.h>

#include "base/crypto.h"
#include "base/error.h"
#include "proto/auth/auth_internal.h"
#include "proto/auth/auth_wire.h"
#include "proto/auth/eap_method.h"
#include "proto/auth/eap_mschapv2_wire.h"

enum ms_state {
	MS_IDLE = 0,
	MS_CHALLENGE_SENT,   /* authenticator */
	MS_SUCCESS_SENT,
	MS_FAILURE_SENT,
	MS_RESPONDED,        /* peer */
	MS_PEER_VERIFIED,    /* peer: the S= was right */
	MS_PEER_REFUSED,     /* peer: the authenticator sent a Failure */
};

static void outcome(struct eap_method_outcome *out, enum auth_cause cause, const char *reason)
{
	out->cause = cause;
	snprintf(out->reason, sizeof(out->reason), "%s", reason);
}

/* The key material of RFC 3079 §3 from the NT hash and the NT-Response. */
static void keep_material(struct auth *a, const uint8_t nt_hash[MSCHAP_NT_HASH_SIZE], bool is_server)
{
	struct auth_mppe_material *m = &a->result.mppe;
	memset(m, 0, sizeof(*m));
	mschap_hash_nt_password_hash(nt_hash, m->password_hash_hash);
	memcpy(m->nt_response, a->u.eap.ms_nt_response, MSCHAP_NT_RESPONSE_SIZE);
	m->is_server = is_server;
	m->mschapv2 = true;
	m->valid = true;
}

/* ---- authenticator ---- */

static int ms_auth_start(struct auth *a, struct writer *w)
{
	struct auth_eap_state *s = &a->u.eap;
	const char *name = a->cfg.local_name ? a->cfg.local_name : "";

	random_fill(&a->cfg.random, s->ms_auth_challenge, sizeof(s->ms_auth_challenge));
	s->ms_id = (uint8_t)(s->id + 1); /* the Identifier of the EAP Request it rides in */
	eap_mschapv2_put(w, EAP_MSCHAPV2_CHALLENGE, s->ms_id, s->ms_auth_challenge, sizeof(s->ms_auth_challenge),
			 name, strlen(name));
	s->ms_state = MS_CHALLENGE_SENT;
	return writer_ok(w) ? 0 : ERR_NOSPACE;
}

static void put_failure(struct auth *a, struct writer *w)
{
	struct auth_eap_state *s = &a->u.eap;
	char msg[96];
	int n = snprintf(msg, sizeof(msg), "E=691 R=0 C=");
	for (size_t i = 0; i < sizeof(s->ms_auth_challenge) && n > 0 && (size_t)n + 3 < sizeof(msg); i++)
		n += snprintf(msg + n, sizeof(msg) - (size_t)n, "%02X", s->ms_auth_challenge[i]);
	snprintf(msg + n, sizeof(msg) - (size_t)n, " V=3 M=Authentication failed");
	eap_mschapv2_put(w, EAP_MSCHAPV2_FAILURE, s->ms_id, NULL, 0, msg, strlen(msg));
	s->ms_state = MS_FAILURE_SENT;
}

/* RFC 2759 §4-5 on the peer's Response: the Success or Failure Request. */
static int ms_auth_check(struct auth *a, const struct eap_mschapv2_msg *m, struct writer *next)
{
	struct auth_eap_state *s = &a->u.eap;
	struct auth_secret secret;
	uint8_t nt_hash[MSCHAP_NT_HASH_SIZE], expected[MSCHAP_NT_RESPONSE_SIZE];
	char name[AUTH_MAX_NAME + 1];

	if (m->ms_id != s->ms_id)
		return ERR_STATE;
	/* The NT-Response hashes the name the peer sent (RFC 2759 §8.2); the
	 * secret is the EAP Identity's. */
	if (!auth_copy_name(name, sizeof(name), m->text, m->text_len))
		return ERR_MALFORMED;
	memcpy(s->ms_peer_challenge, m->value, sizeof(s->ms_peer_challenge));
	memcpy(s->ms_nt_response, m->value + 24, MSCHAP_NT_RESPONSE_SIZE);
	if (auth_lookup(a, s->identity, &secret) < 0 || auth_secret_nt_hash(&secret, nt_hash) < 0) {
		auth_secret_wipe(&secret);
		put_failure(a, next);
		return EAP_METHOD_CONTINUE;
	}
	auth_secret_wipe(&secret);
	mschapv2_nt_response_from_hash(s->ms_auth_challenge, s->ms_peer_challenge, name, nt_hash, expected);
	bool ok = crypto_equal(expected, s->ms_nt_response, sizeof(expected));
	crypto_wipe(expected, sizeof(expected));
	if (!ok) {
		crypto_wipe(nt_hash, sizeof(nt_hash));
		put_failure(a, next);
		return EAP_METHOD_CONTINUE;
	}
	char success[MSCHAP_AUTH_RESPONSE_LEN + 1 + 5];
	mschapv2_authenticator_response_from_hash(nt_hash, s->ms_nt_response, s->ms_peer_challenge,
						  s->ms_auth_challenge, name, success);
	memcpy(success + MSCHAP_AUTH_RESPONSE_LEN, " M=OK", 5);
	eap_mschapv2_put(next, EAP_MSCHAPV2_SUCCESS, s->ms_id, NULL, 0, success, sizeof(success) - 1);
	keep_material(a, nt_hash, true);
	crypto_wipe(nt_hash, sizeof(nt_hash));
	s->ms_state = MS_SUCCESS_SENT;
	return writer_ok(next) ? EAP_METHOD_CONTINUE : ERR_NOSPACE;
}

static int ms_auth_response(struct auth *a, uint8_t id, const uint8_t *data, size_t len, struct writer *next,
			    struct eap_method_outcome *out)
{
	struct auth_eap_state *s = &a->u.eap;
	struct eap_mschapv2_msg m;
	int rc = eap_mschapv2_parse(data, len, &m);

	(void)id;
	if (rc < 0)
		return rc;
	switch (s->ms_state) {
	case MS_CHALLENGE_SENT:
		if (m.opcode != EAP_MSCHAPV2_RESPONSE)
			return ERR_STATE;
		return ms_auth_check(a, &m, next);
	case MS_SUCCESS_SENT:
		if (m.opcode != EAP_MSCHAPV2_SUCCESS)
			return ERR_STATE;
		return EAP_METHOD_SUCCESS;
	case MS_FAILURE_SENT:
		if (m.opcode != EAP_MSCHAPV2_FAILURE)
			return ERR_STATE;
		outcome(out, AUTH_CAUSE_WRONG_PASSWORD, "wrong password or unknown user");
		return EAP_METHOD_FAILURE;
	default:
		return ERR_STATE;
	}
}

/* ---- peer ---- */

static bool ms_peer_usable(const struct auth *a)
{
	return a->cfg.secret.kind == AUTH_SECRET_PASSWORD || a->cfg.secret.kind == AUTH_SECRET_NT_HASH;
}

static int ms_peer_challenge(struct auth *a, const struct eap_mschapv2_msg *m, struct writer *w)
{
	struct auth_eap_state *s = &a->u.eap;
	uint8_t nt_hash[MSCHAP_NT_HASH_SIZE], value[EAP_MSCHAPV2_RESPONSE_VALUE];

	if (auth_secret_nt_hash(&a->cfg.secret, nt_hash) < 0)
		return ERR_NOT_FOUND;
	s->ms_id = m->ms_id;
	memcpy(s->ms_auth_challenge, m->value, sizeof(s->ms_auth_challenge));
	random_fill(&a->cfg.random, s->ms_peer_challenge, sizeof(s->ms_peer_challenge));
	mschapv2_nt_response_from_hash(s->ms_auth_challenge, s->ms_peer_challenge, a->cfg.user, nt_hash,
				       s->ms_nt_response);
	crypto_wipe(nt_hash, sizeof(nt_hash));
	/* RFC 2759 §4: Peer-Challenge, 8 reserved zeros, NT-Response, Flags 0. */
	memset(value, 0, sizeof(value));
	memcpy(value, s->ms_peer_challenge, 16);
	memcpy(value + 24, s->ms_nt_response, MSCHAP_NT_RESPONSE_SIZE);
	eap_mschapv2_put(w, EAP_MSCHAPV2_RESPONSE, s->ms_id, value, sizeof(value), a->cfg.user, strlen(a->cfg.user));
	s->ms_state = MS_RESPONDED;
	return writer_ok(w) ? 0 : ERR_NOSPACE;
}

static int ms_peer_request(struct auth *a, uint8_t id, const uint8_t *data, size_t len, struct writer *w)
{
	struct auth_eap_state *s = &a->u.eap;
	struct eap_mschapv2_msg m;
	int rc = eap_mschapv2_parse(data, len, &m);

	(void)id;
	if (rc < 0)
		return rc;
	if (m.opcode == EAP_MSCHAPV2_CHALLENGE)
		return ms_peer_challenge(a, &m, w);
	if (s->ms_state != MS_RESPONDED || m.ms_id != s->ms_id)
		return ERR_STATE;
	if (m.opcode == EAP_MSCHAPV2_FAILURE) {
		/* RFC 2759 §6 "E=691 R=0 ...": ack it; EAP-Failure follows. */
		s->ms_state = MS_PEER_REFUSED;
		writer_u8(w, EAP_MSCHAPV2_FAILURE);
		return writer_ok(w) ? 0 : ERR_NOSPACE;
	}
	if (m.opcode != EAP_MSCHAPV2_SUCCESS)
		return ERR_MALFORMED;
	uint8_t nt_hash[MSCHAP_NT_HASH_SIZE];
	if (auth_secret_nt_hash(&a->cfg.secret, nt_hash) < 0)
		return ERR_NOT_FOUND;
	/* RFC 2759 §8.8: "S=" and 40 hex digits, then maybe " M=...". */
	bool ok = m.text_len >= MSCHAP_AUTH_RESPONSE_LEN &&
		  mschapv2_check_authenticator_response(nt_hash, s->ms_nt_response, s->ms_peer_challenge,
							s->ms_auth_challenge, a->cfg.user, (const char *)m.text,
							MSCHAP_AUTH_RESPONSE_LEN);
	if (!ok) {
		crypto_wipe(nt_hash, sizeof(nt_hash));
		auth_fail(a, AUTH_CAUSE_BAD_AUTHENTICATOR, "EAP-MSCHAPv2: the authenticator's S= is missing or wrong");
		return 0; /* a->done: eap.c sends nothing */
	}
	keep_material(a, nt_hash, false);
	crypto_wipe(nt_hash, sizeof(nt_hash));
	s->ms_state = MS_PEER_VERIFIED;
	writer_u8(w, EAP_MSCHAPV2_SUCCESS);
	return writer_ok(w) ? 0 : ERR_NOSPACE;
}

static bool ms_peer_may_succeed(const struct auth *a)
{
	return a->u.eap.ms_state == MS_PEER_VERIFIED;
}

const struct eap_method eap_method_mschapv2 = {
	.type = EAP_TYPE_MSCHAPV2,
	.name = "MSCHAPv2",
	.reported = AUTH_METHOD_EAP_MSCHAPV2,
	.auth_start = ms_auth_start,
	.auth_response = ms_auth_response,
	.peer_usable = ms_peer_usable,
	.peer_request = ms_peer_request,
	.peer_may_succeed = ms_peer_may_succeed,
};
