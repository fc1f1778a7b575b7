/* SPDX-License-Identifier: BSD-2-Clause */
#include "proto/radius/radius_route.h"

#include "base/error.h"
#include "base/ipv4_text.h"

/* Index of the first c in s[from..len), or len. */
static size_t find_char(const char *s, size_t len, size_t from, char c)
{
	while (from < len && s[from] != c)
		from++;
	return from;
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
