/* SPDX-License-Identifier: BSD-2-Clause */
/* The RADIUS client engine in virtual time: replies, retransmission with
 * the same Identifier and authenticator, failover, dead marking,
 * Status-Server probing, forged replies dropped, Identifier exhaustion. */
#include "support/test_support.h"

#include <string.h>

#include "base/crypto.h"
#include "base/error.h"
#include "base/time.h"
#include "proto/radius/radius_build.h"
#include "proto/radius/radius_client.h"
#include "proto/radius/radius_hide.h"

#define MAX_SENT 600

struct sent {
	struct radius_datagram d;
	uint8_t data[RADIUS_MAX_PACKET];
};

static struct sent sent[MAX_SENT];
static unsigned n_sent;

static void capture(void *ctx, const struct radius_datagram *d)
{
	(void)ctx;
	assert_true(n_sent < MAX_SENT);
	sent[n_sent].d = *d;
	memcpy(sent[n_sent].data, d->data, d->len);
	sent[n_sent].d.data = sent[n_sent].data;
	n_sent++;
}

static const char *secrets[] = { "first-secret", "second-secret" };

static struct radius_client *make_client(unsigned n_auth, unsigned sockets, unsigned max_outstanding,
					 struct test_random *tr)
{
	struct radius_client_config cfg = { .sockets = sockets,
					    .timeout_ms = 1000,
					    .retries = 2,
					    .probe_interval_ms = 30000,
					    .max_outstanding = max_outstanding };
	for (int sv = 0; sv < RADIUS_SERVICES; sv++) {
		cfg.n_servers[sv] = n_auth;
		for (unsigned i = 0; i < n_auth; i++) {
			cfg.servers[sv][i].secret_len = strlen(secrets[i]);
			memcpy(cfg.servers[sv][i].secret, secrets[i], cfg.servers[sv][i].secret_len);
		}
	}
	n_sent = 0;
	test_random_init(tr, 7);
	struct random_source rs = test_random_source(tr);
	struct radius_client *c = radius_client_new(&cfg, &rs, capture, NULL);
	assert_non_null(c);
	return c;
}

/* A server's answer to a datagram: checks the request like a server would. */
static size_t answer(const struct sent *s, uint8_t code, const char *secret, bool with_ma, uint8_t *out)
{
	struct radius_packet req;
	assert_int_equal(radius_packet_parse(s->data, s->d.len, &req), RADIUS_PARSE_OK);
	assert_int_equal(radius_verify_request(&req, (const uint8_t *)secret, strlen(secret)), RADIUS_VERDICT_OK);
	struct radius_builder b;
	radius_build_begin(&b, out, RADIUS_MAX_PACKET, code, req.id, NULL);
	radius_put_string(&b.w, RADIUS_ATTR_REPLY_MESSAGE, "welcome");
	if (with_ma)
		radius_put_message_auth(&b.w);
	size_t n = radius_build_end(&b);
	assert_true(radius_sign_reply(out, n, req.authenticator, (const uint8_t *)secret, strlen(secret)));
	return n;
}

static size_t pap_attrs(uint8_t *buf, size_t cap)
{
	struct writer w;
	writer_init(&w, buf, cap);
	radius_put_string(&w, RADIUS_ATTR_USER_NAME, "testuser");
	radius_put_u32(&w, RADIUS_ATTR_NAS_PORT_TYPE, 5);
	return writer_len(&w);
}

static int submit_pap(struct radius_client *c, uint64_t handle, uint64_t now)
{
	uint8_t attrs[64];
	struct radius_request r = { .service = RADIUS_SERVICE_AUTH,
				    .code = RADIUS_ACCESS_REQUEST,
				    .attrs = attrs,
				    .attrs_len = pap_attrs(attrs, sizeof(attrs)),
				    .password = (const uint8_t *)"pass1",
				    .password_len = 5,
				    .handle = handle };
	return radius_client_submit(c, &r, now);
}

static void expect_event(struct radius_client *c, enum radius_event_type type, struct radius_event *ev)
{
	assert_true(radius_client_next_event(c, ev));
	assert_int_equal(ev->type, type);
}

