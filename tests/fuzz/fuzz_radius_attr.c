/* SPDX-License-Identifier: BSD-2-Clause */
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The hidden-attribute decoders fed arbitrary values: MS-MPPE-Send-Key /
 * -Recv-Key (RFC 2548 §2.4.2-3), MS-CHAP-MPPE-Keys (§2.4.1) and
 * User-Password (RFC 2865 §5.2). Input: 16 bytes of Request Authenticator,
 * then the attribute value. Whatever decrypts must encrypt back to a value
 * that decrypts to the same key (round trip checked). */
#include <stdlib.h>
#include <string.h>

#include "proto/radius/radius_hide.h"

static const uint8_t secret[] = "testing123";
#define SECRET secret, sizeof(secret) - 1

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < RADIUS_AUTH_SIZE)
		return 0;
	const uint8_t *ra = data;
	const uint8_t *v = data + RADIUS_AUTH_SIZE;
	size_t n = size - RADIUS_AUTH_SIZE;

	uint8_t key[RADIUS_MPPE_KEY_MAX];
	size_t key_len;
	if (radius_mppe_key_decrypt(SECRET, ra, v, n, key, sizeof(key), &key_len) == RADIUS_MPPE_KEY_OK) {
		if (key_len == 0 || key_len > sizeof(key))
			abort();
		uint8_t enc[RADIUS_MPPE_ATTR_MAX], back[RADIUS_MPPE_KEY_MAX];
		size_t back_len;
		size_t e = radius_mppe_key_encrypt(SECRET, ra, 0x8001, key, key_len, enc, sizeof(enc));
		if (e == 0 || radius_mppe_key_decrypt(SECRET, ra, enc, e, back, sizeof(back), &back_len) != RADIUS_MPPE_KEY_OK ||
		    back_len != key_len || memcmp(back, key, key_len) != 0)
			abort();
	}
	uint8_t lm[8], nt[16];
	(void)radius_mschap_mppe_keys_decrypt(SECRET, ra, v, n, lm, nt);
	uint8_t pw[RADIUS_PASSWORD_MAX];
	int pl = radius_password_reveal(SECRET, ra, v, n, pw, sizeof(pw));
	if (pl > 0) {
		uint8_t hidden[RADIUS_PASSWORD_MAX], again[RADIUS_PASSWORD_MAX];
		size_t h = radius_password_hide(SECRET, ra, pw, (size_t)pl, hidden, sizeof(hidden));
		if (h == 0 || radius_password_reveal(SECRET, ra, hidden, h, again, sizeof(again)) != pl ||
		    memcmp(again, pw, (size_t)pl) != 0)
			abort();
	}
	return 0;
}
