/* SPDX-License-Identifier: BSD-2-Clause */
/* src/config/ipv6: prefixes as users write them, and the server's rule
 * for a session's /64 inside --ipv6-pool. */
#include "support/test_support.h"

#include <string.h>

#include "base/error.h"
#include "config/ipv6.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

static void prefixes_parse(void **state)
{
	(void)state;
	struct ipv6_prefix p;
	char text[IPV6_STR_MAX];
	assert_int_equal(ipv6_prefix_parse("2001:db8:1::/48", &p), 0);
	assert_int_equal(p.len, 48);
	assert_string_equal(ipv6_format(p.addr, text), "2001:db8:1::");
	assert_int_equal(ipv6_prefix_parse("::/0", &p), 0);
	assert_int_equal(ipv6_prefix_parse("2001:db8::1/128", &p), 0);
	static const struct {
		const char *text;
		int err;
	} bad[] = {
		{ "2001:db8:1::", ERR_MALFORMED },       { "2001:db8:1::/", ERR_MALFORMED },
		{ "2001:db8:1::/129", ERR_MALFORMED },   { "2001:db8:1::/-1", ERR_MALFORMED },
		{ "2001:db8:1::/4x", ERR_MALFORMED },    { "2001:db8:1::/ 48", ERR_MALFORMED },
		{ "203.0.113.0/24", ERR_MALFORMED },     { "2001:db8:::1/64", ERR_MALFORMED },
		{ "2001:db8:1::1/48", ERR_INVALID },     { "2001:db8:1:8000::/49", 0 },
		{ "2001:db8:1:8000::/48", ERR_INVALID }, { "", ERR_MALFORMED },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (ipv6_prefix_parse(bad[i].text, &p) != bad[i].err)
			fail_msg("\"%s\": want %s", bad[i].text, error_name(bad[i].err));
	uint8_t a[16];
	assert_int_equal(ipv6_parse("fe80::1", a), 0);
	assert_int_equal(ipv6_parse("fe80::1%eth0", a), ERR_MALFORMED);
}

static void session_subnets(void **state)
{
	(void)state;
	struct ipv6_prefix pool;
	uint8_t net[16], want[16];
	char text[IPV6_STR_MAX];
	/* /48: 16 subnet bits, the low 16 of the tunnel address */
	assert_int_equal(ipv6_prefix_parse("2001:db8:1::/48", &pool), 0);
	uint32_t sid = ipv6_pool_subnet_of_ipv4(&pool, IP(203, 0, 113, 10));
	assert_int_equal(sid, 0x710a);
	ipv6_pool_subnet(&pool, sid, net);
	assert_string_equal(ipv6_format(net, text), "2001:db8:1:710a::");
	/* every address of the /64 leads back to it; its neighbours do not */
	assert_int_equal(ipv6_parse("2001:db8:1:710a:2c57:6689:4a0c:473e", want), 0);
	assert_int_equal(ipv6_pool_subnet_of(&pool, want), 0x710a);
	assert_int_equal(ipv6_parse("2001:db8:2:710a::1", want), 0);
	assert_int_equal(ipv6_pool_subnet_of(&pool, want), 0); /* outside the pool */
	assert_int_equal(ipv6_parse("2001:db8:1::1", want), 0);
	assert_int_equal(ipv6_pool_subnet_of(&pool, want), 0); /* the server's subnet */
	/* /56: 8 bits */
	assert_int_equal(ipv6_prefix_parse("2001:db8:1:200::/56", &pool), 0);
	sid = ipv6_pool_subnet_of_ipv4(&pool, IP(203, 0, 113, 10));
	assert_int_equal(sid, 0x0a);
	ipv6_pool_subnet(&pool, sid, net);
	assert_string_equal(ipv6_format(net, text), "2001:db8:1:20a::");
	assert_int_equal(ipv6_pool_subnet_of(&pool, net), 0x0a);
	/* /32: the whole tunnel address is the subnet ID */
	assert_int_equal(ipv6_prefix_parse("2001:db8::/32", &pool), 0);
	sid = ipv6_pool_subnet_of_ipv4(&pool, IP(203, 0, 113, 10));
	assert_int_equal(sid, IP(203, 0, 113, 10));
	ipv6_pool_subnet(&pool, sid, net);
	assert_string_equal(ipv6_format(net, text), "2001:db8:cb00:710a::");
	assert_int_equal(ipv6_pool_subnet_of(&pool, net), IP(203, 0, 113, 10));
	/* /63: one bit */
	assert_int_equal(ipv6_prefix_parse("2001:db8:1:2::/63", &pool), 0);
	assert_int_equal(ipv6_pool_subnet_of_ipv4(&pool, IP(203, 0, 113, 11)), 1);
	ipv6_pool_subnet(&pool, 1, net);
	assert_string_equal(ipv6_format(net, text), "2001:db8:1:3::");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(prefixes_parse),
		cmocka_unit_test(session_subnets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
