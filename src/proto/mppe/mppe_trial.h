/* SPDX-License-Identifier: BSD-2-Clause */
/* Stateful MPPE receiver: trying a key on a packet before taking it
 * (resynchronisation, RFC 3078 §7.2/§8.2, issue 12 §2), and the coherency
 * count arithmetic of flag packets. */
#ifndef OPENPPTP_PROTO_MPPE_TRIAL_H
#define OPENPPTP_PROTO_MPPE_TRIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/mppe/mppe.h"

/* RFC 3078 §7.2: a "flag" packet has 0xFF in the low byte of its count. */
static inline bool mppe_ccount_is_flag(uint16_t ccount)
{
	return (ccount & 0xFF) == 0xFF;
}

/* Flag packets among the counts from+1 .. from+distance: the key changes a
 * stateful sender made over that span. */
static inline unsigned mppe_flags_crossed(uint16_t from, uint16_t distance)
{
	unsigned lo = (unsigned)from + 1;
	unsigned hi = (unsigned)from + distance;
	/* x is a flag when x + 1 is a multiple of 256. */
	return (hi + 1) / 256 - lo / 256;
}

/* Whether ct (protocol field + information, encrypted) decrypts well
 * formed under k's RC4 state (k is not changed). */
bool mppe_rx_decrypts_well(const struct mppe_rx *rx, const struct mppe_keystate *k, const uint8_t *ct, size_t len,
			   uint8_t bits);

/* The FLUSHED packet ccount is behind our count (less than half the count
 * space) with no flag packet between: our count may have come from a
 * corrupted header whose packet was real (a forward jump that crossed no
 * flag packet decrypts well and is taken; sim seeds in docs/fuzzing.md).
 * Then the sender's key is still ours: try it (re-initialised, and under
 * Linux's rule one change on). Only a count after the one the last resync
 * started from: the packets that jump skipped, never one we took. True and *out, *changes when it decrypts
 * well formed. */
bool mppe_rx_try_behind(const struct mppe_rx *rx, uint16_t ccount, const uint8_t *ct, size_t len, uint8_t bits,
			struct mppe_keystate *out, unsigned *changes);

#endif
