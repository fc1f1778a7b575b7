/* SPDX-License-Identifier: BSD-2-Clause */
/* Shared by the MPPE loss tests: a sender and a receiver with the same
 * keys, and the packets they carry. Failures are cmocka assertions. */
#ifndef OPENPPTP_TEST_MPPE_PAIR_H
#define OPENPPTP_TEST_MPPE_PAIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/pkt.h"
#include "proto/mppe/mppe.h"
#include "proto/mppe/mppe_channel.h"

/* Packet seq: PPP protocol 0x0021 + an IPv4 packet of 40..1399 bytes with
 * a good header checksum (the receiver checks it, issue 12 §2); the rest a
 * pattern of seq, or text MPPC compresses well. buf holds PKT_SIZE. */
size_t mppe_pair_payload(unsigned seq, bool compressible, uint8_t *buf);

/* The two engines (mppe.h), one direction, and the last packet sent. */
struct mppe_pair {
	struct mppe_tx tx;
	struct mppe_rx rx;
	unsigned seq;      /* the next packet's */
	uint8_t send_bits; /* for every packet; MPPE_BIT_A: what MPPC does after incompressible data */
	uint8_t wire[PKT_SIZE];
	size_t wire_len;
};

/* MPPE-128, both ends on one key. */
void mppe_pair_init(struct mppe_pair *l, bool recover, bool reset_changes_key);
void mppe_pair_wipe(struct mppe_pair *l);
/* Encrypt the next packet into wire[] (lost unless delivered). */
void mppe_pair_send(struct mppe_pair *l);
/* Deliver the last packet sent, cut to len bytes, at now_ms: 0 only when
 * it decrypted to exactly what was sent and passed the plaintext check;
 * ERR_CRYPTO when plausible but wrong (must never happen). */
int mppe_pair_deliver(struct mppe_pair *l, size_t len, uint64_t now_ms, struct mppe_rx_result *res);
/* Send the next packet and deliver it whole. */
int mppe_pair_send_deliver(struct mppe_pair *l, uint64_t now_ms, struct mppe_rx_result *res);

/* Two channels (mppe_channel.h): a sends to b, each with the other's
 * send key as its receive key. */
struct mppe_channel_pair {
	struct mppe_channel a, b;
};
void mppe_channel_pair_init(struct mppe_channel_pair *pr, const struct mppe_channel_config *cfg);
void mppe_channel_pair_wipe(struct mppe_channel_pair *pr);

#endif
