/* SPDX-License-Identifier: BSD-2-Clause */
/* The Internet checksum (RFC 1071): the one's complement of the one's
 * complement sum of 16-bit big-endian words, an odd last byte padded with
 * zero. Over an IPv4 header whose checksum field is 0 it gives the value to
 * store there; over a header with a correct checksum it gives 0. */
#ifndef OPENPPTP_BASE_INET_CHECKSUM_H
#define OPENPPTP_BASE_INET_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>

/* The same sum, not folded nor complemented, 32 bits at a time (RFC 1071
 * §2(B): the sum may be taken in any word size and folded later), added
 * to `sum`: for the data path's long runs. */
static inline uint64_t inet_sum(uint64_t sum, const uint8_t *p, size_t n)
{
	size_t i = 0;
	for (; i + 4 <= n; i += 4)
		sum += (uint32_t)p[i] << 24 | (uint32_t)p[i + 1] << 16 | (uint32_t)p[i + 2] << 8 | p[i + 3];
	for (; i + 2 <= n; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (i < n)
		sum += (uint32_t)p[i] << 8;
	return sum;
}

static inline uint16_t inet_fold(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static inline uint16_t inet_checksum(const uint8_t *p, size_t n)
{
	uint32_t sum = 0;
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

#endif
