/* SPDX-License-Identifier: BSD-2-Clause */
/* Control-protocol packet codec (RFC 1661 §5): the 4-byte header shared by
 * LCP, IPCP, IPV6CP and CCP, and the option list (type, length, value) of
 * Configure-Request/Ack/Nak/Reject. Parsers are pure functions. */
#ifndef OPENPPTP_PROTO_PPP_PACKET_H
#define OPENPPTP_PROTO_PPP_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/reader.h"
#include "base/writer.h"

#define PPP_CP_HEADER_LEN 4
#define PPP_MAX_OPTIONS 32

struct ppp_cp_packet {
	uint8_t code;
	uint8_t id;
	uint16_t length;       /* as on the wire, >= 4 */
	const uint8_t *data;   /* length - 4 bytes (bytes past length are padding) */
	size_t data_len;
};

/* Returns 0, ERR_TRUNCATED (fewer than 4 bytes, or fewer than Length says)
 * or ERR_LENGTH (Length < 4). RFC 1661 §5: octets past Length are padding
 * and ignored. */
int ppp_cp_parse(const uint8_t *buf, size_t len, struct ppp_cp_packet *out);

struct ppp_option {
	uint8_t type;
	uint8_t len;            /* whole option, type and length included */
	const uint8_t *value;   /* len - 2 bytes */
	size_t value_len;
};

/* Iterate over an option list: each call yields the next option. Returns 1
 * with *opt filled, 0 at the clean end, ERR_LENGTH for an option length < 2
 * and ERR_TRUNCATED for one running past the list. */
int ppp_option_next(struct reader *r, struct ppp_option *opt);

/* Check that a whole list is well formed; returns the option count or the
 * error of ppp_option_next. */
int ppp_options_validate(const uint8_t *buf, size_t len);

/* Begin a packet (code, id, length placeholder) in w; finish it by writing
 * the length. ppp_cp_finish returns the packet length or ERR_NOSPACE. */
void ppp_cp_begin(struct writer *w, uint8_t code, uint8_t id);
int ppp_cp_finish(struct writer *w);

/* Write one option header + value. */
void ppp_option_put(struct writer *w, uint8_t type, const void *value, size_t value_len);

#endif
