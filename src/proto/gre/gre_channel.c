/* SPDX-License-Identifier: BSD-2-Clause */
#include "proto/gre/gre_channel.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/serial.h"
#include "base/time.h"

#define SLOT_MASK (GRE_REORDER_SLOTS - 1u)
#define LOG_TAG(ch) ((ch)->cfg.tag ? (ch)->cfg.tag : "gre")

void gre_channel_config_default(struct gre_channel_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->local_recv_window = GRE_DEFAULT_LOCAL_WINDOW;
	cfg->ack_delay_ms = GRE_DEFAULT_ACK_DELAY_MS;
	cfg->reorder_timeout_ms = GRE_DEFAULT_REORDER_TIMEOUT_MS;
	cfg->reorder_max = GRE_DEFAULT_REORDER_MAX;
}

int gre_channel_init(struct gre_channel *ch, const struct gre_channel_config *cfg)
{
	if (!cfg)
		return ERR_INVALID;
	memset(ch, 0, sizeof(*ch));
	ch->cfg = *cfg;
	/* The ring holds at most SLOTS - 1 packets ahead of the gap. */
	if (ch->cfg.reorder_max > GRE_REORDER_SLOTS - 1)
		ch->cfg.reorder_max = GRE_REORDER_SLOTS - 1;
	if (ch->cfg.local_recv_window == 0)
		ch->cfg.local_recv_window = GRE_DEFAULT_LOCAL_WINDOW;
	/* GRE_QUIRK_ZERO_RECEIVE_WINDOW: a peer window of 0 would mean "send
	 * nothing", which no working peer wants. */
	ch->send_window = cfg->peer_recv_window ? cfg->peer_recv_window : GRE_DEFAULT_PEER_WINDOW;
	ch->tx_next_seq = 0;
	ch->tx_acked = UINT32_MAX;  /* = tx_next_seq - 1: nothing outstanding */
	ch->gap_deadline = DEADLINE_NONE;
	ch->ack_deadline = DEADLINE_NONE;
	ch->log_limit = (struct log_limit)LOG_LIMIT_INIT(5, 10000);
	ch->jump_window = ch->cfg.local_recv_window;
	if (ch->jump_window < GRE_REORDER_SLOTS)
		ch->jump_window = GRE_REORDER_SLOTS;
	if (ch->jump_window > GRE_JUMP_WINDOW_MAX)
		ch->jump_window = GRE_JUMP_WINDOW_MAX;
	return 0;
}

static void free_pkt(struct gre_channel *ch, struct pkt *p)
{
	if (!p)
		return;
	if (ch->cfg.free_pkt)
		ch->cfg.free_pkt(ch->cfg.ctx, p);
	else
		pkt_free(p);
}

void gre_channel_destroy(struct gre_channel *ch)
{
	for (uint32_t i = 0; ch->slots && i < GRE_REORDER_SLOTS; i++)
		free_pkt(ch, ch->slots[i].p);
	free(ch->slots);
	ch->slots = NULL;
	ch->held = 0;
	ch->gap_deadline = DEADLINE_NONE;
}

void gre_channel_count_error(struct gre_channel *ch, int err)
{
	gre_error_count(&ch->stats.malformed, err);
}

/* ---- send ---- */

int gre_channel_send(struct gre_channel *ch, struct pkt *p, uint64_t now_ms)
{
	(void)now_ms;
	if (p->len == 0 || p->len > UINT16_MAX)
		return ERR_INVALID;
	/* RFC 2637 §4.2.1: "The transmitter stops sending packets when the
	 * number of packets awaiting acknowledgment is equal to the current
	 * window size." Our default sends anyway and counts (docs/gre.md). */
	if (gre_channel_outstanding(ch) >= ch->send_window) {
		if (ch->cfg.enforce_send_window) {
			ch->stats.tx_window_drops++;
			return ERR_LIMIT;
		}
		ch->stats.tx_over_window++;
	}
	struct gre_header h = {
		.has_seq = true,
		.has_ack = ch->ack_pending,
		.call_id = ch->cfg.peer_call_id,
		.seq = ch->tx_next_seq,
		.ack = ch->rx_highest,
	};
	int hlen = gre_header_push(p, &h);
	if (hlen < 0)
		return hlen;
	ch->tx_next_seq++;
	ch->stats.tx_packets++;
	if (h.has_ack) {
		/* RFC 2637 §4.2: acknowledgments piggybacked on data. */
		ch->ack_pending = false;
		ch->ack_unsent = 0;
		ch->ack_deadline = DEADLINE_NONE;
		ch->stats.acks_piggybacked++;
	}
	return 0;
}

