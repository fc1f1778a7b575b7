/* SPDX-License-Identifier: BSD-2-Clause */
/* The Internet checksum (RFC 1071): the one's complement of the one's
 * complement sum of 16-bit big-endian words, an odd last byte padded with
 * zero. Over an IPv4 header whose checksum field is 0 it gives the value to
 * store there; over a header with a correct checksum it gives 0. */
#ifndef OPENPPTP_BASE_INET_CHECKSUM_H
#define OPENPPTP_BASE_INET_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The same sum, folded to at most 16 bits but not complemented, added to
 * `sum`: for the data path's long runs (every TCP segment cut from a TSO
 * super-packet, every segment GRO merges). RFC 1071 §2(B): the sum may be
 * taken in any word size and byte order and folded later, so the words are
 * loaded as the CPU stores them, eight bytes at a time into two
 * accumulators (each adds two 32-bit halves: 2^31 rounds before one could
 * overflow), and the folded result swapped to network order once. Same
 * value after inet_fold as a sum of big-endian 16-bit words; zero only
 * when every byte is (test_inet_checksum checks both against that sum). */
static inline uint64_t inet_sum(uint64_t sum, const uint8_t *p, size_t n)
{
	uint64_t a = 0, b = 0;
	size_t i = 0;
	for (; i + 16 <= n; i += 16) {
		uint64_t x, y;
		memcpy(&x, p + i, 8);
		memcpy(&y, p + i + 8, 8);
		a += (x & 0xffffffffu) + (x >> 32);
		b += (y & 0xffffffffu) + (y >> 32);
	}
	a += b;
	for (; i + 4 <= n; i += 4) {
		uint32_t x;
		memcpy(&x, p + i, 4);
		a += x;
	}
	if (i + 2 <= n) {
		uint16_t x;
		memcpy(&x, p + i, 2);
		a += x;
		i += 2;
	}
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (i < n)
		a += p[i]; /* the high byte of a big-endian word: the low one here */
	while (a >> 16)
		a = (a & 0xffff) + (a >> 16);
	a = ((a & 0xff) << 8) | (a >> 8);
#else
	if (i < n)
		a += (uint64_t)p[i] << 8;
	while (a >> 16)
		a = (a & 0xffff) + (a >> 16);
#endif
	return sum + a;
}

/* The reference: big-endian 16-bit words one at a time (RFC 1071 §4.1),
 * for the tests and anything short. */
static inline uint64_t inet_sum_words(uint64_t sum, const uint8_t *p, size_t n)
{
	size_t i = 0;
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
