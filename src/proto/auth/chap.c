/* SPDX-License-Identifier: BSD-2-Clause */
/* CHAP (RFC 1994) with its three algorithms: MD5 (5), MS-CHAPv1 (0x80,
 * RFC 2433) and MS-CHAPv2 (0x81, RFC 2759). One engine; the algorithm
 * decides the challenge size, how a Response value is made and checked, and
 * what the Success / Failure messages carry. */
#include <stdio.h>
#include <string.h>

#include "base/crypto.h"
#include "base/error.h"
#include "base/text_escape.h"
#include "base/writer.h"
#include "proto/auth/auth_internal.h"
#include "proto/auth/auth_wire.h"
#include "proto/auth/chap_build.h"
#include "proto/auth/chap_verify.h"

enum chap_state {
	CHAP_INITIAL = 0,
	/* authenticator */
	CHAP_AUTH_CHALLENGE_SENT,  /* waiting for the Response to s->id */
	CHAP_AUTH_RETRY_WAIT,      /* MS-CHAP Failure R=1 sent, waiting for id+1 */
	CHAP_AUTH_VERIFYING,       /* remote_verify: the verdict on s->id is pending */
	CHAP_AUTH_OPEN,            /* Success sent (re-challenge timer may run) */
	CHAP_AUTH_FAILED,          /* final Failure sent */
	/* peer */
	CHAP_PEER_LISTEN,          /* waiting for a Challenge */
	CHAP_PEER_RESPONSE_SENT,   /* waiting for Success / Failure */
	CHAP_PEER_OPEN,
	CHAP_PEER_FAILED,
};

static uint8_t chap_algorithm(const struct auth *a)
{
	return a->ops->chap_algorithm;
}

static size_t chap_challenge_size(const struct auth *a)
{
	/* RFC 2433 §5: 8 octets; RFC 2759 §3: 16; MD5: we pick 16. */
	return chap_algorithm(a) == AUTH_CHAP_MSCHAPV1 ? MSCHAP_V1_CHALLENGE_SIZE : 16;
}

/* ---------------------------------------------------------------- */
/* authenticator                                                    */

static void chap_send_challenge(struct auth *a, uint64_t now_ms, bool fresh_id)
{
	struct auth_chap_state *s = &a->u.chap;
	if (fresh_id)
		s->id++;
	s->challenge_len = chap_challenge_size(a);
	random_fill(&a->cfg.random, s->challenge, s->challenge_len);
	uint8_t pkt[AUTH_MAX_PACKET];
	size_t len = chap_build_value(pkt, sizeof(pkt), CHAP_CHALLENGE, s->id, s->challenge, s->challenge_len,
				      a->cfg.local_name);
	auth_send_keep(a, pkt, len);
	s->state = CHAP_AUTH_CHALLENGE_SENT;
	s->transmits = 1;
	a->deadline = now_ms + auth_restart_ms(a);
}

static void chap_auth_send_status(struct auth *a, uint8_t code, const char *msg)
{
	struct auth_chap_state *s = &a->u.chap;
	uint8_t pkt[AUTH_MAX_PACKET];
	auth_send_keep(a, pkt, chap_build_status(pkt, sizeof(pkt), code, s->id, msg));
}

