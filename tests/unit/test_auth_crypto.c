/* SPDX-License-Identifier: BSD-2-Clause */
/* MS-CHAP crypto: RFC 2759 §9.2, RFC 2433 App. B.2 and the captured
 * pptp-linux <-> pptpd exchange, byte for byte. */
#include "support/test_support.h"

#include <string.h>

#include "base/crypto.h"
#include "base/error.h"
#include "proto/auth/mschap_crypto.h"

#include "../vectors/auth/capture_mschapv2.h"

static void rfc2759_hash_example(void **state)
{
	(void)state;
	uint8_t auth_chal[16], peer_chal[16], want[24], got[24], hash[16], hh[16], chal[8];
	char resp[MSCHAP_AUTH_RESPONSE_LEN + 1];
	uint8_t unicode[64];

	test_hex("5B 5D 7C 7D 7B 3F 2F 3E 3C 2C 60 21 32 26 26 28", auth_chal, sizeof(auth_chal));
	test_hex("21 40 23 24 25 5E 26 2A 28 29 5F 2B 3A 33 7C 7E", peer_chal, sizeof(peer_chal));

	/* Password in Unicode */
	assert_int_equal(mschap_utf8_to_utf16le("clientPass", 10, unicode, sizeof(unicode)), 20);
	test_hex("63 00 6C 00 69 00 65 00 6E 00 74 00 50 00 61 00 73 00 73 00", want, sizeof(want));
	assert_memory_equal(unicode, want, 20);

	/* ChallengeHash */
	mschap_challenge_hash(peer_chal, auth_chal, "User", chal);
	test_hex("D0 2E 43 86 BC E9 12 26", want, sizeof(want));
	assert_memory_equal(chal, want, 8);

	/* PasswordHash (MD4 of the unicode password) */
	assert_int_equal(mschap_nt_password_hash("clientPass", 10, hash), 0);
	test_hex("44 EB BA 8D 53 12 B8 D6 11 47 44 11 F5 69 89 AE", want, sizeof(want));
	assert_memory_equal(hash, want, 16);

	/* NT-Response, by password and by hash */
	assert_int_equal(mschapv2_generate_nt_response(auth_chal, peer_chal, "User", "clientPass", 10, got), 0);
	test_hex("82 30 9E CD 8D 70 8B 5E A0 8F AA 39 81 CD 83 54 42 33 11 4A 3D 85 D6 DF", want,
		 sizeof(want));
	assert_memory_equal(got, want, 24);
	memset(got, 0, sizeof(got));
	mschapv2_nt_response_from_hash(auth_chal, peer_chal, "User", hash, got);
	assert_memory_equal(got, want, 24);

	/* PasswordHashHash */
	mschap_hash_nt_password_hash(hash, hh);
	test_hex("41 C0 0C 58 4B D2 D9 1C 40 17 A2 A1 2F A5 9F 3F", want, sizeof(want));
	assert_memory_equal(hh, want, 16);

	/* AuthenticatorResponse */
	mschapv2_authenticator_response_from_hash(hash, got, peer_chal, auth_chal, "User", resp);
	assert_string_equal(resp, "S=407A5589115FD0D6209F510FE9C04566932CDA56");
	assert_true(mschapv2_check_authenticator_response(hash, got, peer_chal, auth_chal, "User", resp, 42));
	assert_true(mschapv2_check_authenticator_response(hash, got, peer_chal, auth_chal, "User",
							  "S=407a5589115fd0d6209f510fe9c04566932cda56", 42));
	resp[41] = '7';
	assert_false(mschapv2_check_authenticator_response(hash, got, peer_chal, auth_chal, "User", resp, 42));
	assert_false(mschapv2_check_authenticator_response(hash, got, peer_chal, auth_chal, "User", resp, 41));
}

static void challenge_hash_strips_domain(void **state)
{
	(void)state;
	uint8_t auth_chal[16], peer_chal[16], a[8], b[8];

	test_hex("5B 5D 7C 7D 7B 3F 2F 3E 3C 2C 60 21 32 26 26 28", auth_chal, sizeof(auth_chal));
	test_hex("21 40 23 24 25 5E 26 2A 28 29 5F 2B 3A 33 7C 7E", peer_chal, sizeof(peer_chal));
	mschap_challenge_hash(peer_chal, auth_chal, "User", a);
	mschap_challenge_hash(peer_chal, auth_chal, "EXAMPLE\\User", b);
	assert_memory_equal(a, b, 8);
	assert_string_equal(mschap_strip_domain("DOM\\u"), "u");
	assert_string_equal(mschap_strip_domain("u"), "u");
}

static void rfc2433_hash_example(void **state)
{
	(void)state;
	uint8_t chal[8], want[24], got[24], hash[16], unicode[16];

	test_hex("10 2D B5 DF 08 5D 30 41", chal, sizeof(chal));
	assert_int_equal(mschap_utf8_to_utf16le("MyPw", 4, unicode, sizeof(unicode)), 8);
	test_hex("4D 00 79 00 50 00 77 00", want, sizeof(want));
	assert_memory_equal(unicode, want, 8);
	assert_int_equal(mschap_nt_password_hash("MyPw", 4, hash), 0);
	test_hex("FC 15 6A F7 ED CD 6C 0E DD E3 33 7D 42 7F 4E AC", want, sizeof(want));
	assert_memory_equal(hash, want, 16);
	assert_int_equal(mschapv1_nt_response(chal, "MyPw", 4, got), 0);
	test_hex("4E 9D 3C 8F 9C FD 38 5D 5B F4 D3 24 67 91 95 6C A4 C3 51 AB 40 9A 3D 61", want,
		 sizeof(want));
	assert_memory_equal(got, want, 24);
	memset(got, 0, sizeof(got));
	mschapv1_nt_response_from_hash(chal, hash, got);
	assert_memory_equal(got, want, 24);
}

