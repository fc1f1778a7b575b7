/* SPDX-License-Identifier: BSD-2-Clause */
/* One PPTP call's data channel (RFC 2637 §4.2-§4.4): sequence numbers and
 * acknowledgements on send, in-order delivery with a small bounded reorder
 * buffer on receive. Sans-I/O: the caller passes decoded headers, pkts and
 * now_ms in; in-order PPP payloads leave through deliver(), ack-only GRE
 * packets through output(); timers through next_deadline/on_timeout.
 *
 * Ownership of struct pkt:
 *  - gre_channel_send(): the caller keeps the pkt. On 0 the GRE header has
 *    been prepended in place and the caller sends p; on error p is
 *    unchanged (the caller frees or drops it).
 *  - gre_channel_receive(): the channel takes the payload pkt, always. It
 *    is handed to deliver() (which then owns it), held in the reorder
 *    buffer (the channel owns it) or freed with config.free_pkt.
 *  - output(): the pkt is borrowed and valid only during the call (it lives
 *    in the channel); copy or send it before returning.
 * Callbacks must not destroy the channel; deliver() may call
 * gre_channel_send() (an LCP reply, say). */
#ifndef OPENPPTP_GRE_CHANNEL_H
#define OPENPPTP_GRE_CHANNEL_H

#include <stdbool.h>
#include <stdint.h>

#include "base/log.h"
#include "base/pkt.h"
#include "proto/gre/gre_header.h"

/* Ring of held packets: spans at most this many sequence numbers after the
 * next expected one. Power of two. */
#define GRE_REORDER_SLOTS 32u

/* RFC 2637 §2.7: the Packet Recv Window Size field. A peer that sends 0
 * gets this instead (see docs/gre.md: 0 never means "send nothing"). */
#define GRE_DEFAULT_PEER_WINDOW 64u
#define GRE_DEFAULT_LOCAL_WINDOW 64u
/* pptp-linux gives a gap up after 0.3 s (its packet timeout). */
#define GRE_DEFAULT_REORDER_TIMEOUT_MS 300u
#define GRE_DEFAULT_REORDER_MAX 16u
/* Far jumps (docs/gre.md "Sequence window"). A packet more than the jump
 * window (our advertised receive window, at least the ring) from the next
 * expected number is not believed on its own: RFC 2637 §4.3 lets the
 * receiver silently discard out-of-sequence packets, and a sender that keeps
 * the window we advertised (§4.2.1) is never further ahead than that. A far
 * position is taken only when GRE_RESYNC_AGREE packets in a row agree on it
 * (each a little after the one before) and no packet inside the window came
 * between: a real stream after a long loss burst does that at once, one
 * spoofed packet cannot. */
#define GRE_JUMP_WINDOW_MAX 1024u
#define GRE_RESYNC_AGREE 4u
/* Late packets inside the window, never delivered, that follow one another
 * with nothing at or past the expected number between them: this many in a
 * row mean our position came from one corrupted or forged number ahead of
 * the stream (gre_channel.c receive_data). Two: a link whose only traffic
 * is PPP's own retransmissions (3 s apart) is back within one of them. */
#define GRE_LATE_AGREE 2u
/* pptp-linux sends a lone ack after 0.5 s; we are quicker so a peer that
 * enforces a small window does not stall. */
#define GRE_DEFAULT_ACK_DELAY_MS 100u

/* Room left in front of an ack-only packet handed to output(), enough for
 * an IPv4 header with options. */
#define GRE_ACK_HEADROOM 64u

struct gre_channel_config {
	uint16_t local_call_id;     /* ours: the peer puts it in packets to us */
	uint16_t peer_call_id;      /* the peer's: we put it in packets we send */
	uint16_t peer_recv_window;  /* from the peer's OCRQ/OCRP; 0 -> default */
	uint16_t local_recv_window; /* what we advertised; 0 -> default */
	uint32_t ack_delay_ms;      /* longest a pending ack waits for data */
	uint32_t reorder_timeout_ms;/* longest a held packet waits for a gap */
	uint32_t reorder_max;       /* most packets held (0: never hold) */
	bool enforce_send_window;   /* refuse (ERR_LIMIT) beyond the window */
	const char *tag;            /* for log lines; may be NULL */
	void *ctx;
	void (*deliver)(void *ctx, struct pkt *ppp_payload, uint64_t now_ms);
	void (*output)(void *ctx, struct pkt *gre_packet);
	void (*free_pkt)(void *ctx, struct pkt *p);   /* NULL: pkt_free */
};

