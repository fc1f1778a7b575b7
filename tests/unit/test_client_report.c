/* SPDX-License-Identifier: BSD-2-Clause */
/* What the client tells a person: the "tunnel up" line, and --persist's
 * decisions (--maxfail, stopping on a refused password). */
#include "support/test_support.h"

#include <stdio.h>
#include <string.h>

#include "client/client_persist.h"
#include "client/client_session.h"
#include "proto/ppp/lcp.h"

static struct ppp_link_event link_event(unsigned mppe_bits, uint32_t dns1, uint32_t dns2)
{
	struct ppp_link_event l;
	memset(&l, 0, sizeof(l));
	l.local_address = 0xcb00710a; /* 203.0.113.10 */
	l.peer_address = 0xcb007101;
	l.auth = AUTH_METHOD_MSCHAPV2;
	l.mppe_bits = mppe_bits;
	l.mppe_stateless = true;
	l.dns[0] = dns1;
	l.dns[1] = dns2;
	return l;
}

static void tunnel_up_line_says_what_was_negotiated(void **state)
{
	(void)state;
	char line[256];
	struct ppp_link_event l = link_event(128, 0xcb007135, 0xcb007136);
	client_link_up_text(line, sizeof(line), "pptp0", 1396, &l, false);
	assert_string_equal(line, "tunnel up: pptp0 203.0.113.10 -> 203.0.113.1, mtu 1396, mschapv2, MPPE-128 stateless, "
				  "server offers DNS 203.0.113.53 203.0.113.54 (--dns uses it)");
	/* --dns: the DNS line of its own says where they went */
	client_link_up_text(line, sizeof(line), "pptp0", 1396, &l, true);
	assert_string_equal(line, "tunnel up: pptp0 203.0.113.10 -> 203.0.113.1, mtu 1396, mschapv2, MPPE-128 stateless");
}

static void nothing_pushed_prints_no_zeros(void **state)
{
	(void)state;
	char line[256];
	struct ppp_link_event l = link_event(0, 0, 0);
	l.mppe_stateless = false;
	client_link_up_text(line, sizeof(line), "rtun0", 1400, &l, false);
	assert_string_equal(line, "tunnel up: rtun0 203.0.113.10 -> 203.0.113.1, mtu 1400, mschapv2, NOT ENCRYPTED");
	assert_null(strstr(line, "0.0.0.0"));
	l = link_event(40, 0, 0xcb007136);
	l.mppe_stateless = false;
	client_link_up_text(line, sizeof(line), "rtun0", 1400, &l, false);
	assert_string_equal(line, "tunnel up: rtun0 203.0.113.10 -> 203.0.113.1, mtu 1400, mschapv2, MPPE-40 stateful, "
				  "server offers DNS 203.0.113.54 (--dns uses it)");
}

static void auth_failure_says_why_in_words(void **state)
{
	(void)state;
	char line[256];
	client_auth_failed_text(line, sizeof(line), "alice",
				"mschapv2 wrong-password: authenticator sent Failure E=691: \"E=691 R=0 C=AA V=3 M=x\"");
	assert_string_equal(line, "authentication failed for user \"alice\": wrong user name or password (MS-CHAP error 691); "
				  "the server says \"x\"");
	client_auth_failed_text(line, sizeof(line), "bob", "E=648 R=0");
	assert_string_equal(line, "authentication failed for user \"bob\": the password has expired (MS-CHAP error 648)");
	client_auth_failed_text(line, sizeof(line), "carol", "pap: Authentication failure");
	assert_string_equal(line, "authentication failed for user \"carol\": pap: Authentication failure");
	client_auth_failed_text(line, sizeof(line), "dave", "");
	assert_string_equal(line, "authentication failed for user \"dave\": refused by the server");
}

static void server_insisting_on_spap_exits_6_with_the_message(void **state)
{
	(void)state;
	struct tunnel_event ev;
	memset(&ev, 0, sizeof(ev));
	ev.type = TUNNEL_EVENT_CLOSED;
	ev.cause = TUNNEL_CLOSE_LINK_FAILED;
	ev.has_link = true;
	ev.link.cause = PPP_CAUSE_NO_AUTH_METHOD;
	snprintf(ev.link.reason, sizeof(ev.link.reason), "%s", LCP_SPAP_REFUSED_REASON);
	assert_int_equal(client_exit_code_for(&ev), 6);
	char line[256];
	client_auth_failed_text(line, sizeof(line), "alice", ev.link.reason);
	assert_string_equal(line, "server requires SPAP (Shiva), which openpptp does not support; ask for MS-CHAPv2");
}

