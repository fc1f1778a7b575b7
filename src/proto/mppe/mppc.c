/* SPDX-License-Identifier: BSD-2-Clause */
/* MPPC, RFC 2118 §4. */
#include "proto/mppe/mppc.h"

#include <string.h>

#include "base/error.h"

#define MPPC_NONE 0xFFFFu

/* ---- bit output, most significant bit first ---- */

struct bit_writer {
	uint8_t *out;
	size_t cap;    /* bytes we may write */
	size_t len;    /* bytes written */
	uint64_t acc;  /* pending bits, right-aligned */
	unsigned nacc;
	bool full;     /* would exceed cap: compression does not help */
};

static void bits_put(struct bit_writer *w, uint32_t value, unsigned nbits)
{
	/* Full: the packet goes as it is. Nothing more is kept, so the
	 * pending count stays below 8 + 16 and bits_finish never asks for a
	 * negative number of bits (a shift by 2^32 - 1 before, caught by
	 * UBSan on incompressible packets). */
	if (w->full)
		return;
	w->acc = (w->acc << nbits) | (value & ((1u << nbits) - 1u));
	w->nacc += nbits;
	while (w->nacc >= 8) {
		w->nacc -= 8;
		if (w->len >= w->cap) {
			w->full = true;
			return;
		}
		w->out[w->len++] = (uint8_t)(w->acc >> w->nacc);
	}
}

/* Zero bits up to the byte boundary. */
static void bits_finish(struct bit_writer *w)
{
	if (!w->full && w->nacc > 0)
		bits_put(w, 0, 8 - w->nacc);
}

/* RFC 2118 §4.1. */
static void put_literal(struct bit_writer *w, uint8_t byte)
{
	if (byte < 0x80)
		bits_put(w, byte, 8);
	else
		bits_put(w, 0x100u | (byte & 0x7Fu), 9); /* 10 + 7 bits */
}

/* RFC 2118 §4.2.1 and §4.2.2. */
static void put_copy(struct bit_writer *w, uint32_t offset, uint32_t length)
{
	if (offset < 64)
		bits_put(w, (0xFu << 6) | offset, 10);             /* 1111 + 6 */
	else if (offset < 320)
		bits_put(w, (0xEu << 8) | (offset - 64), 12);      /* 1110 + 8 */
	else
		bits_put(w, (0x6u << 13) | (offset - 320), 16);    /* 110 + 13 */

	if (length == 3) {
		bits_put(w, 0, 1);
		return;
	}
	/* k ones, a zero, then the low k+1 bits: lengths 2^(k+1) .. 2^(k+2)-1. */
	unsigned k = 1;
	while ((length >> (k + 2)) != 0)
		k++;
	bits_put(w, ((1u << k) - 1u) << 1, k + 1);
	bits_put(w, length, k + 1);
}

/* ---- compressor ---- */

void mppc_compressor_init(struct mppc_compressor *c)
{
	memset(c->history, 0, sizeof(c->history));
	memset(c->head, 0xFF, sizeof(c->head));
	memset(c->chain, 0xFF, sizeof(c->chain));
	c->pos = 0;
	c->flush_next = true; /* the first packet starts a fresh history */
}

static uint32_t hash3(const uint8_t *p)
{
	uint32_t v = ((uint32_t)p[0] << 16) | ((uint32_t)p[1] << 8) | p[2];
	return (v * 2654435761u) >> (32 - MPPC_HASH_BITS);
}

/* Positions in the table may be stale (from before a reset or a move to
 * the front); a candidate is only used when it lies before the current
 * position and its bytes really match, so staleness costs ratio, never
 * correctness. */
static void insert(struct mppc_compressor *c, uint32_t i, uint32_t end)
{
	if (i + MPPC_MIN_MATCH > end)
		return;
	uint32_t h = hash3(c->history + i);
	c->chain[i] = c->head[h];
	c->head[h] = (uint16_t)i;
}

