/* SPDX-License-Identifier: BSD-2-Clause */
/* Auth engines back to back: an authenticator and a peer of each method
 * wired through an in-process lossy link with virtual time. */
#include "support/test_support.h"

#include <stdio.h>
#include <string.h>

#include "base/crypto.h"
#include "base/error.h"
#include "proto/auth/auth.h"
#include "proto/auth/auth_wire.h"

#include "../vectors/auth/capture_mschapv2.h"

#define QMAX 32

struct queue {
	uint8_t pkt[QMAX][AUTH_MAX_PACKET];
	size_t len[QMAX];
	unsigned head, tail;
};

struct sim;

struct side {
	struct sim *sim;
	bool is_server;
	struct auth engine;
	struct queue *out;       /* where our packets go */
	unsigned sent;           /* packets emitted */
	uint32_t drop_mask;      /* drop the Nth emitted packet (bit N) */
	unsigned events;
	struct auth_result result;
	struct test_random rnd;
};

struct sim {
	struct side server, client;
	struct queue to_client, to_server;
	uint64_t now;
	/* server credentials */
	const char *known_user;
	const char *password;            /* plaintext, or NULL */
	bool nt_hash_only;
	const char *second_password;     /* after the first lookup (retry tests) */
	unsigned lookups;
	char last_lookup[AUTH_MAX_NAME + 1];
	/* tamper with the server's CHAP Success before delivery */
	void (*tamper)(uint8_t *pkt, size_t *len);
};

static void side_output(void *ctx, uint16_t protocol, const uint8_t *payload, size_t len)
{
	struct side *s = ctx;
	unsigned n = s->sent++;

	assert_true(protocol == s->engine.ops->ppp_protocol);
	assert_true(len <= AUTH_MAX_PACKET);
	if (n < 32 && (s->drop_mask & (1u << n)))
		return;
	struct queue *q = s->out;
	assert_true(q->tail - q->head < QMAX);
	memcpy(q->pkt[q->tail % QMAX], payload, len);
	q->len[q->tail % QMAX] = len;
	q->tail++;
}

/* Events out: take the result the last call reported, as the link does. */
static void side_take(struct side *s)
{
	const struct auth_result *r = auth_next_result(&s->engine);
	assert_int_equal(s->engine.results_overwritten, 0); /* one result per call */
	if (!r)
		return;
	s->events++;
	s->result = *r;
}

static int sim_lookup(void *ctx, const char *user, struct auth_secret *out)
{
	struct sim *sim = ctx;

	snprintf(sim->last_lookup, sizeof(sim->last_lookup), "%s", user);
	if (strcmp(user, sim->known_user) != 0)
		return ERR_NOT_FOUND;
	const char *pw = sim->password;
	if (sim->second_password && sim->lookups > 0)
		pw = sim->second_password;
	sim->lookups++;
	if (sim->nt_hash_only) {
		uint8_t hash[16];
		assert_int_equal(mschap_nt_password_hash(pw, strlen(pw), hash), 0);
		auth_secret_set_nt_hash(out, hash);
		return 0;
	}
	return auth_secret_set_password(out, pw);
}

struct sim_opts {
	enum auth_method method;
	const char *client_user;
	const char *client_password;
	bool client_nt_hash;
	const char *server_password;
	bool server_nt_hash_only;
	const char *known_user;
	uint32_t rechallenge_ms;
	uint32_t max_retries;
	uint32_t client_max_retries;
};

static void sim_init(struct sim *sim, const struct sim_opts *o)
{
	memset(sim, 0, sizeof(*sim));
	sim->known_user = o->known_user ? o->known_user : "alice";
	sim->password = o->server_password ? o->server_password : "s3cret";
	sim->nt_hash_only = o->server_nt_hash_only;
	sim->now = 1000;

	struct side *sides[2] = { &sim->server, &sim->client };
	for (int i = 0; i < 2; i++) {
		struct side *s = sides[i];
		struct auth_config cfg;
		s->sim = sim;
		s->is_server = i == 0;
		s->out = i == 0 ? &sim->to_client : &sim->to_server;
		test_random_init(&s->rnd, 42 + (uint64_t)i);
		memset(&cfg, 0, sizeof(cfg));
		cfg.role = i == 0 ? AUTH_ROLE_AUTHENTICATOR : AUTH_ROLE_PEER;
		cfg.tag = i == 0 ? "server" : "client";
		cfg.random = test_random_source(&s->rnd);
		cfg.output = side_output;
		cfg.cb_ctx = s;
		cfg.restart_ms = 1000;
		cfg.max_transmits = 4;
		if (i == 0) {
			cfg.local_name = "openpptp";
			cfg.lookup = sim_lookup;
			cfg.lookup_ctx = sim;
			cfg.rechallenge_ms = o->rechallenge_ms;
			cfg.max_retries = o->max_retries;
		} else {
			const char *pw = o->client_password ? o->client_password : "s3cret";
			cfg.user = o->client_user ? o->client_user : "alice";
			cfg.max_retries = o->client_max_retries;
			if (o->client_nt_hash) {
				uint8_t hash[16];
				assert_int_equal(mschap_nt_password_hash(pw, strlen(pw), hash), 0);
				auth_secret_set_nt_hash(&cfg.secret, hash);
			} else {
				assert_int_equal(auth_secret_set_password(&cfg.secret, pw), 0);
			}
		}
		assert_int_equal(auth_init(&s->engine, o->method, &cfg), 0);
	}
}

static bool deliver_one(struct sim *sim, struct queue *q, struct side *to)
{
	if (q->head == q->tail)
		return false;
	uint8_t buf[AUTH_MAX_PACKET];
	size_t len = q->len[q->head % QMAX];
	memcpy(buf, q->pkt[q->head % QMAX], len);
	q->head++;
	if (to == &sim->client && sim->tamper)
		sim->tamper(buf, &len);
	(void)auth_input(&to->engine, buf, len, sim->now);
	side_take(to);
	return true;
}

