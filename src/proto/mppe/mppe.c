/* SPDX-License-Identifier: BSD-2-Clause */
/* MPPE encryption and decryption, RFC 3078. */
#include "proto/mppe/mppe.h"

#include <string.h>

#include "base/error.h"
#include "base/serial.h"
#include "proto/mppe/mppe_keystate.h"
#include "proto/mppe/mppe_recover.h"
#include "proto/mppe/mppe_trial.h"
#include "proto/mppe/mppe_wraps.h"

#define MPPE_LOG_TAG_DEFAULT "mppe"

int mppe_header_parse(const uint8_t *buf, size_t len, struct mppe_header *h)
{
	if (buf == NULL || len < MPPE_HEADER_LEN)
		return ERR_TRUNCATED;
	h->bits = buf[0] & MPPE_BITS_MASK;
	h->ccount = (uint16_t)(((buf[0] & 0x0F) << 8) | buf[1]);
	return 0;
}

int mppe_tx_init(struct mppe_tx *tx, const struct mppe_config *cfg, const uint8_t start_key[16])
{
	if (tx == NULL || cfg == NULL)
		return ERR_INVALID;
	memset(tx, 0, sizeof(*tx));
	int rc = mppe_keystate_init(&tx->keys, cfg->key_bits, start_key);
	if (rc < 0)
		return rc;
	tx->stateless = cfg->stateless;
	tx->reset_changes_key = cfg->reset_changes_key;
	/* The first packet carries count 0 (RFC 2118 §3.1 "This count starts
	 * at 0"); in stateless mode its key is already one change on. */
	tx->ccount = CCOUNT_MASK;
	return 0;
}

void mppe_tx_wipe(struct mppe_tx *tx)
{
	crypto_wipe(tx, sizeof(*tx));
}

bool mppe_tx_next_flushed(const struct mppe_tx *tx)
{
	uint16_t next = (uint16_t)((tx->ccount + 1) & CCOUNT_MASK);
	return tx->stateless || tx->reset_pending || mppe_ccount_is_flag(next);
}

void mppe_tx_reset_request(struct mppe_tx *tx)
{
	tx->reset_pending = true;
	tx->stats.resets++;
}

int mppe_tx_encrypt(struct mppe_tx *tx, struct pkt *p, uint8_t extra_bits)
{
	if (pkt_headroom(p) < MPPE_HEADER_LEN)
		return ERR_NOSPACE;
	uint16_t ccount = (uint16_t)((tx->ccount + 1) & CCOUNT_MASK);
	uint8_t bits = (uint8_t)((extra_bits & (MPPE_BIT_A | MPPE_BIT_B | MPPE_BIT_C)) | MPPE_BIT_D);

	if (tx->stateless || mppe_ccount_is_flag(ccount)) {
		/* RFC 3078 §7.1: new key for every packet; §7.2: and on a flag
		 * packet. The change re-initialises RC4, so say so with A (and
		 * MPPC, told by mppe_tx_next_flushed, reset its history). */
		mppe_keystate_change(&tx->keys, 1);
		tx->stats.key_changes++;
		bits |= MPPE_BIT_A;
	} else if (tx->reset_pending || (bits & MPPE_BIT_A)) {
		/* RFC 3078 §8.2: Reset-Request -> re-init RC4 with the current
		 * key (or, Linux-style, change the key). */
		if (tx->reset_changes_key) {
			mppe_keystate_change(&tx->keys, 1);
			tx->stats.key_changes++;
		} else {
			mppe_keystate_flush(&tx->keys);
		}
		bits |= MPPE_BIT_A;
	}
	tx->reset_pending = false;

	crypto_rc4_crypt(&tx->keys.rc4, pkt_data(p), pkt_data(p), p->len);
	tx->stats.packets++;
	tx->stats.bytes += p->len;
	tx->ccount = ccount;

	uint8_t *h = pkt_push(p, MPPE_HEADER_LEN);
	h[0] = (uint8_t)(bits | (ccount >> 8));
	h[1] = (uint8_t)(ccount & 0xFF);
	return 0;
}

