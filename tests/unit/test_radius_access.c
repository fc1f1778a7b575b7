/* SPDX-License-Identifier: BSD-2-Clause */
/* PPP authentication through RADIUS (radius_access.h): the Access-Request
 * attributes of each method, and replies turned into verdicts and grants
 * (MS-CHAP2-Success passed on unchanged, MS-CHAP-Error mapped, MPPE keys
 * decrypted, Framed-IP-Address 255.255.255.254 = the pool). */
#include "support/test_support.h"

#include <string.h>

#include "proto/radius/radius_access.h"
#include "proto/radius/radius_build.h"
#include "proto/radius/radius_hide.h"
#include "proto/mppe/mppe_keys.h"

static const uint8_t secret[] = "testing123";
#define SECRET_LEN (sizeof(secret) - 1)
static const uint8_t request_auth[16] = { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6 };

/* attrs as a packet, to look them up with radius_find. */
static void as_packet(const uint8_t *attrs, size_t len, uint8_t *buf, size_t cap, struct radius_packet *p)
{
	struct radius_builder b;
	radius_build_begin(&b, buf, cap, RADIUS_ACCESS_REQUEST, 1, request_auth);
	writer_bytes(&b.w, attrs, len);
	size_t n = radius_build_end(&b);
	assert_true(n > 0);
	assert_int_equal(radius_packet_parse(buf, n, p), RADIUS_PARSE_OK);
}

static const struct radius_nas_info nas = { .nas_ip = 0xc0000201, .nas_identifier = "nas1", .nas_port = 4242,
					    .calling_station = 0xc0000202, .called_station = 0xc0000201,
					    .acct_session_id = "ABCD0001" };

static void request_attributes(void **state)
{
	(void)state;
	uint8_t attrs[1024], pkt[1100];
	struct writer w;
	struct radius_packet p;
	struct radius_attr a;
	uint32_t v;
	struct auth_verify_request r = { .method = AUTH_METHOD_MSCHAPV2, .user = "carol", .id = 7, .challenge_len = 16,
					 .value_len = 49 };
	memset(r.challenge, 0xc1, 16);
	memset(r.value, 0x11, 16);      /* peer challenge */
	memset(r.value + 24, 0x22, 24); /* NT-Response */
	writer_init(&w, attrs, sizeof(attrs));
	assert_true(radius_access_attrs(&w, &r, &nas));
	as_packet(attrs, writer_len(&w), pkt, sizeof(pkt), &p);
	assert_true(radius_find(&p, 0, RADIUS_ATTR_USER_NAME, &a));
	assert_memory_equal(a.value, "carol", 5);
	assert_true(radius_find(&p, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_CHAP2_RESPONSE, &a));
	assert_int_equal(a.len, 50);
	assert_int_equal(a.value[0], 7);
	assert_int_equal(a.value[2], 0x11);
	assert_int_equal(a.value[26], 0x22);
	assert_true(radius_find(&p, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_CHAP_CHALLENGE, &a));
	assert_int_equal(a.len, 16);
	assert_true(radius_find_u32(&p, 0, RADIUS_ATTR_NAS_PORT, &v));
	assert_int_equal(v, 4242);
	assert_true(radius_find_u32(&p, 0, RADIUS_ATTR_NAS_PORT_TYPE, &v));
	assert_int_equal(v, 5);
	assert_true(radius_find_u32(&p, 0, RADIUS_ATTR_TUNNEL_TYPE, &v));
	assert_int_equal(v, 1);
	assert_true(radius_find(&p, 0, RADIUS_ATTR_CALLING_STATION_ID, &a));
	assert_int_equal(a.len, strlen("192.0.2.2"));
	assert_memory_equal(a.value, "192.0.2.2", a.len);
	assert_true(radius_find(&p, 0, RADIUS_ATTR_ACCT_SESSION_ID, &a));
	assert_true(radius_find(&p, 0, RADIUS_ATTR_NAS_IDENTIFIER, &a));

	/* CHAP-MD5: CHAP-Password = Ident + 16, CHAP-Challenge as sent. */
	r.method = AUTH_METHOD_CHAP_MD5;
	r.value_len = 16;
	writer_init(&w, attrs, sizeof(attrs));
	assert_true(radius_access_attrs(&w, &r, &nas));
	as_packet(attrs, writer_len(&w), pkt, sizeof(pkt), &p);
	assert_true(radius_find(&p, 0, RADIUS_ATTR_CHAP_PASSWORD, &a));
	assert_int_equal(a.len, 17);
	assert_int_equal(a.value[0], 7);
	assert_true(radius_find(&p, 0, RADIUS_ATTR_CHAP_CHALLENGE, &a));
	assert_int_equal(a.len, 16);

	/* MS-CHAPv1: 8-byte challenge, use-NT flag from the Response. */
	r.method = AUTH_METHOD_MSCHAPV1;
	r.challenge_len = 8;
	r.value_len = 49;
	r.value[48] = 1;
	writer_init(&w, attrs, sizeof(attrs));
	assert_true(radius_access_attrs(&w, &r, &nas));
	as_packet(attrs, writer_len(&w), pkt, sizeof(pkt), &p);
	assert_true(radius_find(&p, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_CHAP_RESPONSE, &a));
	assert_int_equal(a.value[1], 1);

	/* PAP: no password among the attributes (the client hides it per server). */
	r.method = AUTH_METHOD_PAP;
	writer_init(&w, attrs, sizeof(attrs));
	assert_true(radius_access_attrs(&w, &r, &nas));
	as_packet(attrs, writer_len(&w), pkt, sizeof(pkt), &p);
	assert_false(radius_find(&p, 0, RADIUS_ATTR_USER_PASSWORD, &a));

	/* Wrong sizes and methods RADIUS does not carry here. */
	r.method = AUTH_METHOD_MSCHAPV2;
	r.challenge_len = 8;
	writer_init(&w, attrs, sizeof(attrs));
	assert_false(radius_access_attrs(&w, &r, &nas));
	r.method = AUTH_METHOD_EAP_MD5;
	writer_init(&w, attrs, sizeof(attrs));
	assert_false(radius_access_attrs(&w, &r, &nas));
}

