/* SPDX-License-Identifier: BSD-2-Clause */
/* EAP-MSCHAPv2 (EAP type 26) in both roles with the RFC 2759 §9.2 vectors
 * (user "User", password "clientPass"): the peer's NT-Response, the
 * authenticator's "S=" and the MPPE start keys of RFC 3079 §3.5.3; the
 * malformed-case table of its parser; and EAP pass-through (eap_relay.h):
 * Responses out as verify requests, the verifier's Requests back to the
 * peer unchanged with State echoed, Accept / Reject as EAP Success /
 * Failure. */
#include "support/test_support.h"

#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "proto/auth/auth.h"
#include "proto/auth/auth_wire.h"
#include "proto/auth/eap_mschapv2_wire.h"
#include "proto/mppe/mppe_keys.h"

static const uint8_t auth_challenge[16] = { 0x5B, 0x5D, 0x7C, 0x7D, 0x7B, 0x3F, 0x2F, 0x3E,
					    0x3C, 0x2C, 0x60, 0x21, 0x32, 0x26, 0x26, 0x28 };
static const uint8_t peer_challenge[16] = { 0x21, 0x40, 0x23, 0x24, 0x25, 0x5E, 0x26, 0x2A,
					    0x28, 0x29, 0x5F, 0x2B, 0x3A, 0x33, 0x7C, 0x7E };
static const uint8_t nt_response[24] = { 0x82, 0x30, 0x9E, 0xCD, 0x8D, 0x70, 0x8B, 0x5E, 0xA0, 0x8F, 0xAA, 0x39,
					 0x81, 0xCD, 0x83, 0x54, 0x42, 0x33, 0x11, 0x4A, 0x3D, 0x85, 0xD6, 0xDF };
#define AUTH_RESPONSE "S=407A5589115FD0D6209F510FE9C04566932CDA56"
/* RFC 3079 §3.5.3: the authenticator's 128-bit send and receive start keys. */
static const char server_send_hex[] = "8B7CDC149B993A1BA118CB153F56DCCB";
static const char server_recv_hex[] = "D5F0E9521E3EA9589645E86051C82226";

struct script {
	const uint8_t *bytes;
	size_t len, pos;
};

static void script_fill(void *ctx, void *buf, size_t len)
{
	struct script *s = ctx;
	uint8_t *out = buf;
	for (size_t i = 0; i < len; i++)
		out[i] = s->pos < s->len ? s->bytes[s->pos++] : 0;
}

struct sink {
	uint8_t pkt[AUTH_MAX_PACKET];
	size_t len;
	unsigned n;
};

static void sink_output(void *ctx, uint16_t protocol, const uint8_t *payload, size_t len)
{
	struct sink *k = ctx;
	assert_int_equal(protocol, PPP_PROTO_EAP);
	assert_true(len <= sizeof(k->pkt));
	memcpy(k->pkt, payload, len);
	k->len = len;
	k->n++;
}

static int lookup_user(void *ctx, const char *user, struct auth_secret *out)
{
	(void)ctx;
	if (strcmp(user, "User") != 0)
		return ERR_NOT_FOUND;
	return auth_secret_set_password(out, "clientPass");
}

/* An EAP packet: Code, Identifier, Length, Type, Type-Data. */
static size_t eap_pkt(uint8_t *out, uint8_t code, uint8_t id, uint8_t type, const uint8_t *data, size_t len)
{
	out[0] = code;
	out[1] = id;
	out[2] = (uint8_t)((5 + len) >> 8);
	out[3] = (uint8_t)(5 + len);
	out[4] = type;
	memcpy(out + 5, data, len);
	return 5 + len;
}

static size_t ms_pkt(uint8_t *out, uint8_t code, uint8_t id, uint8_t opcode, uint8_t ms_id, const uint8_t *value,
		     size_t value_len, const char *text)
{
	uint8_t data[512];
	struct writer w;
	writer_init(&w, data, sizeof(data));
	eap_mschapv2_put(&w, opcode, ms_id, value, value_len, text, strlen(text));
	assert_true(writer_ok(&w));
	return eap_pkt(out, code, id, EAP_TYPE_MSCHAPV2, data, writer_len(&w));
}

