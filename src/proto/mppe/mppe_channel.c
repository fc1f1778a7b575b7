/* SPDX-License-Identifier: BSD-2-Clause */
/* Compression + encryption of one link: RFC 3078 with RFC 2118. */
#include "proto/mppe/mppe_channel.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/serial.h"
#include "proto/mppe/mppe_recover.h"

/* mppe_rx's plain_ok for MPPC (issue 12 §2): d is a decrypted FLUSHED
 * packet. Compressed, it starts a new history (RFC 2118 §3.1 bit A), so
 * the channel's scratch decompressor (ctx, allocated once with the
 * channel: this runs for each key tried, on the receive path) can expand
 * it on its own; what comes out must be IP. Only called while
 * resynchronising, when the first key tried gave garbage. */
static bool flushed_plain_ok(void *ctx, const uint8_t *d, size_t len, uint8_t bits)
{
	struct mppe_channel *ch = ctx;
	struct mppc_decompressor *scratch = ch->scratch;
	if (!(bits & MPPC_BIT_COMPRESSED)) {
		size_t head = len < MPPE_PLAUSIBLE_HEAD ? len : MPPE_PLAUSIBLE_HEAD;
		return mppe_payload_well_formed(d, head, len);
	}
	const uint8_t *out;
	size_t out_len;
	/* FLUSHED sets the history pointer to 0 and clears "broken"; copies
	 * from before the pointer are refused, so what an earlier try left
	 * in the history is never read. */
	bool ok = mppc_decompress(scratch, (uint8_t)(bits | MPPC_BIT_FLUSHED), d, len, ch->trial_max_out,
				  &out, &out_len) == 0;
	if (ok) {
		size_t head = out_len < MPPE_PLAUSIBLE_HEAD ? out_len : MPPE_PLAUSIBLE_HEAD;
		ok = mppe_payload_well_formed(out, head, out_len);
	}
	crypto_wipe(scratch->history, scratch->pos); /* a trial's plaintext */
	scratch->pos = 0;
	return ok;
}

int mppe_channel_init(struct mppe_channel *ch, const struct mppe_channel_config *cfg,
		      const uint8_t send_start_key[16], const uint8_t recv_start_key[16])
{
	if (ch == NULL || cfg == NULL)
		return ERR_INVALID;
	memset(ch, 0, sizeof(*ch));
	ch->cfg = *cfg;
	if (cfg->key_bits == 0 && !cfg->compress)
		return ERR_INVALID;
	if (cfg->key_bits != 0) {
		struct mppe_config mc = {
			.key_bits = cfg->key_bits,
			.stateless = cfg->stateless,
			.max_rekeys = cfg->max_rekeys,
			/* Linux's rule (a FLUSHED packet is a key change) is for
			 * MPPE alone (Linux's ppp_mppe has no MPPC). With MPPC
			 * nearly every packet is FLUSHED (RFC 2118 §3 "Data
			 * Expansion": a flush after each incompressible one), so
			 * under that rule a burst of lost packets hid how many
			 * key changes were missed and the receiver stayed on a
			 * wrong key for good (issue 12 §2). Here A re-inits RC4
			 * with the current key, RFC 3078 §3.1 bit A and §8.2, as
			 * Windows does: only flag packets change keys (§7.2) and
			 * the coherency count says how many were missed. */
			.reset_changes_key = cfg->reset_changes_key && !cfg->compress,
			/* The offset search reads IP headers: not in compressed data. */
			.recover = !cfg->compress,
		};
		int rc = mppe_tx_init(&ch->tx, &mc, send_start_key);
		if (rc == 0)
			rc = mppe_rx_init(&ch->rx, &mc, recv_start_key);
		if (rc == 0 && cfg->compress) {
			ch->scratch = malloc(sizeof(*ch->scratch));
			if (ch->scratch == NULL)
				rc = ERR_NOMEM;
		}
		if (rc == 0 && cfg->compress) {
			mppc_decompressor_init(ch->scratch);
			ch->rx.plain_ok = flushed_plain_ok;
			ch->rx.plain_ok_ctx = ch;
			ch->trial_max_out = PKT_SIZE; /* set per packet (mppe_channel_receive) */
		}
		if (rc < 0) {
			mppe_channel_wipe(ch);
			return rc;
		}
	}
	if (cfg->compress) {
		ch->comp = malloc(sizeof(*ch->comp));
		ch->decomp = malloc(sizeof(*ch->decomp));
		if (ch->comp == NULL || ch->decomp == NULL) {
			mppe_channel_wipe(ch);
			return ERR_NOMEM;
		}
		mppc_compressor_init(ch->comp);
		mppc_decompressor_init(ch->decomp);
	}
	ch->plain_tx_ccount = CCOUNT_MASK;
	ch->plain_rx_ccount = CCOUNT_MASK;
	return 0;
}

