/* SPDX-License-Identifier: BSD-2-Clause */
/* src/server/server_metrics: the counters each event moves (the namespace
 * test tests/net/test_server_metrics.sh shows them on a live server; here
 * the ones a lab cannot cheaply cause: echo timeouts, every setup cause,
 * the histogram's bucket edges, totals that outlive a session). */
#include "support/test_support.h"

#include <string.h>

#include "server/server_metrics.h"

static void link_down_by_cause(void **state)
{
	(void)state;
	struct server_counters c;
	memset(&c, 0, sizeof(c));
	server_counters_link_down(&c, PPP_CAUSE_AUTH_FAILED, false);
	server_counters_link_down(&c, PPP_CAUSE_ECHO_TIMEOUT, true); /* an up session: not a setup failure */
	server_counters_link_down(&c, PPP_CAUSE_ECHO_TIMEOUT, false);
	server_counters_link_down(&c, PPP_CAUSE_MPPE_REFUSED, false);
	server_counters_link_down(&c, PPP_CAUSE_PEER_TERMINATE, true);
	assert_int_equal(c.auth_failures, 1);
	assert_int_equal(c.echo_timeouts, 2);
	assert_int_equal(c.setup_failures[PPP_CAUSE_AUTH_FAILED], 1);
	assert_int_equal(c.setup_failures[PPP_CAUSE_ECHO_TIMEOUT], 1);
	assert_int_equal(c.setup_failures[PPP_CAUSE_MPPE_REFUSED], 1);
	assert_int_equal(c.setup_failures[PPP_CAUSE_PEER_TERMINATE], 0);
	assert_string_equal(server_refusal_name(SERVER_REFUSED_LOGIN_RATE), "login_failure_rate");
}

/* le is "less or equal": 50 ms is in the 0.05 bucket, 51 ms in 0.1, a
 * minute above the last bound. */
static void setup_time_buckets(void **state)
{
	(void)state;
	struct server_counters c;
	memset(&c, 0, sizeof(c));
	server_counters_setup_time(&c, 50);
	server_counters_setup_time(&c, 51);
	server_counters_setup_time(&c, 30000);
	server_counters_setup_time(&c, 60000);
	assert_int_equal(c.setup_buckets[0], 1);
	assert_int_equal(c.setup_buckets[1], 1);
	assert_int_equal(c.setup_buckets[SERVER_SETUP_BUCKETS - 1], 1);
	assert_int_equal(c.setup_buckets[SERVER_SETUP_BUCKETS], 1);
	assert_true(c.setup_seconds > 90.1 && c.setup_seconds < 90.11);
}

/* An ended session's figures are added once, field by field. */
static void totals_add_every_field(void **state)
{
	(void)state;
	struct server_link_totals sum;
	memset(&sum, 0, sizeof(sum));
	struct tunnel_call_info info;
	memset(&info, 0, sizeof(info));
	info.link.ip_rx_bytes = 1000;
	info.link.ip_tx_packets = 7;
	info.link.mss_clamped = 3; /* the last field of ppp_link_stats */
	info.link.mppe_resets_sent = 2;
	info.link.ccp_term_acks_sent = 1;
	info.link.mppe_over_budget = 1;
	info.gre_lost = 4;
	info.gre_late = 1;
	server_link_totals_add(&sum, &info);
	server_link_totals_add(&sum, &info);
	assert_int_equal(sum.link.ip_rx_bytes, 2000);
	assert_int_equal(sum.link.ip_tx_packets, 14);
	assert_int_equal(sum.link.mss_clamped, 6);
	assert_int_equal(sum.link.mppe_resets_sent, 4);
	assert_int_equal(sum.link.ccp_term_acks_sent, 2);
	assert_int_equal(sum.link.mppe_over_budget, 2);
	assert_int_equal(sum.gre_lost, 8);
	assert_int_equal(sum.gre_late, 2);
	assert_int_equal(sum.gre_reordered, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(link_down_by_cause),
		cmocka_unit_test(setup_time_buckets),
		cmocka_unit_test(totals_add_every_field),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
