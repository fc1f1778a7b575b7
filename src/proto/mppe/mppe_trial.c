/* SPDX-License-Identifier: BSD-2-Clause */
/* Trial decryptions of the stateful MPPE receiver (mppe_trial.h). */
#include "proto/mppe/mppe_trial.h"

#include "base/crypto.h"
#include "base/serial.h"
#include "proto/mppe/mppe_keystate.h"
#include "proto/mppe/mppe_recover.h"

/* A compressed packet is decrypted whole and handed to the channel's
 * plain_ok (MPPC); otherwise its head is checked as IP. */
bool mppe_rx_decrypts_well(const struct mppe_rx *rx, const struct mppe_keystate *k, const uint8_t *ct, size_t len,
			   uint8_t bits)
{
	struct crypto_rc4 rc4 = k->rc4;
	bool ok;
	if ((bits & MPPE_BIT_C) && rx->plain_ok != NULL) {
		uint8_t whole[PKT_SIZE];
		if (len > sizeof(whole)) {
			ok = false;
		} else {
			crypto_rc4_crypt(&rc4, whole, ct, len);
			ok = rx->plain_ok(rx->plain_ok_ctx, whole, len, bits);
			crypto_wipe(whole, len);
		}
	} else {
		uint8_t head[MPPE_PLAUSIBLE_HEAD];
		size_t n = len < sizeof(head) ? len : sizeof(head);
		crypto_rc4_crypt(&rc4, head, ct, n);
		ok = mppe_payload_well_formed(head, n, len);
		crypto_wipe(head, sizeof(head));
	}
	crypto_wipe(&rc4, sizeof(rc4));
	return ok;
}


bool mppe_rx_try_behind(const struct mppe_rx *rx, uint16_t ccount, const uint8_t *ct, size_t len, uint8_t bits,
			struct mppe_keystate *out, unsigned *changes)
{
	uint16_t ahead = ccount_forward(rx->ccount, ccount); /* how far our count is past it */
	if (ahead == 0 || ahead >= MPPE_STATELESS_WINDOW || mppe_flags_crossed(ccount, ahead) != 0)
		return false;
	/* Only between the count we resynchronised from and ours: the
	 * packets we skipped. Anything older we took or dropped already (a
	 * duplicate or a replay must not pass). */
	uint16_t span = ccount_forward(rx->ccount, rx->resync_from_ccount);
	uint16_t after = ccount_forward(ccount, rx->resync_from_ccount);
	if (after == 0 || after >= span)
		return false;
	/* RFC 3078 §8.2: FLUSHED re-initialises RC4 with the current key;
	 * under Linux's rule it is a key change. */
	unsigned n = rx->reset_changes_key ? 1u : 0u;
	*out = rx->keys;
	mppe_keystate_change(out, n);
	if (!mppe_rx_decrypts_well(rx, out, ct, len, bits)) {
		crypto_wipe(out, sizeof(*out));
		return false;
	}
	*changes = n;
	return true;
}
