/* SPDX-License-Identifier: BSD-2-Clause */
/* The primitives PPTP needs, over nettle: MD4 (NT hash), MD5 (CHAP, RADIUS),
 * HMAC-MD5 (RADIUS Message-Authenticator),
 * SHA-1 (MS-CHAPv2, MPPE keys), DES with 7-byte keys (MS-CHAP responses)
 * and RC4 (MPPE). Plus constant-time comparison and wiping for secrets. */
#ifndef OPENPPTP_BASE_CRYPTO_H
#define OPENPPTP_BASE_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <nettle/arcfour.h>

#define CRYPTO_MD4_SIZE 16
#define CRYPTO_MD5_SIZE 16
#define CRYPTO_SHA1_SIZE 20

/* One piece of a message hashed in several parts. */
struct crypto_part {
	const void *data;
	size_t len;
};

void crypto_md4(const void *data, size_t len, uint8_t digest[CRYPTO_MD4_SIZE]);
void crypto_md5(const struct crypto_part *parts, size_t nparts, uint8_t digest[CRYPTO_MD5_SIZE]);
void crypto_sha1(const struct crypto_part *parts, size_t nparts, uint8_t digest[CRYPTO_SHA1_SIZE]);
/* HMAC-MD5 (RFC 2104): RADIUS Message-Authenticator (RFC 3579 §3.2). */
void crypto_hmac_md5(const void *key, size_t key_len, const struct crypto_part *parts, size_t nparts,
		     uint8_t digest[CRYPTO_MD5_SIZE]);

/* DES-encrypt one block with a 56-bit key given as 7 bytes, spread into the
 * 8-byte DES key with parity bits as MS-CHAP requires (RFC 2759 §8.6). */
void crypto_des_encrypt_7(const uint8_t key7[7], const uint8_t in[8], uint8_t out[8]);

struct crypto_rc4 {
	struct arcfour_ctx ctx;
};

void crypto_rc4_init(struct crypto_rc4 *rc4, const uint8_t *key, size_t key_len);
/* Encrypt or decrypt in place (or in != out). */
void crypto_rc4_crypt(struct crypto_rc4 *rc4, uint8_t *out, const uint8_t *in, size_t len);

/* Compare without a timing leak: every authenticator and response. */
bool crypto_equal(const void *a, const void *b, size_t len);
/* Zero memory the compiler may not optimise away: keys, passwords. */
void crypto_wipe(void *p, size_t len);

#endif
