/* SPDX-License-Identifier: BSD-2-Clause */
/* EAP-TLS (RFC 5216, RFC 9190) engines back to back: an authenticator and
 * a peer with certificates made at test time by certtool
 * (tests/net/eap_tls_pki.sh), wired in memory. Small MRUs force
 * fragmentation both ways; both sides must end with mirrored MPPE keys;
 * a revoked certificate, another CA, a wrong server name and an EAP
 * Identity the certificate does not name must fail. */
#include "support/test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "proto/auth/auth.h"
#include "sys/tls_creds_load.h"

#define QMAX 8

static char pki[64];
static const char *client_user = "alice"; /* the EAP Identity */

struct side {
	struct auth engine;
	struct side *peer;
	uint8_t q[QMAX][AUTH_MAX_PACKET];
	size_t qlen[QMAX];
	unsigned head, tail; /* packets for this side */
	unsigned sent;
	size_t largest; /* largest packet sent */
	bool done;
	struct auth_result result;
	struct test_random rnd;
};

static void side_output(void *ctx, uint16_t protocol, const uint8_t *payload, size_t len)
{
	struct side *s = ctx;
	struct side *to = s->peer;
	assert_int_equal(protocol, PPP_PROTO_EAP);
	assert_true(to->tail - to->head < QMAX);
	memcpy(to->q[to->tail % QMAX], payload, len);
	to->qlen[to->tail % QMAX] = len;
	to->tail++;
	s->sent++;
	if (len > s->largest)
		s->largest = len;
}

static void side_take(struct side *s)
{
	const struct auth_result *r = auth_next_result(&s->engine);
	if (r) {
		s->done = true;
		s->result = *r;
	}
}

static int no_lookup(void *ctx, const char *user, struct auth_secret *out)
{
	(void)ctx;
	(void)user;
	(void)out;
	return ERR_NOT_FOUND;
}

static struct tls_creds *creds(const char *cert, const char *ca, const char *crl, const char *server_name,
			       enum tls_max_version v)
{
	char c[128], k[128], a[128], r[128];
	snprintf(c, sizeof(c), "%s/%s.crt", pki, cert);
	snprintf(k, sizeof(k), "%s/%s.key", pki, cert);
	snprintf(a, sizeof(a), "%s/%s.crt", pki, ca);
	snprintf(r, sizeof(r), "%s/%s", pki, crl ? crl : "");
	struct tls_creds_files f = { .cert = c, .key = k, .ca = a, .crl = crl ? r : NULL, .server_name = server_name, .max_version = v, .client = server_name != NULL };
	struct tls_creds *out = NULL;
	assert_int_equal(tls_creds_load(&out, &f, "test"), 0);
	assert_non_null(out);
	return out;
}

struct run {
	struct side server, client;
};

/* Run the exchange until both sides have a result or nothing moves. */
static void run_exchange(struct run *r, const struct tls_creds *sc, const struct tls_creds *cc, uint16_t mru)
{
	memset(r, 0, sizeof(*r));
	r->server.peer = &r->client;
	r->client.peer = &r->server;
	test_random_init(&r->server.rnd, 1);
	test_random_init(&r->client.rnd, 2);
	struct auth_config c = { .role = AUTH_ROLE_AUTHENTICATOR, .tag = "srv", .local_name = "srv", .lookup = no_lookup, .random = test_random_source(&r->server.rnd), .output = side_output, .cb_ctx = &r->server, .eap_first_type = 13, .eap_tls = sc, .max_packet = mru };
	assert_int_equal(auth_init(&r->server.engine, AUTH_METHOD_EAP_MD5, &c), 0);
	struct auth_config p = { .role = AUTH_ROLE_PEER, .tag = "cli", .user = client_user, .random = test_random_source(&r->client.rnd), .output = side_output, .cb_ctx = &r->client, .eap_tls = cc, .max_packet = mru };
	assert_int_equal(auth_init(&r->client.engine, AUTH_METHOD_EAP_MD5, &p), 0);
	uint64_t now = 1000;
	assert_int_equal(auth_start(&r->client.engine, now), 0);
	assert_int_equal(auth_start(&r->server.engine, now), 0);
	for (int steps = 0; steps < 400; steps++) {
		struct side *s = r->server.head != r->server.tail   ? &r->server
				 : r->client.head != r->client.tail ? &r->client
								    : NULL;
		if (!s)
			break;
		unsigned i = s->head++ % QMAX;
		(void)auth_input(&s->engine, s->q[i], s->qlen[i], ++now);
		side_take(s);
	}
}

