/* SPDX-License-Identifier: BSD-2-Clause */
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* src/proto/ip on arbitrary bytes as a TUN or a peer would hand them over:
 * parse, the source check, both ICMP too-big builders, fragmentation (the
 * pieces must reassemble to the original payload) and MSS clamping (never
 * a change in length, never a write outside the packet). */
#include <stdlib.h>
#include <string.h>

#include "base/inet_checksum.h"
#include "proto/ip/ip_packet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	struct ip_info ip;
	int rc = ip_parse(data, size, &ip);
	if (rc == 0 && (ip.total_len > size || ip.header_len > ip.total_len))
		abort();
	struct ip_peer peer = { .ipv4 = 0xCB00710Au, .ipv6_up = true, .ipv6_iid = 1 };
	(void)ip_source_check(data, size, 4, &peer);
	(void)ip_source_check(data, size, 6, &peer);

	static uint8_t out[2048];
	static const uint8_t from6[16] = { 0xfe, 0x80, [15] = 1 };
	int n = icmp4_frag_needed(out, sizeof(out), data, size, 0xCB00710Au, 1396);
	if (n > ICMP4_ERROR_MAX || (n > 0 && inet_checksum(out, 20) != 0))
		abort();
	n = icmp6_packet_too_big(out, sizeof(out), data, size, from6, 1280);
	if (n > ICMP6_ERROR_MAX)
		abort();

	/* fragment at an MTU taken from the input, reassemble */
	uint16_t mtu = size >= 2 ? (uint16_t)(68 + ((data[size - 1] << 8 | data[size - 2]) % 1400)) : 576;
	if (rc == 0 && ip.version == 4) {
		static uint8_t payload[4096];
		size_t offset = 0, got = 0;
		while ((n = ip4_fragment_next(data, size, mtu, &offset, out, sizeof(out))) > 0) {
			struct ip_info fi;
			if ((size_t)n > mtu || ip_parse(out, (size_t)n, &fi) != 0 || inet_checksum(out, fi.header_len) != 0)
				abort();
			size_t d = fi.total_len - fi.header_len;
			if (got + d > sizeof(payload))
				abort();
			memcpy(payload + got, out + fi.header_len, d);
			got += d;
		}
		if (n == 0 && (got != ip.total_len - ip.header_len || memcmp(payload, data + ip.header_len, got) != 0))
			abort();
	}

	uint8_t *copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	bool changed = tcp_mss_clamp(copy, size, (uint16_t)(mtu - 40));
	if (!changed && memcmp(copy, data, size) != 0)
		abort();
	free(copy);
	return 0;
}
