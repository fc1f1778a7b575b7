/* SPDX-License-Identifier: BSD-2-Clause */
/* EAP-TLS (RFC 5216; TLS 1.3 per RFC 9190) as an EAP method, both roles.
 *
 * The framing is eap_tls_frame.c, the TLS engine tls_session.c; this file
 * is the exchange between them:
 *   authenticator: Start -> the peer's ClientHello -> our flight -> the
 *     peer's flight -> our last flight (TLS 1.2: ChangeCipherSpec +
 *     Finished; TLS 1.3: the protected success indication 0x00, §2.5)
 *     -> the peer's ACK -> Success.
 *   peer: the reverse, and a Success counts only once our handshake is
 *     complete (the server proved itself).
 * A fragment (M set) is answered by an empty ACK (§2.1.5); the peer's
 * ACK of ours gets the next one. Keys: §2.3 / RFC 9190 §2.3, the client
 * sends with bytes 0-31 and receives with 32-63, the server the reverse;
 * MPPE cuts each to its key length and derives session keys from it
 * (RFC 3079 §4 GetNewKeyFromSHA, mppe.c). */
#include <stdlib.h>
#include <string.h>

#include "base/crypto.h"
#include "base/error.h"
#include "base/text_escape.h"
#include "proto/auth/auth_internal.h"
#include "proto/auth/auth_wire.h"
#include "proto/auth/eap_method.h"
#include "proto/auth/eap_tls_frame.h"
#include "proto/auth/tls_session.h"

enum eap_tls_phase {
	EAP_TLS_IDLE = 0,
	EAP_TLS_HANDSHAKE, /* TLS messages going both ways */
	EAP_TLS_FINAL,     /* authenticator: our last flight is out, wait for the ACK */
	EAP_TLS_COMPLETE,  /* peer: handshake done, wait for Success */
	EAP_TLS_FAILED,    /* peer: our alert is out, wait for Failure */
};

struct eap_tls_state {
	enum eap_tls_phase phase;
	struct tls_session *tls;
	struct eap_tls_reasm in;
	struct eap_tls_out out;
};

static void tls_state_free(struct auth *a)
{
	struct eap_tls_state *st = a->u.eap.tls;
	if (!st)
		return;
	tls_session_destroy(st->tls);
	eap_tls_reasm_destroy(&st->in);
	eap_tls_out_destroy(&st->out);
	crypto_wipe(st, sizeof(*st));
	free(st);
	a->u.eap.tls = NULL;
}

/* A fresh state and TLS engine for our role. */
static int tls_state_new(struct auth *a)
{
	tls_state_free(a);
	if (!a->cfg.eap_tls)
		return ERR_STATE;
	struct eap_tls_state *st = calloc(1, sizeof(*st));
	if (!st)
		return ERR_NOMEM;
	a->u.eap.tls = st;
	int rc = tls_session_new(&st->tls, a->cfg.eap_tls, a->cfg.role == AUTH_ROLE_AUTHENTICATOR, &st->out);
	if (rc < 0) {
		tls_state_free(a);
		return rc;
	}
	st->phase = EAP_TLS_HANDSHAKE;
	return 0;
}

/* What one EAP packet may carry after its Type octet, on this link. */
static size_t max_type_data(const struct auth *a)
{
	size_t pkt = a->cfg.max_packet ? a->cfg.max_packet : AUTH_MAX_PACKET;
	if (pkt > AUTH_MAX_PACKET)
		pkt = AUTH_MAX_PACKET;
	if (pkt < 64)
		pkt = 64;
	return pkt - 5; /* Code, Identifier, Length, Type */
}

/* RFC 5216 §2.3: the keys, from our point of view. */
static int tls_keys(struct auth *a)
{
	struct eap_tls_state *st = a->u.eap.tls;
	struct auth_mppe_material *m = &a->result.mppe;
	uint8_t km[TLS_SESSION_KEY_MATERIAL];
	bool server = a->cfg.role == AUTH_ROLE_AUTHENTICATOR;

	int rc = tls_session_key_material(st->tls, km);
	if (rc < 0)
		return rc;
	memset(m, 0, sizeof(*m));
	m->valid = m->raw_keys = true;
	m->is_server = server;
	memcpy(m->send_key, km + (server ? 32 : 0), 32);
	memcpy(m->recv_key, km + (server ? 0 : 32), 32);
	m->send_key_len = m->recv_key_len = 32;
	crypto_wipe(km, sizeof(km));
	return 0;
}

static void log_peer(struct auth *a, const char *what)
{
	char subject[256];
	char shown[TEXT_ESCAPED_SIZE(sizeof(subject))];
	tls_session_peer_subject(a->u.eap.tls->tls, subject, sizeof(subject));
	text_escape_str(shown, sizeof(shown), subject);
	log_msg(LOG_LEVEL_INFO, a->cfg.tag, "EAP-TLS: %s (TLS %s, certificate \"%s\")", what,
		tls_session_is_tls13(a->u.eap.tls->tls) ? "1.3" : "1.2", shown);
}

