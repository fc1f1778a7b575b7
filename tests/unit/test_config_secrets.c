/* SPDX-License-Identifier: BSD-2-Clause */
/* src/config/secrets: the chap-secrets format, quoting, wildcards, NT-hash
 * secrets, the address field (pppd's forms), and tables of malformed lines. */
#include "support/test_support.h"

#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "config/secrets.h"
#include "sys/sys_file.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

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
	assert_int_equal(e->addrs.policy, SECRET_ADDR_ANY);
	assert_int_equal(e->addrs.nallow, 0);
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
	assert_int_equal(e->addrs.policy, SECRET_ADDR_LISTED);
	assert_int_equal(e->addrs.nallow, 2);
	assert_int_equal(secret_entry_static_ip(e), IP(198, 18, 1, 7)); /* first single address */
	assert_true(secret_entry_allows_ip(e, IP(198, 18, 0, 77)));
	assert_int_equal(e->line, 7);

	e = &s.entries[3];
	assert_string_equal(e->client, "carol x");
	assert_string_equal(e->secret, "its"); /* two quoted parts joined */
	assert_int_equal(e->addrs.policy, SECRET_ADDR_NONE);
	assert_true(secret_addrs_is_empty(&e->addrs));
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
	secrets_destroy(&s);
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
	secrets_destroy(&s);

	assert_int_equal(parse(&s, "alice pptpd pw\n"), 0);
	assert_null(secrets_lookup(&s, "bob", "pptpd"));
	assert_null(secrets_lookup(&s, "alice", "other"));
	assert_null(secrets_lookup(&s, "alice", NULL));
	secrets_destroy(&s);

	assert_int_equal(parse(&s, ""), 0);
	assert_int_equal(s.count, 0);
	assert_null(secrets_lookup(&s, "a", "b"));
	secrets_destroy(&s);
	assert_int_equal(parse(&s, "# only a comment"), 0);
	assert_int_equal(s.count, 0);
	secrets_destroy(&s);
}

/* A text the parser must refuse: its error code and "file:line: why". */
struct refused_case {
	const char *text;
	int rc;
	const char *error;
};

/* Refused with exactly that error, and nothing kept (all or nothing). */
static void assert_refused(const char *text, size_t len, int want_rc, const char *want_error)
{
	struct secrets s;
	int rc = secrets_parse(&s, text, len, "chap-secrets");

	if (rc != want_rc || strcmp(s.error, want_error) != 0)
		fail_msg("'%s': got %d '%s', want %d '%s'", text, rc, s.error, want_rc, want_error);
	assert_int_equal(s.count, 0);
	assert_null(s.entries);
	secrets_destroy(&s);
}

