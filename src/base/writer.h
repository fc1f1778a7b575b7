/* SPDX-License-Identifier: BSD-2-Clause */
/* Bounded writer: the output-side twin of base/reader.h. A write that does
 * not fit writes nothing and latches `overflow`. */
#ifndef OPENPPTP_BASE_WRITER_H
#define OPENPPTP_BASE_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/bytes.h"

struct writer {
	uint8_t *data;
	size_t cap;
	size_t pos;
	bool overflow;
};

static inline void writer_init(struct writer *w, uint8_t *data, size_t cap)
{
	w->data = data;
	w->cap = data ? cap : 0;
	w->pos = 0;
	w->overflow = false;
}

static inline bool writer_ok(const struct writer *w)
{
	return !w->overflow;
}

static inline size_t writer_len(const struct writer *w)
{
	return w->pos;
}

/* Reserve n bytes and return where they go, or NULL (and overflow). */
static inline uint8_t *writer_ptr(struct writer *w, size_t n)
{
	if (w->overflow || w->cap - w->pos < n) {
		w->overflow = true;
		return NULL;
	}
	uint8_t *p = w->data + w->pos;
	w->pos += n;
	return p;
}

static inline void writer_u8(struct writer *w, uint8_t v)
{
	uint8_t *p = writer_ptr(w, 1);
	if (p)
		p[0] = v;
}

static inline void writer_u16(struct writer *w, uint16_t v)
{
	uint8_t *p = writer_ptr(w, 2);
	if (p)
		store_be16(p, v);
}

static inline void writer_u32(struct writer *w, uint32_t v)
{
	uint8_t *p = writer_ptr(w, 4);
	if (p)
		store_be32(p, v);
}

static inline void writer_bytes(struct writer *w, const void *src, size_t n)
{
	uint8_t *p = writer_ptr(w, n);
	if (p && n)
		memcpy(p, src, n);
}

static inline void writer_zeros(struct writer *w, size_t n)
{
	uint8_t *p = writer_ptr(w, n);
	if (p)
		memset(p, 0, n);
}

/* A string into a fixed-size NUL-padded field of n bytes (truncated to fit). */
static inline void writer_padded_string(struct writer *w, const char *s, size_t n)
{
	uint8_t *p = writer_ptr(w, n);
	if (!p)
		return;
	size_t len = s ? strnlen(s, n) : 0;
	memcpy(p, s, len);
	memset(p + len, 0, n - len);
}

#endif
