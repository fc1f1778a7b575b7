/* SPDX-License-Identifier: BSD-2-Clause */
/* Asynchronous verification for the authenticator role: the engine does
 * not look the secret up itself, it hands what the peer sent to whoever
 * decides (the secrets file, a RADIUS server: src/server/authenticator.h)
 * and waits, in a pending state, for the verdict.
 *
 * Events out, like results: after the call that received the peer's
 * credentials, auth_next_verify() gives the request once; the owner answers
 * later with auth_verify_done(). Meanwhile duplicates from the peer are
 * absorbed, and after cfg.verify_timeout_ms without a verdict the engine
 * refuses the peer (AUTH_CAUSE_TIMEOUT). A verdict that comes when nothing
 * is pending (late, or for an engine restarted since) is ignored. */
#ifndef OPENPPTP_PROTO_AUTH_AUTH_VERIFY_H
#define OPENPPTP_PROTO_AUTH_AUTH_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/auth/auth_method.h"

#define AUTH_VERIFY_NAME_MAX 256      /* AUTH_MAX_NAME + NUL */
#define AUTH_VERIFY_PASSWORD_MAX 256  /* AUTH_MAX_PASSWORD + NUL */
#define AUTH_VERIFY_VALUE_MAX 49      /* MS-CHAP Response Value */
#define AUTH_VERIFY_MESSAGE_MAX 256
#define AUTH_VERIFY_EAP_MAX 1500      /* one EAP packet (AUTH_MAX_PACKET) */
#define AUTH_VERIFY_STATE_MAX 253     /* RADIUS State (RFC 2865 §5.24) */

/* What the peer sent, everything a verifier needs (RFC 1334 §2.2.1,
 * RFC 1994 §4.1, RFC 2433 §6, RFC 2759 §4). */
struct auth_verify_request {
	enum auth_method method;
	char user[AUTH_VERIFY_NAME_MAX];       /* the name as sent (may hold "DOMAIN\") */
	uint8_t id;                            /* CHAP: the Identifier the MD5 hash covers */
	uint8_t challenge[16];                 /* CHAP: our Challenge */
	size_t challenge_len;
	uint8_t value[AUTH_VERIFY_VALUE_MAX];  /* CHAP: the Response Value */
	size_t value_len;
	char password[AUTH_VERIFY_PASSWORD_MAX]; /* PAP only; wiped with the engine */
	size_t password_len;
	/* EAP pass-through (eap_relay.h, RFC 3579): the peer's whole EAP
	 * Response and the State of the verifier's last challenge to echo.
	 * Both point into the engine's memory, on the heap only while EAP is
	 * relayed: valid while the verdict is pending; use them at once. */
	const uint8_t *eap;
	size_t eap_len;
	const uint8_t *state;
	size_t state_len;
};

#endif
