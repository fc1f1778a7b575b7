/* src/config/secrets: the chap-secrets format, quoting, wildcards, NT-hash
 * secrets, static IPs, and a table of malformed lines. */
#include "support/test_support.h"

#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "config/secrets.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

static int parse(struct secrets *s, const char *text)
{
	return secrets_parse(s, text, strlen(text), "chap-secrets");
}

static void typical_file(void **state)
{
	(void)state;
	struct secrets s;
	int rc = parse(&s,
		       "# Secrets for authentication using CHAP\n"
		       "# client\tserver\tsecret\t\t\tIP addresses\n"
		       "testuser\tpptpd\ttestpass123\t\t*\n"
		       "alice  *  \"correct horse\"  198.18.0.5\n"
		       "\n"
		       "   # indented comment\n"
		       "bob pptpd nthash:8846F7EAEE8FB117AD06BDD830B7586C 198.18.0.0/24 198.18.1.7 # trailing\n"
		       "'carol x' * 'it''s' -\n"
		       "dave * \"nthash:8846F7EAEE8FB117AD06BDD830B7586C\"\n"
		       "eve * a\\ b\\x41\\101\\s\\\"\\q\n"
		       "frank * \\\n"
		       "   continued 198.18.0.9\n"
		       "grace * \"\"");
	if (rc != 0)
		fail_msg("%s", s.error);
	assert_int_equal(s.count, 8);
	const struct secret_entry *e = &s.entries[0];
	assert_string_equal(e->client, "testuser");
	assert_string_equal(e->server, "pptpd");
	assert_int_equal(e->kind, SECRET_PLAINTEXT);
	assert_string_equal(e->secret, "testpass123");
	assert_int_equal(e->secret_len, 11);
	assert_int_equal(e->naddrs, 0);
	assert_int_equal(e->line, 3);
	assert_true(secret_entry_allows_ip(e, IP(1, 2, 3, 4)));
	assert_int_equal(secret_entry_static_ip(e), 0);

	e = &s.entries[1];
	assert_string_equal(e->secret, "correct horse");
	assert_int_equal(secret_entry_static_ip(e), IP(198, 18, 0, 5));
	assert_false(secret_entry_allows_ip(e, IP(198, 18, 0, 6)));

	e = &s.entries[2];
	assert_int_equal(e->kind, SECRET_NTHASH);
	assert_null(e->secret);
	uint8_t want[16];
	test_hex("8846F7EAEE8FB117AD06BDD830B7586C", want, sizeof(want));
	assert_memory_equal(e->nthash, want, 16);
	assert_int_equal(e->naddrs, 2);
	assert_int_equal(secret_entry_static_ip(e), IP(198, 18, 1, 7)); /* first single address */
	assert_true(secret_entry_allows_ip(e, IP(198, 18, 0, 77)));
	assert_int_equal(e->line, 7);

	e = &s.entries[3];
	assert_string_equal(e->client, "carol x");
	assert_string_equal(e->secret, "its"); /* two quoted parts joined */
	assert_true(e->addr_none);
	assert_false(secret_entry_allows_ip(e, IP(198, 18, 0, 1)));

	e = &s.entries[4];
	assert_int_equal(e->kind, SECRET_PLAINTEXT); /* quoted: a plaintext password */
	assert_string_equal(e->secret, "nthash:8846F7EAEE8FB117AD06BDD830B7586C");

	e = &s.entries[5];
	assert_string_equal(e->secret, "a bAA \"q");

	e = &s.entries[6];
	assert_string_equal(e->client, "frank");
	assert_string_equal(e->secret, "continued");
	assert_int_equal(secret_entry_static_ip(e), IP(198, 18, 0, 9));
	assert_int_equal(e->line, 11);

	e = &s.entries[7];
	assert_string_equal(e->secret, "");
	assert_int_equal(e->secret_len, 0);
	secrets_free(&s);
	assert_int_equal(s.count, 0);
}

