/* SPDX-License-Identifier: BSD-2-Clause */
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A byte script drives one GRE channel: data and ack-only packets with
 * chosen sequence/ack numbers, sends, virtual time steps and timeouts.
 * Checked after every step: packets are delivered in strictly increasing
 * serial order (a far resync may restart it), every data packet is
 * accounted for exactly once (delivered, held, duplicate, late or out of
 * window), the reorder buffer stays within its limits, timers are armed
 * when work is pending, the send window is kept when enforced; ASan checks
 * that held packets are never leaked. */
#include <stdlib.h>
#include <string.h>

#include "base/bytes.h"
#include "base/pkt.h"
#include "base/serial.h"
#include "base/time.h"
#include "proto/gre/gre_channel.h"

struct run {
	struct gre_channel ch;
	bool delivered_any;
	uint64_t resyncs_seen;    /* a resync may go back: order restarts */
	uint32_t last_delivered;
	uint64_t delivered;
	uint64_t outputs;
};

static void on_deliver(void *ctx, struct pkt *p, uint64_t now_ms)
{
	(void)now_ms;
	struct run *r = ctx;
	if (p->len < 4)
		abort();
	uint32_t seq = load_be32(pkt_data(p));
	bool resynced = r->ch.stats.rx_resyncs != r->resyncs_seen;
	r->resyncs_seen = r->ch.stats.rx_resyncs;
	if (r->delivered_any && !resynced && !seq32_after(seq, r->last_delivered))
		abort();
	r->delivered_any = true;
	r->last_delivered = seq;
	r->delivered++;
	pkt_free(p);
}

static void on_output(void *ctx, struct pkt *p)
{
	struct run *r = ctx;
	struct gre_header h;
	if (gre_header_decode(pkt_data(p), p->len, &h) != 12 || h.has_seq || !h.has_ack)
		abort();
	r->outputs++;
}

static struct pkt *payload(uint32_t seq, size_t len)
{
	struct pkt *p = pkt_new(PKT_HEADROOM + 4 + len, PKT_HEADROOM);
	if (!p)
		abort();
	uint8_t *d = pkt_put(p, 4 + len);
	memset(d, 0x11, 4 + len);
	store_be32(d, seq);
	return p;
}

static void check(const struct run *r, uint64_t data_in)
{
	const struct gre_channel *ch = &r->ch;
	uint32_t held = 0;
	for (uint32_t i = 0; ch->slots && i < GRE_REORDER_SLOTS; i++) {
		if (!ch->slots[i].p)
			continue;
		held++;
		int32_t d = seq32_diff(ch->slots[i].seq, ch->rx_expected);
		if (d <= 0 || (uint32_t)d >= GRE_REORDER_SLOTS)
			abort();
	}
	if (held != ch->held || held > ch->cfg.reorder_max)
		abort();
	if (held > 0 && ch->gap_deadline == DEADLINE_NONE)
		abort();
	if (ch->ack_pending && gre_channel_next_deadline(ch) == DEADLINE_NONE)
		abort();
	const struct gre_channel_stats *s = &ch->stats;
	if (s->rx_accepted != r->delivered ||
	    s->rx_accepted + ch->held + s->rx_duplicate + s->rx_late +
	    s->rx_out_of_window != data_in)
		abort();
	if (ch->cfg.enforce_send_window && gre_channel_outstanding(ch) > ch->send_window)
		abort();
	if (s->acks_sent != r->outputs)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 5)
		return 0;
	static struct run r;
	memset(&r, 0, sizeof(r));
	struct gre_channel_config cfg;
	gre_channel_config_default(&cfg);
	cfg.local_call_id = 7;
	cfg.peer_call_id = 9;
	cfg.reorder_max = data[0] % 40;               /* clamped to the ring */
	cfg.reorder_timeout_ms = (uint32_t)data[1] * 4;
	cfg.ack_delay_ms = data[2];
	cfg.peer_recv_window = data[3] % 8;           /* 0: the default */
	cfg.local_recv_window = data[4] % 16;
	cfg.enforce_send_window = data[3] & 0x80;
	cfg.ctx = &r;
	cfg.deliver = on_deliver;
	cfg.output = on_output;
	if (gre_channel_init(&r.ch, &cfg) != 0)
		abort();

	uint64_t now = 1000, data_in = 0;
	uint32_t cursor = (uint32_t)data[4] << 24;    /* near the wrap sometimes */
	size_t i = 5;
	while (i < size) {
		uint8_t op = data[i++];
		uint8_t arg = i < size ? data[i++] : 0;
		struct gre_header h = { .call_id = 7 };
		switch (op % 8) {
		case 0: /* data near the cursor */
		case 6: /* ... with an ack */
			h.has_seq = true;
			h.seq = cursor + (uint32_t)(int8_t)arg;
			h.has_ack = op % 8 == 6;
			h.ack = r.ch.tx_next_seq - 1u - (arg & 3u);
			h.payload_len = 4;
			/* Refusals (duplicate, late) are fine: check() accounts. */
			(void)gre_channel_receive(&r.ch, &h, payload(h.seq, 0), now);
			data_in++;
			if ((int8_t)arg > 0)
				cursor = h.seq;
			break;
		case 1: /* ack-only */
			h.has_ack = true;
			h.ack = r.ch.tx_next_seq - (uint32_t)(arg % 5);
			if (gre_channel_receive(&r.ch, &h, NULL, now) != 0)
				abort();
			break;
		case 2: /* time passes */
			now += (uint64_t)arg * 4;
			if (gre_channel_next_deadline(&r.ch) <= now)
				gre_channel_on_timeout(&r.ch, now);
			break;
		case 3: { /* we send */
			struct pkt *p = payload(0, arg);
			int rc = gre_channel_send(&r.ch, p, now);
			if (rc == 0 && p->len != 4u + arg + 12u && p->len != 4u + arg + 16u)
				abort();
			pkt_free(p);
			break;
		}
		case 4: { /* the event loop sleeps until the next deadline */
			uint64_t due = gre_channel_next_deadline(&r.ch);
			uint64_t at = due == DEADLINE_NONE || due < now ? now : due;
			gre_channel_on_timeout(&r.ch, at);
			if (gre_channel_next_deadline(&r.ch) <= at)
				abort(); /* everything due was done */
			now = at;
			break;
		}
		case 5: /* someone else's call */
			h.call_id = 8;
			h.has_seq = true;
			h.seq = cursor + 1;
			h.payload_len = 4;
			if (gre_channel_receive(&r.ch, &h, payload(h.seq, 0), now) != GRE_ERR_WRONG_CALL)
				abort();
			break;
		case 7: /* a far jump */
			h.has_seq = true;
			h.seq = cursor + (uint32_t)arg * 1000u;
			h.payload_len = 4;
			(void)gre_channel_receive(&r.ch, &h, payload(h.seq, 0), now);
			data_in++;
			cursor = h.seq;
			break;
		}
		check(&r, data_in);
	}
	gre_channel_destroy(&r.ch);
	return 0;
}
