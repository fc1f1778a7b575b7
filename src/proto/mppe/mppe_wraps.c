/* SPDX-License-Identifier: BSD-2-Clause */
/* Stateful MPPE receiver: catch-up budget and the count-space rounds a
 * resync searches (mppe_wraps.h). */
#include "proto/mppe/mppe_wraps.h"

/* Refill the bucket for the time gone by (MPPE_CATCHUP_PER_SECOND). */
static void catchup_refill(struct mppe_rx *rx, uint64_t now_ms)
{
	if (now_ms > rx->catchup_refill_ms) {
		uint64_t add = (now_ms - rx->catchup_refill_ms) * MPPE_CATCHUP_PER_SECOND / 1000u;
		if (add > 0) {
			uint64_t t = rx->catchup_tokens + add;
			rx->catchup_tokens = t > MPPE_CATCHUP_PER_SECOND ? MPPE_CATCHUP_PER_SECOND : (uint32_t)t;
			rx->catchup_refill_ms = now_ms;
		}
	} else if (now_ms < rx->catchup_refill_ms) {
		rx->catchup_refill_ms = now_ms;  /* clock went back */
	}
}

bool mppe_catchup_afford(struct mppe_rx *rx, uint32_t n, uint64_t now_ms)
{
	catchup_refill(rx, now_ms);
	if (n > rx->catchup_tokens)
		return false;
	rx->catchup_tokens -= n;
	return true;
}

unsigned mppe_resync_wraps(struct mppe_rx *rx, uint64_t now_ms)
{
	const unsigned per_wrap = MPPE_CCOUNT_SPACE / 256u;
	uint64_t silent_ms = now_ms > rx->last_good_ms ? now_ms - rx->last_good_ms : 0;
	/* Packets the sender could have sent meanwhile, in count-space rounds,
	 * plus the round in progress. */
	uint64_t wanted = silent_ms * MPPE_RESYNC_MAX_RATE / 1000u / MPPE_CCOUNT_SPACE + 1u;
	if (wanted > MPPE_RESYNC_MAX_WRAPS_LONG)
		wanted = MPPE_RESYNC_MAX_WRAPS_LONG;
	if (wanted <= MPPE_RESYNC_MAX_WRAPS)
		return MPPE_RESYNC_MAX_WRAPS;
	catchup_refill(rx, now_ms);
	uint64_t paid = (wanted - MPPE_RESYNC_MAX_WRAPS) * per_wrap;
	/* Leave what the search from the anchor needs (rx_resync): a long
	 * silence of forged packets must not spend the bucket that finds the
	 * real stream again. */
	uint32_t avail = rx->catchup_tokens > MPPE_RESYNC_RESERVE ? rx->catchup_tokens - MPPE_RESYNC_RESERVE : 0;
	if (paid > avail)
		paid = avail - avail % per_wrap;
	rx->catchup_tokens -= (uint32_t)paid;
	return MPPE_RESYNC_MAX_WRAPS + (unsigned)(paid / per_wrap);
}
