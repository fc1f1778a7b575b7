/* SPDX-License-Identifier: BSD-2-Clause */
/* Enhanced GRE header (RFC 2637 §4.1): the version-1 GRE that PPTP wraps
 * each PPP frame in. A pure codec: decode from (buf, len) into a host-order
 * struct, encode in place by prepending to a struct pkt.
 *
 *   |C|R|K|S|s|Recur|A| Flags | Ver |         Protocol Type         |
 *   |    Key (HW) Payload Length    |       Key (LW) Call ID        |
 *   |                  Sequence Number (Optional)                   |
 *   |               Acknowledgment Number (Optional)                |
 *
 * When S is clear (an acknowledgement-only packet) the acknowledgement
 * number sits right after the key, where the sequence number would be. */
#ifndef OPENPPTP_GRE_HEADER_H
#define OPENPPTP_GRE_HEADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

#include "base/pkt.h"

#define GRE_PROTOCOL_PPP 0x880Bu   /* RFC 2637 §4.1 (PPP, RFC 1700) */
#define GRE_VERSION_ENHANCED 1u
#define GRE_HEADER_BASE 8u         /* flags, version, protocol, key */
#define GRE_HEADER_MAX 16u         /* base + sequence + acknowledgement */

/* First flags octet. */
#define GRE_FLAG_C 0x80u           /* checksum present: must be 0 */
#define GRE_FLAG_R 0x40u           /* routing present: must be 0 */
#define GRE_FLAG_K 0x20u           /* key present: must be 1 */
#define GRE_FLAG_S 0x10u           /* sequence number present */
#define GRE_FLAG_SSR 0x08u         /* strict source route: must be 0 */
#define GRE_RECUR_MASK 0x07u       /* recursion control: must be 0 */
/* Second octet: A, four flag bits, three version bits. */
#define GRE_FLAG_A 0x80u
#define GRE_FLAGS2_MASK 0x78u      /* bits 9-12: must be 0 */
#define GRE_VERSION_MASK 0x07u

/* The refusal reasons are the GRE block of enum error (base/error.h),
 * numbered contiguously so each gets a counter slot here. */
#define GRE_ERR_COUNT (GRE_ERR_FIRST - GRE_ERR_LAST + 1)

/* One counter per refusal reason, for the socket layer (before the call
 * is known) and for each channel. */
struct gre_error_counters {
	uint64_t count[GRE_ERR_COUNT];
};

/* Count err if it is a gre_error; other codes are ignored. */
void gre_error_count(struct gre_error_counters *c, int err);
uint64_t gre_error_get(const struct gre_error_counters *c, int err);

struct gre_header {
	bool has_seq;         /* S: a data packet */
	bool has_ack;         /* A */
	uint16_t payload_len; /* bytes of PPP payload after the header */
	uint16_t call_id;     /* the receiver's call id */
	uint32_t seq;
	uint32_t ack;
};

static inline size_t gre_header_size(bool has_seq, bool has_ack)
{
	return GRE_HEADER_BASE + (has_seq ? 4u : 0u) + (has_ack ? 4u : 0u);
}

static inline size_t gre_header_len(const struct gre_header *h)
{
	return gre_header_size(h->has_seq, h->has_ack);
}

/* Decode the header at buf. Returns the header length (8..16; the payload
 * is the next out->payload_len bytes, all present) or a negative gre_error.
 * Bytes after the payload are allowed and ignored. */
int gre_header_decode(const uint8_t *buf, size_t len, struct gre_header *out);

/* Prepend h to p in place. payload_len is taken from p->len (the PPP
 * frame), not from h. Returns the header length or ERR_NOSPACE when the
 * headroom is short, ERR_INVALID when the frame is longer than 65535 or
 * has_seq is clear with a non-empty frame. */
int gre_header_push(struct pkt *p, const struct gre_header *h);

/* Decode the GRE packet in p and strip it in place: afterwards p holds
 * exactly the payload (possibly empty). Returns the header length or a
 * negative gre_error (p untouched). */
int gre_header_strip(struct pkt *p, struct gre_header *out);

#endif
