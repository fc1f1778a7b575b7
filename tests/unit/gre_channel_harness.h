/* SPDX-License-Identifier: BSD-2-Clause */
/* Shared by the GRE channel tests: a channel wired to recording callbacks.
 * Each payload carries its sequence number in its first 4 bytes. */
#ifndef OPENPPTP_TEST_GRE_CHANNEL_HARNESS_H
#define OPENPPTP_TEST_GRE_CHANNEL_HARNESS_H

#include <string.h>

#include "base/bytes.h"
#include "base/pkt.h"
#include "base/serial.h"
#include "proto/gre/gre_channel.h"

#define HARNESS_MAX 2048

struct harness {
	struct gre_channel ch;
	uint32_t delivered[HARNESS_MAX];
	size_t n_delivered;
	uint8_t out[16][GRE_HEADER_MAX];
	size_t out_len[16];
	size_t n_out;
};

static inline void harness_deliver(void *ctx, struct pkt *p, uint64_t now_ms)
{
	(void)now_ms;
	struct harness *h = ctx;
	if (h->n_delivered < HARNESS_MAX)
		h->delivered[h->n_delivered++] = p->len >= 4 ? load_be32(pkt_data(p)) : 0xDEADu;
	pkt_free(p);
}

static inline void harness_output(void *ctx, struct pkt *p)
{
	struct harness *h = ctx;
	size_t i = h->n_out++ % 16;
	h->out_len[i] = p->len < GRE_HEADER_MAX ? p->len : GRE_HEADER_MAX;
	memcpy(h->out[i], pkt_data(p), h->out_len[i]);
}

static inline void harness_config(struct harness *h, struct gre_channel_config *cfg)
{
	memset(h, 0, sizeof(*h));
	gre_channel_config_default(cfg);
	cfg->local_call_id = 128;
	cfg->peer_call_id = 13490;
	cfg->peer_recv_window = 3;
	cfg->ctx = h;
	cfg->deliver = harness_deliver;
	cfg->output = harness_output;
}

static inline struct pkt *harness_payload(uint32_t tag, size_t len)
{
	struct pkt *p = pkt_new(PKT_HEADROOM + len + 4, PKT_HEADROOM);
	uint8_t *d = pkt_put(p, len < 4 ? 4 : len);
	memset(d, 0, p->len);
	store_be32(d, tag);
	return p;
}

/* A data packet from the peer with sequence seq (and an ack if has_ack). */
static inline int harness_rx(struct harness *h, uint32_t seq, bool has_ack, uint32_t ack, uint64_t now)
{
	struct gre_header hdr = {
		.has_seq = true, .has_ack = has_ack, .call_id = 128,
		.seq = seq, .ack = ack, .payload_len = 4,
	};
	return gre_channel_receive(&h->ch, &hdr, harness_payload(seq, 4), now);
}

static inline int harness_rx_ack(struct harness *h, uint32_t ack, uint64_t now)
{
	struct gre_header hdr = { .has_ack = true, .call_id = 128, .ack = ack };
	return gre_channel_receive(&h->ch, &hdr, NULL, now);
}

#endif
