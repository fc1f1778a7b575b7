/* SPDX-License-Identifier: BSD-2-Clause */
/* src/sys/resolve: host names and addresses for `openpptp connect HOST`.
 * Names from real files are covered by tests/net/test_client_resolve.sh
 * (a hosts file of its own in a namespace, unknown names included: a unit
 * test must not send a DNS query off this machine); here the parts that
 * need no resolver but /etc/hosts. */
#include "support/test_support.h"

#include <string.h>

#include "base/error.h"
#include "sys/resolve.h"

static void dotted_quads_need_no_lookup(void **state)
{
	(void)state;
	uint32_t a[4];
	size_t n = 99;
	const char *why = "stale";
	assert_int_equal(sys_resolve_ipv4("192.0.2.1", a, 4, &n, &why), 0);
	assert_int_equal(n, 1);
	assert_int_equal(a[0], 0xC0000201u);
	assert_null(why);
	assert_int_equal(sys_resolve_ipv4("255.255.255.255", a, 4, &n, NULL), 0);
	assert_int_equal(a[0], 0xFFFFFFFFu);
}

/* inet_aton's old forms are what getaddrinfo would accept; an address typed
 * as digits and dots is meant literally, so these are errors, not guesses. */
static void other_numeric_forms_are_refused(void **state)
{
	(void)state;
	static const char *const bad[] = { "10.1", "127.1", "3221225985", "192.0.2.256", "192.0.2.", "1..2.3", "01.2.3.4" };
	uint32_t a[4];
	size_t n = 1;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(sys_resolve_ipv4(bad[i], a, 4, &n, NULL), ERR_INVALID);
		assert_int_equal(n, 0);
	}
}

static void empty_and_no_room_are_invalid(void **state)
{
	(void)state;
	uint32_t a[1];
	size_t n;
	assert_int_equal(sys_resolve_ipv4("", a, 1, &n, NULL), ERR_INVALID);
	assert_int_equal(sys_resolve_ipv4(NULL, a, 1, &n, NULL), ERR_INVALID);
	assert_int_equal(sys_resolve_ipv4("192.0.2.1", a, 0, &n, NULL), ERR_INVALID);
}

/* localhost is in every Debian /etc/hosts: a name goes through getaddrinfo,
 * and only IPv4 answers come back (::1 is skipped). */
static void localhost_resolves_to_ipv4_only(void **state)
{
	(void)state;
	uint32_t a[8];
	size_t n = 0;
	assert_int_equal(sys_resolve_ipv4("localhost", a, 8, &n, NULL), 0);
	assert_true(n >= 1);
	bool loopback = false;
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(a[i] >> 24, 127);
		loopback |= a[i] == 0x7F000001u;
		for (size_t j = 0; j < i; j++)
			assert_int_not_equal(a[i], a[j]); /* no duplicates */
	}
	assert_true(loopback);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dotted_quads_need_no_lookup),
		cmocka_unit_test(other_numeric_forms_are_refused),
		cmocka_unit_test(empty_and_no_room_are_invalid),
		cmocka_unit_test(localhost_resolves_to_ipv4_only),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