static void lookup_prefers_exact_matches(void **state)
{
	(void)state;
	struct secrets s;
	assert_int_equal(parse(&s,
			       "*     *      any-any\n"
			       "alice *      alice-any\n"
			       "*     pptpd  any-pptpd\n"
			       "alice pptpd  alice-pptpd\n"
			       "alice pptpd  alice-pptpd-second\n"
			       "bob   other  bob-other\n"),
			 0);
	const struct secret_entry *e;
	e = secrets_lookup(&s, "alice", "pptpd");
	assert_string_equal(e->secret, "alice-pptpd");
	e = secrets_lookup(&s, "alice", "elsewhere");
	assert_string_equal(e->secret, "alice-any");
	e = secrets_lookup(&s, "zed", "pptpd");
	assert_string_equal(e->secret, "any-pptpd");
	e = secrets_lookup(&s, "bob", "pptpd");
	assert_string_equal(e->secret, "any-pptpd");
	e = secrets_lookup(&s, "bob", "other");
	assert_string_equal(e->secret, "bob-other");
	e = secrets_lookup(&s, "zed", "nowhere");
	assert_string_equal(e->secret, "any-any");
	e = secrets_lookup(&s, "Alice", "x"); /* names are case-sensitive */
	assert_string_equal(e->secret, "any-any");
	secrets_free(&s);

	assert_int_equal(parse(&s, "alice pptpd pw\n"), 0);
	assert_null(secrets_lookup(&s, "bob", "pptpd"));
	assert_null(secrets_lookup(&s, "alice", "other"));
	assert_null(secrets_lookup(&s, "alice", NULL));
	secrets_free(&s);

	assert_int_equal(parse(&s, ""), 0);
	assert_int_equal(s.count, 0);
	assert_null(secrets_lookup(&s, "a", "b"));
	secrets_free(&s);
	assert_int_equal(parse(&s, "# only a comment"), 0);
	assert_int_equal(s.count, 0);
	secrets_free(&s);
}

static void malformed_lines_table(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		int rc;
		const char *error;
	} cases[] = {
		{ "alice\n", ERR_MALFORMED, "chap-secrets:1: expected: client server secret [addresses...]" },
		{ "ok * pw\nalice pptpd\n", ERR_MALFORMED, "chap-secrets:2: expected: client server secret [addresses...]" },
		{ "alice * \"open\n", ERR_MALFORMED, "chap-secrets:1: unterminated quote" },
		{ "alice * 'open\n", ERR_MALFORMED, "chap-secrets:1: unterminated quote" },
		{ "alice * \"a\\\nb\"\n", ERR_MALFORMED, "chap-secrets:1: unterminated quote" },
		{ "alice * pw\\", ERR_MALFORMED, "chap-secrets:1: backslash at end of file" },
		{ "alice * \\xZZ\n", ERR_MALFORMED, "chap-secrets:1: \\x without hex digits" },
		{ "alice * \\x00\n", ERR_MALFORMED, "chap-secrets:1: NUL byte in a word" },
		{ "alice * \\000\n", ERR_MALFORMED, "chap-secrets:1: NUL byte in a word" },
		{ "alice * \\777\n", ERR_MALFORMED, "chap-secrets:1: octal escape above \\377" },
		{ "alice * nthash:1234\n", ERR_MALFORMED, "chap-secrets:1: nthash: needs exactly 32 hex digits" },
		{ "alice * nthash:8846F7EAEE8FB117AD06BDD830B7586G\n", ERR_MALFORMED,
		  "chap-secrets:1: nthash: needs exactly 32 hex digits" },
		{ "alice * nthash:8846F7EAEE8FB117AD06BDD830B7586C0\n", ERR_MALFORMED,
		  "chap-secrets:1: nthash: needs exactly 32 hex digits" },
		{ "alice * @/etc/pw\n", ERR_UNSUPPORTED, "chap-secrets:1: secrets read from @file are not supported" },
		{ "alice * pw 198.18.0.256\n", ERR_MALFORMED,
		  "chap-secrets:1: bad IP address (a.b.c.d, a range, a.b.c.d/n, * or -)" },
		{ "alice * pw host.example\n", ERR_MALFORMED,
		  "chap-secrets:1: bad IP address (a.b.c.d, a range, a.b.c.d/n, * or -)" },
		{ "alice * pw - 198.18.0.1\n", ERR_MALFORMED, "chap-secrets:1: '-' (no address) together with addresses" },
		{ "alice * pw 1.1.1.1 1.1.1.2 1.1.1.3 1.1.1.4 1.1.1.5 1.1.1.6 1.1.1.7 1.1.1.8 1.1.1.9\n", ERR_LIMIT,
		  "chap-secrets:1: too many words (at most client, server, secret and 8 addresses)" },
		{ "\"\" * pw\n", ERR_MALFORMED, "chap-secrets:1: empty client name" },
		{ "alice '' pw\n", ERR_MALFORMED, "chap-secrets:1: empty server name" },
		{ "a\0b * pw\n", ERR_MALFORMED, "chap-secrets:1: NUL byte" },
		{ "alice * 'a\0'\n", ERR_MALFORMED, "chap-secrets:1: NUL byte" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct secrets s;
		size_t len = strlen(cases[i].text);
		if (i >= sizeof(cases) / sizeof(cases[0]) - 2)
			len += 1 + strlen(cases[i].text + len + 1); /* the cases with a NUL */
		int rc = secrets_parse(&s, cases[i].text, len, "chap-secrets");
		if (rc != cases[i].rc || strcmp(s.error, cases[i].error) != 0)
			fail_msg("case %zu: got %d '%s', want %d '%s'", i, rc, s.error, cases[i].rc, cases[i].error);
		assert_int_equal(s.count, 0); /* all or nothing */
		assert_null(s.entries);
		secrets_free(&s);
	}
}

