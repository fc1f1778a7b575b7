/* SPDX-License-Identifier: BSD-2-Clause */
/* src/proto/ip/ip_gso: the virtio-net header, partial checksums and TCP
 * segmentation of TUN super-packets. The super-packets are built here by
 * hand (RFC 791 / RFC 8200 / RFC 9293 layouts); every segment's checksums
 * are verified with base/inet_checksum.h over a pseudo-header assembled
 * separately (not the segmenter's own sum), and the payloads must
 * reassemble to the original bytes. */
#include "support/test_support.h"

#include <string.h>

#include "base/bytes.h"
#include "base/error.h"
#include "base/inet_checksum.h"
#include "proto/ip/ip_gso.h"

#define SUPER_MAX 65535

static uint8_t super[SUPER_MAX];
static uint8_t seg[SUPER_MAX];

/* IPv4 (id 0x1234, DF) + TCP (seq 1000, flags, 12-byte timestamp option)
 * + payload bytes i*7, as the kernel hands a TSO super-packet over. */
static size_t build4(size_t payload, uint8_t tcp_flags)
{
	size_t n = 20 + 32 + payload;
	memset(super, 0, 52);
	super[0] = 0x45;
	store_be16(super + 2, (uint16_t)n);
	store_be16(super + 4, 0x1234);
	store_be16(super + 6, 0x4000);
	super[8] = 64;
	super[9] = 6;
	store_be32(super + 12, 0xCB007101u); /* 203.0.113.1 */
	store_be32(super + 16, 0xCB007102u);
	uint8_t *t = super + 20;
	store_be16(t, 40000);
	store_be16(t + 2, 5001);
	store_be32(t + 4, 1000);
	store_be32(t + 8, 77);
	t[12] = 8 << 4;
	t[13] = tcp_flags;
	store_be16(t + 14, 500);
	t[20] = 1;
	t[21] = 1;
	t[22] = 8; /* timestamp option */
	t[23] = 10;
	for (size_t i = 0; i < payload; i++)
		super[52 + i] = (uint8_t)(i * 7);
	return n;
}

