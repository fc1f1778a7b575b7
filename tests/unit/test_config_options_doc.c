/* SPDX-License-Identifier: BSD-2-Clause */
/* src/config/options_doc: the man page lists and the example file written
 * from an option table: every option, roff escapes, line lengths, the INI
 * forms and defaults, and the snprintf-like length on a short buffer. */
#include "support/test_support.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "config/options_doc.h"

struct doc_cfg {
	char *config;
	char *user;
	int mtu;
	int idle;
	bool debug;
	struct option_list dns;
	int level;
	char *dot;
};

static const char *const levels[] = { "error", "info", NULL };

static const struct option_def doc_defs[] = {
	OPTION("config", OPTION_STRING, struct doc_cfg, config, "read settings from FILE", .metavar = "FILE"),
	OPTION("user", OPTION_STRING, struct doc_cfg, user, "user name (DOMAIN\\user works)", .metavar = "NAME"),
	OPTION("mtu", OPTION_INT, struct doc_cfg, mtu, "tunnel MTU", .min = 576, .max = 1500, .default_value = "1400"),
	OPTION("idle", OPTION_INT, struct doc_cfg, idle, "idle seconds"),
	OPTION("debug", OPTION_BOOL, struct doc_cfg, debug, "verbose logging"),
	OPTION("dns", OPTION_LIST, struct doc_cfg, dns, "a DNS server", .metavar = "ADDR"),
	OPTION("log-level", OPTION_ENUM, struct doc_cfg, level, "how much to log", .choices = levels),
	OPTION("dot", OPTION_STRING, struct doc_cfg, dot,
	       ".starts with a dot and is long enough that it must be broken over more than one line of the page"),
};

static const struct option_table doc_table = {
	.command = "server",
	.usage = "[options]",
	.summary = "test",
	.defs = doc_defs,
	.count = sizeof(doc_defs) / sizeof(doc_defs[0]),
};

static char buf[16384];

static void man_cli_lists_every_option(void **state)
{
	(void)state;
	size_t n = options_doc_man(&doc_table, OPTIONS_DOC_CLI, buf, sizeof(buf));
	assert_int_equal(n, strlen(buf));
	assert_true(strncmp(buf, ".Bl -tag -width Ds\n", 19) == 0);
	assert_non_null(strstr(buf, ".It Fl \\-config Ns = Ns Ar FILE\nRead settings from FILE.\n"));
	assert_non_null(strstr(buf, ".It Fl \\-mtu Ns = Ns Ar N\nTunnel MTU.\nFrom 576 to 1500.\nThe default is\n.Ql 1400 .\n"));
	assert_non_null(strstr(buf, ".It Fl \\-debug , Fl \\-no\\-debug\nVerbose logging.\n"));
	assert_non_null(strstr(buf, ".It Fl \\-log\\-level Ns = Ns Ar WORD\n"));
	assert_non_null(strstr(buf, "One of\n.Cm error ,\n.Cm info .\n"));
	assert_non_null(strstr(buf, "Repeat the option for more than one.\n"));
	assert_non_null(strstr(buf, ".It Fl \\-help , Fl h\n"));
	assert_true(strcmp(buf + n - 4, ".El\n") == 0);
}

static void man_text_is_escaped_and_wrapped(void **state)
{
	(void)state;
	options_doc_man(&doc_table, OPTIONS_DOC_CLI, buf, sizeof(buf));
	/* a backslash is \e; a text line never starts with '.' unless it is a macro */
	assert_non_null(strstr(buf, "User name (DOMAIN\\euser works).\n"));
	assert_non_null(strstr(buf, "\n\\&.starts with a dot"));
	for (const char *line = buf; *line;) {
		const char *end = strchr(line, '\n');
		assert_non_null(end);
		assert_true(end - line <= 80);
		line = end + 1;
	}
}

static void man_ini_form_leaves_out_config(void **state)
{
	(void)state;
	options_doc_man(&doc_table, OPTIONS_DOC_INI, buf, sizeof(buf));
	assert_null(strstr(buf, "config"));
	assert_null(strstr(buf, "help"));
	assert_non_null(strstr(buf, ".It Ic mtu No = Ar N\n"));
	assert_non_null(strstr(buf, ".It Ic debug No = Cm yes | no\n"));
	assert_non_null(strstr(buf, "Repeat the key for more than one.\n"));
}

static void ini_example_has_every_key_commented_with_its_default(void **state)
{
	(void)state;
	options_doc_ini(&doc_table, buf, sizeof(buf));
	assert_true(strncmp(buf, "[server]\n", 9) == 0);
	assert_null(strstr(buf, "#config"));
	assert_non_null(strstr(buf, "\n# tunnel MTU (576..1500)\n#mtu = 1400\n"));
	assert_non_null(strstr(buf, "\n#idle = 0\n")); /* an int with no default is zero */
	assert_non_null(strstr(buf, "\n# verbose logging: yes or no\n#debug = no\n"));
	assert_non_null(strstr(buf, "; repeat the key for more than one\n#dns = ADDR\n"));
	assert_non_null(strstr(buf, ": error, info\n#log-level = error\n"));
	assert_non_null(strstr(buf, "\n#user = NAME\n"));
}

/* Like snprintf: the full length comes back, the buffer is terminated. */
static void short_buffers_get_the_needed_length(void **state)
{
	(void)state;
	size_t full = options_doc_man(&doc_table, OPTIONS_DOC_CLI, buf, sizeof(buf));
	char small[32];
	memset(small, 'x', sizeof(small));
	assert_int_equal(options_doc_man(&doc_table, OPTIONS_DOC_CLI, small, sizeof(small)), full);
	assert_int_equal(strlen(small), sizeof(small) - 1);
	assert_int_equal(options_doc_ini(&doc_table, NULL, 0), strlen((options_doc_ini(&doc_table, buf, sizeof(buf)), buf)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(man_cli_lists_every_option),
		cmocka_unit_test(man_text_is_escaped_and_wrapped),
		cmocka_unit_test(man_ini_form_leaves_out_config),
		cmocka_unit_test(ini_example_has_every_key_commented_with_its_default),
		cmocka_unit_test(short_buffers_get_the_needed_length),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