static void send_ack_only(struct gre_channel *ch)
{
	struct pkt p;
	pkt_init(&p, ch->ack_storage, sizeof(ch->ack_storage), GRE_ACK_HEADROOM);
	struct gre_header h = {
		.has_ack = true,
		.call_id = ch->cfg.peer_call_id,
		.ack = ch->rx_highest,
	};
	if (gre_header_push(&p, &h) < 0)
		return;
	ch->ack_pending = false;
	ch->ack_unsent = 0;
	ch->ack_deadline = DEADLINE_NONE;
	ch->stats.acks_sent++;
	if (ch->cfg.output)
		ch->cfg.output(ch->cfg.ctx, &p);
}

/* ---- receive ---- */

static void take_ack(struct gre_channel *ch, uint32_t ack, uint64_t now_ms)
{
	uint32_t last_sent = ch->tx_next_seq - 1u;
	ch->stats.acks_received++;
	/* RFC 2637 §4.2.5: everything up to the ack is acknowledged. */
	if (seq32_after(ack, last_sent)) {
		ch->stats.acks_invalid++;
		log_limited(&ch->log_limit, now_ms, LOG_LEVEL_DEBUG, LOG_TAG(ch),
			    "GRE ack %u for a packet never sent (last %u)", ack, last_sent);
		return;
	}
	if (seq32_after(ack, ch->tx_acked))
		ch->tx_acked = ack;
}

static void owe_ack(struct gre_channel *ch, uint32_t seq, uint64_t now_ms)
{
	/* RFC 2637 §4.3: the receiver acknowledges the highest number seen,
	 * even across a gap; that keeps the sender's window open. */
	if (seq32_after(seq, ch->rx_highest))
		ch->rx_highest = seq;
	ch->ack_pending = true;
	ch->ack_unsent++;
	uint32_t half = ch->cfg.local_recv_window / 2u;
	if (ch->ack_unsent >= (half ? half : 1u))
		ch->ack_deadline = now_ms;  /* half our window unacked: now */
	else if (ch->ack_deadline == DEADLINE_NONE)
		ch->ack_deadline = now_ms + ch->cfg.ack_delay_ms;
}

static void history_shift(struct gre_channel *ch, uint32_t n, bool delivered)
{
	if (n >= 64)
		ch->rx_history = 0;
	else
		ch->rx_history <<= n;
	if (delivered)
		ch->rx_history |= 1u;
}

static void deliver(struct gre_channel *ch, struct pkt *p, uint64_t now_ms)
{
	ch->rx_expected++;
	history_shift(ch, 1, true);
	ch->stats.rx_accepted++;
	if (ch->cfg.deliver)
		ch->cfg.deliver(ch->cfg.ctx, p, now_ms);
	else
		free_pkt(ch, p);
}

/* Deliver the held packets that now follow in order. */
static void drain(struct gre_channel *ch, uint64_t now_ms)
{
	while (ch->held > 0) {
		struct gre_reorder_slot *s = &ch->slots[ch->rx_expected & SLOT_MASK];
		if (!s->p || s->seq != ch->rx_expected)
			break;
		struct pkt *p = s->p;
		s->p = NULL;
		ch->held--;
		deliver(ch, p, now_ms);
	}
}

/* Skip n missing sequence numbers: they are lost. */
static void skip(struct gre_channel *ch, uint32_t n)
{
	ch->stats.rx_lost += n;
	ch->rx_expected += n;
	history_shift(ch, n, false);
}

/* Distance from rx_expected to the first held packet, 0 when none. */
static uint32_t first_held(const struct gre_channel *ch)
{
	if (ch->held == 0)
		return 0;
	for (uint32_t d = 1; d < GRE_REORDER_SLOTS; d++) {
		const struct gre_reorder_slot *s = &ch->slots[(ch->rx_expected + d) & SLOT_MASK];
		if (s->p && s->seq == ch->rx_expected + d)
			return d;
	}
	return 0;
}

/* Give up the gap before the first held packet and deliver the run that
 * follows it. */
static void give_up_gap(struct gre_channel *ch, uint64_t now_ms)
{
	uint32_t d = first_held(ch);
	if (d == 0) {
		/* Unreachable while held packets stay within the ring. */
		gre_channel_destroy(ch);
		return;
	}
	skip(ch, d);
	drain(ch, now_ms);
}

