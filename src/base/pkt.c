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

struct pkt *pkt_new(size_t cap, size_t headroom)
{
	struct pkt *p = malloc(sizeof(*p) + cap);
	if (!p)
		return NULL;
	pkt_init(p, (uint8_t *)(p + 1), cap, headroom);
	return p;
}

void pkt_free(struct pkt *p)
{
	free(p);
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
