/* SPDX-License-Identifier: BSD-2-Clause */
/* MS-CHAP cryptography: RFC 2759 §8 (MS-CHAPv2) and RFC 2433 App. A
 * (MS-CHAPv1, NT response only). Pure functions over base/crypto.h.
 *
 * Every function that needs the password also exists in a form that takes
 * the NT password hash (MD4 of the UTF-16LE password), so an authenticator
 * can store NT hashes instead of plaintext. */
#ifndef OPENPPTP_PROTO_AUTH_MSCHAP_CRYPTO_H
#define OPENPPTP_PROTO_AUTH_MSCHAP_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MSCHAP_NT_HASH_SIZE 16
#define MSCHAP_NT_RESPONSE_SIZE 24
#define MSCHAP_V1_CHALLENGE_SIZE 8
#define MSCHAP_V2_CHALLENGE_SIZE 16
/* "S=" + 40 upper-case hex digits (RFC 2759 §8.7). */
#define MSCHAP_AUTH_RESPONSE_LEN 42
/* RFC 2759 §8.1: the password is 0 to 256 Unicode characters. */
#define MSCHAP_MAX_PASSWORD_UNITS 256

/* UTF-8 -> UTF-16LE (surrogate pairs above U+FFFF). Returns the number of
 * bytes written or ERR_MALFORMED (bad UTF-8) / ERR_LENGTH (too long). */
int mschap_utf8_to_utf16le(const char *utf8, size_t len, uint8_t *out, size_t out_size);

/* RFC 2759 §8.3 NtPasswordHash: MD4(UTF-16LE(password)). 0 or negative error. */
int mschap_nt_password_hash(const char *password_utf8, size_t len, uint8_t hash[MSCHAP_NT_HASH_SIZE]);

/* RFC 2759 §8.4 HashNtPasswordHash: MD4(hash). */
void mschap_hash_nt_password_hash(const uint8_t hash[MSCHAP_NT_HASH_SIZE],
				  uint8_t hash_hash[MSCHAP_NT_HASH_SIZE]);

/* The user name without a "DOMAIN\" prefix (pointer into user). */
const char *mschap_strip_domain(const char *user);

/* RFC 2759 §8.2 ChallengeHash: first 8 bytes of
 * SHA-1(peer challenge | authenticator challenge | user name without domain). */
void mschap_challenge_hash(const uint8_t peer_challenge[16], const uint8_t auth_challenge[16],
			   const char *user, uint8_t challenge[8]);

/* RFC 2759 §8.5 ChallengeResponse: three DES blocks keyed by the zero-padded
 * 21-byte hash split into 7-byte keys. */
void mschap_challenge_response(const uint8_t challenge[8], const uint8_t hash[MSCHAP_NT_HASH_SIZE],
			       uint8_t response[MSCHAP_NT_RESPONSE_SIZE]);

/* RFC 2759 §8.1 GenerateNTResponse. */
void mschapv2_nt_response_from_hash(const uint8_t auth_challenge[16], const uint8_t peer_challenge[16],
				    const char *user, const uint8_t nt_hash[MSCHAP_NT_HASH_SIZE],
				    uint8_t response[MSCHAP_NT_RESPONSE_SIZE]);
int mschapv2_generate_nt_response(const uint8_t auth_challenge[16], const uint8_t peer_challenge[16],
				  const char *user, const char *password_utf8, size_t password_len,
				  uint8_t response[MSCHAP_NT_RESPONSE_SIZE]);

/* RFC 2759 §8.7 GenerateAuthenticatorResponse: writes the 42 characters
 * "S=..." plus a NUL into out[43]. */
void mschapv2_authenticator_response_from_hash(const uint8_t nt_hash[MSCHAP_NT_HASH_SIZE],
					       const uint8_t nt_response[MSCHAP_NT_RESPONSE_SIZE],
					       const uint8_t peer_challenge[16],
					       const uint8_t auth_challenge[16], const char *user,
					       char out[MSCHAP_AUTH_RESPONSE_LEN + 1]);

/* RFC 2759 §8.8 CheckAuthenticatorResponse, constant time over the 42
 * characters. The received text must be exactly "S=" + 40 hex digits
 * (upper or lower case accepted). */
bool mschapv2_check_authenticator_response(const uint8_t nt_hash[MSCHAP_NT_HASH_SIZE],
					   const uint8_t nt_response[MSCHAP_NT_RESPONSE_SIZE],
					   const uint8_t peer_challenge[16],
					   const uint8_t auth_challenge[16], const char *user,
					   const char *received, size_t received_len);

/* RFC 2433 §A.5 NtChallengeResponse (MS-CHAPv1). */
void mschapv1_nt_response_from_hash(const uint8_t challenge[8], const uint8_t nt_hash[MSCHAP_NT_HASH_SIZE],
				    uint8_t response[MSCHAP_NT_RESPONSE_SIZE]);
int mschapv1_nt_response(const uint8_t challenge[8], const char *password_utf8, size_t password_len,
			 uint8_t response[MSCHAP_NT_RESPONSE_SIZE]);

/* RFC 2433 §A.2 LmPasswordHash, only for RFC 3079 §2.1/2.2 (40/56-bit MPPE
 * keys after MS-CHAPv1). The password is upper-cased (ASCII letters only;
 * other bytes are kept, an approximation of the OEM code page) and cut or
 * zero-padded to 14 bytes. */
void mschap_lm_password_hash(const char *password, size_t len, uint8_t hash[16]);

#endif
