/* SPDX-License-Identifier: BSD-2-Clause */
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* chap-secrets: parse, then look every entry's names back up; every
 * address set is consistent and a pool address picked inside it is one it
 * allows. */
#include <stdlib.h>
#include <string.h>

#include "config/secrets.h"
#include "server/ip_pool.h"

/* Invariants of one parsed address set; picks from a small pool. */
static void check_addrs(const struct secret_addr_set *a, struct ip_pool *pool)
{
	if (a->nallow > SECRET_ADDRS_MAX || a->ndeny > SECRET_ADDRS_MAX || a->nallow + a->ndeny > a->nwords)
		abort();
	for (size_t i = 0; i < a->nallow; i++)
		if (a->allow[i].first > a->allow[i].last)
			abort();
	for (size_t i = 0; i < a->ndeny; i++)
		if (a->deny[i].first > a->deny[i].last || secret_addrs_allow(a, a->deny[i].first))
			abort();
	uint32_t st = secret_addrs_static(a);
	if (st && !secret_addrs_allow(a, st))
		abort();
	if (a->policy == SECRET_ADDR_NONE && (a->nwords != 1 || !secret_addrs_is_empty(a)))
		abort();
	uint32_t addr;
	if (ip_pool_take_in(pool, a, &addr) == 0) {
		if (!secret_addrs_allow(a, addr) || !ip_pool_contains(pool, addr))
			abort();
		ip_pool_release(pool, addr);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct secrets s;
	int rc = secrets_parse(&s, (const char *)data, size, "fuzz");
	if (rc < 0) {
		if (s.count != 0 || s.entries || strncmp(s.error, "fuzz:", 5) != 0)
			abort();
		return 0;
	}
	struct ip_pool pool;
	if (ip_pool_init(&pool, 0xc6120000u, 0xc61201ffu) < 0)   /* 198.18.0.0-198.18.1.255 */
		abort();
	for (size_t i = 0; i < s.count; i++) {
		const struct secret_entry *e = &s.entries[i];
		if (strlen(e->client) == 0 || strlen(e->server) == 0)
			abort();
		check_addrs(&e->addrs, &pool);
		if (e->kind == SECRET_PLAINTEXT && (!e->secret || strlen(e->secret) != e->secret_len))
			abort();
		const struct secret_entry *found = secrets_lookup(&s, e->client, e->server);
		if (!found)
			abort(); /* an entry always matches its own names */
		/* Round trip: formatting the entry and parsing it back gives the
		 * same names and secret. */
		char line[4096];
		int n = secrets_format_entry(line, sizeof(line), e->client, e->server, e->secret,
					     e->kind == SECRET_NTHASH ? e->nthash : NULL, NULL);
		if (n < 0 || (size_t)n >= sizeof(line))
			abort();
		struct secrets back;
		if (secrets_parse(&back, line, (size_t)n, "back") != 0 || back.count != 1)
			abort();
		const struct secret_entry *b = &back.entries[0];
		if (strcmp(b->client, e->client) || strcmp(b->server, e->server) || b->kind != e->kind)
			abort();
		if (e->kind == SECRET_PLAINTEXT &&
		    (b->secret_len != e->secret_len || memcmp(b->secret, e->secret, e->secret_len)))
			abort();
		if (e->kind == SECRET_NTHASH && memcmp(b->nthash, e->nthash, sizeof(e->nthash)))
			abort();
		secrets_destroy(&back);
		(void)secret_entry_static_ip(e);
		(void)secret_entry_allows_ip(e, 0x0a000001u);
	}
	ip_pool_destroy(&pool);
	secrets_destroy(&s);
	return 0;
}
