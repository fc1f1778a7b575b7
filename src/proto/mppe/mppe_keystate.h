/* SPDX-License-Identifier: BSD-2-Clause */
/* One direction's MPPE key and RC4 state (struct mppe_keystate, mppe.h):
 * set up from the start key, changed, re-initialised. */
#ifndef OPENPPTP_PROTO_MPPE_KEYSTATE_H
#define OPENPPTP_PROTO_MPPE_KEYSTATE_H

#include <stdint.h>

#include "proto/mppe/mppe.h"

/* RFC 3079: the first session key from the start key. 0 or ERR_INVALID. */
int mppe_keystate_init(struct mppe_keystate *k, unsigned key_bits, const uint8_t start_key[16]);
/* RFC 3078 §7.3: n key changes, then RC4 set up with the new key. */
void mppe_keystate_change(struct mppe_keystate *k, unsigned n);
/* RFC 3078 §8.2: re-initialise RC4 with the current session key. */
void mppe_keystate_flush(struct mppe_keystate *k);

#endif