/* Failure: final, or (MS-CHAP with retries left) R=1 with a new challenge. */
static void chap_auth_reject(struct auth *a, uint64_t now_ms, enum auth_cause cause, unsigned mserr,
			     const char *reason, const char *peer_text)
{
	struct auth_chap_state *s = &a->u.chap;
	uint8_t alg = chap_algorithm(a);

	if (alg == AUTH_CHAP_MD5) {
		chap_auth_send_status(a, CHAP_FAILURE, peer_text ? peer_text : "Authentication failed");
		s->state = CHAP_AUTH_FAILED;
		auth_fail(a, cause, "%s", reason);
		return;
	}
	bool retry = cause == AUTH_CAUSE_WRONG_PASSWORD && s->retries < a->cfg.max_retries;
	uint8_t fresh[16];
	size_t clen = chap_challenge_size(a);
	char chex[33];
	char msg[128 + AUTH_VERIFY_MESSAGE_MAX];

	/* RFC 2759 §6: the C= challenge MUST be present; it is the one a
	 * retried Response is computed on (RFC 2433 §5 likewise). */
	random_fill(&a->cfg.random, fresh, clen);
	chap_hex_upper(chex, fresh, clen);
	snprintf(msg, sizeof(msg), "E=%u R=%d C=%s V=%d M=%s", mserr, retry ? 1 : 0, chex,
		 alg == AUTH_CHAP_MSCHAPV2 ? 3 : 2, peer_text ? peer_text : "Authentication failure");
	chap_auth_send_status(a, CHAP_FAILURE, msg);
	if (retry) {
		s->retries++;
		memcpy(s->challenge, fresh, clen);
		s->challenge_len = clen;
		s->id++;              /* RFC 2433 §B.1.3: the retry Response is Failure id + 1 */
		s->state = CHAP_AUTH_RETRY_WAIT;
		a->deadline = now_ms + auth_wait_ms(a);
		log_msg(LOG_LEVEL_INFO, a->cfg.tag, "%s: %s; retry %u of %u allowed", auth_method_name(a->ops->method), reason,
			s->retries, a->cfg.max_retries);
		return;
	}
	s->state = CHAP_AUTH_FAILED;
	auth_fail(a, cause, "%s", reason);
}

static void chap_auth_accept(struct auth *a, uint64_t now_ms, const char *user, const char *msg)
{
	struct auth_chap_state *s = &a->u.chap;
	chap_auth_send_status(a, CHAP_SUCCESS, msg);
	s->state = CHAP_AUTH_OPEN;
	s->retries = 0;
	a->deadline = a->cfg.rechallenge_ms ? now_ms + a->cfg.rechallenge_ms : DEADLINE_NONE;
	if (s->opened) {
		char shown[TEXT_ESCAPED_SIZE(AUTH_MAX_NAME)];
		text_escape_str(shown, sizeof(shown), user);
		log_msg(LOG_LEVEL_DEBUG, a->cfg.tag, "%s: re-authenticated \"%s\"", auth_method_name(a->ops->method),
			shown);
		return;
	}
	s->opened = true;
	auth_succeed(a, user);
}

/* remote_verify: what the verifier needs, then wait (auth_verify.h). */
static void chap_auth_request_verify(struct auth *a, const struct chap_packet *p, const char *user, uint64_t now_ms)
{
	struct auth_chap_state *s = &a->u.chap;
	struct auth_verify_request *r = &a->verify;

	memset(r, 0, sizeof(*r));
	r->method = a->ops->method;
	snprintf(r->user, sizeof(r->user), "%s", user);
	r->id = s->id;
	memcpy(r->challenge, s->challenge, s->challenge_len);
	r->challenge_len = s->challenge_len;
	r->value_len = p->value_len < sizeof(r->value) ? p->value_len : sizeof(r->value);
	memcpy(r->value, p->value, r->value_len);
	s->state = CHAP_AUTH_VERIFYING;
	auth_request_verify(a, now_ms);
}

static void chap_verdict(struct auth *a, const struct auth_verdict *v, uint64_t now_ms)
{
	struct auth_chap_state *s = &a->u.chap;
	if (s->state != CHAP_AUTH_VERIFYING)
		return;
	if (v->cause != AUTH_CAUSE_NONE) {
		chap_auth_reject(a, now_ms, v->cause, v->mschap_error ? v->mschap_error : MSCHAP_ERROR_AUTHENTICATION_FAILURE,
				 v->reason[0] ? v->reason : "refused", v->message[0] ? v->message : NULL);
		return;
	}
	if (chap_algorithm(a) == AUTH_CHAP_MSCHAPV2 && strncmp(v->message, "S=", 2) != 0) {
		/* RFC 2759 §5: without S= the peer must hang up; say why here. */
		chap_auth_reject(a, now_ms, AUTH_CAUSE_REJECTED, MSCHAP_ERROR_AUTHENTICATION_FAILURE,
				 "verifier accepted without an authenticator response", NULL);
		return;
	}
	if (chap_algorithm(a) != AUTH_CHAP_MD5)
		a->result.mppe = v->mppe;
	char user[AUTH_MAX_NAME + 1]; /* auth_succeed copies into result.user */
	snprintf(user, sizeof(user), "%s", a->result.user);
	chap_auth_accept(a, now_ms, user, v->message[0] ? v->message : "Access granted");
}

