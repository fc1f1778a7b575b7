/* SPDX-License-Identifier: BSD-2-Clause */
/* EAP through RADIUS (RFC 3579) in radius_access.h: the peer's EAP packet
 * split over EAP-Message attributes of at most 253 bytes, in order, with
 * the State echoed; an Access-Challenge becomes a verdict to relay, its
 * EAP-Message reassembled within bounds; 16- and 32-byte MS-MPPE keys on
 * an Accept; a reply whose EAP-Message pieces do not make one EAP packet
 * is refused, never relayed. */
#include "support/test_support.h"

#include <stdio.h>
#include <string.h>

#include "proto/auth/auth_wire.h"
#include "proto/radius/radius_access.h"
#include "proto/radius/radius_build.h"
#include "proto/radius/radius_hide.h"
#include "proto/radius/radius_mschap.h"

static const uint8_t secret[] = "testing123";
#define SECRET_LEN (sizeof(secret) - 1)
static const uint8_t request_auth[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
static const struct radius_nas_info nas = { .nas_port = 7, .calling_station = 0xc0000202 };

static void parse_built(const uint8_t *attrs, size_t len, uint8_t code, uint8_t *buf, size_t cap,
			struct radius_packet *p)
{
	struct radius_builder b;
	radius_build_begin(&b, buf, cap, code, 1, request_auth);
	writer_bytes(&b.w, attrs, len);
	size_t n = radius_build_end(&b);
	assert_true(n > 0);
	assert_int_equal(radius_packet_parse(buf, n, p), RADIUS_PARSE_OK);
}

static void request_splits_eap_and_echoes_state(void **state)
{
	(void)state;
	static struct auth_verify_request r;
	static uint8_t eap[600];
	uint8_t attrs[2048], pkt[2100];
	struct writer w;
	struct radius_packet p;
	memset(&r, 0, sizeof(r));
	r.method = AUTH_METHOD_EAP_MD5;
	snprintf(r.user, sizeof(r.user), "dave");
	r.eap = eap;
	r.eap_len = sizeof(eap);
	for (size_t i = 0; i < r.eap_len; i++)
		eap[i] = (uint8_t)i;
	eap[0] = EAP_RESPONSE;
	eap[2] = 600 >> 8;
	eap[3] = 600 & 255;
	r.state = (const uint8_t *)"st8";
	r.state_len = 3;
	writer_init(&w, attrs, sizeof(attrs));
	assert_true(radius_access_attrs(&w, &r, &nas));
	parse_built(attrs, writer_len(&w), RADIUS_ACCESS_REQUEST, pkt, sizeof(pkt), &p);
	assert_int_equal(radius_count(&p, 0, RADIUS_ATTR_EAP_MESSAGE), 3);
	struct radius_attr_iter it;
	struct radius_attr a;
	size_t sizes[3], k = 0, pos = 0;
	radius_attr_iter_init(&it, &p);
	while (radius_attr_next(&it, &a))
		if (a.vendor == 0 && a.type == RADIUS_ATTR_EAP_MESSAGE) {
			assert_memory_equal(a.value, r.eap + pos, a.len);
			pos += a.len;
			sizes[k++] = a.len;
		}
	assert_int_equal(sizes[0], 253);
	assert_int_equal(sizes[1], 253);
	assert_int_equal(sizes[2], 94);
	assert_true(radius_find(&p, 0, RADIUS_ATTR_STATE, &a));
	assert_int_equal(a.len, 3);
	assert_memory_equal(a.value, "st8", 3);
	uint8_t back[1600];
	assert_int_equal(radius_eap_reassemble(&p, back, sizeof(back)), 600);
	assert_memory_equal(back, r.eap, 600);

	/* First round: no State. Too short an EAP packet: nothing to send. */
	r.state_len = 0;
	writer_init(&w, attrs, sizeof(attrs));
	assert_true(radius_access_attrs(&w, &r, &nas));
	parse_built(attrs, writer_len(&w), RADIUS_ACCESS_REQUEST, pkt, sizeof(pkt), &p);
	assert_false(radius_find(&p, 0, RADIUS_ATTR_STATE, &a));
	r.eap_len = 3;
	writer_init(&w, attrs, sizeof(attrs));
	assert_false(radius_access_attrs(&w, &r, &nas));
}

/* A reply: code, EAP-Message pieces (already split), State, maybe keys. */
static void reply(uint8_t code, const uint8_t *eap, size_t eap_len, bool split_wrong, size_t key_len,
		  uint8_t *buf, size_t cap, struct radius_event *ev)
{
	uint8_t attrs[2048];
	struct writer w;
	writer_init(&w, attrs, sizeof(attrs));
	if (split_wrong && eap_len > 10) {
		radius_put_attr(&w, RADIUS_ATTR_EAP_MESSAGE, eap, 10); /* the rest is missing */
	} else if (eap_len) {
		radius_put_eap_message(&w, eap, eap_len);
	}
	radius_put_attr(&w, RADIUS_ATTR_STATE, "next-state", 10);
	if (key_len) {
		uint8_t key[32], enc[RADIUS_MPPE_ATTR_MAX];
		memset(key, 0x5e, sizeof(key));
		size_t n = radius_mppe_key_encrypt(secret, SECRET_LEN, request_auth, 0x8001, key, key_len, enc, sizeof(enc));
		radius_put_vsa(&w, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_MPPE_SEND_KEY, enc, n);
		memset(key, 0x7e, sizeof(key));
		n = radius_mppe_key_encrypt(secret, SECRET_LEN, request_auth, 0x8002, key, key_len, enc, sizeof(enc));
		radius_put_vsa(&w, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_MPPE_RECV_KEY, enc, n);
	}
	assert_true(writer_ok(&w));
	memset(ev, 0, sizeof(*ev));
	ev->type = RADIUS_EV_REPLY;
	parse_built(attrs, writer_len(&w), code, buf, cap, &ev->reply);
	memcpy(ev->request_auth, request_auth, 16);
	ev->secret = secret;
	ev->secret_len = SECRET_LEN;
}

static void challenge_accept_reject(void **state)
{
	(void)state;
	static struct auth_verdict v;
	static uint8_t buf[4096];
	struct radius_event ev;
	struct radius_grant g;
	const struct auth_verify_request r = { .method = AUTH_METHOD_EAP_MD5, .user = "dave" };
	uint8_t req[700];
	memset(req, 0xab, sizeof(req));
	req[0] = EAP_REQUEST;
	req[1] = 0x21;
	req[2] = sizeof(req) >> 8;
	req[3] = sizeof(req) & 255;
	req[4] = EAP_TYPE_TLS;

	/* Access-Challenge: the 700-byte Request reassembled, State kept. */
	reply(RADIUS_ACCESS_CHALLENGE, req, sizeof(req), false, 0, buf, sizeof(buf), &ev);
	radius_access_verdict(&ev, &r, &v, &g);
	assert_int_equal(v.cause, AUTH_CAUSE_NONE);
	assert_true(v.eap_challenge);
	assert_int_equal(v.eap_len, sizeof(req));
	assert_memory_equal(v.eap, req, sizeof(req));
	assert_int_equal(v.state_len, 10);
	assert_memory_equal(v.state, "next-state", 10);

	/* Pieces that do not add up to the EAP Length: refused, not relayed. */
	reply(RADIUS_ACCESS_CHALLENGE, req, sizeof(req), true, 0, buf, sizeof(buf), &ev);
	radius_access_verdict(&ev, &r, &v, &g);
	assert_int_equal(v.cause, AUTH_CAUSE_REJECTED);
	assert_false(v.eap_challenge);
	/* A challenge with no EAP-Message at all. */
	reply(RADIUS_ACCESS_CHALLENGE, NULL, 0, false, 0, buf, sizeof(buf), &ev);
	radius_access_verdict(&ev, &r, &v, &g);
	assert_int_equal(v.cause, AUTH_CAUSE_REJECTED);
	assert_false(v.eap_challenge);

	/* Accept with 32-byte keys (EAP-TLS) and with 16-byte keys. */
	const uint8_t success[] = { EAP_SUCCESS, 0x21, 0, 4 };
	for (size_t key_len = 16; key_len <= 32; key_len += 16) {
		reply(RADIUS_ACCESS_ACCEPT, success, sizeof(success), false, key_len, buf, sizeof(buf), &ev);
		radius_access_verdict(&ev, &r, &v, &g);
		assert_int_equal(v.cause, AUTH_CAUSE_NONE);
		assert_false(v.eap_challenge);
		assert_int_equal(v.eap_len, 4);
		assert_true(v.mppe.valid && v.mppe.raw_keys);
		assert_int_equal(v.mppe.send_key_len, key_len);
		assert_int_equal(v.mppe.recv_key_len, key_len);
		assert_int_equal(v.mppe.send_key[0], 0x5e);
		assert_int_equal(v.mppe.recv_key[key_len - 1], 0x7e);
	}
	/* Accept without keys (EAP-MD5): accepted, no key material. */
	reply(RADIUS_ACCESS_ACCEPT, success, sizeof(success), false, 0, buf, sizeof(buf), &ev);
	radius_access_verdict(&ev, &r, &v, &g);
	assert_int_equal(v.cause, AUTH_CAUSE_NONE);
	assert_false(v.mppe.valid);

	/* Reject: refused, its EAP Failure kept for the Identifier. */
	const uint8_t failure[] = { EAP_FAILURE, 0x22, 0, 4 };
	reply(RADIUS_ACCESS_REJECT, failure, sizeof(failure), false, 16, buf, sizeof(buf), &ev);
	radius_access_verdict(&ev, &r, &v, &g);
	assert_int_equal(v.cause, AUTH_CAUSE_WRONG_PASSWORD);
	assert_int_equal(v.eap_len, 4);
	assert_int_equal(v.eap[1], 0x22);
	assert_false(v.mppe.valid);

	/* Another method never takes an Access-Challenge as anything but a refusal. */
	const struct auth_verify_request pap = { .method = AUTH_METHOD_PAP, .user = "dave" };
	reply(RADIUS_ACCESS_CHALLENGE, req, sizeof(req), false, 0, buf, sizeof(buf), &ev);
	radius_access_verdict(&ev, &pap, &v, &g);
	assert_int_not_equal(v.cause, AUTH_CAUSE_NONE);
	assert_false(v.eap_challenge);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(request_splits_eap_and_echoes_state),
		cmocka_unit_test(challenge_accept_reject),
	};
	log_set_level(LOG_LEVEL_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
