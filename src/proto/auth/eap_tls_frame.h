/* SPDX-License-Identifier: BSD-2-Clause */
/* EAP-TLS framing (RFC 5216 §3.1-3.2, RFC 9190 §2.1.5): the Flags octet
 * (L, M, S), the TLS Message Length, fragmentation of our TLS data into
 * pieces that fit the link, and reassembly of the peer's with a bounded
 * total size. Pure: no TLS, no I/O; the EAP-TLS method drives it.
 *
 * Type-Data of an EAP-TLS Request or Response:
 *   Flags(1) [TLS Message Length(4) when L] [TLS data]
 * An empty Type-Data beyond Flags 0 is an acknowledgement (§2.1.5). */
#ifndef OPENPPTP_PROTO_AUTH_EAP_TLS_FRAME_H
#define OPENPPTP_PROTO_AUTH_EAP_TLS_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/writer.h"

#define EAP_TYPE_TLS 13

#define EAP_TLS_FLAG_L 0x80 /* TLS Message Length included */
#define EAP_TLS_FLAG_M 0x40 /* more fragments follow */
#define EAP_TLS_FLAG_S 0x20 /* EAP-TLS Start */
/* The other 5 bits are reserved: sent 0, ignored on receipt (§3.1). */

/* The largest TLS message (one flight) we reassemble or send. A flight of
 * a few certificates is a few KiB; 64 KiB bounds what a peer can make us
 * hold per session. */
#define EAP_TLS_MAX_MESSAGE 65536u
/* Flags + TLS Message Length. */
#define EAP_TLS_HEADER_MAX 5

struct eap_tls_fragment {
	uint8_t flags;
	bool has_length; /* L: total_len is valid */
	uint32_t total_len;
	const uint8_t *data; /* points into the parsed buffer */
	size_t data_len;
};

/* Parse one Type-Data. Lengths first: ERR_TRUNCATED (no Flags, or L with
 * fewer than 4 length octets), ERR_LENGTH (a TLS Message Length of 0,
 * beyond EAP_TLS_MAX_MESSAGE or shorter than this fragment's data),
 * ERR_MALFORMED (S with M, L or data). */
int eap_tls_fragment_parse(const uint8_t *p, size_t len, struct eap_tls_fragment *out);

static inline bool eap_tls_fragment_is_ack(const struct eap_tls_fragment *f)
{
	return (f->flags & (EAP_TLS_FLAG_S | EAP_TLS_FLAG_M)) == 0 && f->data_len == 0;
}

/* Reassembly of the peer's fragments into one TLS message. */
struct eap_tls_reasm {
	uint8_t *buf; /* heap, grown up to EAP_TLS_MAX_MESSAGE */
	size_t cap;
	size_t len;
	uint32_t expected; /* from L on the first fragment; 0 = not given */
	bool active;       /* between a first fragment with M and the last */
};

enum eap_tls_reasm_status {
	EAP_TLS_REASM_MORE = 1,     /* stored; acknowledge it and wait */
	EAP_TLS_REASM_COMPLETE = 2, /* buf/len hold the whole message */
};

/* Add a parsed fragment that carries data (not S, not an ACK). Returns a
 * status, or ERR_LENGTH (more than announced or than the bound; a last
 * fragment short of the announced length), ERR_MALFORMED (a later
 * fragment whose L disagrees), ERR_NOMEM. An error resets r. */
int eap_tls_reasm_add(struct eap_tls_reasm *r, const struct eap_tls_fragment *f);
/* Forget the message (after it was consumed), keep the buffer. */
void eap_tls_reasm_reset(struct eap_tls_reasm *r);
void eap_tls_reasm_destroy(struct eap_tls_reasm *r);

/* Our outgoing TLS message, sent in fragments. */
struct eap_tls_out {
	uint8_t *buf;
	size_t cap;
	size_t len;
	size_t sent; /* bytes already in fragments the peer saw */
};

/* Append TLS bytes to the message being built. ERR_LIMIT beyond
 * EAP_TLS_MAX_MESSAGE, ERR_NOMEM. */
int eap_tls_out_append(struct eap_tls_out *o, const uint8_t *data, size_t len);
static inline bool eap_tls_out_pending(const struct eap_tls_out *o)
{
	return o->sent < o->len;
}
/* Write the next fragment's Type-Data into w: Flags, L on the first
 * fragment of a message that needs several (and on a single one: harmless
 * and what most peers send), M when more follow. max_type_data is what one
 * EAP packet may carry after its Type octet (>= EAP_TLS_HEADER_MAX + 1).
 * When the last fragment went out, the message is forgotten. Returns 0,
 * ERR_STATE (nothing pending), ERR_INVALID, ERR_NOSPACE. */
int eap_tls_out_next(struct eap_tls_out *o, size_t max_type_data, struct writer *w);
void eap_tls_out_destroy(struct eap_tls_out *o);

/* Write an acknowledgement (Flags 0) or a Start (Flags S). */
void eap_tls_write_ack(struct writer *w);
void eap_tls_write_start(struct writer *w);

#endif
