/* SPDX-License-Identifier: BSD-2-Clause */
/* src/proto/ip/ip_gro: in-order TCP segments coalesced into one GSO
 * super-packet for a TUN with IFF_VNET_HDR. Segments come from ip_gso
 * cutting a hand-built super-packet; merged back they must give its
 * payload, lengths and a pseudo-header sum in the TCP checksum field
 * (virtio v1.1 §5.1.6.2), checked with base/inet_checksum.h. Then what
 * must never merge. */
#include "support/test_support.h"

#include <string.h>

#include "base/bytes.h"
#include "base/error.h"
#include "base/inet_checksum.h"
#include "proto/ip/ip_gro.h"

static uint8_t super[65535];
static uint8_t segs[64][1500];
static size_t seg_len[64];
static uint8_t gro_buf[VNET_HDR_LEN + 65535];

/* IPv4 + TCP (ACK, 12-byte timestamp option) + payload, cut by ip_gso at mtu. */
static size_t cut4(size_t payload, size_t mtu, uint8_t flags)
{
	size_t n = 20 + 32 + payload;
	memset(super, 0, 52);
	super[0] = 0x45;
	store_be16(super + 2, (uint16_t)n);
	store_be16(super + 6, 0x4000);
	super[8] = 64;
	super[9] = 6;
	store_be32(super + 12, 0xCB007101u);
	store_be32(super + 16, 0xCB00710Au);
	store_be16(super + 20, 5001);
	store_be16(super + 22, 40000);
	store_be32(super + 24, 0xfffff000u);
	store_be32(super + 28, 99);
	super[32] = 8 << 4;
	super[33] = flags;
	store_be16(super + 34, 1000);
	super[40] = 1;
	super[41] = 1;
	super[42] = 8;
	super[43] = 10;
	for (size_t i = 0; i < payload; i++)
		super[52 + i] = (uint8_t)(i * 11 + 3);
	struct vnet_hdr h = { .gso_type = VNET_HDR_GSO_TCPV4, .gso_size = 60000 };
	struct ip_gso g;
	assert_int_equal(ip_gso_begin(&g, &h, super, n, mtu), 0);
	size_t k = 0;
	int len;
	while ((len = ip_gso_next(&g, segs[k], sizeof(segs[k]))) > 0)
		seg_len[k++] = (size_t)len;
	return k;
}

static void merged_back_into_one(void **state)
{
	(void)state;
	size_t k = cut4(10000, 1396, 0x18); /* ACK|PSH: PSH on the last only */
	assert_int_equal(k, 8);
	struct ip_gro g;
	ip_gro_init(&g, gro_buf, sizeof(gro_buf));
	for (size_t i = 0; i < k; i++)
		assert_true(ip_gro_add(&g, segs[i], seg_len[i]));
	size_t n = ip_gro_finish(&g);
	assert_true(ip_gro_empty(&g));
	assert_int_equal(n, VNET_HDR_LEN + 52 + 10000);
	struct vnet_hdr h;
	vnet_hdr_decode(gro_buf, &h);
	assert_int_equal(h.flags, VNET_HDR_F_NEEDS_CSUM);
	assert_int_equal(h.gso_type, VNET_HDR_GSO_TCPV4);
	assert_int_equal(h.gso_size, 1396 - 52);
	assert_int_equal(h.hdr_len, 52);
	assert_int_equal(h.csum_start, 20);
	assert_int_equal(h.csum_offset, 16);
	const uint8_t *ip = gro_buf + VNET_HDR_LEN;
	assert_int_equal(load_be16(ip + 2), 52 + 10000);
	assert_int_equal(inet_checksum(ip, 20), 0);
	assert_int_equal(ip[33], 0x18);
	assert_memory_equal(ip + 52, super + 52, 10000);
	/* Finishing the checksum as the kernel would gives a right one. */
	uint8_t *copy = super; /* reuse: the payload was compared */
	memcpy(copy, ip, 52 + 10000);
	assert_int_equal(vnet_finish_checksum(copy, 52 + 10000, &h), 0);
	static uint8_t v[12 + 65535];
	memcpy(v, copy + 12, 8);
	v[8] = 0;
	v[9] = 6;
	store_be16(v + 10, 32 + 10000);
	memcpy(v + 12, copy + 20, 32 + 10000);
	assert_int_equal(inet_checksum(v, 12 + 32 + 10000), 0);
	assert_int_equal(ip_gro_finish(&g), 0); /* empty: nothing */
}

