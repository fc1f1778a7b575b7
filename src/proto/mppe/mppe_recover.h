/* SPDX-License-Identifier: BSD-2-Clause */
/* Stateful MPPE without a Reset-Request round trip after a small loss, and
 * the plausibility checks that tell a correct decryption from garbage.
 *
 * Why: in stateful mode (RFC 3078 §8.2) one lost packet leaves the
 * receiver's RC4 stream behind by the lost packet's length, and the RFC's
 * cure (discard until the sender's FLUSHED packet answers a Reset-Request)
 * throws away a whole round trip of packets: at 1% random loss that is
 * dozens of packets per loss and TCP collapses. The lost bytes are the only
 * unknown, so the receiver tries each stream offset up to a bound and keeps
 * the one under which the next packet decrypts to a well-formed IP header
 * (PPP protocol, version, total length and, for IPv4, the header
 * checksum). The peer sees nothing of this; when no offset fits the caller
 * falls back to the RFC's Reset-Request. */
#ifndef OPENPPTP_PROTO_MPPE_RECOVER_H
#define OPENPPTP_PROTO_MPPE_RECOVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/crypto.h"

/* Most packets lost in a row that the offset search covers, and the most
 * bytes of protocol field + information one lost packet can hold (MRU 1500
 * plus slack for peers that send above it, RFC 1661 §6.1). */
#define MPPE_RECOVER_MAX_LOST 3u
#define MPPE_RECOVER_MAX_PACKET 1600u
/* Smallest lost packet: a 2-byte protocol field and one byte. */
#define MPPE_RECOVER_MIN_PACKET 3u
/* Bytes of a decrypted packet the strict check reads: protocol + the
 * longest IPv4 header. */
#define MPPE_PLAUSIBLE_HEAD 62u

/* Strict: d (protocol field + information, len bytes) is an IPv4 packet
 * with a good header checksum and total length == the rest, or an IPv6
 * packet whose payload length matches. head_len (<= len) bytes of d are
 * available; the IPv4 checksum needs the whole header among them. */
bool mppe_payload_well_formed(const uint8_t *d, size_t head_len, size_t len);

/* Loose: the protocol field is IP or IPv6 (2 bytes, or 1 under PFC) and
 * the first byte after it has that IP version. A wrong key passes this
 * about once in a million packets; a run of failures is garbage. */
bool mppe_payload_plausible(const uint8_t *d, size_t len);

/* Search the stream offsets lost_min..lost_max from rc4 (not changed) for
 * the one under which ct (len bytes of ciphertext) decrypts well formed.
 * 0 and *skip on exactly one match; ERR_NOT_FOUND for none or several. */
int mppe_recover_offset(const struct crypto_rc4 *rc4, const uint8_t *ct, size_t len, size_t lost_min,
			size_t lost_max, size_t *skip);

/* Advance rc4 by n bytes of keystream. */
void mppe_rc4_skip(struct crypto_rc4 *rc4, size_t n);

#endif