static void outcome(struct eap_method_outcome *out, enum auth_cause cause, const char *reason)
{
	out->cause = cause;
	strncpy(out->reason, reason, sizeof(out->reason) - 1);
	out->reason[sizeof(out->reason) - 1] = '\0';
}

/* Reassemble; ERR_AGAIN when an ACK was written for a middle fragment. */
static int take_fragment(struct auth *a, const struct eap_tls_fragment *f, struct writer *w)
{
	struct eap_tls_state *st = a->u.eap.tls;
	int rc = eap_tls_reasm_add(&st->in, f);
	if (rc < 0)
		return rc;
	if (rc == EAP_TLS_REASM_MORE) {
		eap_tls_write_ack(w);
		return ERR_AGAIN;
	}
	tls_session_input(st->tls, st->in.buf, st->in.len);
	return 0;
}

/* ---------------------------------------------------------------- */
/* authenticator                                                    */

static int tls_auth_start(struct auth *a, struct writer *w)
{
	int rc = tls_state_new(a);
	if (rc < 0)
		return rc;
	eap_tls_write_start(w); /* RFC 5216 §2.1.1 */
	return writer_ok(w) ? 0 : ERR_NOSPACE;
}

static int tls_auth_step(struct auth *a, struct writer *next, struct eap_method_outcome *out)
{
	struct eap_tls_state *st = a->u.eap.tls;
	int rc = tls_session_handshake(st->tls);
	eap_tls_reasm_reset(&st->in);
	if (rc < 0) {
		outcome(out, AUTH_CAUSE_REJECTED, tls_session_error(st->tls));
		return EAP_METHOD_FAILURE;
	}
	if (rc == TLS_SESSION_DONE) {
		if (tls_keys(a) < 0) {
			outcome(out, AUTH_CAUSE_REJECTED, tls_session_error(st->tls));
			return EAP_METHOD_FAILURE;
		}
		/* The certificate must name who the peer said it is (its EAP
		 * Identity), as pppd checks too: else any certificate of the CA
		 * logs in as any user. */
		if (!tls_session_peer_names(st->tls, a->u.eap.identity)) {
			log_peer(a, "certificate does not name the EAP Identity");
			outcome(out, AUTH_CAUSE_REJECTED, "certificate does not name the EAP Identity");
			return EAP_METHOD_FAILURE;
		}
		log_peer(a, "peer authenticated");
		/* RFC 9190 §2.5: TLS 1.3 ends with one octet 0x00 of
		 * application data, the server's commitment. */
		static const uint8_t commitment = 0;
		if (tls_session_is_tls13(st->tls) && tls_session_write(st->tls, &commitment, 1) < 0) {
			outcome(out, AUTH_CAUSE_REJECTED, tls_session_error(st->tls));
			return EAP_METHOD_FAILURE;
		}
		if (!eap_tls_out_pending(&st->out))
			return EAP_METHOD_SUCCESS;
		st->phase = EAP_TLS_FINAL;
	} else if (!eap_tls_out_pending(&st->out)) {
		outcome(out, AUTH_CAUSE_REJECTED, "peer's TLS message incomplete");
		return EAP_METHOD_FAILURE;
	}
	rc = eap_tls_out_next(&st->out, max_type_data(a), next);
	return rc < 0 ? rc : EAP_METHOD_CONTINUE;
}

static int tls_auth_response_step(struct auth *a, uint8_t id, const uint8_t *data, size_t len, struct writer *next,
				  struct eap_method_outcome *out)
{
	struct eap_tls_state *st = a->u.eap.tls;
	struct eap_tls_fragment f;
	(void)id;
	if (!st)
		return ERR_STATE;
	int rc = eap_tls_fragment_parse(data, len, &f);
	if (rc < 0)
		return rc;
	if (f.flags & EAP_TLS_FLAG_S)
		return ERR_MALFORMED; /* only the server starts */
	if (eap_tls_out_pending(&st->out)) {
		if (!eap_tls_fragment_is_ack(&f))
			return ERR_STATE; /* §2.1.5: our fragment must be ACKed */
		rc = eap_tls_out_next(&st->out, max_type_data(a), next);
		return rc < 0 ? rc : EAP_METHOD_CONTINUE;
	}
	if (st->phase == EAP_TLS_FINAL) {
		if (eap_tls_fragment_is_ack(&f))
			return EAP_METHOD_SUCCESS;
		/* Anything else is the peer's alert on our last flight. */
		outcome(out, AUTH_CAUSE_REJECTED, "peer refused our final TLS flight");
		return EAP_METHOD_FAILURE;
	}
	if (eap_tls_fragment_is_ack(&f))
		return ERR_STATE; /* nothing of ours to acknowledge */
	rc = take_fragment(a, &f, next);
	if (rc == ERR_AGAIN)
		return EAP_METHOD_CONTINUE;
	if (rc < 0) {
		outcome(out, AUTH_CAUSE_REJECTED, "malformed EAP-TLS fragments");
		return EAP_METHOD_FAILURE;
	}
	return tls_auth_step(a, next, out);
}

