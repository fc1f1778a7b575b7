/* SPDX-License-Identifier: BSD-2-Clause */
/* Offset search across lost stateful MPPE packets; payload checks. */
#include "proto/mppe/mppe_recover.h"

#include <string.h>

#include "base/error.h"
#include "base/inet_checksum.h"

#define PPP_IP 0x0021u   /* RFC 1332 */
#define PPP_IPV6 0x0057u /* RFC 5072 */

/* The protocol field (2 bytes, or 1 under PFC, RFC 1661 §6.5) and its
 * length; 0 when it is neither IP nor IPv6. */
static unsigned ip_version_of(const uint8_t *d, size_t len, size_t *field)
{
	if (len >= 1 && (d[0] & 1)) {
		*field = 1;
		return d[0] == PPP_IP ? 4u : d[0] == PPP_IPV6 ? 6u : 0u;
	}
	if (len < 2 || d[0] != 0)
		return 0;
	*field = 2;
	return d[1] == PPP_IP ? 4u : d[1] == PPP_IPV6 ? 6u : 0u;
}

bool mppe_payload_plausible(const uint8_t *d, size_t len)
{
	size_t field = 0;
	unsigned v = ip_version_of(d, len, &field);
	return v != 0 && len > field && (d[field] >> 4) == v;
}

bool mppe_payload_well_formed(const uint8_t *d, size_t head_len, size_t len)
{
	size_t field = 0;
	unsigned v = ip_version_of(d, head_len, &field);
	if (v == 0)
		return false;
	const uint8_t *ip = d + field;
	size_t ip_len = len - field;
	size_t have = head_len - field;
	if (v == 6) /* RFC 8200 §3: payload length excludes the 40-byte header */
		return have >= 6 && ip_len >= 40 && (ip[0] >> 4) == 6 &&
		       40u + (size_t)((ip[4] << 8) | ip[5]) == ip_len;
	/* RFC 791 §3.1 */
	if (have < 20 || (ip[0] >> 4) != 4)
		return false;
	size_t ihl = (size_t)(ip[0] & 0x0F) * 4u;
	return ihl >= 20 && ihl <= have && ihl <= ip_len && (size_t)((ip[2] << 8) | ip[3]) == ip_len &&
	       inet_checksum(ip, ihl) == 0;
}

void mppe_rc4_skip(struct crypto_rc4 *rc4, size_t n)
{
	uint8_t scratch[256];
	while (n > 0) {
		size_t chunk = n < sizeof(scratch) ? n : sizeof(scratch);
		memset(scratch, 0, chunk);
		crypto_rc4_crypt(rc4, scratch, scratch, chunk);
		n -= chunk;
	}
}

int mppe_recover_offset(const struct crypto_rc4 *rc4, const uint8_t *ct, size_t len, size_t lost_min,
			size_t lost_max, size_t *skip)
{
	uint8_t ks[MPPE_RECOVER_MAX_LOST * MPPE_RECOVER_MAX_PACKET + MPPE_PLAUSIBLE_HEAD];
	size_t head = len < MPPE_PLAUSIBLE_HEAD ? len : MPPE_PLAUSIBLE_HEAD;
	if (lost_max > MPPE_RECOVER_MAX_LOST * MPPE_RECOVER_MAX_PACKET)
		lost_max = MPPE_RECOVER_MAX_LOST * MPPE_RECOVER_MAX_PACKET;
	if (len < 2 || lost_min > lost_max)
		return ERR_NOT_FOUND;
	/* One run of keystream serves every candidate offset: byte i of the
	 * packet under offset s is ct[i] ^ ks[s + i]. */
	struct crypto_rc4 copy = *rc4;
	size_t ks_len = lost_max + head;
	memset(ks, 0, ks_len);
	crypto_rc4_crypt(&copy, ks, ks, ks_len);
	crypto_wipe(&copy, sizeof(copy));
	unsigned found = 0;
	size_t at = 0;
	uint8_t plain[MPPE_PLAUSIBLE_HEAD];
	for (size_t s = lost_min; s <= lost_max; s++) {
		/* Cheap test first: the protocol field's first byte. */
		uint8_t b0 = (uint8_t)(ct[0] ^ ks[s]);
		if (b0 != 0 && b0 != PPP_IP && b0 != PPP_IPV6)
			continue;
		for (size_t i = 0; i < head; i++)
			plain[i] = (uint8_t)(ct[i] ^ ks[s + i]);
		if (mppe_payload_well_formed(plain, head, len)) {
			found++;
			at = s;
		}
	}
	crypto_wipe(ks, ks_len);
	crypto_wipe(plain, sizeof(plain));
	if (found != 1)
		return ERR_NOT_FOUND;
	*skip = at;
	return 0;
}
