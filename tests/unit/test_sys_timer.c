/* SPDX-License-Identifier: BSD-2-Clause */
/* src/sys/timer_heap: ordering, cancel, rearm, many timers. */
#include "support/test_support.h"

#include <stdlib.h>
#include <string.h>

#include "sys/loop.h"
#include "sys/timer_heap.h"

#define N 5000

/* Check the heap invariant and that every index points back. */
static void check_heap(const struct timer_heap *h)
{
	for (size_t i = 0; i < h->len; i++) {
		assert_int_equal(h->items[i]->index, i);
		if (i > 0) {
			const struct loop_timer *parent = h->items[(i - 1) / 4];
			assert_true(parent->deadline <= h->items[i]->deadline);
		}
	}
}

static void pops_in_deadline_order(void **state)
{
	(void)state;
	struct test_random tr;
	struct random_source rs;
	test_random_init(&tr, 7);
	rs = test_random_source(&tr);
	struct timer_heap h;
	timer_heap_init(&h);
	struct loop_timer *t = calloc(N, sizeof(*t));
	assert_non_null(t);
	for (size_t i = 0; i < N; i++) {
		loop_timer_init(&t[i], NULL, NULL);
		assert_int_equal(timer_heap_set(&h, &t[i], random_u32(&rs) % 100000), 0);
	}
	check_heap(&h);
	uint64_t last = 0;
	size_t popped = 0;
	struct loop_timer *top;
	while ((top = timer_heap_top(&h))) {
		assert_true(top->deadline >= last);
		last = top->deadline;
		timer_heap_remove(&h, top);
		assert_false(timer_armed(top));
		popped++;
	}
	assert_int_equal(popped, N);
	timer_heap_destroy(&h);
	free(t);
}

static void cancel_and_rearm_keep_the_heap_valid(void **state)
{
	(void)state;
	struct test_random tr;
	struct random_source rs;
	test_random_init(&tr, 11);
	rs = test_random_source(&tr);
	struct timer_heap h;
	timer_heap_init(&h);
	struct loop_timer *t = calloc(N, sizeof(*t));
	assert_non_null(t);
	for (size_t i = 0; i < N; i++) {
		loop_timer_init(&t[i], NULL, NULL);
		assert_int_equal(timer_heap_set(&h, &t[i], 1000 + i), 0);
	}
	/* Random mix of rearm earlier/later, cancel and re-add. */
	for (int round = 0; round < 20000; round++) {
		struct loop_timer *x = &t[random_u32(&rs) % N];
		uint32_t op = random_u32(&rs) % 3;
		if (op == 0)
			timer_heap_remove(&h, x);
		else
			assert_int_equal(timer_heap_set(&h, x, random_u32(&rs) % 50000), 0);
		if (round % 1000 == 0)
			check_heap(&h);
	}
	check_heap(&h);
	size_t armed = 0;
	for (size_t i = 0; i < N; i++)
		armed += timer_armed(&t[i]);
	assert_int_equal(armed, h.len);
	timer_heap_remove(&h, &t[0]);
	timer_heap_remove(&h, &t[0]); /* twice is a no-op */
	check_heap(&h);
	timer_heap_destroy(&h);
	for (size_t i = 0; i < N; i++)
		assert_false(timer_armed(&t[i]));
	free(t);
}

static void equal_deadlines_fire_in_arming_order(void **state)
{
	(void)state;
	struct timer_heap h;
	timer_heap_init(&h);
	struct loop_timer t[10];
	for (int i = 0; i < 10; i++) {
		loop_timer_init(&t[i], NULL, NULL);
		assert_int_equal(timer_heap_set(&h, &t[i], 500), 0);
	}
	/* Rearming to the same deadline moves it to the back. */
	assert_int_equal(timer_heap_set(&h, &t[0], 500), 0);
	for (int i = 1; i <= 10; i++) {
		struct loop_timer *top = timer_heap_top(&h);
		assert_ptr_equal(top, &t[i % 10]);
		timer_heap_remove(&h, top);
	}
	assert_null(timer_heap_top(&h));
	timer_heap_destroy(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pops_in_deadline_order),
		cmocka_unit_test(cancel_and_rearm_keep_the_heap_valid),
		cmocka_unit_test(equal_deadlines_fire_in_arming_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
