/* SPDX-License-Identifier: BSD-2-Clause */
/* Dynamic Authorization requests (RFC 5176), pure: a received datagram
 * checked and turned into "which sessions, what to do", and the ACK/NAK
 * that answers it. The daemon checks the source address against its allow
 * list before anything here runs.
 *
 * Checks, in order (issue 14 §2): the Request Authenticator with the
 * client's secret (RFC 5176 §3.5) and the Message-Authenticator when
 * present (RFC 3579 §3.2); Event-Timestamp within the window when present
 * (§3.5, replay); the NAS identification (NAS-IP-Address,
 * NAS-Identifier) matches us (§3: 403 otherwise); every attribute is one
 * we understand (401 otherwise); at least one session identifier (404). */
#ifndef OPENPPTP_PROTO_RADIUS_DAE_H
#define OPENPPTP_PROTO_RADIUS_DAE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/radius/radius_packet.h"

/* RFC 5176 §3.5 Error-Cause values we give. */
enum radius_dae_error {
	RADIUS_DAE_OK = 0,
	RADIUS_DAE_UNSUPPORTED_ATTRIBUTE = 401,
	RADIUS_DAE_NAS_MISMATCH = 403,
	RADIUS_DAE_INVALID_REQUEST = 404,
	RADIUS_DAE_SESSION_NOT_FOUND = 503,
	RADIUS_DAE_RESOURCES_UNAVAILABLE = 506, /* the session did not go down in time */
};

/* Datagrams dropped without an answer (RFC 5176 §3.5: silently). */
enum radius_dae_drop {
	RADIUS_DAE_ACCEPTED = 0,
	RADIUS_DAE_DROP_MALFORMED,
	RADIUS_DAE_DROP_CODE,          /* not Disconnect-Request or CoA-Request */
	RADIUS_DAE_DROP_AUTHENTICATOR, /* Request Authenticator or Message-Authenticator wrong */
	RADIUS_DAE_DROP_REPLAY,        /* Event-Timestamp outside the window */
};
const char *radius_dae_drop_name(enum radius_dae_drop d);

struct radius_dae_config {
	const uint8_t *secret;
	size_t secret_len;
	uint32_t nas_ip;            /* host order; 0: NAS-IP-Address not checked */
	const char *nas_identifier; /* NULL: not checked */
	uint32_t window_s;          /* Event-Timestamp tolerance, e.g. 300 */
};

/* What a valid request asks. Identifiers not given are unset. */
struct radius_dae_request {
	uint8_t code;               /* RADIUS_DISCONNECT_REQUEST or RADIUS_COA_REQUEST */
	enum radius_dae_error error;/* non-zero: answer NAK with it */
	char acct_session_id[64];
	char user_name[256];
	bool has_framed_ip, has_nas_port, has_calling_station;
	uint32_t framed_ip;
	uint32_t nas_port;
	uint32_t calling_station;   /* parsed from the dotted text we send */
	/* CoA (§3.2): what to change; 0 = unchanged */
	bool has_session_timeout, has_idle_timeout, has_interim;
	uint32_t session_timeout, idle_timeout, interim_interval;
};

/* now_s: Unix time, for Event-Timestamp. */
enum radius_dae_drop radius_dae_check(const uint8_t *buf, size_t len, const struct radius_dae_config *cfg,
				      uint64_t now_s, struct radius_packet *pkt, struct radius_dae_request *out);

/* The ACK (error 0) or NAK with Error-Cause, signed, with a
 * Message-Authenticator; returns its length, 0 when it does not fit. */
size_t radius_dae_reply(uint8_t *buf, size_t cap, const struct radius_packet *req, enum radius_dae_error error,
			const uint8_t *secret, size_t secret_len);

#endif
