/* SPDX-License-Identifier: BSD-2-Clause */
/* The privsep wire codec: every request and answer round-trips, and every
 * way a datagram can be wrong is refused with its own error (the helper
 * parses the main process's requests with this, and the main process is
 * assumed compromised). */
#include "support/test_support.h"

#include <string.h>

#include "base/error.h"
#include "privsep/privsep_msg.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

static struct privsep_request sample_request(enum privsep_op op)
{
	struct privsep_request r;
	memset(&r, 0, sizeof(r));
	r.op = op;
	r.id = 0x01020304u + (uint32_t)op;
	switch (op) {
	case PRIVSEP_OP_ROUTE_ADD:
	case PRIVSEP_OP_ROUTE_DEL:
		r.family = PRIVSEP_FAMILY_IPV4;
		r.prefix_len = 32;
		r.ifindex = 5;
		r.addr4 = IP(203, 0, 113, 10);
		if (op == PRIVSEP_OP_ROUTE_ADD)
			r.mtu = 1296; /* issue 12 §1: the session's path MTU */
		break;
	case PRIVSEP_OP_TUN_OPEN:
		r.local = IP(203, 0, 113, 10);
		r.peer = IP(203, 0, 113, 1);
		r.mtu = 1400;
		break;
	case PRIVSEP_OP_DNS_APPLY:
		r.dns[0] = IP(203, 0, 113, 53);
		r.dns[1] = IP(203, 0, 113, 54);
		break;
	case PRIVSEP_OP_SERVER_PIN:
		r.peer = IP(192, 0, 2, 1);
		break;
	case PRIVSEP_OP_DNS6_ADD:
		r.family = PRIVSEP_FAMILY_IPV6;
		r.prefix_len = 128;
		r.addr6[0] = 0x20;
		r.addr6[1] = 0x01;
		r.addr6[15] = 0x53;
		break;
	case PRIVSEP_OP_ADDR6_ADD:
		r.family = PRIVSEP_FAMILY_IPV6;
		r.prefix_len = 64;
		r.addr6[0] = 0xfe;
		r.addr6[1] = 0x80;
		r.addr6[15] = 1;
		break;
	case PRIVSEP_OP_HOOK_RUN:
		r.hook = PRIVSEP_HOOK_DOWN;
		r.local = IP(203, 0, 113, 10);
		r.peer = IP(203, 0, 113, 1);
		r.dns[0] = IP(203, 0, 113, 53);
		break;
	default:
		break;
	}
	return r;
}

static void every_request_round_trips(void **state)
{
	(void)state;
	for (int op = 1; op <= PRIVSEP_OP_MAX; op++) {
		struct privsep_request r = sample_request((enum privsep_op)op), back;
		uint8_t buf[PRIVSEP_MSG_MAX];
		int n = privsep_request_encode(&r, buf, sizeof(buf));
		assert_true(n >= PRIVSEP_HEADER_SIZE);
		assert_int_equal(privsep_request_decode(buf, (size_t)n, &back), 0);
		assert_memory_equal(&r, &back, sizeof(r));
		assert_string_not_equal(privsep_op_name((enum privsep_op)op), "unknown");
		/* One byte less is truncated, one more is left over. */
		assert_int_equal(privsep_request_decode(buf, (size_t)n - 1, &back),
				 n == PRIVSEP_HEADER_SIZE ? ERR_TRUNCATED : ERR_TRUNCATED);
		buf[n] = 0;
		assert_int_equal(privsep_request_decode(buf, (size_t)n + 1, &back), ERR_LENGTH);
		/* Too small an output buffer writes nothing valid. */
		assert_int_equal(privsep_request_encode(&r, buf, (size_t)n - 1), ERR_NOSPACE);
	}
}

static void ipv6_route_round_trips(void **state)
{
	(void)state;
	struct privsep_request r = sample_request(PRIVSEP_OP_ROUTE_ADD), back;
	r.family = PRIVSEP_FAMILY_IPV6;
	r.addr4 = 0;
	r.prefix_len = 128;
	memset(r.addr6, 0, 16);
	r.addr6[0] = 0x20;
	r.addr6[1] = 0x01;
	r.addr6[2] = 0x0d;
	r.addr6[3] = 0xb8;
	r.addr6[15] = 7;
	uint8_t buf[PRIVSEP_MSG_MAX];
	int n = privsep_request_encode(&r, buf, sizeof(buf));
	assert_int_equal(privsep_request_decode(buf, (size_t)n, &back), 0);
	assert_memory_equal(&r, &back, sizeof(r));
}