static void reply_event(uint8_t code, void (*add)(struct writer *w), uint8_t *buf, size_t cap, struct radius_event *ev)
{
	struct radius_builder b;
	radius_build_begin(&b, buf, cap, code, 1, NULL);
	add(&b.w);
	size_t n = radius_build_end(&b);
	assert_true(n > 0);
	memset(ev, 0, sizeof(*ev));
	ev->type = RADIUS_EV_REPLY;
	assert_int_equal(radius_packet_parse(buf, n, &ev->reply), RADIUS_PARSE_OK);
	memcpy(ev->request_auth, request_auth, 16);
	ev->secret = secret;
	ev->secret_len = SECRET_LEN;
}

static const char success[] = "S=407A5589115FD0D6209F510FE9C04566932CDA56 M=hi";

static void add_accept(struct writer *w)
{
	uint8_t v[64];
	v[0] = 7;
	memcpy(v + 1, success, strlen(success));
	radius_put_vsa(w, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_CHAP2_SUCCESS, v, 1 + strlen(success));
	uint8_t send[16], recv[16], enc[RADIUS_MPPE_ATTR_MAX];
	memset(send, 0x5e, 16);
	memset(recv, 0x7e, 16);
	size_t n = radius_mppe_key_encrypt(secret, SECRET_LEN, request_auth, 0x8001, send, 16, enc, sizeof(enc));
	radius_put_vsa(w, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_MPPE_SEND_KEY, enc, n);
	n = radius_mppe_key_encrypt(secret, SECRET_LEN, request_auth, 0x8002, recv, 16, enc, sizeof(enc));
	radius_put_vsa(w, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_MPPE_RECV_KEY, enc, n);
	radius_put_u32(w, RADIUS_ATTR_FRAMED_IP_ADDRESS, 0xcb00712f);
	radius_put_u32(w, RADIUS_ATTR_SESSION_TIMEOUT, 3600);
	radius_put_u32(w, RADIUS_ATTR_IDLE_TIMEOUT, 600);
	radius_put_u32(w, RADIUS_ATTR_ACCT_INTERIM_INTERVAL, 300);
	radius_put_u32(w, RADIUS_ATTR_FRAMED_MTU, 1400);
	radius_put_attr(w, RADIUS_ATTR_CLASS, "\x01\x02\x00\x03", 4);
	radius_put_vsa(w, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_PRIMARY_DNS_SERVER, "\xcb\x00\x71\x35", 4);
	radius_put_string(w, RADIUS_ATTR_REPLY_MESSAGE, "hello\nthere");
}

