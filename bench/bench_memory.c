/* SPDX-License-Identifier: BSD-2-Clause */
/* Heap per session: N client/server tunnel pairs brought up in one process
 * (MS-CHAPv2, MPPE-128 stateless, IPCP: the defaults), engines only, in
 * virtual time (pair.h).
 *
 * Measured with mallinfo2(): bytes in use (uordblks + hblkhd, so malloc's
 * own chunk headers are included) before and after. The two sides of a
 * pair allocate interleaved, so the server side is separated by freeing
 * every client tunnel afterwards and measuring again: what stays is the
 * server's.
 *
 * It includes everything the engines keep for an established session:
 * struct tunnel with its PPTP control connection, the call with its GRE
 * channel (reorder ring) and ppp_link (LCP, authentication state, CCP,
 * MPPE keys and both RC4 tables, IPCP). It does not include the daemon's
 * own per-connection struct (printed separately), its TCP output buffer
 * (allocated only while the socket is full), socket or TUN buffers in the
 * kernel, or the harness here (allocated before the first measurement). */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/log.h"
#include "proto/session/ppp_link_internal.h"
#include "server/server_internal.h"

#include "common.h"
#include "pair.h"

#define SESSIONS 1000u
#define SETUP_PAIRS 16  /* --ir workload: pairs brought up */

static size_t heap_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();
	return mi.uordblks + mi.hblkhd;
}

/* --ir: the instructions to bring one pair up (handshakes, key
 * derivation), per pair. */
struct setup_bench {
	struct bench_net net;
	struct bench_pair pairs[SETUP_PAIRS];
	unsigned next;
};

static void setup_run(void *ctx, uint64_t n)
{
	struct setup_bench *b = ctx;
	for (uint64_t i = 0; i < n && b->next < SETUP_PAIRS; i++, b->next++) {
		pair_init(&b->pairs[b->next], &b->net, PAIR_MPPE_STATELESS, b->next);
		pair_bring_up(&b->pairs[b->next]);
	}
}

static void setup_free(struct setup_bench *b)
{
	for (unsigned i = 0; i < b->next; i++)
		for (int s = 0; s < 2; s++)
			pair_free_side(&b->pairs[i], s);
	net_clear(&b->net);
}

static struct bench_net net;
static struct setup_bench setup;

int main(int argc, char **argv)
{
	bool ir = bench_parse_args(argc, argv);
	log_set_level(LOG_LEVEL_ERROR);

	if (ir) {
		net_init(&setup.net);
		bench_count_one("memory", setup_run, &setup, SETUP_PAIRS);
		setup_free(&setup);
		return 0;
	}

	net_init(&net);

	struct bench_pair *pairs = calloc(SESSIONS + 1, sizeof(*pairs));
	if (!pairs)
		bench_fail("out of memory");
	/* A first pair outside the count: one-time allocations (anything a
	 * library sets up on first use) must not be charged to the sessions.
	 * Nothing is printed before the last measurement, so stdout's buffer
	 * is not either. */
	pair_init(&pairs[SESSIONS], &net, PAIR_MPPE_STATELESS, SESSIONS);
	pair_bring_up(&pairs[SESSIONS]);

	size_t base = heap_in_use();
	for (unsigned i = 0; i < SESSIONS; i++) {
		pair_init(&pairs[i], &net, PAIR_MPPE_STATELESS, i);
		pair_bring_up(&pairs[i]);
	}
	size_t with_pairs = heap_in_use();
	for (unsigned i = 0; i < SESSIONS; i++) {
		if (!pairs[i].side[0].link_up || !pairs[i].side[1].link_up)
			bench_fail("memory: session %u is not up", i);
		pair_free_side(&pairs[i], 0);
	}
	size_t servers = heap_in_use();
	if (with_pairs == base)
		bench_fail("memory: mallinfo2 saw no allocation (malloc replaced, e.g. under memcheck?)");
	if (with_pairs < servers || servers < base)
		bench_fail("memory: heap went the wrong way (%zu, %zu, %zu)", base, with_pairs, servers);

	double per_pair = (double)(with_pairs - base) / SESSIONS;
	double per_server = (double)(servers - base) / SESSIONS;
	/* "mem<TAB>row<TAB>sessions<TAB>server<TAB>client<TAB>daemon struct" */
	printf("mem\tmemory\t%u\t%.0f\t%.0f\t%zu\n", SESSIONS, per_server, per_pair - per_server,
	       sizeof(struct server_conn));
	/* Where it goes: the biggest structs (internal headers, read only). */
	bench_note("memory: largest parts per side: struct ppp_link %zu B (MPPE state %zu B inside), "
		   "struct gre_channel %zu B",
		   sizeof(struct ppp_link), sizeof(struct mppe_channel), sizeof(struct gre_channel));

	for (unsigned i = 0; i <= SESSIONS; i++)
		for (int s = 0; s < 2; s++)
			if (pairs[i].side[s].tunnel)
				pair_free_side(&pairs[i], s);
	net_clear(&net);
	free(pairs);
	return 0;
}
