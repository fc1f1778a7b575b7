/* SPDX-License-Identifier: BSD-2-Clause */
/* MPPE key derivation (RFC 3079, RFC 3078 §7.3): start keys from MS-CHAPv1,
 * MS-CHAPv2 or raw MS-MPPE-Send/Recv-Key attributes (RFC 2548), and the
 * session-key change function shared by both directions of the data path.
 *
 * A "start key" is what RFC 3079 calls MasterSendKey / MasterReceiveKey
 * (MS-CHAPv2) or InitialSessionKey (MS-CHAPv1): the fixed per-direction
 * secret that every later session key is derived from. Start keys are
 * always handed around as 16-byte buffers; 40- and 56-bit MPPE use the
 * first 8 bytes. */
#ifndef OPENPPTP_PROTO_MPPE_KEYS_H
#define OPENPPTP_PROTO_MPPE_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MPPE_START_KEY_SIZE 16
#define MPPE_MAX_KEY_LEN 16

/* Bytes of RC4 key for 40, 56 or 128-bit MPPE (8, 8, 16); 0 for any other. */
size_t mppe_key_len(unsigned key_bits);

/* RFC 3079 §3.4 GetMasterKey. */
void mppe_get_master_key(const uint8_t password_hash_hash[16], const uint8_t nt_response[24],
			 uint8_t master_key[16]);
/* RFC 3079 §3.4 GetAsymetricStartKey; key_len <= 16. */
void mppe_get_asymmetric_start_key(const uint8_t master_key[16], uint8_t *start_key, size_t key_len,
				   bool is_send, bool is_server);
/* RFC 3078 §7.3 GetNewKeyFromSHA (RFC 3079 §2.4 Get_Key); key_len <= 16,
 * interim_key may alias session_key. */
void mppe_get_new_key_from_sha(const uint8_t *start_key, const uint8_t *session_key, size_t key_len,
			       uint8_t *interim_key);
/* RFC 3079 §3.1/§3.2, RFC 3078 §7.3: lower the effective strength of an
 * 8-byte key to 40 bits (0xD1 0x26 0x9E) or 56 bits (0xD1); 128: no-op. */
void mppe_reduce_key(uint8_t *key, unsigned key_bits);

/* MS-CHAPv2 (RFC 3079 §3): send and receive start keys for our side.
 * is_server: we are the authenticator. Returns 0 or ERR_INVALID (key_bits). */
int mppe_keys_from_mschapv2(const uint8_t password_hash_hash[16], const uint8_t nt_response[24],
			    bool is_server, unsigned key_bits,
			    uint8_t send_start_key[16], uint8_t recv_start_key[16]);

/* MS-CHAPv1 from the NT password hash (RFC 3079 §2.3 Get_Start_Key): the
 * same key in both directions. challenge is the authenticator's 8-byte
 * challenge. RFC 3079 uses this only for 128-bit keys; pppd (and Windows
 * since NT4 SP) use it for 40/56-bit too (first 8 bytes), so do we. */
int mppe_keys_from_mschapv1(const uint8_t password_hash_hash[16], const uint8_t challenge[8],
			    unsigned key_bits, uint8_t send_start_key[16], uint8_t recv_start_key[16]);

/* MS-CHAPv1 40/56-bit from the LAN Manager hash (RFC 3079 §2.1/§2.2): the
 * start key is the first 8 bytes of LmPasswordHash. Legacy only. */
int mppe_keys_from_lm_hash(const uint8_t lm_password_hash[16], unsigned key_bits,
			   uint8_t send_start_key[16], uint8_t recv_start_key[16]);

/* Raw keys, e.g. decrypted MS-MPPE-Send-Key / MS-MPPE-Recv-Key (RFC 2548
 * §2.4.2/§2.4.3; from the authenticator's point of view: Send-Key is the
 * server's send key). Each must hold at least mppe_key_len(key_bits)
 * bytes; longer keys are cut. Returns 0, ERR_INVALID or ERR_LENGTH. */
int mppe_keys_from_raw(const uint8_t *send_key, size_t send_len, const uint8_t *recv_key, size_t recv_len,
		       unsigned key_bits, uint8_t send_start_key[16], uint8_t recv_start_key[16]);

#endif
