/* SPDX-License-Identifier: BSD-2-Clause */
/* The golden test of issue 14 §4: the RFC 2759 §9.2 exchange carried in
 * RADIUS (MS-CHAP-Challenge + MS-CHAP2-Response), answered the way a RADIUS
 * server answers it, and decoded by our client: MS-CHAP2-Success must be
 * RFC 2759's "S=407A..." and the RFC 2548 MS-MPPE-Send-Key / -Recv-Key must
 * decrypt to RFC 3079 §3.5.3's 8b7cdc14... and d5f0e952... byte for byte.
 * Plus 32-byte keys (EAP-TLS), MS-CHAP-MPPE-Keys (MS-CHAPv1), and EAP
 * fragmentation. */
#include "support/test_support.h"

#include <string.h>

#include "base/crypto.h"
#include "proto/auth/mschap_crypto.h"
#include "proto/mppe/mppe_keys.h"
#include "proto/radius/radius_build.h"
#include "proto/radius/radius_hide.h"
#include "proto/radius/radius_mschap.h"
#include "proto/radius/radius_packet.h"
#include "proto/radius/radius_sign.h"

static const uint8_t secret[] = "testing123";
#define SECRET secret, sizeof(secret) - 1

static const char *auth_challenge_hex = "5B5D7C7D7B3F2F3E3C2C602132262628";
static const char *peer_challenge_hex = "21402324255E262A28295F2B3A337C7E";
static const char *nt_response_hex = "82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF";
static const char *nt_hash_hex = "44EBBA8D5312B8D611474411F56989AE";
static const char *send_key_hex = "8b7cdc149b993a1ba118cb153f56dccb";
static const char *recv_key_hex = "d5f0e9521e3ea9589645e86051c82226";
static const char auth_response[] = "S=407A5589115FD0D6209F510FE9C04566932CDA56";

struct vectors {
	uint8_t auth_challenge[16], peer_challenge[16], nt_response[24], nt_hash[16];
	uint8_t send_key[16], recv_key[16];
};

static void load(struct vectors *v)
{
	test_hex(auth_challenge_hex, v->auth_challenge, 16);
	test_hex(peer_challenge_hex, v->peer_challenge, 16);
	test_hex(nt_response_hex, v->nt_response, 24);
	test_hex(nt_hash_hex, v->nt_hash, 16);
	test_hex(send_key_hex, v->send_key, 16);
	test_hex(recv_key_hex, v->recv_key, 16);
}

/* What the RADIUS server does: check the request, derive the keys from the
 * NT hash it knows (RFC 3079 §3.4, server side), answer with the
 * MS-CHAP2-Success and the keys hidden per RFC 2548 §2.4.2-3. */
static size_t fake_server_accept(const uint8_t *req, size_t req_len, uint8_t *out, size_t cap)
{
	struct radius_packet p;
	assert_int_equal(radius_packet_parse(req, req_len, &p), RADIUS_PARSE_OK);
	assert_int_equal(radius_verify_request(&p, SECRET), RADIUS_VERDICT_OK);
	struct radius_attr user, chal, resp;
	assert_true(radius_find(&p, 0, RADIUS_ATTR_USER_NAME, &user));
	assert_true(radius_find(&p, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_CHAP_CHALLENGE, &chal));
	assert_true(radius_find(&p, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_CHAP2_RESPONSE, &resp));
	assert_int_equal(chal.len, 16);
	assert_int_equal(resp.len, RADIUS_MSCHAP2_RESPONSE_SIZE);
	char name[64] = { 0 };
	memcpy(name, user.value, user.len);

	struct vectors v;
	load(&v);
	uint8_t nt_response[24];
	mschapv2_nt_response_from_hash(chal.value, resp.value + 2, name, v.nt_hash, nt_response);
	assert_memory_equal(nt_response, resp.value + 26, 24);

	uint8_t hash_hash[16], send[16], recv[16];
	crypto_md4(v.nt_hash, 16, hash_hash);
	assert_int_equal(mppe_keys_from_mschapv2(hash_hash, nt_response, true, 128, send, recv), 0);
	char success[43];
	mschapv2_authenticator_response_from_hash(v.nt_hash, nt_response, resp.value + 2, chal.value, name, success);

	struct radius_builder b;
	radius_build_begin(&b, out, cap, RADIUS_ACCESS_ACCEPT, p.id, NULL);
	uint8_t s[1 + 42];
	s[0] = resp.value[0];
	memcpy(s + 1, success, 42);
	radius_put_vsa(&b.w, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_CHAP2_SUCCESS, s, sizeof(s));
	uint8_t enc[RADIUS_MPPE_ATTR_MAX];
	size_t n = radius_mppe_key_encrypt(SECRET, p.authenticator, 0x8123, send, 16, enc, sizeof(enc));
	assert_int_equal(n, 2 + 32);
	radius_put_vsa(&b.w, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_MPPE_SEND_KEY, enc, n);
	n = radius_mppe_key_encrypt(SECRET, p.authenticator, 0x8456, recv, 16, enc, sizeof(enc));
	radius_put_vsa(&b.w, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_MPPE_RECV_KEY, enc, n);
	radius_put_u32(&b.w, RADIUS_ATTR_FRAMED_IP_ADDRESS, 0xCB007105); /* 203.0.113.5 */
	radius_put_message_auth(&b.w);
	size_t len = radius_build_end(&b);
	assert_true(len > 0);
	assert_true(radius_sign_reply(out, len, p.authenticator, SECRET));
	return len;
}

