/* SPDX-License-Identifier: BSD-2-Clause */
/* The Microsoft vendor attributes that carry MS-CHAP through RADIUS
 * (RFC 2548 §2.1, §2.3) and CHAP-MD5 (RFC 2865 §5.3, §5.40), and EAP
 * pass-through (RFC 3579 §3.1): value layouts only. */
#ifndef OPENPPTP_PROTO_RADIUS_MSCHAP_H
#define OPENPPTP_PROTO_RADIUS_MSCHAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/writer.h"
#include "proto/radius/radius_packet.h"

/* RFC 2548 §2.3.2 MS-CHAP2-Response: Ident, Flags (0), Peer-Challenge (16),
 * Reserved (8 zeros), Response (24). */
#define RADIUS_MSCHAP2_RESPONSE_SIZE 50
void radius_put_mschap2(struct writer *w, uint8_t ident, const uint8_t auth_challenge[16],
			const uint8_t peer_challenge[16], const uint8_t nt_response[24]);

/* RFC 2548 §2.1.3 MS-CHAP-Response: Ident, Flags (1: use the NT-Response),
 * LM-Response (24, zeros when unused), NT-Response (24); with the
 * 8-byte MS-CHAP-Challenge (§2.1.1). */
#define RADIUS_MSCHAP_RESPONSE_SIZE 50
void radius_put_mschap1(struct writer *w, uint8_t ident, const uint8_t challenge[8], const uint8_t lm_response[24],
			const uint8_t nt_response[24], bool use_nt);

/* RFC 2865 §5.3 CHAP-Password: CHAP Ident then the 16-byte response;
 * §5.40 CHAP-Challenge carries the challenge (any length 1..253). */
void radius_put_chap(struct writer *w, uint8_t ident, const uint8_t response[16], const uint8_t *challenge,
		     size_t challenge_len);

/* RFC 2548 §2.3.3 MS-CHAP2-Success: Ident, then the "S=<40 hex>" string
 * (maybe followed by " M=..."), which goes to the peer unchanged (the PPP
 * Success message, RFC 2759 §5). */
struct radius_mschap_message {
	uint8_t ident;
	const char *text; /* not NUL-terminated: text[0..len) */
	size_t len;
};
bool radius_mschap2_success(const struct radius_packet *pkt, struct radius_mschap_message *out);
/* RFC 2548 §2.1.5 MS-CHAP-Error: Ident, then "E=eeeeeeeeee R=r C=... V=...
 * M=..." (RFC 2759 §6). *error gets E, or 0 when the text has none. */
bool radius_mschap_error(const struct radius_packet *pkt, struct radius_mschap_message *out, unsigned *error);

/* RFC 3579 §3.1: the EAP packet spread over the EAP-Message attributes,
 * concatenated in order into out[cap]. Returns the EAP length, 0 when there
 * is no EAP-Message, -1 when the pieces exceed cap or their total is not
 * the EAP header's Length (RFC 3748 §4). */
int radius_eap_reassemble(const struct radius_packet *pkt, uint8_t *out, size_t cap);

#endif
