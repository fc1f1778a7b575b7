/* SPDX-License-Identifier: BSD-2-Clause */
/* src/server/server_framed: --framed-route-allow and the Framed-Route
 * prefix table the TUN demux falls back to (issue 14). */
#include "support/test_support.h"

#include <string.h>

#include "base/error.h"
#include "server/server_framed.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

static void allow_list_parses(void **state)
{
	(void)state;
	struct server_framed_routes f;
	memset(&f, 0, sizeof(f));
	const char *why = "";
	assert_int_equal(server_framed_allow_add(&f, "198.18.0.0/15", &why), 0);
	assert_int_equal(server_framed_allow_add(&f, "198.0.0.0/8", &why), 0);
	static const char *const bad[] = { "198.18.0.0", "198.18.0.1/15", "0.0.0.0/0", "128.0.0.0/7", "198.0.0.0/8 ", "x" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = "";
		if (server_framed_allow_add(&f, bad[i], &why) != ERR_MALFORMED)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_true(why[0] != '\0');
	}
	assert_int_equal(f.allow_count, 2);
	while (f.allow_count < SERVER_FRAMED_ALLOW_MAX)
		assert_int_equal(server_framed_allow_add(&f, "198.0.0.0/8", &why), 0);
	assert_int_equal(server_framed_allow_add(&f, "198.0.0.0/8", &why), ERR_LIMIT);
}

static void no_allow_list_no_table(void **state)
{
	(void)state;
	struct server_framed_routes f;
	memset(&f, 0, sizeof(f));
	assert_int_equal(server_framed_init(&f, 100), 0);
	assert_null(f.table);
	const struct ipv4_prefix p = { IP(198, 18, 5, 0), 24 };
	int owner;
	assert_int_equal(server_framed_reserve(&f, &p, &owner), ERR_LIMIT);
	assert_null(server_framed_lookup(&f, IP(198, 18, 5, 1)));
	server_framed_destroy(&f);
}

static void demux_and_overlap(void **state)
{
	(void)state;
	struct server_framed_routes f;
	memset(&f, 0, sizeof(f));
	const char *why;
	assert_int_equal(server_framed_allow_add(&f, "198.18.0.0/15", &why), 0);
	assert_int_equal(server_framed_init(&f, 2), 0);
	int a, b;
	const struct ipv4_prefix a24 = { IP(198, 18, 5, 0), 24 }, a32 = { IP(198, 18, 9, 9), 32 };
	assert_int_equal(server_framed_reserve(&f, &a24, &a), 0);
	assert_int_equal(server_framed_reserve(&f, &a32, &a), 0);
	/* The second session's overlapping prefixes are refused, both ways. */
	const struct ipv4_prefix inside = { IP(198, 18, 5, 128), 25 }, around = { IP(198, 18, 4, 0), 23 };
	assert_int_equal(server_framed_reserve(&f, &inside, &b), ERR_DUPLICATE);
	assert_int_equal(server_framed_reserve(&f, &around, &b), ERR_DUPLICATE);
	const struct ipv4_prefix b24 = { IP(198, 18, 6, 0), 24 };
	assert_int_equal(server_framed_reserve(&f, &b24, &b), 0);
	assert_ptr_equal(server_framed_lookup(&f, IP(198, 18, 5, 0)), &a);
	assert_ptr_equal(server_framed_lookup(&f, IP(198, 18, 5, 255)), &a);
	assert_ptr_equal(server_framed_lookup(&f, IP(198, 18, 9, 9)), &a);
	assert_null(server_framed_lookup(&f, IP(198, 18, 9, 8)));
	assert_ptr_equal(server_framed_lookup(&f, IP(198, 18, 6, 77)), &b);
	assert_null(server_framed_lookup(&f, IP(198, 18, 7, 1)));
	/* 2 sessions x 4 routes: the table's bound. */
	const struct ipv4_prefix more[] = { { IP(198, 19, 1, 0), 24 }, { IP(198, 19, 2, 0), 24 }, { IP(198, 19, 3, 0), 24 },
					    { IP(198, 19, 4, 0), 24 }, { IP(198, 19, 5, 0), 24 }, { IP(198, 19, 6, 0), 24 } };
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(server_framed_reserve(&f, &more[i], &b), 0);
	assert_int_equal(server_framed_reserve(&f, &more[5], &b), ERR_LIMIT);
	/* A session that ends frees its prefixes for the next. */
	server_framed_drop_owner(&f, &a);
	assert_null(server_framed_lookup(&f, IP(198, 18, 5, 1)));
	assert_ptr_equal(server_framed_lookup(&f, IP(198, 18, 6, 1)), &b);
	assert_int_equal(server_framed_reserve(&f, &inside, &b), 0);
	server_framed_destroy(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(allow_list_parses),
		cmocka_unit_test(no_allow_list_no_table),
		cmocka_unit_test(demux_and_overlap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