static void check_keys(const struct auth_mppe_material *m, bool is_server)
{
	uint8_t send[16], recv[16], want_send[16], want_recv[16];
	assert_true(m->valid);
	assert_true(m->mschapv2);
	assert_int_equal(mppe_keys_from_mschapv2(m->password_hash_hash, m->nt_response, m->is_server, 128, send, recv),
			 0);
	assert_int_equal(m->is_server, is_server);
	test_hex(is_server ? server_send_hex : server_recv_hex, want_send, 16);
	test_hex(is_server ? server_recv_hex : server_send_hex, want_recv, 16);
	assert_memory_equal(send, want_send, 16);
	assert_memory_equal(recv, want_recv, 16);
}

static void peer_with_rfc_vectors(void **state)
{
	(void)state;
	static struct auth a;
	struct sink k = { .n = 0 };
	struct script sc = { peer_challenge, sizeof(peer_challenge), 0 };
	struct auth_config cfg = { .role = AUTH_ROLE_PEER, .tag = "peer", .user = "User", .output = sink_output,
				   .cb_ctx = &k, .random = { script_fill, &sc } };
	uint8_t in[512];
	assert_int_equal(auth_secret_set_password(&cfg.secret, "clientPass"), 0);
	assert_int_equal(auth_init(&a, AUTH_METHOD_EAP_MD5, &cfg), 0);
	assert_int_equal(auth_start(&a, 0), 0);

	size_t n = ms_pkt(in, EAP_REQUEST, 5, EAP_MSCHAPV2_CHALLENGE, 5, auth_challenge, 16, "auth");
	assert_int_equal(auth_input(&a, in, n, 1), 0);
	struct eap_packet p;
	struct eap_mschapv2_msg m;
	assert_int_equal(eap_parse(k.pkt, k.len, &p), 0);
	assert_int_equal(p.code, EAP_RESPONSE);
	assert_int_equal(p.type, EAP_TYPE_MSCHAPV2);
	assert_int_equal(eap_mschapv2_parse(p.data, p.data_len, &m), 0);
	assert_int_equal(m.opcode, EAP_MSCHAPV2_RESPONSE);
	assert_int_equal(m.ms_id, 5);
	assert_memory_equal(m.value, peer_challenge, 16);
	assert_memory_equal(m.value + 24, nt_response, 24);
	assert_int_equal(m.text_len, 4);
	assert_memory_equal(m.text, "User", 4);

	/* An EAP-Success now, before the S=, proves nothing about the server. */
	static struct auth early;
	memcpy(&early, &a, sizeof(a));
	early.last = NULL;
	early.last_len = 0;
	const uint8_t success[] = { EAP_SUCCESS, 6, 0, 4 };
	assert_int_equal(auth_input(&early, success, sizeof(success), 2), 0);
	const struct auth_result *r = auth_next_result(&early);
	assert_non_null(r);
	assert_false(r->success);
	assert_int_equal(r->cause, AUTH_CAUSE_BAD_AUTHENTICATOR);
	auth_destroy(&early);

	n = ms_pkt(in, EAP_REQUEST, 6, EAP_MSCHAPV2_SUCCESS, 5, NULL, 0, AUTH_RESPONSE " M=welcome");
	assert_int_equal(auth_input(&a, in, n, 2), 0);
	const uint8_t ack[] = { EAP_RESPONSE, 6, 0, 6, EAP_TYPE_MSCHAPV2, EAP_MSCHAPV2_SUCCESS };
	assert_int_equal(k.len, sizeof(ack));
	assert_memory_equal(k.pkt, ack, sizeof(ack));
	assert_null(auth_next_result(&a));
	assert_int_equal(auth_input(&a, success, sizeof(success), 3), 0);
	r = auth_next_result(&a);
	assert_non_null(r);
	assert_true(r->success);
	assert_string_equal(auth_method_name(r->method), "eap-mschapv2"); /* not the LCP's eap-md5 */
	check_keys(&r->mppe, false);
	auth_destroy(&a);
}

