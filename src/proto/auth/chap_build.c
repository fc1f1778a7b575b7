/* SPDX-License-Identifier: BSD-2-Clause */
/* CHAP packet building (RFC 1994 §4): Challenge/Response with a Value and
 * a Name, Success/Failure with a Message. */
#include "proto/auth/chap_build.h"

#include <string.h>

#include "base/writer.h"

void chap_hex_upper(char *out, const uint8_t *in, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex[in[i] >> 4];
		out[2 * i + 1] = hex[in[i] & 15];
	}
	out[2 * n] = '\0';
}

/* Code, Id, Length, Value-Size, Value, Name: Challenge and Response. */
size_t chap_build_value(uint8_t *buf, size_t cap, uint8_t code, uint8_t id,
			       const uint8_t *value, size_t value_len, const char *name)
{
	size_t nlen = name ? strlen(name) : 0;
	struct writer w;

	writer_init(&w, buf, cap);
	writer_u8(&w, code);
	writer_u8(&w, id);
	writer_u16(&w, (uint16_t)(5 + value_len + nlen));
	writer_u8(&w, (uint8_t)value_len);
	writer_bytes(&w, value, value_len);
	writer_bytes(&w, name, nlen);
	return writer_ok(&w) ? writer_len(&w) : 0;
}

size_t chap_build_status(uint8_t *buf, size_t cap, uint8_t code, uint8_t id, const char *msg)
{
	size_t mlen = strlen(msg);
	struct writer w;

	writer_init(&w, buf, cap);
	writer_u8(&w, code);
	writer_u8(&w, id);
	writer_u16(&w, (uint16_t)(4 + mlen));
	writer_bytes(&w, msg, mlen);
	return writer_ok(&w) ? writer_len(&w) : 0;
}