static void update_gap_deadline(struct gre_channel *ch)
{
	uint64_t oldest = DEADLINE_NONE;
	if (ch->held > 0) {
		for (uint32_t i = 0; i < GRE_REORDER_SLOTS; i++)
			if (ch->slots[i].p && ch->slots[i].arrived_ms < oldest)
				oldest = ch->slots[i].arrived_ms;
	}
	ch->gap_deadline = oldest == DEADLINE_NONE ? DEADLINE_NONE : oldest + ch->cfg.reorder_timeout_ms;
}

/* A run of packets that agree on a new position: true once `need` of them
 * in a row each land 1..max_step past the one before (far_agree counts the
 * run, far_last is its last packet; a packet at or past rx_expected ends
 * it). Far packets may skip a ring (max_step GRE_REORDER_SLOTS, need
 * GRE_RESYNC_AGREE); late ones inside the window must follow one another
 * exactly (max_step 1, need GRE_LATE_AGREE). */
static bool run_agreed(struct gre_channel *ch, uint32_t seq, uint32_t max_step, uint32_t need)
{
	int32_t step = seq32_diff(seq, ch->far_last);
	bool follows = ch->far_agree > 0 && step > 0 && (uint32_t)step <= max_step;
	ch->far_agree = follows ? ch->far_agree + 1u : 1u;
	ch->far_last = seq;
	if (ch->far_agree < need)
		return false;
	ch->far_agree = 0;
	return true;
}

/* The agreed position is behind us: what we took before it (and hold)
 * came from somewhere else. Start again at seq. */
static void resync_back(struct gre_channel *ch, uint32_t seq)
{
	for (uint32_t i = 0; ch->slots && i < GRE_REORDER_SLOTS; i++) {
		if (!ch->slots[i].p)
			continue;
		free_pkt(ch, ch->slots[i].p);
		ch->slots[i].p = NULL;
		ch->stats.rx_out_of_window++;
	}
	ch->held = 0;
	ch->gap_deadline = DEADLINE_NONE;
	ch->rx_expected = seq;
	ch->rx_highest = seq - 1u;
	ch->rx_history = 0;
}

static int receive_data(struct gre_channel *ch, uint32_t seq, struct pkt *p, uint64_t now_ms)
{
	if (!ch->rx_started) {
		/* RFC 2637 §4.1 says numbering starts at zero, but pptp-linux
		 * sends 1 first (capture): take whatever comes first. */
		ch->rx_started = true;
		ch->rx_expected = seq;
		ch->rx_highest = seq - 1u;
	}
	int32_t d = seq32_diff(seq, ch->rx_expected);
	uint32_t dist = d < 0 ? (uint32_t)(-(int64_t)d) : (uint32_t)d;
	if (dist > ch->jump_window) {
		/* RFC 2637 §4.3: out-of-sequence packets may be discarded; one
		 * far packet (a spoof with the right source and call ID, say)
		 * must not make the real stream late. */
		if (!run_agreed(ch, seq, GRE_REORDER_SLOTS, GRE_RESYNC_AGREE)) {
			free_pkt(ch, p);
			ch->stats.rx_out_of_window++;
			log_limited(&ch->log_limit, now_ms, LOG_LEVEL_DEBUG, LOG_TAG(ch),
				    "GRE seq %u is %d from the expected %u: ignored",
				    seq, d, ch->rx_expected);
			return ERR_OUT_OF_WINDOW;
		}
		ch->stats.rx_resyncs++;
		log_limited(&ch->log_limit, now_ms, LOG_LEVEL_INFO, LOG_TAG(ch),
			    "GRE sequence resynchronised from %u to %u",
			    ch->rx_expected, seq);
		if (d < 0) {
			resync_back(ch, seq);
			d = 0;
		}
		/* Forward: the gap before seq is given up below. */
	} else if (d >= 0) {
		ch->far_agree = 0;  /* the stream we follow is alive */
	}

	/* Fast path: in order, nothing held. */
	if (d == 0 && ch->held == 0) {
		owe_ack(ch, seq, now_ms);
		deliver(ch, p, now_ms);
		return 0;
	}
	if (d < 0) {
		/* RFC 2637 §4.3: out-of-sequence and duplicate packets are
		 * silently discarded. */
		uint32_t back = (uint32_t)(-(int64_t)d) - 1u;
		bool seen = back < 64 && (ch->rx_history >> back) & 1u;
		if (!seen && back < 64 && run_agreed(ch, seq, 1, GRE_LATE_AGREE)) {
			/* GRE_LATE_AGREE late packets in a row, one after the
			 * other, none delivered before and nothing at or past
			 * rx_expected between them: our position came from one
			 * corrupted (or forged) sequence number ahead of the
			 * stream, taken as a loss because it was inside the
			 * window. GRE has no checksum: one flipped bit put us 32
			 * or 64 ahead and that many real packets were dropped as
			 * late (sim seeds 15744, 24430, 24637, 40092). Follow
			 * the stream, as for a far jump. */
			ch->stats.rx_resyncs++;
			log_limited(&ch->log_limit, now_ms, LOG_LEVEL_INFO, LOG_TAG(ch),
				    "GRE sequence resynchronised back from %u to %u", ch->rx_expected, seq);
			resync_back(ch, seq);
			owe_ack(ch, seq, now_ms);
			deliver(ch, p, now_ms);
			return 0;
		}
		free_pkt(ch, p);
		if (seen) {
			ch->stats.rx_duplicate++;
			return ERR_DUPLICATE;
		}
		ch->stats.rx_late++;
		return ERR_LATE;
	}
	if (d > 0 && (uint32_t)d < GRE_REORDER_SLOTS && ch->slots) {
		const struct gre_reorder_slot *s = &ch->slots[seq & SLOT_MASK];
		if (s->p && s->seq == seq) {
			free_pkt(ch, p);
			ch->stats.rx_duplicate++;
			return ERR_DUPLICATE;
		}
	}
	owe_ack(ch, seq, now_ms);

	/* Make room: the packet must fall inside the ring and the held count
	 * must stay under reorder_max, so give gaps up oldest first. */
	while (d > 0 && ((uint32_t)d >= GRE_REORDER_SLOTS || ch->held >= ch->cfg.reorder_max)) {
		uint32_t first = first_held(ch);
		if (first != 0 && first < (uint32_t)d)
			give_up_gap(ch, now_ms);
		else
			skip(ch, (uint32_t)d);   /* the new packet ends the gap */
		d = seq32_diff(seq, ch->rx_expected);
	}
	if (d != 0 && !ch->slots && !(ch->slots = calloc(GRE_REORDER_SLOTS, sizeof(*ch->slots)))) {
		/* No memory for the ring: the packet is lost, as if dropped
		 * on the way (the gap is given up by the next one in order). */
		free_pkt(ch, p);
		return ERR_NOMEM;
	}
	if (d == 0) {
		deliver(ch, p, now_ms);
		drain(ch, now_ms);
	} else {
		struct gre_reorder_slot *s = &ch->slots[seq & SLOT_MASK];
		s->p = p;
		s->seq = seq;
		s->arrived_ms = now_ms;
		ch->held++;
		ch->stats.rx_reordered++;
	}
	update_gap_deadline(ch);
	return 0;
}