static void peer_refuses_wrong_authenticator_response(void **state)
{
	(void)state;
	static struct auth a;
	struct sink k = { .n = 0 };
	struct script sc = { peer_challenge, sizeof(peer_challenge), 0 };
	struct auth_config cfg = { .role = AUTH_ROLE_PEER, .tag = "peer", .user = "User", .output = sink_output,
				   .cb_ctx = &k, .random = { script_fill, &sc } };
	uint8_t in[512];
	assert_int_equal(auth_secret_set_password(&cfg.secret, "clientPass"), 0);
	assert_int_equal(auth_init(&a, AUTH_METHOD_EAP_MD5, &cfg), 0);
	assert_int_equal(auth_start(&a, 0), 0);
	size_t n = ms_pkt(in, EAP_REQUEST, 5, EAP_MSCHAPV2_CHALLENGE, 5, auth_challenge, 16, "auth");
	assert_int_equal(auth_input(&a, in, n, 1), 0);
	unsigned sent = k.n;
	n = ms_pkt(in, EAP_REQUEST, 6, EAP_MSCHAPV2_SUCCESS, 5, NULL, 0, "S=407A5589115FD0D6209F510FE9C04566932CDA57");
	assert_int_equal(auth_input(&a, in, n, 2), 0);
	const struct auth_result *r = auth_next_result(&a);
	assert_non_null(r);
	assert_false(r->success);
	assert_int_equal(r->cause, AUTH_CAUSE_BAD_AUTHENTICATOR);
	assert_false(r->mppe.valid);
	assert_int_equal(k.n, sent); /* no ack for a server that did not prove itself */
	auth_destroy(&a);
}

static void authenticator_with_rfc_vectors(void **state)
{
	(void)state;
	static struct auth a;
	struct sink k = { .n = 0 };
	uint8_t rnd[17];
	rnd[0] = 0x40; /* the EAP Identifier before Request/Identity */
	memcpy(rnd + 1, auth_challenge, 16);
	struct script sc = { rnd, sizeof(rnd), 0 };
	struct auth_config cfg = { .role = AUTH_ROLE_AUTHENTICATOR, .tag = "auth", .local_name = "srv",
				   .lookup = lookup_user, .output = sink_output, .cb_ctx = &k,
				   .random = { script_fill, &sc }, .eap_first_type = EAP_TYPE_MSCHAPV2 };
	uint8_t in[512];
	assert_int_equal(auth_init(&a, AUTH_METHOD_EAP_MD5, &cfg), 0);
	assert_int_equal(auth_start(&a, 0), 0);
	assert_int_equal(k.pkt[1], 0x41); /* the engine counts up before each Request */
	size_t n = eap_pkt(in, EAP_RESPONSE, 0x41, EAP_TYPE_IDENTITY, (const uint8_t *)"User", 4);
	assert_int_equal(auth_input(&a, in, n, 1), 0);

	struct eap_packet p;
	struct eap_mschapv2_msg m;
	assert_int_equal(eap_parse(k.pkt, k.len, &p), 0);
	assert_int_equal(p.type, EAP_TYPE_MSCHAPV2);
	assert_int_equal(eap_mschapv2_parse(p.data, p.data_len, &m), 0);
	assert_int_equal(m.opcode, EAP_MSCHAPV2_CHALLENGE);
	assert_memory_equal(m.value, auth_challenge, 16);
	uint8_t id = p.id, ms_id = m.ms_id;

	uint8_t value[49] = { 0 };
	memcpy(value, peer_challenge, 16);
	memcpy(value + 24, nt_response, 24);
	n = ms_pkt(in, EAP_RESPONSE, id, EAP_MSCHAPV2_RESPONSE, ms_id, value, sizeof(value), "User");
	assert_int_equal(auth_input(&a, in, n, 2), 0);
	assert_int_equal(eap_parse(k.pkt, k.len, &p), 0);
	assert_int_equal(eap_mschapv2_parse(p.data, p.data_len, &m), 0);
	assert_int_equal(m.opcode, EAP_MSCHAPV2_SUCCESS);
	assert_true(m.text_len >= 42);
	assert_memory_equal(m.text, AUTH_RESPONSE, 42);
	assert_null(auth_next_result(&a));

	const uint8_t ack[] = { EAP_RESPONSE, p.id, 0, 6, EAP_TYPE_MSCHAPV2, EAP_MSCHAPV2_SUCCESS };
	assert_int_equal(auth_input(&a, ack, sizeof(ack), 3), 0);
	const struct auth_result *r = auth_next_result(&a);
	assert_non_null(r);
	assert_true(r->success);
	assert_string_equal(r->user, "User");
	assert_string_equal(auth_method_name(r->method), "eap-mschapv2");
	assert_int_equal(k.pkt[0], EAP_SUCCESS);
	check_keys(&r->mppe, true);
	auth_destroy(&a);
}

