/* SPDX-License-Identifier: BSD-2-Clause */
/* MPPE key derivation: every value RFC 3079 §2.5 and §3.5 print. */
#include "support/test_support.h"

#include <string.h>

#include "base/crypto.h"
#include "base/error.h"
#include "proto/mppe/mppe.h"
#include "proto/mppe/mppe_keys.h"

static void nt_password_hash(const char *password, uint8_t out[16])
{
	uint8_t unicode[256];
	size_t n = strlen(password);
	for (size_t i = 0; i < n; i++) {
		unicode[2 * i] = (uint8_t)password[i];
		unicode[2 * i + 1] = 0;
	}
	crypto_md4(unicode, 2 * n, out);
}

static void assert_hex(const uint8_t *got, const char *hex)
{
	uint8_t want[64];
	size_t n = test_hex(hex, want, sizeof(want));
	assert_memory_equal(got, want, n);
}

/* The initial session key of a direction = what mppe_tx_init computes. */
static void initial_session_key(const uint8_t start[16], unsigned bits, uint8_t out[16])
{
	struct mppe_tx tx;
	struct mppe_config cfg = { .key_bits = bits, .stateless = true };
	assert_int_equal(mppe_tx_init(&tx, &cfg, start), 0);
	memcpy(out, tx.keys.session_key, tx.keys.key_len);
	mppe_tx_wipe(&tx);
}

static void rc4_test_message(const uint8_t *key, size_t len, uint8_t out[12])
{
	struct crypto_rc4 rc4;
	crypto_rc4_init(&rc4, key, len);
	crypto_rc4_crypt(&rc4, out, (const uint8_t *)"test message", 12);
}

static const char *v2_hash_hash = "41 C0 0C 58 4B D2 D9 1C 40 17 A2 A1 2F A5 9F 3F";
static const char *v2_nt_response = "82 30 9E CD 8D 70 8B 5E A0 8F AA 39 81 CD 83 54 42 33 11 4A 3D 85 D6 DF";

static void rfc3079_3_5_mschapv2_steps(void **state)
{
	(void)state;
	uint8_t pwhash[16], hh[16], nt[24], master[16], start[16];
	nt_password_hash("clientPass", pwhash);
	assert_hex(pwhash, "44 EB BA 8D 53 12 B8 D6 11 47 44 11 F5 69 89 AE");
	crypto_md4(pwhash, 16, hh);
	assert_hex(hh, v2_hash_hash);
	test_hex(v2_nt_response, nt, sizeof(nt));
	mppe_get_master_key(hh, nt, master);
	assert_hex(master, "FD EC E3 71 7A 8C 83 8C B3 88 E5 27 AE 3C DD 31");
	/* §3.1-§3.3 call GetAsymmetricStartKey(.., TRUE, TRUE): the server's send key. */
	mppe_get_asymmetric_start_key(master, start, 8, true, true);
	assert_hex(start, "8B 7C DC 14 9B 99 3A 1B");
	mppe_get_asymmetric_start_key(master, start, 16, true, true);
	assert_hex(start, "8B 7C DC 14 9B 99 3A 1B A1 18 CB 15 3F 56 DC CB");
}

static void rfc3079_3_5_session_keys_and_sample_encryption(void **state)
{
	(void)state;
	uint8_t hh[16], nt[24], send[16], recv[16], key[16], out[12];
	test_hex(v2_hash_hash, hh, sizeof(hh));
	test_hex(v2_nt_response, nt, sizeof(nt));

	/* §3.5.1: 40-bit. */
	assert_int_equal(mppe_keys_from_mschapv2(hh, nt, true, 40, send, recv), 0);
	assert_hex(send, "8B 7C DC 14 9B 99 3A 1B");
	initial_session_key(send, 40, key);
	assert_hex(key, "D1 26 9E C4 9F A6 2E 3E");
	rc4_test_message(key, 8, out);
	assert_hex(out, "92 91 37 91 7E 58 03 D6 68 D7 58 98");

	/* §3.5.2: 56-bit (the RFC labels the sample "SendSessionKey40"; it is
	 * the 56-bit key that produces it). */
	assert_int_equal(mppe_keys_from_mschapv2(hh, nt, true, 56, send, recv), 0);
	assert_hex(send, "8B 7C DC 14 9B 99 3A 1B");
	initial_session_key(send, 56, key);
	assert_hex(key, "D1 5C 00 C4 9F A6 2E 3E");
	rc4_test_message(key, 8, out);
	/* The RFC prints the last byte as 58; RC4 with the key it prints gives
	 * B8 (the other 11 bytes agree), so we take that as a misprint. */
	assert_hex(out, "3F 10 68 33 FA 44 8D A8 42 BC 57 B8");

	/* §3.5.3: 128-bit. */
	assert_int_equal(mppe_keys_from_mschapv2(hh, nt, true, 128, send, recv), 0);
	assert_hex(send, "8B 7C DC 14 9B 99 3A 1B A1 18 CB 15 3F 56 DC CB");
	initial_session_key(send, 128, key);
	assert_hex(key, "40 5C B2 24 7A 79 56 E6 E2 11 00 7A E2 7B 22 D4");
	rc4_test_message(key, 16, out);
	assert_hex(out, "81 84 83 17 DF 68 84 62 72 FB 5A BE");

	/* The client's keys are the server's, swapped (RFC 3079 §3.4 magics). */
	uint8_t csend[16], crecv[16];
	assert_int_equal(mppe_keys_from_mschapv2(hh, nt, false, 128, csend, crecv), 0);
	assert_memory_equal(crecv, send, 16);
	assert_memory_equal(csend, recv, 16);
	assert_memory_not_equal(send, recv, 16);
}

