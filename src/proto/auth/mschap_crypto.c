/* SPDX-License-Identifier: BSD-2-Clause */
/* MS-CHAP cryptography (RFC 2759 §8, RFC 2433 App. A). */
#include "proto/auth/mschap_crypto.h"

#include <string.h>

#include "base/crypto.h"
#include "base/error.h"

int mschap_utf8_to_utf16le(const char *utf8, size_t len, uint8_t *out, size_t out_size)
{
	const uint8_t *s = (const uint8_t *)utf8;
	size_t i = 0, o = 0;

	while (i < len) {
		uint32_t cp;
		size_t need;
		uint8_t c = s[i];

		if (c < 0x80) {
			cp = c;
			need = 0;
		} else if ((c & 0xe0) == 0xc0) {
			cp = c & 0x1f;
			need = 1;
		} else if ((c & 0xf0) == 0xe0) {
			cp = c & 0x0f;
			need = 2;
		} else if ((c & 0xf8) == 0xf0) {
			cp = c & 0x07;
			need = 3;
		} else {
			return ERR_MALFORMED;
		}
		if (len - i - 1 < need)
			return ERR_MALFORMED;
		for (size_t k = 1; k <= need; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return ERR_MALFORMED;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		/* Reject overlong forms, surrogates and values past U+10FFFF. */
		if ((need == 1 && cp < 0x80) || (need == 2 && cp < 0x800) ||
		    (need == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return ERR_MALFORMED;
		i += need + 1;

		if (cp >= 0x10000) {
			uint32_t v = cp - 0x10000;
			uint16_t hi = (uint16_t)(0xd800 | (v >> 10));
			uint16_t lo = (uint16_t)(0xdc00 | (v & 0x3ff));
			if (out_size - o < 4)
				return ERR_LENGTH;
			out[o++] = (uint8_t)hi;
			out[o++] = (uint8_t)(hi >> 8);
			out[o++] = (uint8_t)lo;
			out[o++] = (uint8_t)(lo >> 8);
		} else {
			if (out_size - o < 2)
				return ERR_LENGTH;
			out[o++] = (uint8_t)cp;
			out[o++] = (uint8_t)(cp >> 8);
		}
	}
	return (int)o;
}

int mschap_nt_password_hash(const char *password_utf8, size_t len, uint8_t hash[MSCHAP_NT_HASH_SIZE])
{
	uint8_t unicode[2 * MSCHAP_MAX_PASSWORD_UNITS];
	int n = mschap_utf8_to_utf16le(password_utf8, len, unicode, sizeof(unicode));

	if (n < 0) {
		crypto_wipe(unicode, sizeof(unicode));
		return n;
	}
	crypto_md4(unicode, (size_t)n, hash);
	crypto_wipe(unicode, sizeof(unicode));
	return 0;
}

void mschap_hash_nt_password_hash(const uint8_t hash[MSCHAP_NT_HASH_SIZE],
				  uint8_t hash_hash[MSCHAP_NT_HASH_SIZE])
{
	crypto_md4(hash, MSCHAP_NT_HASH_SIZE, hash_hash);
}

const char *mschap_strip_domain(const char *user)
{
	const char *slash = strrchr(user, '\\');

	return slash ? slash + 1 : user;
}

void mschap_challenge_hash(const uint8_t peer_challenge[16], const uint8_t auth_challenge[16],
			   const char *user, uint8_t challenge[8])
{
	/* RFC 2759 §8.2: "Only the user name (as presented by the peer and
	 * excluding any prepended domain name) is used as input". */
	const char *name = mschap_strip_domain(user);
	uint8_t digest[CRYPTO_SHA1_SIZE];
	const struct crypto_part parts[] = {
		{ peer_challenge, 16 },
		{ auth_challenge, 16 },
		{ name, strlen(name) },
	};

	crypto_sha1(parts, 3, digest);
	memcpy(challenge, digest, 8);
}

void mschap_challenge_response(const uint8_t challenge[8], const uint8_t hash[MSCHAP_NT_HASH_SIZE],
			       uint8_t response[MSCHAP_NT_RESPONSE_SIZE])
{
	uint8_t z[21];

	memset(z, 0, sizeof(z));
	memcpy(z, hash, MSCHAP_NT_HASH_SIZE);
	crypto_des_encrypt_7(z, challenge, response);
	crypto_des_encrypt_7(z + 7, challenge, response + 8);
	crypto_des_encrypt_7(z + 14, challenge, response + 16);
	crypto_wipe(z, sizeof(z));
}

void mschapv2_nt_response_from_hash(const uint8_t auth_challenge[16], const uint8_t peer_challenge[16],
				    const char *user, const uint8_t nt_hash[MSCHAP_NT_HASH_SIZE],
				    uint8_t response[MSCHAP_NT_RESPONSE_SIZE])
{
	uint8_t challenge[8];

	mschap_challenge_hash(peer_challenge, auth_challenge, user, challenge);
	mschap_challenge_response(challenge, nt_hash, response);
}

int mschapv2_generate_nt_response(const uint8_t auth_challenge[16], const uint8_t peer_challenge[16],
				  const char *user, const char *password_utf8, size_t password_len,
				  uint8_t response[MSCHAP_NT_RESPONSE_SIZE])
{
	uint8_t hash[MSCHAP_NT_HASH_SIZE];
	int rc = mschap_nt_password_hash(password_utf8, password_len, hash);

	if (rc == 0)
		mschapv2_nt_response_from_hash(auth_challenge, peer_challenge, user, hash, response);
	crypto_wipe(hash, sizeof(hash));
	return rc;
}

/* RFC 2759 §8.7: the two magic constants. */
static const uint8_t magic1[39] = "Magic server to client signing constant";
static const uint8_t magic2[41] = "Pad to make it do more than one iteration";

static void authenticator_digest(const uint8_t nt_hash[MSCHAP_NT_HASH_SIZE],
				 const uint8_t nt_response[MSCHAP_NT_RESPONSE_SIZE],
				 const uint8_t peer_challenge[16], const uint8_t auth_challenge[16],
				 const char *user, uint8_t digest[CRYPTO_SHA1_SIZE])
{
	uint8_t hash_hash[MSCHAP_NT_HASH_SIZE];
	uint8_t challenge[8];

	mschap_hash_nt_password_hash(nt_hash, hash_hash);
	const struct crypto_part p1[] = {
		{ hash_hash, sizeof(hash_hash) },
		{ nt_response, MSCHAP_NT_RESPONSE_SIZE },
		{ magic1, sizeof(magic1) },
	};
	crypto_sha1(p1, 3, digest);
	mschap_challenge_hash(peer_challenge, auth_challenge, user, challenge);
	const struct crypto_part p2[] = {
		{ digest, CRYPTO_SHA1_SIZE },
		{ challenge, sizeof(challenge) },
		{ magic2, sizeof(magic2) },
	};
	crypto_sha1(p2, 3, digest);
	crypto_wipe(hash_hash, sizeof(hash_hash));
}

void mschapv2_authenticator_response_from_hash(const uint8_t nt_hash[MSCHAP_NT_HASH_SIZE],
					       const uint8_t nt_response[MSCHAP_NT_RESPONSE_SIZE],
					       const uint8_t peer_challenge[16],
					       const uint8_t auth_challenge[16], const char *user,
					       char out[MSCHAP_AUTH_RESPONSE_LEN + 1])
{
	static const char hex[] = "0123456789ABCDEF";
	uint8_t digest[CRYPTO_SHA1_SIZE];

	authenticator_digest(nt_hash, nt_response, peer_challenge, auth_challenge, user, digest);
	out[0] = 'S';
	out[1] = '=';
	for (size_t i = 0; i < CRYPTO_SHA1_SIZE; i++) {
		out[2 + 2 * i] = hex[digest[i] >> 4];
		out[3 + 2 * i] = hex[digest[i] & 15];
	}
	out[MSCHAP_AUTH_RESPONSE_LEN] = '\0';
}

bool mschapv2_check_authenticator_response(const uint8_t nt_hash[MSCHAP_NT_HASH_SIZE],
					   const uint8_t nt_response[MSCHAP_NT_RESPONSE_SIZE],
					   const uint8_t peer_challenge[16],
					   const uint8_t auth_challenge[16], const char *user,
					   const char *received, size_t received_len)
{
	char expected[MSCHAP_AUTH_RESPONSE_LEN + 1];
	char got[MSCHAP_AUTH_RESPONSE_LEN];

	if (received_len != MSCHAP_AUTH_RESPONSE_LEN)
		return false;
	/* Fold lower-case hex to upper case so the comparison is over one
	 * spelling; done for every byte to keep the time independent of it. */
	for (size_t i = 0; i < MSCHAP_AUTH_RESPONSE_LEN; i++) {
		char c = received[i];
		got[i] = (c >= 'a' && c <= 'f') ? (char)(c - 'a' + 'A') : c;
	}
	mschapv2_authenticator_response_from_hash(nt_hash, nt_response, peer_challenge,
						  auth_challenge, user, expected);
	bool ok = crypto_equal(expected, got, MSCHAP_AUTH_RESPONSE_LEN);
	crypto_wipe(expected, sizeof(expected));
	return ok;
}

void mschapv1_nt_response_from_hash(const uint8_t challenge[8], const uint8_t nt_hash[MSCHAP_NT_HASH_SIZE],
				    uint8_t response[MSCHAP_NT_RESPONSE_SIZE])
{
	mschap_challenge_response(challenge, nt_hash, response);
}

int mschapv1_nt_response(const uint8_t challenge[8], const char *password_utf8, size_t password_len,
			 uint8_t response[MSCHAP_NT_RESPONSE_SIZE])
{
	uint8_t hash[MSCHAP_NT_HASH_SIZE];
	int rc = mschap_nt_password_hash(password_utf8, password_len, hash);

	if (rc == 0)
		mschapv1_nt_response_from_hash(challenge, hash, response);
	crypto_wipe(hash, sizeof(hash));
	return rc;
}

void mschap_lm_password_hash(const char *password, size_t len, uint8_t hash[16])
{
	/* RFC 2433 §A.3 DesHash: the clear text is the constant "KGS!@#$%". */
	static const uint8_t std_text[8] = { 'K', 'G', 'S', '!', '@', '#', '$', '%' };
	uint8_t upper[14];

	memset(upper, 0, sizeof(upper));
	for (size_t i = 0; i < len && i < sizeof(upper); i++) {
		char c = password[i];
		upper[i] = (uint8_t)((c >= 'a' && c <= 'z') ? c - 'a' + 'A' : c);
	}
	crypto_des_encrypt_7(upper, std_text, hash);
	crypto_des_encrypt_7(upper + 7, std_text, hash + 8);
	crypto_wipe(upper, sizeof(upper));
}
