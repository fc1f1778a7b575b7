/* SPDX-License-Identifier: BSD-2-Clause */
/* RADIUS authenticators and Message-Authenticator: signing what we send and
 * checking what we receive.
 *
 * - Access-Request and Status-Server: random Request Authenticator (RFC
 *   2865 §3), Message-Authenticator always (RFC 3579 §3.2, RFC 5997 §3).
 * - Accounting-Request, CoA-Request, Disconnect-Request: Request
 *   Authenticator = MD5(packet with a zero authenticator + secret) (RFC 2866
 *   §3, RFC 5176 §3.5); a Message-Authenticator in them is computed over
 *   the packet with the zero authenticator (RFC 5080 §2.2.2).
 * - Every reply: Response Authenticator = MD5(Code Id Length RequestAuth
 *   Attributes Secret) (RFC 2865 §3); Message-Authenticator computed with
 *   the Request Authenticator in place (RFC 3579 §3.2).
 *
 * BlastRADIUS (CVE-2024-3596): a reply to an Access-Request or a
 * Status-Server without a valid Message-Authenticator is never acted on,
 * whatever its Response Authenticator says. */
#ifndef OPENPPTP_PROTO_RADIUS_SIGN_H
#define OPENPPTP_PROTO_RADIUS_SIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/radius/radius_packet.h"

/* Sign a built request in place (buf holds exactly len bytes of packet,
 * Length already set): Message-Authenticator if the packet has the
 * placeholder, and the Request Authenticator for the codes that compute
 * it. Returns false when buf is not a parseable request. */
bool radius_sign_request(uint8_t *buf, size_t len, const uint8_t *secret, size_t secret_len);

/* Sign a built reply in place against the request it answers. */
bool radius_sign_reply(uint8_t *buf, size_t len, const uint8_t request_auth[RADIUS_AUTH_SIZE],
		       const uint8_t *secret, size_t secret_len);

/* Why a received packet was not accepted: counted and logged by the owner. */
enum radius_verdict {
	RADIUS_VERDICT_OK = 0,
	RADIUS_VERDICT_MALFORMED,         /* radius_packet_parse() refused it */
	RADIUS_VERDICT_UNEXPECTED_CODE,   /* not a reply to this request's code */
	RADIUS_VERDICT_BAD_AUTHENTICATOR, /* Response/Request Authenticator wrong */
	RADIUS_VERDICT_NO_MESSAGE_AUTH,   /* required Message-Authenticator absent */
	RADIUS_VERDICT_BAD_MESSAGE_AUTH,  /* Message-Authenticator wrong */
	RADIUS_VERDICT_UNMATCHED,         /* no outstanding request has this Identifier */
};

const char *radius_verdict_name(enum radius_verdict v);

/* Is `reply_code` an answer to `request_code` (RFC 2865 §4, 2866 §4,
 * 5176 §2, 5997 §3)? */
bool radius_reply_code_matches(uint8_t request_code, uint8_t reply_code);

/* Check a reply to the request (request_code, request_auth). The
 * Message-Authenticator is required on answers to Access-Request and
 * Status-Server, checked when present on the others. */
enum radius_verdict radius_verify_reply(const struct radius_packet *reply, uint8_t request_code,
					const uint8_t request_auth[RADIUS_AUTH_SIZE], const uint8_t *secret,
					size_t secret_len);

/* Check a request received (a test server, the Dynamic Authorization
 * listener): the Request Authenticator for the codes that compute it, the
 * Message-Authenticator when present, and required on Access-Request and
 * Status-Server. */
enum radius_verdict radius_verify_request(const struct radius_packet *req, const uint8_t *secret, size_t secret_len);

#endif
