/* SPDX-License-Identifier: BSD-2-Clause */
/* Tagged test traffic and its ledger. Every IP packet the simulation sends
 * carries, in its UDP payload, who sent it (client, life of that client,
 * direction, sequence number) and a check value over the whole payload, so
 * the receiver can tell: a packet that was sent, once, to this session; a
 * packet that was never sent or belongs to another session (a broken
 * invariant); or a corrupted one (PPTP and MPPE have no integrity check:
 * expected only when the network corrupts). */
#ifndef OPENPPTP_TEST_SIM_TRAFFIC_H
#define OPENPPTP_TEST_SIM_TRAFFIC_H

#include <stdbool.h>
#include <stdint.h>

#include "base/pkt.h"

#define SIM_TRAFFIC_MAX_SEQ 2048u

enum sim_dir { SIM_TO_SERVER = 0,
	       SIM_TO_CLIENT = 1 };

enum sim_receipt {
	SIM_RECEIPT_OK,         /* sent to this session, first delivery */
	SIM_RECEIPT_CORRUPT,    /* the check value does not match */
	SIM_RECEIPT_FOREIGN,    /* a valid packet of another session or direction */
	SIM_RECEIPT_NEVER_SENT, /* valid, ours, but not sent (or sent in an earlier life) */
	SIM_RECEIPT_DUPLICATE,  /* delivered twice */
};

/* One direction of one client's traffic. */
struct sim_ledger {
	uint8_t sent[SIM_TRAFFIC_MAX_SEQ / 8];
	uint8_t delivered[SIM_TRAFFIC_MAX_SEQ / 8];
	uint32_t next_seq;
	uint32_t sent_count, delivered_count;
	uint32_t epoch; /* the client's life: bumped on restart */
	/* What sim_traffic_make wrote for each seq it made, so a receipt whose
	 * bytes are exactly those need not hash them again (the hash is most
	 * of the traffic's cost); anything else is hashed as before. */
	bool made;  /* made packets, all for made_client/made_dir */
	bool mixed; /* made for more than one (client, dir): no shortcut */
	uint16_t made_client, made_dir;
	uint32_t check[SIM_TRAFFIC_MAX_SEQ];
	uint16_t pad[SIM_TRAFFIC_MAX_SEQ];
};

void sim_ledger_reset(struct sim_ledger *l, uint32_t epoch);
/* A tagged IPv4/UDP packet src -> dst, recorded as sent; NULL when the
 * ledger is full. pad_len extra payload bytes (< 1200). */
struct pkt *sim_traffic_make(struct sim_ledger *l, uint16_t client, enum sim_dir dir, uint32_t src, uint32_t dst,
			     size_t pad_len, uint32_t *seq_out);
/* What a delivered packet is, for the receiving (client, dir) ledger. */
enum sim_receipt sim_traffic_receive(struct sim_ledger *l, uint16_t client, enum sim_dir dir, const uint8_t *ip,
				     size_t len);
const char *sim_receipt_name(enum sim_receipt r);
bool sim_ledger_was_delivered(const struct sim_ledger *l, uint32_t seq);

#endif
