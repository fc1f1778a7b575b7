/* SPDX-License-Identifier: BSD-2-Clause */
/* RADIUS codec: the RFC 2865 §7.1 example byte for byte, signing and
 * verifying every packet kind, and the malformed-case table. */
#include "support/test_support.h"

#include <string.h>

#include "proto/radius/radius_build.h"
#include "proto/radius/radius_hide.h"
#include "proto/radius/radius_packet.h"
#include "proto/radius/radius_sign.h"

static const uint8_t secret[] = "xyzzy5461"; /* the RFC 2865 §7 examples' secret */
#define SECRET secret, sizeof(secret) - 1

/* RFC 2865 §7.1: nemo / arctangent, Access-Request then Access-Accept. */
static const char rfc2865_7_1_request[] =
	"01 00 00 38 0f 40 3f 94 73 97 80 57 bd 83 d5 cb"
	"98 f4 22 7a 01 06 6e 65 6d 6f 02 12 0d be 70 8d"
	"93 d4 13 ce 31 96 e4 3f 78 2a 0a ee 04 06 c0 a8"
	"01 10 05 06 00 00 00 03";
static const char rfc2865_7_1_accept[] =
	"02 00 00 26 86 fe 22 0e 76 24 ba 2a 10 05 f6 bf"
	"9b 55 e0 b2 06 06 00 00 00 01 0f 06 00 00 00 00"
	"0e 06 c0 a8 01 03";

static void rfc2865_7_1_request_parses_and_password_reveals(void **state)
{
	(void)state;
	uint8_t buf[64];
	size_t n = test_hex(rfc2865_7_1_request, buf, sizeof(buf));
	struct radius_packet p;
	assert_int_equal(radius_packet_parse(buf, n, &p), RADIUS_PARSE_OK);
	assert_int_equal(p.code, RADIUS_ACCESS_REQUEST);
	assert_int_equal(p.length, 56);
	struct radius_attr a;
	assert_true(radius_find(&p, 0, RADIUS_ATTR_USER_NAME, &a));
	assert_int_equal(a.len, 4);
	assert_memory_equal(a.value, "nemo", 4);
	uint32_t port;
	assert_true(radius_find_u32(&p, 0, RADIUS_ATTR_NAS_PORT, &port));
	assert_int_equal(port, 3);
	assert_true(radius_find(&p, 0, RADIUS_ATTR_USER_PASSWORD, &a));
	uint8_t pw[128];
	assert_int_equal(radius_password_reveal(SECRET, p.authenticator, a.value, a.len, pw, sizeof(pw)), 10);
	assert_memory_equal(pw, "arctangent", 10);
	/* And hiding gives the RFC's bytes back. */
	uint8_t hidden[128];
	assert_int_equal(radius_password_hide(SECRET, p.authenticator, (const uint8_t *)"arctangent", 10, hidden,
					      sizeof(hidden)),
			 16);
	assert_memory_equal(hidden, a.value, 16);
	/* A server-side check: no Message-Authenticator, so not acceptable today. */
	assert_int_equal(radius_verify_request(&p, SECRET), RADIUS_VERDICT_NO_MESSAGE_AUTH);
}

static void rfc2865_7_1_accept_authenticator_ok_but_no_message_auth(void **state)
{
	(void)state;
	uint8_t req[64], rep[64];
	test_hex(rfc2865_7_1_request, req, sizeof(req));
	size_t n = test_hex(rfc2865_7_1_accept, rep, sizeof(rep));
	struct radius_packet p;
	assert_int_equal(radius_packet_parse(rep, n, &p), RADIUS_PARSE_OK);
	/* The Response Authenticator of the RFC is right; without a
	 * Message-Authenticator the reply is still refused (BlastRADIUS). */
	assert_int_equal(radius_verify_reply(&p, RADIUS_ACCESS_REQUEST, req + 4, SECRET), RADIUS_VERDICT_NO_MESSAGE_AUTH);
	assert_int_equal(radius_verify_reply(&p, RADIUS_ACCESS_REQUEST, req + 4, (const uint8_t *)"xyzzy5460", 9),
			 RADIUS_VERDICT_BAD_AUTHENTICATOR);
	/* Re-signing the same reply with a Message-Authenticator makes it acceptable. */
	uint8_t buf[128];
	struct radius_builder b;
	radius_build_begin(&b, buf, sizeof(buf), RADIUS_ACCESS_ACCEPT, 0, NULL);
	writer_bytes(&b.w, p.attrs, p.attrs_len);
	radius_put_message_auth(&b.w);
	size_t len = radius_build_end(&b);
	assert_int_equal(len, 38 + 18);
	assert_true(radius_sign_reply(buf, len, req + 4, SECRET));
	assert_int_equal(radius_packet_parse(buf, len, &p), RADIUS_PARSE_OK);
	assert_int_equal(radius_verify_reply(&p, RADIUS_ACCESS_REQUEST, req + 4, SECRET), RADIUS_VERDICT_OK);
	/* One flipped bit in the Message-Authenticator (authenticator recomputed to match). */
	buf[len - 1] ^= 1;
	uint8_t tampered[128];
	memcpy(tampered, buf, len);
	assert_int_equal(radius_packet_parse(tampered, len, &p), RADIUS_PARSE_OK);
	assert_int_not_equal(radius_verify_reply(&p, RADIUS_ACCESS_REQUEST, req + 4, SECRET), RADIUS_VERDICT_OK);
}

