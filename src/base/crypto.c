/* SPDX-License-Identifier: BSD-2-Clause */
#include "base/crypto.h"

#include <string.h>

#include <nettle/des.h>
#include <nettle/hmac.h>
#include <nettle/md4.h>
#include <nettle/md5.h>
#include <nettle/sha1.h>

void crypto_md4(const void *data, size_t len, uint8_t digest[CRYPTO_MD4_SIZE])
{
	struct md4_ctx ctx;
	md4_init(&ctx);
	md4_update(&ctx, len, data);
	md4_digest(&ctx, CRYPTO_MD4_SIZE, digest);
}

void crypto_md5(const struct crypto_part *parts, size_t nparts, uint8_t digest[CRYPTO_MD5_SIZE])
{
	struct md5_ctx ctx;
	md5_init(&ctx);
	for (size_t i = 0; i < nparts; i++)
		md5_update(&ctx, parts[i].len, parts[i].data);
	md5_digest(&ctx, CRYPTO_MD5_SIZE, digest);
}

void crypto_sha1(const struct crypto_part *parts, size_t nparts, uint8_t digest[CRYPTO_SHA1_SIZE])
{
	struct sha1_ctx ctx;
	sha1_init(&ctx);
	for (size_t i = 0; i < nparts; i++)
		sha1_update(&ctx, parts[i].len, parts[i].data);
	sha1_digest(&ctx, CRYPTO_SHA1_SIZE, digest);
}

void crypto_hmac_md5(const void *key, size_t key_len, const struct crypto_part *parts, size_t nparts,
		     uint8_t digest[CRYPTO_MD5_SIZE])
{
	struct hmac_md5_ctx ctx;
	hmac_md5_set_key(&ctx, key_len, key);
	for (size_t i = 0; i < nparts; i++)
		hmac_md5_update(&ctx, parts[i].len, parts[i].data);
	hmac_md5_digest(&ctx, CRYPTO_MD5_SIZE, digest);
	crypto_wipe(&ctx, sizeof(ctx));
}

void crypto_des_encrypt_7(const uint8_t key7[7], const uint8_t in[8], uint8_t out[8])
{
	/* RFC 2759 §8.6 DesEncrypt: the 56 key bits are spread over 8 bytes,
	 * 7 bits each, the low bit of each byte being parity. */
	uint8_t key8[8];
	key8[0] = key7[0] & 0xFE;
	key8[1] = (uint8_t)((key7[0] << 7) | (key7[1] >> 1));
	key8[2] = (uint8_t)((key7[1] << 6) | (key7[2] >> 2));
	key8[3] = (uint8_t)((key7[2] << 5) | (key7[3] >> 3));
	key8[4] = (uint8_t)((key7[3] << 4) | (key7[4] >> 4));
	key8[5] = (uint8_t)((key7[4] << 3) | (key7[5] >> 5));
	key8[6] = (uint8_t)((key7[5] << 2) | (key7[6] >> 6));
	key8[7] = (uint8_t)(key7[6] << 1);
	des_fix_parity(8, key8, key8);

	struct des_ctx ctx;
	/* des_set_key() returns 0 for the handful of weak keys; MS-CHAP has no
	 * way to avoid them (they derive from the password hash), so encrypt anyway. */
	(void)des_set_key(&ctx, key8);
	des_encrypt(&ctx, DES_BLOCK_SIZE, out, in);
	crypto_wipe(key8, sizeof(key8));
	crypto_wipe(&ctx, sizeof(ctx));
}

/* The RC4 key schedule, written into nettle's context (its S, i, j) so
 * nettle's arcfour_crypt runs on it. Stateless MPPE sets two keys per
 * packet at each end (RFC 3078 §7.1): nettle's arcfour_set_key, which takes
 * the key index modulo the length at every step, was a fifth of a
 * stateless tunnel's CPU; the key repeated out to 256 bytes first makes
 * the loop a plain walk, about twice as fast. Same S as arcfour_set_key
 * (test_crypto checks it against nettle). */
void crypto_rc4_init(struct crypto_rc4 *rc4, const uint8_t *key, size_t key_len)
{
	if (key_len == 0 || key_len > 256) {
		arcfour_set_key(&rc4->ctx, key_len, key); /* nettle's own checks */
		return;
	}
	uint8_t k[256];
	for (size_t i = 0; i < 256; i += key_len)
		memcpy(k + i, key, 256 - i < key_len ? 256 - i : key_len);
	uint8_t *s = rc4->ctx.S;
	for (unsigned i = 0; i < 256; i++)
		s[i] = (uint8_t)i;
	uint8_t j = 0;
	for (unsigned i = 0; i < 256; i++) {
		uint8_t t = s[i];
		j = (uint8_t)(j + t + k[i]);
		s[i] = s[j];
		s[j] = t;
	}
	rc4->ctx.i = rc4->ctx.j = 0;
	explicit_bzero(k, sizeof(k)); /* the expanded key: as fast as memset, never elided */
}

/* RC4 on nettle's state, eight keystream bytes gathered into a word and
 * XORed with eight bytes of input at once. The keystream itself stays
 * serial (each step's j depends on the last swap); what the word saves is
 * a byte load and a byte store per byte, and on the shared 2-CPU bench
 * machine that took 0.67-0.83x the time of nettle's arcfour_crypt over
 * 1,400 bytes. RC4 is a third of an MPPE end's CPU (README, make bench).
 * Same bytes and the same S, i, j as nettle (test_base checks both). */
#define RC4_STEP(shift)                                         \
	do {                                                    \
		i = (i + 1u) & 255u;                            \
		unsigned si = s[i];                             \
		j = (j + si) & 255u;                            \
		unsigned sj = s[j];                             \
		s[i] = (uint8_t)sj;                             \
		s[j] = (uint8_t)si;                             \
		ks |= (uint64_t)s[(si + sj) & 255u] << (shift); \
	} while (0)

void crypto_rc4_crypt(struct crypto_rc4 *rc4, uint8_t *out, const uint8_t *in, size_t len)
{
	uint8_t *s = rc4->ctx.S;
	unsigned i = rc4->ctx.i, j = rc4->ctx.j;
	size_t n = 0;
	for (; n + 8 <= len; n += 8) {
		uint64_t ks = 0, x;
		RC4_STEP(0);
		RC4_STEP(8);
		RC4_STEP(16);
		RC4_STEP(24);
		RC4_STEP(32);
		RC4_STEP(40);
		RC4_STEP(48);
		RC4_STEP(56);
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
		ks = __builtin_bswap64(ks); /* keystream byte k belongs to input byte k */
#endif
		memcpy(&x, in + n, 8);
		x ^= ks;
		memcpy(out + n, &x, 8);
	}
	for (; n < len; n++) {
		uint64_t ks = 0;
		RC4_STEP(0);
		out[n] = (uint8_t)(in[n] ^ ks);
	}
	rc4->ctx.i = (uint8_t)i;
	rc4->ctx.j = (uint8_t)j;
}

bool crypto_equal(const void *a, const void *b, size_t len)
{
	const volatile uint8_t *x = a;
	const volatile uint8_t *y = b;
	uint8_t diff = 0;
	for (size_t i = 0; i < len; i++)
		diff |= (uint8_t)(x[i] ^ y[i]);
	return diff == 0;
}

void crypto_wipe(void *p, size_t len)
{
	volatile uint8_t *v = p;
	while (len--)
		*v++ = 0;
}