void mppe_channel_wipe(struct mppe_channel *ch)
{
	if (ch->comp != NULL)
		crypto_wipe(ch->comp, sizeof(*ch->comp));
	if (ch->decomp != NULL)
		crypto_wipe(ch->decomp, sizeof(*ch->decomp));
	if (ch->scratch != NULL)
		crypto_wipe(ch->scratch, sizeof(*ch->scratch));
	free(ch->comp);
	free(ch->decomp);
	free(ch->scratch);
	crypto_wipe(ch, sizeof(*ch));
}

void mppe_channel_reset_request(struct mppe_channel *ch)
{
	if (ch->cfg.key_bits != 0)
		mppe_tx_reset_request(&ch->tx);
	ch->plain_reset_pending = true;
}

static bool encrypting(const struct mppe_channel *ch)
{
	return ch->cfg.key_bits != 0;
}

int mppe_channel_send(struct mppe_channel *ch, struct pkt *p)
{
	uint8_t bits = 0;
	if (pkt_headroom(p) < MPPE_HEADER_LEN)
		return ERR_NOSPACE;
	if (ch->comp != NULL) {
		/* The A bit is shared (RFC 3078 §3.1): whenever MPPE will flush,
		 * MPPC resets its history for the same packet. */
		bool flush = encrypting(ch) ? mppe_tx_next_flushed(&ch->tx)
					    : (ch->cfg.stateless || ch->plain_reset_pending);
		size_t clen;
		size_t len = p->len;
		mppc_compress(ch->comp, pkt_data(p), len, pkt_data(p), flush, &bits, &clen);
		ch->stats.bytes_before += len;
		pkt_trim(p, clen);
		if (bits & MPPC_BIT_COMPRESSED) {
			ch->stats.compressed++;
		} else {
			ch->stats.not_compressed++;
		}
		ch->stats.bytes_after += p->len;
	}
	if (encrypting(ch))
		return mppe_tx_encrypt(&ch->tx, p, bits);

	/* MPPC only: header with D clear. */
	ch->plain_tx_ccount = (uint16_t)((ch->plain_tx_ccount + 1) & CCOUNT_MASK);
	if (ch->plain_reset_pending || ch->cfg.stateless)
		bits |= MPPC_BIT_FLUSHED;
	ch->plain_reset_pending = false;
	uint8_t *h = pkt_push(p, MPPE_HEADER_LEN);
	h[0] = (uint8_t)(bits | (ch->plain_tx_ccount >> 8));
	h[1] = (uint8_t)(ch->plain_tx_ccount & 0xFF);
	return 0;
}

/* RFC 2118 §4.3 for MPPC without MPPE: a count mismatch drops the packet
 * and asks for a reset; a FLUSHED packet resynchronises. */
static int plain_receive_header(struct mppe_channel *ch, struct pkt *p, bool *send_reset_request,
				uint8_t *bits)
{
	struct mppe_header h;
	if (mppe_header_parse(pkt_data(p), p->len, &h) < 0)
		return ERR_TRUNCATED;
	if (h.bits & MPPE_BIT_D)
		return ERR_MALFORMED; /* encrypted, but no MPPE was negotiated */
	pkt_pull(p, MPPE_HEADER_LEN);
	*bits = h.bits;
	uint16_t expected = (uint16_t)((ch->plain_rx_ccount + 1) & CCOUNT_MASK);
	if (h.bits & MPPC_BIT_FLUSHED) {
		ch->plain_rx_discarding = false;
	} else if (ch->plain_rx_discarding) {
		return ERR_AGAIN;
	} else if (h.ccount != expected) {
		ch->plain_rx_discarding = true;
		*send_reset_request = true;
		return ERR_AGAIN;
	}
	ch->plain_rx_ccount = h.ccount;
	return 0;
}

/* Issue 12 §2: a decrypted packet that is not IP is garbage (our RC4 state
 * is not the sender's); a run of them asks for a reset. */
