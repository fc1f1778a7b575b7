/* SPDX-License-Identifier: BSD-2-Clause */
/* PAP (RFC 1334 §2): the peer sends Authenticate-Request (peer-id and
 * password in clear) until it gets Ack/Nak; the authenticator checks it. */
#include <stdio.h>
#include <string.h>

#include "base/crypto.h"
#include "base/error.h"
#include "base/writer.h"
#include "proto/auth/auth_internal.h"
#include "proto/auth/auth_wire.h"

enum pap_state {
	PAP_INITIAL = 0,
	PAP_PEER_SENT,        /* peer: Request out, waiting for Ack/Nak */
	PAP_AUTH_WAITING,     /* authenticator: waiting for a Request */
	PAP_AUTH_VERIFYING,   /* authenticator: remote_verify, verdict pending */
	PAP_DONE,             /* result known; only duplicates are answered */
};

static const char pap_ack_message[] = "Login ok";
static const char pap_nak_message[] = "Login incorrect";

static void pap_peer_send(struct auth *a, uint64_t now_ms)
{
	struct auth_pap_state *s = &a->u.pap;
	uint8_t pkt[4 + 2 + 2 * 255];
	struct writer w;
	size_t ulen = strlen(a->cfg.user);

	writer_init(&w, pkt, sizeof(pkt));
	writer_u8(&w, PAP_AUTH_REQUEST);
	writer_u8(&w, s->id);
	writer_u16(&w, (uint16_t)(4 + 2 + ulen + a->cfg.secret.password_len));
	writer_u8(&w, (uint8_t)ulen);
	writer_bytes(&w, a->cfg.user, ulen);
	writer_u8(&w, (uint8_t)a->cfg.secret.password_len);
	writer_bytes(&w, a->cfg.secret.password, a->cfg.secret.password_len);
	auth_send(a, pkt, writer_len(&w));
	crypto_wipe(pkt, sizeof(pkt));
	s->transmits++;
	a->deadline = now_ms + auth_restart_ms(a);
}

static int pap_start(struct auth *a, uint64_t now_ms)
{
	struct auth_pap_state *s = &a->u.pap;

	if (a->cfg.role == AUTH_ROLE_AUTHENTICATOR) {
		s->state = PAP_AUTH_WAITING;
		a->deadline = now_ms + auth_wait_ms(a);
		return 0;
	}
	snprintf(a->result.user, sizeof(a->result.user), "%s", a->cfg.user);
	if (a->cfg.secret.kind != AUTH_SECRET_PASSWORD) {
		s->state = PAP_DONE;
		auth_fail(a, AUTH_CAUSE_NO_SECRET, "PAP needs a plaintext password");
		return ERR_AUTH;
	}
	random_fill(&a->cfg.random, &s->id, 1);
	s->state = PAP_PEER_SENT;
	pap_peer_send(a, now_ms);
	return 0;
}

static void pap_reply(struct auth *a, uint8_t code, uint8_t id, const char *msg)
{
	size_t mlen = strlen(msg);
	struct writer w;

	uint8_t pkt[AUTH_MAX_PACKET];
	writer_init(&w, pkt, sizeof(pkt));
	writer_u8(&w, code);
	writer_u8(&w, id);
	writer_u16(&w, (uint16_t)(5 + mlen));
	writer_u8(&w, (uint8_t)mlen);
	writer_bytes(&w, msg, mlen);
	auth_send_keep(a, pkt, writer_len(&w));
}

static void pap_check_request(struct auth *a, const struct pap_packet *p, uint64_t now_ms)
{
	struct auth_pap_state *s = &a->u.pap;
	struct auth_secret secret;
	char user[AUTH_MAX_NAME + 1];

	s->state = PAP_DONE;
	a->deadline = DEADLINE_NONE;
	s->id = p->id;
	if (!auth_copy_name(user, sizeof(user), p->peer_id, p->peer_id_len)) {
		pap_reply(a, PAP_AUTH_NAK, p->id, pap_nak_message);
		auth_fail(a, AUTH_CAUSE_REJECTED, "peer-id holds a NUL byte");
		return;
	}
	snprintf(a->result.user, sizeof(a->result.user), "%s", user);
	if (a->cfg.remote_verify) {
		struct auth_verify_request *r = &a->verify;
		memset(r, 0, sizeof(*r));
		r->method = AUTH_METHOD_PAP;
		snprintf(r->user, sizeof(r->user), "%s", user);
		memcpy(r->password, p->password, p->password_len); /* <= 255 (one octet) */
		r->password_len = p->password_len;
		s->state = PAP_AUTH_VERIFYING;
		auth_request_verify(a, now_ms);
		return;
	}
	if (auth_lookup(a, user, &secret) < 0) {
		pap_reply(a, PAP_AUTH_NAK, p->id, pap_nak_message);
		auth_fail(a, AUTH_CAUSE_REJECTED, "unknown user \"%s\"", user);
		return;
	}
	if (secret.kind != AUTH_SECRET_PASSWORD) {
		auth_secret_wipe(&secret);
		pap_reply(a, PAP_AUTH_NAK, p->id, pap_nak_message);
		auth_fail(a, AUTH_CAUSE_NO_SECRET,
			  "secret of \"%s\" is an NT hash; PAP needs the plaintext", user);
		return;
	}
	/* Constant time over the stored password's length; a length mismatch
	 * still runs the comparison so timing says little. */
	bool same_len = secret.password_len == p->password_len;
	bool same = crypto_equal(secret.password, same_len ? (const void *)p->password : secret.password,
				 secret.password_len) && same_len;
	auth_secret_wipe(&secret);
	if (!same) {
		pap_reply(a, PAP_AUTH_NAK, p->id, pap_nak_message);
		auth_fail(a, AUTH_CAUSE_WRONG_PASSWORD, "wrong password for \"%s\"", user);
		return;
	}
	pap_reply(a, PAP_AUTH_ACK, p->id, pap_ack_message);
	auth_succeed(a, user);
}