int gre_channel_receive(struct gre_channel *ch, const struct gre_header *hdr,
			struct pkt *payload, uint64_t now_ms)
{
	if (hdr->call_id != ch->cfg.local_call_id) {
		gre_error_count(&ch->stats.malformed, GRE_ERR_WRONG_CALL);
		log_limited(&ch->log_limit, now_ms, LOG_LEVEL_WARN, LOG_TAG(ch),
			    "GRE packet for call id %u, ours is %u: dropped",
			    hdr->call_id, ch->cfg.local_call_id);
		free_pkt(ch, payload);
		return GRE_ERR_WRONG_CALL;
	}
	if (hdr->has_ack)
		take_ack(ch, hdr->ack, now_ms);
	if (!hdr->has_seq) {
		ch->stats.rx_ack_only++;
		free_pkt(ch, payload);
		return 0;
	}
	if (!payload) {
		gre_error_count(&ch->stats.malformed, GRE_ERR_EMPTY_PAYLOAD);
		return ERR_INVALID;
	}
	return receive_data(ch, hdr->seq, payload, now_ms);
}

uint64_t gre_channel_next_deadline(const struct gre_channel *ch)
{
	return deadline_min(ch->gap_deadline, ch->ack_pending ? ch->ack_deadline : DEADLINE_NONE);
}

void gre_channel_on_timeout(struct gre_channel *ch, uint64_t now_ms)
{
	/* RFC 2637 §4.3 lets the receiver reorder; a gap not filled within
	 * reorder_timeout_ms is lost, and what waited behind it goes up. */
	while (ch->held > 0 && ch->gap_deadline <= now_ms) {
		give_up_gap(ch, now_ms);
		update_gap_deadline(ch);
	}
	if (ch->held == 0)
		ch->gap_deadline = DEADLINE_NONE;
	/* RFC 2637 §4.2: acknowledgments "can also be sent separately". */
	if (ch->ack_pending && ch->ack_deadline <= now_ms)
		send_ack_only(ch);
}
