/* SPDX-License-Identifier: BSD-2-Clause */
/* Remote verification (auth_verify.h): the authenticator engine hands the
 * peer's credentials out once, waits (absorbing retransmissions), and acts
 * on the verdict; no verdict in time refuses the peer; a late verdict is
 * ignored. The verifier here is the one the secrets file uses
 * (chap_verify.h), so accepted logins must work end to end. */
#include "support/test_support.h"

#include <stdio.h>
#include <string.h>

#include "base/crypto.h"
#include "base/error.h"
#include "proto/auth/auth.h"
#include "proto/auth/auth_wire.h"
#include "proto/auth/chap_verify.h"

#define QMAX 16

struct pipe {
	uint8_t pkt[QMAX][AUTH_MAX_PACKET];
	size_t len[QMAX];
	unsigned head, tail;
};

struct lab {
	struct auth server, client;
	struct pipe to_client, to_server;
	struct test_random rs, rc;
	uint64_t now;
	unsigned server_sent;
};

static void to_client(void *ctx, uint16_t protocol, const uint8_t *p, size_t len)
{
	struct lab *l = ctx;
	(void)protocol;
	assert_true(l->to_client.tail - l->to_client.head < QMAX);
	memcpy(l->to_client.pkt[l->to_client.tail % QMAX], p, len);
	l->to_client.len[l->to_client.tail++ % QMAX] = len;
	l->server_sent++;
}

static void to_server(void *ctx, uint16_t protocol, const uint8_t *p, size_t len)
{
	struct lab *l = ctx;
	(void)protocol;
	assert_true(l->to_server.tail - l->to_server.head < QMAX);
	memcpy(l->to_server.pkt[l->to_server.tail % QMAX], p, len);
	l->to_server.len[l->to_server.tail++ % QMAX] = len;
}

static void lab_init(struct lab *l, enum auth_method m, const char *password)
{
	memset(l, 0, sizeof(*l));
	l->now = 1000;
	test_random_init(&l->rs, 7);
	test_random_init(&l->rc, 8);
	struct auth_config sc = { .role = AUTH_ROLE_AUTHENTICATOR, .tag = "server", .local_name = "openpptp",
				  .remote_verify = true, .verify_timeout_ms = 5000, .restart_ms = 1000,
				  .random = test_random_source(&l->rs), .output = to_client, .cb_ctx = l };
	assert_int_equal(auth_init(&l->server, m, &sc), 0);
	struct auth_config cc = { .role = AUTH_ROLE_PEER, .tag = "client", .user = "carol", .restart_ms = 1000,
				  .random = test_random_source(&l->rc), .output = to_server, .cb_ctx = l };
	assert_int_equal(auth_secret_set_password(&cc.secret, password), 0);
	assert_int_equal(auth_init(&l->client, m, &cc), 0);
	(void)auth_start(&l->client, l->now);
	(void)auth_start(&l->server, l->now);
}

/* Deliver everything queued both ways. */
static void lab_pump(struct lab *l)
{
	bool moved = true;
	while (moved) {
		moved = false;
		while (l->to_client.head != l->to_client.tail) {
			unsigned i = l->to_client.head++ % QMAX;
			(void)auth_input(&l->client, l->to_client.pkt[i], l->to_client.len[i], l->now);
			moved = true;
		}
		while (l->to_server.head != l->to_server.tail) {
			unsigned i = l->to_server.head++ % QMAX;
			(void)auth_input(&l->server, l->to_server.pkt[i], l->to_server.len[i], l->now);
			moved = true;
		}
	}
}

