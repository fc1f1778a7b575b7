/* SPDX-License-Identifier: BSD-2-Clause */
/* PAP / CHAP / MS-CHAP / EAP parsers: good packets and a table of
 * malformed ones with the error each must give. */
#include "support/test_support.h"

#include <string.h>

#include "base/error.h"
#include "proto/auth/auth_wire.h"

#include "../vectors/auth/capture_mschapv2.h"

struct bad_case {
	const char *name;
	const char *hex;
	int err;
};

static size_t hex_or_empty(const char *hex, uint8_t *out, size_t cap)
{
	return hex[0] ? test_hex(hex, out, cap) : 0;
}

static void pap_good(void **state)
{
	(void)state;
	uint8_t buf[64];
	struct pap_packet p;
	/* Request id 7: "bob" / "pw", then padding past Length */
	size_t n = test_hex("01 07 000b 03 626f62 02 7077 ffff", buf, sizeof(buf));
	assert_int_equal(pap_parse(buf, n, &p), 0);
	assert_int_equal(p.code, PAP_AUTH_REQUEST);
	assert_int_equal(p.id, 7);
	assert_int_equal(p.peer_id_len, 3);
	assert_memory_equal(p.peer_id, "bob", 3);
	assert_int_equal(p.password_len, 2);
	assert_memory_equal(p.password, "pw", 2);
	n = test_hex("02 07 0007 02 6f6b", buf, sizeof(buf));
	assert_int_equal(pap_parse(buf, n, &p), 0);
	assert_int_equal(p.code, PAP_AUTH_ACK);
	assert_int_equal(p.message_len, 2);
	/* empty peer-id and password are well formed */
	n = test_hex("01 01 0006 00 00", buf, sizeof(buf));
	assert_int_equal(pap_parse(buf, n, &p), 0);
}

static void pap_malformed(void **state)
{
	(void)state;
	static const struct bad_case cases[] = {
		{ "empty", "", ERR_TRUNCATED },
		{ "short header", "01 01 00", ERR_TRUNCATED },
		{ "length below header", "01 01 0003", ERR_LENGTH },
		{ "length past buffer", "01 01 0010 00 00", ERR_TRUNCATED },
		{ "peer-id past length", "01 01 0006 05 00", ERR_TRUNCATED },
		{ "password past length", "01 01 0008 01 61 05 00", ERR_TRUNCATED },
		{ "no passwd-length", "01 01 0006 01 61", ERR_TRUNCATED },
		{ "request body missing", "01 01 0004", ERR_TRUNCATED },
		{ "ack without msg-length", "02 01 0004", ERR_TRUNCATED },
		{ "nak message past length", "03 01 0006 09 61", ERR_TRUNCATED },
		{ "unknown code", "04 01 0004", ERR_UNKNOWN_TYPE },
		{ "code zero", "00 01 0004", ERR_UNKNOWN_TYPE },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t buf[64];
		struct pap_packet p;
		size_t n = hex_or_empty(cases[i].hex, buf, sizeof(buf));
		int rc = pap_parse(buf, n, &p);
		if (rc != cases[i].err)
			fail_msg("PAP case \"%s\": got %s, want %s", cases[i].name, error_name(rc),
				 error_name(cases[i].err));
	}
}

static void chap_good(void **state)
{
	(void)state;
	struct chap_packet p;

	assert_int_equal(chap_parse(capture_challenge, sizeof(capture_challenge), &p), 0);
	assert_int_equal(p.code, CHAP_CHALLENGE);
	assert_int_equal(p.id, 0xf4);
	assert_int_equal(p.value_len, 16);
	assert_int_equal(p.name_len, 5);
	assert_memory_equal(p.name, "pptpd", 5);

	assert_int_equal(chap_parse(capture_response, sizeof(capture_response), &p), 0);
	assert_int_equal(p.code, CHAP_RESPONSE);
	assert_int_equal(p.value_len, 49);
	assert_memory_equal(p.name, "testuser", 8);
	struct mschapv2_response r;
	assert_int_equal(mschapv2_response_parse(p.value, p.value_len, &r), 0);
	assert_memory_equal(r.peer_challenge, capture_response + 5, 16);
	assert_memory_equal(r.nt_response, capture_response + 29, 24);
	assert_int_equal(r.flags, 0);

	assert_int_equal(chap_parse(capture_success, sizeof(capture_success), &p), 0);
	assert_int_equal(p.code, CHAP_SUCCESS);
	const char *authresp;
	assert_int_equal(mschapv2_success_parse(p.message, p.message_len, &authresp), 0);
	assert_memory_equal(authresp, "S=057C7D47C17FAD238CA41376F2D360566886A63E", 42);
	/* bare S= without M= is accepted */
	assert_int_equal(mschapv2_success_parse(p.message, 42, &authresp), 0);
}

