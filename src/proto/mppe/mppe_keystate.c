/* SPDX-License-Identifier: BSD-2-Clause */
/* One direction's MPPE key and RC4 state: RFC 3079 start, RFC 3078 §7.3
 * key changes, §8.2 re-initialisation. */
#include "proto/mppe/mppe_keystate.h"

#include <string.h>

#include "base/crypto.h"
#include "base/error.h"
#include "proto/mppe/mppe_keys.h"

int mppe_keystate_init(struct mppe_keystate *k, unsigned key_bits, const uint8_t start_key[16])
{
	size_t len = mppe_key_len(key_bits);
	if (len == 0 || start_key == NULL)
		return ERR_INVALID;
	memset(k, 0, sizeof(*k));
	k->key_len = (uint8_t)len;
	k->key_bits = (uint16_t)key_bits;
	memcpy(k->start_key, start_key, len);
	/* RFC 3079 §2.1-§2.3, §3.1-§3.3: the first session key is
	 * GetNewKeyFromSHA(start, start) without the RC4 step of RFC 3078 §7.3,
	 * then reduced for 40/56 bits. */
	mppe_get_new_key_from_sha(k->start_key, k->start_key, len, k->session_key);
	mppe_reduce_key(k->session_key, key_bits);
	crypto_rc4_init(&k->rc4, k->session_key, len);
	return 0;
}

/* RFC 3078 §7.3 up to the new session key; the caller re-initialises the
 * RC4 tables once after one or several changes. */
static void next_key(struct mppe_keystate *k)
{
	uint8_t interim[MPPE_MAX_KEY_LEN];
	mppe_get_new_key_from_sha(k->start_key, k->session_key, k->key_len, interim);
	crypto_rc4_init(&k->rc4, interim, k->key_len);
	crypto_rc4_crypt(&k->rc4, k->session_key, interim, k->key_len);
	mppe_reduce_key(k->session_key, k->key_bits);
	crypto_wipe(interim, sizeof(interim));
}

/* RFC 3078 §7.3 complete: n key changes, then RC4 set up with the new key. */
void mppe_keystate_change(struct mppe_keystate *k, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		next_key(k);
	crypto_rc4_init(&k->rc4, k->session_key, k->key_len);
}

/* RFC 3078 §8.2: "re-initialize its RC4 tables using the current session key". */
void mppe_keystate_flush(struct mppe_keystate *k)
{
	crypto_rc4_init(&k->rc4, k->session_key, k->key_len);
}