/* What the secrets file would say for carol / "carol pass". */
static void verify_like_secrets(const struct auth_verify_request *r, struct auth_verdict *v)
{
	struct auth_secret secret;
	memset(v, 0, sizeof(*v));
	assert_int_equal(auth_secret_set_password(&secret, "carol pass"), 0);
	if (r->method == AUTH_METHOD_PAP) {
		bool ok = r->password_len == secret.password_len && memcmp(r->password, secret.password, r->password_len) == 0;
		v->cause = ok ? AUTH_CAUSE_NONE : AUTH_CAUSE_WRONG_PASSWORD;
	} else {
		uint16_t proto;
		uint8_t alg;
		assert_true(auth_method_to_lcp(r->method, &proto, &alg));
		struct chap_verdict cv = { .cause = AUTH_CAUSE_REJECTED };
		const struct chap_response_check in = { .id = r->id, .challenge = r->challenge,
							.challenge_len = r->challenge_len, .user = r->user,
							.value = r->value, .value_len = r->value_len, .secret = &secret };
		chap_verify_response(alg, &in, &v->mppe, &cv);
		v->cause = cv.cause;
		snprintf(v->message, sizeof(v->message), "%s", cv.cause == AUTH_CAUSE_NONE ? cv.message : "");
		snprintf(v->reason, sizeof(v->reason), "%s", cv.reason ? cv.reason : "");
	}
	auth_secret_wipe(&secret);
}

static void every_method_accepted_through_a_verdict(void **state)
{
	(void)state;
	const enum auth_method methods[] = { AUTH_METHOD_PAP, AUTH_METHOD_CHAP_MD5, AUTH_METHOD_MSCHAPV1,
					     AUTH_METHOD_MSCHAPV2 };
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		struct lab l;
		lab_init(&l, methods[i], "carol pass");
		lab_pump(&l);
		const struct auth_verify_request *r = auth_next_verify(&l.server);
		assert_non_null(r);
		assert_null(auth_next_verify(&l.server)); /* once */
		assert_null(auth_next_result(&l.server));
		assert_true(auth_verify_is_pending(&l.server));
		assert_int_equal(r->method, methods[i]);
		assert_string_equal(r->user, "carol");
		/* The peer retransmits while we wait: absorbed, nothing sent. */
		unsigned sent = l.server_sent;
		l.now += 1000;
		auth_on_timeout(&l.client, l.now);
		lab_pump(&l);
		assert_int_equal(l.server_sent, sent);
		assert_null(auth_next_verify(&l.server));
		struct auth_verdict v;
		verify_like_secrets(r, &v);
		assert_int_equal(v.cause, AUTH_CAUSE_NONE);
		auth_verify_done(&l.server, &v, l.now);
		const struct auth_result *sr = auth_next_result(&l.server);
		assert_non_null(sr);
		assert_true(sr->success);
		assert_string_equal(sr->user, "carol");
		assert_int_equal(sr->mppe.valid, methods[i] == AUTH_METHOD_MSCHAPV1 || methods[i] == AUTH_METHOD_MSCHAPV2);
		lab_pump(&l);
		const struct auth_result *cr = auth_next_result(&l.client);
		assert_non_null(cr);
		assert_true(cr->success); /* MS-CHAPv2: the verifier's S= checked by the peer */
		assert_false(auth_verify_is_pending(&l.server));
		auth_destroy(&l.server);
		auth_destroy(&l.client);
	}
}

static void refusal_carries_the_verifiers_message(void **state)
{
	(void)state;
	struct lab l;
	lab_init(&l, AUTH_METHOD_MSCHAPV2, "carol pass");
	lab_pump(&l);
	assert_non_null(auth_next_verify(&l.server));
	struct auth_verdict v = { .cause = AUTH_CAUSE_REJECTED, .mschap_error = 648 };
	snprintf(v.message, sizeof(v.message), "account disabled");
	snprintf(v.reason, sizeof(v.reason), "RADIUS Access-Reject");
	auth_verify_done(&l.server, &v, l.now);
	const struct auth_result *sr = auth_next_result(&l.server);
	assert_non_null(sr);
	assert_false(sr->success);
	assert_int_equal(sr->cause, AUTH_CAUSE_REJECTED);
	assert_int_equal(l.to_client.tail - l.to_client.head, 1);
	const uint8_t *p = l.to_client.pkt[l.to_client.head % QMAX];
	size_t n = l.to_client.len[l.to_client.head % QMAX];
	assert_int_equal(p[0], CHAP_FAILURE);
	char text[AUTH_MAX_PACKET];
	memcpy(text, p + 4, n - 4);
	text[n - 4] = '\0';
	assert_non_null(strstr(text, "E=648 R=0"));
	assert_non_null(strstr(text, "M=account disabled"));

	/* PAP: the message is the Nak's. */
	struct lab m;
	lab_init(&m, AUTH_METHOD_PAP, "wrong");
	lab_pump(&m);
	assert_non_null(auth_next_verify(&m.server));
	auth_verify_done(&m.server, &v, m.now);
	p = m.to_client.pkt[m.to_client.head % QMAX];
	assert_int_equal(p[0], PAP_AUTH_NAK);
	assert_int_equal(p[4], strlen("account disabled"));
	assert_memory_equal(p + 5, "account disabled", p[4]);
	lab_pump(&m);
	const struct auth_result *cr = auth_next_result(&m.client);
	assert_non_null(cr);
	assert_false(cr->success);
	assert_non_null(strstr(cr->reason, "account disabled"));
	/* The engines keep their last packet on the heap (issue 13). */
	auth_destroy(&l.server);
	auth_destroy(&l.client);
	auth_destroy(&m.server);
	auth_destroy(&m.client);
}