static void utf8_to_utf16le_converts_and_rejects(void **state)
{
	(void)state;
	uint8_t out[64], want[64];
	/* "pé€😀": 1-, 2-, 3- and 4-byte UTF-8 (surrogate pair); checked
	 * against Python's str.encode("utf-16-le"). */
	const char s[] = "\x70\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";
	size_t n = test_hex("7000e900ac203dd800de", want, sizeof(want));

	assert_int_equal(mschap_utf8_to_utf16le(s, strlen(s), out, sizeof(out)), (int)n);
	assert_memory_equal(out, want, n);

	static const struct {
		const char *in;
		int err;
	} bad[] = {
		{ "\x80", ERR_MALFORMED },              /* lone continuation */
		{ "\xc3", ERR_MALFORMED },              /* truncated */
		{ "\xc0\xaf", ERR_MALFORMED },          /* overlong */
		{ "\xed\xa0\x80", ERR_MALFORMED },      /* surrogate */
		{ "\xf4\x90\x80\x80", ERR_MALFORMED },  /* > U+10FFFF */
		{ "\xff", ERR_MALFORMED },
		{ "\xe2\x28\xa1", ERR_MALFORMED },      /* bad continuation */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(mschap_utf8_to_utf16le(bad[i].in, strlen(bad[i].in), out, sizeof(out)),
				 bad[i].err);
	assert_int_equal(mschap_utf8_to_utf16le("abc", 3, out, 5), ERR_LENGTH);

	char longpw[300];
	memset(longpw, 'a', sizeof(longpw));
	uint8_t hash[16];
	assert_int_equal(mschap_nt_password_hash(longpw, 256, hash), 0);
	assert_int_equal(mschap_nt_password_hash(longpw, 257, hash), ERR_LENGTH);
	assert_int_equal(mschap_nt_password_hash("\xff", 1, hash), ERR_MALFORMED);
	/* The empty password is MD4 of nothing. */
	assert_int_equal(mschap_nt_password_hash("", 0, hash), 0);
	test_hex("31d6cfe0d16ae931b73c59d7e0c089c0", want, sizeof(want));
	assert_memory_equal(hash, want, 16);
}

/* The capture: recompute pptp-linux's NT-Response and pptpd's S= from the
 * captured challenges and the known password. */
static void capture_recomputes_byte_for_byte(void **state)
{
	(void)state;
	const uint8_t *auth_chal = capture_challenge + 5;
	const uint8_t *peer_chal = capture_response + 5;
	const uint8_t *nt_resp = capture_response + 5 + 16 + 8;
	uint8_t got[24], hash[16];
	char resp[MSCHAP_AUTH_RESPONSE_LEN + 1];

	assert_int_equal(mschapv2_generate_nt_response(auth_chal, peer_chal, CAPTURE_USER, CAPTURE_PASSWORD,
						       strlen(CAPTURE_PASSWORD), got), 0);
	assert_memory_equal(got, nt_resp, 24);
	assert_int_equal(mschap_nt_password_hash(CAPTURE_PASSWORD, strlen(CAPTURE_PASSWORD), hash), 0);
	mschapv2_authenticator_response_from_hash(hash, got, peer_chal, auth_chal, CAPTURE_USER, resp);
	assert_memory_equal(resp, capture_success + 4, MSCHAP_AUTH_RESPONSE_LEN);
	assert_true(mschapv2_check_authenticator_response(hash, got, peer_chal, auth_chal, CAPTURE_USER,
							  (const char *)capture_success + 4, 42));
}

/* LmPasswordHash (RFC 2433 §A.2): the well-known LM hash of "password";
 * case-insensitive, 14 bytes at most. */
static void lm_password_hash(void **state)
{
	(void)state;
	uint8_t got[16], again[16], want[16];

	mschap_lm_password_hash("password", 8, got);
	test_hex("E52CAC67419A9A224A3B108F3FA6CB6D", want, sizeof(want));
	assert_memory_equal(got, want, 16);
	mschap_lm_password_hash("PassWord", 8, again);
	assert_memory_equal(again, want, 16);
	/* the empty password */
	mschap_lm_password_hash("", 0, got);
	test_hex("AAD3B435B51404EEAAD3B435B51404EE", want, sizeof(want));
	assert_memory_equal(got, want, 16);
	mschap_lm_password_hash("abcdefghijklmnXYZ", 17, got);
	mschap_lm_password_hash("ABCDEFGHIJKLMN", 14, again);
	assert_memory_equal(got, again, 16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc2759_hash_example),
		cmocka_unit_test(challenge_hash_strips_domain),
		cmocka_unit_test(rfc2433_hash_example),
		cmocka_unit_test(utf8_to_utf16le_converts_and_rejects),
		cmocka_unit_test(capture_recomputes_byte_for_byte),
		cmocka_unit_test(lm_password_hash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
