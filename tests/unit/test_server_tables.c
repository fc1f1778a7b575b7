/* SPDX-License-Identifier: BSD-2-Clause */
/* src/server: address pool (also inside a chap-secrets address set),
 * call-ID allocator, per-source limits. */
#include "support/test_support.h"

#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "config/secret_addrs.h"
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

static void set_of(struct secret_addr_set *set, const char *const *words)
{
	const char *why = NULL;

	secret_addrs_init(set);
	for (size_t i = 0; words[i]; i++)
		if (secret_addrs_add_word(set, words[i], strlen(words[i]), &why) < 0)
			fail_msg("'%s': %s", words[i], why);
}

/* The case: a user limited to 203.0.113.200-210 gets only those,
 * and is refused when they are all in use; others still get the rest. */
static void ip_pool_take_in_stays_inside_a_range(void **state)
{
	(void)state;
	struct ip_pool pool;
	struct secret_addr_set limited, any;
	uint32_t addr;
	bool seen[11] = { false };

	set_of(&limited, (const char *const[]){ "203.0.113.200-210", NULL });
	set_of(&any, (const char *const[]){ NULL });
	assert_int_equal(ip_pool_init(&pool, ADDR(203, 0, 113, 10), ADDR(203, 0, 113, 250)), 0);
	assert_int_equal(ip_pool_take_in(&pool, &any, &addr), 0);
	assert_int_equal(addr, ADDR(203, 0, 113, 10));
	for (int i = 0; i < 11; i++) {
		assert_int_equal(ip_pool_take_in(&pool, &limited, &addr), 0);
		assert_true(addr >= ADDR(203, 0, 113, 200) && addr <= ADDR(203, 0, 113, 210));
		assert_false(seen[addr - ADDR(203, 0, 113, 200)]);
		seen[addr - ADDR(203, 0, 113, 200)] = true;
	}
	assert_int_equal(ip_pool_take_in(&pool, &limited, &addr), ERR_LIMIT);
	assert_int_equal(pool.in_use, 12);
	assert_int_equal(ip_pool_take_in(&pool, &any, &addr), 0);   /* others are not affected */
	assert_int_equal(addr, ADDR(203, 0, 113, 11));
	ip_pool_release(&pool, ADDR(203, 0, 113, 205));
	assert_int_equal(ip_pool_take_in(&pool, &limited, &addr), 0);
	assert_int_equal(addr, ADDR(203, 0, 113, 205));
	ip_pool_destroy(&pool);
}

static void ip_pool_take_in_follows_the_words(void **state)
{
	(void)state;
	struct ip_pool pool;
	struct secret_addr_set set;
	uint32_t addr;

	assert_int_equal(ip_pool_init(&pool, ADDR(198, 18, 0, 10), ADDR(198, 18, 0, 200)), 0);
	/* a list: the static address first, then the subnet from its start
	 * (clipped to the pool), skipping the excluded address */
	set_of(&set, (const char *const[]){ "198.18.0.77", "198.18.0.0/24", "!198.18.0.11", NULL });
	assert_int_equal(ip_pool_take_in(&pool, &set, &addr), 0);
	assert_int_equal(addr, ADDR(198, 18, 0, 77));
	assert_int_equal(ip_pool_take_in(&pool, &set, &addr), 0);
	assert_int_equal(addr, ADDR(198, 18, 0, 10));
	assert_int_equal(ip_pool_take_in(&pool, &set, &addr), 0);
	assert_int_equal(addr, ADDR(198, 18, 0, 12));
	/* the static address (the first single one) before the words in front of it */
	set_of(&set, (const char *const[]){ "198.18.0.0/24", "198.18.0.150", "198.18.0.151", NULL });
	assert_int_equal(ip_pool_take_in(&pool, &set, &addr), 0);
	assert_int_equal(addr, ADDR(198, 18, 0, 150));
	assert_int_equal(ip_pool_take_in(&pool, &set, &addr), 0);
	assert_int_equal(addr, ADDR(198, 18, 0, 11)); /* the earlier set excluded it; this one does not */
	/* `-`, a range wholly outside the pool, a static outside it: none */
	set_of(&set, (const char *const[]){ "-", NULL });
	assert_int_equal(ip_pool_take_in(&pool, &set, &addr), ERR_LIMIT);
	set_of(&set, (const char *const[]){ "203.0.113.200-210", NULL });
	assert_int_equal(ip_pool_take_in(&pool, &set, &addr), ERR_LIMIT);
	set_of(&set, (const char *const[]){ "198.18.0.201", "198.18.0.9", NULL });
	assert_int_equal(ip_pool_take_in(&pool, &set, &addr), ERR_LIMIT);
	/* a range that only overlaps the pool's end */
	set_of(&set, (const char *const[]){ "198.18.0.199-198.18.1.20", NULL });
	assert_int_equal(ip_pool_take_in(&pool, &set, &addr), 0);
	assert_int_equal(addr, ADDR(198, 18, 0, 199));
	assert_int_equal(ip_pool_take_in(&pool, &set, &addr), 0);
	assert_int_equal(addr, ADDR(198, 18, 0, 200));
	assert_int_equal(ip_pool_take_in(&pool, &set, &addr), ERR_LIMIT);
	/* any address but a /25 excluded: round robin past it */
	set_of(&set, (const char *const[]){ "*", "!198.18.0.0/25", NULL });
	assert_int_equal(ip_pool_take_in(&pool, &set, &addr), 0);
	assert_int_equal(addr, ADDR(198, 18, 0, 128));
	assert_int_equal(ip_pool_take_in(&pool, &set, &addr), 0);
	assert_int_equal(addr, ADDR(198, 18, 0, 129));
	assert_int_equal(pool.in_use, 9);
	ip_pool_destroy(&pool);
}

