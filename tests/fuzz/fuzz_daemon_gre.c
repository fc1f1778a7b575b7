/* SPDX-License-Identifier: BSD-2-Clause */
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The daemon core's GRE receive path: datagrams as the raw socket hands
 * them over, demultiplexed to a server-side tunnel with one established
 * call (tests/fuzz/daemon_harness.h), in batches as recvmmsg fills them.
 *
 * Input: records [op][len][len bytes]:
 *   op % 4 == 0: the bytes are a whole datagram (IPv4 header first) from the call's peer
 *   op % 4 == 1: the same from another address
 *   op % 4 == 2: the bytes are the PPP payload of a well-formed GRE data
 *                packet for our call from the peer (op >> 2 picks: bit 0
 *                an ack too, bit 1 another call ID, bits 2-5 the sequence number)
 *   op % 4 == 3: an unreadable datagram (truncated by the kernel); then
 *                time advances by len * 100 ms and the timers run
 * A batch is dispatched every 32 datagrams and at the end.
 * Invariant: every datagram is delivered or dropped under exactly one
 * reason (rx_datagrams == delivered + drops), and nothing leaks. */
#include <stdlib.h>

#include "base/log.h"
#include "daemon_harness.h"

static void quiet(void *ctx, enum log_level level, const char *tag, const char *message)
{
	(void)ctx;
	(void)level;
	(void)tag;
	(void)message;
}

struct batch {
	struct pkt *pkts[DAEMON_GRE_BATCH];
	uint32_t src[DAEMON_GRE_BATCH];
	size_t n;
};

static void flush(struct daemon_harness *h, struct batch *b)
{
	daemon_gre_dispatch(&h->gre, b->pkts, b->src, b->n, h->now);
	b->n = 0;
	if (!dh_gre_accounts(&h->gre.stats))
		abort();
	(void)dh_drain_tcp(h);
}

static void add(struct daemon_harness *h, struct batch *b, struct pkt *p, uint32_t src)
{
	if (!p)
		return;
	b->pkts[b->n] = p;
	b->src[b->n] = src;
	if (++b->n == DAEMON_GRE_BATCH)
		flush(h, b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	log_set_sink(quiet, NULL);
	static struct daemon_harness h;
	if (dh_open(&h, true) < 0)
		return 0;
	struct batch b = { .n = 0 };
	uint32_t seq = 0;
	size_t at = 0;
	while (at + 2 <= size) {
		uint8_t op = data[at];
		size_t len = data[at + 1];
		at += 2;
		if (len > size - at)
			len = size - at;
		const uint8_t *bytes = data + at;
		at += len;
		switch (op % 4) {
		case 0:
		case 1:
			add(&h, &b, dh_raw_datagram(bytes, len), op % 4 == 0 ? DH_PEER : DH_OTHER);
			break;
		case 2: {
			unsigned pick = op >> 2;
			struct gre_header gh = { .has_seq = true,
						 .has_ack = (pick & 1) != 0,
						 .call_id = (pick & 2) ? (uint16_t)(DH_CALL_ID + 1) : (uint16_t)DH_CALL_ID,
						 .seq = seq + ((pick >> 2) & 15),
						 .ack = 0 };
			seq++;
			add(&h, &b, dh_gre_datagram(DH_PEER, &gh, bytes, len), DH_PEER);
			break;
		}
		default: {
			add(&h, &b, dh_raw_datagram(NULL, 0), DH_PEER);
			flush(&h, &b);
			h.now += (uint64_t)len * 100u;
			daemon_tunnel_on_timeout(&h.dt, h.now);
			break;
		}
		}
	}
	flush(&h, &b);
	dh_close(&h);
	log_set_sink(NULL, NULL);
	return 0;
}
