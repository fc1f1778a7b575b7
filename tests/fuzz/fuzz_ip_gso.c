/* SPDX-License-Identifier: BSD-2-Clause */
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* src/proto/ip/ip_gso on what a TUN opened with IFF_VNET_HDR reads: a
 * virtio-net header (virtio v1.1 §5.1.6) then a packet, with the session
 * MTU taken from the input. Checks: segments never exceed the MTU, each
 * has a right IPv4 header checksum and TCP checksum, the payloads
 * reassemble to the super-packet's, and a partial checksum is never
 * finished outside the packet. The segments then go through ip_gro (the
 * receive side's coalescing) and the input packet itself too: whatever it
 * merges is the segments' payload in order, within 64 KiB. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/bytes.h"
#include "base/inet_checksum.h"
#include "proto/ip/ip_gro.h"
#include "proto/ip/ip_gso.h"

static uint8_t copy[65536 + 64];
static uint8_t out[65536];
static uint8_t pseudo[65536 + 64];
static uint8_t merged[VNET_HDR_LEN + 65535];

static void check_tcp(const uint8_t *s, size_t n, unsigned version, size_t ihl)
{
	size_t l4 = n - ihl, k;
	if (version == 4) {
		if (inet_checksum(s, ihl) != 0)
			abort();
		memcpy(pseudo, s + 12, 8);
		pseudo[8] = 0;
		pseudo[9] = 6;
		store_be16(pseudo + 10, (uint16_t)l4);
		k = 12;
	} else {
		memcpy(pseudo, s + 8, 32);
		store_be32(pseudo + 32, (uint32_t)l4);
		memset(pseudo + 36, 0, 3);
		pseudo[39] = 6;
		k = 40;
	}
	memcpy(pseudo + k, s + ihl, l4);
	if (inet_checksum(pseudo, k + l4) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < VNET_HDR_LEN + 2 || size > sizeof(copy))
		return 0;
	size_t mtu = 68 + (size_t)(data[0] << 8 | data[1]) % 1500;
	data += 2;
	size -= 2;
	struct vnet_hdr h;
	vnet_hdr_decode(data, &h);
	const uint8_t *pkt = data + VNET_HDR_LEN;
	size_t len = size - VNET_HDR_LEN;
	memcpy(copy, pkt, len);
	if (vnet_finish_checksum(copy, len, &h) == 0 && (h.flags & VNET_HDR_F_NEEDS_CSUM) &&
	    (size_t)h.csum_start + h.csum_offset + 2 > len)
		abort();

	struct ip_gro m;
	ip_gro_init(&m, merged, sizeof(merged));
	if (ip_gro_add(&m, pkt, len) && ip_gro_finish(&m) != VNET_HDR_LEN + len)
		abort();
	struct ip_gso g;
	if (ip_gso_begin(&g, &h, pkt, len, mtu) != 0)
		return 0;
	size_t merged_payload = 0;
	bool all_merged = true;
	size_t got = 0, segs = 0, total = ip_gso_count(&g);
	int n;
	while ((n = ip_gso_next(&g, out, sizeof(out))) > 0) {
		if ((size_t)n > mtu || (size_t)n < g.hdrs_len)
			abort();
		check_tcp(out, (size_t)n, g.version, g.ip_len);
		size_t chunk = (size_t)n - g.hdrs_len;
		if (memcmp(out + g.hdrs_len, pkt + g.hdrs_len + got, chunk) != 0)
			abort();
		if (all_merged && chunk && ip_gro_add(&m, out, (size_t)n))
			merged_payload += chunk;
		else
			all_merged = false;
		got += chunk;
		segs++;
	}
	size_t mn = ip_gro_finish(&m);
	if (merged_payload) {
		if (mn != VNET_HDR_LEN + g.hdrs_len + merged_payload ||
		    memcmp(merged + VNET_HDR_LEN + g.hdrs_len, pkt + g.hdrs_len, merged_payload) != 0)
			abort();
	}
	if (n < 0 || got != g.payload_len || segs != total)
		abort();
	return 0;
}
