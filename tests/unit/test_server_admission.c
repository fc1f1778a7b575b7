/* SPDX-License-Identifier: BSD-2-Clause */
/* src/server admission (issue 11 items 7 and 8): --max-sessions counted
 * across the server at the moment an address is handed out,
 * --max-sessions-per-user, the address of a call that fails before IPCP
 * given back at once, and the per-source cap on negotiating connections.
 * The server's own functions run on a server built by hand (no sockets). */
#include "support/test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/server_internal.h"
#include "support/server_fixture.h"

static struct server_fixture fx;

static void server_up(int max_sessions, int per_user)
{
	server_fixture_up(&fx, "alice * pw *\nbob * pw *\ncarol * pw 203.0.113.100\ndave * pw 203.0.113.15\n", max_sessions, per_user, 4);
}

static void server_down(void)
{
	server_fixture_down(&fx);
}

/* Item 8: two logins on two connections, both past authentication and
 * not yet through IPCP, with --max-sessions 1: the second is refused. The
 * old rule (sessions up + this connection's pending) admitted both. */
static void max_sessions_is_server_wide_at_admission(void **state)
{
	(void)state;
	server_up(1, 0);
	assert_int_not_equal(server_session_assign_address(&fx.conns[0].dt, "alice", 0), 0);
	assert_int_equal(server_session_assign_address(&fx.conns[1].dt, "bob", 0), 0);
	assert_int_equal(fx.srv.pool.in_use, 1);
	server_down();
}

/* Item 7: --max-sessions-per-user 1: a second concurrent login of the
 * same account (also as DOMAIN\\name) gets no address; another user does. */
static void max_sessions_per_user(void **state)
{
	(void)state;
	server_up(100, 1);
	assert_int_not_equal(server_session_assign_address(&fx.conns[0].dt, "alice", 0), 0);
	assert_int_equal(server_session_assign_address(&fx.conns[1].dt, "alice", 0), 0);
	assert_int_equal(server_session_assign_address(&fx.conns[2].dt, "CORP\\alice", 0), 0);
	assert_int_not_equal(server_session_assign_address(&fx.conns[3].dt, "bob", 0), 0);
	server_down();

	server_up(100, 0); /* 0 = unlimited, the default */
	for (int i = 0; i < 4; i++)
		assert_int_not_equal(server_session_assign_address(&fx.conns[i].dt, "alice", 0), 0);
	server_down();
}

/* Item 8: a call that fails before IPCP gives its address back when its
 * call ends, while the control connection stays open. */
static void failed_call_gives_its_address_back(void **state)
{
	(void)state;
	server_up(100, 0);
	struct server_conn *c = &fx.conns[0];
	struct tunnel_call *call = (struct tunnel_call *)(uintptr_t)0x1000; /* never dereferenced */
	struct tunnel_event ev = { .type = TUNNEL_EVENT_CALL_UP, .call = call, .local_call_id = 77 };
	server_session_call_up(c, &ev);
	assert_int_not_equal(server_session_assign_address(&c->dt, "alice", 0), 0);
	assert_int_equal(fx.srv.pool.in_use, 1);
	ev.type = TUNNEL_EVENT_CALL_DOWN;
	server_session_call_down(c, &ev);
	assert_int_equal(fx.srv.pool.in_use, 0);
	assert_int_equal(fx.srv.pending_addresses, 0);
	assert_null(fx.srv.by_call[77]);
	/* And admission counts it no more. */
	fx.cfg.max_sessions = 1;
	assert_int_not_equal(server_session_assign_address(&fx.conns[1].dt, "bob", 0), 0);
	server_down();
}

/* Issue 11 item 1 (sim seed 79): a static address from the secrets file
 * outside the pool, two concurrent logins of its user on two connections,
 * neither through IPCP yet: only the first is offered the address. The
 * second is refused (the secrets file allows that user no other address,
 * as pppd refuses a peer the file does not authorise); before, only
 * sessions already up were checked, so both were offered it and the
 * second was closed "address in use" after its IPCP had finished. */
static void static_address_offered_once(void **state)
{
	(void)state;
	server_up(100, 0);
	assert_int_equal(server_session_assign_address(&fx.conns[0].dt, "carol", 0), ADDR(203, 0, 113, 100));
	assert_int_equal(server_session_assign_address(&fx.conns[1].dt, "carol", 0), 0);
	assert_int_equal(fx.srv.counters.refused[SERVER_REFUSED_NO_ADDRESS], 1);
	/* Once the first gives it back (its call failed before IPCP), it is free. */
	server_session_drop_pending(&fx.conns[0]);
	assert_int_equal(server_session_assign_address(&fx.conns[2].dt, "carol", 0), ADDR(203, 0, 113, 100));
	/* A static address inside the pool was always taken from the pool. */
	assert_int_equal(server_session_assign_address(&fx.conns[0].dt, "dave", 0), ADDR(203, 0, 113, 15));
	assert_int_equal(server_session_assign_address(&fx.conns[1].dt, "dave", 0), 0);
	server_down();
}

/* Item 7: one source holds at most negotiating_max unauthenticated
 * connections; others are not affected; a closed one frees its place. */
static void negotiating_per_source_cap(void **state)
{
	(void)state;
	static struct source_limit sl;
	source_limit_init(&sl, 0, 0, 0, 0);
	sl.negotiating_max = 3;
	uint32_t a = ADDR(192, 0, 2, 50), b = ADDR(192, 0, 2, 51);
	for (int i = 0; i < 3; i++)
		assert_true(source_limit_negotiating_open(&sl, a, 1000));
	assert_false(source_limit_negotiating_open(&sl, a, 1000));
	assert_true(source_limit_negotiating_open(&sl, b, 1000));
	source_limit_negotiating_close(&sl, a);
	assert_true(source_limit_negotiating_open(&sl, a, 1000));
	assert_false(source_limit_negotiating_open(&sl, a, 1000));
	/* Thousands of other sources do not evict a source's count. */
	for (uint32_t i = 1; i <= 100000; i++) {
		if (source_limit_negotiating_open(&sl, ADDR(198, 18, 0, 0) + i, 2000 + i))
			source_limit_negotiating_close(&sl, ADDR(198, 18, 0, 0) + i);
	}
	assert_false(source_limit_negotiating_open(&sl, a, 200000));
}

/* Low item: parallel login attempts each take a token at the attempt, so
 * the sixth of six parallel attempts (burst 5) is refused before any has
 * failed; a success gives its token back. */
static void login_attempts_counted_at_the_attempt(void **state)
{
	(void)state;
	static struct source_limit sl;
	source_limit_init(&sl, 0, 0, 6, 5);
	uint32_t a = ADDR(192, 0, 2, 60);
	for (int i = 0; i < 5; i++)
		assert_true(source_limit_begin_login(&sl, a, 1000));
	assert_false(source_limit_begin_login(&sl, a, 1000));
	source_limit_login_succeeded(&sl, a, 1000);
	assert_true(source_limit_begin_login(&sl, a, 1000));
	assert_false(source_limit_begin_login(&sl, a, 1000));
	assert_true(source_limit_begin_login(&sl, a, 11000)); /* 1 per 10 s refilled */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(max_sessions_is_server_wide_at_admission),
		cmocka_unit_test(max_sessions_per_user),
		cmocka_unit_test(failed_call_gives_its_address_back),
		cmocka_unit_test(static_address_offered_once),
		cmocka_unit_test(negotiating_per_source_cap),
		cmocka_unit_test(login_attempts_counted_at_the_attempt),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
