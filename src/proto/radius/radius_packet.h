/* SPDX-License-Identifier: BSD-2-Clause */
/* RADIUS packet parsing (RFC 2865 §3, §5): a received datagram becomes a
 * host-order view whose every length has been checked before anything else
 * reads it. The view points into the caller's buffer; nothing is copied.
 *
 * Attribute iteration flattens Vendor-Specific (26, RFC 2865 §5.26): a VSA
 * of a vendor whose sub-attributes use the Type/Length layout RFC 2865
 * recommends (Microsoft, 311, RFC 2548 §2) yields each sub-attribute with
 * `vendor` set; any other VSA yields once, its value after the Vendor-Id. */
#ifndef OPENPPTP_PROTO_RADIUS_PACKET_H
#define OPENPPTP_PROTO_RADIUS_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/reader.h"
#include "proto/radius/radius_wire.h"

enum radius_parse_result {
	RADIUS_PARSE_OK = 0,
	RADIUS_PARSE_SHORT,            /* fewer than 20 bytes, or fewer than Length says */
	RADIUS_PARSE_BAD_LENGTH,       /* Length below 20 or above 4096 */
	RADIUS_PARSE_BAD_ATTR,         /* attribute length < 2 or past the end */
	RADIUS_PARSE_BAD_VSA,          /* Vendor-Specific shorter than its Vendor-Id, or sub-attributes not tiling it */
	RADIUS_PARSE_BAD_MESSAGE_AUTH, /* Message-Authenticator not 16 bytes, or twice (RFC 3579 §3.2) */
};

struct radius_packet {
	uint8_t code;
	uint8_t id;
	uint16_t length; /* from the header, checked */
	uint8_t authenticator[RADIUS_AUTH_SIZE];
	const uint8_t *raw;   /* the `length` bytes of the packet */
	const uint8_t *attrs; /* raw + 20 */
	size_t attrs_len;
	/* Offset of the Message-Authenticator value in raw, 0 when absent. */
	size_t message_auth_offset;
};

/* Parse buf[0..len). Bytes past Length are padding (RFC 2865 §3) and are
 * ignored. On failure *out is zeroed. */
enum radius_parse_result radius_packet_parse(const uint8_t *buf, size_t len, struct radius_packet *out);

const char *radius_parse_result_name(enum radius_parse_result r);
const char *radius_code_name(uint8_t code);

struct radius_attr {
	uint32_t vendor; /* 0 for a standard attribute */
	uint8_t type;    /* the attribute type, or the vendor sub-type */
	const uint8_t *value;
	size_t len;
};

struct radius_attr_iter {
	struct reader outer;
	struct reader vsa; /* the remaining sub-attributes of the current VSA */
	uint32_t vendor;
};

void radius_attr_iter_init(struct radius_attr_iter *it, const struct radius_packet *pkt);
/* The next attribute, or false at the end. Safe on any packet that
 * radius_packet_parse() accepted; on anything else it stops early. */
bool radius_attr_next(struct radius_attr_iter *it, struct radius_attr *out);

/* First attribute of (vendor, type); false when absent. */
bool radius_find(const struct radius_packet *pkt, uint32_t vendor, uint8_t type, struct radius_attr *out);
unsigned radius_count(const struct radius_packet *pkt, uint32_t vendor, uint8_t type);
/* A 4-byte integer attribute (RFC 2865 §5 "integer"/"address"); false when
 * absent or not 4 bytes. */
bool radius_find_u32(const struct radius_packet *pkt, uint32_t vendor, uint8_t type, uint32_t *out);

#endif