static void long_names_and_secrets_are_refused(void **state)
{
	(void)state;
	char text[1200];
	char longw[300];
	memset(longw, 'a', 257);
	longw[257] = '\0';
	struct secrets s;
	snprintf(text, sizeof(text), "%s * pw\n", longw);
	assert_int_equal(parse(&s, text), ERR_LIMIT);
	assert_string_equal(s.error, "chap-secrets:1: name longer than 256 characters");
	snprintf(text, sizeof(text), "alice * %s\n", longw);
	assert_int_equal(parse(&s, text), ERR_LIMIT);
	assert_string_equal(s.error, "chap-secrets:1: secret longer than 256 characters");
	longw[256] = '\0';
	snprintf(text, sizeof(text), "%s %s %s\n", longw, longw, longw);
	assert_int_equal(parse(&s, text), 0);
	assert_int_equal(s.entries[0].secret_len, 256);
	secrets_free(&s);
}

static void many_entries(void **state)
{
	(void)state;
	static char text[200000];
	size_t used = 0;
	for (int i = 0; i < 5000; i++)
		used += (size_t)snprintf(text + used, sizeof(text) - used, "user%d * pass%d 198.18.%d.%d\n", i, i,
					 i / 256, i % 256);
	struct secrets s;
	assert_int_equal(secrets_parse(&s, text, used, NULL), 0);
	assert_int_equal(s.count, 5000);
	const struct secret_entry *e = secrets_lookup(&s, "user4242", "pptpd");
	assert_non_null(e);
	assert_string_equal(e->secret, "pass4242");
	assert_int_equal(secret_entry_static_ip(e), IP(198, 18, 16, 146));
	secrets_free(&s);
}

static void formatted_entries_parse_back(void **state)
{
	(void)state;
	static const char *const words[] = {
		"plain", "with space", "quote\"d", "back\\slash", "it's", "#hash", "a#b", "tab\tnl\n",
		"nthash:8846F7EAEE8FB117AD06BDD830B7586C", "@file", "\x01\x7f", "\xc3\xa9t\xc3\xa9", "*",
	};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		char line[512];
		int n = secrets_format_entry(line, sizeof(line), words[i], "pptpd", words[i], NULL, "198.18.0.1");
		assert_true(n > 0 && (size_t)n < sizeof(line));
		struct secrets s;
		if (parse(&s, line) != 0)
			fail_msg("'%s' -> '%s': %s", words[i], line, s.error);
		assert_int_equal(s.count, 1);
		assert_string_equal(s.entries[0].client, words[i]);
		assert_int_equal(s.entries[0].kind, SECRET_PLAINTEXT);
		assert_string_equal(s.entries[0].secret, words[i]);
		assert_int_equal(secret_entry_static_ip(&s.entries[0]), IP(198, 18, 0, 1));
		secrets_free(&s);
	}
	uint8_t hash[16];
	test_hex("8846F7EAEE8FB117AD06BDD830B7586C", hash, sizeof(hash));
	char line[256];
	int n = secrets_format_entry(line, sizeof(line), "bob", "*", NULL, hash, NULL);
	assert_string_equal(line, "bob * nthash:8846F7EAEE8FB117AD06BDD830B7586C *\n");
	assert_int_equal(n, (int)strlen(line));
	char tiny[8];
	assert_int_equal(secrets_format_entry(tiny, sizeof(tiny), "bob", "*", "pw", NULL, NULL), 13);
	assert_string_equal(tiny, "bob * \"");
	assert_int_equal(secrets_format_entry(line, sizeof(line), "", "*", "pw", NULL, NULL), ERR_INVALID);
	assert_int_equal(secrets_format_entry(line, sizeof(line), "a", "*", NULL, NULL, NULL), ERR_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(typical_file),
		cmocka_unit_test(lookup_prefers_exact_matches),
		cmocka_unit_test(malformed_lines_table),
		cmocka_unit_test(long_names_and_secrets_are_refused),
		cmocka_unit_test(many_entries),
		cmocka_unit_test(formatted_entries_parse_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
