/* SPDX-License-Identifier: BSD-2-Clause */
/* The authenticator's Response check per algorithm (chap_verify.c): the
 * RFC 2759 §9.2 and RFC 2433 App. B.2 vectors accepted, and one row per way
 * a Response is refused, with its cause; a refusal never touches the MPPE
 * material. */
#include "support/test_support.h"

#include <string.h>

#include "base/crypto.h"
#include "proto/auth/auth.h"
#include "proto/auth/auth_wire.h"
#include "proto/auth/chap_verify.h"

enum secret_form { SECRET_PLAIN, SECRET_NT_HASH, SECRET_MISSING };

struct verify_case {
	const char *name;
	uint8_t algorithm;
	enum secret_form form;
	enum auth_cause cause;       /* AUTH_CAUSE_NONE: accepted */
	const char *password;        /* stored secret (plaintext, or hashed here) */
	const char *value_hex;       /* the Response Value as sent */
	const char *reason;          /* refused */
	const char *message;         /* accepted */
};

/* RFC 2759 §9.2: PeerChallenge | 8 reserved zero octets | NT-Response | Flags. */
#define V2_PEER "21402324255E262A28295F2B3A337C7E"
#define V2_NT "82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF"
#define V2_OK V2_PEER "0000000000000000" V2_NT "00"
#define V2_MSG "S=407A5589115FD0D6209F510FE9C04566932CDA56 M=Access granted"
/* RFC 2433 App. B.2: zero LM response | NT response | use-NT flag. */
#define V1_LM "000000000000000000000000000000000000000000000000"
#define V1_NT "4E9D3C8F9CFD385D5BF4D3246791956CA4C351AB409A3D61"
/* MD5(0x2a | "secret" | 00 01 .. 0f), RFC 1994 §4.1. */
#define MD5_OK "03dc98c5a832692b49df73cf48fcb4e9"

static const struct verify_case cases[] = {
	{ "v2 vector", AUTH_CHAP_MSCHAPV2, SECRET_PLAIN, AUTH_CAUSE_NONE, "clientPass", V2_OK, NULL, V2_MSG },
	{ "v2 vector, NT-hash secret", AUTH_CHAP_MSCHAPV2, SECRET_NT_HASH, AUTH_CAUSE_NONE, "clientPass",
	  V2_OK, NULL, V2_MSG },
	{ "v2 wrong password", AUTH_CHAP_MSCHAPV2, SECRET_PLAIN, AUTH_CAUSE_WRONG_PASSWORD, "clientPasS",
	  V2_OK, "wrong password", NULL },
	{ "v2 value 48 octets", AUTH_CHAP_MSCHAPV2, SECRET_PLAIN, AUTH_CAUSE_REJECTED, "clientPass",
	  V2_PEER "0000000000000000" V2_NT, "malformed MS-CHAPv2 response value", NULL },
	{ "v2 reserved not zero", AUTH_CHAP_MSCHAPV2, SECRET_PLAIN, AUTH_CAUSE_REJECTED, "clientPass",
	  V2_PEER "0000000000000001" V2_NT "00", "malformed MS-CHAPv2 response value", NULL },
	{ "v2 password not UTF-8", AUTH_CHAP_MSCHAPV2, SECRET_PLAIN, AUTH_CAUSE_NO_SECRET, "\xff",
	  V2_OK, "stored password is not valid UTF-8", NULL },
	{ "v2 no secret", AUTH_CHAP_MSCHAPV2, SECRET_MISSING, AUTH_CAUSE_NO_SECRET, "",
	  V2_OK, "stored password is not valid UTF-8", NULL },
	{ "v1 vector", AUTH_CHAP_MSCHAPV1, SECRET_PLAIN, AUTH_CAUSE_NONE, "MyPw",
	  V1_LM V1_NT "01", NULL, "Access granted" },
	{ "v1 vector, NT-hash secret", AUTH_CHAP_MSCHAPV1, SECRET_NT_HASH, AUTH_CAUSE_NONE, "MyPw",
	  V1_LM V1_NT "01", NULL, "Access granted" },
	{ "v1 wrong password", AUTH_CHAP_MSCHAPV1, SECRET_PLAIN, AUTH_CAUSE_WRONG_PASSWORD, "MyPW",
	  V1_LM V1_NT "01", "wrong password", NULL },
	{ "v1 LM only", AUTH_CHAP_MSCHAPV1, SECRET_PLAIN, AUTH_CAUSE_REJECTED, "MyPw",
	  V1_LM V1_NT "00", "peer sent only a LAN Manager response", NULL },
	{ "v1 value 48 octets", AUTH_CHAP_MSCHAPV1, SECRET_PLAIN, AUTH_CAUSE_REJECTED, "MyPw",
	  V1_LM V1_NT, "MS-CHAPv1 response of wrong size", NULL },
	{ "v1 password not UTF-8", AUTH_CHAP_MSCHAPV1, SECRET_PLAIN, AUTH_CAUSE_NO_SECRET, "\xc3",
	  V1_LM V1_NT "01", "stored password is not valid UTF-8", NULL },
	{ "md5", AUTH_CHAP_MD5, SECRET_PLAIN, AUTH_CAUSE_NONE, "secret", MD5_OK, NULL, "Access granted" },
	{ "md5 wrong password", AUTH_CHAP_MD5, SECRET_PLAIN, AUTH_CAUSE_WRONG_PASSWORD, "Secret",
	  MD5_OK, "wrong password", NULL },
	{ "md5 value 15 octets", AUTH_CHAP_MD5, SECRET_PLAIN, AUTH_CAUSE_WRONG_PASSWORD, "secret",
	  "03dc98c5a832692b49df73cf48fcb4", "wrong password", NULL },
	{ "md5 empty value", AUTH_CHAP_MD5, SECRET_PLAIN, AUTH_CAUSE_WRONG_PASSWORD, "secret",
	  "", "wrong password", NULL },
	{ "md5 NT-hash secret", AUTH_CHAP_MD5, SECRET_NT_HASH, AUTH_CAUSE_NO_SECRET, "secret",
	  MD5_OK, "secret is an NT hash; CHAP-MD5 needs the plaintext", NULL },
	{ "unknown algorithm", 0x42, SECRET_PLAIN, AUTH_CAUSE_REJECTED, "secret",
	  MD5_OK, "unknown CHAP algorithm", NULL },
};

