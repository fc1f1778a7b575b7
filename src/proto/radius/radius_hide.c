/* SPDX-License-Identifier: BSD-2-Clause */
#include "proto/radius/radius_hide.h"

#include <string.h>

#include "base/crypto.h"

/* The MD5 chain both hiding schemes share (RFC 2865 §5.2, RFC 2548
 * §2.4.2): b(1) = MD5(S + first), c(i) = p(i) xor b(i),
 * b(i) = MD5(S + c(i-1)). `first` is the Request Authenticator, or the
 * Request Authenticator followed by the Salt. len is a multiple of 16.
 * encrypt: in is plaintext; otherwise in is ciphertext. */
static void md5_chain(const uint8_t *secret, size_t secret_len, const uint8_t *first, size_t first_len,
		      const uint8_t *in, uint8_t *out, size_t len, bool encrypt)
{
	uint8_t b[CRYPTO_MD5_SIZE];
	struct crypto_part parts[2] = { { secret, secret_len }, { first, first_len } };
	crypto_md5(parts, 2, b);
	for (size_t i = 0; i < len; i += 16) {
		uint8_t c[16];
		for (size_t k = 0; k < 16; k++) {
			uint8_t x = (uint8_t)(in[i + k] ^ b[k]);
			c[k] = encrypt ? x : in[i + k];
			out[i + k] = x;
		}
		parts[1].data = c;
		parts[1].len = 16;
		crypto_md5(parts, 2, b);
	}
	crypto_wipe(b, sizeof(b));
}

size_t radius_password_hide(const uint8_t *secret, size_t secret_len, const uint8_t request_auth[RADIUS_AUTH_SIZE],
			    const uint8_t *password, size_t len, uint8_t *out, size_t out_cap)
{
	if (len > RADIUS_PASSWORD_MAX)
		return 0;
	size_t padded = len == 0 ? 16 : (len + 15) / 16 * 16;
	if (out_cap < padded)
		return 0;
	uint8_t p[RADIUS_PASSWORD_MAX];
	memset(p, 0, padded);
	if (len)
		memcpy(p, password, len);
	md5_chain(secret, secret_len, request_auth, RADIUS_AUTH_SIZE, p, out, padded, true);
	crypto_wipe(p, sizeof(p));
	return padded;
}

int radius_password_reveal(const uint8_t *secret, size_t secret_len, const uint8_t request_auth[RADIUS_AUTH_SIZE],
			   const uint8_t *hidden, size_t len, uint8_t *out, size_t out_cap)
{
	if (len < 16 || len > RADIUS_PASSWORD_MAX || len % 16 != 0 || out_cap < len)
		return -1;
	md5_chain(secret, secret_len, request_auth, RADIUS_AUTH_SIZE, hidden, out, len, false);
	size_t n = len;
	while (n > 0 && out[n - 1] == 0)
		n--;
	return (int)n;
}

size_t radius_mppe_key_encrypt(const uint8_t *secret, size_t secret_len, const uint8_t request_auth[RADIUS_AUTH_SIZE],
			       uint16_t salt, const uint8_t *key, size_t key_len, uint8_t *out, size_t out_cap)
{
	if (key_len == 0 || key_len > RADIUS_MPPE_KEY_MAX)
		return 0;
	/* Key-Length, Key, zero padding to a multiple of 16. */
	size_t plain_len = (1 + key_len + 15) / 16 * 16;
	if (out_cap < 2 + plain_len)
		return 0;
	uint8_t plain[RADIUS_MPPE_KEY_MAX + 16];
	memset(plain, 0, plain_len);
	plain[0] = (uint8_t)key_len;
	memcpy(plain + 1, key, key_len);
	salt |= 0x8000;
	out[0] = (uint8_t)(salt >> 8);
	out[1] = (uint8_t)salt;
	uint8_t first[RADIUS_AUTH_SIZE + 2];
	memcpy(first, request_auth, RADIUS_AUTH_SIZE);
	memcpy(first + RADIUS_AUTH_SIZE, out, 2);
	md5_chain(secret, secret_len, first, sizeof(first), plain, out + 2, plain_len, true);
	crypto_wipe(plain, sizeof(plain));
	return 2 + plain_len;
}

enum radius_mppe_key_result radius_mppe_key_decrypt(const uint8_t *secret, size_t secret_len,
						    const uint8_t request_auth[RADIUS_AUTH_SIZE], const uint8_t *value,
						    size_t len, uint8_t *key, size_t key_cap, size_t *key_len)
{
	*key_len = 0;
	if (len < 2 + 16)
		return RADIUS_MPPE_KEY_SHORT;
	size_t string_len = len - 2;
	if (string_len % 16 != 0 || string_len > RADIUS_MPPE_KEY_MAX + 16)
		return RADIUS_MPPE_KEY_NOT_BLOCKS;
	if ((value[0] & 0x80) == 0)
		return RADIUS_MPPE_KEY_BAD_SALT;
	uint8_t first[RADIUS_AUTH_SIZE + 2];
	memcpy(first, request_auth, RADIUS_AUTH_SIZE);
	memcpy(first + RADIUS_AUTH_SIZE, value, 2);
	uint8_t plain[RADIUS_MPPE_KEY_MAX + 16];
	md5_chain(secret, secret_len, first, sizeof(first), value + 2, plain, string_len, false);
	size_t n = plain[0];
	enum radius_mppe_key_result res = RADIUS_MPPE_KEY_OK;
	if (n == 0 || n > string_len - 1 || n > key_cap)
		res = RADIUS_MPPE_KEY_BAD_LENGTH;
	else {
		memcpy(key, plain + 1, n);
		*key_len = n;
	}
	crypto_wipe(plain, sizeof(plain));
	return res;
}

void radius_mschap_mppe_keys_encrypt(const uint8_t *secret, size_t secret_len,
				     const uint8_t request_auth[RADIUS_AUTH_SIZE], const uint8_t lm_key[8],
				     const uint8_t nt_key[16], uint8_t out[RADIUS_MSCHAP_MPPE_KEYS_SIZE])
{
	uint8_t plain[RADIUS_MSCHAP_MPPE_KEYS_SIZE] = { 0 };
	memcpy(plain, lm_key, 8);
	memcpy(plain + 8, nt_key, 16);
	md5_chain(secret, secret_len, request_auth, RADIUS_AUTH_SIZE, plain, out, sizeof(plain), true);
	crypto_wipe(plain, sizeof(plain));
}

bool radius_mschap_mppe_keys_decrypt(const uint8_t *secret, size_t secret_len,
				     const uint8_t request_auth[RADIUS_AUTH_SIZE], const uint8_t *value, size_t len,
				     uint8_t lm_key[8], uint8_t nt_key[16])
{
	if (len != RADIUS_MSCHAP_MPPE_KEYS_SIZE)
		return false;
	uint8_t plain[RADIUS_MSCHAP_MPPE_KEYS_SIZE];
	md5_chain(secret, secret_len, request_auth, RADIUS_AUTH_SIZE, value, plain, sizeof(plain), false);
	memcpy(lm_key, plain, 8);
	memcpy(nt_key, plain + 8, 16);
	crypto_wipe(plain, sizeof(plain));
	return true;
}