static void rfc3079_2_5_mschapv1(void **state)
{
	(void)state;
	uint8_t lm[16], send[16], recv[16], key[16], pwhash[16], hh[16], challenge[8];

	/* §2.5.1 / §2.5.2: from the LAN Manager hash. */
	test_hex("76 a1 52 93 60 96 d7 83 0e 23 90 22 74 04 af d2", lm, sizeof(lm));
	assert_int_equal(mppe_keys_from_lm_hash(lm, 40, send, recv), 0);
	mppe_get_new_key_from_sha(send, send, 8, key);
	assert_hex(key, "d8 08 01 53 8c ec 4a 08"); /* Step 3 */
	initial_session_key(send, 40, key);
	assert_hex(key, "d1 26 9e 53 8c ec 4a 08");
	assert_int_equal(mppe_keys_from_lm_hash(lm, 56, send, recv), 0);
	initial_session_key(send, 56, key);
	assert_hex(key, "d1 08 01 53 8c ec 4a 08");
	assert_int_equal(mppe_keys_from_lm_hash(lm, 128, send, recv), ERR_INVALID);

	/* §2.5.3: 128-bit from the NT hash and the challenge. The RFC prints
	 * InitialSessionKey byte 7 as "ca" in Step 3 and "c1" in Step 4; SHA-1
	 * gives c1, and only c1 leads to the printed CurrentSessionKey. */
	nt_password_hash("clientPass", pwhash);
	assert_hex(pwhash, "44 eb ba 8d 53 12 b8 d6 11 47 44 11 f5 69 89 ae");
	crypto_md4(pwhash, 16, hh);
	assert_hex(hh, "41 c0 0c 58 4b d2 d9 1c 40 17 a2 a1 2f a5 9f 3f");
	test_hex("10 2d b5 df 08 5d 30 41", challenge, sizeof(challenge));
	assert_int_equal(mppe_keys_from_mschapv1(hh, challenge, 128, send, recv), 0);
	assert_hex(send, "a8 94 78 50 cf c0 ac c1 d1 78 9f b6 2d dc dd b0");
	assert_memory_equal(send, recv, 16);
	initial_session_key(send, 128, key);
	assert_hex(key, "59 d1 59 bc 09 f7 6f 1d a2 a8 6a 28 ff ec 0b 1e");
}

static void raw_keys_and_bad_arguments(void **state)
{
	(void)state;
	uint8_t k16[16], k8[8], send[16], recv[16], hh[16] = { 0 }, nt[24] = { 0 };
	memset(k16, 0x11, sizeof(k16));
	memset(k8, 0x22, sizeof(k8));
	assert_int_equal(mppe_keys_from_raw(k16, 16, k16, 16, 128, send, recv), 0);
	assert_memory_equal(send, k16, 16);
	assert_int_equal(mppe_keys_from_raw(k8, 8, k16, 16, 40, send, recv), 0);
	assert_memory_equal(send, k8, 8);
	assert_int_equal(mppe_keys_from_raw(k8, 8, k16, 16, 128, send, recv), ERR_LENGTH);
	assert_int_equal(mppe_keys_from_raw(k16, 16, k16, 16, 64, send, recv), ERR_INVALID);
	assert_int_equal(mppe_keys_from_mschapv2(hh, nt, true, 0, send, recv), ERR_INVALID);
	assert_int_equal(mppe_keys_from_mschapv1(hh, nt, 129, send, recv), ERR_INVALID);
	assert_int_equal(mppe_key_len(40), 8);
	assert_int_equal(mppe_key_len(56), 8);
	assert_int_equal(mppe_key_len(128), 16);
	assert_int_equal(mppe_key_len(64), 0);
	struct mppe_tx tx;
	struct mppe_config cfg = { .key_bits = 64 };
	assert_int_equal(mppe_tx_init(&tx, &cfg, k16), ERR_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc3079_3_5_mschapv2_steps),
		cmocka_unit_test(rfc3079_3_5_session_keys_and_sample_encryption),
		cmocka_unit_test(rfc3079_2_5_mschapv1),
		cmocka_unit_test(raw_keys_and_bad_arguments),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
