/* SPDX-License-Identifier: BSD-2-Clause */
/* The MPPE data path (RFC 3078), sans-I/O: per-direction RC4 state, the
 * 2-byte A/B/C/D + coherency-count header, stateless and stateful key
 * changes and resynchronisation.
 *
 * Packet boundary (RFC 3078 §3.1 "Encrypted Data"): the caller hands the
 * PPP protocol field plus information (what pppd/Linux send: the protocol
 * is 2 bytes even with PFC, e.g. 00 21 45 ...). mppe_tx_encrypt encrypts
 * those bytes in place and prepends the 2-byte MPPE header; the caller
 * then prepends PPP protocol 0x00FD. mppe_rx_decrypt takes the bytes after
 * 0x00FD and leaves the decrypted protocol field + information. */
#ifndef OPENPPTP_PROTO_MPPE_H
#define OPENPPTP_PROTO_MPPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/crypto.h"
#include "base/log.h"
#include "base/pkt.h"
#include "proto/mppe/mppe_keys.h"

#define MPPE_PPP_PROTOCOL 0x00FD
#define MPPE_HEADER_LEN 2

/* RFC 3078 §3.1 / RFC 2118 §3.1: bits of the first header byte. */
#define MPPE_BIT_A 0x80 /* FLUSHED: RC4 tables (and MPPC history) reset */
#define MPPE_BIT_B 0x40 /* MPPC: packet at the front of the history */
#define MPPE_BIT_C 0x20 /* MPPC: packet compressed */
#define MPPE_BIT_D 0x10 /* packet encrypted */
#define MPPE_BITS_MASK 0xF0

#define MPPE_CCOUNT_SPACE 4096u
/* RFC 3078 §8.1: a stateless packet more than half the count space ahead is
 * taken as late (behind us), not as a huge loss. */
#define MPPE_STATELESS_WINDOW 2048u
/* Most key changes done for one received packet; a larger jump is caught up
 * over several packets (each dropped until in sync), so one packet never
 * costs more than this many SHA-1 + RC4 key setups (64: about 30 normal
 * packets' work; a loss of the largest believable gap, 2047, is caught up
 * in 32 packets). */
#define MPPE_DEFAULT_MAX_REKEYS 64u
/* Stateless: key changes beyond the one every packet needs (the catch-up
 * for lost packets) are paid from a per-direction bucket refilled at this
 * many per second, holding at most as many. A packet whose catch-up the
 * bucket cannot pay is dropped with no key change (ERR_OUT_OF_WINDOW,
 * counted in over_budget): RFC 3078 §8.1's N key changes are owed only
 * "before decrypting the packet", and a receiver may always lose a packet.
 * In-order traffic never draws on it. It must pay for every real loss at
 * full rate: a receiver that cannot afford a catch-up drops without a key
 * change, falls further behind with each packet and, once the count wraps,
 * is 4096 key changes off for good (seen in `make bench-e2e` with 2048 a
 * second: a stateless tunnel at ~36,000 packets a second losing bursts to
 * its own socket went silent). 65,536 a second covers the loss of every
 * packet this machine can carry; a peer forging jumps makes us do at most
 * that many SHA-1 key changes (~70 ms of CPU a second per direction),
 * about twice what it costs to send us in-order packets at full rate, where
 * every stateless packet is a key change anyway. */
#define MPPE_CATCHUP_PER_SECOND 65536u
/* Stateful: while discarding, ask again for a reset every this many
 * dropped packets, or at the first dropped packet this long after the last
 * request, in case the Reset-Request was lost (RFC 1962 §3.1: ask again
 * until the peer answers). The time rule matters when the peer's traffic
 * has slowed to TCP retransmissions, which a count alone never reaches;
 * pppd waits 1 s for its Reset-Ack too. */
#define MPPE_RESET_REPEAT 64u
#define MPPE_RESET_RETRY_MS 1000u
/* Stateful: this many decrypted packets in a row that are not IP (the
 * protocol-field check, mppe_payload_plausible) mean our RC4 state is not
 * the sender's: drop them, ask for a reset and discard until FLUSHED. A
 * right key fails the check about never; garbage passes it about once in a
 * million packets. */
