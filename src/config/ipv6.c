/* SPDX-License-Identifier: BSD-2-Clause */
/* IPv6 addresses and prefixes (ipv6.h). */
#include "config/ipv6.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bytes.h"
#include "base/error.h"

int ipv6_parse(const char *s, uint8_t out[16])
{
	return inet_pton(AF_INET6, s, out) == 1 ? 0 : ERR_MALFORMED;
}

char *ipv6_format(const uint8_t a[16], char out[IPV6_STR_MAX])
{
	if (!inet_ntop(AF_INET6, a, out, IPV6_STR_MAX))
		snprintf(out, IPV6_STR_MAX, "?");
	return out;
}

static bool bit_set(const uint8_t a[16], unsigned bit)
{
	return (a[bit / 8] >> (7 - bit % 8)) & 1;
}

int ipv6_prefix_parse(const char *s, struct ipv6_prefix *out)
{
	const char *slash = strchr(s, '/');
	char addr[IPV6_STR_MAX];
	if (!slash || (size_t)(slash - s) >= sizeof(addr) || !slash[1])
		return ERR_MALFORMED;
	memcpy(addr, s, (size_t)(slash - s));
	addr[slash - s] = 0;
	char *end;
	unsigned long len = strtoul(slash + 1, &end, 10);
	if (*end || len > 128 || slash[1] < '0' || slash[1] > '9')
		return ERR_MALFORMED;
	if (ipv6_parse(addr, out->addr) < 0)
		return ERR_MALFORMED;
	out->len = (uint8_t)len;
	for (unsigned b = out->len; b < 128; b++)
		if (bit_set(out->addr, b))
			return ERR_INVALID;
	return 0;
}

bool ipv6_prefix_contains(const struct ipv6_prefix *p, const uint8_t a[16])
{
	for (unsigned b = 0; b < p->len; b++)
		if (bit_set(a, b) != bit_set(p->addr, b))
			return false;
	return true;
}

static uint32_t subnet_mask(const struct ipv6_prefix *pool)
{
	unsigned bits = 64u - pool->len;
	return bits >= 32 ? UINT32_MAX : (UINT32_C(1) << bits) - 1;
}

uint32_t ipv6_pool_subnet_of_ipv4(const struct ipv6_prefix *pool, uint32_t ipv4)
{
	return ipv4 & subnet_mask(pool);
}

uint32_t ipv6_pool_subnet_of(const struct ipv6_prefix *pool, const uint8_t a[16])
{
	if (!ipv6_prefix_contains(pool, a))
		return 0;
	uint64_t hi = ((uint64_t)load_be32(a) << 32) | load_be32(a + 4);
	return (uint32_t)hi & subnet_mask(pool);
}

void ipv6_pool_subnet(const struct ipv6_prefix *pool, uint32_t subnet, uint8_t out[16])
{
	memcpy(out, pool->addr, 16);
	uint64_t hi = ((uint64_t)load_be32(out) << 32) | load_be32(out + 4);
	hi |= subnet & subnet_mask(pool);
	store_be32(out, (uint32_t)(hi >> 32));
	store_be32(out + 4, (uint32_t)hi);
	memset(out + 8, 0, 8);
}
