/* SPDX-License-Identifier: BSD-2-Clause */
/* MPPE key derivation: RFC 3079 §2 (MS-CHAPv1), §3 (MS-CHAPv2), RFC 3078 §7.3. */
#include "proto/mppe/mppe_keys.h"

#include <string.h>

#include "base/crypto.h"
#include "base/error.h"

/* RFC 3079 §2.4 / §3.4 SHApad1 and SHApad2. */
static const uint8_t sha_pad1[40] = { 0 };
static const uint8_t sha_pad2[40] = {
	0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2,
	0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2,
	0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2,
	0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2,
};

/* RFC 3079 §3.4 Magic1..3, as the ASCII the byte arrays spell. */
static const char magic1[27 + 1] = "This is the MPPE Master Key";
static const char magic2[84 + 1] =
	"On the client side, this is the send key; on the server side, it is the receive key.";
static const char magic3[84 + 1] =
	"On the client side, this is the receive key; on the server side, it is the send key.";

size_t mppe_key_len(unsigned key_bits)
{
	switch (key_bits) {
	case 40:
	case 56:
		return 8;
	case 128:
		return 16;
	default:
		return 0;
	}
}

void mppe_get_master_key(const uint8_t password_hash_hash[16], const uint8_t nt_response[24],
			 uint8_t master_key[16])
{
	uint8_t digest[CRYPTO_SHA1_SIZE];
	const struct crypto_part parts[] = {
		{ password_hash_hash, 16 },
		{ nt_response, 24 },
		{ magic1, 27 },
	};
	crypto_sha1(parts, 3, digest);
	memcpy(master_key, digest, 16);
	crypto_wipe(digest, sizeof(digest));
}

void mppe_get_asymmetric_start_key(const uint8_t master_key[16], uint8_t *start_key, size_t key_len,
				   bool is_send, bool is_server)
{
	uint8_t digest[CRYPTO_SHA1_SIZE];
	/* RFC 3079 §3.4: the server's send key is the client's receive key. */
	const char *magic = (is_send == is_server) ? magic3 : magic2;
	const struct crypto_part parts[] = {
		{ master_key, 16 },
		{ sha_pad1, sizeof(sha_pad1) },
		{ magic, 84 },
		{ sha_pad2, sizeof(sha_pad2) },
	};
	if (key_len > 16)
		key_len = 16;
	crypto_sha1(parts, 4, digest);
	memcpy(start_key, digest, key_len);
	crypto_wipe(digest, sizeof(digest));
}

void mppe_get_new_key_from_sha(const uint8_t *start_key, const uint8_t *session_key, size_t key_len,
			       uint8_t *interim_key)
{
	uint8_t digest[CRYPTO_SHA1_SIZE];
	if (key_len > 16)
		key_len = 16;
	const struct crypto_part parts[] = {
		{ start_key, key_len },
		{ sha_pad1, sizeof(sha_pad1) },
		{ session_key, key_len },
		{ sha_pad2, sizeof(sha_pad2) },
	};
	crypto_sha1(parts, 4, digest);
	memcpy(interim_key, digest, key_len);
	crypto_wipe(digest, sizeof(digest));
}

void mppe_reduce_key(uint8_t *key, unsigned key_bits)
{
	if (key_bits == 40) {
		key[0] = 0xd1;
		key[1] = 0x26;
		key[2] = 0x9e;
	} else if (key_bits == 56) {
		key[0] = 0xd1;
	}
}

int mppe_keys_from_mschapv2(const uint8_t password_hash_hash[16], const uint8_t nt_response[24],
			    bool is_server, unsigned key_bits,
			    uint8_t send_start_key[16], uint8_t recv_start_key[16])
{
	uint8_t master[16];
	size_t len = mppe_key_len(key_bits);
	if (len == 0)
		return ERR_INVALID;
	mppe_get_master_key(password_hash_hash, nt_response, master);
	memset(send_start_key, 0, 16);
	memset(recv_start_key, 0, 16);
	/* RFC 3079 §3.1-§3.3: always derive 16 bytes; 40/56 use the first 8. */
	mppe_get_asymmetric_start_key(master, send_start_key, 16, true, is_server);
	mppe_get_asymmetric_start_key(master, recv_start_key, 16, false, is_server);
	crypto_wipe(master, sizeof(master));
	return 0;
}

int mppe_keys_from_mschapv1(const uint8_t password_hash_hash[16], const uint8_t challenge[8],
			    unsigned key_bits, uint8_t send_start_key[16], uint8_t recv_start_key[16])
{
	uint8_t digest[CRYPTO_SHA1_SIZE];
	if (mppe_key_len(key_bits) == 0)
		return ERR_INVALID;
	/* RFC 3079 §2.4 Get_Start_Key. */
	const struct crypto_part parts[] = {
		{ password_hash_hash, 16 },
		{ password_hash_hash, 16 },
		{ challenge, 8 },
	};
	crypto_sha1(parts, 3, digest);
	memcpy(send_start_key, digest, 16);
	memcpy(recv_start_key, digest, 16);
	crypto_wipe(digest, sizeof(digest));
	return 0;
}

int mppe_keys_from_lm_hash(const uint8_t lm_password_hash[16], unsigned key_bits,
			   uint8_t send_start_key[16], uint8_t recv_start_key[16])
{
	if (key_bits != 40 && key_bits != 56)
		return ERR_INVALID;
	memset(send_start_key, 0, 16);
	memset(recv_start_key, 0, 16);
	memcpy(send_start_key, lm_password_hash, 8);
	memcpy(recv_start_key, lm_password_hash, 8);
	return 0;
}

int mppe_keys_from_raw(const uint8_t *send_key, size_t send_len, const uint8_t *recv_key, size_t recv_len,
		       unsigned key_bits, uint8_t send_start_key[16], uint8_t recv_start_key[16])
{
	size_t len = mppe_key_len(key_bits);
	if (len == 0 || send_key == NULL || recv_key == NULL)
		return ERR_INVALID;
	if (send_len < len || recv_len < len)
		return ERR_LENGTH;
	memset(send_start_key, 0, 16);
	memset(recv_start_key, 0, 16);
	memcpy(send_start_key, send_key, send_len < 16 ? send_len : 16);
	memcpy(recv_start_key, recv_key, recv_len < 16 ? recv_len : 16);
	return 0;
}