static void add_pool_address(struct writer *w)
{
	radius_put_u32(w, RADIUS_ATTR_FRAMED_IP_ADDRESS, 0xfffffffe);
}

static void add_reject(struct writer *w)
{
	static const char err[] = "\x07" "E=648 R=0 V=3";
	radius_put_vsa(w, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_CHAP_ERROR, err, sizeof(err) - 1);
	radius_put_string(w, RADIUS_ATTR_REPLY_MESSAGE, "password expired");
}

static void add_nothing(struct writer *w)
{
	(void)w;
}

static void accept_gives_verdict_keys_and_grant(void **state)
{
	(void)state;
	uint8_t buf[1024];
	struct radius_event ev;
	struct auth_verdict v;
	struct radius_grant g;
	const struct auth_verify_request r = { .method = AUTH_METHOD_MSCHAPV2, .user = "carol" };
	reply_event(RADIUS_ACCESS_ACCEPT, add_accept, buf, sizeof(buf), &ev);
	radius_access_verdict(&ev, &r, &v, &g);
	assert_int_equal(v.cause, AUTH_CAUSE_NONE);
	assert_string_equal(v.message, success); /* unchanged */
	assert_true(v.mppe.valid);
	assert_true(v.mppe.raw_keys);
	assert_int_equal(v.mppe.send_key_len, 16);
	assert_int_equal(v.mppe.send_key[0], 0x5e);
	assert_int_equal(v.mppe.recv_key[15], 0x7e);
	assert_int_equal(g.framed_ip, 0xcb00712f);
	assert_int_equal(g.session_timeout, 3600);
	assert_int_equal(g.idle_timeout, 600);
	assert_int_equal(g.interim_interval, 300);
	assert_int_equal(g.mtu, 1400);
	assert_int_equal(g.class_len, 4);
	assert_memory_equal(g.class_value, "\x01\x02\x00\x03", 4);
	assert_int_equal(g.dns[0], 0xcb007135);
	assert_string_equal(g.reply_message, "hello.there"); /* control characters never reach a log */

	/* An Accept without MS-CHAP2-Success: the peer could not check us. */
	reply_event(RADIUS_ACCESS_ACCEPT, add_pool_address, buf, sizeof(buf), &ev);
	radius_access_verdict(&ev, &r, &v, &g);
	assert_int_equal(v.cause, AUTH_CAUSE_REJECTED);
	assert_int_equal(g.framed_ip, 0); /* 255.255.255.254: the pool */
	const struct auth_verify_request pap = { .method = AUTH_METHOD_PAP, .user = "carol" };
	radius_access_verdict(&ev, &pap, &v, &g);
	assert_int_equal(v.cause, AUTH_CAUSE_NONE);
	assert_false(v.mppe.valid);
}

static void reject_and_challenge_refuse(void **state)
{
	(void)state;
	uint8_t buf[1024];
	struct radius_event ev;
	struct auth_verdict v;
	struct radius_grant g;
	const struct auth_verify_request r = { .method = AUTH_METHOD_MSCHAPV2, .user = "carol" };
	reply_event(RADIUS_ACCESS_REJECT, add_reject, buf, sizeof(buf), &ev);
	radius_access_verdict(&ev, &r, &v, &g);
	assert_int_equal(v.cause, AUTH_CAUSE_REJECTED); /* 648: policy, not a wrong password */
	assert_int_equal(v.mschap_error, 648);
	assert_string_equal(v.message, "password expired");
	assert_non_null(strstr(v.reason, "password expired"));
	reply_event(RADIUS_ACCESS_REJECT, add_nothing, buf, sizeof(buf), &ev);
	radius_access_verdict(&ev, &r, &v, &g);
	assert_int_equal(v.cause, AUTH_CAUSE_WRONG_PASSWORD);
	assert_int_equal(v.mschap_error, 0);
	reply_event(RADIUS_ACCESS_CHALLENGE, add_nothing, buf, sizeof(buf), &ev);
	radius_access_verdict(&ev, &r, &v, &g);
	assert_int_not_equal(v.cause, AUTH_CAUSE_NONE);
}