static void authenticator_refuses_wrong_response(void **state)
{
	(void)state;
	static struct auth a;
	struct sink k = { .n = 0 };
	struct test_random tr;
	test_random_init(&tr, 26);
	struct auth_config cfg = { .role = AUTH_ROLE_AUTHENTICATOR, .tag = "auth", .lookup = lookup_user,
				   .output = sink_output, .cb_ctx = &k, .random = test_random_source(&tr),
				   .eap_first_type = EAP_TYPE_MSCHAPV2 };
	uint8_t in[512];
	assert_int_equal(auth_init(&a, AUTH_METHOD_EAP_MD5, &cfg), 0);
	assert_int_equal(auth_start(&a, 0), 0);
	size_t n = eap_pkt(in, EAP_RESPONSE, k.pkt[1], EAP_TYPE_IDENTITY, (const uint8_t *)"User", 4);
	assert_int_equal(auth_input(&a, in, n, 1), 0);
	struct eap_packet p;
	struct eap_mschapv2_msg m;
	assert_int_equal(eap_parse(k.pkt, k.len, &p), 0);
	assert_int_equal(eap_mschapv2_parse(p.data, p.data_len, &m), 0);
	uint8_t value[49] = { 0 };
	memcpy(value + 24, nt_response, 24); /* the vector's answer to another challenge */
	n = ms_pkt(in, EAP_RESPONSE, p.id, EAP_MSCHAPV2_RESPONSE, m.ms_id, value, sizeof(value), "User");
	assert_int_equal(auth_input(&a, in, n, 2), 0);
	assert_int_equal(eap_parse(k.pkt, k.len, &p), 0);
	assert_int_equal(eap_mschapv2_parse(p.data, p.data_len, &m), 0);
	assert_int_equal(m.opcode, EAP_MSCHAPV2_FAILURE);
	assert_memory_equal(m.text, "E=691 R=0 C=", 12);
	const uint8_t ack[] = { EAP_RESPONSE, p.id, 0, 6, EAP_TYPE_MSCHAPV2, EAP_MSCHAPV2_FAILURE };
	assert_int_equal(auth_input(&a, ack, sizeof(ack), 3), 0);
	const struct auth_result *r = auth_next_result(&a);
	assert_non_null(r);
	assert_false(r->success);
	assert_int_equal(r->cause, AUTH_CAUSE_WRONG_PASSWORD);
	assert_int_equal(k.pkt[0], EAP_FAILURE);
	auth_destroy(&a);
}

/* Every malformed Type-Data the parser must refuse (lengths first). */
static void parser_malformed_cases(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		const char *hex;
		int want;
	} cases[] = {
		{ "empty", "", ERR_TRUNCATED },
		{ "lone Challenge opcode", "01", ERR_TRUNCATED },
		{ "header cut", "01 05 00", ERR_TRUNCATED },
		{ "MS-Length above the data", "01 05 00 20 10", ERR_MALFORMED },
		{ "MS-Length below the data", "03 05 00 04 53 3d", ERR_MALFORMED },
		{ "Challenge Value-Size 8", "01 05 00 0d 08 00 00 00 00 00 00 00 00", ERR_MALFORMED },
		{ "Challenge value cut", "01 05 00 0a 10 00 00 00 00 00", ERR_TRUNCATED },
		{ "Challenge without Value-Size", "01 05 00 04", ERR_TRUNCATED },
		{ "Response Value-Size 16", "02 05 00 15 10 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00", ERR_MALFORMED },
		{ "Change-Password", "07 05 00 04", ERR_MALFORMED },
		{ "unknown opcode", "09 05 00 04", ERR_MALFORMED },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t buf[64];
		size_t n = test_hex(cases[i].hex, buf, sizeof(buf));
		struct eap_mschapv2_msg m;
		int rc = eap_mschapv2_parse(buf, n, &m);
		if (rc != cases[i].want)
			fail_msg("%s: got %d, want %d", cases[i].name, rc, cases[i].want);
	}
	/* and the good short forms */
	struct eap_mschapv2_msg m;
	const uint8_t ack[] = { EAP_MSCHAPV2_SUCCESS };
	assert_int_equal(eap_mschapv2_parse(ack, 1, &m), 0);
	const uint8_t fail_req[] = { 4, 5, 0, 9, 'E', '=', '6', '9', '1' };
	assert_int_equal(eap_mschapv2_parse(fail_req, sizeof(fail_req), &m), 0);
	assert_int_equal(m.text_len, 5);
}

