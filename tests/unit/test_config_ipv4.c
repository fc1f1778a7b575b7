/* SPDX-License-Identifier: BSD-2-Clause */
/* src/config/ipv4: addresses, ranges and pools as users write them. */
#include "support/test_support.h"

#include <string.h>

#include "base/error.h"
#include "config/ipv4.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

static void addresses_parse_strictly(void **state)
{
	(void)state;
	uint32_t a;
	char buf[IPV4_STR_MAX];
	assert_int_equal(ipv4_parse("203.0.113.10", &a), 0);
	assert_int_equal(a, IP(203, 0, 113, 10));
	assert_string_equal(ipv4_format(a, buf), "203.0.113.10");
	assert_int_equal(ipv4_parse("0.0.0.0", &a), 0);
	assert_int_equal(ipv4_parse("255.255.255.255", &a), 0);
	assert_int_equal(a, 0xffffffffu);
	static const char *const bad[] = {
		"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.04", "01.2.3.4", "1..2.3",
		"1.2.3.4 ", " 1.2.3.4", "1.2.3.-4", "a.b.c.d", "1.2.3.4/", "0x1.2.3.4", "1.2.3.99999999999",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(ipv4_parse(bad[i], &a), ERR_MALFORMED);
	}
}

static void ranges_in_every_form(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		int rc;
		uint32_t first, last;
	} cases[] = {
		{ "203.0.113.10-203.0.113.250", 0, IP(203, 0, 113, 10), IP(203, 0, 113, 250) },
		{ "203.0.113.10 - 203.0.113.250", 0, IP(203, 0, 113, 10), IP(203, 0, 113, 250) },
		{ "203.0.113.10-250", 0, IP(203, 0, 113, 10), IP(203, 0, 113, 250) },
		{ "198.18.0.255-198.18.1.5", 0, IP(198, 18, 0, 255), IP(198, 18, 1, 5) },
		{ "203.0.113.0/24", 0, IP(203, 0, 113, 1), IP(203, 0, 113, 254) },
		{ "198.18.0.0/30", 0, IP(198, 18, 0, 1), IP(198, 18, 0, 2) },
		{ "198.18.0.0/31", 0, IP(198, 18, 0, 0), IP(198, 18, 0, 1) },
		{ "198.18.0.7/32", 0, IP(198, 18, 0, 7), IP(198, 18, 0, 7) },
		{ "198.18.0.7", 0, IP(198, 18, 0, 7), IP(198, 18, 0, 7) },
		{ " 198.18.0.7 ", 0, IP(198, 18, 0, 7), IP(198, 18, 0, 7) },
		{ "0.0.0.0/0", 0, 1, 0xfffffffeu },
		{ "203.0.113.250-203.0.113.10", ERR_INVALID, 0, 0 },
		{ "203.0.113.250-10", ERR_INVALID, 0, 0 },
		{ "203.0.113.1/24", ERR_INVALID, 0, 0 },
		{ "203.0.113.0/33", ERR_MALFORMED, 0, 0 },
		{ "203.0.113.0/", ERR_MALFORMED, 0, 0 },
		{ "203.0.113.0/024", ERR_MALFORMED, 0, 0 },
		{ "203.0.113.0/24-5", ERR_MALFORMED, 0, 0 },
		{ "203.0.113.10-256", ERR_MALFORMED, 0, 0 },
		{ "203.0.113.10-", ERR_MALFORMED, 0, 0 },
		{ "-203.0.113.10", ERR_MALFORMED, 0, 0 },
		{ "", ERR_MALFORMED, 0, 0 },
		{ "pool", ERR_MALFORMED, 0, 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ipv4_range r = { 0, 0 };
		int rc = ipv4_range_parse(cases[i].text, &r);
		if (rc != cases[i].rc)
			fail_msg("'%s': got %d want %d", cases[i].text, rc, cases[i].rc);
		if (rc == 0) {
			assert_int_equal(r.first, cases[i].first);
			assert_int_equal(r.last, cases[i].last);
		}
	}
	struct ipv4_range r = { IP(198, 18, 0, 0), IP(198, 18, 0, 255) };
	assert_int_equal(ipv4_range_size(&r), 256);
}

static void range_lists(void **state)
{
	(void)state;
	struct ipv4_range r[4];
	assert_int_equal(ipv4_ranges_parse("198.18.0.10-20, 198.18.1.0/24,192.0.2.1", r, 4), 3);
	assert_int_equal(r[0].first, IP(198, 18, 0, 10));
	assert_int_equal(r[1].last, IP(198, 18, 1, 254));
	assert_int_equal(r[2].first, IP(192, 0, 2, 1));
	assert_int_equal(ipv4_ranges_parse("198.18.0.10-20,198.18.0.20-30", r, 4), ERR_DUPLICATE);
	assert_int_equal(ipv4_ranges_parse("198.18.0.1,198.18.0.2,198.18.0.3", r, 2), ERR_LIMIT);
	assert_int_equal(ipv4_ranges_parse("198.18.0.1,,198.18.0.2", r, 4), ERR_MALFORMED);
	assert_int_equal(ipv4_ranges_parse("198.18.0.1,", r, 4), ERR_MALFORMED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(addresses_parse_strictly),
		cmocka_unit_test(ranges_in_every_form),
		cmocka_unit_test(range_lists),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