/* Run until both sides are quiet and have no timer, or until limit_ms. */
static void sim_run(struct sim *sim, uint64_t limit_ms)
{
	uint64_t end = sim->now + limit_ms;

	while (sim->now <= end) {
		bool moved = deliver_one(sim, &sim->to_client, &sim->client);
		moved |= deliver_one(sim, &sim->to_server, &sim->server);
		if (moved)
			continue;
		uint64_t d = deadline_min(auth_next_deadline(&sim->server.engine),
					  auth_next_deadline(&sim->client.engine));
		if (d == DEADLINE_NONE || d > end)
			break;
		sim->now = d;
		auth_on_timeout(&sim->server.engine, sim->now);
		side_take(&sim->server);
		auth_on_timeout(&sim->client.engine, sim->now);
		side_take(&sim->client);
	}
}

static void sim_start(struct sim *sim)
{
	(void)auth_start(&sim->client.engine, sim->now);
	side_take(&sim->client);
	(void)auth_start(&sim->server.engine, sim->now);
	side_take(&sim->server);
}

static void sim_destroy(struct sim *sim)
{
	auth_destroy(&sim->server.engine);
	auth_destroy(&sim->client.engine);
}

static const enum auth_method all_methods[] = {
	AUTH_METHOD_PAP, AUTH_METHOD_CHAP_MD5, AUTH_METHOD_MSCHAPV1, AUTH_METHOD_MSCHAPV2, AUTH_METHOD_EAP_MD5,
};
#define N_METHODS (sizeof(all_methods) / sizeof(all_methods[0]))

static bool is_mschap(enum auth_method m)
{
	return m == AUTH_METHOD_MSCHAPV1 || m == AUTH_METHOD_MSCHAPV2;
}

static void every_method_succeeds(void **state)
{
	(void)state;
	static struct sim sim;

	for (size_t i = 0; i < N_METHODS; i++) {
		struct sim_opts o = { .method = all_methods[i] };
		sim_init(&sim, &o);
		sim_start(&sim);
		sim_run(&sim, 60000);
		assert_int_equal(sim.server.events, 1);
		assert_int_equal(sim.client.events, 1);
		assert_true(sim.server.result.success);
		assert_true(sim.client.result.success);
		assert_string_equal(sim.server.result.user, "alice");
		assert_string_equal(sim.client.result.user, "alice");
		assert_int_equal(sim.server.result.role, AUTH_ROLE_AUTHENTICATOR);
		assert_int_equal(sim.client.result.role, AUTH_ROLE_PEER);
		assert_int_equal((int)sim.server.result.method, (int)all_methods[i]);
		const struct auth_mppe_material *ms = &sim.server.result.mppe, *mc = &sim.client.result.mppe;
		if (is_mschap(all_methods[i])) {
			uint8_t hash[16], hh[16];
			assert_true(ms->valid && mc->valid);
			assert_true(ms->is_server);
			assert_false(mc->is_server);
			assert_int_equal(mschap_nt_password_hash("s3cret", 6, hash), 0);
			mschap_hash_nt_password_hash(hash, hh);
			assert_memory_equal(ms->password_hash_hash, hh, 16);
			assert_memory_equal(mc->password_hash_hash, hh, 16);
			assert_memory_equal(ms->nt_response, mc->nt_response, 24);
			assert_memory_equal(ms->challenge, mc->challenge, 8);
			bool v1 = all_methods[i] == AUTH_METHOD_MSCHAPV1;
			assert_true(ms->has_lm_password_hash == v1 && mc->has_lm_password_hash == v1);
			if (v1)
				assert_memory_equal(ms->lm_password_hash, mc->lm_password_hash, 16);
		} else {
			assert_false(ms->valid);
			assert_false(mc->valid);
		}
		/* settled: no timers left */
		assert_int_equal(auth_next_deadline(&sim.client.engine), DEADLINE_NONE);
		assert_int_equal(auth_next_deadline(&sim.server.engine), DEADLINE_NONE);
		sim_destroy(&sim);
	}
}

static void every_method_refuses_a_wrong_password(void **state)
{
	(void)state;
	static struct sim sim;

	for (size_t i = 0; i < N_METHODS; i++) {
		struct sim_opts o = { .method = all_methods[i], .client_password = "guess" };
		sim_init(&sim, &o);
		sim_start(&sim);
		sim_run(&sim, 60000);
		assert_int_equal(sim.server.events, 1);
		assert_int_equal(sim.client.events, 1);
		assert_false(sim.server.result.success);
		assert_false(sim.client.result.success);
		assert_int_equal(sim.server.result.cause, AUTH_CAUSE_WRONG_PASSWORD);
		assert_int_equal(sim.client.result.cause, AUTH_CAUSE_WRONG_PASSWORD);
		assert_false(sim.client.result.mppe.valid);
		sim_destroy(&sim);
	}
}

/* A user name with a newline and bytes that are not UTF-8: the lookup sees
 * the raw name (secrets, the MS-CHAPv2 hash need it), the reason that goes
 * to logs and status is printable ASCII with \xNN escapes. */
static void hostile_user_name_is_escaped_in_the_reason(void **state)
{
	(void)state;
	static struct sim sim;
	const char *evil = "mallory\nopenpptp: error: forged\xff\xfe";
	unsigned named = 0;

	for (size_t i = 0; i < N_METHODS; i++) {
		struct sim_opts o = { .method = all_methods[i], .client_user = evil };
		sim_init(&sim, &o);
		sim_start(&sim);
		sim_run(&sim, 60000);
		assert_int_equal(sim.server.events, 1);
		assert_false(sim.server.result.success);
		assert_string_equal(sim.last_lookup, evil);
		const char *r = sim.server.result.reason;
		for (size_t k = 0; r[k]; k++)
			assert_true(r[k] >= 0x20 && r[k] <= 0x7e);
		if (strstr(r, "mallory")) {
			named++;
			if (!strstr(r, "mallory\\x0aopenpptp: error: forged\\xff\\xfe"))
				fail_msg("method %zu reason: %s", i, r);
		}
		sim_destroy(&sim);
	}
	assert_true(named > 0);
}

static void every_method_survives_lost_packets(void **state)
{
	(void)state;
	static struct sim sim;

	for (size_t i = 0; i < N_METHODS; i++) {
		struct sim_opts o = { .method = all_methods[i] };
		sim_init(&sim, &o);
		/* Lose the first packet each side sends: the first Challenge /
		 * EAP Request / PAP Request and the peer's first answer. */
		sim.server.drop_mask = 1u << 0;
		sim.client.drop_mask = 1u << 0;
		sim_start(&sim);
		sim_run(&sim, 60000);
		assert_true(sim.server.result.success);
		assert_true(sim.client.result.success);
		assert_int_equal(sim.server.events, 1);
		assert_int_equal(sim.client.events, 1);
		sim_destroy(&sim);
	}
}

