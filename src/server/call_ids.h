/* SPDX-License-Identifier: BSD-2-Clause */
/* Call IDs unique per server and unpredictable (RFC 2637 §2.7 lets the PAC
 * choose them; predictable IDs make GRE injection easier for an off-path
 * attacker who knows the peer's address). A 64 Ki-bit bitmap: 8 KiB. */
#ifndef OPENPPTP_SERVER_CALL_IDS_H
#define OPENPPTP_SERVER_CALL_IDS_H

#include <stdint.h>

#include "base/random.h"

struct call_ids {
	uint64_t taken[65536 / 64];
	uint32_t in_use;
	struct random_source random;
};

void call_ids_init(struct call_ids *ids, struct random_source random);
/* A free, random, non-zero call ID; ERR_LIMIT when all are taken. */
int call_ids_take(struct call_ids *ids, uint16_t *id);
void call_ids_release(struct call_ids *ids, uint16_t id);

#endif
