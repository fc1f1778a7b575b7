/* SPDX-License-Identifier: BSD-2-Clause */
/* src/proto/radius/radius_route: Framed-Route text (RFC 2865 §5.22) and
 * the operator's rule for installing it (issue 14). */
#include "support/test_support.h"

#include <string.h>

#include "base/error.h"
#include "proto/radius/radius_route.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

static int parse(const char *s, struct radius_route *r)
{
	return radius_route_parse(s, strlen(s), r);
}

static void routes_parse(void **state)
{
	(void)state;
	struct radius_route r;
	assert_int_equal(parse("198.18.5.0/24 0.0.0.0 1", &r), 0);
	assert_int_equal(r.dest.addr, IP(198, 18, 5, 0));
	assert_int_equal(r.dest.len, 24);
	assert_int_equal(r.gateway, 0);
	assert_int_equal(r.metric, 1);
	assert_int_equal(r.metrics, 1);
	assert_int_equal(parse("198.18.5.7/32", &r), 0);
	assert_int_equal(r.dest.len, 32);
	assert_int_equal(r.metrics, 0);
	assert_int_equal(parse("198.18.0.0/15 203.0.113.9", &r), 0);
	assert_int_equal(r.gateway, IP(203, 0, 113, 9));
	assert_int_equal(parse("198.0.0.0/8 0.0.0.0 5 0 65535 2", &r), 0);
	assert_int_equal(r.metric, 5);
	assert_int_equal(r.metrics, 4);
}

/* Each malformed text leaves the output untouched. */
static void malformed_routes_refused(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"",
		"198.18.5.0",                          /* no slash: classful guess refused */
		"198.18.5.0 0.0.0.0 1",                /* no slash, with gateway */
		"0.0.0.0/0 0.0.0.0 1",                 /* /0 */
		"198.18.5.0/33",                       /* /33 */
		"198.18.5.0/",                         /* empty length */
		"198.18.5.0/024",                      /* leading zero */
		"198.18.5.0/-1",
		"198.18.256.0/24",                     /* bad octet */
		"198.18.05.0/24",
		"198.18.5/24",
		"198.18.5.1/24 0.0.0.0 1",             /* host bits set */
		"198.18.5.0/24x",                      /* trailing garbage */
		"198.18.5.0/24 0.0.0.0 1x",
		"198.18.5.0/24 0.0.0.0 1 ",            /* trailing space */
		"198.18.5.0/24  0.0.0.0 1",            /* double space */
		"198.18.5.0/24 0.0.0.0 one",           /* metric text */
		"198.18.5.0/24 0.0.0.0 -1",
		"198.18.5.0/24 0.0.0.0 65536",         /* metric out of range */
		"198.18.5.0/24 0.0.0.0 01",
		"198.18.5.0/24 0.0.0.0 1 2 3 4 5",     /* too many metrics */
		"198.18.5.0/24 gateway 1",             /* gateway text */
		"198.18.5.0/24 0.0.0 1",
		"198.18.5.0/24\t0.0.0.0 1",
		"198.18.5.0/24 0.0.0.0 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1", /* over 63 bytes */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct radius_route r = { .metric = 77 };
		if (parse(bad[i], &r) != ERR_MALFORMED)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_int_equal(r.metric, 77);
	}
	/* The length bounds the read: no NUL is needed after it. */
	struct radius_route r;
	assert_int_equal(radius_route_parse("198.18.5.0/24 0.0.0.0 1garbage", 23, &r), 0);
	assert_int_equal(radius_route_parse(NULL, 0, &r), ERR_MALFORMED);
}

static void allow_prefixes_parse(void **state)
{
	(void)state;
	struct ipv4_prefix p;
	assert_int_equal(ipv4_prefix_parse("198.18.0.0/15", 13, &p), 0);
	assert_int_equal(p.addr, IP(198, 18, 0, 0));
	assert_int_equal(p.len, 15);
	assert_int_equal(ipv4_prefix_parse("0.0.0.0/0", 9, &p), 0);
	assert_int_equal(ipv4_prefix_parse("198.19.0.0/15", 13, &p), ERR_MALFORMED);
	assert_int_equal(ipv4_prefix_parse("198.18.0.0", 10, &p), ERR_MALFORMED);
	assert_int_equal(ipv4_prefix_parse("198.18.0.0/15 ", 14, &p), ERR_MALFORMED);
}

static void policy_table(void **state)
{
	(void)state;
	const struct ipv4_prefix allow[] = { { IP(198, 18, 0, 0), 15 }, { IP(203, 0, 113, 128), 25 } };
	const uint32_t me = IP(203, 0, 113, 10);
	static const struct {
		const char *route;
		size_t n_allow;
		enum radius_route_verdict want;
	} cases[] = {
		{ "198.18.5.0/24 0.0.0.0 1", 2, RADIUS_ROUTE_ALLOWED },
		{ "198.18.5.0/24 203.0.113.10 1", 2, RADIUS_ROUTE_ALLOWED },  /* gateway = the user */
		{ "198.18.0.0/15", 2, RADIUS_ROUTE_ALLOWED },                 /* the whole allowed prefix */
		{ "203.0.113.192/26", 2, RADIUS_ROUTE_ALLOWED },
		{ "198.18.5.0/24 0.0.0.0 1", 0, RADIUS_ROUTE_NO_ALLOW_LIST }, /* no opt-in */
		{ "198.16.0.0/14", 2, RADIUS_ROUTE_OUTSIDE_ALLOW },           /* wider than allowed */
		{ "192.0.2.0/24", 2, RADIUS_ROUTE_OUTSIDE_ALLOW },
		{ "203.0.113.0/25", 2, RADIUS_ROUTE_OUTSIDE_ALLOW },
		{ "198.18.5.0/24 203.0.113.11 1", 2, RADIUS_ROUTE_BAD_GATEWAY },
		{ "198.18.5.0/24 198.18.5.1 1", 2, RADIUS_ROUTE_BAD_GATEWAY },
		{ "128.0.0.0/1", 2, RADIUS_ROUTE_TOO_SHORT },
		{ "198.0.0.0/7", 2, RADIUS_ROUTE_TOO_SHORT },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct radius_route r;
		assert_int_equal(parse(cases[i].route, &r), 0);
		enum radius_route_verdict v = radius_route_check(&r, allow, cases[i].n_allow, me);
		if (v != cases[i].want)
			fail_msg("\"%s\": %s", cases[i].route, radius_route_verdict_text(v));
	}
	/* Even an allow list of 0.0.0.0/0 leaves the /8 floor. */
	const struct ipv4_prefix everything = { 0, 0 };
	struct radius_route r;
	assert_int_equal(parse("198.0.0.0/7", &r), 0);
	assert_int_equal(radius_route_check(&r, &everything, 1, me), RADIUS_ROUTE_TOO_SHORT);
	assert_int_equal(parse("198.0.0.0/8", &r), 0);
	assert_int_equal(radius_route_check(&r, &everything, 1, me), RADIUS_ROUTE_ALLOWED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(routes_parse),
		cmocka_unit_test(malformed_routes_refused),
		cmocka_unit_test(allow_prefixes_parse),
		cmocka_unit_test(policy_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