static void reply_delivered_with_password_hidden_per_server(void **state)
{
	(void)state;
	struct test_random tr;
	struct radius_client *c = make_client(1, 1, 4, &tr);
	assert_int_equal(submit_pap(c, 77, 0), 0);
	assert_int_equal(n_sent, 1);
	assert_int_equal(radius_client_next_deadline(c), 1000);
	struct radius_packet p;
	assert_int_equal(radius_packet_parse(sent[0].data, sent[0].d.len, &p), RADIUS_PARSE_OK);
	struct radius_attr a;
	assert_true(radius_find(&p, 0, RADIUS_ATTR_USER_PASSWORD, &a));
	uint8_t pw[128];
	assert_int_equal(radius_password_reveal((const uint8_t *)secrets[0], strlen(secrets[0]), p.authenticator, a.value,
						a.len, pw, sizeof(pw)),
			 5);
	assert_memory_equal(pw, "pass1", 5);

	uint8_t rep[RADIUS_MAX_PACKET];
	size_t n = answer(&sent[0], RADIUS_ACCESS_ACCEPT, secrets[0], true, rep);
	radius_client_on_datagram(c, RADIUS_SERVICE_AUTH, 0, 0, rep, n, 10);
	struct radius_event ev;
	expect_event(c, RADIUS_EV_REPLY, &ev);
	assert_int_equal(ev.handle, 77);
	assert_int_equal(ev.reply.code, RADIUS_ACCESS_ACCEPT);
	assert_true(radius_find(&ev.reply, 0, RADIUS_ATTR_REPLY_MESSAGE, &a));
	assert_memory_equal(ev.request_auth, p.authenticator, 16);
	assert_false(radius_client_next_event(c, &ev));
	assert_int_equal(radius_client_outstanding(c), 0);
	assert_int_equal(radius_client_next_deadline(c), DEADLINE_NONE);
	/* The same reply again: nothing outstanding matches it. */
	radius_client_on_datagram(c, RADIUS_SERVICE_AUTH, 0, 0, rep, n, 20);
	expect_event(c, RADIUS_EV_DROPPED, &ev);
	assert_int_equal(ev.verdict, RADIUS_VERDICT_UNMATCHED);
	radius_client_free(c);
}

static void retransmit_then_failover_then_dead(void **state)
{
	(void)state;
	struct test_random tr;
	struct radius_client *c = make_client(2, 1, 4, &tr);
	assert_int_equal(submit_pap(c, 1, 0), 0);
	radius_client_on_timeout(c, 999); /* not yet */
	assert_int_equal(n_sent, 1);
	radius_client_on_timeout(c, 1000);
	radius_client_on_timeout(c, 2000);
	assert_int_equal(n_sent, 3);
	/* RFC 5080 §2.2.1: retransmissions are the same datagram. */
	for (int i = 1; i < 3; i++) {
		assert_int_equal(sent[i].d.server, 0);
		assert_int_equal(sent[i].d.len, sent[0].d.len);
		assert_memory_equal(sent[i].data, sent[0].data, sent[0].d.len);
	}
	radius_client_on_timeout(c, 3000);
	assert_int_equal(n_sent, 4);
	assert_int_equal(sent[3].d.server, 1);
	assert_int_not_equal(sent[3].data[1], sent[0].data[1]); /* new Identifier */
	struct radius_event ev;
	expect_event(c, RADIUS_EV_SERVER_DEAD, &ev);
	assert_int_equal(ev.server, 0);
	assert_false(radius_client_server_alive(c, RADIUS_SERVICE_AUTH, 0));
	/* The late answer of server 0 matches nothing any more. */
	uint8_t rep[RADIUS_MAX_PACKET];
	size_t n = answer(&sent[0], RADIUS_ACCESS_ACCEPT, secrets[0], true, rep);
	radius_client_on_datagram(c, RADIUS_SERVICE_AUTH, 0, 0, rep, n, 3001);
	expect_event(c, RADIUS_EV_DROPPED, &ev);
	/* Server 1 answers with its own secret. */
	n = answer(&sent[3], RADIUS_ACCESS_REJECT, secrets[1], true, rep);
	radius_client_on_datagram(c, RADIUS_SERVICE_AUTH, 1, 0, rep, n, 3100);
	expect_event(c, RADIUS_EV_REPLY, &ev);
	assert_int_equal(ev.reply.code, RADIUS_ACCESS_REJECT);
	assert_int_equal(ev.server, 1);
	/* New requests go straight to server 1 while 0 is dead. */
	assert_int_equal(submit_pap(c, 2, 4000), 0);
	assert_int_equal(sent[n_sent - 1].d.server, 1);
	radius_client_free(c);
}

