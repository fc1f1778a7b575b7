/* SPDX-License-Identifier: BSD-2-Clause */
/* Stateful MPPE-128 with MPPC (RFC 3078 with RFC 2118): only flag packets
 * change keys (§7.2), so the key changes missed in a burst of loss are the
 * flag packets missed, and the 12-bit coherency count hides whole rounds of
 * 4096 packets. A burst of more than three rounds (a socket overflowing for
 * seconds, tests/net/test_mppe_stateful_loss.sh) was never found: every
 * resync tried at most three rounds, missed, decrypted garbage, asked for a
 * reset and missed again, for good. The search now goes as many rounds as
 * the silence could have held (mppe_wraps.h). */
#include "support/test_support.h"

#include <string.h>

#include "base/error.h"
#include "base/pkt.h"
#include "proto/mppe/mppe_channel.h"
#include "support/mppe_pair.h"

struct burst_link {
	struct mppe_channel_pair pair; /* a sends, b receives */
	unsigned seq;
	uint64_t now_ms;
};

static void burst_link_init(struct burst_link *l)
{
	struct mppe_channel_config cfg = { .key_bits = 128, .compress = true };
	mppe_channel_pair_init(&l->pair, &cfg);
	l->seq = 0;
	l->now_ms = 1000;
}

/* Send the next packet; deliver it to b unless lost. 0 only when b
 * delivered exactly what was sent; ERR_CRYPTO: delivered something else. */
static int burst_link_step(struct burst_link *l, bool lost)
{
	uint8_t storage[PKT_SIZE], plain[PKT_SIZE];
	struct pkt p;
	pkt_init(&p, storage, sizeof(storage), PKT_HEADROOM);
	unsigned seq = l->seq++;
	size_t len = mppe_pair_payload(seq, true, pkt_put(&p, 0));
	(void)pkt_put(&p, len);
	assert_int_equal(mppe_channel_send(&l->pair.a, &p), 0);
	if (lost)
		return ERR_AGAIN;
	bool reset = false;
	int rc = mppe_channel_receive(&l->pair.b, &p, l->now_ms, &reset);
	if (reset)
		mppe_channel_reset_request(&l->pair.a); /* the Reset-Request gets through */
	if (rc < 0)
		return rc;
	size_t n = mppe_pair_payload(seq, true, plain);
	if (n != p.len || memcmp(plain, pkt_data(&p), n) != 0)
		return ERR_CRYPTO;
	return 0;
}

static void recovers_after_burst_of(unsigned lost, uint64_t silence_ms)
{
	struct burst_link l;
	burst_link_init(&l);
	for (unsigned i = 0; i < 300; i++)
		assert_int_equal(burst_link_step(&l, false), 0);
	for (unsigned i = 0; i < lost; i++)
		(void)burst_link_step(&l, true);
	l.now_ms += silence_ms;
	unsigned good = 0;
	for (unsigned i = 0; i < 20000 && good < 100; i++) {
		int rc = burst_link_step(&l, false);
		assert_int_not_equal(rc, ERR_CRYPTO);
		good = rc == 0 ? good + 1 : 0;
		l.now_ms += (i % 10 == 0);
	}
	if (good < 100)
		fail_msg("no recovery after %u packets lost in %llu ms", lost, (unsigned long long)silence_ms);
	mppe_channel_pair_wipe(&l.pair);
}

/* Five and a bit rounds lost in 2 s (about 10,000 packets a second). */
static void burst_over_three_rounds_recovers(void **state)
{
	(void)state;
	recovers_after_burst_of(5u * 4096u + 777u, 2000);
}

/* Eleven rounds, as in the namespace test's failing run (46,684 lost). */
static void burst_of_eleven_rounds_recovers(void **state)
{
	(void)state;
	recovers_after_burst_of(46684u, 4000);
}

/* Within three rounds nothing changed: still found at once. */
static void burst_within_three_rounds_recovers(void **state)
{
	(void)state;
	recovers_after_burst_of(2u * 4096u + 100u, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(burst_within_three_rounds_recovers),
		cmocka_unit_test(burst_over_three_rounds_recovers),
		cmocka_unit_test(burst_of_eleven_rounds_recovers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
