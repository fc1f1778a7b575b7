/* SPDX-License-Identifier: BSD-2-Clause */
/* Dynamic Authorization requests (radius_dae.h): the checks in their
 * order, what a valid request asks, and the signed ACK/NAK. */
#include "support/test_support.h"

#include <string.h>

#include "proto/radius/radius_build.h"
#include "proto/radius/radius_dae.h"
#include "proto/radius/radius_sign.h"

static const uint8_t secret[] = "dae-secret";
#define SLEN (sizeof(secret) - 1)
#define NOW 1700000000u

static const struct radius_dae_config cfg = { .secret = secret, .secret_len = SLEN, .nas_ip = 0xc0000201,
					      .nas_identifier = "nas1", .window_s = 300 };

struct attrs {
	const char *session_id, *nas_id;
	uint32_t timestamp, session_timeout;
	bool vendor, message_auth;
	const char *raw_user; /* User-Name of raw_user_len bytes (may hold a NUL) */
	size_t raw_user_len;
};

static size_t build(uint8_t *buf, size_t cap, uint8_t code, const struct attrs *a, const uint8_t *key, size_t klen)
{
	struct radius_builder b;
	radius_build_begin(&b, buf, cap, code, 9, NULL);
	if (a->session_id)
		radius_put_string(&b.w, RADIUS_ATTR_ACCT_SESSION_ID, a->session_id);
	if (a->nas_id)
		radius_put_string(&b.w, RADIUS_ATTR_NAS_IDENTIFIER, a->nas_id);
	if (a->timestamp)
		radius_put_u32(&b.w, RADIUS_ATTR_EVENT_TIMESTAMP, a->timestamp);
	if (a->session_timeout)
		radius_put_u32(&b.w, RADIUS_ATTR_SESSION_TIMEOUT, a->session_timeout);
	if (a->raw_user)
		radius_put_attr(&b.w, RADIUS_ATTR_USER_NAME, a->raw_user, a->raw_user_len);
	if (a->vendor)
		radius_put_vsa(&b.w, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_PRIMARY_DNS_SERVER, "\1\2\3\4", 4);
	if (a->message_auth)
		radius_put_message_auth(&b.w);
	size_t n = radius_build_end(&b);
	assert_true(n > 0);
	assert_true(radius_sign_request(buf, n, key, klen));
	return n;
}

static enum radius_dae_drop check(uint8_t code, const struct attrs *a, struct radius_dae_request *r)
{
	uint8_t buf[512];
	struct radius_packet p;
	size_t n = build(buf, sizeof(buf), code, a, secret, SLEN);
	return radius_dae_check(buf, n, &cfg, NOW, &p, r);
}

