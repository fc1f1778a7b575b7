/* SPDX-License-Identifier: BSD-2-Clause */
#include "proto/radius/radius_route.h"

#include "base/error.h"
#include "base/ipv4_text.h"

static uint32_t prefix_mask(unsigned len)
{
	return len == 0 ? 0 : 0xffffffffu << (32 - len);
}

/* Index of the first c in s[from..len), or len. */
static size_t find_char(const char *s, size_t len, size_t from, char c)
{
	while (from < len && s[from] != c)
		from++;
	return from;
}

int ipv4_prefix_parse(const char *s, size_t len, struct ipv4_prefix *out)
{
	if (!s || len > RADIUS_ROUTE_TEXT_MAX)
		return ERR_MALFORMED;
	size_t slash = find_char(s, len, 0, '/');
	if (slash == len)
		return ERR_MALFORMED;
	uint32_t addr;
	if (ipv4_parse_n(s, slash, &addr) < 0)
		return ERR_MALFORMED;
	size_t pos = slash + 1;
	unsigned plen;
	if (ipv4_decimal_parse(s, len, &pos, 32, &plen) < 0 || pos != len)
		return ERR_MALFORMED;
	if (addr & ~prefix_mask(plen))
		return ERR_MALFORMED; /* host bits set: say the network, not a host in it */
	out->addr = addr;
	out->len = (uint8_t)plen;
	return 0;
}

int radius_route_parse(const char *s, size_t len, struct radius_route *out)
{
	if (!s || len > RADIUS_ROUTE_TEXT_MAX)
		return ERR_MALFORMED;
	struct radius_route r = { 0 };
	size_t end = find_char(s, len, 0, ' ');
	/* A /0 names every address: never one session's route. */
	if (ipv4_prefix_parse(s, end, &r.dest) < 0 || r.dest.len == 0)
		return ERR_MALFORMED;
	if (end < len) {
		size_t from = end + 1;
		end = find_char(s, len, from, ' ');
		if (ipv4_parse_n(s + from, end - from, &r.gateway) < 0)
			return ERR_MALFORMED;
	}
	while (end < len) {
		size_t pos = end + 1;
		unsigned m;
		if (r.metrics == RADIUS_ROUTE_METRICS_MAX || ipv4_decimal_parse(s, len, &pos, 65535, &m) < 0)
			return ERR_MALFORMED;
		if (pos < len && s[pos] != ' ')
			return ERR_MALFORMED;
		if (r.metrics++ == 0)
			r.metric = m;
		end = pos;
	}
	*out = r;
	return 0;
}

int ipv4_prefix_contains(const struct ipv4_prefix *outer, const struct ipv4_prefix *inner)
{
	return inner->len >= outer->len && ((inner->addr ^ outer->addr) & prefix_mask(outer->len)) == 0;
}

enum radius_route_verdict radius_route_check(const struct radius_route *r, const struct ipv4_prefix *allow, size_t n,
					     uint32_t session_addr)
{
	if (n == 0)
		return RADIUS_ROUTE_NO_ALLOW_LIST;
	if (r->dest.len < RADIUS_ROUTE_MIN_LEN)
		return RADIUS_ROUTE_TOO_SHORT;
	if (r->gateway != 0 && r->gateway != session_addr)
		return RADIUS_ROUTE_BAD_GATEWAY;
	for (size_t i = 0; i < n; i++)
		if (ipv4_prefix_contains(&allow[i], &r->dest))
			return RADIUS_ROUTE_ALLOWED;
	return RADIUS_ROUTE_OUTSIDE_ALLOW;
}

const char *radius_route_verdict_text(enum radius_route_verdict v)
{
	switch (v) {
	case RADIUS_ROUTE_ALLOWED:
		return "allowed";
	case RADIUS_ROUTE_NO_ALLOW_LIST:
		return "no --framed-route-allow configured";
	case RADIUS_ROUTE_TOO_SHORT:
		return "prefix shorter than /8";
	case RADIUS_ROUTE_OUTSIDE_ALLOW:
		return "outside every --framed-route-allow prefix";
	case RADIUS_ROUTE_BAD_GATEWAY:
		return "gateway is neither 0.0.0.0 nor the session's address";
	}
	return "?";
}
