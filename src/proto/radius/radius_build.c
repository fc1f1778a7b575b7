/* SPDX-License-Identifier: BSD-2-Clause */
#include "proto/radius/radius_build.h"

#include <string.h>

void radius_put_attr(struct writer *w, uint8_t type, const void *value, size_t len)
{
	if (len > RADIUS_ATTR_MAX_VALUE) {
		w->overflow = true;
		return;
	}
	writer_u8(w, type);
	writer_u8(w, (uint8_t)(len + 2));
	writer_bytes(w, value, len);
}

void radius_put_string(struct writer *w, uint8_t type, const char *s)
{
	radius_put_attr(w, type, s, strlen(s));
}

void radius_put_u32(struct writer *w, uint8_t type, uint32_t v)
{
	uint8_t b[4];
	store_be32(b, v);
	radius_put_attr(w, type, b, sizeof(b));
}

void radius_put_vsa(struct writer *w, uint32_t vendor, uint8_t vendor_type, const void *value, size_t len)
{
	/* Type(1) Length(1) Vendor-Id(4) Vendor-Type(1) Vendor-Length(1) Value. */
	if (len > RADIUS_ATTR_MAX_VALUE - 6) {
		w->overflow = true;
		return;
	}
	writer_u8(w, RADIUS_ATTR_VENDOR_SPECIFIC);
	writer_u8(w, (uint8_t)(len + 8));
	writer_u32(w, vendor);
	writer_u8(w, vendor_type);
	writer_u8(w, (uint8_t)(len + 2));
	writer_bytes(w, value, len);
}

void radius_put_eap_message(struct writer *w, const uint8_t *eap, size_t len)
{
	size_t pos = 0;
	do {
		size_t chunk = len - pos > RADIUS_ATTR_MAX_VALUE ? RADIUS_ATTR_MAX_VALUE : len - pos;
		radius_put_attr(w, RADIUS_ATTR_EAP_MESSAGE, eap + pos, chunk);
		pos += chunk;
	} while (pos < len);
}

void radius_put_message_auth(struct writer *w)
{
	static const uint8_t zero[RADIUS_MESSAGE_AUTH_SIZE];
	radius_put_attr(w, RADIUS_ATTR_MESSAGE_AUTHENTICATOR, zero, sizeof(zero));
}

void radius_build_begin(struct radius_builder *b, uint8_t *buf, size_t cap, uint8_t code, uint8_t id,
			const uint8_t authenticator[RADIUS_AUTH_SIZE])
{
	static const uint8_t zero[RADIUS_AUTH_SIZE];
	b->buf = buf;
	writer_init(&b->w, buf, cap > RADIUS_MAX_PACKET ? RADIUS_MAX_PACKET : cap);
	writer_u8(&b->w, code);
	writer_u8(&b->w, id);
	writer_u16(&b->w, 0); /* patched by radius_build_end() */
	writer_bytes(&b->w, authenticator ? authenticator : zero, RADIUS_AUTH_SIZE);
}

size_t radius_build_end(struct radius_builder *b)
{
	if (!writer_ok(&b->w))
		return 0;
	size_t len = writer_len(&b->w);
	store_be16(b->buf + 2, (uint16_t)len);
	return len;
}