#define MPPE_GARBAGE_RUN 4u
/* Stateful resynchronisation after more than the whole count space was
 * lost (4096 packets, 16 key changes each time round): the FLUSHED packet
 * is also tried with up to this many extra rounds of key changes, and the
 * one under which it decrypts well formed is kept (RFC 3078 §8.2 cannot
 * tell the rounds apart by the count alone). */
#define MPPE_RESYNC_MAX_WRAPS 3u
/* With MPPC (RFC 3078's rule: only flag packets change keys) the missed
 * key changes are the missed flag packets, and a burst of loss longer than
 * three rounds (a socket overflowing for seconds, 46,684 packets in
 * tests/net/test_mppe_stateful_loss.sh) was never found: every resync
 * missed, for good. So after a silence the search goes as many rounds as
 * this many packets a second could have filled since the last packet that
 * decrypted well (several times what this machine carries), to
 * MPPE_RESYNC_MAX_WRAPS_LONG; the rounds beyond MPPE_RESYNC_MAX_WRAPS are
 * paid from the catch-up budget (16 key changes each; one trial decryption
 * each). */
#define MPPE_RESYNC_MAX_RATE 524288u
#define MPPE_RESYNC_MAX_WRAPS_LONG 4096u
/* Linux's rule (reset_changes_key): each lost FLUSHED packet was a key
 * change we cannot see; a resync tries up to this many extra (each one
 * SHA-1 + two RC4 set-ups, only when the first try decrypts garbage). */
#define MPPE_RESYNC_MAX_EXTRA 64u
/* The search beyond the computed key (extra changes, the first
 * MPPE_RESYNC_MAX_WRAPS rounds, the anchor's key and its search) is paid
 * from the catch-up budget too (issue 11 item 5: a forged FLUSHED count
 * jump bought 234 key changes); the long rounds (mppe_resync_wraps) leave
 * this much of it for the search from the anchor. */
#define MPPE_RESYNC_RESERVE (2u * (MPPE_RESYNC_MAX_EXTRA + (MPPE_RESYNC_MAX_WRAPS + 1u) * (MPPE_CCOUNT_SPACE / 256u) + 1u))
/* Linux's rule, issue 12 §2: every Reset-Request we send is answered by at
 * most one sender key change (its FLUSHED packet; requests that arrive
 * before the sender's next packet make one change together, RFC 1962 §3.1
 * only asks it to reset once). When those answers are lost (a long burst of
 * heavy loss, flag packets lost too) the key changes we did not see are at
 * most the Reset-Requests sent since a packet last decrypted well, so a
 * resync also searches that many (more than MPPE_RESYNC_MAX_EXTRA, to this
 * bound; beyond MPPE_RESYNC_MAX_EXTRA paid from the catch-up budget).
 * Before, the search stopped at 64 and, once more answers than that were
 * lost, every resync missed and the tunnel carried nothing for good. */
#define MPPE_RESYNC_MAX_RESETS 4096u

struct mppe_header {
	uint8_t bits;   /* MPPE_BIT_* */
	uint16_t ccount;
};

/* Parse the 2-byte header. 0 or ERR_TRUNCATED. */
int mppe_header_parse(const uint8_t *buf, size_t len, struct mppe_header *h);

struct mppe_config {
	unsigned key_bits;   /* 40, 56 or 128 */
	bool stateless;      /* CCP option bit H (RFC 3078 §2) */
	unsigned max_rekeys; /* per packet; 0: MPPE_DEFAULT_MAX_REKEYS */
	/* Stateful only: a FLUSHED packet also means a key change, as Linux's
	 * ppp_mppe does on both sides (it changes the key when it honours a
	 * Reset-Request, and changes it on every FLUSHED packet it receives).
	 * RFC 3078 §8.2 says re-initialise RC4 with the current key only; that
	 * is the default (false). Both ends must agree. mppe_channel never
	 * sets it with MPPC (Linux has no MPPC; issue 12 §2). */
	bool reset_changes_key;
	/* Stateful, no MPPC: after a small loss, find the lost bytes' length
	 * by trial (mppe_recover.h) instead of a Reset-Request round trip;
	 * and try the extra wraps on resynchronisation. Needs the plaintext
	 * to be IP, so never with MPPC (compressed payload). */
	bool recover;
};