static void all_dead_then_probe_brings_back(void **state)
{
	(void)state;
	struct test_random tr;
	struct radius_client *c = make_client(1, 1, 4, &tr);
	assert_int_equal(submit_pap(c, 5, 0), 0);
	for (uint64_t t = 1000; t <= 3000; t += 1000)
		radius_client_on_timeout(c, t);
	struct radius_event ev;
	expect_event(c, RADIUS_EV_SERVER_DEAD, &ev);
	expect_event(c, RADIUS_EV_FAILED, &ev);
	assert_int_equal(ev.handle, 5);
	assert_int_equal(submit_pap(c, 6, 3001), ERR_TIMEOUT);
	/* Probe after the interval: a signed Status-Server. */
	assert_int_equal(radius_client_next_deadline(c), 33000);
	unsigned before = n_sent;
	radius_client_on_timeout(c, 33000);
	assert_int_equal(n_sent, before + 1);
	struct sent *probe = &sent[n_sent - 1];
	assert_int_equal(probe->data[0], RADIUS_STATUS_SERVER);
	/* Unanswered: the next probe one interval after its timeout. */
	radius_client_on_timeout(c, 34000);
	assert_int_equal(radius_client_next_deadline(c), 64000);
	radius_client_on_timeout(c, 64000);
	probe = &sent[n_sent - 1];
	assert_int_equal(probe->data[0], RADIUS_STATUS_SERVER);
	/* An answer without Message-Authenticator is refused (RFC 5997 §3). */
	uint8_t rep[RADIUS_MAX_PACKET];
	size_t n = answer(probe, RADIUS_ACCESS_ACCEPT, secrets[0], false, rep);
	radius_client_on_datagram(c, RADIUS_SERVICE_AUTH, 0, probe->d.socket, rep, n, 64010);
	expect_event(c, RADIUS_EV_DROPPED, &ev);
	assert_int_equal(ev.verdict, RADIUS_VERDICT_NO_MESSAGE_AUTH);
	n = answer(probe, RADIUS_ACCESS_ACCEPT, secrets[0], true, rep);
	radius_client_on_datagram(c, RADIUS_SERVICE_AUTH, 0, probe->d.socket, rep, n, 64020);
	expect_event(c, RADIUS_EV_SERVER_ALIVE, &ev);
	assert_true(radius_client_server_alive(c, RADIUS_SERVICE_AUTH, 0));
	assert_int_equal(submit_pap(c, 7, 64030), 0);
	assert_int_equal(radius_client_stats(c)->probes, 2);
	radius_client_free(c);
}

static void forged_replies_dropped_request_keeps_waiting(void **state)
{
	(void)state;
	struct test_random tr;
	struct radius_client *c = make_client(2, 1, 4, &tr);
	assert_int_equal(submit_pap(c, 9, 0), 0);
	uint8_t rep[RADIUS_MAX_PACKET];
	struct radius_event ev;
	struct {
		const char *secret;
		bool ma;
		unsigned server;
		enum radius_verdict want;
	} bad[] = {
		{ "wrong-secret", true, 0, RADIUS_VERDICT_BAD_AUTHENTICATOR },
		{ "first-secret", false, 0, RADIUS_VERDICT_NO_MESSAGE_AUTH },
		{ "first-secret", true, 1, RADIUS_VERDICT_UNMATCHED }, /* right bytes, wrong source */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t n = answer(&sent[0], RADIUS_ACCESS_ACCEPT, secrets[0], bad[i].ma, rep);
		if (strcmp(bad[i].secret, secrets[0]) != 0) {
			struct radius_packet req;
			assert_int_equal(radius_packet_parse(sent[0].data, sent[0].d.len, &req), RADIUS_PARSE_OK);
			assert_true(radius_sign_reply(rep, n, req.authenticator, (const uint8_t *)bad[i].secret,
						      strlen(bad[i].secret)));
		}
		radius_client_on_datagram(c, RADIUS_SERVICE_AUTH, bad[i].server, 0, rep, n, 10);
		expect_event(c, RADIUS_EV_DROPPED, &ev);
		assert_int_equal(ev.verdict, bad[i].want);
	}
	/* Bad Message-Authenticator under a right Response Authenticator. */
	size_t n = answer(&sent[0], RADIUS_ACCESS_ACCEPT, secrets[0], true, rep);
	struct radius_packet req;
	assert_int_equal(radius_packet_parse(sent[0].data, sent[0].d.len, &req), RADIUS_PARSE_OK);
	rep[n - 3] ^= 0xff; /* inside the Message-Authenticator (the last attribute) */
	struct crypto_part parts[] = {
		{ rep, 4 }, { req.authenticator, 16 }, { rep + 20, n - 20 }, { secrets[0], strlen(secrets[0]) }
	};
	crypto_md5(parts, 4, rep + 4); /* RFC 2865 §3 Response Authenticator */
	radius_client_on_datagram(c, RADIUS_SERVICE_AUTH, 0, 0, rep, n, 11);
	expect_event(c, RADIUS_EV_DROPPED, &ev);
	assert_int_equal(ev.verdict, RADIUS_VERDICT_BAD_MESSAGE_AUTH);
	/* Garbage. */
	radius_client_on_datagram(c, RADIUS_SERVICE_AUTH, 0, 0, (const uint8_t *)"xx", 2, 12);
	expect_event(c, RADIUS_EV_DROPPED, &ev);
	assert_int_equal(ev.verdict, RADIUS_VERDICT_MALFORMED);
	assert_int_equal(radius_client_outstanding(c), 1);
	/* The real answer still lands. */
	n = answer(&sent[0], RADIUS_ACCESS_ACCEPT, secrets[0], true, rep);
	radius_client_on_datagram(c, RADIUS_SERVICE_AUTH, 0, 0, rep, n, 20);
	expect_event(c, RADIUS_EV_REPLY, &ev);
	assert_int_equal(ev.handle, 9);
	radius_client_free(c);
}

