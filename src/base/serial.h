/* SPDX-License-Identifier: BSD-2-Clause */
/* Serial-number arithmetic (RFC 1982) for the wrapping counters PPTP uses:
 * 32-bit GRE sequence/acknowledgement numbers (RFC 2637 §4.4) and MPPE's
 * 12-bit coherency count (RFC 3078 §3). Never compare such numbers with <. */
#ifndef OPENPPTP_BASE_SERIAL_H
#define OPENPPTP_BASE_SERIAL_H

#include <stdbool.h>
#include <stdint.h>

/* Signed distance from b to a: positive when a is after b. */
static inline int32_t seq32_diff(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b);
}

static inline bool seq32_before(uint32_t a, uint32_t b)
{
	return seq32_diff(a, b) < 0;
}

static inline bool seq32_after(uint32_t a, uint32_t b)
{
	return seq32_diff(a, b) > 0;
}

#define CCOUNT_MASK 0x0FFFu

/* Forward distance from b to a on the 12-bit coherency-count circle. */
static inline uint16_t ccount_forward(uint16_t a, uint16_t b)
{
	return (uint16_t)((a - b) & CCOUNT_MASK);
}

#endif