int mppe_rx_init(struct mppe_rx *rx, const struct mppe_config *cfg, const uint8_t start_key[16])
{
	if (rx == NULL || cfg == NULL)
		return ERR_INVALID;
	memset(rx, 0, sizeof(*rx));
	int rc = mppe_keystate_init(&rx->keys, cfg->key_bits, start_key);
	if (rc < 0)
		return rc;
	rx->stateless = cfg->stateless;
	rx->reset_changes_key = cfg->reset_changes_key;
	rx->recover = cfg->recover && !cfg->stateless;
	rx->max_rekeys = cfg->max_rekeys ? cfg->max_rekeys : MPPE_DEFAULT_MAX_REKEYS;
	rx->catchup_tokens = MPPE_CATCHUP_PER_SECOND;
	rx->state = MPPE_RX_SYNCED;
	rx->ccount = CCOUNT_MASK; /* the first packet (count 0) is one ahead */
	rx->resync_from_ccount = CCOUNT_MASK;
	rx->log_limit = (struct log_limit)LOG_LIMIT_INIT(5, 10000);
	return 0;
}

void mppe_rx_wipe(struct mppe_rx *rx)
{
	crypto_wipe(rx, sizeof(*rx));
}

static const char *rx_tag(const struct mppe_rx *rx)
{
	return rx->log_tag ? rx->log_tag : MPPE_LOG_TAG_DEFAULT;
}

/* Ask for a Reset-Request (RFC 3078 §8.2), counted (resync_from); at the
 * bound none: a flag packet (§7.2) resynchronises within the search. */
static void rx_ask_reset(struct mppe_rx *rx, uint64_t now_ms, struct mppe_rx_result *res)
{
	if (rx->reset_changes_key && rx->resets_unverified >= MPPE_RESYNC_MAX_RESETS)
		return;
	rx->stats.reset_requests++;
	rx->resets_unverified++;
	rx->last_reset_ms = now_ms;
	res->send_reset_request = true;
}
static void rx_set_anchor(struct mppe_rx *rx);

/* RFC 3078 §8.1. */
static int rx_stateless(struct mppe_rx *rx, uint16_t ccount, uint64_t now_ms)
{
	uint16_t distance = ccount_forward(ccount, rx->ccount);
	if (distance == 0 || distance >= MPPE_STATELESS_WINDOW) {
		/* A duplicate or a packet from behind: its key is gone (and
		 * replaying it must not work). */
		rx->stats.late++;
		log_limited(&rx->log_limit, now_ms, LOG_LEVEL_DEBUG, rx_tag(rx),
			    "mppe: late packet, count %u while at %u, dropped", ccount, rx->ccount);
		return ERR_LATE;
	}
	if (distance > 1 && !rx->has_anchor)
		rx_set_anchor(rx); /* the jump may be a corrupted count */
	/* Every packet needs one key change; the rest catches up lost
	 * packets, and is what a forged count would make us pay. */
	uint32_t changes = distance > rx->max_rekeys ? rx->max_rekeys : distance;
	if (changes > 1 && !mppe_catchup_afford(rx, changes - 1u, now_ms)) {
		rx->stats.over_budget++;
		log_limited(&rx->log_limit, now_ms, LOG_LEVEL_INFO, rx_tag(rx),
			    "mppe: count %u is %u ahead, over the catch-up budget: dropped",
			    ccount, distance);
		return ERR_OUT_OF_WINDOW;
	}
	if (distance > rx->max_rekeys) {
		/* Bound the work per packet: change max_rekeys keys now, drop
		 * this packet, continue with the next one. */
		mppe_keystate_change(&rx->keys, rx->max_rekeys);
		rx->stats.key_changes += rx->max_rekeys;
		rx->stats.lost += rx->max_rekeys;
		rx->stats.catching_up++;
		rx->ccount = (uint16_t)((rx->ccount + rx->max_rekeys) & CCOUNT_MASK);
		log_limited(&rx->log_limit, now_ms, LOG_LEVEL_INFO, rx_tag(rx),
			    "mppe: coherency count jumped by %u, catching up", distance);
		return ERR_AGAIN;
	}
	mppe_keystate_change(&rx->keys, distance);
	rx->stats.key_changes += distance;
	rx->stats.lost += distance - 1u;
	rx->ccount = ccount;
	return 0;
}