/* One Response to the current Challenge: who it claims to be, the secret
 * stored for that name, and the algorithm's verdict (chap_verify.c). The
 * secret is wiped on the one way out, whatever the verdict. */
static void chap_auth_check(struct auth *a, const struct chap_packet *p, uint64_t now_ms)
{
	struct auth_chap_state *s = &a->u.chap;
	char user[AUTH_MAX_NAME + 1];
	char unknown[AUTH_MAX_NAME + 32];
	struct auth_secret secret = { .kind = AUTH_SECRET_NONE };
	struct chap_verdict v = { .cause = AUTH_CAUSE_REJECTED };

	if (!auth_copy_name(user, sizeof(user), p->name, p->name_len)) {
		v.reason = "name too long or holds a NUL byte";
	} else if (s->opened && strcmp(user, a->result.user) != 0) {
		/* RFC 1994 §2.2: re-authentication must not change who the peer is. */
		v.reason = "peer changed its name on re-challenge";
	} else {
		snprintf(a->result.user, sizeof(a->result.user), "%s", user);
		if (a->cfg.remote_verify) {
			chap_auth_request_verify(a, p, user, now_ms);
			return;
		}
		if (auth_lookup(a, user, &secret) < 0) {
			/* Answer like a wrong password: no user enumeration. */
			snprintf(unknown, sizeof(unknown), "unknown user \"%s\"", user);
			v.cause = AUTH_CAUSE_WRONG_PASSWORD;
			v.reason = unknown;
		} else {
			const struct chap_response_check in = {
				.id = s->id,
				.challenge = s->challenge,
				.challenge_len = s->challenge_len,
				.user = user,
				.value = p->value,
				.value_len = p->value_len,
				.secret = &secret,
			};
			chap_verify_response(chap_algorithm(a), &in, &a->result.mppe, &v);
		}
	}
	auth_secret_wipe(&secret);
	if (v.cause == AUTH_CAUSE_NONE)
		chap_auth_accept(a, now_ms, user, v.message);
	else
		chap_auth_reject(a, now_ms, v.cause, MSCHAP_ERROR_AUTHENTICATION_FAILURE, v.reason, NULL);
}

static int chap_auth_input(struct auth *a, const struct chap_packet *p, uint64_t now_ms)
{
	struct auth_chap_state *s = &a->u.chap;
	if (p->code != CHAP_RESPONSE)
		return auth_drop(a, now_ms, ERR_STATE, "non-response from the peer");
	switch (s->state) {
	case CHAP_AUTH_CHALLENGE_SENT:
	case CHAP_AUTH_RETRY_WAIT:
		if (p->id == s->id) {
			chap_auth_check(a, p, now_ms);
			return 0;
		}
		if (s->state == CHAP_AUTH_RETRY_WAIT && p->id == (uint8_t)(s->id - 1)) {
			/* duplicate of the Response we failed: same Failure again */
			auth_resend(a);
			return 0;
		}
		return auth_drop(a, now_ms, ERR_STATE, "response with a stale identifier");
	case CHAP_AUTH_VERIFYING:
		if (p->id == s->id)
			return 0; /* a retransmission while the verdict is pending */
		return auth_drop(a, now_ms, ERR_STATE, "response with a stale identifier");
	case CHAP_AUTH_OPEN:
	case CHAP_AUTH_FAILED:
		/* RFC 1994 §4.1: a Response to an answered Challenge gets the
		 * same Success / Failure again. */
		if (p->id == s->id) {
			auth_resend(a);
			return 0;
		}
		return auth_drop(a, now_ms, ERR_STATE, "response with a stale identifier");
	default:
		return auth_drop(a, now_ms, ERR_STATE, "response before a challenge");
	}
}

