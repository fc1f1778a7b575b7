/* SPDX-License-Identifier: BSD-2-Clause */
/* CHAP packet building (RFC 1994 §4), shared by the CHAP engine's roles. */
#ifndef OPENPPTP_PROTO_AUTH_CHAP_BUILD_H
#define OPENPPTP_PROTO_AUTH_CHAP_BUILD_H

#include <stddef.h>
#include <stdint.h>

/* n bytes as upper-case hex into out[2n+1] (MS-CHAP C= and S=). */
void chap_hex_upper(char *out, const uint8_t *in, size_t n);
/* Code, Id, Length, Value-Size, Value, Name: Challenge and Response.
 * Returns the length, 0 when it does not fit cap. */
size_t chap_build_value(uint8_t *buf, size_t cap, uint8_t code, uint8_t id, const uint8_t *value, size_t value_len,
			const char *name);
/* Code, Id, Length, Message: Success and Failure. */
size_t chap_build_status(uint8_t *buf, size_t cap, uint8_t code, uint8_t id, const char *msg);

#endif
