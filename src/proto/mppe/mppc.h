/* SPDX-License-Identifier: BSD-2-Clause */
/* MPPC compression (RFC 2118), sans-I/O: an LZ77 variant over an 8 KiB
 * history, with the literal and copy-tuple bit encodings of RFC 2118 §4.
 *
 * The header bits are shared with MPPE (RFC 3078 §3.1): A (FLUSHED: the
 * history was reset), B (the packet starts at the front of the history),
 * C (compressed). The decompressor parses untrusted bits: every offset and
 * length is checked against the history and the output bound, it never
 * reads past the input, and after any error it refuses compressed packets
 * until one arrives with A set. */
#ifndef OPENPPTP_PROTO_MPPC_H
#define OPENPPTP_PROTO_MPPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MPPC_HISTORY_SIZE 8192u
#define MPPC_HASH_BITS 12
#define MPPC_HASH_SIZE (1u << MPPC_HASH_BITS)
/* How many earlier candidates the compressor tries per position. */
#define MPPC_MAX_CHAIN 16u
#define MPPC_MIN_MATCH 3u
#define MPPC_MAX_MATCH 8191u

/* The bits, as in the MPPE/MPPC header's first byte. */
#define MPPC_BIT_FLUSHED 0x80 /* A */
#define MPPC_BIT_FRONT 0x40   /* B */
#define MPPC_BIT_COMPRESSED 0x20 /* C */

struct mppc_compressor {
	uint8_t history[MPPC_HISTORY_SIZE];
	uint16_t head[MPPC_HASH_SIZE];     /* newest position per hash, or MPPC_NONE */
	uint16_t chain[MPPC_HISTORY_SIZE]; /* previous position with the same hash */
	uint32_t pos;                      /* history pointer */
	bool flush_next;                   /* reset before the next packet (RFC 2118 §3) */
};

struct mppc_decompressor {
	uint8_t history[MPPC_HISTORY_SIZE];
	uint32_t pos;
	bool broken; /* an error desynchronised us: wait for FLUSHED */
};

void mppc_compressor_init(struct mppc_compressor *c);
void mppc_decompressor_init(struct mppc_decompressor *d);

/* Compress len bytes (the protocol field + information) into out, which
 * has room for len bytes and may be the same buffer as in (the input is
 * first copied into the history). flush: reset the history first (the
 * packet will carry A, e.g. stateless mode or MPPE's flag/reset packets).
 * On return *bits holds A/B/C and out holds the *out_len bytes to send:
 * with C compressed (always fewer than len: compression must help);
 * without C the original bytes, and the compressor resets its history
 * before the next packet (which then carries A), as RFC 2118 §3 "Data
 * Expansion" requires. */
void mppc_compress(struct mppc_compressor *c, const uint8_t *in, size_t len, uint8_t *out,
		   bool flush, uint8_t *bits, size_t *out_len);

/* Decompress one packet with header bits `bits`. On success *out points
 * to *out_len bytes (inside the history, or `in` itself when C is clear),
 * valid until the next call. max_out bounds the output. Returns 0,
 * ERR_TRUNCATED (ran out of bits inside a token), ERR_MALFORMED (bad code,
 * offset 0, offset before the history start, history overflow),
 * ERR_NOSPACE (more than max_out), ERR_STATE (compressed packet while
 * desynchronised, without A). */
int mppc_decompress(struct mppc_decompressor *d, uint8_t bits, const uint8_t *in, size_t len,
		    size_t max_out, const uint8_t **out, size_t *out_len);

#endif