static uint32_t longest_match(const struct mppc_compressor *c, uint32_t i, uint32_t end, uint32_t *match_pos)
{
	uint32_t best = 0;
	if (i + MPPC_MIN_MATCH > end)
		return 0;
	uint32_t limit = end - i;
	if (limit > MPPC_MAX_MATCH)
		limit = MPPC_MAX_MATCH;
	uint32_t cand = c->head[hash3(c->history + i)];
	for (unsigned depth = 0; depth < MPPC_MAX_CHAIN && cand != MPPC_NONE; depth++) {
		if (cand >= i)
			break; /* stale: from a previous fill of the history */
		uint32_t n = 0;
		while (n < limit && c->history[cand + n] == c->history[i + n])
			n++;
		if (n > best) {
			best = n;
			*match_pos = cand;
			if (n == limit)
				break;
		}
		uint32_t next = c->chain[cand];
		if (next != MPPC_NONE && next >= cand)
			break; /* chains only go back; anything else is stale */
		cand = next;
	}
	return best >= MPPC_MIN_MATCH ? best : 0;
}

void mppc_compress(struct mppc_compressor *c, const uint8_t *in, size_t len, uint8_t *out,
		   bool flush, uint8_t *bits, size_t *out_len)
{
	*bits = 0;
	*out_len = 0;
	if (flush || c->flush_next) {
		/* RFC 2118 §3.1 bit A (and the pointer goes to the front). */
		c->pos = 0;
		c->flush_next = false;
		*bits |= MPPC_BIT_FLUSHED | MPPC_BIT_FRONT;
	}
	if (len == 0 || len > MPPC_HISTORY_SIZE) {
		c->flush_next = true;
		memmove(out, in, len);
		*out_len = len;
		return;
	}
	if (c->pos + len > MPPC_HISTORY_SIZE) {
		/* RFC 2118 §3.1 bit B: no room at the end. */
		c->pos = 0;
		*bits |= MPPC_BIT_FRONT;
	}
	uint32_t start = c->pos;
	uint32_t end = start + (uint32_t)len;
	memmove(c->history + start, in, len);

	struct bit_writer w = { .out = out, .cap = len - 1 };
	uint32_t i = start;
	while (i < end && !w.full) {
		uint32_t match_pos = 0;
		uint32_t n = longest_match(c, i, end, &match_pos);
		if (n == 0) {
			put_literal(&w, c->history[i]);
			insert(c, i, end);
			i++;
			continue;
		}
		put_copy(&w, i - match_pos, n);
		for (uint32_t k = 0; k < n; k++)
			insert(c, i + k, end);
		i += n;
	}
	bits_finish(&w);
	if (w.full) {
		/* RFC 2118 §3 "Data Expansion": send it as it is, then flush. */
		c->flush_next = true;
		*bits &= (uint8_t)~MPPC_BIT_COMPRESSED;
		memcpy(out, c->history + start, len); /* out may have been in */
		*out_len = len;
		return;
	}
	c->pos = end;
	*bits |= MPPC_BIT_COMPRESSED;
	*out_len = w.len;
}

/* ---- decompressor ---- */

struct bit_reader {
	const uint8_t *in;
	size_t nbits;  /* total */
	size_t at;     /* bits consumed */
};

static size_t bits_left(const struct bit_reader *r)
{
	return r->nbits - r->at;
}

/* Read n <= 16 bits; the caller has checked bits_left. */
static uint32_t bits_get(struct bit_reader *r, unsigned n)
{
	uint32_t v = 0;
	for (unsigned k = 0; k < n; k++) {
		size_t bit = r->at++;
		v = (v << 1) | ((r->in[bit >> 3] >> (7 - (bit & 7))) & 1u);
	}
	return v;
}

void mppc_decompressor_init(struct mppc_decompressor *d)
{
	memset(d->history, 0, sizeof(d->history));
	d->pos = 0;
	d->broken = false;
}

