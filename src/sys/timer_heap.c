/* SPDX-License-Identifier: BSD-2-Clause */
/* 4-ary min-heap of timers; see timer_heap.h for why. */
#include "sys/timer_heap.h"

#include <stdlib.h>

#include "base/error.h"

#define ARITY 4

static bool earlier(const struct loop_timer *a, const struct loop_timer *b)
{
	if (a->deadline != b->deadline)
		return a->deadline < b->deadline;
	return a->order < b->order;
}

static void place(struct timer_heap *h, size_t i, struct loop_timer *t)
{
	h->items[i] = t;
	t->index = i;
}

static void sift_up(struct timer_heap *h, size_t i)
{
	struct loop_timer *t = h->items[i];
	while (i > 0) {
		size_t parent = (i - 1) / ARITY;
		if (!earlier(t, h->items[parent]))
			break;
		place(h, i, h->items[parent]);
		i = parent;
	}
	place(h, i, t);
}

static void sift_down(struct timer_heap *h, size_t i)
{
	struct loop_timer *t = h->items[i];
	for (;;) {
		size_t first = i * ARITY + 1;
		if (first >= h->len)
			break;
		size_t best = first;
		size_t end = first + ARITY < h->len ? first + ARITY : h->len;
		for (size_t c = first + 1; c < end; c++)
			if (earlier(h->items[c], h->items[best]))
				best = c;
		if (!earlier(h->items[best], t))
			break;
		place(h, i, h->items[best]);
		i = best;
	}
	place(h, i, t);
}

void timer_heap_init(struct timer_heap *h)
{
	h->items = NULL;
	h->len = 0;
	h->cap = 0;
	h->next_order = 0;
}

void timer_heap_destroy(struct timer_heap *h)
{
	for (size_t i = 0; i < h->len; i++)
		h->items[i]->index = TIMER_NOT_ARMED;
	free(h->items);
	timer_heap_init(h);
}

int timer_heap_set(struct timer_heap *h, struct loop_timer *t, uint64_t deadline)
{
	if (timer_armed(t)) {
		uint64_t old = t->deadline;
		t->deadline = deadline;
		t->order = h->next_order++;
		if (deadline < old)
			sift_up(h, t->index);
		else
			sift_down(h, t->index);
		return 0;
	}
	if (h->len == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 64;
		struct loop_timer **items = realloc(h->items, cap * sizeof(*items));
		if (!items)
			return ERR_NOMEM;
		h->items = items;
		h->cap = cap;
	}
	t->deadline = deadline;
	t->order = h->next_order++;
	place(h, h->len++, t);
	sift_up(h, t->index);
	return 0;
}

void timer_heap_remove(struct timer_heap *h, struct loop_timer *t)
{
	if (!timer_armed(t))
		return;
	size_t i = t->index;
	t->index = TIMER_NOT_ARMED;
	struct loop_timer *last = h->items[--h->len];
	if (i == h->len)
		return;
	place(h, i, last);
	if (i > 0 && earlier(last, h->items[(i - 1) / ARITY]))
		sift_up(h, i);
	else
		sift_down(h, i);
}

struct loop_timer *timer_heap_top(const struct timer_heap *h)
{
	return h->len ? h->items[0] : NULL;
}
