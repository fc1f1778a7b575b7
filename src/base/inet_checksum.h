/* SPDX-License-Identifier: BSD-2-Clause */
/* The Internet checksum (RFC 1071): the one's complement of the one's
 * complement sum of 16-bit big-endian words, an odd last byte padded with
 * zero. Over an IPv4 header whose checksum field is 0 it gives the value to
 * store there; over a header with a correct checksum it gives 0. */
#ifndef OPENPPTP_BASE_INET_CHECKSUM_H
#define OPENPPTP_BASE_INET_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>

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
