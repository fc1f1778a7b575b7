/* SPDX-License-Identifier: BSD-2-Clause */
#include "base/ipv4_text.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/error.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int ipv4_decimal_parse(const char *s, size_t len, size_t *pos, unsigned max, unsigned *out)
{
	size_t start = *pos;
	unsigned v = 0;
	while (*pos < len && is_digit(s[*pos])) {
		v = v * 10 + (unsigned)(s[*pos] - '0');
		if (v > max)
			return ERR_MALFORMED;
		(*pos)++;
	}
	size_t n = *pos - start;
	if (n == 0 || (n > 1 && s[start] == '0'))
		return ERR_MALFORMED;
	*out = v;
	return 0;
}

int ipv4_parse_n(const char *s, size_t len, uint32_t *out)
{
	uint32_t addr = 0;
	size_t pos = 0;
	for (int part = 0; part < 4; part++) {
		unsigned v;
		if (part > 0) {
			if (pos >= len || s[pos] != '.')
				return ERR_MALFORMED;
			pos++;
		}
		if (ipv4_decimal_parse(s, len, &pos, 255, &v) < 0)
			return ERR_MALFORMED;
		addr = addr << 8 | v;
	}
	if (pos != len)
		return ERR_MALFORMED;
	*out = addr;
	return 0;
}

int ipv4_parse(const char *s, uint32_t *out)
{
	return ipv4_parse_n(s, strlen(s), out);
}

char *ipv4_format(uint32_t a, char out[IPV4_STR_MAX])
{
	snprintf(out, IPV4_STR_MAX, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
	return out;
}

int ipv4_addr_port_parse(const char *s, uint16_t default_port, uint32_t *addr, uint16_t *port)
{
	const char *colon = strchr(s, ':');
	size_t alen = colon ? (size_t)(colon - s) : strlen(s);
	if (ipv4_parse_n(s, alen, addr) < 0)
		return ERR_MALFORMED;
	if (!colon) {
		*port = default_port;
		return default_port ? 0 : ERR_MALFORMED;
	}
	size_t pos = 0, plen = strlen(colon + 1);
	unsigned v;
	if (ipv4_decimal_parse(colon + 1, plen, &pos, 65535, &v) < 0 || pos != plen || v == 0)
		return ERR_MALFORMED;
	*port = (uint16_t)v;
	return 0;
}

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
	if (!s || len > IPV4_PREFIX_TEXT_MAX)
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

bool ipv4_prefix_contains(const struct ipv4_prefix *outer, const struct ipv4_prefix *inner)
{
	return inner->len >= outer->len && ((inner->addr ^ outer->addr) & prefix_mask(outer->len)) == 0;
}
