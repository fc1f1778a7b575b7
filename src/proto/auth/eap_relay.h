/* SPDX-License-Identifier: BSD-2-Clause */
/* The EAP engine's internals shared with EAP pass-through (eap_relay.c).
 *
 * Pass-through (RFC 3579 §2, cfg.remote_verify): the authenticator sends
 * Request/Identity itself, then hands every EAP Response the peer sends,
 * whole, to the verifier as an auth_verify_request (method EAP, eap[] and
 * the State to echo) and waits, as PAP and CHAP wait for a verdict. The
 * verdict carries the verifier's next EAP Request (eap_challenge, RADIUS
 * Access-Challenge), relayed to the peer unchanged, or the end: Success
 * with the MPPE keys the verifier gave (MS-MPPE-Send/Recv-Key), or Failure.
 * The engine never looks inside the relayed method, so any method the
 * RADIUS server speaks works. */
#ifndef OPENPPTP_PROTO_AUTH_EAP_RELAY_H
#define OPENPPTP_PROTO_AUTH_EAP_RELAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/auth/auth.h"

enum eap_state {
	EAP_INITIAL = 0,
	EAP_AUTH_IDENTITY_SENT,
	EAP_AUTH_METHOD_OFFERED, /* a method's first Request is out: a Nak may answer (§5.3.1) */
	EAP_AUTH_METHOD_RUNNING, /* the peer answered in the method: a Nak is unexpected (§2.1) */
	EAP_AUTH_RELAYING,       /* pass-through: a Response is with the verifier */
	EAP_AUTH_RELAY_SENT,     /* pass-through: the verifier's Request is with the peer */
	EAP_AUTH_DONE,
	EAP_PEER_WAITING,
	EAP_PEER_DONE,
};

/* eap.c: frame and send a packet (kept for retransmission). */
void eap_send(struct auth *a, uint8_t code, uint8_t id, uint8_t type, const uint8_t *data, size_t data_len);
/* eap.c: send Success / Failure and report the result. */
void eap_auth_finish(struct auth *a, bool success, enum auth_cause cause, const char *reason);

/* The peer's Response pkt[0..len) (already parsed, Identifier checked):
 * to the verifier. */
void eap_relay_response(struct auth *a, const uint8_t *pkt, size_t len, uint64_t now_ms);
/* The engine goes: its relay buffer with it. */
void eap_relay_free(struct auth *a);
/* auth_method_ops.verdict of EAP. */
void eap_relay_verdict(struct auth *a, const struct auth_verdict *v, uint64_t now_ms);

#endif