static void no_verdict_in_time_refuses_and_late_verdict_is_ignored(void **state)
{
	(void)state;
	const enum auth_method methods[] = { AUTH_METHOD_PAP, AUTH_METHOD_MSCHAPV2 };
	for (size_t i = 0; i < 2; i++) {
		struct lab l;
		lab_init(&l, methods[i], "carol pass");
		lab_pump(&l);
		const struct auth_verify_request *r = auth_next_verify(&l.server);
		assert_non_null(r);
		struct auth_verify_request copy = *r;
		l.now += 4999;
		auth_on_timeout(&l.server, l.now);
		assert_null(auth_next_result(&l.server));
		l.now += 1;
		auth_on_timeout(&l.server, l.now);
		const struct auth_result *sr = auth_next_result(&l.server);
		assert_non_null(sr);
		assert_false(sr->success);
		assert_int_equal(sr->cause, AUTH_CAUSE_TIMEOUT);
		assert_false(auth_verify_is_pending(&l.server));
		/* The password does not stay in the engine. */
		assert_int_equal(l.server.verify.password_len, 0);
		struct auth_verdict v;
		verify_like_secrets(&copy, &v);
		unsigned sent = l.server_sent;
		auth_verify_done(&l.server, &v, l.now);
		assert_null(auth_next_result(&l.server));
		assert_int_equal(l.server_sent, sent);
		lab_pump(&l);
		const struct auth_result *cr = auth_next_result(&l.client);
		assert_non_null(cr);
		assert_false(cr->success);
		crypto_wipe(&copy, sizeof(copy));
		auth_destroy(&l.server);
		auth_destroy(&l.client);
	}
}

/* EAP's remote verification is pass-through (eap_relay.h; its rounds are
 * in test_eap_mschapv2.c): the engine starts and nothing is out before
 * the peer's Identity. */
static void eap_remote_verification_is_pass_through(void **state)
{
	(void)state;
	struct auth a;
	static struct lab l;
	struct test_random tr;
	memset(&l, 0, sizeof(l));
	test_random_init(&tr, 1);
	struct auth_config cfg = { .role = AUTH_ROLE_AUTHENTICATOR, .remote_verify = true,
				   .random = test_random_source(&tr), .output = to_client, .cb_ctx = &l };
	assert_int_equal(auth_init(&a, AUTH_METHOD_EAP_MD5, &cfg), 0);
	assert_int_equal(auth_start(&a, 0), 0);
	assert_int_equal(l.server_sent, 1); /* Request/Identity, from us */
	assert_null(auth_next_verify(&a));
	assert_false(auth_verify_is_pending(&a));
	auth_destroy(&a);
	assert_int_equal(auth_init(&a, AUTH_METHOD_PAP, &cfg), 0);
	auth_destroy(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_method_accepted_through_a_verdict),
		cmocka_unit_test(refusal_carries_the_verifiers_message),
		cmocka_unit_test(no_verdict_in_time_refuses_and_late_verdict_is_ignored),
		cmocka_unit_test(eap_remote_verification_is_pass_through),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