static size_t build6(size_t payload, uint8_t tcp_flags)
{
	size_t n = 40 + 20 + payload;
	memset(super, 0, 60);
	super[0] = 0x60;
	store_be16(super + 4, (uint16_t)(20 + payload));
	super[6] = 6;
	super[7] = 64;
	static const uint8_t a[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 }, b[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
	memcpy(super + 8, a, 16);
	memcpy(super + 24, b, 16);
	uint8_t *t = super + 40;
	store_be16(t, 40000);
	store_be16(t + 2, 5001);
	store_be32(t + 4, 0xfffffc00u); /* wraps inside the super-packet */
	t[12] = 5 << 4;
	t[13] = tcp_flags;
	for (size_t i = 0; i < payload; i++)
		super[60 + i] = (uint8_t)(i * 13);
	return n;
}

/* The TCP checksum over RFC 9293 §3.1 / RFC 8200 §8.1 pseudo-header: 0 when right. */
static uint16_t tcp_verify(const uint8_t *p, size_t n)
{
	static uint8_t buf[SUPER_MAX + 64];
	bool v4 = (p[0] >> 4) == 4;
	size_t ihl = v4 ? (size_t)(p[0] & 15) * 4 : 40, l4 = n - ihl, k = 0;
	if (v4) {
		memcpy(buf, p + 12, 8);
		k = 8;
		buf[k++] = 0;
		buf[k++] = 6;
		store_be16(buf + k, (uint16_t)l4);
		k += 2;
	} else {
		memcpy(buf, p + 8, 32);
		k = 32;
		store_be32(buf + k, (uint32_t)l4);
		k += 4;
		memset(buf + k, 0, 3);
		k += 3;
		buf[k++] = 6;
	}
	memcpy(buf + k, p + ihl, l4);
	return inet_checksum(buf, k + l4);
}

static void segments_check(size_t n, const struct vnet_hdr *h, size_t mtu, size_t want_segs, size_t want_payload)
{
	bool v4 = (super[0] >> 4) == 4;
	size_t ihl = v4 ? 20 : 40, hl = v4 ? 52 : 60, payload = n - hl;
	uint32_t seq0 = load_be32(super + ihl + 4);
	struct ip_gso g;
	assert_int_equal(ip_gso_begin(&g, h, super, n, mtu), 0);
	assert_int_equal(ip_gso_count(&g), want_segs);
	size_t got = 0, segs = 0;
	int len;
	while ((len = ip_gso_next(&g, seg, sizeof(seg))) > 0) {
		size_t chunk = (size_t)len - hl;
		assert_true(mtu == 0 || (size_t)len <= mtu);
		assert_true(chunk == want_payload || got + chunk == payload);
		if (v4) {
			assert_int_equal(load_be16(seg + 2), len);
			assert_int_equal(load_be16(seg + 4), 0x1234 + segs);
			assert_int_equal(inet_checksum(seg, 20), 0);
		} else {
			assert_int_equal(load_be16(seg + 4), len - 40);
		}
		const uint8_t *t = seg + ihl;
		assert_int_equal(load_be32(t + 4), (uint32_t)(seq0 + got));
		bool last = got + chunk == payload;
		assert_int_equal(t[13] & 0x09, last ? (super[ihl + 13] & 0x09) : 0); /* FIN, PSH */
		assert_int_equal(t[13] & 0x80, segs == 0 ? (super[ihl + 13] & 0x80) : 0); /* CWR */
		assert_int_equal(t[13] & 0x10, super[ihl + 13] & 0x10);             /* ACK everywhere */
		assert_int_equal(tcp_verify(seg, (size_t)len), 0);
		assert_memory_equal(seg + hl, super + hl + got, chunk);
		got += chunk;
		segs++;
	}
	assert_int_equal(len, 0);
	assert_int_equal(segs, want_segs);
	assert_int_equal(got, payload);
	assert_int_equal(ip_gso_next(&g, seg, sizeof(seg)), 0); /* stays done */
}

static void ipv4_super_packet_segmented(void **state)
{
	(void)state;
	struct vnet_hdr h = { .flags = VNET_HDR_F_NEEDS_CSUM, .gso_type = VNET_HDR_GSO_TCPV4, .hdr_len = 52,
			      .gso_size = 1344, .csum_start = 20, .csum_offset = 16 };
	/* FIN|PSH|ACK|CWR: FIN and PSH on the last only, CWR on the first only */
	size_t n = build4(3 * 1344 + 100, 0x99);
	segments_check(n, &h, 1396, 4, 1344);
	/* a full 64 KiB one */
	n = build4(65535 - 52, 0x18);
	segments_check(n, &h, 1396, (65535 - 52 + 1343) / 1344, 1344);
	/* exact multiple */
	n = build4(2 * 1344, 0x18);
	segments_check(n, &h, 0, 2, 1344);
	/* gso_size above the session MTU: cut to 576 - 52 */
	h.gso_size = 1448;
	n = build4(5000, 0x18);
	segments_check(n, &h, 576, (5000 + 523) / 524, 524);
	/* no payload at all: one segment, the headers */
	n = build4(0, 0x11);
	segments_check(n, &h, 1396, 1, 0);
}

static void ipv6_super_packet_segmented(void **state)
{
	(void)state;
	struct vnet_hdr h = { .flags = VNET_HDR_F_NEEDS_CSUM, .gso_type = VNET_HDR_GSO_TCPV6 | VNET_HDR_GSO_ECN,
			      .hdr_len = 60, .gso_size = 1280, .csum_start = 40, .csum_offset = 16 };
	size_t n = build6(10000, 0x98);
	segments_check(n, &h, 1396, 8, 1280);
	segments_check(n, &h, 1000, 11, 940);
}

static void malformed_table(void **state)
{
	(void)state;
	struct vnet_hdr ok = { .flags = VNET_HDR_F_NEEDS_CSUM, .gso_type = VNET_HDR_GSO_TCPV4, .hdr_len = 52,
			       .gso_size = 1344, .csum_start = 20, .csum_offset = 16 };
	struct ip_gso g;
	size_t n = build4(4000, 0x18);
	struct {
		const char *what;
		struct vnet_hdr h;
		size_t len;
		size_t mtu;
		int off;       /* a byte to change, -1: none */
		uint8_t value;
		int want;
		uint16_t total; /* IPv4 total length to store, 0: as built */
	} cases[] = {
		{ "hdr_len past the end", ok, n, 1396, -1, 0, ERR_TRUNCATED, 0 },
		{ "gso_size 0", ok, n, 1396, -1, 0, ERR_INVALID, 0 },
		{ "UDP GSO type", ok, n, 1396, -1, 0, ERR_UNSUPPORTED, 0 },
		{ "no GSO type", ok, n, 1396, -1, 0, ERR_UNSUPPORTED, 0 },
		{ "TCPV6 type on IPv4", ok, n, 1396, -1, 0, ERR_UNSUPPORTED, 0 },
		{ "UDP with the TCP flag", ok, n, 1396, 9, 17, ERR_UNSUPPORTED, 0 },
		{ "truncated IP header", ok, 12, 1396, -1, 0, ERR_TRUNCATED, 0 },
		{ "truncated (total length above the buffer)", ok, n - 1, 1396, -1, 0, ERR_LENGTH, 0 },
		{ "TCP header cut", ok, 30, 1396, -1, 0, ERR_TRUNCATED, 30 },
		{ "TCP data offset 4", ok, n, 1396, 32, 0x40, ERR_MALFORMED, 0 },
		{ "TCP data offset past the packet", ok, 50, 1396, -1, 0, ERR_TRUNCATED, 50 },
		{ "IPv4 fragment", ok, n, 1396, 6, 0x20, ERR_MALFORMED, 0 },
		{ "IHL 4", ok, n, 1396, 0, 0x44, ERR_MALFORMED, 0 },
		{ "mtu below the headers", ok, n, 52, -1, 0, ERR_NOSPACE, 0 },
	};
	cases[0].h.hdr_len = (uint16_t)(n + 1);
	cases[1].h.gso_size = 0;
	cases[2].h.gso_type = VNET_HDR_GSO_UDP;
	cases[3].h.gso_type = VNET_HDR_GSO_NONE;
	cases[4].h.gso_type = VNET_HDR_GSO_TCPV6;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		n = build4(4000, 0x18);
		if (cases[i].off >= 0)
			super[cases[i].off] = cases[i].value;
		if (cases[i].total)
			store_be16(super + 2, cases[i].total);
		int rc = ip_gso_begin(&g, &cases[i].h, super, cases[i].len, cases[i].mtu);
		if (rc != cases[i].want)
			fail_msg("%s: %d, want %d", cases[i].what, rc, cases[i].want);
		assert_int_equal(ip_gso_next(&g, seg, sizeof(seg)), 0); /* nothing after a refusal */
	}
	/* ECN flag: accepted; CWR kept on the first segment only (checked above) */
	ok.gso_type |= VNET_HDR_GSO_ECN;
	n = build4(4000, 0x98);
	assert_int_equal(ip_gso_begin(&g, &ok, super, n, 1396), 0);
	/* output buffer short */
	assert_int_equal(ip_gso_next(&g, seg, 100), ERR_NOSPACE);
}

