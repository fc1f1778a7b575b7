/* SPDX-License-Identifier: BSD-2-Clause */
/* RADIUS packet building (RFC 2865 §3, §5): attributes into a bounded
 * writer, then a packet whose header, Message-Authenticator and
 * authenticator are filled in by radius_sign.h. A write that does not fit
 * latches the writer's overflow; the caller checks once at the end. */
#ifndef OPENPPTP_PROTO_RADIUS_BUILD_H
#define OPENPPTP_PROTO_RADIUS_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/writer.h"
#include "proto/radius/radius_wire.h"

/* One attribute; a value over 253 bytes overflows the writer (use
 * radius_put_eap_message() for EAP). */
void radius_put_attr(struct writer *w, uint8_t type, const void *value, size_t len);
void radius_put_string(struct writer *w, uint8_t type, const char *s);
void radius_put_u32(struct writer *w, uint8_t type, uint32_t v);
/* A Vendor-Specific attribute holding one Type/Length sub-attribute
 * (RFC 2865 §5.26; RFC 2548 §2 for Microsoft). */
void radius_put_vsa(struct writer *w, uint32_t vendor, uint8_t vendor_type, const void *value, size_t len);
/* RFC 3579 §3.1: EAP packets longer than 253 bytes are split across
 * consecutive EAP-Message attributes, in order. */
void radius_put_eap_message(struct writer *w, const uint8_t *eap, size_t len);
/* RFC 3579 §3.2: a 16-zero placeholder the signer fills in. */
void radius_put_message_auth(struct writer *w);

/* A packet under construction in buf: header written by begin, attributes
 * appended with the radius_put_* functions on `w`, then signed. */
struct radius_builder {
	struct writer w;
	uint8_t *buf;
};

void radius_build_begin(struct radius_builder *b, uint8_t *buf, size_t cap, uint8_t code, uint8_t id,
			const uint8_t authenticator[RADIUS_AUTH_SIZE]);
/* Patch the Length field; returns the packet length, or 0 on overflow
 * (more than cap or more than 4096 bytes). */
size_t radius_build_end(struct radius_builder *b);

#endif