static void challenge_for(uint8_t algorithm, uint8_t challenge[16], size_t *len)
{
	if (algorithm == AUTH_CHAP_MSCHAPV2)
		*len = test_hex("5B5D7C7D7B3F2F3E3C2C602132262628", challenge, 16);
	else if (algorithm == AUTH_CHAP_MSCHAPV1)
		*len = test_hex("102DB5DF085D3041", challenge, 16);
	else
		*len = test_hex("000102030405060708090A0B0C0D0E0F", challenge, 16);
}

static void secret_for(const struct verify_case *c, struct auth_secret *s)
{
	uint8_t hash[MSCHAP_NT_HASH_SIZE];

	memset(s, 0, sizeof(*s));
	if (c->form == SECRET_PLAIN) {
		assert_int_equal(auth_secret_set_password(s, c->password), 0);
	} else if (c->form == SECRET_NT_HASH) {
		assert_int_equal(mschap_nt_password_hash(c->password, strlen(c->password), hash), 0);
		auth_secret_set_nt_hash(s, hash);
	}
}

static void each_case_gets_its_verdict(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct verify_case *c = &cases[i];
		uint8_t challenge[16], value[64];
		size_t clen, vlen;
		struct auth_secret secret;
		struct auth_mppe_material mppe, untouched;
		struct chap_verdict v;

		print_message("case %s\n", c->name);
		challenge_for(c->algorithm, challenge, &clen);
		vlen = test_hex(c->value_hex, value, sizeof(value));
		secret_for(c, &secret);
		memset(&mppe, 0xa5, sizeof(mppe));
		untouched = mppe;
		memset(&v, 0x5a, sizeof(v));
		const struct chap_response_check in = {
			.id = 0x2a,
			.challenge = challenge,
			.challenge_len = clen,
			.user = "User",
			.value = value,
			.value_len = vlen,
			.secret = &secret,
		};
		chap_verify_response(c->algorithm, &in, &mppe, &v);
		assert_int_equal(v.cause, c->cause);
		if (c->cause != AUTH_CAUSE_NONE) {
			assert_string_equal(v.reason, c->reason);
			assert_memory_equal(&mppe, &untouched, sizeof(mppe));
			continue;
		}
		assert_string_equal(v.message, c->message);
		if (c->algorithm == AUTH_CHAP_MD5) {
			assert_memory_equal(&mppe, &untouched, sizeof(mppe));
			continue;
		}
		assert_true(mppe.valid);
		assert_true(mppe.is_server);
		assert_memory_equal(mppe.nt_response, value + 24, MSCHAP_NT_RESPONSE_SIZE);
	}
}

/* RFC 2759 §9.2 PasswordHashHash and RFC 3079 §2.1's LM hash: what MPPE
 * keys come from, only after acceptance. */
static void accepted_mschap_fills_key_material(void **state)
{
	(void)state;
	uint8_t challenge[16], value[64], want[16];
	size_t clen, vlen;
	struct auth_secret secret;
	struct auth_mppe_material mppe;
	struct chap_verdict v;

	memset(&mppe, 0, sizeof(mppe));
	challenge_for(AUTH_CHAP_MSCHAPV2, challenge, &clen);
	vlen = test_hex(V2_OK, value, sizeof(value));
	assert_int_equal(auth_secret_set_password(&secret, "clientPass"), 0);
	struct chap_response_check in = { 0x2a, challenge, clen, "User", value, vlen, &secret };
	chap_verify_response(AUTH_CHAP_MSCHAPV2, &in, &mppe, &v);
	assert_int_equal(v.cause, AUTH_CAUSE_NONE);
	test_hex("41C00C584BD2D91C4017A2A12FA59F3F", want, sizeof(want));
	assert_memory_equal(mppe.password_hash_hash, want, 16);
	assert_false(mppe.has_lm_password_hash);

	memset(&mppe, 0, sizeof(mppe));
	challenge_for(AUTH_CHAP_MSCHAPV1, challenge, &clen);
	vlen = test_hex(V1_LM V1_NT "01", value, sizeof(value));
	assert_int_equal(auth_secret_set_password(&secret, "MyPw"), 0);
	in = (struct chap_response_check){ 0x2a, challenge, clen, "User", value, vlen, &secret };
	chap_verify_response(AUTH_CHAP_MSCHAPV1, &in, &mppe, &v);
	assert_int_equal(v.cause, AUTH_CAUSE_NONE);
	assert_memory_equal(mppe.challenge, challenge, 8);
	assert_true(mppe.has_lm_password_hash);
	mschap_lm_password_hash("MyPw", 4, want);
	assert_memory_equal(mppe.lm_password_hash, want, 16);
	auth_secret_wipe(&secret);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_case_gets_its_verdict),
		cmocka_unit_test(accepted_mschap_fills_key_material),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