/* ---- pass-through ---- */

static void relay_round_trips(void **state)
{
	(void)state;
	static struct auth a;
	struct sink k = { .n = 0 };
	struct test_random tr;
	test_random_init(&tr, 3579);
	struct auth_config cfg = { .role = AUTH_ROLE_AUTHENTICATOR, .tag = "relay", .remote_verify = true,
				   .output = sink_output, .cb_ctx = &k, .random = test_random_source(&tr) };
	uint8_t in[512];
	assert_int_equal(auth_init(&a, AUTH_METHOD_EAP_MD5, &cfg), 0);
	assert_int_equal(auth_start(&a, 0), 0);
	assert_int_equal(k.pkt[0], EAP_REQUEST);
	assert_int_equal(k.pkt[4], EAP_TYPE_IDENTITY);
	uint8_t id = k.pkt[1];

	/* Identity: out to the verifier, whole (without PPP padding past
	 * its Length), with no State yet. */
	size_t n = eap_pkt(in, EAP_RESPONSE, id, EAP_TYPE_IDENTITY, (const uint8_t *)"dave", 4);
	in[n] = in[n + 1] = 0;
	assert_int_equal(auth_input(&a, in, n + 2, 1), 0);
	const struct auth_verify_request *r = auth_next_verify(&a);
	assert_non_null(r);
	assert_int_equal(r->method, AUTH_METHOD_EAP_MD5);
	assert_string_equal(r->user, "dave");
	assert_int_equal(r->eap_len, n);
	assert_memory_equal(r->eap, in, n);
	assert_int_equal(r->state_len, 0);
	/* a retransmission meanwhile is absorbed */
	unsigned sent = k.n;
	assert_int_equal(auth_input(&a, in, n, 2), 0);
	assert_null(auth_next_verify(&a));
	assert_int_equal(k.n, sent);

	/* Access-Challenge: its EAP Request goes to the peer unchanged. */
	static struct auth_verdict v;
	memset(&v, 0, sizeof(v));
	v.eap_challenge = true;
	v.eap_len = ms_pkt(v.eap, EAP_REQUEST, 0x91, EAP_MSCHAPV2_CHALLENGE, 0x91, auth_challenge, 16, "rad");
	memcpy(v.state, "state-1", 7);
	v.state_len = 7;
	auth_verify_done(&a, &v, 3);
	assert_int_equal(k.len, v.eap_len);
	assert_memory_equal(k.pkt, v.eap, v.eap_len);
	assert_null(auth_next_result(&a));
	/* lost: retransmitted as is */
	sent = k.n;
	auth_on_timeout(&a, auth_next_deadline(&a));
	assert_int_equal(k.n, sent + 1);
	assert_memory_equal(k.pkt, v.eap, v.eap_len);

	/* A Response with a stale Identifier is dropped; the right one goes
	 * out with the State echoed. */
	n = eap_pkt(in, EAP_RESPONSE, 0x90, EAP_TYPE_NAK, (const uint8_t *)"\x04", 1);
	assert_true(auth_input(&a, in, n, 4) < 0);
	n = eap_pkt(in, EAP_RESPONSE, 0x91, EAP_TYPE_NAK, (const uint8_t *)"\x04", 1);
	assert_int_equal(auth_input(&a, in, n, 5), 0);
	r = auth_next_verify(&a);
	assert_non_null(r);
	assert_int_equal(r->eap_len, n);
	assert_memory_equal(r->eap, in, n);
	assert_int_equal(r->state_len, 7);
	assert_memory_equal(r->state, "state-1", 7);

	/* Access-Accept: EAP-Success with RADIUS's Identifier, its keys kept. */
	memset(&v, 0, sizeof(v));
	const uint8_t success[] = { EAP_SUCCESS, 0x91, 0, 4 };
	memcpy(v.eap, success, sizeof(success));
	v.eap_len = sizeof(success);
	v.mppe.valid = v.mppe.raw_keys = v.mppe.is_server = true;
	memset(v.mppe.send_key, 0xaa, 32);
	v.mppe.send_key_len = 32;
	memset(v.mppe.recv_key, 0xbb, 32);
	v.mppe.recv_key_len = 32;
	auth_verify_done(&a, &v, 6);
	assert_int_equal(k.len, 4);
	assert_memory_equal(k.pkt, success, 4);
	const struct auth_result *res = auth_next_result(&a);
	assert_non_null(res);
	assert_true(res->success);
	assert_string_equal(res->user, "dave");
	assert_string_equal(auth_method_name(res->method), "eap-radius"); /* RADIUS ran the method */
	assert_true(res->mppe.valid && res->mppe.raw_keys);
	assert_int_equal(res->mppe.send_key_len, 32);
	auth_destroy(&a);
}