/* A set that allows any address picks exactly what ip_pool_take_any picks
 * (the server may call ip_pool_take_in for every login). */
static void ip_pool_take_in_any_is_take_any(void **state)
{
	(void)state;
	struct ip_pool a, b;
	struct secret_addr_set any;
	struct test_random tr;
	uint32_t x, y;

	set_of(&any, (const char *const[]){ "*", NULL });
	test_random_init(&tr, 7);
	struct random_source rs = test_random_source(&tr);
	assert_int_equal(ip_pool_init(&a, ADDR(198, 18, 0, 0), ADDR(198, 18, 1, 44)), 0);
	assert_int_equal(ip_pool_init(&b, ADDR(198, 18, 0, 0), ADDR(198, 18, 1, 44)), 0);
	for (int i = 0; i < 5000; i++) {
		if (random_u32(&rs) % 3 == 0) {
			uint32_t r = ADDR(198, 18, 0, 0) + random_u32(&rs) % 301;
			ip_pool_release(&a, r);
			ip_pool_release(&b, r);
			continue;
		}
		int ra = ip_pool_take_any(&a, &x), rb = ip_pool_take_in(&b, &any, &y);
		assert_int_equal(ra, rb);
		if (ra == 0)
			assert_int_equal(x, y);
	}
	ip_pool_destroy(&a);
	ip_pool_destroy(&b);
}

/* Against a brute force: random pools (crossing 64-bit words), random
 * occupancy, random sets; what comes back is a free pool address the set
 * allows, and ERR_LIMIT only when there is none. */
static void ip_pool_take_in_matches_brute_force(void **state)
{
	(void)state;
	struct test_random tr;
	test_random_init(&tr, 2759);
	struct random_source rs = test_random_source(&tr);

	for (int round = 0; round < 3000; round++) {
		struct ip_pool pool;
		uint32_t base = ADDR(198, 18, 0, 0), first = base + random_u32(&rs) % 200;
		uint32_t count = 1 + random_u32(&rs) % 300;
		assert_int_equal(ip_pool_init(&pool, first, first + count - 1), 0);
		unsigned fill = random_u32(&rs) % 101;
		for (uint32_t i = 0; i < count; i++)
			if (random_u32(&rs) % 100 < fill)
				assert_int_equal(ip_pool_take(&pool, first + i), 0);
		pool.next_hint = random_u32(&rs) % count;

		struct secret_addr_set set;
		secret_addrs_init(&set);
		unsigned words = random_u32(&rs) % 5;
		for (unsigned w = 0; w < words; w++) {
			char word[48];
			uint32_t lo = base + random_u32(&rs) % 520, hi = lo + random_u32(&rs) % 90;
			unsigned kind = random_u32(&rs) % 6;
			char a[IPV4_STR_MAX], b[IPV4_STR_MAX];
			const char *why;
			if (kind == 0)
				snprintf(word, sizeof(word), "*");
			else
				snprintf(word, sizeof(word), "%s%s-%s", kind <= 2 ? "!" : "", ipv4_format(lo, a),
					 ipv4_format(kind == 3 ? lo : hi, b));
			assert_int_equal(secret_addrs_add_word(&set, word, strlen(word), &why), 0);
		}
		bool possible = false;
		for (uint32_t i = 0; i < count; i++)
			possible |= !ip_pool_is_taken(&pool, first + i) && secret_addrs_allow(&set, first + i);
		uint32_t in_use = pool.in_use, addr = 0;
		int rc = ip_pool_take_in(&pool, &set, &addr);
		if (!possible) {
			assert_int_equal(rc, ERR_LIMIT);
			assert_int_equal(pool.in_use, in_use);
		} else {
			assert_int_equal(rc, 0);
			assert_true(ip_pool_contains(&pool, addr));
			assert_true(secret_addrs_allow(&set, addr));
			assert_true(ip_pool_is_taken(&pool, addr));
			assert_int_equal(pool.in_use, in_use + 1);
			/* and it was free: taking it again fails */
			assert_int_equal(ip_pool_take(&pool, addr), ERR_EXISTS);
		}
		ip_pool_destroy(&pool);
	}
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
	assert_true(source_limit_begin_login(&sl, a, 2000));
	assert_true(source_limit_begin_login(&sl, a, 2000));
	assert_false(source_limit_begin_login(&sl, a, 2000));
	assert_true(source_limit_begin_login(&sl, a, 12000));
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
		cmocka_unit_test(ip_pool_take_in_stays_inside_a_range),
		cmocka_unit_test(ip_pool_take_in_follows_the_words),
		cmocka_unit_test(ip_pool_take_in_any_is_take_any),
		cmocka_unit_test(ip_pool_take_in_matches_brute_force),
		cmocka_unit_test(call_ids_are_unique_nonzero_and_exhaust),
		cmocka_unit_test(source_limit_throttles_connects_and_failures),
		cmocka_unit_test(source_limit_table_stays_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
