/* SPDX-License-Identifier: BSD-2-Clause */
/* src/config/options: INI + command line from one table, precedence, help,
 * and every error path with its message. */
#include "support/test_support.h"

#include <stddef.h>
#include <string.h>

#include "base/error.h"
#include "config/options.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

struct demo_cfg {
	char *name;
	int mtu;
	bool debug;
	bool mppe;
	uint32_t listen;
	struct ipv4_range pool;
	struct option_list dns;
	int auth;
};

static const char *const auth_choices[] = { "mschapv2", "eap-tls", "chap", NULL };

static const struct option_def demo_defs[] = {
	OPTION("name", OPTION_STRING, struct demo_cfg, name, "server name", .default_value = "pptpd"),
	OPTION("mtu", OPTION_INT, struct demo_cfg, mtu, "tunnel MTU", .min = 576, .max = 1500,
	  .default_value = "1400"),
	OPTION("debug", OPTION_BOOL, struct demo_cfg, debug, "verbose logging"),
	OPTION("require-mppe", OPTION_BOOL, struct demo_cfg, mppe, "require MPPE-128", .default_value = "yes"),
	OPTION("listen", OPTION_IPV4, struct demo_cfg, listen, "listen address", .default_value = "0.0.0.0"),
	OPTION("pool", OPTION_IPV4_RANGE, struct demo_cfg, pool, "client addresses"),
	OPTION("dns", OPTION_LIST, struct demo_cfg, dns, "DNS server for clients", .metavar = "ADDR",
	  .default_value = "192.0.2.53"),
	OPTION("auth", OPTION_ENUM, struct demo_cfg, auth, "authentication", .choices = auth_choices),
};

static const struct option_table demo_table = {
	.command = "server", .usage = "[options]", .summary = "Run a PPTP server.",
	.defs = demo_defs, .count = sizeof(demo_defs) / sizeof(demo_defs[0]),
};

static int ini(struct options *o, const char *text)
{
	return options_parse_ini(o, text, strlen(text), "test.conf");
}

static void defaults_apply(void **state)
{
	(void)state;
	struct demo_cfg c;
	memset(&c, 0xa5, sizeof(c)); /* garbage on entry is fine */
	struct options o;
	assert_int_equal(options_init(&o, &demo_table, &c), 0);
	assert_string_equal(c.name, "pptpd");
	assert_int_equal(c.mtu, 1400);
	assert_false(c.debug);
	assert_true(c.mppe);
	assert_int_equal(c.listen, 0);
	assert_int_equal(c.pool.first, 0);
	assert_int_equal(c.dns.count, 1);
	assert_string_equal(c.dns.items[0], "192.0.2.53");
	assert_int_equal(c.auth, 0);
	assert_false(options_is_set(&o, "mtu"));
	options_destroy(&o);
}

static void ini_sets_every_type(void **state)
{
	(void)state;
	struct demo_cfg c;
	struct options o;
	assert_int_equal(options_init(&o, &demo_table, &c), 0);
	int rc = ini(&o,
		     "# openpptp.conf\n"
		     "; another comment\n"
		     "name = \"my \\\"vpn\\\" # not a comment\"\n"
		     "mtu=1450   # trailing comment\n"
		     "debug\n"
		     "require_mppe = off\n"
		     "\n"
		     "[server]\n"
		     "  listen = 203.0.113.1\r\n"
		     "pool = 198.18.0.10-250 ; comment\n"
		     "dns = 1.1.1.1\n"
		     "dns = '9.9.9.9'\n"
		     "auth = eap-tls\n"
		     "[connect]\n"
		     "mtu = banana\n"      /* another command's section: skipped */
		     "unknown-key = 1\n"
		     "[ server ]\n"
		     "debug = no\n");
	if (rc != 0)
		fail_msg("%s", options_error(&o));
	assert_string_equal(c.name, "my \"vpn\" # not a comment");
	assert_int_equal(c.mtu, 1450);
	assert_false(c.debug);
	assert_false(c.mppe);
	assert_int_equal(c.listen, IP(203, 0, 113, 1));
	assert_int_equal(c.pool.first, IP(198, 18, 0, 10));
	assert_int_equal(c.pool.last, IP(198, 18, 0, 250));
	assert_int_equal(c.dns.count, 2); /* the file's list replaces the default */
	assert_string_equal(c.dns.items[0], "1.1.1.1");
	assert_string_equal(c.dns.items[1], "9.9.9.9");
	assert_int_equal(c.auth, 1);
	assert_true(options_is_set(&o, "mtu"));
	assert_true(options_is_set(&o, "require_mppe"));
	assert_false(options_is_set(&o, "nope"));
	options_destroy(&o);
}