static void chap_auth_timeout(struct auth *a, uint64_t now_ms)
{
	struct auth_chap_state *s = &a->u.chap;
	switch (s->state) {
	case CHAP_AUTH_CHALLENGE_SENT:
		if (s->transmits >= auth_max_transmits(a)) {
			s->state = CHAP_AUTH_FAILED;
			auth_fail(a, AUTH_CAUSE_TIMEOUT, "no response to %u challenges", s->transmits);
			return;
		}
		s->transmits++;
		auth_resend(a);
		a->deadline = now_ms + auth_restart_ms(a);
		return;
	case CHAP_AUTH_RETRY_WAIT:
		s->state = CHAP_AUTH_FAILED;
		auth_fail(a, AUTH_CAUSE_TIMEOUT, "peer did not retry after Failure");
		return;
	case CHAP_AUTH_VERIFYING:
		auth_verify_clear(a);
		chap_auth_reject(a, now_ms, AUTH_CAUSE_TIMEOUT, MSCHAP_ERROR_AUTHENTICATION_FAILURE,
				 "no verdict from the verifier in time", NULL);
		return;
	case CHAP_AUTH_OPEN:
		/* RFC 1994 §2.2: periodic re-challenge, new Identifier. */
		chap_send_challenge(a, now_ms, true);
		return;
	default:
		a->deadline = DEADLINE_NONE;
		return;
	}
}

/* ---------------------------------------------------------------- */
/* peer                                                             */

/* Build and send the Response to s->id / s->challenge. */
static int chap_peer_respond(struct auth *a, uint64_t now_ms)
{
	struct auth_chap_state *s = &a->u.chap;
	uint8_t alg = chap_algorithm(a);
	uint8_t value[49];
	size_t vlen;

	if (alg == AUTH_CHAP_MD5) {
		const struct crypto_part parts[] = {
			{ &s->id, 1 },
			{ a->cfg.secret.password, a->cfg.secret.password_len },
			{ s->challenge, s->challenge_len },
		};
		crypto_md5(parts, 3, value);
		vlen = CRYPTO_MD5_SIZE;
	} else if (alg == AUTH_CHAP_MSCHAPV1) {
		/* RFC 2433 §6: LM response zero-filled, use-NT flag set. */
		memset(value, 0, 24);
		mschapv1_nt_response_from_hash(s->challenge, s->nt_hash, s->nt_response);
		memcpy(value + 24, s->nt_response, 24);
		value[48] = 1;
		vlen = 49;
	} else {
		random_fill(&a->cfg.random, s->peer_challenge, 16);
		mschapv2_nt_response_from_hash(s->challenge, s->peer_challenge, a->cfg.user, s->nt_hash,
					       s->nt_response);
		memcpy(value, s->peer_challenge, 16);
		memset(value + 16, 0, 8);
		memcpy(value + 24, s->nt_response, 24);
		value[48] = 0;     /* RFC 2759 §4: flags, reserved, zero */
		vlen = 49;
	}
	uint8_t pkt[AUTH_MAX_PACKET];
	size_t len = chap_build_value(pkt, sizeof(pkt), CHAP_RESPONSE, s->id, value, vlen, a->cfg.user);
	crypto_wipe(value, sizeof(value));
	auth_send_keep(a, pkt, len);
	s->state = CHAP_PEER_RESPONSE_SENT;
	s->transmits = 1;
	a->deadline = now_ms + auth_restart_ms(a);
	return 0;
}