static size_t build_request(uint8_t *buf, size_t cap, uint8_t code, bool with_ma)
{
	static const uint8_t auth[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	struct radius_builder b;
	radius_build_begin(&b, buf, cap, code, 42, code == RADIUS_ACCESS_REQUEST ? auth : NULL);
	radius_put_string(&b.w, RADIUS_ATTR_USER_NAME, "testuser");
	radius_put_u32(&b.w, RADIUS_ATTR_ACCT_STATUS_TYPE, RADIUS_ACCT_START);
	if (with_ma)
		radius_put_message_auth(&b.w);
	size_t n = radius_build_end(&b);
	assert_true(n > 0);
	assert_true(radius_sign_request(buf, n, SECRET));
	return n;
}

static void requests_sign_and_verify(void **state)
{
	(void)state;
	static const uint8_t codes[] = { RADIUS_ACCESS_REQUEST, RADIUS_ACCOUNTING_REQUEST, RADIUS_COA_REQUEST,
					 RADIUS_DISCONNECT_REQUEST, RADIUS_STATUS_SERVER };
	for (size_t i = 0; i < sizeof(codes); i++) {
		for (int ma = 0; ma < 2; ma++) {
			uint8_t buf[256];
			size_t n = build_request(buf, sizeof(buf), codes[i], ma);
			struct radius_packet p;
			assert_int_equal(radius_packet_parse(buf, n, &p), RADIUS_PARSE_OK);
			bool needs_ma = codes[i] == RADIUS_ACCESS_REQUEST || codes[i] == RADIUS_STATUS_SERVER;
			assert_int_equal(radius_verify_request(&p, SECRET),
					 (!ma && needs_ma) ? RADIUS_VERDICT_NO_MESSAGE_AUTH : RADIUS_VERDICT_OK);
			assert_int_not_equal(radius_verify_request(&p, (const uint8_t *)"other", 5), RADIUS_VERDICT_OK);
			/* Any byte changed after signing breaks the check. */
			buf[n - 1] ^= 0x40;
			assert_int_equal(radius_packet_parse(buf, n, &p), RADIUS_PARSE_OK);
			assert_int_not_equal(radius_verify_request(&p, SECRET), RADIUS_VERDICT_OK);
		}
	}
}

static void accounting_response_message_auth_optional(void **state)
{
	(void)state;
	uint8_t req[256], rep[64];
	build_request(req, sizeof(req), RADIUS_ACCOUNTING_REQUEST, false);
	struct radius_builder b;
	radius_build_begin(&b, rep, sizeof(rep), RADIUS_ACCOUNTING_RESPONSE, 42, NULL);
	size_t n = radius_build_end(&b);
	assert_true(radius_sign_reply(rep, n, req + 4, SECRET));
	struct radius_packet p;
	assert_int_equal(radius_packet_parse(rep, n, &p), RADIUS_PARSE_OK);
	assert_int_equal(radius_verify_reply(&p, RADIUS_ACCOUNTING_REQUEST, req + 4, SECRET), RADIUS_VERDICT_OK);
	assert_int_equal(radius_verify_reply(&p, RADIUS_ACCESS_REQUEST, req + 4, SECRET),
			 RADIUS_VERDICT_UNEXPECTED_CODE);
}

/* RFC 5176: a Disconnect-Request verified, answered with a signed
 * Disconnect-NAK carrying Error-Cause 503, which verifies as a reply. */
static void disconnect_request_and_nak(void **state)
{
	(void)state;
	uint8_t req[256], rep[64];
	struct radius_builder b;
	radius_build_begin(&b, req, sizeof(req), RADIUS_DISCONNECT_REQUEST, 9, NULL);
	radius_put_string(&b.w, RADIUS_ATTR_ACCT_SESSION_ID, "5f00000001");
	radius_put_u32(&b.w, RADIUS_ATTR_EVENT_TIMESTAMP, 1700000000);
	size_t n = radius_build_end(&b);
	assert_true(radius_sign_request(req, n, SECRET));
	struct radius_packet p;
	assert_int_equal(radius_packet_parse(req, n, &p), RADIUS_PARSE_OK);
	assert_int_equal(radius_verify_request(&p, SECRET), RADIUS_VERDICT_OK);
	radius_build_begin(&b, rep, sizeof(rep), RADIUS_DISCONNECT_NAK, p.id, NULL);
	radius_put_u32(&b.w, RADIUS_ATTR_ERROR_CAUSE, 503); /* Session Context Not Found */
	size_t m = radius_build_end(&b);
	assert_true(radius_sign_reply(rep, m, p.authenticator, SECRET));
	struct radius_packet r;
	assert_int_equal(radius_packet_parse(rep, m, &r), RADIUS_PARSE_OK);
	assert_int_equal(radius_verify_reply(&r, RADIUS_DISCONNECT_REQUEST, p.authenticator, SECRET), RADIUS_VERDICT_OK);
	assert_int_equal(radius_verify_reply(&r, RADIUS_COA_REQUEST, p.authenticator, SECRET),
			 RADIUS_VERDICT_UNEXPECTED_CODE);
	uint32_t cause;
	assert_true(radius_find_u32(&r, 0, RADIUS_ATTR_ERROR_CAUSE, &cause));
	assert_int_equal(cause, 503);
}

/* The malformed-case table: each input and the parse result it must give. */
struct malformed_case {
	const char *name;
	const char *hex;
	size_t cut; /* when nonzero, feed only this many bytes */
	enum radius_parse_result want;
};

#define HDR(len) "02 07 " len " 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "

static const struct malformed_case malformed[] = {
	{ "empty", "", 0, RADIUS_PARSE_SHORT },
	{ "19 bytes", "02 07 00 14 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00", 0, RADIUS_PARSE_SHORT },
	{ "Length 19", HDR("00 13"), 0, RADIUS_PARSE_BAD_LENGTH },
	{ "Length 4097", HDR("10 01"), 0, RADIUS_PARSE_BAD_LENGTH },
	{ "Length past the datagram", HDR("00 20") "01 03 41", 0, RADIUS_PARSE_SHORT },
	{ "attribute length 0", HDR("00 16") "01 00", 0, RADIUS_PARSE_BAD_ATTR },
	{ "attribute length 1", HDR("00 16") "01 01", 0, RADIUS_PARSE_BAD_ATTR },
	{ "attribute past Length", HDR("00 17") "01 05 41", 0, RADIUS_PARSE_BAD_ATTR },
	{ "lone type byte", HDR("00 15") "01", 0, RADIUS_PARSE_BAD_ATTR },
	{ "VSA without vendor", HDR("00 18") "1a 04 00 00", 0, RADIUS_PARSE_BAD_VSA },
	{ "VSA vendor only", HDR("00 1a") "1a 06 00 00 01 37", 0, RADIUS_PARSE_BAD_VSA },
	{ "MS VSA truncated sub", HDR("00 1c") "1a 08 00 00 01 37 10 05", 0, RADIUS_PARSE_BAD_VSA },
	{ "MS VSA sub length 1", HDR("00 1c") "1a 08 00 00 01 37 10 01", 0, RADIUS_PARSE_BAD_VSA },
	{ "MS VSA trailing byte", HDR("00 1d") "1a 09 00 00 01 37 10 02 00", 0, RADIUS_PARSE_BAD_VSA },
	{ "Message-Authenticator 15 bytes", HDR("00 25") "50 11 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00", 0,
	  RADIUS_PARSE_BAD_MESSAGE_AUTH },
	{ "two Message-Authenticators",
	  HDR("00 38") "50 12 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
		       "50 12 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00",
	  0, RADIUS_PARSE_BAD_MESSAGE_AUTH },
	/* Accepted: padding after Length is ignored (RFC 2865 §3), other vendors pass whole. */
	{ "padding after Length", HDR("00 14") "ff ff ff", 0, RADIUS_PARSE_OK },
	{ "other vendor, odd layout", HDR("00 1b") "1a 07 00 00 00 09 ff", 0, RADIUS_PARSE_OK },
};

static void malformed_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
		uint8_t buf[128];
		size_t n = test_hex(malformed[i].hex, buf, sizeof(buf));
		if (malformed[i].cut)
			n = malformed[i].cut;
		struct radius_packet p;
		enum radius_parse_result got = radius_packet_parse(buf, n, &p);
		if (got != malformed[i].want)
			fail_msg("%s: got %s, want %s", malformed[i].name, radius_parse_result_name(got),
				 radius_parse_result_name(malformed[i].want));
		if (got == RADIUS_PARSE_OK) {
			/* Iteration over what was accepted stays in bounds. */
			struct radius_attr_iter it;
			struct radius_attr a;
			radius_attr_iter_init(&it, &p);
			while (radius_attr_next(&it, &a))
				assert_true(a.value + a.len <= buf + p.length);
		}
	}
	/* Oversized: 4097 bytes with a Length of 4096 is fine (padding), a
	 * packet built past 4096 is refused by the builder. */
	static uint8_t big[RADIUS_MAX_PACKET + 64];
	struct radius_builder b;
	radius_build_begin(&b, big, sizeof(big), RADIUS_ACCESS_REQUEST, 1, NULL);
	uint8_t filler[253] = { 0 };
	for (int i = 0; i < 17; i++)
		radius_put_attr(&b.w, RADIUS_ATTR_CLASS, filler, sizeof(filler));
	assert_int_equal(radius_build_end(&b), 0);
	radius_put_attr(&b.w, RADIUS_ATTR_CLASS, filler, 254); /* over 253: refused */
	assert_false(writer_ok(&b.w));
}