static void relay_reject_and_bad_challenge(void **state)
{
	(void)state;
	static struct auth a;
	static struct auth_verdict v;
	struct sink k = { .n = 0 };
	struct test_random tr;
	test_random_init(&tr, 2865);
	struct auth_config cfg = { .role = AUTH_ROLE_AUTHENTICATOR, .tag = "relay", .remote_verify = true,
				   .output = sink_output, .cb_ctx = &k, .random = test_random_source(&tr) };
	uint8_t in[64];

	for (int round = 0; round < 3; round++) {
		assert_int_equal(auth_init(&a, AUTH_METHOD_EAP_MD5, &cfg), 0);
		assert_int_equal(auth_start(&a, 0), 0);
		size_t n = eap_pkt(in, EAP_RESPONSE, k.pkt[1], EAP_TYPE_IDENTITY, (const uint8_t *)"carol", 5);
		assert_int_equal(auth_input(&a, in, n, 1), 0);
		assert_non_null(auth_next_verify(&a));
		memset(&v, 0, sizeof(v));
		if (round == 0) {        /* Access-Reject */
			v.cause = AUTH_CAUSE_WRONG_PASSWORD;
			snprintf(v.reason, sizeof(v.reason), "RADIUS Access-Reject");
		} else if (round == 1) { /* a challenge whose EAP-Message is a Success */
			v.eap_challenge = true;
			const uint8_t success[] = { EAP_SUCCESS, 1, 0, 4 };
			memcpy(v.eap, success, 4);
			v.eap_len = 4;
		} else {                 /* Accept carrying an EAP Failure */
			const uint8_t failure[] = { EAP_FAILURE, 1, 0, 4 };
			memcpy(v.eap, failure, 4);
			v.eap_len = 4;
		}
		auth_verify_done(&a, &v, 2);
		const struct auth_result *res = auth_next_result(&a);
		assert_non_null(res);
		assert_false(res->success);
		assert_int_equal(res->cause, round == 0 ? AUTH_CAUSE_WRONG_PASSWORD : AUTH_CAUSE_REJECTED);
		assert_int_equal(k.pkt[0], EAP_FAILURE);
		auth_destroy(&a);
	}

	/* No verdict in time: a Failure, the cause says timeout. */
	cfg.verify_timeout_ms = 500;
	assert_int_equal(auth_init(&a, AUTH_METHOD_EAP_MD5, &cfg), 0);
	assert_int_equal(auth_start(&a, 0), 0);
	size_t n = eap_pkt(in, EAP_RESPONSE, k.pkt[1], EAP_TYPE_IDENTITY, (const uint8_t *)"carol", 5);
	assert_int_equal(auth_input(&a, in, n, 1), 0);
	auth_on_timeout(&a, 501);
	const struct auth_result *res = auth_next_result(&a);
	assert_non_null(res);
	assert_int_equal(res->cause, AUTH_CAUSE_TIMEOUT);
	assert_false(auth_verify_is_pending(&a));
	auth_destroy(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(peer_with_rfc_vectors),
		cmocka_unit_test(peer_refuses_wrong_authenticator_response),
		cmocka_unit_test(authenticator_with_rfc_vectors),
		cmocka_unit_test(authenticator_refuses_wrong_response),
		cmocka_unit_test(parser_malformed_cases),
		cmocka_unit_test(relay_round_trips),
		cmocka_unit_test(relay_reject_and_bad_challenge),
	};
	log_set_level(LOG_LEVEL_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