/* One direction's keys: start key, current session key, RC4 tables. */
struct mppe_keystate {
	struct crypto_rc4 rc4;
	uint8_t start_key[MPPE_MAX_KEY_LEN];
	uint8_t session_key[MPPE_MAX_KEY_LEN];
	uint8_t key_len;
	uint16_t key_bits;
};

struct mppe_tx_stats {
	uint64_t packets;
	uint64_t bytes;
	uint64_t key_changes;
	uint64_t resets;      /* Reset-Requests honoured */
};

struct mppe_tx {
	struct mppe_keystate keys;
	bool stateless;
	bool reset_changes_key;
	bool reset_pending;   /* a Reset-Request came: flush on the next packet */
	uint16_t ccount;      /* of the last packet sent */
	struct mppe_tx_stats stats;
};

struct mppe_rx_stats {
	uint64_t packets;
	uint64_t bytes;
	uint64_t key_changes;
	uint64_t lost;            /* packets known missing by coherency count */
	uint64_t late;            /* stateless: behind us or duplicate, dropped */
	uint64_t discarded;       /* stateful: dropped while waiting for FLUSHED */
	uint64_t catching_up;     /* dropped while catching up a huge jump */
	uint64_t over_budget;     /* catch-up or resync search over the per-second budget */
	uint64_t malformed;
	uint64_t reset_requests;  /* times we asked the caller to send one */
	uint64_t recovered;       /* stateful: losses bridged without a reset (mppe_recover.h) */
	uint64_t wraps_found;     /* stateful: resyncs that needed extra key-change rounds */
	uint64_t lost_flushes_found; /* stateful, Linux's rule: resyncs that found lost key changes */
	uint64_t garbage;         /* packets that failed the protocol check, or FLUSHED ones that did not decompress */
	uint64_t trial_key_changes; /* stateful resync: key changes done for candidate keys */
	uint64_t anchor_resyncs;  /* resyncs found from the key before a (corrupted) count jump */
	uint64_t garbage_resyncs; /* runs of MPPE_GARBAGE_RUN of them: reset asked */
};

enum mppe_rx_state {
	MPPE_RX_SYNCED,     /* expecting ccount + 1 */
	MPPE_RX_DISCARDING, /* stateful: loss seen, waiting for a FLUSHED packet (RFC 3078 §8.2) */
};

struct mppe_rx {
	struct mppe_keystate keys;
	bool stateless;
	bool reset_changes_key;
	bool recover;
	/* Set by the MPPC channel after init: whether a decrypted FLUSHED
	 * packet (protocol + information, or MPPC data when bits has C) is a
	 * well-formed IP packet, so a resync can try keys on compressed
	 * packets too. NULL: only uncompressed packets are tried. */
	bool (*plain_ok)(void *ctx, const uint8_t *d, size_t len, uint8_t bits);
	void *plain_ok_ctx;
	enum mppe_rx_state state;
	unsigned max_rekeys;
	uint32_t catchup_tokens;   /* key changes the bucket can still pay */
	uint64_t catchup_refill_ms; /* when the bucket was last refilled */
	unsigned discard_run;  /* packets dropped in this DISCARDING run */
	unsigned garbage_run;  /* decrypted packets in a row failing the protocol check */
	unsigned lost_since_sync; /* packets lost since the last good one (stateful) */
	uint64_t last_reset_ms; /* when we last asked for a reset */
	/* Reset-Requests asked for since a packet last decrypted well: the
	 * most key changes a Linux-rule sender made that we did not see
	 * (MPPE_RESYNC_MAX_RESETS). */
	unsigned resets_unverified;
	uint64_t last_good_ms; /* when a packet last decrypted well (mppe_wraps.h) */
	uint16_t ccount;       /* of the packet the current key belongs to */
	/* Our count before the last resync moved it (mppe_rx_try_behind takes
	 * only packets after it: never one it already passed up). */
	uint16_t resync_from_ccount;
	/* The key before the count jump that started this discard run (a
	 * corrupted count's key changes cannot be undone): rx_resync. */
	struct mppe_keystate anchor;
	uint16_t anchor_ccount;
	bool has_anchor;
	struct mppe_rx_stats stats;
	const char *log_tag;   /* session name for log lines; may be NULL */
	struct log_limit log_limit;
};

