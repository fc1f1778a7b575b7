/* SPDX-License-Identifier: BSD-2-Clause */
/* src/base/text_escape and where it is used: wire strings a peer chose
 * (SCCRQ host and vendor, user names) reach logs, tags and `status` as
 * printable ASCII, so a newline cannot forge a log line and the JSON status
 * stays valid UTF-8 (issue 11, low). */
#include "support/test_support.h"

#include <string.h>

#include "../vectors/pptp/capture_msgs.h"
#include "base/text_escape.h"
#include "proto/pptp/pptp_ctrl.h"

struct escape_case {
	const char *in;
	size_t in_len;
	const char *out;
};

#define CASE(in_, out_) { in_, sizeof(in_) - 1, out_ }

static const struct escape_case cases[] = {
	CASE("alice", "alice"),
	CASE("", ""),
	CASE("bob\nopenpptp: error: forged line", "bob\\x0aopenpptp: error: forged line"),
	CASE("\r\n", "\\x0d\\x0a"),
	CASE("tab\there", "tab\\x09here"),
	CASE("back\\slash", "back\\x5cslash"),          /* escapes stay unambiguous */
	CASE("say \"hi\"", "say \"hi\""),               /* JSON escapes quotes itself */
	CASE("j\xc3\xbcrgen", "j\\xc3\\xbcrgen"),       /* UTF-8, still escaped */
	CASE("\xff\xfe\x80", "\\xff\\xfe\\x80"),        /* not UTF-8 at all */
	CASE("\x1b[31mred", "\\x1b[31mred"),            /* terminal escape */
	CASE("del\x7f", "del\\x7f"),
	CASE("cut\0hidden", "cut"),                     /* stops at a NUL */
};

static void malicious_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[TEXT_ESCAPED_SIZE(64)];
		size_t n = text_escape(out, sizeof(out), cases[i].in, cases[i].in_len);
		assert_string_equal(out, cases[i].out);
		assert_int_equal(n, strlen(cases[i].out));
	}
}

/* Every byte value in, printable ASCII out; an escape is never cut. */
static void every_byte_printable_and_never_cut(void **state)
{
	(void)state;
	char in[255];
	for (int i = 0; i < 255; i++)
		in[i] = (char)(i + 1);
	char out[TEXT_ESCAPED_SIZE(255)];
	size_t n = text_escape(out, sizeof(out), in, sizeof(in));
	assert_int_equal(n, strlen(out));
	for (size_t i = 0; i < n; i++)
		assert_true(out[i] >= 0x20 && out[i] <= 0x7e);
	for (size_t cap = 1; cap < 12; cap++) {
		char small[12];
		size_t m = text_escape(small, cap, "ab\ncd", 5);
		assert_true(m < cap);
		assert_int_equal(m, strlen(small));
		/* A prefix of the full escape, ending on a whole unit. */
		assert_memory_equal(small, "ab\\x0acd", m);
		assert_true(m == 0 || m == 1 || m == 2 || m == 6 || m == 7 || m == 8);
	}
	assert_int_equal(text_escape(out, 0, "x", 1), 0);
}

static void no_output(void *ctx, const uint8_t *bytes, size_t len)
{
	(void)ctx;
	(void)bytes;
	(void)len;
}

/* An SCCRQ whose host name carries a newline and whose vendor is not
 * UTF-8: the engine keeps (and logs) them escaped. */
static void sccrq_strings_are_escaped_at_the_boundary(void **state)
{
	(void)state;
	static struct pptp_ctrl c;
	struct test_random rnd;
	test_random_init(&rnd, 3);
	struct pptp_ctrl_config cfg;
	pptp_ctrl_config_defaults(&cfg, PPTP_ROLE_PAC);
	cfg.random = test_random_source(&rnd);
	cfg.output = no_output;
	assert_int_equal(pptp_ctrl_init(&c, &cfg, 1000), 0);
	uint8_t sccrq[sizeof(capture_pptp_linux_sccrq)];
	memcpy(sccrq, capture_pptp_linux_sccrq, sizeof(sccrq));
	/* RFC 2637 §2.1: Host Name at offset 28, Vendor String at 92, 64 each. */
	memset(sccrq + 28, 0, 128);
	memcpy(sccrq + 28, "evil\nopenpptp: error: [server] forged", 37);
	memcpy(sccrq + 92, "\xff\xfe\xc3", 3);
	size_t used = pptp_ctrl_input(&c, sccrq, sizeof(sccrq), 1001);
	assert_int_equal(used, sizeof(sccrq));
	assert_false(pptp_ctrl_is_closed(&c));
	assert_string_equal(c.peer_hostname, "evil\\x0aopenpptp: error: [server] forged");
	assert_string_equal(c.peer_vendor, "\\xff\\xfe\\xc3");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(malicious_table),
		cmocka_unit_test(every_byte_printable_and_never_cut),
		cmocka_unit_test(sccrq_strings_are_escaped_at_the_boundary),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
