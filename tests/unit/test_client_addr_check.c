/* SPDX-License-Identifier: BSD-2-Clause */
/* src/client/client_addr_check: the addresses a server assigns are refused
 * when they would route the tunnel into itself or route a public host the
 * user did not ask for (issue 11, "the client accepts any address"). */
#include "support/test_support.h"

#include <string.h>

#include "client/client_addr_check.h"

#define ADDR(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

static const char *refusal(const struct client_config *cfg, uint32_t local, uint32_t peer)
{
	static char why[256];
	return client_addr_refusal(cfg, ADDR(192, 0, 2, 1), local, peer, why, sizeof(why));
}

static void usual_addresses_pass(void **state)
{
	(void)state;
	struct client_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	assert_null(refusal(&cfg, ADDR(203, 0, 113, 10), ADDR(203, 0, 113, 1)));
	assert_null(refusal(&cfg, ADDR(10, 0, 0, 5), ADDR(10, 0, 0, 1)));
	assert_null(refusal(&cfg, ADDR(192, 168, 1, 5), ADDR(192, 168, 1, 1)));
	assert_null(refusal(&cfg, ADDR(172, 31, 0, 5), ADDR(172, 16, 0, 1)));
	assert_null(refusal(&cfg, ADDR(100, 64, 0, 5), ADDR(100, 127, 255, 1)));
}

static void server_underlay_address_refused(void **state)
{
	(void)state;
	struct client_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	const char *why = refusal(&cfg, ADDR(203, 0, 113, 10), ADDR(192, 0, 2, 1));
	assert_non_null(why);
	assert_non_null(strstr(why, "192.0.2.1"));
	assert_non_null(refusal(&cfg, ADDR(192, 0, 2, 1), ADDR(203, 0, 113, 1)));
	cfg.default_route = true; /* even asked for: a loop is never right */
	assert_non_null(refusal(&cfg, ADDR(203, 0, 113, 10), ADDR(192, 0, 2, 1)));
}

static void public_peer_needs_a_route(void **state)
{
	(void)state;
	struct client_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	/* A public host (values only: nothing is sent anywhere). */
	const char *why = refusal(&cfg, ADDR(10, 0, 0, 5), ADDR(8, 8, 8, 8));
	assert_non_null(why);
	assert_non_null(strstr(why, "--route 8.8.8.8/32"));
	const char *items[] = { "8.8.0.0/16" };
	cfg.route.items = (char **)items;
	cfg.route.count = 1;
	assert_null(refusal(&cfg, ADDR(10, 0, 0, 5), ADDR(8, 8, 8, 8)));
	cfg.route.count = 0;
	cfg.default_route = true;
	assert_null(refusal(&cfg, ADDR(10, 0, 0, 5), ADDR(8, 8, 8, 8)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(usual_addresses_pass),
		cmocka_unit_test(server_underlay_address_refused),
		cmocka_unit_test(public_peer_needs_a_route),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