/* The verdict ends the method: its TLS engine and buffers (tens of KB
 * per session) go at once, not when the link does; the keys are already
 * in the result. */
static int tls_auth_response(struct auth *a, uint8_t id, const uint8_t *data, size_t len, struct writer *next,
			     struct eap_method_outcome *out)
{
	int rc = tls_auth_response_step(a, id, data, len, next, out);
	if (rc == EAP_METHOD_SUCCESS || rc == EAP_METHOD_FAILURE)
		tls_state_free(a);
	return rc;
}

/* ---------------------------------------------------------------- */
/* peer                                                             */

static bool tls_peer_usable(const struct auth *a)
{
	return a->cfg.eap_tls != NULL;
}

/* The next fragment of ours, or an ACK when we have nothing to say. */
static int peer_send(struct auth *a, struct writer *w)
{
	struct eap_tls_state *st = a->u.eap.tls;
	if (!eap_tls_out_pending(&st->out)) {
		eap_tls_write_ack(w);
		return writer_ok(w) ? 0 : ERR_NOSPACE;
	}
	return eap_tls_out_next(&st->out, max_type_data(a), w);
}

static int tls_peer_step(struct auth *a, struct writer *w)
{
	struct eap_tls_state *st = a->u.eap.tls;
	if (st->phase == EAP_TLS_COMPLETE) {
		/* After the handshake: TLS 1.3's 0x00 commitment (RFC 9190 §2.5). */
		uint8_t buf[64];
		if (tls_session_read(st->tls, buf, sizeof(buf)) < 0)
			log_msg(LOG_LEVEL_WARN, a->cfg.tag, "EAP-TLS: %s", tls_session_error(st->tls));
		eap_tls_reasm_reset(&st->in);
		return peer_send(a, w);
	}
	int rc = tls_session_handshake(st->tls);
	eap_tls_reasm_reset(&st->in);
	if (rc < 0) {
		log_msg(LOG_LEVEL_WARN, a->cfg.tag, "EAP-TLS: %s", tls_session_error(st->tls));
		st->phase = EAP_TLS_FAILED; /* our alert (if any) goes out; the server ends it */
		return peer_send(a, w);
	}
	if (rc == TLS_SESSION_DONE) {
		if (tls_keys(a) < 0) {
			log_msg(LOG_LEVEL_WARN, a->cfg.tag, "EAP-TLS: %s", tls_session_error(st->tls));
			st->phase = EAP_TLS_FAILED;
		} else {
			log_peer(a, "server authenticated");
			st->phase = EAP_TLS_COMPLETE;
		}
	}
	return peer_send(a, w);
}

static int tls_peer_request(struct auth *a, uint8_t id, const uint8_t *data, size_t len, struct writer *w)
{
	struct eap_tls_fragment f;
	(void)id;
	int rc = eap_tls_fragment_parse(data, len, &f);
	if (rc < 0)
		return rc;
	if (f.flags & EAP_TLS_FLAG_S) {
		/* RFC 5216 §2.1.1: a Start (again) begins a new handshake. */
		rc = tls_state_new(a);
		if (rc < 0)
			return rc;
		return tls_peer_step(a, w);
	}
	struct eap_tls_state *st = a->u.eap.tls;
	if (!st || st->phase == EAP_TLS_IDLE)
		return ERR_STATE;
	if (eap_tls_out_pending(&st->out)) {
		if (!eap_tls_fragment_is_ack(&f))
			return ERR_STATE;
		return peer_send(a, w);
	}
	if (eap_tls_fragment_is_ack(&f) || st->phase == EAP_TLS_FAILED)
		return ERR_STATE;
	rc = take_fragment(a, &f, w);
	if (rc == ERR_AGAIN)
		return writer_ok(w) ? 0 : ERR_NOSPACE;
	if (rc < 0)
		return rc;
	return tls_peer_step(a, w);
}

static bool tls_peer_may_succeed(const struct auth *a)
{
	const struct eap_tls_state *st = a->u.eap.tls;
	return st && st->phase == EAP_TLS_COMPLETE;
}

const struct eap_method eap_method_tls = {
	.type = EAP_TYPE_TLS,
	.name = "TLS",
	.reported = AUTH_METHOD_EAP_TLS,
	.auth_start = tls_auth_start,
	.auth_response = tls_auth_response,
	.peer_usable = tls_peer_usable,
	.peer_request = tls_peer_request,
	.peer_may_succeed = tls_peer_may_succeed,
	.destroy = tls_state_free,
};