/* The anchor: our key and count when a count jump ended SYNCED, kept to
 * the next resync, where its candidates are tried after the tracked key's.
 * Also in a garbage run: the garbage may be corrupted payload under the
 * right key (sim seeds 200479, 304949: one garbage packet, then a count
 * corrupted 1024 ahead; without the anchor every resync started a
 * count-space round ahead of the sender). A wrong key kept costs only the
 * anchor's search, paid from the catch-up budget. */
static void rx_set_anchor(struct mppe_rx *rx)
{
	rx->anchor = rx->keys;
	rx->anchor_ccount = rx->ccount;
	rx->has_anchor = true;
}

static void rx_drop_anchor(struct mppe_rx *rx)
{
	crypto_wipe(&rx->anchor, sizeof(rx->anchor));
	rx->has_anchor = false;
}

/* Stateless: a packet late only because a corrupted count took us ahead
 * (sim seeds 4306, 5846: "jumped by 257", then every real packet late
 * until the count came round): counted from the anchor, the key before
 * that jump, it is the next one. Taken when it decrypts well formed;
 * paid from the catch-up budget like any jump. */
static bool rx_stateless_from_anchor(struct mppe_rx *rx, uint16_t ccount, const uint8_t *ct, size_t len,
				     uint8_t bits, uint64_t now_ms)
{
	uint16_t distance = ccount_forward(ccount, rx->anchor_ccount);
	if (!rx->has_anchor || distance == 0 || distance > rx->max_rekeys ||
	    (distance > 1 && !mppe_catchup_afford(rx, distance - 1u, now_ms)))
		return false;
	struct mppe_keystate trial = rx->anchor;
	mppe_keystate_change(&trial, distance);
	bool ok = mppe_rx_decrypts_well(rx, &trial, ct, len, bits);
	if (ok) {
		rx->keys = trial;
		rx->ccount = ccount;
		rx->stats.key_changes += distance;
		rx->stats.late--; /* counted by rx_stateless, and it was not */
		rx->stats.anchor_resyncs++;
		rx_drop_anchor(rx);
	}
	crypto_wipe(&trial, sizeof(trial));
	return ok;
}

/* The key for the FLUSHED packet ccount, counted from base (the key of
 * base_ccount), into *out; false when the packet is checkable and no
 * candidate decrypts it well formed. */
