/* SPDX-License-Identifier: BSD-2-Clause */
/* The RADIUS ways of hiding a secret inside a packet, both directions:
 * - User-Password (RFC 2865 §5.2): MD5 chain over secret + Request
 *   Authenticator, XOR, 16-byte blocks; also MS-CHAP-MPPE-Keys (RFC 2548
 *   §2.4.1), hidden the same way;
 * - the salted form of MS-MPPE-Send-Key / -Recv-Key (RFC 2548 §2.4.2-3):
 *   Salt (high bit set), then Key-Length, Key and padding hidden by an MD5
 *   chain over secret + Request Authenticator + Salt.
 * Every plaintext buffer is wiped before return; key lengths of 16
 * (MS-CHAPv2) and 32 (EAP-TLS) bytes are both accepted. */
#ifndef OPENPPTP_PROTO_RADIUS_HIDE_H
#define OPENPPTP_PROTO_RADIUS_HIDE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/radius/radius_wire.h"

/* Hide password[0..len) (len <= 128) into out, padded with zeros to a
 * multiple of 16 (at least 16). Returns the hidden length, 0 when too long
 * or out_cap too small. */
size_t radius_password_hide(const uint8_t *secret, size_t secret_len, const uint8_t request_auth[RADIUS_AUTH_SIZE],
			    const uint8_t *password, size_t len, uint8_t *out, size_t out_cap);
/* Reveal a hidden value (len a multiple of 16, 16..128) into out[len];
 * trailing NULs are the padding and are not counted. Returns the length
 * without padding, or -1 when len is not a valid hidden length. */
int radius_password_reveal(const uint8_t *secret, size_t secret_len, const uint8_t request_auth[RADIUS_AUTH_SIZE],
			   const uint8_t *hidden, size_t len, uint8_t *out, size_t out_cap);

/* RFC 2548 §2.4.2: the largest String we produce or accept (a 32-byte
 * key with its length byte, padded: 48; room for 64-byte keys). */
#define RADIUS_MPPE_KEY_MAX 64
#define RADIUS_MPPE_ATTR_MAX (2 + 80)

/* Encrypt key[0..key_len) as an MS-MPPE-Send-Key/Recv-Key value: Salt then
 * String. salt must have its high bit set (it is forced). Returns the
 * value length, 0 when key_len is 0, over RADIUS_MPPE_KEY_MAX, or out_cap
 * is too small. */
size_t radius_mppe_key_encrypt(const uint8_t *secret, size_t secret_len, const uint8_t request_auth[RADIUS_AUTH_SIZE],
			       uint16_t salt, const uint8_t *key, size_t key_len, uint8_t *out, size_t out_cap);

enum radius_mppe_key_result {
	RADIUS_MPPE_KEY_OK = 0,
	RADIUS_MPPE_KEY_SHORT,      /* fewer than Salt + one 16-byte block */
	RADIUS_MPPE_KEY_NOT_BLOCKS, /* String not a multiple of 16 bytes */
	RADIUS_MPPE_KEY_BAD_SALT,   /* Salt's high bit clear (RFC 2548 §2.4.2) */
	RADIUS_MPPE_KEY_BAD_LENGTH, /* Key-Length 0, past the String, or over key_cap */
};

/* Decrypt an MS-MPPE-Send-Key/Recv-Key value into key[key_cap]; *key_len
 * gets the Key-Length. */
enum radius_mppe_key_result radius_mppe_key_decrypt(const uint8_t *secret, size_t secret_len,
						    const uint8_t request_auth[RADIUS_AUTH_SIZE], const uint8_t *value,
						    size_t len, uint8_t *key, size_t key_cap, size_t *key_len);

/* RFC 2548 §2.4.1 MS-CHAP-MPPE-Keys: LM-Key (8), NT-Key (16), padding (8),
 * 32 bytes hidden as User-Password. */
#define RADIUS_MSCHAP_MPPE_KEYS_SIZE 32
void radius_mschap_mppe_keys_encrypt(const uint8_t *secret, size_t secret_len,
				     const uint8_t request_auth[RADIUS_AUTH_SIZE], const uint8_t lm_key[8],
				     const uint8_t nt_key[16], uint8_t out[RADIUS_MSCHAP_MPPE_KEYS_SIZE]);
bool radius_mschap_mppe_keys_decrypt(const uint8_t *secret, size_t secret_len,
				     const uint8_t request_auth[RADIUS_AUTH_SIZE], const uint8_t *value, size_t len,
				     uint8_t lm_key[8], uint8_t nt_key[16]);

#endif
