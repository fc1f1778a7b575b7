/* SPDX-License-Identifier: BSD-2-Clause */
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Framed-Route text (RFC 2865 §5.22) as a RADIUS server may send it, fed
 * to the parser and the install rule. Whatever parses must be a prefix
 * without host bits, /1../32, and must check against an allow list
 * without reading past the text (the input is not NUL-terminated). */
#include <stdlib.h>

#include "proto/radius/radius_route.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct radius_route r;
	if (radius_route_parse((const char *)data, size, &r) == 0) {
		if (r.dest.len == 0 || r.dest.len > 32 || r.metrics > RADIUS_ROUTE_METRICS_MAX || r.metric > 65535)
			abort();
		if (r.dest.len < 32 && (r.dest.addr & (0xffffffffu >> r.dest.len)))
			abort();
		const struct ipv4_prefix allow[] = { { 0xc6120000u, 15 }, { 0, 0 } };
		enum radius_route_verdict v = radius_route_check(&r, allow, 2, 0xcb00710au);
		if (v == RADIUS_ROUTE_ALLOWED && r.dest.len < RADIUS_ROUTE_MIN_LEN)
			abort();
		(void)radius_route_verdict_text(v);
	}
	struct ipv4_prefix p;
	if (ipv4_prefix_parse((const char *)data, size, &p) == 0 && p.len > 32)
		abort();
	return 0;
}