static void answers_round_trip(void **state)
{
	(void)state;
	for (int op = 1; op <= PRIVSEP_OP_MAX; op++) {
		struct privsep_answer a = { .op = (enum privsep_op)op, .id = 77, .fd = -1 }, back;
		if (op == PRIVSEP_OP_TUN_OPEN) {
			a.ifindex = 9;
			strcpy(a.ifname, "pptp0");
			a.tun_vnet_hdr = true;
		}
		a.length = op == PRIVSEP_OP_SECRETS_READ ? 1234 : 0;
		a.exit_code = op == PRIVSEP_OP_HOOK_RUN ? 3 : 0;
		if (op == PRIVSEP_OP_ROUTES_UP || op == PRIVSEP_OP_ROUTES6_UP) {
			a.routes_added = 3;
			a.routes_failed = 1;
		}
		uint8_t buf[PRIVSEP_MSG_MAX];
		int n = privsep_answer_encode(&a, buf, sizeof(buf));
		assert_true(n > 0);
		bool fd = privsep_op_passes_fd(a.op);
		assert_int_equal(privsep_answer_decode(buf, (size_t)n, fd, &back), 0);
		assert_memory_equal(&a, &back, sizeof(a));
		/* A descriptor where none belongs, or none where one must be. */
		assert_int_equal(privsep_answer_decode(buf, (size_t)n, !fd, &back), ERR_MALFORMED);
		/* A refusal carries no result and no descriptor. */
		a.status = ERR_POLICY;
		n = privsep_answer_encode(&a, buf, sizeof(buf));
		assert_int_equal(n, PRIVSEP_HEADER_SIZE + 4);
		assert_int_equal(privsep_answer_decode(buf, (size_t)n, false, &back), 0);
		assert_int_equal(back.status, ERR_POLICY);
		assert_int_equal(back.fd, -1);
		assert_int_equal(privsep_answer_decode(buf, (size_t)n, true, &back), ERR_MALFORMED);
	}
}

struct malformed_case {
	const char *name;
	const char *hex;
	int err;
};

/* Requests as a hostile main process could send them. Header: version, op,
 * body length, id. */
static const struct malformed_case request_cases[] = {
	{ "empty", "", ERR_TRUNCATED },
	{ "half a header", "0101 0018", ERR_TRUNCATED },
	{ "seven bytes", "0103 0000 000000", ERR_TRUNCATED },
	{ "version 0", "0003 0000 00000001", ERR_VERSION },
	{ "version 2", "0203 0000 00000001", ERR_VERSION },
	{ "op 0", "0100 0000 00000001", ERR_UNKNOWN_TYPE },
	{ "op 15", "010f 0000 00000001", ERR_UNKNOWN_TYPE },
	{ "addr6, family 5", "010c 0018 00000001 0540 0000 00000000 fe800000000000000000000000000001", ERR_MALFORMED },
	{ "op 255", "01ff 0000 00000001", ERR_UNKNOWN_TYPE },
	{ "route, body cut", "0101 0018 00000001 0420 0000 00000005 cb00710a", ERR_TRUNCATED },
	{ "route, length says 24, 25 there", "0101 0018 00000001 0420 0000 00000005 cb00710a 000000000000000000000000 00",
	  ERR_LENGTH },
	{ "route, length 20 (short body)", "0101 0014 00000001 0420 0000 00000005 cb00710a 0000000000000000",
	  ERR_LENGTH },
	{ "route, length 0xffff", "0101 ffff 00000001 0420 0000 00000005 cb00710a 000000000000000000000000",
	  ERR_TRUNCATED },
	{ "route, family 5", "0101 0018 00000001 0520 0000 00000005 cb00710a 000000000000000000000000",
	  ERR_MALFORMED },
	{ "route, family 0", "0102 0018 00000001 0020 0000 00000005 cb00710a 000000000000000000000000",
	  ERR_MALFORMED },
	{ "route-del with an MTU", "0102 0018 00000001 0420 0510 00000005 cb00710a 000000000000000000000000",
	  ERR_RESERVED },
	{ "route, IPv4 padding set", "0101 0018 00000001 0420 0000 00000005 cb00710a 000000000000000000000001",
	  ERR_MALFORMED },
	{ "secrets-read with a body", "0103 0004 00000001 2f657463", ERR_LENGTH },
	{ "secrets-read, a path smuggled after", "0103 0000 00000001 2f657463", ERR_LENGTH },
	{ "control-unlink with a body", "0104 0001 00000001 2f", ERR_LENGTH },
	{ "tun-open, reserved set", "0105 000c 00000001 cb00710a cb007101 0578 0001", ERR_RESERVED },
	{ "tun-open, 10-byte body", "0105 000a 00000001 cb00710a cb007101 0578", ERR_LENGTH },
	{ "dns-apply, one address", "0109 0004 00000001 cb007135", ERR_LENGTH },
	{ "hook-run, hook 0", "010b 0014 00000001 00000000 cb00710a cb007101 cb007135 00000000", ERR_MALFORMED },
	{ "hook-run, hook 3", "010b 0014 00000001 03000000 cb00710a cb007101 cb007135 00000000", ERR_MALFORMED },
	{ "hook-run, reserved set", "010b 0014 00000001 01000100 cb00710a cb007101 cb007135 00000000",
	  ERR_RESERVED },
	{ "hook-run, cut", "010b 0014 00000001 01000000 cb00710a", ERR_TRUNCATED },
};