static int chap_peer_challenge(struct auth *a, const struct chap_packet *p, uint64_t now_ms)
{
	struct auth_chap_state *s = &a->u.chap;
	uint8_t alg = chap_algorithm(a);

	if (s->state == CHAP_PEER_FAILED)
		return auth_drop(a, now_ms, ERR_STATE, "challenge after failure");
	if (alg == AUTH_CHAP_MSCHAPV1 && p->value_len != MSCHAP_V1_CHALLENGE_SIZE)
		return auth_drop(a, now_ms, ERR_LENGTH, "MS-CHAPv1 challenge not 8 bytes");
	if (alg == AUTH_CHAP_MSCHAPV2 && p->value_len != MSCHAP_V2_CHALLENGE_SIZE)
		return auth_drop(a, now_ms, ERR_LENGTH, "MS-CHAPv2 challenge not 16 bytes");
	if (s->state == CHAP_PEER_RESPONSE_SENT && p->id == s->id && p->value_len == s->challenge_len &&
	    memcmp(p->value, s->challenge, s->challenge_len) == 0) {
		/* A retransmitted Challenge: the same Response (MS-CHAPv2's
		 * peer challenge must not change under the authenticator). */
		auth_resend(a);
		return 0;
	}
	if (!auth_copy_name(a->result.authenticator_name, sizeof(a->result.authenticator_name), p->name,
			    p->name_len))
		a->result.authenticator_name[0] = '\0';
	s->id = p->id;
	if (alg == AUTH_CHAP_MD5 && p->value_len > sizeof(s->challenge)) {
		/* Long MD5 challenge: hash directly from the packet. */
		uint8_t value[CRYPTO_MD5_SIZE];
		const struct crypto_part parts[] = {
			{ &s->id, 1 },
			{ a->cfg.secret.password, a->cfg.secret.password_len },
			{ p->value, p->value_len },
		};
		crypto_md5(parts, 3, value);
		s->challenge_len = 0;   /* never equal to a later one: recompute */
		uint8_t pkt[AUTH_MAX_PACKET];
		auth_send_keep(a, pkt, chap_build_value(pkt, sizeof(pkt), CHAP_RESPONSE, s->id, value,
							sizeof(value), a->cfg.user));
		s->state = CHAP_PEER_RESPONSE_SENT;
		s->transmits = 1;
		a->deadline = now_ms + auth_restart_ms(a);
		return 0;
	}
	memcpy(s->challenge, p->value, p->value_len);
	s->challenge_len = p->value_len;
	return chap_peer_respond(a, now_ms);
}

static enum auth_cause mschap_error_cause(unsigned err)
{
	return err == MSCHAP_ERROR_AUTHENTICATION_FAILURE ? AUTH_CAUSE_WRONG_PASSWORD : AUTH_CAUSE_REJECTED;
}