static void bare_bool_key_first(void **state)
{
	(void)state;
	/* Regression (found by fuzz_config_ini): a bare bool key as the first
	 * value wrote "yes" past a 1-byte value buffer. */
	struct demo_cfg c;
	struct options o;
	assert_int_equal(options_init(&o, &demo_table, &c), 0);
	assert_int_equal(options_parse_ini(&o, "debug", 5, "t"), 0);
	assert_true(c.debug);
	options_destroy(&o);
}

static void command_line_wins_over_the_file(void **state)
{
	(void)state;
	struct demo_cfg c;
	struct options o;
	assert_int_equal(options_init(&o, &demo_table, &c), 0);
	char *argv[] = { "--mtu", "1300", "--no-require-mppe", "--debug", "vpn.example.com",
			 "--dns=8.8.8.8", "--dns", "8.8.4.4", "--listen=192.0.2.1", "--auth=chap",
			 "--", "--not-an-option" };
	const char *pos[4];
	size_t npos;
	assert_int_equal(options_parse_args(&o, 12, argv, pos, 4, &npos), 0);
	assert_int_equal(npos, 2);
	assert_string_equal(pos[0], "vpn.example.com");
	assert_string_equal(pos[1], "--not-an-option");
	assert_int_equal(ini(&o, "mtu = 1450\nrequire-mppe = yes\ndns = 1.1.1.1\nname = from-file\n"), 0);
	assert_int_equal(c.mtu, 1300);
	assert_false(c.mppe);
	assert_true(c.debug);
	assert_int_equal(c.dns.count, 2);
	assert_string_equal(c.dns.items[0], "8.8.8.8");
	assert_string_equal(c.dns.items[1], "8.8.4.4");
	assert_string_equal(c.name, "from-file");
	assert_int_equal(c.listen, IP(192, 0, 2, 1));
	assert_int_equal(c.auth, 2);
	char *argv2[] = { "--debug=no", "--name", "x", "--name=y" };
	assert_int_equal(options_parse_args(&o, 4, argv2, pos, 4, &npos), 0);
	assert_false(c.debug);
	assert_string_equal(c.name, "y");
	char *help[] = { "--mtu=1", "--help" };
	assert_int_equal(options_parse_args(&o, 2, help + 1, pos, 4, &npos), OPTIONS_HELP);
	char *h[] = { "-h" };
	assert_int_equal(options_parse_args(&o, 1, h, pos, 4, &npos), OPTIONS_HELP);
	options_destroy(&o);
}

static void ini_errors_name_file_and_line(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		int rc;
		const char *message;
	} cases[] = {
		{ "mtu = 1400\nbogus = 1\n", ERR_INVALID, "test.conf:2: unknown option 'bogus'" },
		{ "mtu = 100\n", ERR_INVALID, "test.conf:1: mtu: '100' is not an integer from 576 to 1500" },
		{ "mtu = 14o0\n", ERR_INVALID, "test.conf:1: mtu: '14o0' is not an integer from 576 to 1500" },
		{ "mtu = \n", ERR_INVALID, "test.conf:1: mtu: '' is not an integer from 576 to 1500" },
		{ "mtu = 99999999999999999999\n", ERR_INVALID, "test.conf:1: mtu: '99999999999999999999' is not an integer from 576 to 1500" },
		{ "debug = maybe\n", ERR_INVALID, "test.conf:1: debug: 'maybe' is not yes/no, true/false, on/off or 1/0" },
		{ "listen = 1.2.3.256\n", ERR_INVALID, "test.conf:1: listen: '1.2.3.256' is not an IPv4 address (a.b.c.d)" },
		{ "pool = 198.18.0.9-1\n", ERR_INVALID, "test.conf:1: pool: '198.18.0.9-1' is an empty range or a network with host bits set" },
		{ "pool = ten\n", ERR_INVALID, "test.conf:1: pool: 'ten' is not an IPv4 range (a.b.c.d-e.f.g.h, a.b.c.d-h, a.b.c.d/n or a.b.c.d)" },
		{ "auth = pap\n", ERR_INVALID, "test.conf:1: auth: 'pap' is not one of: mschapv2, eap-tls, chap" },
		{ "name = \"open\n", ERR_MALFORMED, "test.conf:1: name: unterminated quote" },
		{ "name = 'open\n", ERR_MALFORMED, "test.conf:1: name: unterminated quote" },
		{ "name = \"a\\\n", ERR_MALFORMED, "test.conf:1: name: unterminated quote" },
		{ "name = \"a\" b\n", ERR_MALFORMED, "test.conf:1: name: text after the closing quote" },
		{ "name = \"\\q\"\n", ERR_MALFORMED, "test.conf:1: name: unknown escape in quotes (use \\\\ \\\" \\n \\t)" },
		{ "\n\n[server\n", ERR_MALFORMED, "test.conf:3: malformed section header" },
		{ "[server] x\n", ERR_MALFORMED, "test.conf:1: malformed section header" },
		{ "= 5\n", ERR_MALFORMED, "test.conf:1: expected 'key = value'" },
		{ "mtu 1400\n", ERR_MALFORMED, "test.conf:1: expected 'key = value'" },
		{ "mt.u = 1400\n", ERR_MALFORMED, "test.conf:1: expected 'key = value'" },
		{ "mtu\n", ERR_MALFORMED, "test.conf:1: option 'mtu' needs '= value'" },
		{ "name = a\0b\n", ERR_MALFORMED, "test.conf:1: NUL byte in line" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct demo_cfg c;
		struct options o;
		assert_int_equal(options_init(&o, &demo_table, &c), 0);
		size_t len = strlen(cases[i].text);
		if (strcmp(cases[i].text, "name = a") == 0)
			len = 11; /* the case with the embedded NUL */
		int rc = options_parse_ini(&o, cases[i].text, len, "test.conf");
		if (rc != cases[i].rc || strcmp(options_error(&o), cases[i].message) != 0)
			fail_msg("case %zu: got %d '%s', want %d '%s'", i, rc, options_error(&o),
				 cases[i].rc, cases[i].message);
		options_destroy(&o);
	}
}

