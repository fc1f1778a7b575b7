/* SPDX-License-Identifier: BSD-2-Clause */
#include "proto/radius/radius_packet.h"

#include <string.h>

/* Vendors whose VSA value is a list of Type(1) Length(1) Value
 * sub-attributes (RFC 2865 §5.26's suggested format). Only Microsoft's are
 * read today (RFC 2548 §2); others pass through whole. */
static bool vendor_uses_tlv(uint32_t vendor)
{
	return vendor == RADIUS_VENDOR_MICROSOFT;
}

/* The sub-attributes must tile the VSA value exactly, each Length >= 2. */
static bool vsa_tlv_valid(const uint8_t *p, size_t n)
{
	size_t pos = 0;
	while (pos < n) {
		if (n - pos < 2)
			return false;
		uint8_t sub_len = p[pos + 1];
		if (sub_len < 2 || sub_len > n - pos)
			return false;
		pos += sub_len;
	}
	return true;
}

enum radius_parse_result radius_packet_parse(const uint8_t *buf, size_t len, struct radius_packet *out)
{
	memset(out, 0, sizeof(*out));
	struct reader r;
	reader_init(&r, buf, len);
	uint8_t code = reader_u8(&r);
	uint8_t id = reader_u8(&r);
	uint16_t length = reader_u16(&r);
	uint8_t authenticator[RADIUS_AUTH_SIZE];
	reader_bytes(&r, authenticator, sizeof(authenticator));
	if (!reader_ok(&r))
		return RADIUS_PARSE_SHORT;
	/* RFC 2865 §3: Length outside 20..4096 is malformed; a datagram
	 * shorter than Length is silently discarded. */
	if (length < RADIUS_HEADER_SIZE || length > RADIUS_MAX_PACKET)
		return RADIUS_PARSE_BAD_LENGTH;
	if (length > len)
		return RADIUS_PARSE_SHORT;

	size_t message_auth_offset = 0;
	struct reader attrs;
	reader_init(&attrs, buf + RADIUS_HEADER_SIZE, (size_t)length - RADIUS_HEADER_SIZE);
	while (reader_remaining(&attrs) > 0) {
		size_t at = RADIUS_HEADER_SIZE + attrs.pos;
		uint8_t type = reader_u8(&attrs);
		uint8_t alen = reader_u8(&attrs);
		/* RFC 2865 §5: Length includes Type and Length, so >= 2. */
		if (!reader_ok(&attrs) || alen < 2)
			return RADIUS_PARSE_BAD_ATTR;
		const uint8_t *value = reader_ptr(&attrs, (size_t)alen - 2);
		if (!value)
			return RADIUS_PARSE_BAD_ATTR;
		size_t vlen = (size_t)alen - 2;
		if (type == RADIUS_ATTR_VENDOR_SPECIFIC) {
			/* RFC 2865 §5.26: Vendor-Id (4 bytes), then at least one byte. */
			if (vlen < 5)
				return RADIUS_PARSE_BAD_VSA;
			if (vendor_uses_tlv(load_be32(value)) && !vsa_tlv_valid(value + 4, vlen - 4))
				return RADIUS_PARSE_BAD_VSA;
		} else if (type == RADIUS_ATTR_MESSAGE_AUTHENTICATOR) {
			if (vlen != RADIUS_MESSAGE_AUTH_SIZE || message_auth_offset != 0)
				return RADIUS_PARSE_BAD_MESSAGE_AUTH;
			message_auth_offset = at + 2;
		}
	}

	out->code = code;
	out->id = id;
	out->length = length;
	memcpy(out->authenticator, authenticator, sizeof(authenticator));
	out->raw = buf;
	out->attrs = buf + RADIUS_HEADER_SIZE;
	out->attrs_len = (size_t)length - RADIUS_HEADER_SIZE;
	out->message_auth_offset = message_auth_offset;
	return RADIUS_PARSE_OK;
}

const char *radius_parse_result_name(enum radius_parse_result r)
{
	switch (r) {
	case RADIUS_PARSE_OK: return "ok";
	case RADIUS_PARSE_SHORT: return "truncated packet";
	case RADIUS_PARSE_BAD_LENGTH: return "bad packet length";
	case RADIUS_PARSE_BAD_ATTR: return "bad attribute length";
	case RADIUS_PARSE_BAD_VSA: return "bad Vendor-Specific attribute";
	case RADIUS_PARSE_BAD_MESSAGE_AUTH: return "bad Message-Authenticator attribute";
	}
	return "?";
}

