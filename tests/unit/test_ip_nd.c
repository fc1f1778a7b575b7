/* SPDX-License-Identifier: BSD-2-Clause */
/* src/proto/ip/ip_nd: Router Advertisement / Solicitation (RFC 4861,
 * RFC 8106) built and parsed, with a table of malformed cases, each
 * refused with its own error. The checksum is checked here with an
 * independent one's-complement sum over the RFC 8200 §8.1 pseudo-header. */
#include "support/test_support.h"

#include <string.h>

#include "base/error.h"
#include "proto/ip/ip_nd.h"

static const uint8_t router[16] = { 0xfe, 0x80, [15] = 0x11 };
static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 1 };
static const uint8_t prefix[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x71, 0x0a };
static const uint8_t dns1[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x53 };

/* RFC 8200 §8.1 pseudo-header + message: 0xffff folded when right. */
static uint16_t sum_check(const uint8_t *pkt, size_t len)
{
	uint32_t sum = 0;
	size_t payload = len - 40;
	for (size_t i = 8; i < 40; i += 2)
		sum += (uint32_t)(pkt[i] << 8 | pkt[i + 1]);
	sum += (uint32_t)payload + 58;
	for (size_t i = 40; i < len; i += 2)
		sum += (uint32_t)(pkt[i] << 8 | (i + 1 < len ? pkt[i + 1] : 0));
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* Recompute the ICMPv6 checksum after a mutation, independently. */
static void fix_checksum(uint8_t *pkt, size_t len)
{
	pkt[42] = pkt[43] = 0;
	uint16_t ck = (uint16_t)~sum_check(pkt, len);
	pkt[42] = (uint8_t)(ck >> 8);
	pkt[43] = (uint8_t)ck;
}

static size_t good_ra(uint8_t *out, size_t cap)
{
	struct nd_ra ra = { .cur_hop_limit = 64, .router_lifetime = 1800, .has_prefix = true, .prefix_len = 64,
			    .on_link = true, .valid_lifetime = 2592000, .preferred_lifetime = 604800, .mtu = 1396,
			    .dns_count = 1, .dns_lifetime = 1800 };
	memcpy(ra.prefix, prefix, 16);
	memcpy(ra.dns[0], dns1, 16);
	int n = nd_ra_build(out, cap, &ra, router, all_nodes);
	assert_true(n > 0);
	return (size_t)n;
}

static void ra_round_trip(void **state)
{
	(void)state;
	uint8_t pkt[ND_RA_MAX];
	size_t n = good_ra(pkt, sizeof(pkt));
	/* 40 + 16 + prefix 32 + MTU 8 + RDNSS 24 */
	assert_int_equal(n, 120);
	assert_int_equal(sum_check(pkt, n), 0xffff);
	assert_int_equal(pkt[7], 255);
	assert_int_equal(pkt[40], 134);
	struct nd_ra got;
	assert_int_equal(nd_ra_parse(pkt, n, &got), 0);
	assert_true(got.has_prefix);
	assert_memory_equal(got.prefix, prefix, 16);
	assert_int_equal(got.prefix_len, 64);
	assert_true(got.on_link);
	assert_int_equal(got.valid_lifetime, 2592000);
	assert_int_equal(got.preferred_lifetime, 604800);
	assert_int_equal(got.router_lifetime, 1800);
	assert_int_equal(got.mtu, 1396);
	assert_int_equal(got.dns_count, 1);
	assert_memory_equal(got.dns[0], dns1, 16);
	assert_int_equal(nd_ra_build(pkt, n - 1, &(struct nd_ra){ .has_prefix = true, .mtu = 1, .dns_count = 1 },
				     router, all_nodes),
			 ERR_NOSPACE);
	assert_int_equal(nd_ra_build(pkt, sizeof(pkt), &(struct nd_ra){ .dns_count = 3 }, router, all_nodes),
			 ERR_INVALID);
}

static void rs_round_trip(void **state)
{
	(void)state;
	uint8_t pkt[ND_RS_LEN];
	assert_int_equal(nd_rs_build(pkt, sizeof(pkt), router), ND_RS_LEN);
	assert_int_equal(sum_check(pkt, ND_RS_LEN), 0xffff);
	assert_int_equal(nd_rs_parse(pkt, ND_RS_LEN), 0);
	assert_true(nd_is_icmp6_type(pkt, ND_RS_LEN, ND_TYPE_ROUTER_SOLICIT));
	assert_false(nd_is_icmp6_type(pkt, ND_RS_LEN, ND_TYPE_ROUTER_ADVERT));
	assert_false(nd_is_icmp6_type(pkt, 40, ND_TYPE_ROUTER_SOLICIT));
	assert_int_equal(nd_rs_build(pkt, ND_RS_LEN - 1, router), ERR_NOSPACE);
	/* the RS is not an RA, and the other way round */
	struct nd_ra ra;
	assert_int_equal(nd_ra_parse(pkt, ND_RS_LEN, &ra), ERR_UNKNOWN_TYPE);
	uint8_t adv[ND_RA_MAX];
	size_t n = good_ra(adv, sizeof(adv));
	assert_int_equal(nd_rs_parse(adv, n), ERR_UNKNOWN_TYPE);
	/* hop limit below 255 (off-link) */
	pkt[7] = 254;
	assert_int_equal(nd_rs_parse(pkt, ND_RS_LEN), ERR_MALFORMED);
}

/* One mutation of the good RA and the error it must give. */
struct ra_case {
	const char *name;
	size_t at;         /* byte to set (SIZE_MAX: none) */
	uint8_t value;
	long len_delta;    /* bytes cut off the end (negative) */
	int payload_delta; /* added to the IPv6 payload length */
	bool fix;          /* recompute the checksum after the change */
	int want;
};

static void ra_malformed_table(void **state)
{
	(void)state;
	/* offsets: 40 ICMPv6, 56 prefix option (58 prefix length, 59 flags),
	 * 88 MTU option, 96 RDNSS option */
	static const struct ra_case cases[] = {
		{ "empty", SIZE_MAX, 0, -120, 0, false, ERR_TRUNCATED },
		{ "IPv6 header only", SIZE_MAX, 0, -80, -80, true, ERR_TRUNCATED },
		{ "RA shorter than its 16 bytes", SIZE_MAX, 0, -68, -68, true, ERR_TRUNCATED },
		{ "payload length past the buffer", SIZE_MAX, 0, 0, 8, false, ERR_LENGTH },
		{ "IPv4 version (total length 0)", 0, 0x45, 0, 0, false, ERR_LENGTH },
		{ "version 7", 0, 0x70, 0, 0, false, ERR_VERSION },
		{ "next header UDP", 6, 17, 0, 0, false, ERR_UNKNOWN_TYPE },
		{ "hop limit 254", 7, 254, 0, 0, true, ERR_MALFORMED },
		{ "code 1", 41, 1, 0, 0, true, ERR_MALFORMED },
		{ "checksum wrong", 43, 0x5a, 0, 0, false, ERR_CRYPTO },
		{ "source not link-local", 8, 0x20, 0, 0, true, ERR_MALFORMED },
		{ "option length 0", 57, 0, 0, 0, true, ERR_LENGTH },
		{ "option past the end", 97, 9, 0, 0, true, ERR_LENGTH },
		{ "prefix option length 3", 57, 3, 0, 0, true, ERR_LENGTH },
		{ "prefix length 129", 58, 129, 0, 0, true, ERR_MALFORMED },
		{ "MTU option length 2", 89, 2, 0, 0, true, ERR_LENGTH },
		{ "RDNSS of even length", 97, 2, -8, -8, true, ERR_MALFORMED },
		{ "RDNSS without an address", 97, 1, -16, -16, true, ERR_MALFORMED },
		{ "cut inside an option", SIZE_MAX, 0, -1, -1, true, ERR_LENGTH },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct ra_case *c = &cases[i];
		uint8_t pkt[ND_RA_MAX + 16];
		size_t n = good_ra(pkt, sizeof(pkt));
		if (c->at != SIZE_MAX)
			pkt[c->at] = c->value;
		size_t len = (size_t)((long)n + c->len_delta);
		if (c->payload_delta) {
			unsigned pl = (unsigned)((pkt[4] << 8 | pkt[5]) + c->payload_delta);
			pkt[4] = (uint8_t)(pl >> 8);
			pkt[5] = (uint8_t)pl;
		}
		if (c->fix && len >= 44)
			fix_checksum(pkt, len);
		struct nd_ra ra;
		int rc = nd_ra_parse(pkt, len, &ra);
		if (rc != c->want)
			fail_msg("%s: got %s, want %s", c->name, error_name(rc), error_name(c->want));
		assert_false(ra.has_prefix);
		assert_int_equal(ra.dns_count, 0);
	}
}

/* Prefixes SLAAC cannot use are skipped (RFC 4862 §5.5.3), the RA itself stays valid. */
static void ra_unusable_prefixes_skipped(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		size_t at;
		uint8_t value;
	} cases[] = {
		{ "A flag clear", 59, 0x80 },
		{ "length 48", 58, 48 },
		{ "link-local prefix", 72, 0xfe },
		{ "preferred above valid", 64, 0xff },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t pkt[ND_RA_MAX];
		size_t n = good_ra(pkt, sizeof(pkt));
		pkt[cases[i].at] = cases[i].value;
		if (cases[i].at == 72)
			pkt[73] = 0x80;
		fix_checksum(pkt, n);
		struct nd_ra ra;
		assert_int_equal(nd_ra_parse(pkt, n, &ra), 0);
		if (ra.has_prefix)
			fail_msg("%s: prefix taken", cases[i].name);
		assert_int_equal(ra.mtu, 1396);
	}
	/* an unknown option type is skipped */
	uint8_t pkt[ND_RA_MAX];
	size_t n = good_ra(pkt, sizeof(pkt));
	pkt[88] = 200;
	fix_checksum(pkt, n);
	struct nd_ra ra;
	assert_int_equal(nd_ra_parse(pkt, n, &ra), 0);
	assert_true(ra.has_prefix);
	assert_int_equal(ra.mtu, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ra_round_trip),
		cmocka_unit_test(rs_round_trip),
		cmocka_unit_test(ra_malformed_table),
		cmocka_unit_test(ra_unusable_prefixes_skipped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
