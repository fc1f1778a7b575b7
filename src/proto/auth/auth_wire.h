/* SPDX-License-Identifier: BSD-2-Clause */
/* Wire formats of PAP (RFC 1334 §2.2), CHAP (RFC 1994 §4, with the
 * MS-CHAP value layouts of RFC 2433 §6 / RFC 2759 §4) and EAP (RFC 3748 §4).
 *
 * Parsers are pure: (buf, len) -> typed struct with pointers into buf, or a
 * negative error. The packet's Length field must not exceed the bytes
 * received; octets past Length are padding and ignored (RFC 1661 §5). */
#ifndef OPENPPTP_PROTO_AUTH_AUTH_WIRE_H
#define OPENPPTP_PROTO_AUTH_AUTH_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/auth/mschap_crypto.h"

enum pap_code {
	PAP_AUTH_REQUEST = 1,
	PAP_AUTH_ACK = 2,
	PAP_AUTH_NAK = 3,
};

struct pap_packet {
	uint8_t code;
	uint8_t id;
	const uint8_t *peer_id;   /* Request */
	size_t peer_id_len;
	const uint8_t *password;  /* Request */
	size_t password_len;
	const uint8_t *message;   /* Ack / Nak */
	size_t message_len;
};
int pap_parse(const uint8_t *buf, size_t len, struct pap_packet *out);

enum chap_code {
	CHAP_CHALLENGE = 1,
	CHAP_RESPONSE = 2,
	CHAP_SUCCESS = 3,
	CHAP_FAILURE = 4,
};

struct chap_packet {
	uint8_t code;
	uint8_t id;
	const uint8_t *value;     /* Challenge / Response */
	size_t value_len;
	const uint8_t *name;
	size_t name_len;
	const uint8_t *message;   /* Success / Failure */
	size_t message_len;
};
int chap_parse(const uint8_t *buf, size_t len, struct chap_packet *out);

/* RFC 2433 §6: MS-CHAPv1 Response value (49 bytes). */
struct mschapv1_response {
	uint8_t lm_response[24];
	uint8_t nt_response[24];
	uint8_t use_nt;           /* 1: use the NT response */
};
int mschapv1_response_parse(const uint8_t *value, size_t len, struct mschapv1_response *out);

/* RFC 2759 §4: MS-CHAPv2 Response value (49 bytes). */
struct mschapv2_response {
	uint8_t peer_challenge[16];
	uint8_t nt_response[24];
	uint8_t flags;
};
int mschapv2_response_parse(const uint8_t *value, size_t len, struct mschapv2_response *out);

/* RFC 2759 §5: Success message "S=<40 hex>[ M=<msg>]". On success
 * *auth_response points at the 42 characters "S=...". */
int mschapv2_success_parse(const uint8_t *msg, size_t len, const char **auth_response);

/* The E= failure codes of RFC 2433 §5 and RFC 2759 §6 (Windows error
 * numbers). We send only AUTHENTICATION_FAILURE; a peer may receive any. */
enum mschap_error {
	MSCHAP_ERROR_RESTRICTED_LOGON_HOURS = 646,
	MSCHAP_ERROR_ACCT_DISABLED = 647,
	MSCHAP_ERROR_PASSWD_EXPIRED = 648,
	MSCHAP_ERROR_NO_DIALIN_PERMISSION = 649,
	MSCHAP_ERROR_AUTHENTICATION_FAILURE = 691,
	MSCHAP_ERROR_CHANGING_PASSWORD = 709,
};

/* RFC 2433 §5 / RFC 2759 §6: "E=e R=r C=c V=v M=msg"; every field but E
 * optional on input. Unknown fields are ignored. */
struct mschap_failure {
	bool has_error;
	unsigned error;
	bool retry;
	size_t challenge_len;     /* 0, 8 (v1) or 16 (v2) */
	uint8_t challenge[16];
	bool has_version;
	unsigned version;
	const uint8_t *text;      /* after "M=", to the end */
	size_t text_len;
};
int mschap_failure_parse(const uint8_t *msg, size_t len, struct mschap_failure *out);

enum eap_code {
	EAP_REQUEST = 1,
	EAP_RESPONSE = 2,
	EAP_SUCCESS = 3,
	EAP_FAILURE = 4,
};

enum eap_type {
	EAP_TYPE_IDENTITY = 1,
	EAP_TYPE_NOTIFICATION = 2,
	EAP_TYPE_NAK = 3,
	EAP_TYPE_MD5_CHALLENGE = 4,
	EAP_TYPE_TLS = 13,
	EAP_TYPE_MSCHAPV2 = 26,
	EAP_TYPE_EXPANDED = 254,
};

struct eap_packet {
	uint8_t code;
	uint8_t id;
	uint8_t type;             /* Request / Response */
	const uint8_t *data;      /* Type-Data */
	size_t data_len;
};
int eap_parse(const uint8_t *buf, size_t len, struct eap_packet *out);

/* RFC 3748 §5.4: MD5-Challenge Type-Data: Value-Size, Value, Name. */
struct eap_md5_data {
	const uint8_t *value;
	size_t value_len;
	const uint8_t *name;
	size_t name_len;
};
int eap_md5_parse(const uint8_t *data, size_t len, struct eap_md5_data *out);

#endif
