/* SPDX-License-Identifier: BSD-2-Clause */
/* Issue 11 (low): every EAP log line a peer's packet can cause goes
 * through the engine's rate limiter (auth.c a->bad_log: a burst of 5, then
 * one every 10 s, with a count of the suppressed). A hostile peer sends
 * 10,000 packets of each kind that reaches a line within 1 s of
 * virtual time; the log must stay at a handful of lines, not 10,000.
 * Peer role (a hostile server): Requests for a type we lack (our legacy
 * Nak, RFC 3748 §5.3.1), Notifications (§5.2), malformed packets and
 * Responses. Authenticator role (a hostile client): a Nak for the other
 * method after every method Request. The method switches once (each is
 * offered at most once, RFC 3748 §5.3.1), the next Nak ends it in Failure,
 * and the rest of the flood is dropped as stale. */
#include "support/test_support.h"

#include <string.h>

#include "proto/auth/auth.h"
#include "proto/auth/auth_wire.h"

#define FLOOD 10000u

struct end {
	struct auth engine;
	struct test_random rnd;
	uint8_t last[AUTH_MAX_PACKET]; /* the last packet the engine sent */
	size_t last_len;
};

static void end_output(void *ctx, uint16_t protocol, const uint8_t *payload, size_t len)
{
	struct end *e = ctx;
	assert_int_equal(protocol, PPP_PROTO_EAP);
	assert_true(len <= sizeof(e->last));
	memcpy(e->last, payload, len);
	e->last_len = len;
}

static int no_user(void *ctx, const char *user, struct auth_secret *out)
{
	(void)ctx;
	(void)user;
	return auth_secret_set_password(out, "s3cret");
}

static void end_init(struct end *e, enum auth_role role)
{
	struct auth_config cfg;
	memset(e, 0, sizeof(*e));
	memset(&cfg, 0, sizeof(cfg));
	test_random_init(&e->rnd, 7);
	cfg.role = role;
	cfg.tag = role == AUTH_ROLE_AUTHENTICATOR ? "server" : "client";
	cfg.random = test_random_source(&e->rnd);
	cfg.output = end_output;
	cfg.cb_ctx = e;
	if (role == AUTH_ROLE_AUTHENTICATOR) {
		cfg.local_name = "openpptp";
		cfg.lookup = no_user;
	} else {
		cfg.user = "alice";
		assert_int_equal(auth_secret_set_password(&cfg.secret, "s3cret"), 0);
	}
	assert_int_equal(auth_init(&e->engine, AUTH_METHOD_EAP_MD5, &cfg), 0);
	assert_int_equal(auth_start(&e->engine, 1000), 0);
}

/* 10,000 copies of pkt (its Identifier changed each time, so none is a
 * duplicate), 10 per ms from t0; returns the log lines they caused. */
static unsigned flood(struct end *e, struct test_log *tl, uint8_t *pkt, size_t len, uint64_t t0)
{
	unsigned before = tl->count;
	for (unsigned i = 0; i < FLOOD; i++) {
		pkt[1] = (uint8_t)i;
		(void)auth_input(&e->engine, pkt, len, t0 + i / 10);
		(void)auth_next_result(&e->engine);
	}
	return tl->count - before;
}

/* The flood reached its line: the last packet was answered with type. */
static void answered(const struct end *e, uint8_t type)
{
	assert_true(e->last_len >= 5);
	assert_int_equal(e->last[0], EAP_RESPONSE);
	assert_int_equal(e->last[1], (uint8_t)(FLOOD - 1));
	assert_int_equal(e->last[4], type);
}