static bool resync_from(struct mppe_rx *rx, const struct mppe_keystate *base, uint16_t base_ccount,
			uint16_t ccount, unsigned lost_before, const uint8_t *ct, size_t len, uint8_t bits,
			bool checkable, uint64_t now_ms, struct mppe_keystate *out, unsigned *total)
{
	uint16_t distance = ccount_forward(ccount, base_ccount);
	unsigned changes = mppe_flags_crossed(base_ccount, distance);
	if (rx->reset_changes_key && !mppe_ccount_is_flag(ccount))
		changes++; /* the sender's key change for the FLUSHED packet */
	*out = *base;
	mppe_keystate_change(out, changes);
	rx->stats.trial_key_changes += changes;
	*total = changes;
	if (!checkable || mppe_rx_decrypts_well(rx, out, ct, len, bits))
		return true;
	bool found = false;
	unsigned lost = lost_before + distance - 1u;
	unsigned extra_max = lost < MPPE_RESYNC_MAX_EXTRA ? lost : MPPE_RESYNC_MAX_EXTRA;
	if (!rx->reset_changes_key)
		extra_max = 0;
	/* The search beyond the computed key is what a forged FLUSHED count
	 * jump makes us pay (issue 11 item 5: 234 key changes a packet under
	 * Linux's rule): it draws on the catch-up budget. When the budget
	 * cannot pay, the computed key stands (RFC 3078 §8.2: a wrong one
	 * decrypts garbage, and the garbage run asks for a reset). */
	if (!mppe_catchup_afford(rx, extra_max + MPPE_RESYNC_MAX_WRAPS * (MPPE_CCOUNT_SPACE / 256u), now_ms)) {
		rx->stats.over_budget++;
		log_limited(&rx->log_limit, now_ms, LOG_LEVEL_INFO, rx_tag(rx),
			    "mppe: resync search for count %u over the catch-up budget: key as computed", ccount);
		return false;
	}
	struct mppe_keystate next = *out;
	/* Each unanswered Reset-Request may be a lost FLUSHED key change
	 * (MPPE_RESYNC_MAX_RESETS): searched when the budget pays. */
	unsigned resets = rx->resets_unverified < MPPE_RESYNC_MAX_RESETS ? rx->resets_unverified : MPPE_RESYNC_MAX_RESETS;
	if (rx->reset_changes_key && resets > extra_max && mppe_catchup_afford(rx, resets - extra_max, now_ms))
		extra_max = resets;
	for (unsigned k = 1; k <= extra_max && !found; k++) {
		mppe_keystate_change(&next, 1);
		rx->stats.trial_key_changes++;
		found = mppe_rx_decrypts_well(rx, &next, ct, len, bits);
		if (found) {
			*out = next;
			*total = changes + k;
			rx->stats.lost_flushes_found++;
		}
	}
	next = *out;
	unsigned wraps = found ? 0 : mppe_resync_wraps(rx, now_ms);
	for (unsigned w = 1; w <= wraps && !found; w++) {
		mppe_keystate_change(&next, MPPE_CCOUNT_SPACE / 256u);
		rx->stats.trial_key_changes += MPPE_CCOUNT_SPACE / 256u;
		if (mppe_rx_decrypts_well(rx, &next, ct, len, bits)) {
			*out = next;
			*total = changes + w * (MPPE_CCOUNT_SPACE / 256u);
			rx->stats.wraps_found++;
			found = true;
		}
	}
	crypto_wipe(&next, sizeof(next));
	return found;
}

/* RFC 3078 §8.2: take the sender's FLUSHED packet with count ccount: redo
 * the key changes of the flag packets since our last one, re-init RC4.
 * When the packet is checkable (not compressed) and does not decrypt well
 * formed under that key, two unknowns are tried (issue 12 §2):
 * - Linux's rule (never with MPPC: mppe_channel.c): every lost packet may
 *   have been FLUSHED, a key change each, so up to MPPE_RESYNC_MAX_EXTRA
 *   more changes, or as many as our unanswered Reset-Requests;
 * - one, two, three count-space rounds (16 key changes each) further on,
 *   more after a long silence (mppe_resync_wraps): more than 4096 packets
 *   lost in a row look like a small gap.
 * Before all that, a packet a little behind us is tried with our key
 * (mppe_rx_try_behind: the count we took last was a corrupted one). After,
 * the same from the anchor: the jump that ended SYNCED may have been a
 * corrupted count, its key changes never the sender's (seeds 550, 729). */
static void rx_resync(struct mppe_rx *rx, uint16_t ccount, const uint8_t *ct, size_t len, uint8_t bits,
		      bool checkable, uint64_t now_ms)
{
	struct mppe_keystate trial;
	unsigned total;
	bool found = checkable && mppe_rx_try_behind(rx, ccount, ct, len, bits, &trial, &total);
	if (found)
		rx->stats.anchor_resyncs++;
	else
		found = resync_from(rx, &rx->keys, rx->ccount, ccount, rx->lost_since_sync, ct, len, bits, checkable,
				    now_ms, &trial, &total);
	struct mppe_keystate from_anchor;
	unsigned t2;
	/* The anchor's computed key is a candidate too: paid like the search
	 * (at most one flag packet a count-space round, plus Linux's change). */
	if (!found && rx->has_anchor && mppe_catchup_afford(rx, MPPE_CCOUNT_SPACE / 256u + 1u, now_ms) &&
	    resync_from(rx, &rx->anchor, rx->anchor_ccount, ccount, 0, ct, len, bits, checkable, now_ms,
			&from_anchor, &t2)) {
		trial = from_anchor;
		total = t2;
		rx->stats.anchor_resyncs++;
		found = true;
	}
	crypto_wipe(&from_anchor, sizeof(from_anchor));
	rx->keys = trial;
	crypto_wipe(&trial, sizeof(trial));
	rx->stats.key_changes += total;
	rx->resync_from_ccount = rx->ccount;
	rx->ccount = ccount;
	rx->state = MPPE_RX_SYNCED;
	rx->discard_run = 0;
	rx->garbage_run = 0;
	rx->lost_since_sync = 0;
	/* Found: the anchor is done with. Not found, the FLUSHED packet's own
	 * count may be the corrupted one (with MPPC nearly every packet is
	 * FLUSHED): its key changes were never the sender's and keys only go
	 * forward, so keep the key from before the jump for the next resync
	 * (sim seed 30268: "resynced" a round ahead, garbage for good). */
	if (found)
		rx_drop_anchor(rx);
}

