/* SPDX-License-Identifier: BSD-2-Clause */
/* The enhanced GRE header codec (proto/gre/gre_header.h) per packet
 * against a trivial reference.
 *
 * One operation = what the two ends do with one data packet's header:
 * gre_header_push (sequence + piggybacked ack, 16 bytes, in the headroom
 * of a 1400-byte PPP frame), then gre_header_strip on the result (decode
 * with every RFC 2637 §4.1 check, length check, strip in place).
 *
 * The reference writes the same 16 bytes with store_be16/32 and reads
 * them back with load_be16/32, no validation: the floor for touching a
 * header at all. The ratio is the price of the checks and the function
 * calls. */
#include <string.h>

#include "base/bytes.h"
#include "base/pkt.h"
#include "proto/gre/gre_header.h"

#include "common.h"

#define FRAME_LEN 1400

struct gre_bench {
	struct pkt p;
	uint8_t storage[PKT_SIZE];
	struct gre_header h;
	uint64_t sum;   /* folds in decoded fields so nothing is dead code */
};

static void gre_setup(struct gre_bench *b)
{
	memset(b, 0, sizeof(*b));
	pkt_init(&b->p, b->storage, sizeof(b->storage), PKT_HEADROOM);
	memset(pkt_put(&b->p, FRAME_LEN), 0x5a, FRAME_LEN);
	b->h = (struct gre_header){ .has_seq = true, .has_ack = true, .call_id = 0x1234, .seq = 1, .ack = 0 };
}

static void gre_run(void *ctx, uint64_t n)
{
	struct gre_bench *b = ctx;
	struct gre_header out;
	for (uint64_t i = 0; i < n; i++) {
		b->h.seq++;
		b->h.ack = b->h.seq - 3;
		if (gre_header_push(&b->p, &b->h) < 0 || gre_header_strip(&b->p, &out) < 0)
			bench_fail("gre: push/strip failed");
		b->sum += out.seq + out.ack + out.call_id + out.payload_len;
	}
	bench_keep(&b->sum);
}

/* Same bytes, no checks. noinline: the subject pays two calls per packet
 * into the library, the reference pays one. */
static __attribute__((noinline)) void trivial_header(struct gre_bench *b)
{
	uint8_t *w = pkt_data(&b->p) - GRE_HEADER_MAX;
	w[0] = GRE_FLAG_K | GRE_FLAG_S;
	w[1] = GRE_VERSION_ENHANCED | GRE_FLAG_A;
	store_be16(w + 2, GRE_PROTOCOL_PPP);
	store_be16(w + 4, (uint16_t)b->p.len);
	store_be16(w + 6, b->h.call_id);
	store_be32(w + 8, b->h.seq);
	store_be32(w + 12, b->h.ack);
	bench_keep(w);
	b->sum += load_be32(w + 8) + load_be32(w + 12) + load_be16(w + 6) + load_be16(w + 4);
}

static void trivial_run(void *ctx, uint64_t n)
{
	struct gre_bench *b = ctx;
	for (uint64_t i = 0; i < n; i++) {
		b->h.seq++;
		b->h.ack = b->h.seq - 3;
		trivial_header(b);
	}
	bench_keep(&b->sum);
}

static void gre_check(const struct gre_bench *b)
{
	if (b->p.off != PKT_HEADROOM || b->p.len != FRAME_LEN)
		bench_fail("gre: packet not back where it started");
}

static struct gre_bench subject, reference;

int main(int argc, char **argv)
{
	bool ir = bench_parse_args(argc, argv);
	gre_setup(&subject);
	gre_setup(&reference);
	if (ir) {
		bench_count("gre", gre_run, &subject, trivial_run, &reference, 10000);
		gre_check(&subject);
		return 0;
	}
	struct bench_result r;
	bench_compare(gre_run, &subject, trivial_run, &reference, &r);
	gre_check(&subject);
	bench_print("gre", "GRE header push+strip (seq+ack)", &r, "");
	return 0;
}