/* What the receiver found, for the caller. */
struct mppe_rx_result {
	bool send_reset_request; /* send a CCP Reset-Request (RFC 1962 §5.7) */
	uint8_t bits;            /* the header bits (A/B/C/D) for MPPC */
	uint16_t ccount;
};

/* Initialise from a start key (16-byte buffer; 40/56-bit use 8 bytes).
 * The first session key is GetNewKeyFromSHA(start, start), reduced
 * (RFC 3079 §2/§3). Returns 0 or ERR_INVALID. */
int mppe_tx_init(struct mppe_tx *tx, const struct mppe_config *cfg, const uint8_t start_key[16]);
int mppe_rx_init(struct mppe_rx *rx, const struct mppe_config *cfg, const uint8_t start_key[16]);
/* Wipe keys. */
void mppe_tx_wipe(struct mppe_tx *tx);
void mppe_rx_wipe(struct mppe_rx *rx);

/* Whether the next packet sent will carry the FLUSHED bit (so MPPC must
 * reset its history for it): stateless, a pending Reset-Request, or a
 * stateful "flag" packet (low byte of the count 0xFF). */
bool mppe_tx_next_flushed(const struct mppe_tx *tx);
/* A CCP Reset-Request arrived (RFC 3078 §8.2): re-initialise the RC4
 * tables with the current session key and set FLUSHED on the next packet. */
void mppe_tx_reset_request(struct mppe_tx *tx);
/* Encrypt p's data in place and prepend the header. extra_bits: MPPC's
 * B/C bits, and A if MPPC reset its history (forces an RC4 re-init too,
 * since the bit is shared, RFC 3078 §3.1). 0 or ERR_NOSPACE (headroom). */
int mppe_tx_encrypt(struct mppe_tx *tx, struct pkt *p, uint8_t extra_bits);

/* Parse, check the count, change keys as needed and decrypt in place;
 * strips the header. Returns 0 (p holds protocol + information) or a
 * negative error when the packet must be dropped: ERR_TRUNCATED,
 * ERR_MALFORMED (D bit clear), ERR_LATE (stateless: behind/duplicate),
 * ERR_AGAIN (stateful: discarding, or catching up a jump),
 * ERR_OUT_OF_WINDOW (stateless: catch-up over the per-second budget). In every case
 * res tells whether to send a Reset-Request. */
int mppe_rx_decrypt(struct mppe_rx *rx, struct pkt *p, uint64_t now_ms, struct mppe_rx_result *res);

/* The plaintext of an accepted packet (after MPPC, if any): true when it
 * passes the protocol-field check. Otherwise counted as garbage, and the
 * MPPE_GARBAGE_RUN-th in a row of a stateful receiver starts a
 * resynchronisation (discard until FLUSHED) and sets
 * res->send_reset_request. The caller drops a packet that fails. */
bool mppe_rx_check_plaintext(struct mppe_rx *rx, const uint8_t *d, size_t len, uint64_t now_ms,
			     struct mppe_rx_result *res);
/* The same for a packet found garbage otherwise: a FLUSHED MPPC packet
 * that does not decompress (mppe_channel.c). */
void mppe_rx_note_garbage(struct mppe_rx *rx, uint64_t now_ms, struct mppe_rx_result *res);

#endif