static void chap_lost_success_is_repeated(void **state)
{
	(void)state;
	static struct sim sim;
	const enum auth_method chap[] = { AUTH_METHOD_CHAP_MD5, AUTH_METHOD_MSCHAPV1, AUTH_METHOD_MSCHAPV2 };

	for (size_t i = 0; i < 3; i++) {
		struct sim_opts o = { .method = chap[i] };
		sim_init(&sim, &o);
		sim.server.drop_mask = 1u << 1;   /* the Success */
		sim_start(&sim);
		sim_run(&sim, 60000);
		/* The peer repeated its Response; RFC 1994 §4.1: same Success. */
		assert_int_equal(sim.client.sent, 2);
		assert_int_equal(sim.server.sent, 3);
		assert_true(sim.server.result.success);
		assert_true(sim.client.result.success);
		sim_destroy(&sim);
	}
}

static void timeouts_are_reported(void **state)
{
	(void)state;
	static struct sim sim;

	for (size_t i = 0; i < N_METHODS; i++) {
		struct sim_opts o = { .method = all_methods[i] };
		sim_init(&sim, &o);
		sim.server.drop_mask = 0xffffffffu;
		sim.client.drop_mask = 0xffffffffu;
		sim_start(&sim);
		sim_run(&sim, 120000);
		assert_int_equal(sim.server.events, 1);
		assert_int_equal(sim.client.events, 1);
		assert_int_equal(sim.server.result.cause, AUTH_CAUSE_TIMEOUT);
		assert_int_equal(sim.client.result.cause, AUTH_CAUSE_TIMEOUT);
		/* bounded retransmission */
		assert_true(sim.server.sent <= 4);
		assert_true(sim.client.sent <= 4);
		sim_destroy(&sim);
	}
}

/* flip one hex digit of the authenticator response */
static void tamper_authresp(uint8_t *pkt, size_t *len)
{
	if (*len > 10 && pkt[0] == CHAP_SUCCESS)
		pkt[10] = pkt[10] == '0' ? '1' : '0';
}

static void tamper_drop_authresp(uint8_t *pkt, size_t *len)
{
	static const char msg[] = "M=Access granted";
	if (pkt[0] != CHAP_SUCCESS)
		return;
	memcpy(pkt + 4, msg, sizeof(msg) - 1);
	*len = 4 + sizeof(msg) - 1;
	pkt[2] = 0;
	pkt[3] = (uint8_t)*len;
}

static void mschapv2_client_checks_authenticator(void **state)
{
	(void)state;
	static struct sim sim;
	void (*tampers[])(uint8_t *, size_t *) = { tamper_authresp, tamper_drop_authresp };

	for (size_t i = 0; i < 2; i++) {
		struct sim_opts o = { .method = AUTH_METHOD_MSCHAPV2 };
		sim_init(&sim, &o);
		sim.tamper = tampers[i];
		sim_start(&sim);
		sim_run(&sim, 60000);
		assert_true(sim.server.result.success);
		assert_false(sim.client.result.success);
		assert_int_equal(sim.client.result.cause, AUTH_CAUSE_BAD_AUTHENTICATOR);
		assert_false(sim.client.result.mppe.valid);
		sim_destroy(&sim);
	}
}

static void mschap_domain_user(void **state)
{
	(void)state;
	static struct sim sim;
	const enum auth_method ms[] = { AUTH_METHOD_MSCHAPV1, AUTH_METHOD_MSCHAPV2 };

	for (size_t i = 0; i < 2; i++) {
		/* the secrets know only "alice": found by the stripped name */
		struct sim_opts o = { .method = ms[i], .client_user = "CORP\\alice" };
		sim_init(&sim, &o);
		sim_start(&sim);
		sim_run(&sim, 60000);
		assert_true(sim.server.result.success);
		assert_true(sim.client.result.success);
		assert_string_equal(sim.server.result.user, "CORP\\alice");
		assert_string_equal(sim.last_lookup, "alice");
		sim_destroy(&sim);

		/* the secrets hold the full name: found at the first lookup */
		o.known_user = "CORP\\alice";
		sim_init(&sim, &o);
		sim_start(&sim);
		sim_run(&sim, 60000);
		assert_true(sim.server.result.success);
		assert_true(sim.client.result.success);
		assert_string_equal(sim.last_lookup, "CORP\\alice");
		sim_destroy(&sim);
	}
}

static void nt_hash_secrets(void **state)
{
	(void)state;
	static struct sim sim;

	for (size_t i = 0; i < N_METHODS; i++) {
		struct sim_opts o = { .method = all_methods[i], .server_nt_hash_only = true };
		sim_init(&sim, &o);
		sim_start(&sim);
		sim_run(&sim, 60000);
		assert_int_equal(sim.server.events, 1);
		assert_int_equal(sim.client.events, 1);
		if (is_mschap(all_methods[i])) {
			assert_true(sim.server.result.success);
			assert_true(sim.client.result.success);
		} else {
			assert_false(sim.server.result.success);
			assert_int_equal(sim.server.result.cause, AUTH_CAUSE_NO_SECRET);
			assert_false(sim.client.result.success);
			assert_int_equal(sim.client.result.cause, AUTH_CAUSE_WRONG_PASSWORD);
		}
		sim_destroy(&sim);

		/* the client configured with an NT hash */
		struct sim_opts c = { .method = all_methods[i], .client_nt_hash = true };
		sim_init(&sim, &c);
		sim_start(&sim);
		sim_run(&sim, 60000);
		if (is_mschap(all_methods[i]) || all_methods[i] == AUTH_METHOD_EAP_MD5) {
			/* EAP: the peer Naks MD5-Challenge for EAP-MSCHAPv2. */
			assert_true(sim.server.result.success);
			assert_true(sim.client.result.success);
		} else {
			assert_false(sim.client.result.success);
			assert_true(sim.client.result.cause == AUTH_CAUSE_NO_SECRET ||
				    sim.client.result.cause == AUTH_CAUSE_UNSUPPORTED);
		}
		sim_destroy(&sim);
	}
}