const char *radius_code_name(uint8_t code)
{
	switch (code) {
	case RADIUS_ACCESS_REQUEST: return "Access-Request";
	case RADIUS_ACCESS_ACCEPT: return "Access-Accept";
	case RADIUS_ACCESS_REJECT: return "Access-Reject";
	case RADIUS_ACCOUNTING_REQUEST: return "Accounting-Request";
	case RADIUS_ACCOUNTING_RESPONSE: return "Accounting-Response";
	case RADIUS_ACCESS_CHALLENGE: return "Access-Challenge";
	case RADIUS_STATUS_SERVER: return "Status-Server";
	case RADIUS_DISCONNECT_REQUEST: return "Disconnect-Request";
	case RADIUS_DISCONNECT_ACK: return "Disconnect-ACK";
	case RADIUS_DISCONNECT_NAK: return "Disconnect-NAK";
	case RADIUS_COA_REQUEST: return "CoA-Request";
	case RADIUS_COA_ACK: return "CoA-ACK";
	case RADIUS_COA_NAK: return "CoA-NAK";
	default: return "unknown";
	}
}

void radius_attr_iter_init(struct radius_attr_iter *it, const struct radius_packet *pkt)
{
	reader_init(&it->outer, pkt->attrs, pkt->attrs_len);
	reader_init(&it->vsa, NULL, 0);
	it->vendor = 0;
}

bool radius_attr_next(struct radius_attr_iter *it, struct radius_attr *out)
{
	/* Inside a flattened VSA: the next sub-attribute. */
	if (reader_remaining(&it->vsa) > 0) {
		uint8_t sub_type = reader_u8(&it->vsa);
		uint8_t sub_len = reader_u8(&it->vsa);
		const uint8_t *v = sub_len >= 2 ? reader_ptr(&it->vsa, (size_t)sub_len - 2) : NULL;
		if (!v) {
			reader_init(&it->vsa, NULL, 0);
			reader_init(&it->outer, NULL, 0);
			return false;
		}
		out->vendor = it->vendor;
		out->type = sub_type;
		out->value = v;
		out->len = (size_t)sub_len - 2;
		return true;
	}
	if (reader_remaining(&it->outer) == 0)
		return false;
	uint8_t type = reader_u8(&it->outer);
	uint8_t alen = reader_u8(&it->outer);
	const uint8_t *value = alen >= 2 ? reader_ptr(&it->outer, (size_t)alen - 2) : NULL;
	if (!value) {
		reader_init(&it->outer, NULL, 0);
		return false;
	}
	size_t vlen = (size_t)alen - 2;
	if (type == RADIUS_ATTR_VENDOR_SPECIFIC && vlen >= 5) {
		uint32_t vendor = load_be32(value);
		if (vendor_uses_tlv(vendor)) {
			it->vendor = vendor;
			reader_init(&it->vsa, value + 4, vlen - 4);
			return radius_attr_next(it, out);
		}
		out->vendor = vendor;
		out->type = 0;
		out->value = value + 4;
		out->len = vlen - 4;
		return true;
	}
	out->vendor = 0;
	out->type = type;
	out->value = value;
	out->len = vlen;
	return true;
}

bool radius_find(const struct radius_packet *pkt, uint32_t vendor, uint8_t type, struct radius_attr *out)
{
	struct radius_attr_iter it;
	struct radius_attr a;
	radius_attr_iter_init(&it, pkt);
	while (radius_attr_next(&it, &a)) {
		if (a.vendor == vendor && a.type == type) {
			*out = a;
			return true;
		}
	}
	return false;
}

unsigned radius_count(const struct radius_packet *pkt, uint32_t vendor, uint8_t type)
{
	struct radius_attr_iter it;
	struct radius_attr a;
	unsigned n = 0;
	radius_attr_iter_init(&it, pkt);
	while (radius_attr_next(&it, &a))
		n += (a.vendor == vendor && a.type == type);
	return n;
}

bool radius_find_u32(const struct radius_packet *pkt, uint32_t vendor, uint8_t type, uint32_t *out)
{
	struct radius_attr a;
	if (!radius_find(pkt, vendor, type, &a) || a.len != 4)
		return false;
	*out = load_be32(a.value);
	return true;
}
