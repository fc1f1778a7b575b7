/* SPDX-License-Identifier: BSD-2-Clause */
/* src/server/control_request: the control socket's request line, good and
 * malformed, as a table. */
#include "support/test_support.h"

#include <string.h>

#include "server/control_request.h"

struct request_case {
	const char *bytes;
	size_t len; /* 0: strlen(bytes) */
	enum control_request_kind kind;
	const char *who;
};

static void control_requests_parse_as_the_table_says(void **state)
{
	(void)state;
	static const struct request_case cases[] = {
		{ "status", 0, CONTROL_REQUEST_STATUS, "" },
		{ "status\n", 0, CONTROL_REQUEST_STATUS, "" },
		{ "status json\r\n", 0, CONTROL_REQUEST_STATUS_JSON, "" },
		{ "status jsonx", 0, CONTROL_REQUEST_STATUS, "" }, /* as before: any "status..." is the table */
		{ "kick alice\n", 0, CONTROL_REQUEST_KICK, "alice" },
		{ "kick 203.0.113.10", 0, CONTROL_REQUEST_KICK, "203.0.113.10" },
		{ "kick \n", 0, CONTROL_REQUEST_KICK, "" },
		{ "kick", 0, CONTROL_REQUEST_UNKNOWN, "" },
		{ "", 0, CONTROL_REQUEST_UNKNOWN, "" },
		{ "\n", 0, CONTROL_REQUEST_UNKNOWN, "" },
		{ "stat", 0, CONTROL_REQUEST_UNKNOWN, "" },
		{ "kick a\0b", 8, CONTROL_REQUEST_KICK, "a" }, /* a NUL ends the line */
		{ "\0status", 7, CONTROL_REQUEST_UNKNOWN, "" },
		{ "kick bob\nstatus\n", 0, CONTROL_REQUEST_KICK, "bob" }, /* one line only */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct request_case *c = &cases[i];
		struct control_request r;
		size_t len = c->len ? c->len : strlen(c->bytes);
		assert_int_equal(control_request_parse(c->bytes, len, &r), c->kind);
		assert_string_equal(r.who, c->who);
	}
}

static void a_long_request_is_cut_at_the_limit(void **state)
{
	(void)state;
	char bytes[400];
	memcpy(bytes, "kick ", 5);
	memset(bytes + 5, 'a', sizeof(bytes) - 5);
	struct control_request r;
	assert_int_equal(control_request_parse(bytes, sizeof(bytes), &r), CONTROL_REQUEST_KICK);
	assert_int_equal(strlen(r.who), CONTROL_REQUEST_LINE_MAX - 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(control_requests_parse_as_the_table_says),
		cmocka_unit_test(a_long_request_is_cut_at_the_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
