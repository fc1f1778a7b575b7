/* src/server: address pool, call-ID allocator, per-source limits. */
#include "support/test_support.h"

#include <string.h>

#include "base/error.h"
#include "server/call_ids.h"
#include "server/ip_pool.h"
#include "server/source_limit.h"

#define ADDR(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

static void ip_pool_hands_out_every_address_once(void **state)
{
	(void)state;
	struct ip_pool pool;
	assert_int_equal(ip_pool_init(&pool, ADDR(203, 0, 113, 10), ADDR(203, 0, 113, 250)), 0);
	uint8_t seen[256] = { 0 };
	uint32_t addr;
	for (int i = 0; i < 241; i++) {
		assert_int_equal(ip_pool_take_any(&pool, &addr), 0);
		assert_true(ip_pool_contains(&pool, addr));
		assert_int_equal(seen[addr & 0xff]++, 0);
	}
	assert_int_equal(ip_pool_take_any(&pool, &addr), ERR_LIMIT);
	ip_pool_release(&pool, ADDR(203, 0, 113, 77));
	assert_int_equal(ip_pool_take_any(&pool, &addr), 0);
	assert_int_equal(addr, ADDR(203, 0, 113, 77));
	ip_pool_destroy(&pool);
}

static void ip_pool_static_addresses(void **state)
{
	(void)state;
	struct ip_pool pool;
	assert_int_equal(ip_pool_init(&pool, ADDR(198, 18, 0, 0), ADDR(198, 19, 255, 255)), 0);
	assert_int_equal(pool.count, 131072);
	assert_int_equal(ip_pool_take(&pool, ADDR(198, 18, 0, 5)), 0);
	assert_int_equal(ip_pool_take(&pool, ADDR(198, 18, 0, 5)), ERR_EXISTS);
	assert_int_equal(ip_pool_take(&pool, ADDR(203, 0, 113, 9)), 0); /* outside: no bookkeeping */
	assert_int_equal(pool.in_use, 1);
	ip_pool_release(&pool, ADDR(203, 0, 113, 9));
	ip_pool_release(&pool, ADDR(198, 18, 0, 5));
	ip_pool_release(&pool, ADDR(198, 18, 0, 5)); /* double release is harmless */
	assert_int_equal(pool.in_use, 0);
	ip_pool_destroy(&pool);
	assert_int_equal(ip_pool_init(&pool, ADDR(198, 18, 0, 9), ADDR(198, 18, 0, 8)), ERR_INVALID);
	ip_pool_destroy(&pool);
}

static void call_ids_are_unique_nonzero_and_exhaust(void **state)
{
	(void)state;
	struct test_random tr;
	test_random_init(&tr, 42);
	static struct call_ids ids;
	call_ids_init(&ids, test_random_source(&tr));
	static uint8_t seen[65536];
	memset(seen, 0, sizeof(seen));
	uint16_t id;
	for (int i = 0; i < 65535; i++) {
		assert_int_equal(call_ids_take(&ids, &id), 0);
		assert_int_not_equal(id, 0);
		assert_int_equal(seen[id]++, 0);
	}
	assert_int_equal(call_ids_take(&ids, &id), ERR_LIMIT);
	call_ids_release(&ids, 4711);
	assert_int_equal(call_ids_take(&ids, &id), 0);
	assert_int_equal(id, 4711);
}

static void source_limit_throttles_connects_and_failures(void **state)
{
	(void)state;
	static struct source_limit sl;
	source_limit_init(&sl, 60, 3, 6, 2); /* 1 connect/s burst 3; 1 failure/10 s burst 2 */
	uint32_t a = ADDR(192, 0, 2, 50), b = ADDR(192, 0, 2, 51);
	for (int i = 0; i < 3; i++)
		assert_true(source_limit_allow_connect(&sl, a, 1000));
	assert_false(source_limit_allow_connect(&sl, a, 1000));
	assert_true(source_limit_allow_connect(&sl, b, 1000)); /* other sources unaffected */
	assert_true(source_limit_allow_connect(&sl, a, 2000)); /* refilled one */
	assert_false(source_limit_allow_connect(&sl, a, 2000));
	assert_true(source_limit_allow_login(&sl, a, 2000));
	source_limit_note_failure(&sl, a, 2000);
	source_limit_note_failure(&sl, a, 2000);
	assert_false(source_limit_allow_login(&sl, a, 2000));
	assert_true(source_limit_allow_login(&sl, a, 12000));
}

static void source_limit_table_stays_bounded(void **state)
{
	(void)state;
	static struct source_limit sl;
	source_limit_init(&sl, 60, 1, 0, 0);
	for (uint32_t i = 1; i <= 100000; i++)
		(void)source_limit_allow_connect(&sl, ADDR(198, 18, 0, 0) + i, i);
	/* A fresh source still gets its burst, and a hot one is still limited. */
	assert_true(source_limit_allow_connect(&sl, ADDR(192, 0, 2, 1), 200000));
	assert_false(source_limit_allow_connect(&sl, ADDR(192, 0, 2, 1), 200000));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ip_pool_hands_out_every_address_once),
		cmocka_unit_test(ip_pool_static_addresses),
		cmocka_unit_test(call_ids_are_unique_nonzero_and_exhaust),
		cmocka_unit_test(source_limit_throttles_connects_and_failures),
		cmocka_unit_test(source_limit_table_stays_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
