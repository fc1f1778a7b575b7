/* SPDX-License-Identifier: BSD-2-Clause */
/* IPv4 addresses and ranges as users write them in configuration.
 * Addresses are uint32_t in host byte order throughout the project's
 * configuration and sys APIs. */
#ifndef OPENPPTP_CONFIG_IPV4_H
#define OPENPPTP_CONFIG_IPV4_H

#include <stddef.h>
#include <stdint.h>

#include "base/ipv4_text.h" /* ipv4_parse, ipv4_format: shared with the engines */

struct ipv4_range {
	uint32_t first;   /* inclusive */
	uint32_t last;    /* inclusive, >= first */
};

/* A range in one of these forms:
 *   203.0.113.10-203.0.113.250   explicit first-last
 *   203.0.113.10-250             pptpd shorthand: last octet only
 *   203.0.113.0/24               CIDR: for /0../30 the network and broadcast
 *                                addresses are left out (hosts only);
 *                                /31 and /32 are taken whole
 *   203.0.113.7                  a single address
 * Spaces around '-' are allowed. 0, ERR_MALFORMED or ERR_INVALID (first >
 * last, or a CIDR with host bits set). */
int ipv4_range_parse(const char *s, struct ipv4_range *out);

/* A comma-separated list of ranges ("a-b, c/24"); ranges must not overlap.
 * Returns the count, ERR_MALFORMED, ERR_INVALID, ERR_DUPLICATE (overlap)
 * or ERR_LIMIT (more than max). */
int ipv4_ranges_parse(const char *s, struct ipv4_range *out, size_t max);

static inline uint64_t ipv4_range_size(const struct ipv4_range *r)
{
	return (uint64_t)r->last - r->first + 1;
}

#endif