static int pap_input(struct auth *a, const uint8_t *payload, size_t len, uint64_t now_ms)
{
	struct auth_pap_state *s = &a->u.pap;
	struct pap_packet p;
	int rc = pap_parse(payload, len, &p);

	if (rc < 0)
		return auth_drop(a, now_ms, rc, "malformed packet");

	if (a->cfg.role == AUTH_ROLE_AUTHENTICATOR) {
		if (p.code != PAP_AUTH_REQUEST)
			return auth_drop(a, now_ms, ERR_STATE, "non-request from peer");
		if (s->state == PAP_AUTH_WAITING) {
			pap_check_request(a, &p, now_ms);
			return 0;
		}
		if (s->state == PAP_AUTH_VERIFYING) {
			/* A retransmission while the verdict is pending: the
			 * answer will carry its Identifier (RFC 1334 §2.2.2). */
			s->id = p.id;
			return 0;
		}
		if (s->state == PAP_DONE && a->last_len >= 2) {
			/* A retransmitted Request (new Identifier, RFC 1334
			 * §2.2.1) gets the answer already given. */
			a->last[1] = p.id;
			auth_resend(a);
			return 0;
		}
		return auth_drop(a, now_ms, ERR_STATE, "request before start");
	}

	if (p.code == PAP_AUTH_REQUEST)
		return auth_drop(a, now_ms, ERR_STATE, "request sent to the peer");
	if (s->state != PAP_PEER_SENT)
		return auth_drop(a, now_ms, ERR_STATE, "reply when not waiting");
	if (p.id != s->id)
		return auth_drop(a, now_ms, ERR_STATE, "reply with a stale identifier");
	s->state = PAP_DONE;
	a->deadline = DEADLINE_NONE;
	char msg[AUTH_MAX_NAME + 1];
	if (!auth_copy_name(msg, sizeof(msg), p.message, p.message_len))
		msg[0] = '\0';
	if (p.code == PAP_AUTH_ACK)
		auth_succeed(a, a->cfg.user);
	else
		auth_fail(a, AUTH_CAUSE_WRONG_PASSWORD, "authenticator refused: \"%s\"", msg);
	return 0;
}

static void pap_on_timeout(struct auth *a, uint64_t now_ms)
{
	struct auth_pap_state *s = &a->u.pap;

	if (s->state == PAP_AUTH_WAITING) {
		s->state = PAP_DONE;
		auth_fail(a, AUTH_CAUSE_TIMEOUT, "no Authenticate-Request from the peer");
		return;
	}
	if (s->state == PAP_AUTH_VERIFYING) {
		auth_verify_clear(a);
		s->state = PAP_DONE;
		pap_reply(a, PAP_AUTH_NAK, s->id, pap_nak_message);
		auth_fail(a, AUTH_CAUSE_TIMEOUT, "no verdict on \"%s\" in %u ms", a->result.user,
			  auth_verify_timeout_ms(a));
		return;
	}
	if (s->state != PAP_PEER_SENT) {
		a->deadline = DEADLINE_NONE;
		return;
	}
	if (s->transmits >= auth_max_transmits(a)) {
		s->state = PAP_DONE;
		auth_fail(a, AUTH_CAUSE_TIMEOUT, "no answer to %u Authenticate-Requests", s->transmits);
		return;
	}
	/* A new Identifier per transmission, as pppd does. */
	s->id++;
	pap_peer_send(a, now_ms);
}

static void pap_verdict(struct auth *a, const struct auth_verdict *v, uint64_t now_ms)
{
	struct auth_pap_state *s = &a->u.pap;
	(void)now_ms;
	if (s->state != PAP_AUTH_VERIFYING)
		return;
	s->state = PAP_DONE;
	a->deadline = DEADLINE_NONE;
	if (v->cause == AUTH_CAUSE_NONE) {
		pap_reply(a, PAP_AUTH_ACK, s->id, v->message[0] ? v->message : pap_ack_message);
		auth_succeed(a, NULL); /* result.user holds the name already */
		return;
	}
	pap_reply(a, PAP_AUTH_NAK, s->id, v->message[0] ? v->message : pap_nak_message);
	auth_fail(a, v->cause, "%s", v->reason[0] ? v->reason : "refused");
}

static void pap_destroy(struct auth *a)
{
	crypto_wipe(&a->u.pap, sizeof(a->u.pap));
}

const struct auth_method_ops auth_pap_ops = {
	.method = AUTH_METHOD_PAP,
	.ppp_protocol = PPP_PROTO_PAP,
	.chap_algorithm = 0,
	.start = pap_start,
	.input = pap_input,
	.on_timeout = pap_on_timeout,
	.destroy = pap_destroy,
	.verdict = pap_verdict,
};
