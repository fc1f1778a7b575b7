/* SPDX-License-Identifier: BSD-2-Clause */
/* Issue 11 (low): a user name is the peer's choice, so the server's own
 * log lines about it (src/server/server_session.c, address assignment)
 * show it escaped (base/text_escape.h): a newline in it must not start a
 * forged line, and control bytes or invalid UTF-8 must not reach the log.
 * The name "EVIL\nforged line\x01\xff\"q\\user" authenticates as "user"
 * (the part after "DOMAIN\\" is the account), so each line is reached
 * with it. The server's functions run on a server built by hand. */
#include "support/test_support.h"

#include <stdio.h>
#include <string.h>

#include "server/server_internal.h"
#include "support/server_fixture.h"

static struct server_fixture fx;

/* Every line logged: how many, how many carry a byte that is not
 * printable ASCII, how many show the name escaped. */
struct seen {
	unsigned lines, raw, escaped;
	char first_raw[512];
};

static void seen_sink(void *ctx, enum log_level level, const char *tag, const char *message)
{
	struct seen *s = ctx;
	(void)level;
	(void)tag;
	s->lines++;
	bool raw = false;
	for (const unsigned char *p = (const unsigned char *)message; *p; p++)
		raw |= *p < 0x20 || *p > 0x7e;
	if (raw && !s->raw)
		snprintf(s->first_raw, sizeof(s->first_raw), "%s", message);
	s->raw += raw;
	s->escaped += strstr(message, "EVIL\\x0aforged line\\x01\\xff\"q\\x5c") != NULL;
}

static void server_up(int max_sessions, int per_user)
{
	server_fixture_up(&fx, "alice * pw *\ndave * pw 203.0.113.15\n", max_sessions, per_user, 2);
}

static void server_down(void)
{
	server_fixture_down(&fx);
}

/* One refusal for the hostile name of account on fx.conns[1]: one line. */
static void refused_once(struct seen *s, const char *account, const char *what)
{
	char name[128];
	snprintf(name, sizeof(name), "EVIL\nforged line\x01\xff\"q\\%s", account);
	unsigned lines = s->lines;
	assert_int_equal(server_session_assign_address(&fx.conns[1].dt, name, 0), 0);
	if (s->lines != lines + 1)
		fail_msg("%s: %u lines logged, expected 1", what, s->lines - lines);
}

static void user_names_are_escaped_in_address_lines(void **state)
{
	(void)state;
	static struct seen s;
	memset(&s, 0, sizeof(s));
	log_set_sink(seen_sink, &s);
	log_set_level(LOG_LEVEL_INFO);

	/* "max-sessions (1) reached: no address for ..." */
	server_up(1, 0);
	assert_int_not_equal(server_session_assign_address(&fx.conns[0].dt, "alice", 0), 0);
	refused_once(&s, "alice", "max-sessions");
	server_down();
	/* "max-sessions-per-user (1) reached: no address for ..." */
	server_up(100, 1);
	assert_int_not_equal(server_session_assign_address(&fx.conns[0].dt, "alice", 0), 0);
	refused_once(&s, "alice", "max-sessions-per-user");
	server_down();
	/* "no tunnel address for ...: none free among those line 2 ... allows" */
	server_up(100, 0);
	assert_int_equal(server_session_assign_address(&fx.conns[0].dt, "dave", 0), ADDR(203, 0, 113, 15));
	refused_once(&s, "dave", "none free");
	/* "no tunnel address for ...: no longer in the secrets file" */
	refused_once(&s, "nobody", "not in the secrets file");
	server_down();

	log_set_sink(NULL, NULL);
	if (s.raw || s.escaped != 4)
		fail_msg("%u lines: %u carry a raw control or non-ASCII byte, %u show the name escaped; "
			 "the first raw one: \"%s\"",
			 s.lines, s.raw, s.escaped, s.first_raw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(user_names_are_escaped_in_address_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