static void mschap_retry_with_new_challenge(void **state)
{
	(void)state;
	static struct sim sim;
	const enum auth_method ms[] = { AUTH_METHOD_MSCHAPV1, AUTH_METHOD_MSCHAPV2 };

	for (size_t i = 0; i < 2; i++) {
		/* the first lookup answers a different password, the second the
		 * right one: Failure R=1 C=..., retry, Success */
		struct sim_opts o = { .method = ms[i], .server_password = "old", .max_retries = 1,
				      .client_max_retries = 1 };
		sim_init(&sim, &o);
		sim.second_password = "s3cret";
		sim_start(&sim);
		sim_run(&sim, 60000);
		assert_int_equal(sim.lookups, 2);
		assert_true(sim.server.result.success);
		assert_true(sim.client.result.success);
		assert_int_equal(sim.server.events, 1);
		assert_int_equal(sim.client.events, 1);
		sim_destroy(&sim);

		/* a client that does not retry fails with wrong-password */
		o.client_max_retries = 0;
		sim_init(&sim, &o);
		sim.second_password = "s3cret";
		sim_start(&sim);
		sim_run(&sim, 60000);
		assert_false(sim.client.result.success);
		assert_int_equal(sim.client.result.cause, AUTH_CAUSE_WRONG_PASSWORD);
		assert_false(sim.server.result.success);
		assert_int_equal(sim.server.result.cause, AUTH_CAUSE_TIMEOUT);
		sim_destroy(&sim);
	}
}

static void chap_rechallenge(void **state)
{
	(void)state;
	static struct sim sim;
	struct sim_opts o = { .method = AUTH_METHOD_CHAP_MD5, .rechallenge_ms = 30000 };

	sim_init(&sim, &o);
	sim_start(&sim);
	sim_run(&sim, 100000);
	/* three challenges in 100 s after the first one */
	assert_true(sim.server.sent >= 2 * 3);
	assert_int_equal(sim.server.events, 1);
	assert_int_equal(sim.client.events, 1);
	assert_true(sim.server.result.success);
	assert_true(auth_next_deadline(&sim.server.engine) != DEADLINE_NONE);
	sim_destroy(&sim);
}

static void duplicate_response_gets_the_same_answer(void **state)
{
	(void)state;
	static struct sim sim;
	const enum auth_method chap[] = { AUTH_METHOD_CHAP_MD5, AUTH_METHOD_MSCHAPV1, AUTH_METHOD_MSCHAPV2 };
	const char *pws[] = { "s3cret", "wrong" };

	for (size_t i = 0; i < 3; i++) {
		for (size_t k = 0; k < 2; k++) {
			struct sim_opts o = { .method = chap[i], .client_password = pws[k] };
			sim_init(&sim, &o);
			/* keep copies: capture the client's Response, server's answer */
			sim_start(&sim);
			/* deliver the challenge */
			assert_true(deliver_one(&sim, &sim.to_client, &sim.client));
			struct queue *q = &sim.to_server;
			uint8_t resp[AUTH_MAX_PACKET];
			size_t rlen = q->len[q->head % QMAX];
			memcpy(resp, q->pkt[q->head % QMAX], rlen);
			assert_true(deliver_one(&sim, &sim.to_server, &sim.server));
			struct queue *c = &sim.to_client;
			uint8_t first[AUTH_MAX_PACKET];
			size_t flen = c->len[c->head % QMAX];
			memcpy(first, c->pkt[c->head % QMAX], flen);
			assert_int_equal(auth_input(&sim.server.engine, resp, rlen, sim.now), 0);
			side_take(&sim.server);
			assert_int_equal(c->tail - c->head, 2);
			assert_int_equal(c->len[(c->head + 1) % QMAX], flen);
			assert_memory_equal(c->pkt[(c->head + 1) % QMAX], first, flen);
			assert_int_equal(sim.server.events, 1);
			sim_destroy(&sim);
		}
	}
}

static void eap_nak_paths(void **state)
{
	(void)state;
	static struct sim sim;

	/* A peer with only an NT hash cannot do MD5-Challenge: it Naks for
	 * EAP-MSCHAPv2, and both end with its MPPE key material. */
	struct sim_opts o = { .method = AUTH_METHOD_EAP_MD5, .client_nt_hash = true };
	sim_init(&sim, &o);
	sim_start(&sim);
	sim_run(&sim, 60000);
	assert_true(sim.server.result.success);
	assert_true(sim.client.result.success);
	assert_true(sim.server.result.mppe.valid && sim.server.result.mppe.mschapv2);
	assert_true(sim.client.result.mppe.valid && sim.client.result.mppe.mschapv2);
	assert_memory_equal(sim.server.result.mppe.nt_response, sim.client.result.mppe.nt_response, 24);
	assert_memory_equal(sim.server.result.mppe.password_hash_hash, sim.client.result.mppe.password_hash_hash, 16);
	sim_destroy(&sim);

	/* A Request for a type the peer lacks (EAP-TLS) gets a legacy Nak
	 * listing MD5-Challenge and EAP-MSCHAPv2. */
	struct sim_opts p = { .method = AUTH_METHOD_EAP_MD5 };
	sim_init(&sim, &p);
	sim_start(&sim);
	const uint8_t tls_req[] = { EAP_REQUEST, 0x77, 0x00, 0x06, EAP_TYPE_TLS, 0x20 };
	assert_int_equal(auth_input(&sim.client.engine, tls_req, sizeof(tls_req), sim.now), 0);
	side_take(&sim.client);
	struct queue *q = &sim.to_server;
	const uint8_t nak[] = { EAP_RESPONSE, 0x77, 0x00, 0x07, EAP_TYPE_NAK, EAP_TYPE_MD5_CHALLENGE, EAP_TYPE_MSCHAPV2 };
	assert_int_equal(q->len[q->head % QMAX], sizeof(nak));
	assert_memory_equal(q->pkt[q->head % QMAX], nak, sizeof(nak));
	/* A Notification is answered with an empty Notification. */
	const uint8_t note[] = { EAP_REQUEST, 0x78, 0x00, 0x08, EAP_TYPE_NOTIFICATION, 'h', 'i', '!' };
	assert_int_equal(auth_input(&sim.client.engine, note, sizeof(note), sim.now), 0);
	side_take(&sim.client);
	const uint8_t note_resp[] = { EAP_RESPONSE, 0x78, 0x00, 0x05, EAP_TYPE_NOTIFICATION };
	assert_int_equal(q->len[(q->head + 1) % QMAX], sizeof(note_resp));
	assert_memory_equal(q->pkt[(q->head + 1) % QMAX], note_resp, sizeof(note_resp));
	sim_destroy(&sim);

	/* Authenticator: a Nak naming only the current method ends in Failure. */
	sim_init(&sim, &p);
	sim_start(&sim);
	assert_true(deliver_one(&sim, &sim.to_client, &sim.client)); /* Identity */
	assert_true(deliver_one(&sim, &sim.to_server, &sim.server)); /* -> MD5 request */
	struct queue *c = &sim.to_client;
	uint8_t id = c->pkt[c->head % QMAX][1];
	const uint8_t nak_md5[] = { EAP_RESPONSE, id, 0x00, 0x06, EAP_TYPE_NAK, EAP_TYPE_MD5_CHALLENGE };
	assert_int_equal(auth_input(&sim.server.engine, nak_md5, sizeof(nak_md5), sim.now), 0);
	side_take(&sim.server);
	assert_false(sim.server.result.success);
	assert_int_equal(sim.server.result.cause, AUTH_CAUSE_UNSUPPORTED);
	const uint8_t failure[] = { EAP_FAILURE, id, 0x00, 0x04 };
	assert_memory_equal(c->pkt[(c->head + 1) % QMAX], failure, sizeof(failure));
	sim_destroy(&sim);
}

