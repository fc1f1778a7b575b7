/* SPDX-License-Identifier: BSD-2-Clause */
/* One PPP link's compression/encryption layer as CCP negotiated it
 * (RFC 3078 §2 bits: 40/56/128-bit MPPE, H stateless, C MPPC): compress
 * then encrypt on send, decrypt then decompress on receive (RFC 3078 §3.1
 * Implementation Note). MPPC alone (no encryption) works too.
 *
 * Input to mppe_channel_send: p holds the PPP protocol field (2 bytes)
 * and information; afterwards it holds the MPPE/MPPC header and payload,
 * ready for the caller to prepend PPP protocol 0x00FD. Receive is the
 * mirror. Only protocols 0x0021..0x00FA go through here (RFC 3078 §3);
 * that filter is the caller's. */
#ifndef OPENPPTP_PROTO_MPPE_CHANNEL_H
#define OPENPPTP_PROTO_MPPE_CHANNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/pkt.h"
#include "proto/mppe/mppc.h"
#include "proto/mppe/mppe.h"

struct mppe_channel_config {
	unsigned key_bits;   /* 40, 56, 128; 0 = no encryption (MPPC only) */
	bool stateless;      /* H */
	bool compress;       /* C: MPPC */
	unsigned max_rekeys; /* 0: MPPE_DEFAULT_MAX_REKEYS */
	bool reset_changes_key; /* see struct mppe_config (Linux peers, stateful); ignored with MPPC */
};

struct mppe_channel_stats {
	uint64_t compressed;      /* packets sent compressed */
	uint64_t not_compressed;  /* sent as they were (compression did not help) */
	uint64_t decompress_errors;
	uint64_t bytes_before;    /* sent, before compression */
	uint64_t bytes_after;     /* sent, after compression */
};

struct mppe_channel {
	struct mppe_channel_config cfg;
	struct mppe_tx tx;
	struct mppe_rx rx;
	struct mppc_compressor *comp;     /* allocated only when MPPC is on */
	struct mppc_decompressor *decomp;
	/* MPPE + MPPC: expands a FLUSHED packet on its own while the receiver
	 * tries keys in a resync (mppe_rx plain_ok); allocated once here, not
	 * per key tried. */
	struct mppc_decompressor *scratch;
	/* The most the packet being received can hold decompressed: the
	 * trials expand to the same limit as the live decompressor, or an
	 * oversize FLUSHED packet would pass a trial, then fail live and
	 * count as garbage round after round. */
	size_t trial_max_out;
	/* MPPC without MPPE keeps the coherency count here (RFC 2118 §4.3). */
	uint16_t plain_tx_ccount;
	uint16_t plain_rx_ccount;
	bool plain_reset_pending;
	bool plain_rx_discarding;
	/* The MPPC history lost: packets dropped since, last Reset-Request. */
	unsigned decomp_drop_run;
	uint64_t decomp_reset_ms;
	struct mppe_channel_stats stats;
};

/* send/recv start keys as from mppe_keys_from_*(); ignored when key_bits
 * is 0. Returns 0, ERR_INVALID (neither encryption nor compression, bad
 * key size) or ERR_NOMEM. */
int mppe_channel_init(struct mppe_channel *ch, const struct mppe_channel_config *cfg,
		      const uint8_t send_start_key[16], const uint8_t recv_start_key[16]);
/* Wipe keys and free the MPPC histories. */
void mppe_channel_wipe(struct mppe_channel *ch);

/* Compress (if it helps) and encrypt in place. 0 or ERR_NOSPACE. */
int mppe_channel_send(struct mppe_channel *ch, struct pkt *p);

/* Decrypt and decompress in place (the packet may grow up to its
 * capacity). 0: p holds protocol + information. Negative: drop it; in
 * every case *send_reset_request says whether to send a CCP Reset-Request
 * (RFC 1962 §5.7, RFC 3078 §8.2, RFC 2118 §4.3). */
int mppe_channel_receive(struct mppe_channel *ch, struct pkt *p, uint64_t now_ms, bool *send_reset_request);

/* A CCP Reset-Request arrived from the peer: the next packet we send is
 * FLUSHED (RC4 re-initialised and MPPC history reset). */
void mppe_channel_reset_request(struct mppe_channel *ch);

#endif
