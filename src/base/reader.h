/* SPDX-License-Identifier: BSD-2-Clause */
/* Bounded reader over untrusted wire bytes.
 *
 * Every read checks the bytes that are really there. A read past the end
 * returns zeroes and latches `overrun`; parsers read a whole structure and
 * check reader_ok() once, or test reader_has() before a variable part.
 * Nothing is ever read past data + len. */
#ifndef OPENPPTP_BASE_READER_H
#define OPENPPTP_BASE_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/bytes.h"

struct reader {
	const uint8_t *data;
	size_t len;
	size_t pos;
	bool overrun;
};

static inline void reader_init(struct reader *r, const uint8_t *data, size_t len)
{
	r->data = data;
	r->len = data ? len : 0;
	r->pos = 0;
	r->overrun = false;
}

static inline size_t reader_remaining(const struct reader *r)
{
	return r->len - r->pos;
}

static inline bool reader_has(const struct reader *r, size_t n)
{
	return !r->overrun && reader_remaining(r) >= n;
}

static inline bool reader_ok(const struct reader *r)
{
	return !r->overrun;
}

/* Pointer to the next n bytes and advance, or NULL (and overrun) if short. */
static inline const uint8_t *reader_ptr(struct reader *r, size_t n)
{
	if (!reader_has(r, n)) {
		r->overrun = true;
		return NULL;
	}
	const uint8_t *p = r->data + r->pos;
	r->pos += n;
	return p;
}

static inline uint8_t reader_u8(struct reader *r)
{
	const uint8_t *p = reader_ptr(r, 1);
	return p ? p[0] : 0;
}

static inline uint16_t reader_u16(struct reader *r)
{
	const uint8_t *p = reader_ptr(r, 2);
	return p ? load_be16(p) : 0;
}

static inline uint32_t reader_u32(struct reader *r)
{
	const uint8_t *p = reader_ptr(r, 4);
	return p ? load_be32(p) : 0;
}

static inline void reader_bytes(struct reader *r, void *out, size_t n)
{
	const uint8_t *p = reader_ptr(r, n);
	if (p)
		memcpy(out, p, n);
	else
		memset(out, 0, n);
}

static inline void reader_skip(struct reader *r, size_t n)
{
	(void)reader_ptr(r, n);
}

/* A reader over the next n bytes (a TLV's value, say); the parent advances
 * past them. On a short parent both are overrun. */
static inline struct reader reader_sub(struct reader *r, size_t n)
{
	struct reader sub;
	const uint8_t *p = reader_ptr(r, n);
	reader_init(&sub, p, p ? n : 0);
	sub.overrun = (p == NULL);
	return sub;
}

/* Copy a fixed-size, NUL-padded wire string field (PPTP host name, vendor,
 * phone number ...) into out (out_size >= n + 1), always NUL-terminated.
 * Returns true when the field is well formed: after the first NUL, only NULs. */
bool reader_padded_string(struct reader *r, size_t n, char *out, size_t out_size);

#endif
