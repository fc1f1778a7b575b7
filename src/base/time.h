/* SPDX-License-Identifier: BSD-2-Clause */
/* Time in the sans-I/O engines: milliseconds on a monotonic clock, passed in
 * by the caller. DEADLINE_NONE means "no timer armed". */
#ifndef OPENPPTP_BASE_TIME_H
#define OPENPPTP_BASE_TIME_H

#include <stdint.h>

#define DEADLINE_NONE UINT64_MAX

static inline uint64_t deadline_min(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

#endif