static int chap_peer_input(struct auth *a, const struct chap_packet *p, uint64_t now_ms)
{
	struct auth_chap_state *s = &a->u.chap;
	uint8_t alg = chap_algorithm(a);
	char text[AUTH_MAX_PACKET];

	if (p->code == CHAP_CHALLENGE)
		return chap_peer_challenge(a, p, now_ms);
	if (p->code == CHAP_RESPONSE)
		return auth_drop(a, now_ms, ERR_STATE, "response sent to the peer");
	if (s->state != CHAP_PEER_RESPONSE_SENT) {
		if (s->state == CHAP_PEER_OPEN && p->code == CHAP_SUCCESS && p->id == s->id)
			return 0; /* our retransmitted Response answered twice */
		return auth_drop(a, now_ms, ERR_STATE, "status when no response is outstanding");
	}
	if (p->id != s->id)
		return auth_drop(a, now_ms, ERR_STATE, "status with a stale identifier");

	size_t tlen = p->message_len < sizeof(text) - 1 ? p->message_len : sizeof(text) - 1;
	memcpy(text, p->message, tlen);
	text[tlen] = '\0';
	for (size_t i = 0; i < tlen; i++)
		if (text[i] < 0x20 || text[i] == 0x7f)
			text[i] = '.';

	if (p->code == CHAP_SUCCESS) {
		struct auth_mppe_material *m = &a->result.mppe;
		if (alg == AUTH_CHAP_MSCHAPV2) {
			const char *resp;
			/* RFC 2759 §5: if the authenticator response is missing or
			 * incorrect, the peer MUST end the session. */
			if (mschapv2_success_parse(p->message, p->message_len, &resp) < 0) {
				s->state = CHAP_PEER_FAILED;
				auth_fail(a, AUTH_CAUSE_BAD_AUTHENTICATOR,
					  "Success without a valid S= authenticator response");
				return 0;
			}
			if (!mschapv2_check_authenticator_response(s->nt_hash, s->nt_response, s->peer_challenge,
								   s->challenge, a->cfg.user, resp,
								   MSCHAP_AUTH_RESPONSE_LEN)) {
				s->state = CHAP_PEER_FAILED;
				auth_fail(a, AUTH_CAUSE_BAD_AUTHENTICATOR,
					  "authenticator response does not match: server does not know our password");
				return 0;
			}
		}
		if (alg != AUTH_CHAP_MD5) {
			m->valid = true;
			m->is_server = false;
			mschap_hash_nt_password_hash(s->nt_hash, m->password_hash_hash);
			memcpy(m->nt_response, s->nt_response, MSCHAP_NT_RESPONSE_SIZE);
			memset(m->challenge, 0, sizeof(m->challenge));
			if (alg == AUTH_CHAP_MSCHAPV1) {
				memcpy(m->challenge, s->challenge, MSCHAP_V1_CHALLENGE_SIZE);
				m->has_lm_password_hash = a->cfg.secret.kind == AUTH_SECRET_PASSWORD;
				if (m->has_lm_password_hash)
					mschap_lm_password_hash(a->cfg.secret.password, a->cfg.secret.password_len,
								m->lm_password_hash);
			}
		}
		s->state = CHAP_PEER_OPEN;
		s->retries = 0;
		a->deadline = DEADLINE_NONE;
		auth_succeed(a, a->cfg.user);
		return 0;
	}

	/* Failure */
	if (alg == AUTH_CHAP_MD5) {
		s->state = CHAP_PEER_FAILED;
		auth_fail(a, AUTH_CAUSE_WRONG_PASSWORD, "authenticator sent Failure: \"%s\"", text);
		return 0;
	}
	struct mschap_failure f;
	if (mschap_failure_parse(p->message, p->message_len, &f) < 0) {
		s->state = CHAP_PEER_FAILED;
		auth_fail(a, AUTH_CAUSE_WRONG_PASSWORD, "authenticator sent Failure (unparsed): \"%s\"", text);
		return 0;
	}
	size_t want = chap_challenge_size(a);
	if (f.retry && f.error == MSCHAP_ERROR_AUTHENTICATION_FAILURE && s->retries < a->cfg.max_retries) {
		if (f.challenge_len == want) {
			memcpy(s->challenge, f.challenge, want);
		} else if (f.challenge_len == 0 && alg == AUTH_CHAP_MSCHAPV1) {
			/* RFC 2433 §5: without C=, the previous challenge plus 23
			 * in its first octet. */
			s->challenge[0] = (uint8_t)(s->challenge[0] + 23);
		} else {
			s->state = CHAP_PEER_FAILED;
			auth_fail(a, AUTH_CAUSE_WRONG_PASSWORD, "Failure allows retry but has no usable C=: \"%s\"",
				  text);
			return 0;
		}
		s->retries++;
		s->id = (uint8_t)(p->id + 1);   /* RFC 2759 §7, RFC 2433: Failure id + 1 */
		s->challenge_len = want;
		log_msg(LOG_LEVEL_INFO, a->cfg.tag, "%s: Failure E=%u R=1, retry %u", auth_method_name(a->ops->method), f.error,
			s->retries);
		return chap_peer_respond(a, now_ms);
	}
	s->state = CHAP_PEER_FAILED;
	auth_fail(a, mschap_error_cause(f.error), "authenticator sent Failure E=%u: \"%s\"", f.error, text);
	return 0;
}

