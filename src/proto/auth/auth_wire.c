/* SPDX-License-Identifier: BSD-2-Clause */
/* PAP, CHAP, MS-CHAP and EAP packet parsers. */
#include "proto/auth/auth_wire.h"

#include <string.h>

#include "base/error.h"
#include "base/reader.h"

/* Code, Identifier, Length; the Length must cover the header and fit the
 * buffer. Returns a reader over the body within Length. */
static int header_parse(const uint8_t *buf, size_t len, uint8_t *code, uint8_t *id,
			struct reader *body)
{
	struct reader r;

	reader_init(&r, buf, len);
	*code = reader_u8(&r);
	*id = reader_u8(&r);
	uint16_t length = reader_u16(&r);
	if (!reader_ok(&r))
		return ERR_TRUNCATED;
	if (length < 4)
		return ERR_LENGTH;
	if (length > len)
		return ERR_TRUNCATED;
	*body = reader_sub(&r, (size_t)length - 4);
	return 0;
}

int pap_parse(const uint8_t *buf, size_t len, struct pap_packet *out)
{
	struct reader body;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = header_parse(buf, len, &out->code, &out->id, &body);
	if (rc < 0)
		return rc;
	switch (out->code) {
	case PAP_AUTH_REQUEST:
		/* RFC 1334 §2.2.1: Peer-ID Length, Peer-ID, Passwd-Length, Password. */
		out->peer_id_len = reader_u8(&body);
		out->peer_id = reader_ptr(&body, out->peer_id_len);
		out->password_len = reader_u8(&body);
		out->password = reader_ptr(&body, out->password_len);
		if (!reader_ok(&body))
			return ERR_TRUNCATED;
		return 0;
	case PAP_AUTH_ACK:
	case PAP_AUTH_NAK:
		/* RFC 1334 §2.2.2: Msg-Length, Message. */
		if (!reader_has(&body, 1))
			return ERR_TRUNCATED;
		out->message_len = reader_u8(&body);
		out->message = reader_ptr(&body, out->message_len);
		if (!reader_ok(&body))
			return ERR_TRUNCATED;
		return 0;
	default:
		return ERR_UNKNOWN_TYPE;
	}
}

int chap_parse(const uint8_t *buf, size_t len, struct chap_packet *out)
{
	struct reader body;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = header_parse(buf, len, &out->code, &out->id, &body);
	if (rc < 0)
		return rc;
	switch (out->code) {
	case CHAP_CHALLENGE:
	case CHAP_RESPONSE:
		/* RFC 1994 §4.1: Value-Size, Value, Name (the rest). */
		if (!reader_has(&body, 1))
			return ERR_TRUNCATED;
		out->value_len = reader_u8(&body);
		if (out->value_len == 0)
			return ERR_MALFORMED;
		out->value = reader_ptr(&body, out->value_len);
		if (!reader_ok(&body))
			return ERR_TRUNCATED;
		out->name_len = reader_remaining(&body);
		out->name = reader_ptr(&body, out->name_len);
		return 0;
	case CHAP_SUCCESS:
	case CHAP_FAILURE:
		/* RFC 1994 §4.2: Message, zero or more octets. */
		out->message_len = reader_remaining(&body);
		out->message = reader_ptr(&body, out->message_len);
		return 0;
	default:
		return ERR_UNKNOWN_TYPE;
	}
}

int mschapv1_response_parse(const uint8_t *value, size_t len, struct mschapv1_response *out)
{
	struct reader r;

	if (len != 49)
		return ERR_LENGTH;
	reader_init(&r, value, len);
	reader_bytes(&r, out->lm_response, 24);
	reader_bytes(&r, out->nt_response, 24);
	out->use_nt = reader_u8(&r);
	return reader_ok(&r) ? 0 : ERR_TRUNCATED;
}

int mschapv2_response_parse(const uint8_t *value, size_t len, struct mschapv2_response *out)
{
	struct reader r;

	if (len != 49)
		return ERR_LENGTH;
	reader_init(&r, value, len);
	reader_bytes(&r, out->peer_challenge, 16);
	/* RFC 2759 §4: 8 reserved octets, MUST be zero; Windows and pppd
	 * never set them, so non-zero means a broken or hostile peer. */
	const uint8_t *reserved = reader_ptr(&r, 8);
	reader_bytes(&r, out->nt_response, 24);
	out->flags = reader_u8(&r);
	if (!reader_ok(&r))
		return ERR_TRUNCATED;
	for (size_t i = 0; i < 8; i++)
		if (reserved[i] != 0)
			return ERR_RESERVED;
	return 0;
}