static void command_line_errors_name_the_option(void **state)
{
	(void)state;
	static const struct {
		const char *args[3];
		int argc;
		const char *message;
	} cases[] = {
		{ { "--bogus" }, 1, "unknown option '--bogus' (see --help)" },
		{ { "--bogus=1" }, 1, "unknown option '--bogus' (see --help)" },
		{ { "--no-mtu" }, 1, "unknown option '--no-mtu' (see --help)" },
		{ { "-m" }, 1, "unknown option '-m' (options are --long; see --help)" },
		{ { "--mtu" }, 1, "option '--mtu' needs a value" },
		{ { "--mtu", "2000" }, 2, "option '--mtu': '2000' is not an integer from 576 to 1500" },
		{ { "--debug=perhaps" }, 1, "option '--debug': 'perhaps' is not yes/no, true/false, on/off or 1/0" },
		{ { "--listen=localhost" }, 1, "option '--listen': 'localhost' is not an IPv4 address (a.b.c.d)" },
		{ { "--auth", "md5" }, 2, "option '--auth': 'md5' is not one of: mschapv2, eap-tls, chap" },
		{ { "a", "b", "c" }, 3, "unexpected argument 'c'" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct demo_cfg c;
		struct options o;
		assert_int_equal(options_init(&o, &demo_table, &c), 0);
		const char *pos[2];
		size_t npos;
		int rc = options_parse_args(&o, cases[i].argc, (char *const *)cases[i].args, pos, 2, &npos);
		if (rc != ERR_INVALID || strcmp(options_error(&o), cases[i].message) != 0)
			fail_msg("case %zu: got %d '%s', want '%s'", i, rc, options_error(&o), cases[i].message);
		options_destroy(&o);
	}
}

static void bad_defaults_and_tables_are_reported(void **state)
{
	(void)state;
	static const struct option_def bad_defs[] = {
		OPTION("mtu", OPTION_INT, struct demo_cfg, mtu, "x", .min = 1, .max = 2, .default_value = "3"),
	};
	static const struct option_table bad = { .command = "x", .defs = bad_defs, .count = 1 };
	struct demo_cfg c;
	struct options o;
	assert_int_equal(options_init(&o, &bad, &c), ERR_INVALID);
	assert_string_equal(options_error(&o), "default of mtu: '3' is not an integer from 1 to 2");
	options_destroy(&o);
}

static void help_is_generated_from_the_table(void **state)
{
	(void)state;
	char buf[4096];
	size_t need = options_help(&demo_table, buf, sizeof(buf));
	assert_int_equal(need, strlen(buf));
	assert_non_null(strstr(buf, "Usage: openpptp server [options]\n"));
	assert_non_null(strstr(buf, "Run a PPTP server."));
	assert_non_null(strstr(buf, "  --mtu=N"));
	assert_non_null(strstr(buf, "tunnel MTU (576..1500) [default: 1400]"));
	assert_non_null(strstr(buf, "--[no-]debug"));
	assert_non_null(strstr(buf, "--dns=ADDR"));
	assert_non_null(strstr(buf, "(repeatable)"));
	assert_non_null(strstr(buf, "(mschapv2, eap-tls, chap)"));
	assert_non_null(strstr(buf, "--help"));
	char tiny[16];
	assert_int_equal(options_help(&demo_table, tiny, sizeof(tiny)), need);
	assert_int_equal(strlen(tiny), 15);
	assert_int_equal(options_help(&demo_table, NULL, 0), need);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_apply),
		cmocka_unit_test(ini_sets_every_type),
		cmocka_unit_test(bare_bool_key_first),
		cmocka_unit_test(command_line_wins_over_the_file),
		cmocka_unit_test(ini_errors_name_file_and_line),
		cmocka_unit_test(command_line_errors_name_the_option),
		cmocka_unit_test(bad_defaults_and_tables_are_reported),
		cmocka_unit_test(help_is_generated_from_the_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