static void rfc2759_9_2_through_radius_gives_rfc3079_keys(void **state)
{
	(void)state;
	struct vectors v;
	load(&v);
	uint8_t request_auth[16];
	for (int i = 0; i < 16; i++)
		request_auth[i] = (uint8_t)(0xA0 + i);

	uint8_t req[512];
	struct radius_builder b;
	radius_build_begin(&b, req, sizeof(req), RADIUS_ACCESS_REQUEST, 7, request_auth);
	radius_put_string(&b.w, RADIUS_ATTR_USER_NAME, "User");
	radius_put_mschap2(&b.w, 0x2a, v.auth_challenge, v.peer_challenge, v.nt_response);
	radius_put_message_auth(&b.w);
	size_t req_len = radius_build_end(&b);
	assert_true(radius_sign_request(req, req_len, SECRET));

	uint8_t rep[512];
	size_t rep_len = fake_server_accept(req, req_len, rep, sizeof(rep));

	/* Our client side. */
	struct radius_packet p;
	assert_int_equal(radius_packet_parse(rep, rep_len, &p), RADIUS_PARSE_OK);
	assert_int_equal(radius_verify_reply(&p, RADIUS_ACCESS_REQUEST, request_auth, SECRET), RADIUS_VERDICT_OK);
	struct radius_mschap_message m;
	assert_true(radius_mschap2_success(&p, &m));
	assert_int_equal(m.ident, 0x2a);
	assert_int_equal(m.len, 42);
	assert_memory_equal(m.text, auth_response, 42);

	struct radius_attr a;
	uint8_t key[64];
	size_t key_len;
	assert_true(radius_find(&p, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_MPPE_SEND_KEY, &a));
	assert_int_equal(radius_mppe_key_decrypt(SECRET, request_auth, a.value, a.len, key, sizeof(key), &key_len),
			 RADIUS_MPPE_KEY_OK);
	assert_int_equal(key_len, 16);
	assert_memory_equal(key, v.send_key, 16);
	assert_true(radius_find(&p, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_MPPE_RECV_KEY, &a));
	assert_int_equal(radius_mppe_key_decrypt(SECRET, request_auth, a.value, a.len, key, sizeof(key), &key_len),
			 RADIUS_MPPE_KEY_OK);
	assert_int_equal(key_len, 16);
	assert_memory_equal(key, v.recv_key, 16);

	/* The same keys with the wrong secret or Request Authenticator are garbage. */
	request_auth[0] ^= 1;
	enum radius_mppe_key_result r =
		radius_mppe_key_decrypt(SECRET, request_auth, a.value, a.len, key, sizeof(key), &key_len);
	assert_true(r != RADIUS_MPPE_KEY_OK || key_len != 16 || memcmp(key, v.recv_key, 16) != 0);
}

static void mppe_key_32_bytes_and_malformed(void **state)
{
	(void)state;
	uint8_t ra[16] = { 0 }, k32[32], out[64], enc[RADIUS_MPPE_ATTR_MAX];
	size_t klen;
	for (int i = 0; i < 32; i++)
		k32[i] = (uint8_t)(i * 7 + 1);
	size_t n = radius_mppe_key_encrypt(SECRET, ra, 0x0001, k32, 32, enc, sizeof(enc));
	assert_int_equal(n, 2 + 48);
	assert_true(enc[0] & 0x80); /* high bit forced (RFC 2548 §2.4.2) */
	assert_int_equal(radius_mppe_key_decrypt(SECRET, ra, enc, n, out, sizeof(out), &klen), RADIUS_MPPE_KEY_OK);
	assert_int_equal(klen, 32);
	assert_memory_equal(out, k32, 32);
	/* Malformed: short, not whole blocks, salt high bit clear, key over the cap. */
	assert_int_equal(radius_mppe_key_decrypt(SECRET, ra, enc, 17, out, sizeof(out), &klen), RADIUS_MPPE_KEY_SHORT);
	assert_int_equal(radius_mppe_key_decrypt(SECRET, ra, enc, n - 1, out, sizeof(out), &klen),
			 RADIUS_MPPE_KEY_NOT_BLOCKS);
	assert_int_equal(radius_mppe_key_decrypt(SECRET, ra, enc, n, out, 16, &klen), RADIUS_MPPE_KEY_BAD_LENGTH);
	enc[0] &= 0x7f;
	assert_int_equal(radius_mppe_key_decrypt(SECRET, ra, enc, n, out, sizeof(out), &klen),
			 RADIUS_MPPE_KEY_BAD_SALT);
}