static void identifiers_per_socket(void **state)
{
	(void)state;
	struct test_random tr;
	struct radius_client *c = make_client(1, 1, 300, &tr);
	for (unsigned i = 0; i < 256; i++)
		assert_int_equal(submit_pap(c, i, 0), 0);
	assert_int_equal(submit_pap(c, 256, 0), ERR_LIMIT);
	uint8_t seen[256] = { 0 };
	for (unsigned i = 0; i < 256; i++) {
		assert_int_equal(seen[sent[i].data[1]], 0);
		seen[sent[i].data[1]] = 1;
	}
	radius_client_free(c);

	c = make_client(1, 2, 300, &tr);
	for (unsigned i = 0; i < 300; i++)
		assert_int_equal(submit_pap(c, i, 0), 0);
	assert_int_equal(sent[299].d.socket, 1);
	assert_int_equal(submit_pap(c, 300, 0), ERR_LIMIT); /* the table bound */
	radius_client_cancel(c, 3);
	assert_int_equal(radius_client_outstanding(c), 299);
	assert_int_equal(submit_pap(c, 301, 0), 0);
	radius_client_free(c);
}

static void accounting_request_and_response(void **state)
{
	(void)state;
	struct test_random tr;
	struct radius_client *c = make_client(1, 1, 4, &tr);
	uint8_t attrs[64];
	struct writer w;
	writer_init(&w, attrs, sizeof(attrs));
	radius_put_u32(&w, RADIUS_ATTR_ACCT_STATUS_TYPE, RADIUS_ACCT_START);
	radius_put_string(&w, RADIUS_ATTR_ACCT_SESSION_ID, "0001");
	struct radius_request r = { .service = RADIUS_SERVICE_ACCT,
				    .code = RADIUS_ACCOUNTING_REQUEST,
				    .attrs = attrs,
				    .attrs_len = writer_len(&w),
				    .handle = 42 };
	assert_int_equal(radius_client_submit(c, &r, 0), 0);
	assert_int_equal(sent[0].d.service, RADIUS_SERVICE_ACCT);
	uint8_t rep[RADIUS_MAX_PACKET];
	size_t n = answer(&sent[0], RADIUS_ACCOUNTING_RESPONSE, secrets[0], false, rep);
	radius_client_on_datagram(c, RADIUS_SERVICE_ACCT, 0, 0, rep, n, 5);
	struct radius_event ev;
	expect_event(c, RADIUS_EV_REPLY, &ev);
	assert_int_equal(ev.handle, 42);
	assert_int_equal(ev.reply.code, RADIUS_ACCOUNTING_RESPONSE);
	radius_client_free(c);
}

static void bad_configuration_refused(void **state)
{
	(void)state;
	struct test_random tr;
	test_random_init(&tr, 1);
	struct random_source rs = test_random_source(&tr);
	struct radius_client_config cfg = { .sockets = 0, .timeout_ms = 1, .probe_interval_ms = 1, .max_outstanding = 1 };
	assert_null(radius_client_new(&cfg, &rs, capture, NULL));
	cfg.sockets = 1;
	cfg.n_servers[0] = 1; /* empty secret */
	assert_null(radius_client_new(&cfg, &rs, capture, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reply_delivered_with_password_hidden_per_server),
		cmocka_unit_test(retransmit_then_failover_then_dead),
		cmocka_unit_test(all_dead_then_probe_brings_back),
		cmocka_unit_test(forged_replies_dropped_request_keeps_waiting),
		cmocka_unit_test(identifiers_per_socket),
		cmocka_unit_test(accounting_request_and_response),
		cmocka_unit_test(bad_configuration_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
