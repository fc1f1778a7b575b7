/* SPDX-License-Identifier: BSD-2-Clause */
/* What the privileged helper refuses: one row per rule, for both roles. */
#include "support/test_support.h"

#include <string.h>

#include "base/error.h"
#include "privsep/privsep_policy.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

static const uint32_t statics[] = { IP(198, 18, 0, 5), IP(198, 18, 0, 9) }; /* sorted */

static struct privsep_policy server_policy(void)
{
	struct privsep_policy p;
	memset(&p, 0, sizeof(p));
	p.role = PRIVSEP_ROLE_SERVER;
	p.tun_ifindex = 5;
	p.local_ip = IP(203, 0, 113, 1);
	p.pool.first = IP(203, 0, 113, 10);
	p.pool.last = IP(203, 0, 113, 50);
	p.statics = statics;
	p.static_count = 2;
	p.control_socket = true;
	p.tun_mtu = 1396;
	return p;
}

static struct privsep_policy client_policy(void)
{
	struct privsep_policy p;
	memset(&p, 0, sizeof(p));
	p.role = PRIVSEP_ROLE_CLIENT;
	p.tun_ifindex = 7;
	p.up_hook = true;
	p.dns = true;
	/* the two A records of the server's name */
	static const uint32_t servers[] = { 0xc0000201u, 0xc6336409u };
	p.servers = servers;
	p.server_count = 2;
	return p;
}

static struct privsep_request route(enum privsep_op op, uint32_t ifindex, uint32_t addr, uint8_t len)
{
	struct privsep_request r;
	memset(&r, 0, sizeof(r));
	r.op = op;
	r.family = PRIVSEP_FAMILY_IPV4;
	r.ifindex = ifindex;
	r.addr4 = addr;
	r.prefix_len = len;
	return r;
}

struct policy_case {
	const char *name;
	bool client;
	struct privsep_request r;
	int err;
};

#define ADD PRIVSEP_OP_ROUTE_ADD
#define DEL PRIVSEP_OP_ROUTE_DEL
#define REQ(...) ((struct privsep_request){ __VA_ARGS__ })