static void checks_in_order(void **state)
{
	(void)state;
	struct radius_dae_request r;
	uint8_t buf[512];
	struct radius_packet p;
	struct attrs ok = { .session_id = "ABCD", .nas_id = "nas1", .timestamp = NOW - 10, .message_auth = true };
	assert_int_equal(check(RADIUS_DISCONNECT_REQUEST, &ok, &r), RADIUS_DAE_ACCEPTED);
	assert_int_equal(r.error, 0);
	assert_string_equal(r.acct_session_id, "ABCD");
	/* Wrong secret: dropped, never answered. */
	size_t n = build(buf, sizeof(buf), RADIUS_DISCONNECT_REQUEST, &ok, (const uint8_t *)"other", 5);
	assert_int_equal(radius_dae_check(buf, n, &cfg, NOW, &p, &r), RADIUS_DAE_DROP_AUTHENTICATOR);
	/* One flipped bit after signing. */
	n = build(buf, sizeof(buf), RADIUS_DISCONNECT_REQUEST, &ok, secret, SLEN);
	buf[n - 20] ^= 1;
	assert_int_equal(radius_dae_check(buf, n, &cfg, NOW, &p, &r), RADIUS_DAE_DROP_AUTHENTICATOR);
	/* Replayed: Event-Timestamp out of the window either way. */
	struct attrs old = ok;
	old.timestamp = NOW - 301;
	assert_int_equal(check(RADIUS_DISCONNECT_REQUEST, &old, &r), RADIUS_DAE_DROP_REPLAY);
	old.timestamp = NOW + 301;
	assert_int_equal(check(RADIUS_DISCONNECT_REQUEST, &old, &r), RADIUS_DAE_DROP_REPLAY);
	/* Not a DAE code. */
	assert_int_equal(check(RADIUS_ACCOUNTING_REQUEST, &ok, &r), RADIUS_DAE_DROP_CODE);
	/* Answered with NAKs: another NAS, unknown attribute, no identifier. */
	struct attrs other = ok;
	other.nas_id = "nas2";
	assert_int_equal(check(RADIUS_DISCONNECT_REQUEST, &other, &r), RADIUS_DAE_ACCEPTED);
	assert_int_equal(r.error, RADIUS_DAE_NAS_MISMATCH);
	struct attrs vsa = ok;
	vsa.vendor = true;
	assert_int_equal(check(RADIUS_DISCONNECT_REQUEST, &vsa, &r), RADIUS_DAE_ACCEPTED);
	assert_int_equal(r.error, RADIUS_DAE_UNSUPPORTED_ATTRIBUTE);
	struct attrs none = { .nas_id = "nas1" };
	assert_int_equal(check(RADIUS_DISCONNECT_REQUEST, &none, &r), RADIUS_DAE_ACCEPTED);
	assert_int_equal(r.error, RADIUS_DAE_INVALID_REQUEST);
	/* Session-Timeout: a change in CoA, unsupported in Disconnect. */
	struct attrs coa = ok;
	coa.session_timeout = 60;
	assert_int_equal(check(RADIUS_COA_REQUEST, &coa, &r), RADIUS_DAE_ACCEPTED);
	assert_int_equal(r.error, 0);
	assert_true(r.has_session_timeout);
	assert_int_equal(r.session_timeout, 60);
	assert_int_equal(check(RADIUS_DISCONNECT_REQUEST, &coa, &r), RADIUS_DAE_ACCEPTED);
	assert_int_equal(r.error, RADIUS_DAE_UNSUPPORTED_ATTRIBUTE);
	/* Truncated. */
	assert_int_equal(radius_dae_check(buf, 10, &cfg, NOW, &p, &r), RADIUS_DAE_DROP_MALFORMED);
	/* Session keys that, cut to a C string, would name another session. */
	struct attrs nul = { .raw_user = "abc\0x", .raw_user_len = 5, .nas_id = "nas1", .message_auth = true };
	assert_int_equal(check(RADIUS_DISCONNECT_REQUEST, &nul, &r), RADIUS_DAE_ACCEPTED);
	assert_int_equal(r.error, RADIUS_DAE_INVALID_REQUEST);
	struct attrs long_id = { .session_id = "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789",
				 .nas_id = "nas1", .message_auth = true };
	assert_int_equal(check(RADIUS_DISCONNECT_REQUEST, &long_id, &r), RADIUS_DAE_ACCEPTED);
	assert_int_equal(r.error, RADIUS_DAE_INVALID_REQUEST);
}

static void replies_are_signed(void **state)
{
	(void)state;
	uint8_t req[512], rep[128];
	struct radius_packet p, rp;
	struct radius_dae_request r;
	struct attrs ok = { .session_id = "ABCD" };
	size_t n = build(req, sizeof(req), RADIUS_DISCONNECT_REQUEST, &ok, secret, SLEN);
	assert_int_equal(radius_dae_check(req, n, &cfg, NOW, &p, &r), RADIUS_DAE_ACCEPTED);
	size_t m = radius_dae_reply(rep, sizeof(rep), &p, RADIUS_DAE_SESSION_NOT_FOUND, secret, SLEN);
	assert_true(m > 0);
	assert_int_equal(radius_packet_parse(rep, m, &rp), RADIUS_PARSE_OK);
	assert_int_equal(rp.code, RADIUS_DISCONNECT_NAK);
	assert_int_equal(rp.id, 9);
	assert_int_equal(radius_verify_reply(&rp, RADIUS_DISCONNECT_REQUEST, p.authenticator, secret, SLEN),
			 RADIUS_VERDICT_OK);
	uint32_t cause;
	assert_true(radius_find_u32(&rp, 0, RADIUS_ATTR_ERROR_CAUSE, &cause));
	assert_int_equal(cause, 503);
	n = build(req, sizeof(req), RADIUS_COA_REQUEST, &ok, secret, SLEN);
	assert_int_equal(radius_dae_check(req, n, &cfg, NOW, &p, &r), RADIUS_DAE_ACCEPTED);
	m = radius_dae_reply(rep, sizeof(rep), &p, RADIUS_DAE_OK, secret, SLEN);
	assert_int_equal(radius_packet_parse(rep, m, &rp), RADIUS_PARSE_OK);
	assert_int_equal(rp.code, RADIUS_COA_ACK);
	assert_false(radius_find_u32(&rp, 0, RADIUS_ATTR_ERROR_CAUSE, &cause));
	assert_int_equal(radius_verify_reply(&rp, RADIUS_COA_REQUEST, p.authenticator, secret, SLEN), RADIUS_VERDICT_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(checks_in_order),
		cmocka_unit_test(replies_are_signed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