struct gre_channel_stats {
	uint64_t rx_accepted;     /* delivered in order */
	uint64_t rx_lost;         /* sequence numbers given up */
	uint64_t rx_reordered;    /* arrived early and were held */
	uint64_t rx_duplicate;
	uint64_t rx_late;         /* arrived after their gap was given up */
	uint64_t rx_out_of_window;/* far from the expected number: ignored */
	uint64_t rx_resyncs;      /* far positions taken after agreement */
	uint64_t rx_ack_only;     /* ack-only packets received */
	uint64_t tx_packets;
	uint64_t tx_over_window;  /* sent although the window was full */
	uint64_t tx_window_drops; /* refused: window full and enforced */
	uint64_t acks_sent;       /* ack-only packets sent */
	uint64_t acks_piggybacked;
	uint64_t acks_received;
	uint64_t acks_invalid;    /* acknowledged a number we never sent */
	struct gre_error_counters malformed;
};

struct gre_reorder_slot {
	struct pkt *p;            /* NULL: empty */
	uint32_t seq;
	uint64_t arrived_ms;
};

struct gre_channel {
	struct gre_channel_config cfg;
	struct gre_channel_stats stats;
	/* send */
	uint32_t send_window;
	uint32_t tx_next_seq;     /* RFC 2637 §4.1: starts at zero */
	uint32_t tx_acked;        /* highest of ours the peer acked */
	/* receive */
	bool rx_started;
	uint32_t rx_expected;     /* next sequence number to deliver */
	uint32_t rx_highest;      /* highest received: what we acknowledge */
	uint64_t rx_history;      /* bit i: rx_expected - 1 - i was delivered */
	uint32_t held;
	uint64_t gap_deadline;
	uint32_t jump_window;     /* |distance| believed from one packet */
	uint32_t far_last;        /* last far packet of the current run */
	uint32_t far_agree;       /* far packets in a row that agree (0: none) */
	/* GRE_REORDER_SLOTS of them, allocated when the first packet must be
	 * held (most sessions never see one out of order: 768 bytes each
	 * saved), freed by gre_channel_destroy. */
	struct gre_reorder_slot *slots;
	/* acknowledgements we owe */
	bool ack_pending;
	uint32_t ack_unsent;      /* packets received since our last ack */
	uint64_t ack_deadline;
	struct log_limit log_limit;
	uint8_t ack_storage[GRE_ACK_HEADROOM + GRE_HEADER_MAX];
};

/* Defaults for every field but call ids, window and callbacks. */
void gre_channel_config_default(struct gre_channel_config *cfg);

int gre_channel_init(struct gre_channel *ch, const struct gre_channel_config *cfg);
/* Frees every held packet and the reorder ring; the channel stays usable
 * (a later out-of-order packet allocates the ring again). */
void gre_channel_destroy(struct gre_channel *ch);

/* Prepend the GRE header to the PPP frame in p (1..65535 bytes), with a
 * piggybacked ack when one is owed. 0 or a negative error: ERR_INVALID
 * (empty/oversized frame), ERR_NOSPACE (headroom), ERR_LIMIT (window full
 * and enforce_send_window). */
int gre_channel_send(struct gre_channel *ch, struct pkt *p, uint64_t now_ms);

/* One decoded GRE packet for this call: hdr from gre_header_decode/strip,
 * payload holding exactly the PPP payload (NULL for an ack-only packet).
 * Returns 0 (delivered, held, or an ack taken) or why it was dropped:
 * GRE_ERR_WRONG_CALL, ERR_DUPLICATE, ERR_LATE, ERR_OUT_OF_WINDOW (far from the
 * expected number and not yet agreed on), ERR_INVALID. */
int gre_channel_receive(struct gre_channel *ch, const struct gre_header *hdr,
			struct pkt *payload, uint64_t now_ms);

uint64_t gre_channel_next_deadline(const struct gre_channel *ch);
void gre_channel_on_timeout(struct gre_channel *ch, uint64_t now_ms);

/* Count a decode error the caller attributed to this call. */
void gre_channel_count_error(struct gre_channel *ch, int err);

/* Packets sent and not yet acknowledged. */
static inline uint32_t gre_channel_outstanding(const struct gre_channel *ch)
{
	return ch->tx_next_seq - 1u - ch->tx_acked;
}

#endif