static int decode(struct mppc_decompressor *d, struct bit_reader *r, uint32_t limit)
{
	/* Every token is at least 8 bits: fewer left is the zero padding to
	 * the byte boundary. */
	while (bits_left(r) >= 8) {
		if (bits_get(r, 1) == 0) {
			if (d->pos >= limit)
				return d->pos >= MPPC_HISTORY_SIZE ? ERR_MALFORMED : ERR_NOSPACE;
			d->history[d->pos++] = (uint8_t)bits_get(r, 7);        /* 0 + 7 */
			continue;
		}
		if (bits_get(r, 1) == 0) {
			/* 9 bits, and only 8 were promised: not padding (that is
			 * zeros), so a cut literal. */
			if (bits_left(r) < 7)
				return ERR_TRUNCATED;
			if (d->pos >= limit)
				return d->pos >= MPPC_HISTORY_SIZE ? ERR_MALFORMED : ERR_NOSPACE;
			d->history[d->pos++] = (uint8_t)(0x80u | bits_get(r, 7)); /* 10 + 7 */
			continue;
		}
		/* A copy tuple: offset, §4.2.1. We have read "11". */
		uint32_t offset;
		if (bits_left(r) < 1)
			return ERR_TRUNCATED;
		if (bits_get(r, 1) == 0) {
			if (bits_left(r) < 13)
				return ERR_TRUNCATED;
			offset = bits_get(r, 13) + 320;                  /* 110 + 13 */
		} else {
			if (bits_left(r) < 1)
				return ERR_TRUNCATED;
			if (bits_get(r, 1) == 0) {
				if (bits_left(r) < 8)
					return ERR_TRUNCATED;
				offset = bits_get(r, 8) + 64;            /* 1110 + 8 */
			} else {
				if (bits_left(r) < 6)
					return ERR_TRUNCATED;
				offset = bits_get(r, 6);                 /* 1111 + 6 */
			}
		}
		/* Length, §4.2.2: k ones, a zero, k+1 bits (k = 0: length 3). */
		unsigned k = 0;
		for (;;) {
			if (bits_left(r) < 1)
				return ERR_TRUNCATED;
			if (bits_get(r, 1) == 0)
				break;
			if (++k > 11)
				return ERR_MALFORMED; /* longer than 8191 */
		}
		uint32_t length = 3;
		if (k > 0) {
			if (bits_left(r) < k + 1)
				return ERR_TRUNCATED;
			length = (1u << (k + 1)) | bits_get(r, k + 1);
		}
		if (offset == 0 || offset > d->pos)
			return ERR_MALFORMED; /* nothing there, or before the history start */
		if (length > MPPC_HISTORY_SIZE - d->pos)
			return ERR_MALFORMED;
		if (length > limit - d->pos)
			return ERR_NOSPACE;
		/* Byte by byte: the source may overlap what we write. */
		const uint8_t *src = d->history + d->pos - offset;
		uint8_t *dst = d->history + d->pos;
		for (uint32_t n = 0; n < length; n++)
			dst[n] = src[n];
		d->pos += length;
	}
	return 0;
}

int mppc_decompress(struct mppc_decompressor *d, uint8_t bits, const uint8_t *in, size_t len,
		    size_t max_out, const uint8_t **out, size_t *out_len)
{
	*out = NULL;
	*out_len = 0;
	if (bits & MPPC_BIT_FLUSHED) {
		/* RFC 2118 §4.3: a FLUSHED packet resynchronises. */
		d->pos = 0;
		d->broken = false;
	}
	if (bits & MPPC_BIT_FRONT)
		d->pos = 0;
	if (!(bits & MPPC_BIT_COMPRESSED)) {
		if (len > max_out)
			return ERR_NOSPACE;
		*out = in;
		*out_len = len;
		return 0;
	}
	if (d->broken)
		return ERR_STATE;
	if (len > MPPC_HISTORY_SIZE) {
		d->broken = true;
		return ERR_MALFORMED;
	}
	uint32_t start = d->pos;
	uint32_t limit = MPPC_HISTORY_SIZE;
	if (max_out < (size_t)(limit - start))
		limit = start + (uint32_t)max_out;
	struct bit_reader r = { .in = in, .nbits = len * 8, .at = 0 };
	int rc = decode(d, &r, limit);
	if (rc < 0) {
		d->broken = true;
		return rc;
	}
	*out = d->history + start;
	*out_len = d->pos - start;
	return 0;
}
