/* SPDX-License-Identifier: BSD-2-Clause */
/* Stateful MPPE + MPPC: the resync trial that decompresses a FLUSHED
 * packet under a candidate key (mppe_channel.c flushed_plain_ok) expands
 * it to the same limit as the live decompressor, what the received packet
 * can hold (its capacity past the MPPE header). Before, the trial allowed
 * PKT_SIZE: a packet that expands beyond the live limit passed the trial,
 * its key was taken as found, then the live decompressor refused it. */
#include "support/test_support.h"

#include <string.h>

#include "base/error.h"
#include "base/inet_checksum.h"
#include "base/pkt.h"
#include "proto/mppe/mppe_channel.h"
#include "support/mppe_pair.h"

/* The live limit for a packet received into PKT_SIZE of storage with
 * PKT_HEADROOM (as the daemon does): what is left after the header. */
#define LIVE_LIMIT ((size_t)PKT_SIZE - PKT_HEADROOM - MPPE_HEADER_LEN)

/* A spy around the channel's trial: every candidate key it judged. */
static bool (*real_trial)(void *ctx, const uint8_t *d, size_t len, uint8_t bits);
static unsigned trials, trials_accepted;

static bool spy_trial(void *ctx, const uint8_t *d, size_t len, uint8_t bits)
{
	bool ok = real_trial(ctx, d, len, bits);
	trials++;
	if (ok)
		trials_accepted++;
	return ok;
}

/* Protocol 0x0021 and an IPv4 packet, plen bytes in all, with a good
 * header checksum and text MPPC compresses well. */
static void ip_packet(size_t plen, uint8_t *buf)
{
	memset(buf, 0, 22);
	buf[1] = 0x21;
	uint8_t *ip = buf + 2;
	ip[0] = 0x45;
	ip[2] = (uint8_t)((plen - 2) >> 8);
	ip[3] = (uint8_t)(plen - 2);
	ip[8] = 64;
	ip[9] = 17;
	uint16_t sum = inet_checksum(ip, 20);
	ip[10] = (uint8_t)(sum >> 8);
	ip[11] = (uint8_t)sum;
	for (size_t i = 22; i < plen; i++)
		buf[i] = (uint8_t)("trial limit "[i % 12]);
}

/* a sends a plen-byte packet (built in a buffer larger than PKT_SIZE, as
 * a peer with a larger MRU could); b receives it into PKT_SIZE. deliver
 * false: lost on the way. Returns b's result, ERR_CRYPTO when delivered
 * but not what was sent; *bits the header bits on the wire. */
static int transfer(struct mppe_channel_pair *pr, size_t plen, bool deliver, uint8_t *bits)
{
	static uint8_t big[2 * PKT_SIZE], plain[2 * PKT_SIZE];
	uint8_t s[PKT_SIZE];
	struct pkt p, q;
	pkt_init(&p, big, sizeof(big), PKT_HEADROOM);
	ip_packet(plen, plain);
	memcpy(pkt_put(&p, plen), plain, plen);
	assert_int_equal(mppe_channel_send(&pr->a, &p), 0);
	*bits = pkt_data(&p)[0] & MPPE_BITS_MASK;
	if (!deliver)
		return ERR_AGAIN;
	assert_true(p.len <= LIVE_LIMIT);
	pkt_init(&q, s, sizeof(s), PKT_HEADROOM);
	memcpy(pkt_put(&q, p.len), pkt_data(&p), p.len);
	bool reset;
	int rc = mppe_channel_receive(&pr->b, &q, 1000, &reset);
	if (rc == 0 && (q.len != plen || memcmp(pkt_data(&q), plain, plen) != 0))
		return ERR_CRYPTO;
	return rc;
}

/* Five packets, one lost, the next dropped (b discards and asks for a
 * reset), then a's FLUSHED answer of plen bytes: b resynchronises on it,
 * trying the computed key first. Returns b's result for the answer. */
static int answer_of(size_t plen)
{
	struct mppe_channel_config cfg = { .key_bits = 128, .compress = true };
	struct mppe_channel_pair pr;
	uint8_t bits;
	mppe_channel_pair_init(&pr, &cfg);
	real_trial = pr.b.rx.plain_ok;
	assert_non_null(real_trial);
	pr.b.rx.plain_ok = spy_trial;
	for (int i = 0; i < 5; i++)
		assert_int_equal(transfer(&pr, 1000, true, &bits), 0);
	(void)transfer(&pr, 1000, false, &bits);
	assert_int_equal(transfer(&pr, 1000, true, &bits), ERR_AGAIN);
	assert_int_equal(pr.b.rx.state, MPPE_RX_DISCARDING);
	mppe_channel_reset_request(&pr.a);
	trials = trials_accepted = 0;
	int rc = transfer(&pr, plen, true, &bits);
	/* The case: a compressed FLUSHED packet, judged by the trial. */
	assert_int_equal(bits & (MPPE_BIT_A | MPPE_BIT_C), MPPE_BIT_A | MPPE_BIT_C);
	assert_true(trials >= 1);
	print_message("answer of %zu bytes (live limit %zu): %u trial(s), %u accepted, receive %d, "
		      "%llu decompress error(s)\n",
		      plen, LIVE_LIMIT, trials, trials_accepted, rc,
		      (unsigned long long)pr.b.stats.decompress_errors);
	mppe_channel_pair_wipe(&pr);
	return rc;
}

/* Exactly the live limit: the trial takes the computed key, the live
 * decompressor delivers the packet. */
static void answer_at_live_limit_is_taken(void **state)
{
	(void)state;
	assert_int_equal(answer_of(LIVE_LIMIT), 0);
	assert_int_equal(trials_accepted, 1);
}

/* One byte over: the live decompressor refuses it (ERR_NOSPACE), and so
 * does every trial. Before: the trial (PKT_SIZE) accepted it. */
static void answer_over_live_limit_is_refused_by_the_trial_too(void **state)
{
	(void)state;
	assert_int_equal(answer_of(LIVE_LIMIT + 1), ERR_NOSPACE);
	assert_int_equal(trials_accepted, 0);
}

int main(void)
{
	log_set_level(LOG_LEVEL_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(answer_at_live_limit_is_taken),
		cmocka_unit_test(answer_over_live_limit_is_refused_by_the_trial_too),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