/* Issue 14 §1 "Request attributes", every one, and a Windows peer's
 * LCP Identification texts as MS-RAS-Client-Version / -Name. */
static void every_request_attribute_and_ras_client(void **state)
{
	(void)state;
	uint8_t attrs[1024], pkt[1100];
	struct writer w;
	struct radius_packet p;
	struct radius_attr a;
	uint32_t v;
	struct radius_nas_info n = nas;
	n.peer_ident[0] = "MSRASV5.20";
	n.peer_ident[1] = "MSRAS-0-DESKTOP-7";
	const struct auth_verify_request r = { .method = AUTH_METHOD_PAP, .user = "carol" };
	writer_init(&w, attrs, sizeof(attrs));
	assert_true(radius_access_attrs(&w, &r, &n));
	as_packet(attrs, writer_len(&w), pkt, sizeof(pkt), &p);
	static const struct {
		uint8_t type;
		uint32_t value;
	} ints[] = {
		{ RADIUS_ATTR_NAS_IP_ADDRESS, 0xc0000201 }, { RADIUS_ATTR_NAS_PORT, 4242 }, { RADIUS_ATTR_NAS_PORT_TYPE, 5 }, /* Virtual, RFC 2865 §5.41 */
		{ RADIUS_ATTR_SERVICE_TYPE, 2 },                                                                              /* Framed, §5.6 */
		{ RADIUS_ATTR_FRAMED_PROTOCOL, 1 },                                                                           /* PPP, §5.7 */
		{ RADIUS_ATTR_TUNNEL_TYPE, 1 },                                                                               /* PPTP, RFC 2868 §3.1 */
		{ RADIUS_ATTR_TUNNEL_MEDIUM_TYPE, 1 },                                                                        /* IPv4, §3.2 */
	};
	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		assert_true(radius_find_u32(&p, 0, ints[i].type, &v));
		assert_int_equal(v, ints[i].value);
	}
	static const struct {
		uint8_t type;
		const char *text;
	} texts[] = {
		{ RADIUS_ATTR_NAS_IDENTIFIER, "nas1" },
		{ RADIUS_ATTR_CALLING_STATION_ID, "192.0.2.2" },
		{ RADIUS_ATTR_CALLED_STATION_ID, "192.0.2.1" },
		{ RADIUS_ATTR_TUNNEL_CLIENT_ENDPOINT, "192.0.2.2" },
		{ RADIUS_ATTR_ACCT_SESSION_ID, "ABCD0001" },
		{ RADIUS_ATTR_USER_NAME, "carol" },
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		assert_true(radius_find(&p, 0, texts[i].type, &a));
		assert_int_equal(a.len, strlen(texts[i].text));
		assert_memory_equal(a.value, texts[i].text, a.len);
	}
	assert_true(radius_find(&p, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_RAS_CLIENT_VERSION, &a));
	assert_int_equal(a.len, 10);
	assert_memory_equal(a.value, "MSRASV5.20", 10);
	assert_true(radius_find(&p, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_RAS_CLIENT_NAME, &a));
	assert_int_equal(a.len, strlen("MSRAS-0-DESKTOP-7"));
	assert_memory_equal(a.value, "MSRAS-0-DESKTOP-7", a.len);
	/* Other texts (a pppd peer's, say) are not Microsoft's attributes. */
	n.peer_ident[0] = "pppd 2.4.9";
	n.peer_ident[1] = NULL;
	writer_init(&w, attrs, sizeof(attrs));
	assert_true(radius_access_attrs(&w, &r, &n));
	as_packet(attrs, writer_len(&w), pkt, sizeof(pkt), &p);
	assert_false(radius_find(&p, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_RAS_CLIENT_VERSION, &a));
	assert_false(radius_find(&p, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_RAS_CLIENT_NAME, &a));
}

/* EAP-TLS through RADIUS gives 32-byte MPPE keys (RFC 5216 §2.3): kept
 * whole, the first 16 bytes start MPPE. Plus the attributes that narrow
 * or only get logged (RFC 2548 §2.4.4-5, RFC 2865 §5.9, RFC 2869 §5.18). */
