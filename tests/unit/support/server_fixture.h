/* SPDX-License-Identifier: BSD-2-Clause */
/* A server built by hand for unit tests of src/server's own functions (no
 * sockets, no loop): a configuration, an address pool 203.0.113.10-20, a
 * secrets file from text, and conns[0..n) linked into the server's list as
 * server_conn_new links them. Header-only (static inline): only the tests
 * that include it link the server's code. */
#ifndef OPENPPTP_TEST_SERVER_FIXTURE_H
#define OPENPPTP_TEST_SERVER_FIXTURE_H

#include <stdio.h>
#include <string.h>

#include "server/server_internal.h"
#include "test_support.h"

#define ADDR(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
#define SERVER_FIXTURE_CONNS 4

struct server_fixture {
	struct server srv;
	struct server_config cfg;
	struct server_conn conns[SERVER_FIXTURE_CONNS];
};

/* f's server, with --max-sessions max_sessions, --max-sessions-per-user
 * per_user, the secrets in secrets (text), and n connections (at most
 * SERVER_FIXTURE_CONNS) from 192.0.2.10, .11, ... */
static inline void server_fixture_up(struct server_fixture *f, const char *secrets, int max_sessions, int per_user,
				     int n)
{
	assert_true(n > 0 && n <= SERVER_FIXTURE_CONNS);
	memset(f, 0, sizeof(*f));
	f->cfg.max_sessions = max_sessions;
	f->cfg.max_sessions_per_user = per_user;
	f->cfg.name = "openpptp";
	f->srv.cfg = &f->cfg;
	f->srv.log_limit = (struct log_limit)LOG_LIMIT_INIT(20, 1000);
	assert_int_equal(ip_pool_init(&f->srv.pool, ADDR(203, 0, 113, 10), ADDR(203, 0, 113, 20)), 0);
	assert_int_equal(addr_map_init(&f->srv.by_address, 16), 0);
	assert_int_equal(secrets_parse(&f->srv.secrets, secrets, strlen(secrets), "test"), 0);
	for (int i = n - 1; i >= 0; i--) {
		struct server_conn *c = &f->conns[i];
		c->server = &f->srv;
		c->dt.owner = c;
		snprintf(c->tag, sizeof(c->tag), "conn%d", i);
		c->peer = ADDR(192, 0, 2, 10 + i);
		c->next = f->srv.conns;
		if (f->srv.conns)
			f->srv.conns->prev_next = &c->next;
		c->prev_next = &f->srv.conns;
		f->srv.conns = c;
	}
}

static inline void server_fixture_down(struct server_fixture *f)
{
	secrets_destroy(&f->srv.secrets);
	ip_pool_destroy(&f->srv.pool);
	addr_map_destroy(&f->srv.by_address);
}

#endif