static void vsa_iteration_flattens_microsoft(void **state)
{
	(void)state;
	uint8_t buf[256];
	struct radius_builder b;
	radius_build_begin(&b, buf, sizeof(buf), RADIUS_ACCESS_ACCEPT, 1, NULL);
	radius_put_string(&b.w, RADIUS_ATTR_REPLY_MESSAGE, "hello");
	/* One VSA with two Microsoft sub-attributes (allowed by RFC 2865 §5.26). */
	static const uint8_t two[] = { 0x1a, 0x12, 0, 0, 1, 0x37, 7, 6, 0, 0, 0, 1, 8, 6, 0, 0, 0, 6 };
	writer_bytes(&b.w, two, sizeof(two));
	radius_put_vsa(&b.w, 9, 1, "cisco", 5);
	size_t n = radius_build_end(&b);
	struct radius_packet p;
	assert_int_equal(radius_packet_parse(buf, n, &p), RADIUS_PARSE_OK);
	uint32_t v;
	assert_true(radius_find_u32(&p, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_MPPE_ENCRYPTION_POLICY, &v));
	assert_int_equal(v, 1);
	assert_true(radius_find_u32(&p, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_MPPE_ENCRYPTION_TYPES, &v));
	assert_int_equal(v, 6);
	struct radius_attr a;
	assert_true(radius_find(&p, 9, 0, &a));
	assert_int_equal(a.len, 7); /* Cisco's value as is: type, length, "cisco" */
	assert_int_equal(radius_count(&p, 0, RADIUS_ATTR_REPLY_MESSAGE), 1);
	assert_int_equal(radius_count(&p, RADIUS_VENDOR_MICROSOFT, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc2865_7_1_request_parses_and_password_reveals),
		cmocka_unit_test(rfc2865_7_1_accept_authenticator_ok_but_no_message_auth),
		cmocka_unit_test(requests_sign_and_verify),
		cmocka_unit_test(accounting_response_message_auth_optional),
		cmocka_unit_test(disconnect_request_and_nak),
		cmocka_unit_test(malformed_table),
		cmocka_unit_test(vsa_iteration_flattens_microsoft),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
