/* SPDX-License-Identifier: BSD-2-Clause */
/* A 4-ary min-heap of timers ordered by deadline, with each timer holding
 * its own index so rearm and cancel are O(log n) without a search.
 *
 * Why a heap and not a hashed wheel: every engine exposes one
 * x_next_deadline() in exact milliseconds, so each session has one timer that
 * is rearmed often and usually moved later. A heap keeps exact ordering with
 * no tick granularity and no periodic wake-ups when idle; with 10^4 sessions
 * a 4-ary heap is about 7 levels deep, and the 4 children of a node share a
 * cache line or two. A wheel would be O(1) but needs ticking and cascading. */
#ifndef OPENPPTP_SYS_TIMER_HEAP_H
#define OPENPPTP_SYS_TIMER_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TIMER_NOT_ARMED SIZE_MAX

struct loop;
struct loop_timer;
typedef void (*loop_timer_fn)(struct loop *loop, struct loop_timer *timer, void *ctx);

/* Caller-owned (usually embedded in a session); set up with loop_timer_init. */
struct loop_timer {
	uint64_t deadline;
	uint64_t order;   /* insertion sequence: equal deadlines fire in arming order */
	size_t index;     /* position in the heap, TIMER_NOT_ARMED when not armed */
	loop_timer_fn fn;
	void *ctx;
};

struct timer_heap {
	struct loop_timer **items;
	size_t len;
	size_t cap;
	uint64_t next_order;
};

void timer_heap_init(struct timer_heap *h);
void timer_heap_destroy(struct timer_heap *h);
/* Arm or move t to `deadline`. Returns 0 or ERR_NOMEM. */
int timer_heap_set(struct timer_heap *h, struct loop_timer *t, uint64_t deadline);
/* Disarm t (no-op when not armed). */
void timer_heap_remove(struct timer_heap *h, struct loop_timer *t);
/* The earliest timer, or NULL. */
struct loop_timer *timer_heap_top(const struct timer_heap *h);
static inline bool timer_armed(const struct loop_timer *t)
{
	return t->index != TIMER_NOT_ARMED;
}

#endif