static void partial_checksum_finished(void **state)
{
	(void)state;
	/* A UDP datagram (RFC 768) whose checksum field holds the pseudo-header
	 * sum, as the kernel leaves it with NEEDS_CSUM. */
	uint8_t p[64] = { 0x45, 0, 0, 48, 0, 0, 0x40, 0, 64, 17, 0, 0, 203, 0, 113, 1, 203, 0, 113, 2 };
	store_be16(p + 10, inet_checksum(p, 20));
	store_be16(p + 20, 5000);
	store_be16(p + 22, 53);
	store_be16(p + 24, 28);
	for (int i = 28; i < 48; i++)
		p[i] = (uint8_t)(i * 3);
	uint32_t ps = 0xCB00 + 0x7101 + 0xCB00 + 0x7102 + 17 + 28;
	while (ps >> 16)
		ps = (ps & 0xffff) + (ps >> 16);
	store_be16(p + 26, (uint16_t)ps);
	struct vnet_hdr h = { .flags = VNET_HDR_F_NEEDS_CSUM, .csum_start = 20, .csum_offset = 6 };
	assert_int_equal(vnet_finish_checksum(p, 48, &h), 0);
	/* verify: pseudo-header + UDP datagram sums to 0 */
	uint8_t v[12 + 28];
	memcpy(v, p + 12, 8);
	v[8] = 0;
	v[9] = 17;
	store_be16(v + 10, 28);
	memcpy(v + 12, p + 20, 28);
	assert_int_equal(inet_checksum(v, sizeof(v)), 0);
	assert_int_not_equal(load_be16(p + 26), 0);
	/* offsets outside the packet */
	h.csum_offset = 27;
	assert_int_equal(vnet_finish_checksum(p, 48, &h), ERR_LENGTH);
	h.csum_start = 48;
	assert_int_equal(vnet_finish_checksum(p, 48, &h), ERR_LENGTH);
	h.flags = 0; /* DATA_VALID or nothing: left alone */
	assert_int_equal(vnet_finish_checksum(p, 48, &h), 0);
}

static void header_round_trip(void **state)
{
	(void)state;
	struct vnet_hdr h = { 1, 4, 60, 1280, 40, 16 }, back;
	uint8_t b[VNET_HDR_LEN];
	vnet_hdr_encode(&h, b);
	vnet_hdr_decode(b, &back);
	assert_memory_equal(&h, &back, sizeof(h));
	uint16_t gso;
	memcpy(&gso, b + 4, 2); /* host order: what the TUN reads and writes */
	assert_int_equal(gso, 1280);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ipv4_super_packet_segmented), cmocka_unit_test(ipv6_super_packet_segmented),
		cmocka_unit_test(malformed_table),             cmocka_unit_test(partial_checksum_finished),
		cmocka_unit_test(header_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
