/* SPDX-License-Identifier: BSD-2-Clause */
/* src/load: percentiles (nearest rank), the sample reservoir, --sources
 * prefix expansion, the users file. */
#include "support/test_support.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "load/load_internal.h"
#include "load/load_sources.h"
#include "load/load_stats.h"

static void percentile_is_nearest_rank(void **state)
{
	(void)state;
	uint32_t v[100];
	for (uint32_t i = 0; i < 100; i++)
		v[i] = i + 1; /* 1..100 */
	assert_int_equal(load_percentile(v, 100, 50), 50);
	assert_int_equal(load_percentile(v, 100, 90), 90);
	assert_int_equal(load_percentile(v, 100, 99), 99);
	assert_int_equal(load_percentile(v, 100, 100), 100);
	assert_int_equal(load_percentile(v, 100, 0.5), 1);
	/* 200 values: p99 is the 198th, not the 199th (99.0/100*200 must not round up). */
	uint32_t w[200];
	for (uint32_t i = 0; i < 200; i++)
		w[i] = i + 1;
	assert_int_equal(load_percentile(w, 200, 99), 198);
	assert_int_equal(load_percentile(w, 200, 50), 100);
	/* Few values: p50 of 3 is the 2nd, p99 of 3 the 3rd. */
	uint32_t x[3] = { 10, 20, 30 };
	assert_int_equal(load_percentile(x, 3, 50), 20);
	assert_int_equal(load_percentile(x, 3, 99), 30);
	assert_int_equal(load_percentile(x, 1, 99), 10);
	assert_int_equal(load_percentile(NULL, 0, 50), 0);
}

static void summary_sorts_a_copy(void **state)
{
	(void)state;
	struct load_samples s;
	load_samples_init(&s, 0);
	const uint32_t in[] = { 900, 100, 500, 300, 700 };
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(load_samples_add(&s, in[i]), 0);
	struct load_summary sum;
	assert_int_equal(load_samples_summary(&s, &sum), 0);
	assert_int_equal(sum.count, 5);
	assert_int_equal(sum.min, 100);
	assert_int_equal(sum.max, 900);
	assert_int_equal(sum.p50, 500);
	assert_int_equal(sum.p99, 900);
	assert_int_equal(s.values[0], 900); /* the samples stay in arrival order */
	load_samples_free(&s);
	load_samples_init(&s, 0);
	assert_int_equal(load_samples_summary(&s, &sum), 0);
	assert_int_equal(sum.count, 0);
	assert_int_equal(sum.p50, 0);
	load_samples_free(&s);
}

static void reservoir_stays_bounded_and_unbiased(void **state)
{
	(void)state;
	struct load_samples s;
	load_samples_init(&s, 1000);
	/* 100,000 values uniform over 0..99,999: the reservoir's median stays near 50,000. */
	for (uint32_t i = 0; i < 100000; i++)
		assert_int_equal(load_samples_add(&s, (i * 7919u) % 100000u), 0);
	assert_int_equal(s.len, 1000);
	assert_true(s.cap <= 1000);
	struct load_summary sum;
	assert_int_equal(load_samples_summary(&s, &sum), 0);
	assert_int_equal(sum.count, 100000);
	assert_int_equal(sum.min, 0);
	assert_int_equal(sum.max, 99999);
	assert_true(sum.p50 > 40000 && sum.p50 < 60000);
	assert_true(sum.p99 > 95000);
	load_samples_free(&s);
}

static void sources_expand_every_address(void **state)
{
	(void)state;
	uint32_t a[LOAD_SOURCES_MAX];
	size_t n;
	assert_int_equal(load_sources_expand("198.18.0.16/28", a, LOAD_SOURCES_MAX, &n), 0);
	assert_int_equal(n, 16);
	assert_int_equal(a[0], 0xc6120010u);
	assert_int_equal(a[15], 0xc612001fu);
	assert_int_equal(load_sources_expand("198.18.0.0/24", a, LOAD_SOURCES_MAX, &n), 0);
	assert_int_equal(n, 256);
	assert_int_equal(load_sources_expand("198.19.255.7", a, LOAD_SOURCES_MAX, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(a[0], 0xc613ff07u);
	/* Host bits are cleared like any prefix. */
	assert_int_equal(load_sources_expand("198.18.1.5/30", a, LOAD_SOURCES_MAX, &n), 0);
	assert_int_equal(a[0], 0xc6120104u);
	assert_int_equal(n, 4);
}

static void sources_refuse_what_is_not_ours(void **state)
{
	(void)state;
	uint32_t a[LOAD_SOURCES_MAX];
	size_t n = 99;
	assert_int_equal(load_sources_expand("192.0.2.0/24", a, LOAD_SOURCES_MAX, &n), ERR_UNSUPPORTED);
	assert_int_equal(n, 0);
	assert_int_equal(load_sources_expand("198.20.0.0/24", a, LOAD_SOURCES_MAX, &n), ERR_UNSUPPORTED);
	assert_int_equal(load_sources_expand("198.18.0.0/14", a, LOAD_SOURCES_MAX, &n), ERR_UNSUPPORTED);
	assert_int_equal(load_sources_expand("198.18.0.0/19", a, LOAD_SOURCES_MAX, &n), ERR_LIMIT);
	assert_int_equal(load_sources_expand("198.18.0.0/24", a, 100, &n), ERR_LIMIT);
	assert_int_equal(load_sources_expand("198.18.0.0/33", a, LOAD_SOURCES_MAX, &n), ERR_INVALID);
	assert_int_equal(load_sources_expand("198.18.0/24", a, LOAD_SOURCES_MAX, &n), ERR_INVALID);
	assert_int_equal(load_sources_expand("", a, LOAD_SOURCES_MAX, &n), ERR_INVALID);
	assert_int_equal(load_sources_expand(NULL, a, LOAD_SOURCES_MAX, &n), ERR_INVALID);
}

static void users_file_lines(void **state)
{
	(void)state;
	char text[] = "# users for the load test\n"
		      "u1 pw 1\r\n"
		      "\n"
		      "   u2\t  two words  \n"
		      "DOM\\u3 x";
	struct load_credential *c;
	size_t n;
	const char *why = NULL;
	assert_int_equal(load_users_parse(text, &c, &n, &why), 0);
	assert_int_equal(n, 3);
	assert_string_equal(c[0].user, "u1");
	assert_string_equal(c[0].password, "pw 1");
	assert_string_equal(c[1].user, "u2");
	assert_string_equal(c[1].password, "two words");
	assert_string_equal(c[2].user, "DOM\\u3");
	assert_string_equal(c[2].password, "x");
	free(c);

	char nopass[] = "u1 pw\nlonely\n";
	assert_int_equal(load_users_parse(nopass, &c, &n, &why), ERR_INVALID);
	assert_non_null(why);
	assert_null(c);
	char empty[] = "# nothing\n\n";
	assert_int_equal(load_users_parse(empty, &c, &n, &why), ERR_INVALID);
	assert_int_equal(n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(percentile_is_nearest_rank),
		cmocka_unit_test(summary_sorts_a_copy),
		cmocka_unit_test(reservoir_stays_bounded_and_unbiased),
		cmocka_unit_test(sources_expand_every_address),
		cmocka_unit_test(sources_refuse_what_is_not_ours),
		cmocka_unit_test(users_file_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