/* RFC 3748 §2.1: a Nak after the peer answered in the method is not
 * taken (it may be spoofed): dropped, the method goes on to Success. And
 * §5.3.1 taken once per method: a Nak back to a method already offered
 * ends in Failure, not in a Request that a peer could Nak forever. */
static void eap_nak_only_as_the_first_answer(void **state)
{
	(void)state;
	static struct sim sim;
	struct sim_opts o = { .method = AUTH_METHOD_EAP_MD5, .client_nt_hash = true };
	sim_init(&sim, &o);
	sim_start(&sim);
	/* Identity, MD5-Challenge, the client's Nak, EAP-MSCHAPv2 Challenge,
	 * its Response: the server's Success-Request is out. */
	for (int i = 0; i < 3; i++) {
		assert_true(deliver_one(&sim, &sim.to_client, &sim.client));
		assert_true(deliver_one(&sim, &sim.to_server, &sim.server));
	}
	struct queue *c = &sim.to_client;
	assert_int_equal(c->tail - c->head, 1);
	const uint8_t *req = c->pkt[c->head % QMAX];
	assert_true(req[0] == EAP_REQUEST && req[4] == EAP_TYPE_MSCHAPV2);
	const uint8_t nak_md5[] = { EAP_RESPONSE, req[1], 0x00, 0x06, EAP_TYPE_NAK, EAP_TYPE_MD5_CHALLENGE };
	assert_int_equal(auth_input(&sim.server.engine, nak_md5, sizeof(nak_md5), sim.now), ERR_STATE);
	side_take(&sim.server);
	assert_int_equal(c->tail - c->head, 1); /* nothing sent for it */
	assert_int_equal(sim.server.events, 0);
	sim_run(&sim, 60000);
	assert_true(sim.server.result.success);
	assert_true(sim.client.result.success);
	sim_destroy(&sim);

	/* MD5-Challenge Nak'ed for EAP-MSCHAPv2, whose Challenge is Nak'ed
	 * back for MD5-Challenge: Failure, no third Request. */
	struct sim_opts p = { .method = AUTH_METHOD_EAP_MD5 };
	sim_init(&sim, &p);
	sim_start(&sim);
	assert_true(deliver_one(&sim, &sim.to_client, &sim.client)); /* Identity */
	assert_true(deliver_one(&sim, &sim.to_server, &sim.server)); /* -> MD5 request */
	uint8_t id = c->pkt[(c->tail - 1) % QMAX][1];
	const uint8_t nak_ms[] = { EAP_RESPONSE, id, 0x00, 0x06, EAP_TYPE_NAK, EAP_TYPE_MSCHAPV2 };
	assert_int_equal(auth_input(&sim.server.engine, nak_ms, sizeof(nak_ms), sim.now), 0);
	const uint8_t *ms = c->pkt[(c->tail - 1) % QMAX];
	assert_true(ms[0] == EAP_REQUEST && ms[4] == EAP_TYPE_MSCHAPV2);
	id = ms[1];
	const uint8_t nak_back[] = { EAP_RESPONSE, id, 0x00, 0x06, EAP_TYPE_NAK, EAP_TYPE_MD5_CHALLENGE };
	assert_int_equal(auth_input(&sim.server.engine, nak_back, sizeof(nak_back), sim.now), 0);
	side_take(&sim.server);
	assert_false(sim.server.result.success);
	assert_int_equal(sim.server.result.cause, AUTH_CAUSE_UNSUPPORTED);
	const uint8_t failure[] = { EAP_FAILURE, id, 0x00, 0x04 };
	assert_memory_equal(c->pkt[(c->tail - 1) % QMAX], failure, sizeof(failure));
	sim_destroy(&sim);
}

/* A random source that plays back fixed bytes (the capture's id and
 * challenges), then zeros. */
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

struct capture_sink {
	uint8_t pkt[4][AUTH_MAX_PACKET];
	size_t len[4];
	unsigned n;
	unsigned events;
	struct auth_result result;
};

static void capture_output(void *ctx, uint16_t protocol, const uint8_t *payload, size_t len)
{
	struct capture_sink *c = ctx;
	assert_int_equal(protocol, PPP_PROTO_CHAP);
	assert_true(c->n < 4);
	memcpy(c->pkt[c->n], payload, len);
	c->len[c->n++] = len;
}

static void capture_take(struct capture_sink *c, struct auth *a)
{
	const struct auth_result *r = auth_next_result(a);
	if (!r)
		return;
	c->events++;
	c->result = *r;
}

