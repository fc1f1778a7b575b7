/* SPDX-License-Identifier: BSD-2-Clause */
/* Shared driver of the auth fuzz harnesses: the first byte picks the role,
 * the method variant and the options; the rest is a list of packets, each
 * prefixed by a length byte, fed to one engine with timers fired between
 * them. The random source is all zeros so identifiers and challenges are
 * reachable by the fuzzer. */
#ifndef OPENPPTP_FUZZ_AUTH_ENGINE_H
#define OPENPPTP_FUZZ_AUTH_ENGINE_H

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/log.h"
#include "proto/auth/auth.h"

static void fuzz_auth_zero_fill(void *ctx, void *buf, size_t len)
{
	(void)ctx;
	memset(buf, 0, len);
}

static void fuzz_auth_output(void *ctx, uint16_t protocol, const uint8_t *payload, size_t len)
{
	(void)ctx;
	(void)protocol;
	/* touch every byte so ASan sees an out-of-bounds length */
	volatile uint8_t sink = 0;
	for (size_t i = 0; i < len; i++)
		sink ^= payload[i];
	(void)sink;
}

/* Events out: take the result after every call. One call reports at
 * most one result, for any input. */
static void fuzz_auth_take(struct auth *a)
{
	const struct auth_result *r = auth_next_result(a);
	if (a->results_overwritten)
		abort();
	if (!r)
		return;
	(void)strlen(r->user);
	(void)strlen(r->reason);
}

static int fuzz_auth_lookup(void *ctx, const char *user, struct auth_secret *out)
{
	const uint8_t *sel = ctx;
	if (user[0] == 'x')
		return ERR_NOT_FOUND;
	if (*sel & 0x02) {
		static const uint8_t hash[16] = { 1, 2, 3 };
		auth_secret_set_nt_hash(out, hash);
		return 0;
	}
	return auth_secret_set_password(out, "pw");
}

static void fuzz_auth_run(enum auth_method method, const uint8_t *data, size_t size)
{
	static struct auth a;
	struct auth_config cfg;
	uint8_t sel;
	uint64_t now = 0;

	if (size < 1)
		return;
	sel = data[0];
	data++;
	size--;
	log_set_level(LOG_LEVEL_ERROR);

	memset(&cfg, 0, sizeof(cfg));
	cfg.role = (sel & 0x01) ? AUTH_ROLE_PEER : AUTH_ROLE_AUTHENTICATOR;
	cfg.local_name = "fuzz";
	cfg.user = (sel & 0x40) ? "DOM\\user" : "user";
	if (sel & 0x02) {
		static const uint8_t hash[16] = { 1, 2, 3 };
		auth_secret_set_nt_hash(&cfg.secret, hash);
	} else {
		(void)auth_secret_set_password(&cfg.secret, "pw");
	}
	cfg.lookup = fuzz_auth_lookup;
	cfg.lookup_ctx = &sel;
	cfg.random = (struct random_source){ fuzz_auth_zero_fill, NULL };
	cfg.output = fuzz_auth_output;
	cfg.restart_ms = 100;
	cfg.max_transmits = 3;
	cfg.rechallenge_ms = (sel & 0x04) ? 1000 : 0;
	cfg.max_retries = (sel >> 4) & 0x03;
	if (auth_init(&a, method, &cfg) < 0)
		return;
	(void)auth_start(&a, now);
	fuzz_auth_take(&a);
	while (size > 0) {
		size_t n = data[0];
		data++;
		size--;
		if (n > size)
			n = size;
		(void)auth_input(&a, data, n, now);
		fuzz_auth_take(&a);
		data += n;
		size -= n;
		now += 10;
		if ((sel & 0x08) && auth_next_deadline(&a) != DEADLINE_NONE) {
			now = auth_next_deadline(&a);
			auth_on_timeout(&a, now);
			fuzz_auth_take(&a);
		}
	}
	auth_destroy(&a);
}

#endif