static void chap_peer_timeout(struct auth *a, uint64_t now_ms)
{
	struct auth_chap_state *s = &a->u.chap;

	switch (s->state) {
	case CHAP_PEER_LISTEN:
		s->state = CHAP_PEER_FAILED;
		auth_fail(a, AUTH_CAUSE_TIMEOUT, "no Challenge from the authenticator");
		return;
	case CHAP_PEER_RESPONSE_SENT:
		/* The Success / Failure may be lost: the authenticator answers
		 * a repeated Response with the same result (RFC 1994 §4.1). */
		if (s->transmits >= auth_max_transmits(a)) {
			s->state = CHAP_PEER_FAILED;
			auth_fail(a, AUTH_CAUSE_TIMEOUT, "no Success or Failure after %u responses", s->transmits);
			return;
		}
		s->transmits++;
		auth_resend(a);
		a->deadline = now_ms + auth_restart_ms(a);
		return;
	default:
		a->deadline = DEADLINE_NONE;
		return;
	}
}

/* ---------------------------------------------------------------- */

static int chap_start(struct auth *a, uint64_t now_ms)
{
	struct auth_chap_state *s = &a->u.chap;

	if (a->cfg.role == AUTH_ROLE_AUTHENTICATOR) {
		random_fill(&a->cfg.random, &s->id, 1);
		chap_send_challenge(a, now_ms, false);
		return 0;
	}
	snprintf(a->result.user, sizeof(a->result.user), "%s", a->cfg.user);
	if (chap_algorithm(a) == AUTH_CHAP_MD5) {
		if (a->cfg.secret.kind != AUTH_SECRET_PASSWORD) {
			s->state = CHAP_PEER_FAILED;
			auth_fail(a, AUTH_CAUSE_NO_SECRET, "CHAP-MD5 needs a plaintext password");
			return ERR_AUTH;
		}
	} else {
		if (auth_secret_nt_hash(&a->cfg.secret, s->nt_hash) < 0) {
			s->state = CHAP_PEER_FAILED;
			auth_fail(a, AUTH_CAUSE_NO_SECRET, "no usable password (missing or not UTF-8)");
			return ERR_AUTH;
		}
		s->have_hash = true;
	}
	s->state = CHAP_PEER_LISTEN;
	a->deadline = now_ms + auth_wait_ms(a);
	return 0;
}

static int chap_input(struct auth *a, const uint8_t *payload, size_t len, uint64_t now_ms)
{
	struct chap_packet p;
	int rc = chap_parse(payload, len, &p);

	if (rc < 0)
		return auth_drop(a, now_ms, rc, "malformed packet");
	if (a->cfg.role == AUTH_ROLE_AUTHENTICATOR)
		return chap_auth_input(a, &p, now_ms);
	return chap_peer_input(a, &p, now_ms);
}

static void chap_on_timeout(struct auth *a, uint64_t now_ms)
{
	if (a->cfg.role == AUTH_ROLE_AUTHENTICATOR)
		chap_auth_timeout(a, now_ms);
	else
		chap_peer_timeout(a, now_ms);
}

static void chap_destroy(struct auth *a)
{
	crypto_wipe(&a->u.chap, sizeof(a->u.chap));
}

const struct auth_method_ops auth_chap_md5_ops = {
	.method = AUTH_METHOD_CHAP_MD5,
	.ppp_protocol = PPP_PROTO_CHAP,
	.chap_algorithm = AUTH_CHAP_MD5,
	.start = chap_start,
	.input = chap_input,
	.on_timeout = chap_on_timeout,
	.destroy = chap_destroy,
	.verdict = chap_verdict,
};

const struct auth_method_ops auth_mschapv1_ops = {
	.method = AUTH_METHOD_MSCHAPV1,
	.ppp_protocol = PPP_PROTO_CHAP,
	.chap_algorithm = AUTH_CHAP_MSCHAPV1,
	.start = chap_start,
	.input = chap_input,
	.on_timeout = chap_on_timeout,
	.destroy = chap_destroy,
	.verdict = chap_verdict,
};

const struct auth_method_ops auth_mschapv2_ops = {
	.method = AUTH_METHOD_MSCHAPV2,
	.ppp_protocol = PPP_PROTO_CHAP,
	.chap_algorithm = AUTH_CHAP_MSCHAPV2,
	.start = chap_start,
	.input = chap_input,
	.on_timeout = chap_on_timeout,
	.destroy = chap_destroy,
	.verdict = chap_verdict,
};