static int capture_lookup(void *ctx, const char *user, struct auth_secret *out)
{
	(void)ctx;
	if (strcmp(user, CAPTURE_USER) != 0)
		return ERR_NOT_FOUND;
	return auth_secret_set_password(out, CAPTURE_PASSWORD);
}

/* Our authenticator replays pptpd's side; our peer replays pptp-linux's,
 * both byte for byte. */
static void capture_replays_through_both_engines(void **state)
{
	(void)state;
	static struct auth a;
	struct capture_sink sink;
	struct script script;
	uint8_t server_random[17];
	struct auth_config cfg;

	/* authenticator: id 0xf4 and the captured challenge */
	server_random[0] = capture_challenge[1];
	memcpy(server_random + 1, capture_challenge + 5, 16);
	script = (struct script){ server_random, sizeof(server_random), 0 };
	memset(&sink, 0, sizeof(sink));
	memset(&cfg, 0, sizeof(cfg));
	cfg.role = AUTH_ROLE_AUTHENTICATOR;
	cfg.local_name = "pptpd";
	cfg.lookup = capture_lookup;
	cfg.random = (struct random_source){ script_fill, &script };
	cfg.output = capture_output;
	cfg.cb_ctx = &sink;
	assert_int_equal(auth_init(&a, AUTH_METHOD_MSCHAPV2, &cfg), 0);
	assert_int_equal(auth_start(&a, 0), 0);
	assert_int_equal(sink.len[0], sizeof(capture_challenge));
	assert_memory_equal(sink.pkt[0], capture_challenge, sizeof(capture_challenge));
	assert_int_equal(auth_input(&a, capture_response, sizeof(capture_response), 10), 0);
	capture_take(&sink, &a);
	assert_int_equal(sink.events, 1);
	assert_true(sink.result.success);
	assert_string_equal(sink.result.user, CAPTURE_USER);
	assert_int_equal(sink.len[1], sizeof(capture_success));
	assert_memory_equal(sink.pkt[1], capture_success, sizeof(capture_success));
	assert_memory_equal(sink.result.mppe.nt_response, capture_response + 5 + 24, 24);
	auth_destroy(&a);

	/* peer: its peer challenge from the capture */
	script = (struct script){ capture_response + 5, 16, 0 };
	memset(&sink, 0, sizeof(sink));
	memset(&cfg, 0, sizeof(cfg));
	cfg.role = AUTH_ROLE_PEER;
	cfg.user = CAPTURE_USER;
	assert_int_equal(auth_secret_set_password(&cfg.secret, CAPTURE_PASSWORD), 0);
	cfg.random = (struct random_source){ script_fill, &script };
	cfg.output = capture_output;
	cfg.cb_ctx = &sink;
	assert_int_equal(auth_init(&a, AUTH_METHOD_MSCHAPV2, &cfg), 0);
	assert_int_equal(auth_start(&a, 0), 0);
	assert_int_equal(auth_input(&a, capture_challenge, sizeof(capture_challenge), 5), 0);
	assert_int_equal(sink.len[0], sizeof(capture_response));
	assert_memory_equal(sink.pkt[0], capture_response, sizeof(capture_response));
	assert_int_equal(auth_input(&a, capture_success, sizeof(capture_success), 10), 0);
	capture_take(&sink, &a);
	assert_int_equal(sink.events, 1);
	assert_true(sink.result.success);
	assert_string_equal(sink.result.authenticator_name, "pptpd");
	assert_true(sink.result.mppe.valid);
	assert_false(sink.result.mppe.is_server);
	auth_destroy(&a);
}

static void bad_packet_logs_one_line(void **state)
{
	(void)state;
	static struct sim sim;
	struct test_log tl;
	struct sim_opts o = { .method = AUTH_METHOD_MSCHAPV2 };
	const uint8_t bad[] = { CHAP_RESPONSE, 0x01, 0x00, 0x40, 0x31 }; /* Length past the end */

	sim_init(&sim, &o);
	sim_start(&sim);
	test_log_capture(&tl);
	assert_int_equal(auth_input(&sim.server.engine, bad, sizeof(bad), sim.now), ERR_TRUNCATED);
	side_take(&sim.server);
	assert_int_equal(tl.count, 1);
	assert_non_null(strstr(tl.last, "malformed"));
	/* a flood is rate limited */
	for (int i = 0; i < 100; i++) {
		(void)auth_input(&sim.server.engine, bad, sizeof(bad), sim.now);
		side_take(&sim.server);
	}
	assert_true(tl.count < 10);
	test_log_release();
	assert_int_equal(sim.server.events, 0);
	sim_destroy(&sim);
}