static void request_malformed_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(request_cases) / sizeof(request_cases[0]); i++) {
		uint8_t buf[64];
		size_t len = test_hex(request_cases[i].hex, buf, sizeof(buf));
		struct privsep_request r;
		int rc = privsep_request_decode(len ? buf : NULL, len, &r);
		if (rc != request_cases[i].err)
			fail_msg("case \"%s\": got %d (%s), want %d (%s)", request_cases[i].name, rc, error_name(rc),
				 request_cases[i].err, error_name(request_cases[i].err));
	}
}

struct answer_case {
	const char *name;
	const char *hex;
	bool fd;
	int err;
};

static const struct answer_case answer_cases[] = {
	{ "no status", "0104 0000 00000001", false, ERR_LENGTH },
	{ "positive status", "0104 0004 00000001 00000001", false, ERR_MALFORMED },
	{ "tun-open, empty name", "0105 001c 00000001 00000000 00000009 00000000000000000000000000000000 00000000", true,
	  ERR_MALFORMED },
	{ "tun-open, name with a slash", "0105 001c 00000001 00000000 00000009 2e2e2f78000000000000000000000000 00000000",
	  true, ERR_MALFORMED },
	{ "tun-open, name not NUL-terminated",
	  "0105 001c 00000001 00000000 00000009 61616161616161616161616161616161 00000000", true, ERR_MALFORMED },
	{ "tun-open, junk after the name's NUL",
	  "0105 001c 00000001 00000000 00000009 70707470300078000000000000000000 00000000", true, ERR_MALFORMED },
	{ "tun-open, ifindex 0", "0105 001c 00000001 00000000 00000000 70707470300000000000000000000000 00000000", true,
	  ERR_MALFORMED },
	{ "tun-open, offload flag 2", "0105 001c 00000001 00000000 00000009 70707470300000000000000000000000 00000002",
	  true, ERR_MALFORMED },
	{ "secrets-read without its length", "0103 0004 00000001 00000000", true, ERR_LENGTH },
	{ "failure with a result", "0106 000c 00000001 fffffff8 00000001 00000000", false, ERR_LENGTH },
};

static void answer_malformed_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(answer_cases) / sizeof(answer_cases[0]); i++) {
		uint8_t buf[64];
		size_t len = test_hex(answer_cases[i].hex, buf, sizeof(buf));
		struct privsep_answer a;
		int rc = privsep_answer_decode(buf, len, answer_cases[i].fd, &a);
		if (rc != answer_cases[i].err)
			fail_msg("case \"%s\": got %d (%s), want %d (%s)", answer_cases[i].name, rc, error_name(rc),
				 answer_cases[i].err, error_name(answer_cases[i].err));
		assert_int_equal(a.fd, -1);
	}
}

static void ifname_rules(void **state)
{
	(void)state;
	assert_true(privsep_ifname_ok("pptp0"));
	assert_true(privsep_ifname_ok("ptun-A_1.x"));
	assert_true(privsep_ifname_ok("abcdefghijklmno"));   /* 15 */
	assert_false(privsep_ifname_ok("abcdefghijklmnop")); /* 16 */
	assert_false(privsep_ifname_ok(""));
	assert_false(privsep_ifname_ok("."));
	assert_false(privsep_ifname_ok(".."));
	assert_false(privsep_ifname_ok("a b"));
	assert_false(privsep_ifname_ok("a/b"));
	assert_false(privsep_ifname_ok("-a;rm"));
	assert_false(privsep_ifname_ok("pptp%d"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_request_round_trips),
		cmocka_unit_test(ipv6_route_round_trips),
		cmocka_unit_test(answers_round_trip),
		cmocka_unit_test(request_malformed_table),
		cmocka_unit_test(answer_malformed_table),
		cmocka_unit_test(ifname_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
