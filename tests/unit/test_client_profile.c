/* SPDX-License-Identifier: BSD-2-Clause */
/* Client profiles: names that cannot escape the directory, NT hashes as
 * text, and a written file that reads back into the same settings. */
#include "support/test_support.h"

#include <string.h>

#include "base/error.h"
#include "client/client_profile.h"
#include "proto/auth/auth_method.h"

static void names_stay_in_the_directory(void **state)
{
	(void)state;
	assert_true(client_profile_name_ok("office"));
	assert_true(client_profile_name_ok("vpn-2.example_net"));
	assert_false(client_profile_name_ok(""));
	assert_false(client_profile_name_ok(NULL));
	assert_false(client_profile_name_ok("../etc/passwd"));
	assert_false(client_profile_name_ok("a/b"));
	assert_false(client_profile_name_ok(".hidden"));
	assert_false(client_profile_name_ok("-rf"));
	assert_false(client_profile_name_ok("with space"));
	char long_name[80];
	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	assert_false(client_profile_name_ok(long_name));
	char path[64];
	assert_int_equal(client_profile_path(NULL, "office", path, sizeof(path)), 0);
	assert_string_equal(path, "/etc/openpptp/client/office.conf");
	assert_int_equal(client_profile_path("/tmp/p", "office", path, sizeof(path)), 0);
	assert_string_equal(path, "/tmp/p/office.conf");
	assert_int_equal(client_profile_path("/tmp/p", "../x", path, sizeof(path)), ERR_INVALID);
	assert_int_equal(client_profile_path("/tmp/p", "office", path, 10), ERR_NOSPACE);
}

static void nt_hash_text_round_trips(void **state)
{
	(void)state;
	uint8_t hash[16], again[16];
	assert_int_equal(client_nt_hash_parse("8846F7EAEE8FB117AD06BDD830B7586C", hash), 0);
	assert_int_equal(hash[0], 0x88);
	assert_int_equal(hash[15], 0x6c);
	char text[33];
	client_nt_hash_format(hash, text);
	assert_string_equal(text, "8846f7eaee8fb117ad06bdd830b7586c");
	assert_int_equal(client_nt_hash_parse(text, again), 0);
	assert_memory_equal(hash, again, 16);
	assert_int_equal(client_nt_hash_parse("8846f7eaee8fb117ad06bdd830b7586", hash), ERR_INVALID);
	assert_int_equal(client_nt_hash_parse("8846f7eaee8fb117ad06bdd830b7586cc", hash), ERR_INVALID);
	assert_int_equal(client_nt_hash_parse("zz46f7eaee8fb117ad06bdd830b7586c", hash), ERR_INVALID);
	assert_int_equal(client_nt_hash_parse(NULL, hash), ERR_INVALID);
}

static void written_file_reads_back(void **state)
{
	(void)state;
	const char *keys[] = { "server", "user", "route", "route", "default-route" };
	const char *values[] = { "vpn.example.net", "DOM\\alice", "198.51.100.0/24", "203.0.113.0/24", "true" };
	char text[2048];
	int len = client_profile_format(text, sizeof(text), "office", keys, values, 5, "password",
					"p\"a#s s\\w\nord");
	assert_true(len > 0);
	assert_non_null(strstr(text, "[connect]\n"));
	struct client_config cfg;
	struct options o;
	assert_int_equal(options_init(&o, &client_option_table, &cfg), 0);
	assert_int_equal(options_parse_ini(&o, text, (size_t)len, "office.conf"), 0);
	assert_string_equal(cfg.server, "vpn.example.net");
	assert_string_equal(cfg.user, "DOM\\alice");
	assert_int_equal(cfg.route.count, 2);
	assert_string_equal(cfg.route.items[1], "203.0.113.0/24");
	assert_true(cfg.default_route);
	assert_string_equal(cfg.password, "p\"a#s s\\w\nord");
	options_destroy(&o);
	assert_int_equal(client_profile_format(text, 40, "office", keys, values, 5, NULL, NULL), ERR_NOSPACE);
}

static void secrets_from_the_file(void **state)
{
	(void)state;
	struct client_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	char password[16];
	uint8_t hash[16];
	bool has_hash;
	const unsigned mschap = AUTH_METHOD_BIT(AUTH_METHOD_MSCHAPV2) | AUTH_METHOD_BIT(AUTH_METHOD_MSCHAPV1);
	char hex[] = "8846f7eaee8fb117ad06bdd830b7586c";
	cfg.password_nt_hash = hex;
	assert_int_equal(client_profile_secret(&cfg, mschap, password, sizeof(password), hash, &has_hash), 0);
	assert_true(has_hash);
	assert_int_equal(hash[1], 0x46);
	/* an NT hash cannot answer PAP or CHAP-MD5 */
	assert_int_equal(client_profile_secret(&cfg, mschap | AUTH_METHOD_BIT(AUTH_METHOD_PAP), password,
					       sizeof(password), hash, &has_hash),
			 ERR_INVALID);
	char bad[] = "1234";
	cfg.password_nt_hash = bad;
	assert_int_equal(client_profile_secret(&cfg, mschap, password, sizeof(password), hash, &has_hash), ERR_INVALID);
	char plain[] = "secret";
	cfg.password = plain; /* wins over the hash */
	assert_int_equal(client_profile_secret(&cfg, mschap, password, sizeof(password), hash, &has_hash), 0);
	assert_false(has_hash);
	assert_string_equal(password, "secret");
	char too_long[] = "0123456789abcdefg";
	cfg.password = too_long;
	assert_int_equal(client_profile_secret(&cfg, mschap, password, sizeof(password), hash, &has_hash), ERR_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_stay_in_the_directory),
		cmocka_unit_test(nt_hash_text_round_trips),
		cmocka_unit_test(written_file_reads_back),
		cmocka_unit_test(secrets_from_the_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