static void chap_malformed(void **state)
{
	(void)state;
	static const struct bad_case cases[] = {
		{ "empty", "", ERR_TRUNCATED },
		{ "length below header", "01 01 0002 00", ERR_LENGTH },
		{ "length past buffer", "01 01 0020 10 00", ERR_TRUNCATED },
		{ "challenge without value-size", "01 01 0004", ERR_TRUNCATED },
		{ "value-size zero", "01 01 0005 00", ERR_MALFORMED },
		{ "value past length", "01 01 0007 08 0102", ERR_TRUNCATED },
		{ "value-size past length, bytes after", "02 01 0006 05 01 02 03 04 05", ERR_TRUNCATED },
		{ "unknown code 5", "05 01 0004", ERR_UNKNOWN_TYPE },
		{ "change-password code 7", "07 01 0004", ERR_UNKNOWN_TYPE },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t buf[64];
		struct chap_packet p;
		size_t n = hex_or_empty(cases[i].hex, buf, sizeof(buf));
		int rc = chap_parse(buf, n, &p);
		if (rc != cases[i].err)
			fail_msg("CHAP case \"%s\": got %s, want %s", cases[i].name, error_name(rc),
				 error_name(cases[i].err));
	}
}

static void mschap_values_malformed(void **state)
{
	(void)state;
	uint8_t v[60];
	struct mschapv1_response r1;
	struct mschapv2_response r2;

	memset(v, 0, sizeof(v));
	assert_int_equal(mschapv1_response_parse(v, 48, &r1), ERR_LENGTH);
	assert_int_equal(mschapv1_response_parse(v, 50, &r1), ERR_LENGTH);
	assert_int_equal(mschapv1_response_parse(v, 49, &r1), 0);
	assert_int_equal(mschapv2_response_parse(v, 16, &r2), ERR_LENGTH);
	assert_int_equal(mschapv2_response_parse(v, 49, &r2), 0);
	v[20] = 1; /* reserved byte */
	assert_int_equal(mschapv2_response_parse(v, 49, &r2), ERR_RESERVED);

	static const char *bad_success[] = {
		"",
		"M=hello",
		"S=057C7D47C17FAD238CA41376F2D360566886A63",     /* 41 chars */
		"S=057C7D47C17FAD238CA41376F2D360566886A63G",    /* not hex */
		"S=057C7D47C17FAD238CA41376F2D360566886A63EM=x", /* no space */
		"T=057C7D47C17FAD238CA41376F2D360566886A63E",
	};
	for (size_t i = 0; i < sizeof(bad_success) / sizeof(bad_success[0]); i++) {
		const char *resp;
		assert_int_equal(mschapv2_success_parse((const uint8_t *)bad_success[i], strlen(bad_success[i]),
							&resp),
				 ERR_MALFORMED);
		assert_null(resp);
	}
}

static void mschap_failure_messages(void **state)
{
	(void)state;
	struct mschap_failure f;
	const char *good = "E=691 R=1 C=0123456789ABCDEF0123456789abcdef V=3 M=Authentication failure";

	assert_int_equal(mschap_failure_parse((const uint8_t *)good, strlen(good), &f), 0);
	assert_true(f.has_error);
	assert_int_equal(f.error, 691);
	assert_true(f.retry);
	assert_int_equal(f.challenge_len, 16);
	assert_int_equal(f.challenge[0], 0x01);
	assert_int_equal(f.challenge[15], 0xef);
	assert_int_equal(f.version, 3);
	assert_int_equal(f.text_len, strlen("Authentication failure"));

	const char *v1 = "E=646 R=0 C=0011223344556677 V=2";
	assert_int_equal(mschap_failure_parse((const uint8_t *)v1, strlen(v1), &f), 0);
	assert_int_equal(f.error, 646);
	assert_false(f.retry);
	assert_int_equal(f.challenge_len, 8);
	const char *bare = "E=691";
	assert_int_equal(mschap_failure_parse((const uint8_t *)bare, strlen(bare), &f), 0);
	const char *extra = "E=691 X=whatever R=0";
	assert_int_equal(mschap_failure_parse((const uint8_t *)extra, strlen(extra), &f), 0);

	static const struct {
		const char *msg;
		int err;
	} bad[] = {
		{ "", ERR_MALFORMED },                       /* no E= */
		{ "R=1", ERR_MALFORMED },
		{ "E=", ERR_MALFORMED },
		{ "E=69x", ERR_MALFORMED },
		{ "E=1234567890", ERR_MALFORMED },           /* too many digits */
		{ "E=691 R=2", ERR_MALFORMED },
		{ "E=691 R=", ERR_MALFORMED },
		{ "E=691 C=0123", ERR_MALFORMED },           /* wrong length */
		{ "E=691 C=0123456789ABCDEZ", ERR_MALFORMED },
		{ "E=691 V=x", ERR_MALFORMED },
		{ "E=691 junk", ERR_MALFORMED },
		{ "E", ERR_MALFORMED },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = mschap_failure_parse((const uint8_t *)bad[i].msg, strlen(bad[i].msg), &f);
		if (rc != bad[i].err)
			fail_msg("failure message \"%s\": got %s", bad[i].msg, error_name(rc));
	}
}