static void run_destroy(struct run *r)
{
	auth_destroy(&r->server.engine);
	auth_destroy(&r->client.engine);
}

static void expect_success(enum tls_max_version v, uint16_t mru)
{
	struct tls_creds *sc = creds("server", "ca", "crl.pem", NULL, v);
	struct tls_creds *cc = creds("alice", "ca", NULL, "vpn.example.test", v);
	struct run r;
	run_exchange(&r, sc, cc, mru);
	assert_true(r.server.done && r.server.result.success);
	assert_true(r.client.done && r.client.result.success);
	assert_string_equal(r.server.result.user, "alice");
	assert_string_equal(auth_method_name(r.server.result.method), "eap-tls");
	assert_string_equal(auth_method_name(r.client.result.method), "eap-tls");
	const struct auth_mppe_material *sm = &r.server.result.mppe, *cm = &r.client.result.mppe;
	assert_true(sm->valid && sm->raw_keys && cm->valid && cm->raw_keys);
	assert_true(sm->is_server && !cm->is_server);
	/* RFC 5216 §2.3: what one side sends with, the other receives with */
	assert_int_equal(sm->send_key_len, 32);
	assert_memory_equal(sm->send_key, cm->recv_key, 32);
	assert_memory_equal(sm->recv_key, cm->send_key, 32);
	assert_memory_not_equal(sm->send_key, sm->recv_key, 32);
	if (mru) {
		assert_true(r.server.largest <= mru);
		assert_true(r.client.largest <= mru);
	}
	run_destroy(&r);
	tls_creds_destroy(sc);
	tls_creds_destroy(cc);
}

static void tls12(void **state)
{
	(void)state;
	expect_success(TLS_MAX_VERSION_1_2, 0);
}

/* A small MRU: every flight in several fragments, each ACKed. */
static void tls12_fragmented(void **state)
{
	(void)state;
	expect_success(TLS_MAX_VERSION_1_2, 200);
}

static void tls13_fragmented(void **state)
{
	(void)state;
	expect_success(TLS_MAX_VERSION_1_3, 300);
}

static void expect_failure(const char *client_cert, const char *client_ca, const char *server_name)
{
	struct tls_creds *sc = creds("server", "ca", "crl.pem", NULL, TLS_MAX_VERSION_1_2);
	struct tls_creds *cc = creds(client_cert, client_ca, NULL, server_name, TLS_MAX_VERSION_1_2);
	struct run r;
	run_exchange(&r, sc, cc, 0);
	assert_true(r.server.done && !r.server.result.success);
	assert_true(r.client.done && !r.client.result.success);
	assert_false(r.client.result.mppe.valid);
	run_destroy(&r);
	tls_creds_destroy(sc);
	tls_creds_destroy(cc);
}

static void revoked(void **state)
{
	(void)state;
	expect_failure("mallory", "ca", "vpn.example.test");
}

static void other_ca(void **state)
{
	(void)state;
	expect_failure("eve", "ca", "vpn.example.test");
}

static void server_not_trusted(void **state)
{
	(void)state;
	expect_failure("alice", "ca2", "vpn.example.test");
}

static void wrong_server_name(void **state)
{
	(void)state;
	expect_failure("alice", "ca", "other.example.test");
}

/* A valid certificate of the CA, but not the user the peer claims to be. */
static void identity_not_in_certificate(void **state)
{
	(void)state;
	client_user = "bob";
	expect_failure("alice", "ca", "vpn.example.test");
	client_user = "alice";
}

static int make_pki(void **state)
{
	(void)state;
	snprintf(pki, sizeof(pki), "/tmp/openpptp-eaptls.XXXXXX");
	if (!mkdtemp(pki))
		return -1;
	char cmd[256];
	snprintf(cmd, sizeof(cmd), ". tests/net/eap_tls_pki.sh && eap_tls_pki %s", pki);
	return system(cmd) == 0 ? 0 : -1;
}

static int remove_pki(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -r -- '%s'", pki);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tls12),
		cmocka_unit_test(tls12_fragmented),
		cmocka_unit_test(tls13_fragmented),
		cmocka_unit_test(revoked),
		cmocka_unit_test(other_ca),
		cmocka_unit_test(server_not_trusted),
		cmocka_unit_test(wrong_server_name),
		cmocka_unit_test(identity_not_in_certificate),
	};
	return cmocka_run_group_tests(tests, make_pki, remove_pki);
}