static int check_plaintext(struct mppe_channel *ch, const struct pkt *p, uint64_t now_ms, bool *send_reset_request)
{
	if (!encrypting(ch))
		return 0;
	struct mppe_rx_result res = { 0 };
	bool ok = mppe_rx_check_plaintext(&ch->rx, pkt_data(p), p->len, now_ms, &res);
	if (res.send_reset_request)
		*send_reset_request = true;
	return ok ? 0 : ERR_MALFORMED;
}

/* RFC 2118 §4.3: the history is lost, ask the sender to flush. Ask when
 * it is first lost and when a FLUSHED packet (the answer) fails too; while
 * it stays lost, again every MPPE_RESET_REPEAT packets or
 * MPPE_RESET_RETRY_MS, as MPPE's discard state does (RFC 1962 §5.7 lets a
 * Reset-Request be repeated): the request or the answer may be lost or
 * corrupted (neither GRE nor PPP has a checksum), and nothing else would
 * ever flush. Sim seeds 357, 550, 729, 777, 888 stayed broken for ever. */
static bool decomp_reset_due(struct mppe_channel *ch, bool was_broken, uint8_t bits, uint64_t now_ms)
{
	if (!was_broken || (bits & MPPC_BIT_FLUSHED)) {
		ch->decomp_drop_run = 1;
		ch->decomp_reset_ms = now_ms;
		return true;
	}
	ch->decomp_drop_run++;
	if (ch->decomp_drop_run % MPPE_RESET_REPEAT != 0 && now_ms - ch->decomp_reset_ms < MPPE_RESET_RETRY_MS)
		return false;
	ch->decomp_reset_ms = now_ms;
	return true;
}

int mppe_channel_receive(struct mppe_channel *ch, struct pkt *p, uint64_t now_ms, bool *send_reset_request)
{
	uint8_t bits;
	int rc;
	*send_reset_request = false;
	if (encrypting(ch)) {
		struct mppe_rx_result res;
		/* What the live decompressor below gets (after the header). */
		ch->trial_max_out = p->cap - p->off > MPPE_HEADER_LEN ? p->cap - p->off - MPPE_HEADER_LEN : 0;
		rc = mppe_rx_decrypt(&ch->rx, p, now_ms, &res);
		*send_reset_request = res.send_reset_request;
		if (rc < 0)
			return rc;
		bits = res.bits;
	} else {
		rc = plain_receive_header(ch, p, send_reset_request, &bits);
		if (rc < 0)
			return rc;
	}
	if (ch->decomp == NULL) {
		if (bits & MPPC_BIT_COMPRESSED)
			return ERR_MALFORMED; /* compressed, but MPPC was not negotiated */
		return check_plaintext(ch, p, now_ms, send_reset_request);
	}
	const uint8_t *out;
	size_t out_len;
	size_t max_out = p->cap - p->off;
	bool was_broken = ch->decomp->broken;
	rc = mppc_decompress(ch->decomp, bits, pkt_data(p), p->len, max_out, &out, &out_len);
	if (rc < 0) {
		ch->stats.decompress_errors++;
		/* RFC 2118 §3.1 bit A: a FLUSHED packet is expanded from an
		 * empty history, so its failing says our RC4 key is not the
		 * sender's (or the packet was corrupted): garbage to MPPE, a
		 * run of which resynchronises and tries other keys (RFC 3078
		 * §8.2). Before, only MPPC asked for resets, and each FLUSHED
		 * answer met the same wrong key (sim seed 200479: 90 rounds).
		 * Stateless, every packet has its own key: nothing to find. */
		if (encrypting(ch) && !ch->cfg.stateless && (bits & MPPC_BIT_FLUSHED)) {
			struct mppe_rx_result res = { 0 };
			mppe_rx_note_garbage(&ch->rx, now_ms, &res);
			if (res.send_reset_request)
				*send_reset_request = true;
		}
		/* A stateless peer flushes every packet anyway. */
		if (!ch->cfg.stateless && decomp_reset_due(ch, was_broken, bits, now_ms))
			*send_reset_request = true;
		return rc;
	}
	if (out != pkt_data(p)) {
		memcpy(pkt_data(p), out, out_len);
	}
	p->len = out_len;
	return check_plaintext(ch, p, now_ms, send_reset_request);
}