static void single_segment_kept_as_it_is(void **state)
{
	(void)state;
	size_t k = cut4(500, 1396, 0x10);
	assert_int_equal(k, 1);
	struct ip_gro g;
	ip_gro_init(&g, gro_buf, sizeof(gro_buf));
	assert_true(ip_gro_add(&g, segs[0], seg_len[0]));
	assert_int_equal(ip_gro_finish(&g), VNET_HDR_LEN + seg_len[0]);
	static const uint8_t zero[VNET_HDR_LEN];
	assert_memory_equal(gro_buf, zero, VNET_HDR_LEN);
	assert_memory_equal(gro_buf + VNET_HDR_LEN, segs[0], seg_len[0]);
}

static void what_never_merges(void **state)
{
	(void)state;
	struct ip_gro g;
	ip_gro_init(&g, gro_buf, sizeof(gro_buf));
	size_t k = cut4(6000, 1000, 0x10);
	assert_true(k >= 5);
	/* a gap in the sequence */
	assert_true(ip_gro_add(&g, segs[0], seg_len[0]));
	assert_false(ip_gro_add(&g, segs[2], seg_len[2]));
	/* another flow (port) */
	uint8_t other[1500];
	memcpy(other, segs[1], seg_len[1]);
	other[21] ^= 1;
	assert_false(ip_gro_add(&g, other, seg_len[1]));
	/* a bad TCP checksum: neither merged nor started */
	memcpy(other, segs[1], seg_len[1]);
	other[60] ^= 0xff;
	assert_false(ip_gro_add(&g, other, seg_len[1]));
	ip_gro_finish(&g);
	assert_false(ip_gro_add(&g, other, seg_len[1]));
	/* a different ACK */
	assert_true(ip_gro_add(&g, segs[0], seg_len[0]));
	memcpy(other, segs[1], seg_len[1]);
	other[31] ^= 1;
	other[37] ^= 1; /* (checksum right or not: it must not merge) */
	assert_false(ip_gro_add(&g, other, seg_len[1]));
	assert_true(ip_gro_add(&g, segs[1], seg_len[1]));
	ip_gro_finish(&g);
	/* after a short segment, nothing */
	k = cut4(2500, 1052, 0x10); /* 1000 + 1000 + 500 */
	assert_int_equal(k, 3);
	assert_true(ip_gro_add(&g, segs[0], seg_len[0]));
	assert_true(ip_gro_add(&g, segs[1], seg_len[1]));
	assert_true(ip_gro_add(&g, segs[2], seg_len[2]));
	uint8_t more[1500];
	memcpy(more, segs[2], seg_len[2]);
	assert_false(ip_gro_add(&g, more, seg_len[2])); /* seq and size wrong anyway */
	ip_gro_finish(&g);
	/* SYN, FIN, no payload, UDP, truncated, IPv4 options */
	k = cut4(100, 1396, 0x12);
	assert_false(ip_gro_add(&g, segs[0], seg_len[0]));
	k = cut4(100, 1396, 0x11);
	assert_false(ip_gro_add(&g, segs[0], seg_len[0]));
	k = cut4(0, 1396, 0x10);
	assert_false(ip_gro_add(&g, segs[0], seg_len[0]));
	k = cut4(100, 1396, 0x10);
	assert_false(ip_gro_add(&g, segs[0], seg_len[0] - 1));
	assert_false(ip_gro_add(&g, segs[0], 30));
	segs[0][9] = 17;
	assert_false(ip_gro_add(&g, segs[0], seg_len[0]));
	assert_true(ip_gro_empty(&g));
	(void)k;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(merged_back_into_one),
		cmocka_unit_test(single_segment_kept_as_it_is),
		cmocka_unit_test(what_never_merges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
