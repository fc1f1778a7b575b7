/* SPDX-License-Identifier: BSD-2-Clause */
/* src/server/status_format: table and JSON output of `openpptp status`. */
#include "support/test_support.h"

#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "server/status_format.h"

static const struct status_header header = {
	.version = "0.1.0", .uptime_s = 90, .sessions = 1, .max_sessions = 1000, .control_connections = 1,
	.loop_iterations = 500, .loop_worst_stall_us = 12345, .loop_recent_stall_us = 678, .loop_stalls_over_10ms = 2,
};

static struct session_snapshot one_session(void)
{
	struct session_snapshot s = {
		.peer_address = 0xC000020B, .tunnel_address = 0xCB00710A,
		.local_call_id = 4711, .peer_call_id = 17, .uptime_s = 42,
		.mppe_bits = 128, .mppe_stateless = true,
		.tx_packets = 3, .tx_bytes = 300, .rx_packets = 4, .rx_bytes = 400, .gre_lost = 1,
	};
	snprintf(s.user, sizeof(s.user), "alice");
	snprintf(s.state, sizeof(s.state), "up");
	snprintf(s.auth, sizeof(s.auth), "mschapv2");
	return s;
}

static void table_lists_the_session(void **state)
{
	(void)state;
	struct session_snapshot s = one_session();
	char out[2048];
	int n = status_format_table(out, sizeof(out), &header, &s, 1);
	assert_true(n > 0);
	assert_non_null(strstr(out, "alice"));
	assert_non_null(strstr(out, "192.0.2.11"));
	assert_non_null(strstr(out, "203.0.113.10"));
	assert_non_null(strstr(out, "4711/17"));
	assert_non_null(strstr(out, "128 sless"));
	assert_non_null(strstr(out, "loop: worst stall 12345 us (678 us since the last status), 2 of 500"));
}

static void json_escapes_hostile_names(void **state)
{
	(void)state;
	struct session_snapshot s = one_session();
	snprintf(s.user, sizeof(s.user), "ev\"il\\\n");
	s.drop_ip_source = 10;
	s.icmp_too_big = 3;
	char out[2048];
	int n = status_format_json(out, sizeof(out), &header, &s, 1);
	assert_true(n > 0);
	assert_non_null(strstr(out, "\"user\":\"ev\\\"il\\\\\\u000a\""));
	assert_non_null(strstr(out, "\"tunnel_address\":\"203.0.113.10\""));
	assert_non_null(strstr(out, "\"mppe_stateless\":true"));
	assert_non_null(strstr(out, "\"drop_ip_source\":10,"));
	assert_non_null(strstr(out, "\"icmp_too_big\":3,"));
	assert_non_null(strstr(out, "\"ipv6_prefix\":null,"));
	snprintf(s.ipv6_prefix, sizeof(s.ipv6_prefix), "2001:db8:1:710a::/64");
	n = status_format_json(out, sizeof(out), &header, &s, 1);
	assert_true(n > 0);
	assert_non_null(strstr(out, "\"ipv6_prefix\":\"2001:db8:1:710a::/64\","));
	assert_non_null(strstr(out, "\"acct_session_id\":\"\","));
	assert_non_null(strstr(out, "\"loop\":{\"iterations\":500,\"worst_stall_us\":12345,"
				    "\"recent_worst_stall_us\":678,\"stalls_over_10ms\":2}"));
}

static void too_small_buffers_fail_cleanly(void **state)
{
	(void)state;
	struct session_snapshot s = one_session();
	char out[64];
	assert_int_equal(status_format_json(out, sizeof(out), &header, &s, 1), ERR_NOSPACE);
	assert_int_equal(status_format_table(out, sizeof(out), &header, &s, 1), ERR_NOSPACE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_lists_the_session),
		cmocka_unit_test(json_escapes_hostile_names),
		cmocka_unit_test(too_small_buffers_fail_cleanly),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