static void hostile_names_and_stale_identifiers(void **state)
{
	(void)state;
	static struct sim sim;

	/* A user name with a newline: refused, and the reason stays one line. */
	struct sim_opts o = { .method = AUTH_METHOD_CHAP_MD5, .client_user = "evil\nuser" };
	sim_init(&sim, &o);
	sim_start(&sim);
	sim_run(&sim, 60000);
	assert_false(sim.server.result.success);
	assert_null(strchr(sim.server.result.reason, '\n'));
	assert_string_equal(sim.server.result.user, "evil\nuser"); /* exact, for the lookup */
	sim_destroy(&sim);

	/* PAP: an Ack with another Identifier is dropped, the right one counts. */
	struct sim_opts p = { .method = AUTH_METHOD_PAP };
	sim_init(&sim, &p);
	sim_start(&sim);
	struct queue *q = &sim.to_server;
	uint8_t id = q->pkt[q->head % QMAX][1];
	uint8_t ack[] = { PAP_AUTH_ACK, (uint8_t)(id + 1), 0x00, 0x05, 0x00 };
	assert_int_equal(auth_input(&sim.client.engine, ack, sizeof(ack), sim.now), ERR_STATE);
	side_take(&sim.client);
	assert_int_equal(sim.client.events, 0);
	ack[1] = id;
	assert_int_equal(auth_input(&sim.client.engine, ack, sizeof(ack), sim.now), 0);
	side_take(&sim.client);
	assert_true(sim.client.result.success);
	sim_destroy(&sim);

	/* EAP peer: a duplicate Request gets the very same Response. */
	struct sim_opts e = { .method = AUTH_METHOD_EAP_MD5 };
	sim_init(&sim, &e);
	sim_start(&sim);
	const uint8_t md5_req[] = { EAP_REQUEST, 9, 0x00, 0x16, EAP_TYPE_MD5_CHALLENGE, 16,
				    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	assert_int_equal(auth_input(&sim.client.engine, md5_req, sizeof(md5_req), sim.now), 0);
	side_take(&sim.client);
	assert_int_equal(auth_input(&sim.client.engine, md5_req, sizeof(md5_req), sim.now), 0);
	side_take(&sim.client);
	assert_int_equal(q->tail - q->head, 2);
	assert_int_equal(q->len[q->head % QMAX], q->len[(q->head + 1) % QMAX]);
	assert_memory_equal(q->pkt[q->head % QMAX], q->pkt[(q->head + 1) % QMAX], q->len[q->head % QMAX]);
	sim_destroy(&sim);

	/* CHAP re-challenge: the peer may not change its name. */
	struct sim_opts r = { .method = AUTH_METHOD_MSCHAPV2, .rechallenge_ms = 10000, .known_user = "alice" };
	sim_init(&sim, &r);
	sim_start(&sim);
	sim_run(&sim, 5000);
	assert_true(sim.server.result.success);
	sim.now += 10000;
	auth_on_timeout(&sim.server.engine, sim.now);          /* new Challenge */
	struct queue *c = &sim.to_client;
	assert_int_equal(c->tail - c->head, 1);
	uint8_t chal[64];
	size_t clen = c->len[c->head % QMAX];
	memcpy(chal, c->pkt[c->head % QMAX], clen);
	c->head++;
	/* answer as "mallory" with a peer engine of our own */
	static struct auth other;
	struct auth_config oc = sim.client.engine.cfg;
	oc.user = "mallory";
	assert_int_equal(auth_init(&other, AUTH_METHOD_MSCHAPV2, &oc), 0);
	assert_int_equal(auth_start(&other, sim.now), 0);
	assert_int_equal(auth_input(&other, chal, clen, sim.now), 0);
	assert_true(deliver_one(&sim, &sim.to_server, &sim.server));
	assert_int_equal(sim.server.events, 2);
	assert_false(sim.server.result.success);
	assert_int_equal(sim.server.result.cause, AUTH_CAUSE_REJECTED);
	auth_destroy(&other);
	sim_destroy(&sim);
}

static void mschapv1_quirks(void **state)
{
	(void)state;
	static struct sim sim;

	/* Authenticator: an LM-only Response (use-NT flag 0) is refused. */
	struct sim_opts o = { .method = AUTH_METHOD_MSCHAPV1 };
	sim_init(&sim, &o);
	sim_start(&sim);
	assert_true(deliver_one(&sim, &sim.to_client, &sim.client));
	struct queue *q = &sim.to_server;
	uint8_t *resp = q->pkt[q->head % QMAX];
	assert_int_equal(resp[4], 49);
	assert_int_equal(resp[5 + 48], 1);            /* we set use-NT */
	for (int i = 0; i < 24; i++)
		assert_int_equal(resp[5 + i], 0);     /* and send no LM response */
	resp[5 + 48] = 0;
	assert_true(deliver_one(&sim, &sim.to_server, &sim.server));
	assert_false(sim.server.result.success);
	assert_int_equal(sim.server.result.cause, AUTH_CAUSE_REJECTED);
	sim_destroy(&sim);

	/* Peer: Failure R=1 without C= retries on the old challenge + 23
	 * (RFC 2433 §5), with Identifier + 1. */
	struct sim_opts p = { .method = AUTH_METHOD_MSCHAPV1, .client_max_retries = 1 };
	sim_init(&sim, &p);
	(void)auth_start(&sim.client.engine, sim.now);
	side_take(&sim.client);
	const uint8_t chal[] = { CHAP_CHALLENGE, 0x10, 0x00, 0x0d, 0x08, 1, 2, 3, 4, 5, 6, 7, 8 };
	assert_int_equal(auth_input(&sim.client.engine, chal, sizeof(chal), sim.now), 0);
	side_take(&sim.client);
	const char fmsg[] = "E=691 R=1 V=2";
	uint8_t fail[64] = { CHAP_FAILURE, 0x10, 0x00, (uint8_t)(4 + sizeof(fmsg) - 1) };
	memcpy(fail + 4, fmsg, sizeof(fmsg) - 1);
	assert_int_equal(auth_input(&sim.client.engine, fail, 4 + sizeof(fmsg) - 1, sim.now), 0);
	side_take(&sim.client);
	assert_int_equal(q->tail - q->head, 2);
	uint8_t *retry = q->pkt[(q->head + 1) % QMAX];
	assert_int_equal(retry[1], 0x11);
	uint8_t c2[8] = { 1 + 23, 2, 3, 4, 5, 6, 7, 8 }, want[24], hash[16];
	assert_int_equal(mschap_nt_password_hash("s3cret", 6, hash), 0);
	mschapv1_nt_response_from_hash(c2, hash, want);
	assert_memory_equal(retry + 5 + 24, want, 24);
	assert_int_equal(sim.client.events, 0);
	/* a second Failure: no retries left, E=646 -> rejected */
	const char fmsg2[] = "E=646 R=0 M=Restricted logon hours";
	uint8_t fail2[64] = { CHAP_FAILURE, 0x11, 0x00, (uint8_t)(4 + sizeof(fmsg2) - 1) };
	memcpy(fail2 + 4, fmsg2, sizeof(fmsg2) - 1);
	assert_int_equal(auth_input(&sim.client.engine, fail2, 4 + sizeof(fmsg2) - 1, sim.now), 0);
	side_take(&sim.client);
	assert_int_equal(sim.client.events, 1);
	assert_int_equal(sim.client.result.cause, AUTH_CAUSE_REJECTED);
	sim_destroy(&sim);
}

static void non_ascii_password(void **state)
{
	(void)state;
	static struct sim sim;
	const char *pw = "p\xc3\xa4ss\xe2\x82\xacw\xf0\x9f\x98\x80rd";   /* päss€w😀rd */

	for (size_t i = 0; i < N_METHODS; i++) {
		struct sim_opts o = { .method = all_methods[i], .client_password = pw, .server_password = pw };
		sim_init(&sim, &o);
		sim_start(&sim);
		sim_run(&sim, 60000);
		assert_true(sim.server.result.success);
		assert_true(sim.client.result.success);
		sim_destroy(&sim);
	}
}

static void lcp_mapping(void **state)
{
	(void)state;
	assert_int_equal(auth_method_from_lcp(PPP_PROTO_CHAP, AUTH_CHAP_MSCHAPV2), AUTH_METHOD_MSCHAPV2);
	assert_int_equal(auth_method_from_lcp(PPP_PROTO_CHAP, AUTH_CHAP_MSCHAPV1), AUTH_METHOD_MSCHAPV1);
	assert_int_equal(auth_method_from_lcp(PPP_PROTO_CHAP, AUTH_CHAP_MD5), AUTH_METHOD_CHAP_MD5);
	assert_int_equal(auth_method_from_lcp(PPP_PROTO_PAP, -1), AUTH_METHOD_PAP);
	assert_int_equal(auth_method_from_lcp(PPP_PROTO_EAP, -1), AUTH_METHOD_EAP_MD5);
	assert_int_equal(auth_method_from_lcp(PPP_PROTO_CHAP, 0x42), AUTH_METHOD_NONE);
	assert_int_equal(auth_method_from_lcp(PPP_PROTO_CHAP, -1), AUTH_METHOD_NONE);
	assert_int_equal(auth_method_from_lcp(PPP_PROTO_PAP, 0), AUTH_METHOD_NONE);
	assert_int_equal(auth_method_from_lcp(0xc025, -1), AUTH_METHOD_NONE);
	/* Each engine speaks the protocol and algorithm the option names, and
	 * the option's value maps back to the method. */
	for (int m = AUTH_METHOD_PAP; m < AUTH_METHOD_NEGOTIATED_COUNT; m++) {
		const struct auth_method_ops *ops = auth_method_ops((enum auth_method)m);
		uint16_t protocol;
		uint8_t algorithm;
		assert_non_null(ops);
		assert_int_equal(ops->method, m);
		assert_true(auth_method_to_lcp((enum auth_method)m, &protocol, &algorithm));
		assert_int_equal(ops->ppp_protocol, protocol);
		assert_int_equal(ops->chap_algorithm, algorithm);
		assert_int_equal(auth_method_from_lcp(protocol, protocol == PPP_PROTO_CHAP ? algorithm : -1), m);
	}
	assert_null(auth_method_ops(AUTH_METHOD_NONE));
	assert_null(auth_method_ops(AUTH_METHOD_COUNT));
	/* EAP methods past MD5 are reported, never negotiated: EAP's engine runs them. */
	for (int m = AUTH_METHOD_NEGOTIATED_COUNT; m < AUTH_METHOD_COUNT; m++) {
		uint16_t protocol;
		uint8_t algorithm;
		assert_null(auth_method_ops((enum auth_method)m));
		assert_true(auth_method_is_eap((enum auth_method)m));
		assert_true(auth_method_to_lcp((enum auth_method)m, &protocol, &algorithm));
		assert_int_equal(protocol, PPP_PROTO_EAP);
	}
	assert_false(auth_method_to_lcp(AUTH_METHOD_NONE, &(uint16_t){ 0 }, &(uint8_t){ 0 }));
}

static void nop_output(void *ctx, uint16_t protocol, const uint8_t *payload, size_t len)
{
	(void)ctx; (void)protocol; (void)payload; (void)len;
}

static void config_is_checked(void **state)
{
	(void)state;
	static struct auth a;
	struct test_random tr;
	struct auth_config cfg;
	char big[300];

	test_random_init(&tr, 1);
	memset(big, 'n', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memset(&cfg, 0, sizeof(cfg));
	cfg.role = AUTH_ROLE_PEER;
	cfg.user = "alice";
	cfg.random = test_random_source(&tr);
	cfg.output = nop_output;
	assert_int_equal(auth_init(&a, AUTH_METHOD_MSCHAPV2, &cfg), 0);
	assert_int_equal(auth_init(&a, AUTH_METHOD_COUNT, &cfg), ERR_INVALID);
	cfg.user = big;
	assert_int_equal(auth_init(&a, AUTH_METHOD_MSCHAPV2, &cfg), ERR_INVALID);
	cfg.user = NULL;
	assert_int_equal(auth_init(&a, AUTH_METHOD_MSCHAPV2, &cfg), ERR_INVALID);
	cfg.role = AUTH_ROLE_AUTHENTICATOR;          /* no lookup */
	assert_int_equal(auth_init(&a, AUTH_METHOD_MSCHAPV2, &cfg), ERR_INVALID);
	cfg.lookup = sim_lookup;
	cfg.local_name = big;
	assert_int_equal(auth_init(&a, AUTH_METHOD_MSCHAPV2, &cfg), ERR_INVALID);
	cfg.local_name = NULL;
	cfg.output = NULL;
	assert_int_equal(auth_init(&a, AUTH_METHOD_MSCHAPV2, &cfg), ERR_INVALID);
	struct auth_secret sec;
	assert_int_equal(auth_secret_set_password(&sec, big), ERR_LENGTH);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_method_succeeds),
		cmocka_unit_test(every_method_refuses_a_wrong_password),
		cmocka_unit_test(hostile_user_name_is_escaped_in_the_reason),
		cmocka_unit_test(every_method_survives_lost_packets),
		cmocka_unit_test(chap_lost_success_is_repeated),
		cmocka_unit_test(timeouts_are_reported),
		cmocka_unit_test(mschapv2_client_checks_authenticator),
		cmocka_unit_test(mschap_domain_user),
		cmocka_unit_test(nt_hash_secrets),
		cmocka_unit_test(mschap_retry_with_new_challenge),
		cmocka_unit_test(chap_rechallenge),
		cmocka_unit_test(duplicate_response_gets_the_same_answer),
		cmocka_unit_test(eap_nak_paths),
		cmocka_unit_test(eap_nak_only_as_the_first_answer),
		cmocka_unit_test(capture_replays_through_both_engines),
		cmocka_unit_test(bad_packet_logs_one_line),
		cmocka_unit_test(hostile_names_and_stale_identifiers),
		cmocka_unit_test(mschapv1_quirks),
		cmocka_unit_test(non_ascii_password),
		cmocka_unit_test(lcp_mapping),
		cmocka_unit_test(config_is_checked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