static bool is_hex(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static uint8_t hex_value(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return (uint8_t)(c - '0');
	if (c >= 'a' && c <= 'f')
		return (uint8_t)(c - 'a' + 10);
	return (uint8_t)(c - 'A' + 10);
}

int mschapv2_success_parse(const uint8_t *msg, size_t len, const char **auth_response)
{
	*auth_response = NULL;
	if (len < MSCHAP_AUTH_RESPONSE_LEN || msg[0] != 'S' || msg[1] != '=')
		return ERR_MALFORMED;
	for (size_t i = 2; i < MSCHAP_AUTH_RESPONSE_LEN; i++)
		if (!is_hex(msg[i]))
			return ERR_MALFORMED;
	/* RFC 2759 §5: "S=<auth_string> M=<message>"; tolerate a bare S=. */
	if (len > MSCHAP_AUTH_RESPONSE_LEN && msg[MSCHAP_AUTH_RESPONSE_LEN] != ' ')
		return ERR_MALFORMED;
	*auth_response = (const char *)msg;
	return 0;
}

/* Decimal number of at most 9 digits. */
static bool parse_decimal(const uint8_t *p, size_t n, unsigned *out)
{
	unsigned v = 0;

	if (n == 0 || n > 9)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return false;
		v = v * 10 + (unsigned)(p[i] - '0');
	}
	*out = v;
	return true;
}

int mschap_failure_parse(const uint8_t *msg, size_t len, struct mschap_failure *out)
{
	size_t i = 0;

	memset(out, 0, sizeof(*out));
	while (i < len) {
		while (i < len && msg[i] == ' ')
			i++;
		if (i >= len)
			break;
		if (len - i < 2 || msg[i + 1] != '=')
			return ERR_MALFORMED;
		uint8_t key = msg[i];
		size_t start = i + 2;
		if (key == 'M') {
			/* The message runs to the end and may contain spaces. */
			out->text = msg + start;
			out->text_len = len - start;
			break;
		}
		size_t end = start;
		while (end < len && msg[end] != ' ')
			end++;
		const uint8_t *val = msg + start;
		size_t n = end - start;
		switch (key) {
		case 'E':
			if (!parse_decimal(val, n, &out->error))
				return ERR_MALFORMED;
			out->has_error = true;
			break;
		case 'R':
			if (n != 1 || (val[0] != '0' && val[0] != '1'))
				return ERR_MALFORMED;
			out->retry = val[0] == '1';
			break;
		case 'C':
			if (n != 16 && n != 32)
				return ERR_MALFORMED;
			for (size_t k = 0; k < n; k += 2) {
				if (!is_hex(val[k]) || !is_hex(val[k + 1]))
					return ERR_MALFORMED;
				out->challenge[k / 2] = (uint8_t)(hex_value(val[k]) << 4 | hex_value(val[k + 1]));
			}
			out->challenge_len = n / 2;
			break;
		case 'V':
			if (!parse_decimal(val, n, &out->version))
				return ERR_MALFORMED;
			out->has_version = true;
			break;
		default:
			/* RFC 2433 §5: accept but ignore unrecognised text. */
			break;
		}
		i = end;
	}
	if (!out->has_error)
		return ERR_MALFORMED;
	return 0;
}

int eap_parse(const uint8_t *buf, size_t len, struct eap_packet *out)
{
	struct reader body;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = header_parse(buf, len, &out->code, &out->id, &body);
	if (rc < 0)
		return rc;
	switch (out->code) {
	case EAP_REQUEST:
	case EAP_RESPONSE:
		/* RFC 3748 §4.1: a Type octet follows the header. */
		if (!reader_has(&body, 1))
			return ERR_LENGTH;
		out->type = reader_u8(&body);
		out->data_len = reader_remaining(&body);
		out->data = reader_ptr(&body, out->data_len);
		return 0;
	case EAP_SUCCESS:
	case EAP_FAILURE:
		/* RFC 3748 §4.2: Length is 4. */
		if (reader_remaining(&body) != 0)
			return ERR_LENGTH;
		return 0;
	default:
		return ERR_UNKNOWN_TYPE;
	}
}

int eap_md5_parse(const uint8_t *data, size_t len, struct eap_md5_data *out)
{
	struct reader r;

	memset(out, 0, sizeof(*out));
	reader_init(&r, data, len);
	if (!reader_has(&r, 1))
		return ERR_TRUNCATED;
	out->value_len = reader_u8(&r);
	if (out->value_len == 0)
		return ERR_MALFORMED;
	out->value = reader_ptr(&r, out->value_len);
	if (!reader_ok(&r))
		return ERR_TRUNCATED;
	out->name_len = reader_remaining(&r);
	out->name = reader_ptr(&r, out->name_len);
	return 0;
}
