/* SPDX-License-Identifier: BSD-2-Clause */
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* src/proto/ip/ip_nd on arbitrary bytes as a peer would send them through
 * the tunnel: the RA and RS parsers never read past the input, a parsed
 * RA's fields stay in their domains, and an RA rebuilt from what was
 * parsed parses again to the same values (builder and parser agree). */
#include <stdlib.h>
#include <string.h>

#include "proto/ip/ip_nd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	(void)nd_rs_parse(data, size);
	(void)nd_is_icmp6_type(data, size, ND_TYPE_ROUTER_ADVERT);
	struct nd_ra ra;
	if (nd_ra_parse(data, size, &ra) != 0)
		return 0;
	if (ra.dns_count > ND_RDNSS_MAX || ra.prefix_len > 128 || (ra.has_prefix && ra.prefix_len != 64) ||
	    (ra.has_prefix && ra.preferred_lifetime > ra.valid_lifetime))
		abort();
	static const uint8_t src[16] = { 0xfe, 0x80, [15] = 1 }, dst[16] = { 0xff, 0x02, [15] = 1 };
	uint8_t out[ND_RA_MAX];
	int n = nd_ra_build(out, sizeof(out), &ra, src, dst);
	struct nd_ra again;
	if (n <= 0 || nd_ra_parse(out, (size_t)n, &again) != 0)
		abort();
	if (again.has_prefix != ra.has_prefix || again.dns_count != ra.dns_count || again.mtu != ra.mtu ||
	    again.router_lifetime != ra.router_lifetime || memcmp(again.prefix, ra.prefix, 16) != 0 ||
	    memcmp(again.dns, ra.dns, sizeof(ra.dns)) != 0)
		abort();
	return 0;
}