static void eap_peer_floods_log_a_bounded_number_of_lines(void **state)
{
	(void)state;
	static struct end e;
	struct test_log tl;
	end_init(&e, AUTH_ROLE_PEER);
	test_log_capture(&tl);
	log_set_level(LOG_LEVEL_INFO); /* the default: EAP's lines are INFO and WARN */

	uint8_t tls_req[] = { EAP_REQUEST, 0, 0x00, 0x06, EAP_TYPE_TLS, 0x20 }; /* a type we cannot do */
	uint8_t odd_req[] = { EAP_REQUEST, 0, 0x00, 0x05, 200 };                /* a type nobody has */
	uint8_t note[] = { EAP_REQUEST, 0, 0x00, 0x08, EAP_TYPE_NOTIFICATION, 'h', 'i', '!' };
	uint8_t nak_req[] = { EAP_REQUEST, 0, 0x00, 0x05, EAP_TYPE_NAK };           /* Nak in a Request */
	uint8_t bad_len[] = { EAP_REQUEST, 0, 0x00, 0x40, EAP_TYPE_MD5_CHALLENGE }; /* Length past the end */
	uint8_t response[] = { EAP_RESPONSE, 0, 0x00, 0x05, EAP_TYPE_IDENTITY };    /* a Response to the peer */
	unsigned n[6];
	n[0] = flood(&e, &tl, tls_req, sizeof(tls_req), 2000);
	answered(&e, EAP_TYPE_NAK);
	n[1] = flood(&e, &tl, odd_req, sizeof(odd_req), 4000);
	answered(&e, EAP_TYPE_NAK);
	n[2] = flood(&e, &tl, note, sizeof(note), 6000);
	answered(&e, EAP_TYPE_NOTIFICATION);
	n[3] = flood(&e, &tl, nak_req, sizeof(nak_req), 8000);
	n[4] = flood(&e, &tl, bad_len, sizeof(bad_len), 10000);
	n[5] = flood(&e, &tl, response, sizeof(response), 12000);
	test_log_release();
	/* Still waiting: none of it ended the exchange. */
	assert_false(e.engine.done);
	auth_destroy(&e.engine);
	unsigned total = n[0] + n[1] + n[2] + n[3] + n[4] + n[5];
	if (total > 30)
		fail_msg("%u lines for 6 x 10,000 packets: TLS Request %u, type-200 Request %u, Notification %u, "
			 "Nak in a Request %u, bad Length %u, Response %u (last: %s)",
			 total, n[0], n[1], n[2], n[3], n[4], n[5], tl.last);
}

static void eap_authenticator_nak_flood_logs_a_bounded_number_of_lines(void **state)
{
	(void)state;
	static struct end e;
	struct test_log tl;
	end_init(&e, AUTH_ROLE_AUTHENTICATOR);
	test_log_capture(&tl);
	log_set_level(LOG_LEVEL_INFO);

	/* Request/Identity out; answer it, and MD5-Challenge comes. */
	assert_true(e.last_len >= 5 && e.last[0] == EAP_REQUEST && e.last[4] == EAP_TYPE_IDENTITY);
	uint8_t ident[] = { EAP_RESPONSE, e.last[1], 0x00, 0x0a, EAP_TYPE_IDENTITY, 'a', 'l', 'i', 'c', 'e' };
	assert_int_equal(auth_input(&e.engine, ident, sizeof(ident), 1001), 0);
	unsigned switches = 0, requests = 0;
	for (unsigned i = 0; i < FLOOD; i++) {
		/* Whatever method was offered last, Nak it for the other one
		 * (after the Failure, with the Failure's Identifier). */
		bool request = e.last_len >= 5 && e.last[0] == EAP_REQUEST;
		uint8_t offered = request ? e.last[4] : 0;
		uint8_t want = offered == EAP_TYPE_MSCHAPV2 ? EAP_TYPE_MD5_CHALLENGE : EAP_TYPE_MSCHAPV2;
		uint8_t nak[] = { EAP_RESPONSE, e.last[1], 0x00, 0x06, EAP_TYPE_NAK, want };
		(void)auth_input(&e.engine, nak, sizeof(nak), 2000 + i / 10);
		(void)auth_next_result(&e.engine);
		if (e.last_len >= 5 && e.last[0] == EAP_REQUEST) {
			requests++;
			switches += e.last[4] != offered;
		}
	}
	unsigned lines = tl.count;
	test_log_release();
	struct auth_result r = e.engine.result;
	auth_destroy(&e.engine);
	/* MD5-Challenge, then EAP-MSCHAPv2 once; a Nak back to MD5 is the
	 * end (it has been offered), not a third Request. */
	assert_int_equal(switches, 1);
	assert_int_equal(requests, 1);
	assert_false(r.success);
	assert_int_equal(r.cause, AUTH_CAUSE_UNSUPPORTED);
	if (lines > 15)
		fail_msg("%u lines for 10,000 Naks (last: %s)", lines, tl.last);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(eap_peer_floods_log_a_bounded_number_of_lines),
		cmocka_unit_test(eap_authenticator_nak_flood_logs_a_bounded_number_of_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
