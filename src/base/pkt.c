/* SPDX-License-Identifier: BSD-2-Clause */
#include "base/pkt.h"

#include <stdlib.h>

void pkt_init(struct pkt *p, uint8_t *storage, size_t cap, size_t headroom)
{
	p->buf = storage;
	p->cap = cap;
	p->off = headroom < cap ? headroom : cap;
	p->len = 0;
}

/* Freed PKT_SIZE packets are kept for the next pkt_new: the data path
 * allocates one per packet in each direction, and malloc/free of a 2 KiB
 * chunk (past glibc's per-thread cache) was a measurable part of it. Per
 * thread, at most 64 (a sendmmsg batch and change, 130 KiB); off under
 * AddressSanitizer, so it still sees every use after free. */
#if defined(__SANITIZE_ADDRESS__)
#define PKT_POOL_MAX 0
#else
#define PKT_POOL_MAX 64
#endif
#if PKT_POOL_MAX > 0
static _Thread_local struct pkt *pool[PKT_POOL_MAX];
static _Thread_local size_t pool_len;
#endif

struct pkt *pkt_new(size_t cap, size_t headroom)
{
	struct pkt *p;
#if PKT_POOL_MAX > 0
	if (cap == PKT_SIZE && pool_len > 0) {
		p = pool[--pool_len];
		pkt_init(p, (uint8_t *)(p + 1), cap, headroom);
		return p;
	}
#endif
	p = malloc(sizeof(*p) + cap);
	if (!p)
		return NULL;
	pkt_init(p, (uint8_t *)(p + 1), cap, headroom);
	return p;
}

void pkt_free(struct pkt *p)
{
#if PKT_POOL_MAX > 0
	if (p && p->cap == PKT_SIZE && p->buf == (uint8_t *)(p + 1) && pool_len < PKT_POOL_MAX) {
		pool[pool_len++] = p;
		return;
	}
#endif
	free(p);
}

void pkt_pool_drain(void)
{
#if PKT_POOL_MAX > 0
	while (pool_len > 0)
		free(pool[--pool_len]);
#endif
}

uint8_t *pkt_push(struct pkt *p, size_t n)
{
	if (n > p->off)
		return NULL;
	p->off -= n;
	p->len += n;
	return pkt_data(p);
}

uint8_t *pkt_pull(struct pkt *p, size_t n)
{
	if (n > p->len)
		return NULL;
	p->off += n;
	p->len -= n;
	return pkt_data(p);
}

uint8_t *pkt_put(struct pkt *p, size_t n)
{
	if (n > pkt_tailroom(p))
		return NULL;
	uint8_t *tail = pkt_data(p) + p->len;
	p->len += n;
	return tail;
}

void pkt_trim(struct pkt *p, size_t len)
{
	if (len < p->len)
		p->len = len;
}

void pkt_reset(struct pkt *p, size_t headroom)
{
	p->off = headroom < p->cap ? headroom : p->cap;
	p->len = 0;
}
