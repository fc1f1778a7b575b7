/* SPDX-License-Identifier: BSD-2-Clause */
#include "proto/auth/eap_mschapv2_wire.h"

#include <string.h>

#include "base/error.h"
#include "base/reader.h"
#include "proto/auth/mschap_crypto.h"

int eap_mschapv2_parse(const uint8_t *data, size_t len, struct eap_mschapv2_msg *out)
{
	struct reader r;

	memset(out, 0, sizeof(*out));
	reader_init(&r, data, len);
	if (!reader_has(&r, 1))
		return ERR_TRUNCATED;
	out->opcode = reader_u8(&r);
	if (len == 1) /* draft §2.3/2.4: the peer's Success / Failure Response */
		return out->opcode == EAP_MSCHAPV2_SUCCESS || out->opcode == EAP_MSCHAPV2_FAILURE ? 0 : ERR_TRUNCATED;
	if (!reader_has(&r, 3))
		return ERR_TRUNCATED;
	out->ms_id = reader_u8(&r);
	if (reader_u16(&r) != len)
		return ERR_MALFORMED;
	switch (out->opcode) {
	case EAP_MSCHAPV2_CHALLENGE:
	case EAP_MSCHAPV2_RESPONSE: {
		size_t want = out->opcode == EAP_MSCHAPV2_CHALLENGE ? MSCHAP_V2_CHALLENGE_SIZE : EAP_MSCHAPV2_RESPONSE_VALUE;
		if (!reader_has(&r, 1))
			return ERR_TRUNCATED;
		out->value_len = reader_u8(&r);
		if (out->value_len != want)
			return ERR_MALFORMED;
		out->value = reader_ptr(&r, out->value_len);
		if (!reader_ok(&r))
			return ERR_TRUNCATED;
		break;
	}
	case EAP_MSCHAPV2_SUCCESS:
	case EAP_MSCHAPV2_FAILURE:
		break;
	default:
		return ERR_MALFORMED; /* Change-Password is not supported */
	}
	out->text_len = reader_remaining(&r);
	out->text = reader_ptr(&r, out->text_len);
	return 0;
}

void eap_mschapv2_put(struct writer *w, uint8_t opcode, uint8_t ms_id, const uint8_t *value, size_t value_len,
		      const void *text, size_t text_len)
{
	size_t total = 4 + (value ? 1 + value_len : 0) + text_len;
	writer_u8(w, opcode);
	writer_u8(w, ms_id);
	writer_u16(w, total <= 0xffff ? (uint16_t)total : 0);
	if (value) {
		writer_u8(w, (uint8_t)value_len);
		writer_bytes(w, value, value_len);
	}
	writer_bytes(w, text, text_len);
}