static void mschap_mppe_keys_round_trip(void **state)
{
	(void)state;
	uint8_t ra[16], lm[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, nt[16], enc[32], lm2[8], nt2[16];
	memset(ra, 0x5a, sizeof(ra));
	test_hex(nt_hash_hex, nt, 16);
	radius_mschap_mppe_keys_encrypt(SECRET, ra, lm, nt, enc);
	assert_true(radius_mschap_mppe_keys_decrypt(SECRET, ra, enc, 32, lm2, nt2));
	assert_memory_equal(lm, lm2, 8);
	assert_memory_equal(nt, nt2, 16);
	assert_false(radius_mschap_mppe_keys_decrypt(SECRET, ra, enc, 31, lm2, nt2));
}

static void password_hiding_round_trip_all_lengths(void **state)
{
	(void)state;
	uint8_t ra[16], pw[128], hidden[128], back[128];
	for (int i = 0; i < 16; i++)
		ra[i] = (uint8_t)(i * 31);
	for (size_t len = 1; len <= 128; len++) {
		for (size_t i = 0; i < len; i++)
			pw[i] = (uint8_t)('a' + (i + len) % 26);
		size_t h = radius_password_hide(SECRET, ra, pw, len, hidden, sizeof(hidden));
		assert_int_equal(h, (len + 15) / 16 * 16);
		assert_int_equal(radius_password_reveal(SECRET, ra, hidden, h, back, sizeof(back)), (int)len);
		assert_memory_equal(back, pw, len);
	}
	assert_int_equal(radius_password_hide(SECRET, ra, pw, 129, hidden, sizeof(hidden)), 0);
	assert_int_equal(radius_password_reveal(SECRET, ra, hidden, 15, back, sizeof(back)), -1);
}

static void eap_fragmented_and_reassembled(void **state)
{
	(void)state;
	uint8_t eap[600], buf[1024], back[1024];
	eap[0] = 1;
	eap[1] = 9;
	eap[2] = 600 >> 8;
	eap[3] = 600 & 0xff;
	for (size_t i = 4; i < sizeof(eap); i++)
		eap[i] = (uint8_t)i;
	struct radius_builder b;
	radius_build_begin(&b, buf, sizeof(buf), RADIUS_ACCESS_CHALLENGE, 1, NULL);
	radius_put_eap_message(&b.w, eap, sizeof(eap));
	radius_put_string(&b.w, RADIUS_ATTR_STATE, "state-1");
	size_t n = radius_build_end(&b);
	struct radius_packet p;
	assert_int_equal(radius_packet_parse(buf, n, &p), RADIUS_PARSE_OK);
	assert_int_equal(radius_count(&p, 0, RADIUS_ATTR_EAP_MESSAGE), 3); /* 253 + 253 + 94 */
	assert_int_equal(radius_eap_reassemble(&p, back, sizeof(back)), 600);
	assert_memory_equal(back, eap, 600);
	assert_int_equal(radius_eap_reassemble(&p, back, 599), -1);
	/* An EAP Length that does not match the pieces. */
	eap[3] = 0x57;
	radius_build_begin(&b, buf, sizeof(buf), RADIUS_ACCESS_CHALLENGE, 1, NULL);
	radius_put_eap_message(&b.w, eap, sizeof(eap));
	n = radius_build_end(&b);
	assert_int_equal(radius_packet_parse(buf, n, &p), RADIUS_PARSE_OK);
	assert_int_equal(radius_eap_reassemble(&p, back, sizeof(back)), -1);
}

static void mschap_error_parsed(void **state)
{
	(void)state;
	uint8_t buf[256];
	struct radius_builder b;
	radius_build_begin(&b, buf, sizeof(buf), RADIUS_ACCESS_REJECT, 1, NULL);
	static const char err[] = "\x05"
				  "E=691 R=1 C=00112233445566778899AABBCCDDEEFF V=3 M=Authentication failed";
	radius_put_vsa(&b.w, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_CHAP_ERROR, err, sizeof(err) - 1);
	size_t n = radius_build_end(&b);
	struct radius_packet p;
	assert_int_equal(radius_packet_parse(buf, n, &p), RADIUS_PARSE_OK);
	struct radius_mschap_message m;
	unsigned code;
	assert_true(radius_mschap_error(&p, &m, &code));
	assert_int_equal(m.ident, 5);
	assert_int_equal(code, 691);
	assert_false(radius_mschap2_success(&p, &m));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc2759_9_2_through_radius_gives_rfc3079_keys),
		cmocka_unit_test(mppe_key_32_bytes_and_malformed),
		cmocka_unit_test(mschap_mppe_keys_round_trip),
		cmocka_unit_test(password_hiding_round_trip_all_lengths),
		cmocka_unit_test(eap_fragmented_and_reassembled),
		cmocka_unit_test(mschap_error_parsed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