/* Discarding: follow the sender's key changes at the flag packets that go
 * by (dropped or lost), so that a long discard run, longer than the count
 * space, still resynchronises to the right key (RFC 3078 §7.2: every flag
 * packet changes the key whether or not we decrypt it). */
static void rx_track(struct mppe_rx *rx, uint16_t ccount)
{
	uint16_t distance = ccount_forward(ccount, rx->ccount);
	if (distance == 0 || distance >= MPPE_STATELESS_WINDOW)
		return; /* from behind: nothing to follow */
	unsigned changes = mppe_flags_crossed(rx->ccount, distance);
	if (changes > 0) {
		/* Nothing checks a count (RFC 3078 §8.2 drops the packet
		 * unread) and key changes cannot be undone: from a corrupted
		 * one we would be ahead of the sender for good. Keep the key
		 * from before as the anchor rx_resync also tries (sim seed
		 * 200479: count 6 read as 262, every resync 16 key changes
		 * ahead without it). */
		if (!rx->has_anchor)
			rx_set_anchor(rx);
		mppe_keystate_change(&rx->keys, changes);
		rx->stats.key_changes += changes;
	}
	rx->lost_since_sync += distance - 1u;
	rx->ccount = ccount;
}

/* A gap of distance - 1 lost packets before ccount, which is not FLUSHED:
 * find the lost bytes (mppe_recover.h) and continue the stream. The lost
 * span may hold flag packets (each a key change and RC4 re-init, §7.2) or
 * a FLUSHED packet (re-init with the current key, §8.2, or a key change
 * for Linux peers). True when the stream is found again. */
static bool rx_recover(struct mppe_rx *rx, uint16_t ccount, uint16_t distance, const uint8_t *ct, size_t len)
{
	unsigned lost = (unsigned)distance - 1u;
	if (!rx->recover || lost == 0 || lost > MPPE_RECOVER_MAX_LOST)
		return false;
	unsigned flags = mppe_flags_crossed(rx->ccount, (uint16_t)lost);
	size_t max_bytes = (size_t)lost * MPPE_RECOVER_MAX_PACKET;
	for (int attempt = 0; attempt < 2; attempt++) {
		struct mppe_keystate trial = rx->keys;
		unsigned changes = flags;
		bool restarted = flags > 0;
		if (attempt == 1) {
			/* A lost FLUSHED packet restarted the stream. */
			if (rx->reset_changes_key)
				changes++;
			restarted = true;
		}
		if (changes > 0)
			mppe_keystate_change(&trial, changes);
		else if (restarted)
			mppe_keystate_flush(&trial);
		/* From a restart at least the restarting packet was lost;
		 * otherwise every lost packet went through this stream. */
		size_t min_bytes = restarted ? MPPE_RECOVER_MIN_PACKET : (size_t)lost * MPPE_RECOVER_MIN_PACKET;
		size_t skip;
		bool found = mppe_recover_offset(&trial.rc4, ct, len, min_bytes, max_bytes, &skip) == 0;
		if (found) {
			mppe_rc4_skip(&trial.rc4, skip);
			rx->keys = trial;
			rx->stats.key_changes += changes;
			rx->stats.recovered++;
			rx->ccount = ccount;
		}
		crypto_wipe(&trial, sizeof(trial));
		if (found)
			return true;
	}
	return false;
}