static struct client_config persist_config(int maxfail, bool on_auth)
{
	struct client_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	cfg.persist = true;
	cfg.maxfail = maxfail;
	cfg.persist_on_auth_failure = on_auth;
	cfg.max_backoff = 8;
	return cfg;
}

static void maxfail_counts_attempts_that_never_came_up(void **state)
{
	(void)state;
	struct client_config cfg = persist_config(3, false);
	struct client_persist p;
	client_persist_init(&p);
	unsigned wait;
	assert_int_equal(client_persist_after(&p, &cfg, CLIENT_EXIT_UNREACHABLE, false, 10, &wait), CLIENT_PERSIST_RETRY);
	assert_int_equal(wait, 1);
	assert_int_equal(client_persist_after(&p, &cfg, CLIENT_EXIT_NO_GRE, false, 10, &wait), CLIENT_PERSIST_RETRY);
	assert_int_equal(wait, 2);
	/* a session that came up resets the count (not the backoff: it was short) */
	assert_int_equal(client_persist_after(&p, &cfg, CLIENT_EXIT_PEER_CLOSED, true, 10, &wait), CLIENT_PERSIST_RETRY);
	assert_int_equal(p.failures, 0);
	assert_int_equal(wait, 4);
	assert_int_equal(client_persist_after(&p, &cfg, CLIENT_EXIT_UNREACHABLE, false, 10, &wait), CLIENT_PERSIST_RETRY);
	assert_int_equal(wait, 8);
	assert_int_equal(client_persist_after(&p, &cfg, CLIENT_EXIT_UNREACHABLE, false, 10, &wait), CLIENT_PERSIST_RETRY);
	assert_int_equal(wait, 8); /* --max-backoff */
	assert_int_equal(client_persist_after(&p, &cfg, CLIENT_EXIT_UNREACHABLE, false, 10, &wait),
			 CLIENT_PERSIST_STOP_MAXFAIL);
	assert_int_equal(p.failures, 3);
}

static void maxfail_zero_never_gives_up_and_long_sessions_reset_backoff(void **state)
{
	(void)state;
	struct client_config cfg = persist_config(0, false);
	struct client_persist p;
	client_persist_init(&p);
	unsigned wait = 0;
	for (int i = 0; i < 100; i++)
		assert_int_equal(client_persist_after(&p, &cfg, CLIENT_EXIT_UNREACHABLE, false, 10, &wait),
				 CLIENT_PERSIST_RETRY);
	assert_int_equal(wait, 8);
	assert_int_equal(client_persist_after(&p, &cfg, CLIENT_EXIT_PEER_CLOSED, true, 120000, &wait),
			 CLIENT_PERSIST_RETRY);
	assert_int_equal(wait, 1);
}

static void auth_failure_stops_unless_asked(void **state)
{
	(void)state;
	struct client_config cfg = persist_config(10, false);
	struct client_persist p;
	client_persist_init(&p);
	unsigned wait;
	assert_int_equal(client_persist_after(&p, &cfg, CLIENT_EXIT_AUTH_FAILED, false, 10, &wait),
			 CLIENT_PERSIST_STOP_AUTH);
	cfg = persist_config(2, true);
	client_persist_init(&p);
	assert_int_equal(client_persist_after(&p, &cfg, CLIENT_EXIT_AUTH_FAILED, false, 10, &wait), CLIENT_PERSIST_RETRY);
	assert_int_equal(client_persist_after(&p, &cfg, CLIENT_EXIT_AUTH_FAILED, false, 10, &wait),
			 CLIENT_PERSIST_STOP_MAXFAIL);
}

static void without_persist_or_with_bad_options_one_attempt(void **state)
{
	(void)state;
	struct client_config cfg = persist_config(10, true);
	struct client_persist p;
	client_persist_init(&p);
	unsigned wait;
	assert_int_equal(client_persist_after(&p, &cfg, CLIENT_EXIT_USAGE, false, 10, &wait), CLIENT_PERSIST_STOP);
	cfg.persist = false;
	assert_int_equal(client_persist_after(&p, &cfg, CLIENT_EXIT_UNREACHABLE, false, 10, &wait), CLIENT_PERSIST_STOP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tunnel_up_line_says_what_was_negotiated),
		cmocka_unit_test(nothing_pushed_prints_no_zeros),
		cmocka_unit_test(auth_failure_says_why_in_words),
		cmocka_unit_test(server_insisting_on_spap_exits_6_with_the_message),
		cmocka_unit_test(maxfail_counts_attempts_that_never_came_up),
		cmocka_unit_test(maxfail_zero_never_gives_up_and_long_sessions_reset_backoff),
		cmocka_unit_test(auth_failure_stops_unless_asked),
		cmocka_unit_test(without_persist_or_with_bad_options_one_attempt),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
