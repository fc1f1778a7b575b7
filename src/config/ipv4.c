/* SPDX-License-Identifier: BSD-2-Clause */
#include "config/ipv4.h"

#include <stdbool.h>
#include <string.h>

#include "base/error.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

static void trim(const char **s, size_t *len)
{
	while (*len && is_space(**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len && is_space((*s)[*len - 1]))
		(*len)--;
}

static int range_parse_n(const char *s, size_t len, struct ipv4_range *out)
{
	trim(&s, &len);
	const char *dash = memchr(s, '-', len);
	const char *slash = memchr(s, '/', len);
	if (dash && slash)
		return ERR_MALFORMED;
	if (slash) {
		uint32_t base;
		size_t alen = (size_t)(slash - s);
		if (ipv4_parse_n(s, alen, &base) < 0)
			return ERR_MALFORMED;
		size_t pos = alen + 1;
		unsigned prefix;
		if (ipv4_decimal_parse(s, len, &pos, 32, &prefix) < 0 || pos != len)
			return ERR_MALFORMED;
		uint32_t mask = prefix ? ~(uint32_t)0 << (32 - prefix) : 0;
		if (base & ~mask)
			return ERR_INVALID;
		out->first = base;
		out->last = base | ~mask;
		if (prefix <= 30) {
			out->first++;
			out->last--;
		}
		return 0;
	}
	if (dash) {
		const char *a = s, *b = dash + 1;
		size_t alen = (size_t)(dash - s), blen = len - alen - 1;
		trim(&a, &alen);
		trim(&b, &blen);
		if (ipv4_parse_n(a, alen, &out->first) < 0)
			return ERR_MALFORMED;
		if (memchr(b, '.', blen)) {
			if (ipv4_parse_n(b, blen, &out->last) < 0)
				return ERR_MALFORMED;
		} else {
			size_t pos = 0;
			unsigned octet;
			if (ipv4_decimal_parse(b, blen, &pos, 255, &octet) < 0 || pos != blen)
				return ERR_MALFORMED;
			out->last = (out->first & 0xffffff00u) | octet;
		}
		return out->first <= out->last ? 0 : ERR_INVALID;
	}
	if (ipv4_parse_n(s, len, &out->first) < 0)
		return ERR_MALFORMED;
	out->last = out->first;
	return 0;
}

int ipv4_range_parse(const char *s, struct ipv4_range *out)
{
	return range_parse_n(s, strlen(s), out);
}

int ipv4_ranges_parse(const char *s, struct ipv4_range *out, size_t max)
{
	size_t n = 0;
	for (;;) {
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);
		if (n == max)
			return ERR_LIMIT;
		int rc = range_parse_n(s, len, &out[n]);
		if (rc < 0)
			return rc;
		for (size_t i = 0; i < n; i++)
			if (out[n].first <= out[i].last && out[i].first <= out[n].last)
				return ERR_DUPLICATE;
		n++;
		if (!comma)
			break;
		s = comma + 1;
	}
	return (int)n;
}