static void eap_good(void **state)
{
	(void)state;
	uint8_t buf[64];
	struct eap_packet p;
	struct eap_md5_data d;

	size_t n = test_hex("01 05 0005 01", buf, sizeof(buf));
	assert_int_equal(eap_parse(buf, n, &p), 0);
	assert_int_equal(p.code, EAP_REQUEST);
	assert_int_equal(p.type, EAP_TYPE_IDENTITY);
	assert_int_equal(p.data_len, 0);
	n = test_hex("02 05 000a 01 616c696365 00", buf, sizeof(buf)); /* trailing pad */
	assert_int_equal(eap_parse(buf, n, &p), 0);
	assert_int_equal(p.data_len, 5);
	n = test_hex("03 05 0004", buf, sizeof(buf));
	assert_int_equal(eap_parse(buf, n, &p), 0);
	n = test_hex("01 06 000b 04 04 01020304 6e", buf, sizeof(buf));
	assert_int_equal(eap_parse(buf, n, &p), 0);
	assert_int_equal(eap_md5_parse(p.data, p.data_len, &d), 0);
	assert_int_equal(d.value_len, 4);
	assert_int_equal(d.name_len, 1);
}

static void eap_malformed(void **state)
{
	(void)state;
	static const struct bad_case cases[] = {
		{ "empty", "", ERR_TRUNCATED },
		{ "three bytes", "01 01 00", ERR_TRUNCATED },
		{ "length below header", "01 01 0003 01", ERR_LENGTH },
		{ "request without type", "01 01 0004", ERR_LENGTH },
		{ "length past buffer", "01 01 0009 01", ERR_TRUNCATED },
		{ "success with data", "03 01 0005 00", ERR_LENGTH },
		{ "failure with data", "04 01 0006 0000", ERR_LENGTH },
		{ "unknown code", "05 01 0004", ERR_UNKNOWN_TYPE },
		{ "code zero", "00 01 0004", ERR_UNKNOWN_TYPE },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t buf[64];
		struct eap_packet p;
		size_t n = hex_or_empty(cases[i].hex, buf, sizeof(buf));
		int rc = eap_parse(buf, n, &p);
		if (rc != cases[i].err)
			fail_msg("EAP case \"%s\": got %s, want %s", cases[i].name, error_name(rc),
				 error_name(cases[i].err));
	}
	static const struct bad_case md5[] = {
		{ "empty", "", ERR_TRUNCATED },
		{ "value-size zero", "00", ERR_MALFORMED },
		{ "value past end", "10 0102", ERR_TRUNCATED },
	};
	for (size_t i = 0; i < sizeof(md5) / sizeof(md5[0]); i++) {
		uint8_t buf[64];
		struct eap_md5_data d;
		size_t n = hex_or_empty(md5[i].hex, buf, sizeof(buf));
		int rc = eap_md5_parse(buf, n, &d);
		if (rc != md5[i].err)
			fail_msg("EAP-MD5 case \"%s\": got %s", md5[i].name, error_name(rc));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pap_good),
		cmocka_unit_test(pap_malformed),
		cmocka_unit_test(chap_good),
		cmocka_unit_test(chap_malformed),
		cmocka_unit_test(mschap_values_malformed),
		cmocka_unit_test(mschap_failure_messages),
		cmocka_unit_test(eap_good),
		cmocka_unit_test(eap_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