static void add_long_keys_and_policy(struct writer *w)
{
	uint8_t send[32], recv[32], enc[RADIUS_MPPE_ATTR_MAX];
	for (int i = 0; i < 32; i++) {
		send[i] = (uint8_t)i;
		recv[i] = (uint8_t)(0x80 + i);
	}
	size_t n = radius_mppe_key_encrypt(secret, SECRET_LEN, request_auth, 0x8003, send, 32, enc, sizeof(enc));
	radius_put_vsa(w, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_MPPE_SEND_KEY, enc, n);
	n = radius_mppe_key_encrypt(secret, SECRET_LEN, request_auth, 0x8004, recv, 32, enc, sizeof(enc));
	radius_put_vsa(w, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_MPPE_RECV_KEY, enc, n);
	radius_put_vsa(w, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_MPPE_ENCRYPTION_POLICY, "\0\0\0\2", 4);
	radius_put_vsa(w, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_MPPE_ENCRYPTION_TYPES, "\0\0\0\4", 4);
	radius_put_u32(w, RADIUS_ATTR_FRAMED_IP_NETMASK, 0xffffff00);
	radius_put_string(w, RADIUS_ATTR_FRAMED_POOL, "staff");
	radius_put_string(w, RADIUS_ATTR_FILTER_ID, "vpn-users\x01");
	radius_put_string(w, RADIUS_ATTR_FRAMED_ROUTE, "198.18.5.0/24 0.0.0.0 1");
	radius_put_string(w, RADIUS_ATTR_FRAMED_ROUTE, "198.18.6.0/24");
}

static void long_keys_and_policy_attributes(void **state)
{
	(void)state;
	uint8_t buf[1024];
	struct radius_event ev;
	struct auth_verdict v;
	struct radius_grant g;
	const struct auth_verify_request r = { .method = AUTH_METHOD_MSCHAPV1, .user = "carol" };
	reply_event(RADIUS_ACCESS_ACCEPT, add_long_keys_and_policy, buf, sizeof(buf), &ev);
	radius_access_verdict(&ev, &r, &v, &g);
	assert_int_equal(v.cause, AUTH_CAUSE_NONE);
	assert_true(v.mppe.valid && v.mppe.raw_keys);
	assert_int_equal(v.mppe.send_key_len, 32);
	assert_int_equal(v.mppe.recv_key_len, 32);
	assert_int_equal(v.mppe.send_key[31], 31);
	assert_int_equal(v.mppe.recv_key[0], 0x80);
	uint8_t sk[16], rk[16];
	assert_int_equal(mppe_keys_from_raw(v.mppe.send_key, v.mppe.send_key_len, v.mppe.recv_key, v.mppe.recv_key_len,
					    128, sk, rk),
			 0);
	assert_memory_equal(sk, v.mppe.send_key, 16); /* the first 16 */
	assert_memory_equal(rk, v.mppe.recv_key, 16);
	assert_int_equal(g.mppe_policy, 2);
	assert_true(g.mppe_types_set);
	assert_int_equal(g.mppe_types, 4);
	assert_int_equal(g.netmask, 0xffffff00);
	assert_string_equal(g.pool, "staff");
	assert_string_equal(g.filter_id, "vpn-users."); /* never a control character in a log */
	assert_int_equal(g.framed_routes, 2);
	assert_string_equal(g.framed_route[0], "198.18.5.0/24 0.0.0.0 1");
	assert_string_equal(g.framed_route[1], "198.18.6.0/24");
	/* Absent: not set. */
	reply_event(RADIUS_ACCESS_ACCEPT, add_pool_address, buf, sizeof(buf), &ev);
	radius_access_verdict(&ev, &r, &v, &g);
	assert_false(g.mppe_types_set);
	assert_int_equal(g.mppe_policy, 0);
	assert_string_equal(g.pool, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(request_attributes),
		cmocka_unit_test(accept_gives_verdict_keys_and_grant),
		cmocka_unit_test(reject_and_challenge_refuse),
		cmocka_unit_test(long_keys_and_policy_attributes),
		cmocka_unit_test(every_request_attribute_and_ras_client),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
