/* SPDX-License-Identifier: BSD-2-Clause */
/* EAP-MSCHAPv2 (EAP type 26) Type-Data, as Windows and FreeRADIUS speak it
 * (draft-kamath-pppext-eap-mschapv2-02 §2): the MS-CHAPv2 packet of
 * RFC 2759 without its PPP CHAP header, in an OpCode / MS-CHAPv2-ID /
 * MS-Length header (MS-Length counts from the OpCode to the end), except
 * the peer's Success and Failure Responses, which are the OpCode alone. */
#ifndef OPENPPTP_PROTO_AUTH_EAP_MSCHAPV2_WIRE_H
#define OPENPPTP_PROTO_AUTH_EAP_MSCHAPV2_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "base/writer.h"

enum eap_mschapv2_opcode {
	EAP_MSCHAPV2_CHALLENGE = 1,
	EAP_MSCHAPV2_RESPONSE = 2,
	EAP_MSCHAPV2_SUCCESS = 3,
	EAP_MSCHAPV2_FAILURE = 4,
	EAP_MSCHAPV2_CHANGE_PASSWORD = 7,
};

#define EAP_MSCHAPV2_RESPONSE_VALUE 49 /* Peer-Challenge, Reserved, NT-Response, Flags */

struct eap_mschapv2_msg {
	uint8_t opcode;
	uint8_t ms_id;          /* 0 for a bare OpCode */
	const uint8_t *value;   /* Challenge / Response: the Value (16 / 49) */
	size_t value_len;
	const uint8_t *text;    /* Challenge / Response: Name; Success / Failure: Message */
	size_t text_len;
};

/* Parse Type-Data (after the EAP Type). Lengths first: MS-Length must equal
 * the data length, Value-Size must be 16 in a Challenge and 49 in a
 * Response. A lone OpCode byte of Success / Failure is the peer's
 * acknowledgement. 0, ERR_TRUNCATED or ERR_MALFORMED. */
int eap_mschapv2_parse(const uint8_t *data, size_t len, struct eap_mschapv2_msg *out);

/* Write a Challenge / Response (value + name) or a Success / Failure
 * Request (value NULL, text as message); overflow latches in the writer. */
void eap_mschapv2_put(struct writer *w, uint8_t opcode, uint8_t ms_id, const uint8_t *value, size_t value_len,
		      const void *text, size_t text_len);

#endif