static void policy_table(void **state)
{
	(void)state;
	const struct policy_case cases[] = {
		{ "pool address", false, route(ADD, 5, IP(203, 0, 113, 10), 32), 0 },
		{ "last pool address", false, route(ADD, 5, IP(203, 0, 113, 50), 32), 0 },
		{ "static address of the secrets file", false, route(ADD, 5, IP(198, 18, 0, 9), 32), 0 },
		{ "delete a pool route", false, route(DEL, 5, IP(203, 0, 113, 11), 32), 0 },
		{ "another ifindex", false, route(ADD, 1, IP(203, 0, 113, 10), 32), ERR_POLICY },
		{ "ifindex 0", false, route(ADD, 0, IP(203, 0, 113, 10), 32), ERR_POLICY },
		{ "delete on another ifindex", false, route(DEL, 2, IP(203, 0, 113, 10), 32), ERR_POLICY },
		{ "prefix 24", false, route(ADD, 5, IP(203, 0, 113, 0), 24), ERR_POLICY },
		{ "prefix 0 (a default route)", false, route(ADD, 5, 0, 0), ERR_POLICY },
		{ "prefix 31", false, route(ADD, 5, IP(203, 0, 113, 10), 31), ERR_POLICY },
		{ "prefix 33", false, route(ADD, 5, IP(203, 0, 113, 10), 33), ERR_POLICY },
		{ "outside the pool (hijack a host)", false, route(ADD, 5, IP(192, 0, 2, 53), 32), ERR_POLICY },
		{ "one past the pool", false, route(ADD, 5, IP(203, 0, 113, 51), 32), ERR_POLICY },
		{ "not a static address", false, route(ADD, 5, IP(198, 18, 0, 6), 32), ERR_POLICY },
		{ "the server's own address", false, route(ADD, 5, IP(203, 0, 113, 1), 32), ERR_POLICY },
		{ "loopback", false, route(DEL, 5, IP(127, 0, 0, 1), 32), ERR_POLICY },
		{ "multicast", false, route(DEL, 5, IP(224, 0, 0, 1), 32), ERR_POLICY },
		{ "route MTU 1296 under the TUN's 1396", false,
		  REQ(.op = ADD, .family = PRIVSEP_FAMILY_IPV4, .ifindex = 5, .addr4 = IP(203, 0, 113, 10), .prefix_len = 32, .mtu = 1296), 0 },
		{ "route MTU = the TUN's", false,
		  REQ(.op = ADD, .family = PRIVSEP_FAMILY_IPV4, .ifindex = 5, .addr4 = IP(203, 0, 113, 10), .prefix_len = 32, .mtu = 1396), 0 },
		{ "route MTU above the TUN's", false,
		  REQ(.op = ADD, .family = PRIVSEP_FAMILY_IPV4, .ifindex = 5, .addr4 = IP(203, 0, 113, 10), .prefix_len = 32, .mtu = 1397), ERR_POLICY },
		{ "route MTU 67", false,
		  REQ(.op = ADD, .family = PRIVSEP_FAMILY_IPV4, .ifindex = 5, .addr4 = IP(203, 0, 113, 10), .prefix_len = 32, .mtu = 67), ERR_POLICY },
		{ "broadcast", false, route(DEL, 5, IP(255, 255, 255, 255), 32), ERR_POLICY },
		{ "0.0.0.0", false, route(DEL, 5, 0, 32), ERR_POLICY },
		{ "IPv6 /128", false,
		  REQ(.op = ADD, .family = PRIVSEP_FAMILY_IPV6, .ifindex = 5, .prefix_len = 128), ERR_UNSUPPORTED },
		{ "secrets", false, REQ(.op = PRIVSEP_OP_SECRETS_READ), 0 },
		{ "control socket", false, REQ(.op = PRIVSEP_OP_CONTROL_UNLINK), 0 },
		{ "server asks for a TUN", false, REQ(.op = PRIVSEP_OP_TUN_OPEN, .local = IP(203, 0, 113, 9), .mtu = 1400),
		  ERR_POLICY },
		{ "server asks for a hook", false, REQ(.op = PRIVSEP_OP_HOOK_RUN, .hook = PRIVSEP_HOOK_UP), ERR_POLICY },
		{ "server asks for DNS", false, REQ(.op = PRIVSEP_OP_DNS_APPLY, .dns = { IP(203, 0, 113, 53), 0 }),
		  ERR_POLICY },
		{ "server pins a route", false, REQ(.op = PRIVSEP_OP_SERVER_PIN), ERR_POLICY },

		{ "client TUN", true, REQ(.op = PRIVSEP_OP_TUN_OPEN, .local = IP(203, 0, 113, 10), .peer = IP(203, 0, 113, 1), .mtu = 1400), 0 },
		{ "client TUN, no peer", true, REQ(.op = PRIVSEP_OP_TUN_OPEN, .local = IP(203, 0, 113, 10), .mtu = 68), 0 },
		{ "client TUN, MTU 67", true, REQ(.op = PRIVSEP_OP_TUN_OPEN, .local = IP(203, 0, 113, 10), .mtu = 67),
		  ERR_POLICY },
		{ "client TUN, loopback", true, REQ(.op = PRIVSEP_OP_TUN_OPEN, .local = IP(127, 0, 0, 2), .mtu = 1400),
		  ERR_POLICY },
		{ "client TUN, multicast peer", true,
		  REQ(.op = PRIVSEP_OP_TUN_OPEN, .local = IP(203, 0, 113, 10), .peer = IP(239, 1, 1, 1), .mtu = 1400),
		  ERR_POLICY },
		{ "client TUN, local = peer", true,
		  REQ(.op = PRIVSEP_OP_TUN_OPEN, .local = IP(203, 0, 113, 10), .peer = IP(203, 0, 113, 10), .mtu = 1400),
		  ERR_POLICY },
		{ "client routes", true, REQ(.op = PRIVSEP_OP_ROUTES_UP), 0 },
		{ "client pins the server", true, REQ(.op = PRIVSEP_OP_SERVER_PIN, .peer = IP(192, 0, 2, 1)), 0 },
		{ "client pins the name's other address", true, REQ(.op = PRIVSEP_OP_SERVER_PIN, .peer = IP(198, 51, 100, 9)),
		  0 },
		{ "client pins another address", true, REQ(.op = PRIVSEP_OP_SERVER_PIN, .peer = IP(198, 51, 100, 10)),
		  ERR_POLICY },
		{ "client pins nothing", true, REQ(.op = PRIVSEP_OP_SERVER_PIN), ERR_POLICY },
		{ "client unpins", true, REQ(.op = PRIVSEP_OP_SERVER_UNPIN), 0 },
		{ "client DNS", true, REQ(.op = PRIVSEP_OP_DNS_APPLY, .dns = { IP(203, 0, 113, 53), 0 }), 0 },
		{ "client DNS, none", true, REQ(.op = PRIVSEP_OP_DNS_APPLY), ERR_POLICY },
		{ "client DNS, loopback", true, REQ(.op = PRIVSEP_OP_DNS_APPLY, .dns = { IP(203, 0, 113, 53), IP(127, 0, 0, 53) }),
		  ERR_POLICY },
		{ "client up hook", true, REQ(.op = PRIVSEP_OP_HOOK_RUN, .hook = PRIVSEP_HOOK_UP), 0 },
		{ "client down hook not configured", true, REQ(.op = PRIVSEP_OP_HOOK_RUN, .hook = PRIVSEP_HOOK_DOWN),
		  ERR_POLICY },
		{ "client asks for a peer route", true, route(ADD, 7, IP(203, 0, 113, 10), 32), ERR_POLICY },
		{ "client asks for the secrets", true, REQ(.op = PRIVSEP_OP_SECRETS_READ), ERR_POLICY },
		{ "client unlinks a socket", true, REQ(.op = PRIVSEP_OP_CONTROL_UNLINK), ERR_POLICY },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct privsep_policy p = cases[i].client ? client_policy() : server_policy();
		const char *why = NULL;
		int rc = privsep_policy_check(&p, &cases[i].r, &why);
		if (rc != cases[i].err)
			fail_msg("case \"%s\": got %d (%s), want %d (%s)", cases[i].name, rc, error_name(rc), cases[i].err,
				 error_name(cases[i].err));
		assert_non_null(why);
		if (rc < 0)
			assert_true(why[0] != '\0'); /* every refusal says which rule */
	}
}

