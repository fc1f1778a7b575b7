/* SPDX-License-Identifier: BSD-2-Clause */
/* Stateful MPPE receiver: the per-second catch-up budget, and how many
 * whole count-space rounds (4096 packets, 16 key changes each) a resync may
 * search after a long silence (RFC 3078 §7.2, §8.2: the 12-bit coherency
 * count hides whole rounds of lost packets). */
#ifndef OPENPPTP_PROTO_MPPE_WRAPS_H
#define OPENPPTP_PROTO_MPPE_WRAPS_H

#include <stdbool.h>
#include <stdint.h>

#include "proto/mppe/mppe.h"

/* Take n catch-up key changes from the bucket, or false when it cannot pay
 * them (the bucket refills MPPE_CATCHUP_PER_SECOND a second). */
bool mppe_catchup_afford(struct mppe_rx *rx, uint32_t n, uint64_t now_ms);

/* Count-space rounds a resync may try: MPPE_RESYNC_MAX_WRAPS, or as many
 * as MPPE_RESYNC_MAX_RATE packets a second could have filled since the last
 * packet that decrypted well (rx->last_good_ms), to MPPE_RESYNC_MAX_WRAPS_LONG;
 * the rounds beyond MPPE_RESYNC_MAX_WRAPS are paid from the catch-up bucket
 * (as many as it can pay now). */
unsigned mppe_resync_wraps(struct mppe_rx *rx, uint64_t now_ms);

#endif
