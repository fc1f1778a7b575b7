/* SPDX-License-Identifier: BSD-2-Clause */
/* The authenticator's check of one CHAP Response Value against the secret
 * stored for its Name, one function per algorithm: CHAP-MD5 (RFC 1994 §4.1),
 * MS-CHAPv1 (RFC 2433 §6, NT response only) and MS-CHAPv2 (RFC 2759 §4-5).
 *
 * Pure: no engine state, no output. The engine (chap.c) turns the verdict
 * into a Success or Failure; every hash derived from the secret lives here
 * and is wiped in one place before the check returns. */
#ifndef OPENPPTP_PROTO_AUTH_CHAP_VERIFY_H
#define OPENPPTP_PROTO_AUTH_CHAP_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "proto/auth/auth.h"
#include "proto/auth/mschap_crypto.h"

/* One Response to check, with the Challenge it answers. */
struct chap_response_check {
	uint8_t id;                        /* CHAP-MD5 hashes the Identifier */
	const uint8_t *challenge;          /* ours: 8 octets (v1) or 16 */
	size_t challenge_len;
	const char *user;                  /* the Name as sent: MS-CHAPv2 hashes it */
	const uint8_t *value;              /* the Response Value, not yet parsed */
	size_t value_len;
	const struct auth_secret *secret;  /* what the lookup found for user */
};

/* Accepted (cause AUTH_CAUSE_NONE) with the Success message to send, or
 * refused with a cause and a reason for the log (never a secret). */
struct chap_verdict {
	enum auth_cause cause;
	const char *reason;                          /* refused: static text */
	char message[MSCHAP_AUTH_RESPONSE_LEN + 32]; /* accepted */
};

/* algorithm: AUTH_CHAP_MD5, AUTH_CHAP_MSCHAPV1 or AUTH_CHAP_MSCHAPV2. When
 * MS-CHAP accepts, *mppe gets the RFC 3079 key material; otherwise *mppe is
 * not touched. */
void chap_verify_response(uint8_t algorithm, const struct chap_response_check *in,
			  struct auth_mppe_material *mppe, struct chap_verdict *out);

#endif