static void malformed_lines_table(void **state)
{
	(void)state;
	static const struct refused_case cases[] = {
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
		  "chap-secrets:1: bad IP address (a.b.c.d, a.b.c.d/n, a range, !address, * or -)" },
		{ "alice * pw - 198.18.0.1\n", ERR_MALFORMED, "chap-secrets:1: '-' (no address) together with addresses" },
		{ "alice * pw 1.1.1.1 1.1.1.2 1.1.1.3 1.1.1.4 1.1.1.5 1.1.1.6 1.1.1.7 1.1.1.8 1.1.1.9\n", ERR_LIMIT,
		  "chap-secrets:1: too many words (at most client, server, secret and 8 addresses)" },
		{ "\"\" * pw\n", ERR_MALFORMED, "chap-secrets:1: empty client name" },
		{ "alice '' pw\n", ERR_MALFORMED, "chap-secrets:1: empty server name" },
		{ "a\0b * pw\n", ERR_MALFORMED, "chap-secrets:1: NUL byte" },
		{ "alice * 'a\0'\n", ERR_MALFORMED, "chap-secrets:1: NUL byte" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len = strlen(cases[i].text);
		if (i >= sizeof(cases) / sizeof(cases[0]) - 2)
			len += 1 + strlen(cases[i].text + len + 1); /* the cases with a NUL */
		assert_refused(cases[i].text, len, cases[i].rc, cases[i].error);
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
	secrets_destroy(&s);
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
	secrets_destroy(&s);
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
		secrets_destroy(&s);
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

/* The address field (config/secret_addrs.h), one row per form: the words
 * after the secret, the policy and ranges they parse to, addresses that
 * must be allowed and refused, the static address, and whether nothing at
 * all is allowed. */
struct addr_case {
	const char *words;
	enum secret_addr_policy policy;
	size_t nallow, ndeny;
	uint32_t allowed[3];         /* 0 ends the list */
	uint32_t refused[3];
	uint32_t static_ip;
	bool empty;
};

static void address_field_forms(void **state)
{
	(void)state;
	static const struct addr_case cases[] = {
		{ "", SECRET_ADDR_ANY, 0, 0, { IP(1, 2, 3, 4), IP(255, 255, 255, 255) }, { 0 }, 0, false },
		{ "*", SECRET_ADDR_ANY, 0, 0, { IP(198, 18, 9, 9) }, { 0 }, 0, false },
		{ "-", SECRET_ADDR_NONE, 0, 0, { 0 }, { IP(198, 18, 0, 1), IP(0, 0, 0, 0) + 1 }, 0, true },
		{ "198.18.0.5", SECRET_ADDR_LISTED, 1, 0, { IP(198, 18, 0, 5) }, { IP(198, 18, 0, 6) },
		  IP(198, 18, 0, 5), false },
		/* pppd: the addresses sharing the first n bits, network and
		 * broadcast included, host bits in the word ignored */
		{ "198.18.0.77/24", SECRET_ADDR_LISTED, 1, 0, { IP(198, 18, 0, 0), IP(198, 18, 0, 255) },
		  { IP(198, 18, 1, 0), IP(198, 17, 255, 255) }, 0, false },
		{ "198.18.0.9/32", SECRET_ADDR_LISTED, 1, 0, { IP(198, 18, 0, 9) }, { IP(198, 18, 0, 8) },
		  IP(198, 18, 0, 9), false },
		{ "0.0.0.0/0", SECRET_ADDR_LISTED, 1, 0, { IP(0, 0, 0, 1), IP(255, 255, 255, 255) }, { 0 }, 0, false },
		/* the user limited to a range */
		{ "203.0.113.200-210", SECRET_ADDR_LISTED, 1, 0, { IP(203, 0, 113, 200), IP(203, 0, 113, 210) },
		  { IP(203, 0, 113, 20), IP(203, 0, 113, 211) }, 0, false },
		{ "198.18.0.250-198.18.1.5", SECRET_ADDR_LISTED, 1, 0, { IP(198, 18, 0, 255), IP(198, 18, 1, 5) },
		  { IP(198, 18, 1, 6) }, 0, false },
		/* a list: each word adds, the first single address is static */
		{ "198.18.0.0/24 198.18.1.7 198.18.1.8", SECRET_ADDR_LISTED, 3, 0, { IP(198, 18, 1, 8), IP(198, 18, 0, 1) },
		  { IP(198, 18, 1, 9) }, IP(198, 18, 1, 7), false },
		/* exclusions win wherever they stand */
		{ "198.18.0.0/24 !198.18.0.7", SECRET_ADDR_LISTED, 1, 1, { IP(198, 18, 0, 6), IP(198, 18, 0, 8) },
		  { IP(198, 18, 0, 7) }, 0, false },
		{ "!198.18.0.7 198.18.0.0/24", SECRET_ADDR_LISTED, 1, 1, { IP(198, 18, 0, 6) }, { IP(198, 18, 0, 7) }, 0,
		  false },
		{ "198.18.0.5 198.18.0.6 !198.18.0.5", SECRET_ADDR_LISTED, 2, 1, { IP(198, 18, 0, 6) },
		  { IP(198, 18, 0, 5) }, IP(198, 18, 0, 6), false },
		{ "* !198.18.0.0/16", SECRET_ADDR_ANY, 0, 1, { IP(198, 19, 0, 1) }, { IP(198, 18, 3, 3) }, 0, false },
		{ "198.18.0.5 *", SECRET_ADDR_ANY, 1, 0, { IP(9, 9, 9, 9) }, { 0 }, IP(198, 18, 0, 5), false },
		/* nothing left to allow */
		{ "!198.18.0.7", SECRET_ADDR_LISTED, 0, 1, { 0 }, { IP(198, 18, 0, 7), IP(198, 18, 0, 8) }, 0, true },
		{ "198.18.0.4-7 !198.18.0.4-5 !198.18.0.6/31", SECRET_ADDR_LISTED, 1, 2, { 0 },
		  { IP(198, 18, 0, 4), IP(198, 18, 0, 7) }, 0, true },
		{ "* !0.0.0.0/1 !128.0.0.0/1", SECRET_ADDR_ANY, 0, 2, { 0 }, { IP(1, 1, 1, 1), IP(200, 1, 1, 1) }, 0,
		  true },
		{ "'198.18.0.3'", SECRET_ADDR_LISTED, 1, 0, { IP(198, 18, 0, 3) }, { 0 }, IP(198, 18, 0, 3), false },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct addr_case *c = &cases[i];
		char line[256];
		struct secrets s;
		snprintf(line, sizeof(line), "alice * pw %s\n", c->words);
		if (parse(&s, line) != 0)
			fail_msg("'%s': %s", c->words, s.error);
		const struct secret_addr_set *a = &s.entries[0].addrs;
		print_message("case '%s'\n", c->words);
		assert_int_equal(a->policy, c->policy);
		assert_int_equal(a->nallow, c->nallow);
		assert_int_equal(a->ndeny, c->ndeny);
		for (size_t k = 0; k < 3 && c->allowed[k]; k++)
			assert_true(secret_addrs_allow(a, c->allowed[k]));
		for (size_t k = 0; k < 3 && c->refused[k]; k++)
			assert_false(secret_addrs_allow(a, c->refused[k]));
		assert_int_equal(secret_addrs_static(a), c->static_ip);
		assert_int_equal(secret_entry_static_ip(&s.entries[0]), c->static_ip);
		assert_int_equal(secret_addrs_is_empty(a), c->empty);
		for (size_t k = 0; k < a->nallow; k++)
			assert_true(a->allow[k].first <= a->allow[k].last);
		secrets_destroy(&s);
	}
}

/* Malformed address fields: each refused with its own sentence, and the
 * whole file with it (all or nothing). */
static void address_field_malformed_table(void **state)
{
	(void)state;
	static const struct refused_case cases[] = {   /* text: the address words of line 2 */
		{ "198.18.0.256", ERR_MALFORMED, "bad IP address (a.b.c.d, a.b.c.d/n, a range, !address, * or -)" },
		{ "198.18.0", ERR_MALFORMED, "bad IP address (a.b.c.d, a.b.c.d/n, a range, !address, * or -)" },
		{ "198.18.0.01", ERR_MALFORMED, "bad IP address (a.b.c.d, a.b.c.d/n, a range, !address, * or -)" },
		{ "198.18.0.5-", ERR_MALFORMED, "bad IP address (a.b.c.d, a.b.c.d/n, a range, !address, * or -)" },
		{ "-5", ERR_MALFORMED, "bad IP address (a.b.c.d, a.b.c.d/n, a range, !address, * or -)" },
		{ "**", ERR_MALFORMED, "bad IP address (a.b.c.d, a.b.c.d/n, a range, !address, * or -)" },
		{ "198.18.0.9-3", ERR_MALFORMED, "address range ends before it starts" },
		{ "198.18.0.9-198.18.0.1", ERR_MALFORMED, "address range ends before it starts" },
		{ "198.18.0.0/33", ERR_MALFORMED, "bad subnet (a.b.c.d/n, n from 0 to 32)" },
		{ "198.18.0.0/", ERR_MALFORMED, "bad subnet (a.b.c.d/n, n from 0 to 32)" },
		{ "198.18.0.0/024", ERR_MALFORMED, "bad subnet (a.b.c.d/n, n from 0 to 32)" },
		{ "198.18.0.0/2x", ERR_MALFORMED, "bad subnet (a.b.c.d/n, n from 0 to 32)" },
		{ "198.18.0.0/24/8", ERR_MALFORMED, "bad subnet (a.b.c.d/n, n from 0 to 32)" },
		{ "198.18.0.0-198.18.0.9/24", ERR_MALFORMED, "bad subnet (a.b.c.d/n, n from 0 to 32)" },
		{ "198.18.0.0/24+", ERR_UNSUPPORTED,
		  "a.b.c.d/n+ (one address per ppp unit) has no meaning here: list the addresses" },
		{ "joespc.my.net", ERR_UNSUPPORTED, "host names are not resolved: write the address" },
		{ "!", ERR_MALFORMED, "'!' must be followed by an address, a subnet or a range" },
		{ "!*", ERR_MALFORMED, "'!' must be followed by an address, a subnet or a range" },
		{ "!-", ERR_MALFORMED, "'!' must be followed by an address, a subnet or a range" },
		{ "!!198.18.0.1", ERR_MALFORMED, "'!' must be followed by an address, a subnet or a range" },
		{ "!198.18.0.x", ERR_UNSUPPORTED, "host names are not resolved: write the address" },
		{ "- 198.18.0.1", ERR_MALFORMED, "'-' (no address) together with addresses" },
		{ "198.18.0.1 -", ERR_MALFORMED, "'-' (no address) together with addresses" },
		{ "* -", ERR_MALFORMED, "'-' (no address) together with addresses" },
		{ "- -", ERR_MALFORMED, "'-' (no address) together with addresses" },
		{ "\"\"", ERR_MALFORMED, "empty address word" },
		{ "198.18.0000000000000000000000000000000000.1", ERR_LIMIT, "address word longer than 40 characters" },
		{ "1.1.1.1 1.1.1.2 1.1.1.3 1.1.1.4 1.1.1.5 1.1.1.6 1.1.1.7 1.1.1.8 1.1.1.9", ERR_LIMIT,
		  "too many words (at most client, server, secret and 8 addresses)" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char line[256], want[256];
		snprintf(line, sizeof(line), "ok * pw *\nalice * pw %s\n", cases[i].text);
		snprintf(want, sizeof(want), "chap-secrets:2: %s", cases[i].error);
		assert_refused(line, strlen(line), cases[i].rc, want);
	}
	/* Eight words is the limit, not one less; a word of 40 is accepted. */
	struct secrets s;
	assert_int_equal(parse(&s, "a * pw 1.1.1.1 1.1.1.2 1.1.1.3 1.1.1.4 1.1.1.5 1.1.1.6 1.1.1.7 !1.1.1.8\n"), 0);
	assert_int_equal(s.entries[0].addrs.nallow, 7);
	assert_int_equal(s.entries[0].addrs.ndeny, 1);
	secrets_destroy(&s);
	/* quoted, 40 characters with the blanks around '-' */
	assert_int_equal(parse(&s, "a * pw '198.18.0.1          -         198.18.0.2'\n"), 0);
	assert_true(secret_entry_allows_ip(&s.entries[0], IP(198, 18, 0, 2)));
	secrets_destroy(&s);
	assert_int_equal(parse(&s, "a * pw '198.18.0.1          -          198.18.0.2'\n"), ERR_LIMIT);
}

/* The word-level parser alone, for the bounds the file lexer cannot reach. */
static void address_words_are_length_checked(void **state)
{
	(void)state;
	struct secret_addr_set set;
	const char *why = NULL;
	char word[64];

	secret_addrs_init(&set);
	/* not NUL-terminated: only len bytes are read */
	memcpy(word, "198.18.0.5XXXX", 14);
	assert_int_equal(secret_addrs_add_word(&set, word, 10, &why), 0);
	assert_true(secret_addrs_allow(&set, IP(198, 18, 0, 5)));
	memset(word, '1', sizeof(word));
	assert_int_equal(secret_addrs_add_word(&set, word, 41, &why), ERR_LIMIT);
	assert_int_equal(secret_addrs_add_word(&set, word, 0, &why), ERR_MALFORMED);
	secret_addrs_init(&set);
	for (int i = 0; i < SECRET_ADDRS_MAX; i++)
		assert_int_equal(secret_addrs_add_word(&set, "*", 1, &why), 0);
	assert_int_equal(secret_addrs_add_word(&set, "*", 1, &why), ERR_LIMIT);
	assert_string_equal(why, "more than 8 address words");
}

/* Issue 11 (Low): an empty secret is named so the server can refuse it. */
static void empty_secret_is_recognised(void **state)
{
	(void)state;
	static const char text[] = "eve * \"\" *\nalice * pw *\nbob * nthash:00112233445566778899aabbccddeeff *\n";
	struct secrets s;
	assert_int_equal(secrets_parse(&s, text, sizeof(text) - 1, "t"), 0);
	assert_true(secret_entry_is_empty(secrets_lookup(&s, "eve", "x")));
	assert_false(secret_entry_is_empty(secrets_lookup(&s, "alice", "x")));
	assert_false(secret_entry_is_empty(secrets_lookup(&s, "bob", "x")));
	secrets_destroy(&s);
}

/* Issue 11 (Low): secrets files others may read are told apart, as ssh does. */
static void shared_secrets_file_is_recognised(void **state)
{
	(void)state;
	char path[] = "/tmp/openpptp-secrets-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	mode_t mode = 0;
	assert_int_equal(chmod(path, 0600), 0);
	assert_false(sys_file_is_shared(path, &mode));
	assert_int_equal(chmod(path, 0640), 0);
	assert_true(sys_file_is_shared(path, &mode));
	assert_int_equal(mode, 0640);
	assert_int_equal(chmod(path, 0602), 0);
	assert_true(sys_file_is_shared(path, &mode));
	unlink(path);
	assert_false(sys_file_is_shared(path, &mode)); /* gone: the read reports it */
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
		cmocka_unit_test(address_field_forms),
		cmocka_unit_test(address_field_malformed_table),
		cmocka_unit_test(address_words_are_length_checked),
		cmocka_unit_test(empty_secret_is_recognised),
		cmocka_unit_test(shared_secrets_file_is_recognised),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
