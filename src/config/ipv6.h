/* SPDX-License-Identifier: BSD-2-Clause */
/* IPv6 addresses and prefixes as users write them (RFC 4291 §2.2, §2.3),
 * and the server's rule for a session's /64 inside --ipv6-pool. Pure. */
#ifndef OPENPPTP_CONFIG_IPV6_H
#define OPENPPTP_CONFIG_IPV6_H

#include <stdbool.h>
#include <stdint.h>

#define IPV6_STR_MAX 46 /* INET6_ADDRSTRLEN */

struct ipv6_prefix {
	uint8_t addr[16]; /* bits past len are zero */
	uint8_t len;
};

/* 0 or ERR_MALFORMED. */
int ipv6_parse(const char *s, uint8_t out[16]);
/* "ADDRESS/LEN": 0, ERR_MALFORMED, or ERR_INVALID (host bits set). */
int ipv6_prefix_parse(const char *s, struct ipv6_prefix *out);
char *ipv6_format(const uint8_t a[16], char out[IPV6_STR_MAX]);
bool ipv6_prefix_contains(const struct ipv6_prefix *p, const uint8_t a[16]);

/* --ipv6-pool P/N (32 <= N <= 63): session /64s are P with the subnet ID
 * (bits N..63) taken from the low 64-N bits of the session's IPv4
 * address, so each tunnel address has one /64, found again from any
 * destination inside it. Subnet 0 is the server's own (P::1). */
#define IPV6_POOL_MIN_LEN 32
#define IPV6_POOL_MAX_LEN 63
uint32_t ipv6_pool_subnet_of_ipv4(const struct ipv6_prefix *pool, uint32_t ipv4);
/* The subnet ID of an address inside the pool, 0 when outside it. */
uint32_t ipv6_pool_subnet_of(const struct ipv6_prefix *pool, const uint8_t a[16]);
/* The /64 with that subnet ID (bytes 8..15 zero). */
void ipv6_pool_subnet(const struct ipv6_prefix *pool, uint32_t subnet, uint8_t out[16]);

#endif