/* Issue 14: Framed-Route prefixes, only inside --framed-route-allow as
 * the helper got it at start. */
static void framed_route_table(void **state)
{
	(void)state;
	static const struct ipv4_prefix allow[] = { { IP(198, 18, 0, 0), 15 }, { IP(10, 0, 0, 0), 8 } };
	static const struct {
		const char *name;
		struct privsep_request r;
		int err;
	} cases[] = {
		{ "a /24 inside the allow list", { .op = ADD, .family = PRIVSEP_FAMILY_IPV4, .ifindex = 5, .addr4 = IP(198, 18, 5, 0), .prefix_len = 24 }, 0 },
		{ "delete it", { .op = DEL, .family = PRIVSEP_FAMILY_IPV4, .ifindex = 5, .addr4 = IP(198, 18, 5, 0), .prefix_len = 24 }, 0 },
		{ "the whole allowed /15", { .op = ADD, .family = PRIVSEP_FAMILY_IPV4, .ifindex = 5, .addr4 = IP(198, 18, 0, 0), .prefix_len = 15 }, 0 },
		{ "a /8 allowed", { .op = ADD, .family = PRIVSEP_FAMILY_IPV4, .ifindex = 5, .addr4 = IP(10, 0, 0, 0), .prefix_len = 8 }, 0 },
		{ "with a route MTU", { .op = ADD, .family = PRIVSEP_FAMILY_IPV4, .ifindex = 5, .addr4 = IP(198, 18, 5, 0), .prefix_len = 24, .mtu = 1396 }, 0 },
		{ "route MTU above the TUN's", { .op = ADD, .family = PRIVSEP_FAMILY_IPV4, .ifindex = 5, .addr4 = IP(198, 18, 5, 0), .prefix_len = 24, .mtu = 1397 }, ERR_POLICY },
		{ "wider than allowed", { .op = ADD, .family = PRIVSEP_FAMILY_IPV4, .ifindex = 5, .addr4 = IP(198, 16, 0, 0), .prefix_len = 14 }, ERR_POLICY },
		{ "outside the allow list", { .op = ADD, .family = PRIVSEP_FAMILY_IPV4, .ifindex = 5, .addr4 = IP(192, 0, 2, 0), .prefix_len = 24 }, ERR_POLICY },
		{ "delete outside the allow list", { .op = DEL, .family = PRIVSEP_FAMILY_IPV4, .ifindex = 5, .addr4 = IP(192, 0, 2, 0), .prefix_len = 24 }, ERR_POLICY },
		{ "/7", { .op = ADD, .family = PRIVSEP_FAMILY_IPV4, .ifindex = 5, .addr4 = IP(10, 0, 0, 0), .prefix_len = 7 }, ERR_POLICY },
		{ "/0 (a default route)", { .op = ADD, .family = PRIVSEP_FAMILY_IPV4, .ifindex = 5, .prefix_len = 0 }, ERR_POLICY },
		{ "/33", { .op = ADD, .family = PRIVSEP_FAMILY_IPV4, .ifindex = 5, .addr4 = IP(198, 18, 5, 0), .prefix_len = 33 }, ERR_POLICY },
		{ "host bits set", { .op = ADD, .family = PRIVSEP_FAMILY_IPV4, .ifindex = 5, .addr4 = IP(198, 18, 5, 1), .prefix_len = 24 }, ERR_POLICY },
		{ "another device", { .op = ADD, .family = PRIVSEP_FAMILY_IPV4, .ifindex = 1, .addr4 = IP(198, 18, 5, 0), .prefix_len = 24 }, ERR_POLICY },
		{ "a /32 still needs the pool", { .op = ADD, .family = PRIVSEP_FAMILY_IPV4, .ifindex = 5, .addr4 = IP(198, 18, 5, 1), .prefix_len = 32 }, ERR_POLICY },
		{ "a pool /32 still works", { .op = ADD, .family = PRIVSEP_FAMILY_IPV4, .ifindex = 5, .addr4 = IP(203, 0, 113, 10), .prefix_len = 32 }, 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct privsep_policy p = server_policy();
		p.framed_allow = allow;
		p.framed_allow_count = 2;
		const char *why = NULL;
		int rc = privsep_policy_check(&p, &cases[i].r, &why);
		if (rc != cases[i].err)
			fail_msg("case \"%s\": got %d (%s), want %d", cases[i].name, rc, error_name(rc), cases[i].err);
		if (rc < 0)
			assert_true(why[0] != '\0');
		/* Without the option every one of them is refused, as before. */
		p.framed_allow_count = 0;
		if (cases[i].r.prefix_len != 32)
			assert_int_equal(privsep_policy_check(&p, &cases[i].r, &why), ERR_POLICY);
	}
}

static void client_without_tun_or_options(void **state)
{
	(void)state;
	struct privsep_policy p = client_policy();
	p.tun_ifindex = 0;
	const char *why;
	assert_int_equal(privsep_policy_check(&p, &REQ(.op = PRIVSEP_OP_ROUTES_UP), &why), ERR_POLICY);
	assert_int_equal(privsep_policy_check(&p, &REQ(.op = PRIVSEP_OP_HOOK_RUN, .hook = PRIVSEP_HOOK_UP), &why),
			 ERR_POLICY);
	p = client_policy();
	p.dns = false;
	assert_int_equal(privsep_policy_check(&p, &REQ(.op = PRIVSEP_OP_DNS_RESTORE), &why), ERR_POLICY);
	struct privsep_policy s = server_policy();
	s.control_socket = false;
	assert_int_equal(privsep_policy_check(&s, &REQ(.op = PRIVSEP_OP_CONTROL_UNLINK), &why), ERR_POLICY);
	s = server_policy();
	s.statics = NULL;
	s.static_count = 0;
	struct privsep_request r = route(ADD, 5, IP(198, 18, 0, 5), 32);
	assert_int_equal(privsep_policy_check(&s, &r, &why), ERR_POLICY);
}

/* Issue 12 §3: the IPv6 requests, for both roles. */
static struct privsep_request v6(enum privsep_op op, uint32_t ifindex, const char *hex16, uint8_t len)
{
	struct privsep_request r;
	memset(&r, 0, sizeof(r));
	r.op = op;
	r.family = PRIVSEP_FAMILY_IPV6;
	r.ifindex = ifindex;
	r.prefix_len = len;
	test_hex(hex16, r.addr6, sizeof(r.addr6));
	return r;
}

static void policy_ipv6_table(void **state)
{
	(void)state;
	/* server pool 2001:db8:1::/48 */
	static const char sess[] = "20010db80001710a 0000000000000000", zero_subnet[] = "20010db800010000 0000000000000000",
			  other[] = "20010db80002710a 0000000000000000", host[] = "20010db80001710a 0000000000000001",
			  ll[] = "fe80000000000000 2c5766894a0c473e", global[] = "20010db80001710a 2c5766894a0c473e",
			  ll_no_id[] = "fe80000000000000 0000000000000000", multicast[] = "ff02000000000000 0000000000000001",
			  ll_wide[] = "fe80000000000001 2c5766894a0c473e", loopback[] = "0000000000000000 0000000000000001";
	const struct policy_case cases[] = {
		{ "session /64", false, v6(ADD, 5, sess, 64), 0 },
		{ "delete a session /64", false, v6(DEL, 5, sess, 64), 0 },
		{ "subnet 0 (the server's)", false, v6(ADD, 5, zero_subnet, 64), ERR_POLICY },
		{ "outside the pool", false, v6(ADD, 5, other, 64), ERR_POLICY },
		{ "host bits set", false, v6(ADD, 5, host, 64), ERR_POLICY },
		{ "a /48", false, v6(ADD, 5, sess, 48), ERR_POLICY },
		{ "a /128", false, v6(ADD, 5, host, 128), ERR_POLICY },
		{ "another ifindex", false, v6(ADD, 1, sess, 64), ERR_POLICY },
		{ "a peer's link-local /128", false, v6(ADD, 5, ll, 128), 0 },
		{ "delete a peer's link-local", false, v6(DEL, 5, ll, 128), 0 },
		{ "fe80:: without identifier", false, v6(ADD, 5, ll_no_id, 128), ERR_POLICY },
		{ "fe80::/64 itself", false, v6(ADD, 5, ll_no_id, 64), ERR_POLICY },
		{ "link-local on another ifindex", false, v6(ADD, 4, ll, 128), ERR_POLICY },
		{ "fe80:0:0:1::/128 (not fe80::/64)", false, v6(ADD, 5, ll_wide, 128), ERR_POLICY },
		{ "server asks for an address", false, v6(PRIVSEP_OP_ADDR6_ADD, 0, global, 64), ERR_POLICY },
		{ "server asks for IPv6 routes", false, REQ(.op = PRIVSEP_OP_ROUTES6_UP), ERR_POLICY },
		{ "client link-local", true, v6(PRIVSEP_OP_ADDR6_ADD, 0, ll, 64), 0 },
		{ "client SLAAC address", true, v6(PRIVSEP_OP_ADDR6_ADD, 0, global, 64), 0 },
		{ "client IPv6 routes", true, REQ(.op = PRIVSEP_OP_ROUTES6_UP), 0 },
		{ "client address without identifier", true, v6(PRIVSEP_OP_ADDR6_ADD, 0, ll_no_id, 64), ERR_POLICY },
		{ "client multicast address", true, v6(PRIVSEP_OP_ADDR6_ADD, 0, multicast, 64), ERR_POLICY },
		{ "client loopback", true, v6(PRIVSEP_OP_ADDR6_ADD, 0, loopback, 64), ERR_POLICY },
		{ "client fe80::/10 outside fe80::/64", true, v6(PRIVSEP_OP_ADDR6_ADD, 0, ll_wide, 64), ERR_POLICY },
		{ "client address /48", true, v6(PRIVSEP_OP_ADDR6_ADD, 0, global, 48), ERR_POLICY },
		{ "client asks for a session route", true, v6(ADD, 7, sess, 64), ERR_POLICY },
		{ "client RDNSS server", true, v6(PRIVSEP_OP_DNS6_ADD, 0, global, 128), 0 },
		{ "client RDNSS server /64", true, v6(PRIVSEP_OP_DNS6_ADD, 0, global, 64), ERR_POLICY },
		{ "client RDNSS link-local", true, v6(PRIVSEP_OP_DNS6_ADD, 0, ll, 128), ERR_POLICY },
		{ "client RDNSS multicast", true, v6(PRIVSEP_OP_DNS6_ADD, 0, multicast, 128), ERR_POLICY },
		{ "server asks for DNS6", false, v6(PRIVSEP_OP_DNS6_ADD, 0, global, 128), ERR_POLICY },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct privsep_policy p = cases[i].client ? client_policy() : server_policy();
		p.ipv6 = cases[i].client;
		p.ipv6_pool_set = !cases[i].client;
		test_hex("20010db800010000 0000000000000000", p.ipv6_pool.addr, 16);
		p.ipv6_pool.len = 48;
		const char *why = NULL;
		int rc = privsep_policy_check(&p, &cases[i].r, &why);
		if (rc != cases[i].err)
			fail_msg("case \"%s\": got %d (%s), want %d (%s)", cases[i].name, rc, error_name(rc), cases[i].err,
				 error_name(cases[i].err));
		if (rc < 0)
			assert_true(why[0] != '\0');
	}
	/* without --ipv6 / --ipv6-pool nothing IPv6 is done */
	struct privsep_policy c = client_policy();
	const char *why;
	struct privsep_request r = v6(PRIVSEP_OP_ADDR6_ADD, 0, ll, 64);
	assert_int_equal(privsep_policy_check(&c, &r, &why), ERR_POLICY);
	assert_int_equal(privsep_policy_check(&c, &REQ(.op = PRIVSEP_OP_ROUTES6_UP), &why), ERR_POLICY);
	r = v6(PRIVSEP_OP_DNS6_ADD, 0, global, 128);
	assert_int_equal(privsep_policy_check(&c, &r, &why), ERR_POLICY); /* --ipv6 not given */
	c.ipv6 = true;
	c.dns = false;
	assert_int_equal(privsep_policy_check(&c, &r, &why), ERR_POLICY); /* --dns not given */
	c = client_policy();
	struct privsep_policy s = server_policy();
	r = v6(ADD, 5, sess, 64);
	assert_int_equal(privsep_policy_check(&s, &r, &why), ERR_UNSUPPORTED);
	/* nor before the client's TUN exists */
	c.ipv6 = true;
	c.tun_ifindex = 0;
	r = v6(PRIVSEP_OP_ADDR6_ADD, 0, ll, 64);
	assert_int_equal(privsep_policy_check(&c, &r, &why), ERR_POLICY);
	assert_int_equal(privsep_policy_check(&c, &REQ(.op = PRIVSEP_OP_ROUTES6_UP), &why), ERR_POLICY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(policy_table),
		cmocka_unit_test(policy_ipv6_table),
		cmocka_unit_test(framed_route_table),
		cmocka_unit_test(client_without_tun_or_options),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