/* The next packet says FLUSHED, a key change under Linux's rule. Nothing
 * checks the A bit: from a corrupted header the change would put us a key
 * ahead for good (seed 357). So change only when the packet decrypts well
 * formed; else drop it as garbage, key kept. Each refused one since the
 * last good packet may have been a real change (payload corrupted): the
 * search goes that many changes further. */
static int rx_flushed_key_change(struct mppe_rx *rx, uint16_t ccount, const uint8_t *ct, size_t len, uint8_t bits,
				 uint64_t now_ms)
{
	struct mppe_keystate trial = rx->keys;
	unsigned total = 1;
	mppe_keystate_change(&trial, 1);
	bool ok = mppe_rx_decrypts_well(rx, &trial, ct, len, bits);
	/* The wider search is paid from the catch-up budget, in resync_from
	 * (issue 11 item 5: forged in-sequence packets must not buy unbounded
	 * key changes). */
	if (!ok)
		ok = resync_from(rx, &rx->keys, rx->ccount, ccount, rx->garbage_run, ct, len, bits, true, now_ms,
				 &trial, &total);
	if (ok) {
		rx->keys = trial;
		rx->stats.key_changes += total;
		rx->garbage_run = 0;
	} else {
		rx->stats.garbage++;
		rx->garbage_run++;
	}
	crypto_wipe(&trial, sizeof(trial));
	rx->ccount = ccount;
	return ok ? 0 : ERR_MALFORMED;
}

static int rx_stateful(struct mppe_rx *rx, uint16_t ccount, uint8_t bits, const uint8_t *ct, size_t len,
		       uint64_t now_ms, struct mppe_rx_result *res)
{
	bool flushed = (bits & MPPE_BIT_A) != 0;
	/* The plaintext can be checked when it is IP: not MPPC-compressed. */
	bool checkable = rx->recover || !(bits & MPPE_BIT_C) || rx->plain_ok != NULL;
	uint16_t distance = ccount_forward(ccount, rx->ccount);
	if (rx->state == MPPE_RX_SYNCED) {
		if (distance == 1) {
			if (flushed && rx->reset_changes_key && !mppe_ccount_is_flag(ccount) && checkable)
				return rx_flushed_key_change(rx, ccount, ct, len, bits, now_ms);
			if (mppe_ccount_is_flag(ccount) || (flushed && rx->reset_changes_key)) {
				mppe_keystate_change(&rx->keys, 1); /* §7.2 */
				rx->stats.key_changes++;
			} else if (flushed) {
				mppe_keystate_flush(&rx->keys);     /* §3.1 bit A */
			}
			rx->ccount = ccount;
			return 0;
		}
		if (distance == 0) {
			/* Duplicate: do not let it force a reset; the RC4
			 * stream has not moved. */
			rx->stats.late++;
			return ERR_LATE;
		}
		/* Any other distance is loss: GRE has already dropped what came
		 * late or twice, and a jump of 2048..4095 taken as "late" (as
		 * before issue 12 §2) dropped everything silently until the
		 * count came round to "in sequence", 16 key changes behind:
		 * garbage for ever on a link that looked up. */
		rx->stats.lost += distance - 1u;
		/* An anchor still held is older than anything read well
		 * since (a plausible packet drops it): keep it. */
		if (!rx->has_anchor)
			rx_set_anchor(rx);
		if (flushed) {
			/* The sender re-initialised anyway: resync now. */
			rx_resync(rx, ccount, ct, len, bits, checkable, now_ms);
			return 0;
		}
		if (rx_recover(rx, ccount, distance, ct, len)) {
			rx_drop_anchor(rx);
			return 0;
		}
		/* §8.2: drop, send a Reset-Request, discard until FLUSHED. */
		rx_track(rx, ccount);
		rx->state = MPPE_RX_DISCARDING;
		rx->discard_run = 1;
		rx->stats.discarded++;
		rx_ask_reset(rx, now_ms, res);
		log_limited(&rx->log_limit, now_ms, LOG_LEVEL_INFO, rx_tag(rx),
			    "mppe: %u packet(s) lost before count %u, sending Reset-Request",
			    distance - 1u, ccount);
		return ERR_AGAIN;
	}
	/* MPPE_RX_DISCARDING */
	if (!flushed) {
		rx_track(rx, ccount);
		rx->stats.discarded++;
		rx->discard_run++;
		/* Our Reset-Request may have been lost: ask again. */
		if (rx->discard_run % MPPE_RESET_REPEAT == 0 || now_ms - rx->last_reset_ms >= MPPE_RESET_RETRY_MS)
			rx_ask_reset(rx, now_ms, res);
		return ERR_AGAIN;
	}
	rx_resync(rx, ccount, ct, len, bits, checkable, now_ms);
	return 0;
}

