/* SPDX-License-Identifier: BSD-2-Clause */
/* src/proto/ip: parse, ICMP too-big answers, IPv4 fragmentation and MSS
 * clamping. Vectors built and checksummed independently (a few lines of
 * Python's struct over the RFC layouts), then checked again here by
 * verifying every checksum over its pseudo-header. */
#include "support/test_support.h"

#include <stdio.h>
#include <string.h>

#include "base/bytes.h"
#include "base/error.h"
#include "base/inet_checksum.h"
#include "proto/ip/ip_packet.h"

static size_t unhex(const char *h, uint8_t *out, size_t cap)
{
	size_t n = strlen(h) / 2;
	assert_true(n <= cap);
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		assert_int_equal(sscanf(h + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
	return n;
}

/* TCP/UDP/ICMPv6 checksum over the pseudo-header: 0 when correct. */
static uint16_t l4_verify(const uint8_t *pkt)
{
	struct ip_info ip;
	assert_int_equal(ip_parse(pkt, 2000, &ip), 0);
	uint8_t buf[2100];
	size_t n = 0;
	size_t alen = ip.version == 4 ? 4 : 16;
	size_t l4len = ip.total_len - ip.header_len;
	memcpy(buf, ip.src, alen);
	memcpy(buf + alen, ip.dst, alen);
	n = 2 * alen;
	if (ip.version == 4) {
		buf[n++] = 0;
		buf[n++] = ip.protocol;
		store_be16(buf + n, (uint16_t)l4len);
		n += 2;
	} else {
		store_be32(buf + n, (uint32_t)l4len);
		n += 4;
		buf[n++] = 0;
		buf[n++] = 0;
		buf[n++] = 0;
		buf[n++] = ip.protocol;
	}
	memcpy(buf + n, pkt + ip.header_len, l4len);
	return inet_checksum(buf, n + l4len);
}

static const char syn_hex[] = "45000030123440004006c254cb00710ac63364019c40005000000001000000007002faf0855d0000020405b401010402";
static const char syn_clamped_hex[] =
	"45000030123440004006c254cb00710ac63364019c40005000000001000000007002faf085c500000204054c01010402";
static const char odd_hex[] = "45000030123440004006c254cb00710ac63364019c40005000000001000000007002faf0d80e000001020405b4010101";
static const char odd_clamped_hex[] =
	"45000030123440004006c254cb00710ac63364019c40005000000001000000007002faf0400f0000010204054c010101";

static void mss_clamped_with_incremental_checksum(void **state)
{
	(void)state;
	uint8_t p[2000] = { 0 }, want[64];
	/* MSS 1460 -> 1356 (MTU 1396 - 40), even and odd option offsets */
	const char *in[2] = { syn_hex, odd_hex }, *out[2] = { syn_clamped_hex, odd_clamped_hex };
	for (int i = 0; i < 2; i++) {
		size_t n = unhex(in[i], p, sizeof(p));
		assert_int_equal(l4_verify(p), 0);
		assert_true(tcp_mss_clamp(p, n, 1356));
		unhex(out[i], want, sizeof(want));
		assert_memory_equal(p, want, n);
		assert_int_equal(l4_verify(p), 0);
		/* already small enough: untouched */
		assert_false(tcp_mss_clamp(p, n, 1356));
		assert_false(tcp_mss_clamp(p, n, 1400));
	}
	/* SYN-ACK (SYN|ACK) is clamped too; a plain ACK is not */
	size_t n = unhex(syn_hex, p, sizeof(p));
	p[33] = 0x12;
	assert_true(tcp_mss_clamp(p, n, 1000));
	n = unhex(syn_hex, p, sizeof(p));
	p[33] = 0x10;
	assert_false(tcp_mss_clamp(p, n, 1000));
	/* RFC 1624 §3: the update never produces -0 from a sum that was not */
	assert_int_equal(inet_checksum_update16(0xdd2f, 0x5555, 0x3285), 0x0000);
	assert_int_equal(inet_checksum_update16(0x855d, 0x05b4, 0x054c), 0x85c5);
}

static void mss_clamp_malformed_table(void **state)
{
	(void)state;
	struct {
		const char *what;
		size_t at;
		uint8_t value;
		size_t len; /* 0: whole */
	} cases[] = {
		{ "option length 0", 41, 0, 0 },
		{ "option length past the header", 41, 30, 0 },
		{ "data offset below 5", 32, 0x40, 0 },
		{ "data offset past the segment", 32, 0xf0, 0 },
		{ "MSS option of length 3", 41, 3, 0 },
		{ "a later fragment", 7, 0x10, 0 },
		{ "not TCP", 9, 17, 0 },
		{ "truncated segment", 0, 0x45, 30 },
		{ "total length above the buffer", 3, 0xff, 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t p[64];
		size_t n = unhex(syn_hex, p, sizeof(p));
		p[cases[i].at] = cases[i].value;
		if (cases[i].len)
			n = cases[i].len;
		uint8_t before[64];
		memcpy(before, p, sizeof(p));
		if (tcp_mss_clamp(p, n, 536))
			fail_msg("clamped: %s", cases[i].what);
		assert_memory_equal(p, before, sizeof(p));
	}
}

static const char udp_orig_hex[] =
	"45000064123440004011c215c6336401cb00710a138800350050000000070e151c232a31383f464d545b626970777e858c939aa1a8"
	"afb6bdc4cbd2d9e0e7eef5fc030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7ced5dce3eaf1";

static void icmp4_frag_needed_vector(void **state)
{
	(void)state;
	uint8_t orig[200], out[700], want[36];
	size_t n = unhex(udp_orig_hex, orig, sizeof(orig));
	int len = icmp4_frag_needed(out, sizeof(out), orig, n, 0xCB00710Au, 1396);
	assert_int_equal(len, 128);
	unhex("45000080000000004001143ecb00710ac633640103045df900000574", want, sizeof(want));
	assert_memory_equal(out, want, 28);
	assert_memory_equal(out + 28, orig, n);
	assert_int_equal(inet_checksum(out, 20), 0);
	assert_int_equal(inet_checksum(out + 20, 108), 0);
	/* a big packet is quoted up to 576 bytes in all */
	uint8_t big[1500] = { 0 };
	memcpy(big, orig, 20);
	store_be16(big + 2, 1500);
	len = icmp4_frag_needed(out, sizeof(out), big, sizeof(big), 0xCB00710Au, 1396);
	assert_int_equal(len, 576);
	assert_int_equal(inet_checksum(out + 20, 556), 0);
	assert_int_equal(icmp4_frag_needed(out, 100, big, sizeof(big), 1, 1396), ERR_NOSPACE);
	/* never about an ICMP error, a later fragment, or a multicast source */
	uint8_t e[200];
	memcpy(e, orig, n);
	e[9] = 1;
	e[20] = 3;
	assert_int_equal(icmp4_frag_needed(out, sizeof(out), e, n, 1, 1396), ERR_UNSUPPORTED);
	e[20] = 8; /* echo request: answered */
	assert_int_equal(icmp4_frag_needed(out, sizeof(out), e, n, 1, 1396), 128);
	memcpy(e, orig, n);
	e[7] = 0x10;
	assert_int_equal(icmp4_frag_needed(out, sizeof(out), e, n, 1, 1396), ERR_UNSUPPORTED);
	memcpy(e, orig, n);
	e[12] = 224;
	assert_int_equal(icmp4_frag_needed(out, sizeof(out), e, n, 1, 1396), ERR_UNSUPPORTED);
	assert_int_equal(icmp4_frag_needed(out, sizeof(out), e, 10, 1, 1396), ERR_TRUNCATED);
}

static const char orig6_hex[] =
	"60000000003c3b40fe800000000000000000000000000001fe80000000000000dcb5a1a025dbb98c1100010203040506000102"
	"030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f30313233";

static void icmp6_packet_too_big_vector(void **state)
{
	(void)state;
	uint8_t orig[200], out[1400], from[16];
	size_t n = unhex(orig6_hex, orig, sizeof(orig));
	unhex("fe80000000000000dcb5a1a025dbb98c", from, sizeof(from));
	int len = icmp6_packet_too_big(out, sizeof(out), orig, n, from, 1396);
	assert_int_equal(len, 148);
	assert_int_equal(out[0], 0x60);
	assert_int_equal(load_be16(out + 4), 108);
	assert_int_equal(out[6], 58);
	assert_memory_equal(out + 8, from, 16);
	assert_memory_equal(out + 24, orig + 8, 16); /* to the packet's source */
	assert_int_equal(out[40], 2);
	assert_int_equal(out[41], 0);
	assert_int_equal(load_be16(out + 42), 0x0034); /* computed independently */
	assert_int_equal(load_be32(out + 44), 1396);
	assert_memory_equal(out + 48, orig, n);
	assert_int_equal(l4_verify(out), 0);
	/* quoted up to 1280 bytes in all */
	uint8_t big[1500] = { 0 };
	memcpy(big, orig, 40);
	store_be16(big + 4, 1460);
	len = icmp6_packet_too_big(out, sizeof(out), big, sizeof(big), from, 1396);
	assert_int_equal(len, 1280);
	assert_int_equal(l4_verify(out), 0);
	/* never about an ICMPv6 error, or from the unspecified address */
	uint8_t e[200];
	memcpy(e, orig, n);
	e[6] = 58;
	e[40] = 1;
	assert_int_equal(icmp6_packet_too_big(out, sizeof(out), e, n, from, 1396), ERR_UNSUPPORTED);
	memcpy(e, orig, n);
	memset(e + 8, 0, 16);
	assert_int_equal(icmp6_packet_too_big(out, sizeof(out), e, n, from, 1396), ERR_UNSUPPORTED);
	assert_int_equal(icmp6_packet_too_big(out, sizeof(out), orig, 39, from, 1396), ERR_TRUNCATED);
	assert_int_equal(icmp6_packet_too_big(out, sizeof(out), orig, n - 1, from, 1396), ERR_LENGTH);
}

/* Fragment, check every piece (RFC 791 §3.2), reassemble, compare. */
static void fragment_and_reassemble(const uint8_t *pkt, size_t len, uint16_t mtu, size_t want_frags,
				    size_t later_hl)
{
	struct ip_info ip;
	assert_int_equal(ip_parse(pkt, len, &ip), 0);
	uint8_t payload[2000];
	size_t offset = 0, got = 0, frags = 0;
	uint8_t f[2000];
	int n;
	while ((n = ip4_fragment_next(pkt, len, mtu, &offset, f, sizeof(f))) > 0) {
		struct ip_info fi;
		assert_true((size_t)n <= mtu);
		assert_int_equal(ip_parse(f, (size_t)n, &fi), 0);
		assert_int_equal(inet_checksum(f, fi.header_len), 0);
		assert_int_equal(fi.header_len, frags == 0 ? ip.header_len : later_hl);
		assert_int_equal(fi.fragment_offset, got);
		assert_int_equal(load_be16(f + 4), load_be16(pkt + 4)); /* same identification */
		size_t data = fi.total_len - fi.header_len;
		bool last = got + data == ip.total_len - ip.header_len;
		assert_int_equal(fi.more_fragments, !last);
		if (!last)
			assert_int_equal(data % 8, 0);
		memcpy(payload + got, f + fi.header_len, data);
		got += data;
		frags++;
	}
	assert_int_equal(n, 0);
	assert_int_equal(frags, want_frags);
	assert_int_equal(got, ip.total_len - ip.header_len);
	assert_memory_equal(payload, pkt + ip.header_len, got);
}

static void ipv4_fragmentation(void **state)
{
	(void)state;
	uint8_t p[1500];
	size_t n = unhex(udp_orig_hex, p, sizeof(p));
	p[6] = 0; /* clear DF */
	store_be16(p + 10, 0);
	store_be16(p + 10, inet_checksum(p, 20));
	fragment_and_reassemble(p, n, 60, 2, 20);      /* 80 bytes of payload: 40 + 40 */
	fragment_and_reassemble(p, n, 59, 3, 20);      /* 32 + 32 + 16 */
	fragment_and_reassemble(p, n, 100, 1, 20);     /* fits: one "fragment", the packet */
	/* a full-size packet at MTU 1396 */
	uint8_t big[1400] = { 0x45, 0, 0x05, 0x78, 0xab, 0xcd, 0, 0, 64, 17 };
	for (size_t i = 20; i < sizeof(big); i++)
		big[i] = (uint8_t)i;
	store_be16(big + 10, inet_checksum(big, 20));
	fragment_and_reassemble(big, sizeof(big), 1396, 2, 20);
	/* options: a copied one (Router Alert, 0x94) stays in later fragments,
	 * a NOP and a non-copied one (0x44 Timestamp) do not (RFC 791 §3.1) */
	uint8_t o[200] = { 0x48, 0, 0, 160, 0x11, 0x22, 0, 0, 64, 17 };
	const uint8_t opts[12] = { 0x94, 4, 0, 0, 1, 0x44, 4, 5, 0, 0, 0, 0 };
	memcpy(o + 20, opts, sizeof(opts));
	store_be16(o + 10, inet_checksum(o, 32));
	fragment_and_reassemble(o, 160, 80, 3, 24);
	/* refusals */
	size_t off = 0;
	uint8_t f[200];
	assert_int_equal(ip4_fragment_next(p, n, 27, &off, f, sizeof(f)), ERR_LENGTH);
	p[6] = 0x40;
	assert_int_equal(ip4_fragment_next(p, n, 60, &off, f, sizeof(f)), ERR_STATE);
	p[6] = 0;
	assert_int_equal(ip4_fragment_next(p, n, 60, &off, f, 30), ERR_NOSPACE);
	assert_int_equal(ip4_fragment_next(p, 19, 60, &off, f, sizeof(f)), ERR_TRUNCATED);
	/* an already fragmented packet keeps MF on its last piece and its offset */
	p[6] = 0x20;
	p[7] = 0x04; /* MF, offset 32 bytes */
	off = 0;
	int len = 0;
	struct ip_info fi;
	while ((len = ip4_fragment_next(p, n, 60, &off, f, sizeof(f))) > 0) {
		assert_int_equal(ip_parse(f, (size_t)len, &fi), 0);
		assert_true(fi.more_fragments);
	}
	assert_int_equal(fi.fragment_offset, 32 + 40);
}

static void parse_and_source_check_table(void **state)
{
	(void)state;
	uint8_t p[200];
	size_t n = unhex(udp_orig_hex, p, sizeof(p));
	struct ip_info ip;
	assert_int_equal(ip_parse(p, n, &ip), 0);
	assert_int_equal(ip.version, 4);
	assert_true(ip.dont_fragment);
	assert_int_equal(ip.protocol, 17);
	struct {
		const char *what;
		size_t at;
		uint8_t value;
		size_t len;
		int rc;
	} cases[] = {
		{ "empty", 0, 0x45, 0, ERR_TRUNCATED },
		{ "one byte", 0, 0x45, 1, ERR_TRUNCATED },
		{ "19 bytes", 0, 0x45, 19, ERR_TRUNCATED },
		{ "IHL 4", 0, 0x44, 100, ERR_MALFORMED },
		{ "total length below IHL", 3, 10, 100, ERR_LENGTH },
		{ "total length above the buffer", 3, 101, 100, ERR_LENGTH },
		{ "reserved flag", 6, 0xc0, 100, ERR_RESERVED },
		{ "version 5", 0, 0x55, 100, ERR_VERSION },
		{ "version 0", 0, 0x05, 100, ERR_VERSION },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		n = unhex(udp_orig_hex, p, sizeof(p));
		p[cases[i].at] = cases[i].value;
		int rc = ip_parse(p, cases[i].len, &ip);
		if (rc != cases[i].rc)
			fail_msg("%s: %d, want %d", cases[i].what, rc, cases[i].rc);
	}
	uint8_t v6[200];
	size_t n6 = unhex(orig6_hex, v6, sizeof(v6));
	assert_int_equal(ip_parse(v6, 39, &ip), ERR_TRUNCATED);
	assert_int_equal(ip_parse(v6, n6 - 1, &ip), ERR_LENGTH);
	assert_int_equal(ip_parse(v6, n6, &ip), 0);
	/* the source check */
	n = unhex(udp_orig_hex, p, sizeof(p)); /* from 198.51.100.1 */
	struct ip_peer peer = { .ipv4 = 0xC6336401u };
	assert_int_equal(ip_source_check(p, n, 4, &peer), IP_SOURCE_OK);
	assert_int_equal(ip_source_check(p, n, 6, &peer), IP_SOURCE_WRONG_VERSION);
	assert_int_equal(ip_source_check(p, n, 4, NULL), IP_SOURCE_OK);
	assert_int_equal(ip_source_check(p, 0, 4, &peer), IP_SOURCE_MALFORMED);
	assert_int_equal(ip_source_check(p, 19, 4, NULL), IP_SOURCE_MALFORMED);
	peer.ipv4 = 0xC6336402u;
	assert_int_equal(ip_source_check(p, n, 4, &peer), IP_SOURCE_SPOOFED);
	/* issue 14: a Framed-Route prefix of the session admits its sources */
	const struct ipv4_prefix routes[] = { { 0xC6120500u, 24 }, { 0xC6336400u, 24 } };
	peer.routes = routes;
	peer.route_count = 1; /* 198.18.5.0/24 only */
	assert_int_equal(ip_source_check(p, n, 4, &peer), IP_SOURCE_SPOOFED);
	peer.route_count = 2; /* and 198.51.100.0/24 */
	assert_int_equal(ip_source_check(p, n, 4, &peer), IP_SOURCE_OK);
	const struct ipv4_prefix next_door = { 0xC6336500u, 24 };
	peer.routes = &next_door;
	peer.route_count = 1;
	assert_int_equal(ip_source_check(p, n, 4, &peer), IP_SOURCE_SPOOFED);
	peer.routes = NULL;
	peer.route_count = 0;
	/* IPv6 from fe80::1 */
	peer.ipv6_iid = 1;
	assert_int_equal(ip_source_check(v6, n6, 6, &peer), IP_SOURCE_SPOOFED); /* IPV6CP not up */
	peer.ipv6_up = true;
	assert_int_equal(ip_source_check(v6, n6, 6, &peer), IP_SOURCE_OK);
	assert_int_equal(ip_source_check(v6, n6, 4, &peer), IP_SOURCE_WRONG_VERSION);
	peer.ipv6_iid = 2;
	assert_int_equal(ip_source_check(v6, n6, 6, &peer), IP_SOURCE_SPOOFED);
	peer.ipv6_iid = 1;
	v6[8] = 0x20; /* 2001::1: no prefix delegated */
	assert_int_equal(ip_source_check(v6, n6, 6, &peer), IP_SOURCE_SPOOFED);
	/* issue 12 §3: a delegated /64 admits any address inside it, nothing next to it */
	static const uint8_t prefix[8] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0x71, 0x0a };
	memcpy(peer.ipv6_prefix, prefix, 8);
	peer.ipv6_has_prefix = true;
	memcpy(v6 + 8, prefix, 8);
	assert_int_equal(ip_source_check(v6, n6, 6, &peer), IP_SOURCE_OK);
	v6[15] ^= 1; /* 2001:db8:1:710b::/64: the neighbour's */
	assert_int_equal(ip_source_check(v6, n6, 6, &peer), IP_SOURCE_SPOOFED);
	v6[15] ^= 1;
	peer.ipv6_up = false;
	assert_int_equal(ip_source_check(v6, n6, 6, &peer), IP_SOURCE_SPOOFED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mss_clamped_with_incremental_checksum),
		cmocka_unit_test(mss_clamp_malformed_table),
		cmocka_unit_test(icmp4_frag_needed_vector),
		cmocka_unit_test(icmp6_packet_too_big_vector),
		cmocka_unit_test(ipv4_fragmentation),
		cmocka_unit_test(parse_and_source_check_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