bool mppe_rx_check_plaintext(struct mppe_rx *rx, const uint8_t *d, size_t len, uint64_t now_ms,
			     struct mppe_rx_result *res)
{
	if (mppe_payload_plausible(d, len)) {
		rx->garbage_run = 0;
		rx->last_good_ms = now_ms;
		rx->resets_unverified = 0; /* in step: every key change seen */
		if (rx->has_anchor)
			rx_drop_anchor(rx); /* the stream is read well: no jump to undo */
		return true;
	}
	mppe_rx_note_garbage(rx, now_ms, res);
	return false;
}

void mppe_rx_note_garbage(struct mppe_rx *rx, uint64_t now_ms, struct mppe_rx_result *res)
{
	rx->stats.garbage++;
	rx->garbage_run++;
	if (rx->stateless || rx->garbage_run < MPPE_GARBAGE_RUN)
		return;
	/* Issue 12 §2: never stay up and silent on a stream we cannot read. */
	rx->garbage_run = 0;
	/* How far our key is off is unknown: let the resync search widest. */
	rx->lost_since_sync = MPPE_RESYNC_MAX_EXTRA;
	rx->stats.garbage_resyncs++;
	rx->state = MPPE_RX_DISCARDING;
	rx->discard_run = 1;
	rx_ask_reset(rx, now_ms, res);
	log_limited(&rx->log_limit, now_ms, LOG_LEVEL_WARN, rx_tag(rx),
		    "mppe: %u packets in a row decrypted to garbage (count %u): resynchronising",
		    MPPE_GARBAGE_RUN, rx->ccount);
}

int mppe_rx_decrypt(struct mppe_rx *rx, struct pkt *p, uint64_t now_ms, struct mppe_rx_result *res)
{
	struct mppe_header h;
	memset(res, 0, sizeof(*res));
	int rc = mppe_header_parse(pkt_data(p), p->len, &h);
	if (rc < 0 || p->len == MPPE_HEADER_LEN) {
		rx->stats.malformed++;
		log_limited(&rx->log_limit, now_ms, LOG_LEVEL_INFO, rx_tag(rx),
			    "mppe: packet of %zu bytes too short, dropped", p->len);
		return ERR_TRUNCATED;
	}
	res->bits = h.bits;
	res->ccount = h.ccount;
	if (!(h.bits & MPPE_BIT_D)) {
		/* RFC 3078 §3.1 bit D: not encrypted. MPPE was negotiated, so
		 * plaintext here is refused, never passed up. */
		rx->stats.malformed++;
		log_limited(&rx->log_limit, now_ms, LOG_LEVEL_INFO, rx_tag(rx),
			    "mppe: unencrypted packet (bit D clear) on an encrypted link, dropped");
		return ERR_MALFORMED;
	}
	if (rx->stateless) {
		rc = rx_stateless(rx, h.ccount, now_ms);
		if (rc == ERR_LATE && rx_stateless_from_anchor(rx, h.ccount, pkt_data(p) + MPPE_HEADER_LEN,
							       p->len - MPPE_HEADER_LEN, h.bits, now_ms))
			rc = 0;
	} else
		rc = rx_stateful(rx, h.ccount, h.bits, pkt_data(p) + MPPE_HEADER_LEN,
				 p->len - MPPE_HEADER_LEN, now_ms, res);
	if (rc < 0)
		return rc;
	pkt_pull(p, MPPE_HEADER_LEN);
	crypto_rc4_crypt(&rx->keys.rc4, pkt_data(p), pkt_data(p), p->len);
	rx->stats.packets++;
	rx->stats.bytes += p->len;
	return 0;
}
