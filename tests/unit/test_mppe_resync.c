/* SPDX-License-Identifier: BSD-2-Clause */
/* Issue 12 §2: stateful MPPE under loss at full rate. The desynchronisations
 * found (each test failed before the fix) and the loss recovery:
 * - a burst of 2048..4095 lost packets was taken as "late": everything was
 *   dropped without a Reset-Request until the count came round to "in
 *   sequence", 16 key changes behind, and from then on the receiver
 *   delivered garbage on a link that looked up;
 * - a discard run longer than the count space (lost Reset-Requests)
 *   resynchronised a whole round of key changes short;
 * - more than 4096 packets lost in a row: the FLUSHED packet is tried a
 *   round or more further on;
 * - garbage (a truncated packet shifts the RC4 stream) is noticed and
 *   resynchronised;
 * - small losses are bridged without a Reset-Request (mppe_recover.h). */
#include "support/test_support.h"

#include <string.h>

#include "base/error.h"
#include "proto/mppe/mppe.h"
#include "proto/mppe/mppe_recover.h"
#include "support/mppe_pair.h"

/* Send and deliver until a packet gets through, answering Reset-Requests
 * at once; returns the packets it took. */
static unsigned until_synced(struct mppe_pair *l)
{
	struct mppe_rx_result res;
	for (unsigned n = 1; n < 1000; n++) {
		int rc = mppe_pair_send_deliver(l, 0, &res);
		assert_int_not_equal(rc, ERR_CRYPTO);
		if (res.send_reset_request)
			mppe_tx_reset_request(&l->tx);
		if (rc == 0)
			return n;
	}
	fail_msg("never resynchronised");
	return 0;
}

static void lose(struct mppe_pair *l, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		mppe_pair_send(l);
}

static void burst_of_2100_lost_is_loss_not_late(void **state)
{
	(void)state;
	for (int recover = 0; recover < 2; recover++) {
		struct mppe_pair l;
		struct mppe_rx_result res;
		mppe_pair_init(&l, recover, false);
		for (int i = 0; i < 100; i++)
			assert_int_equal(mppe_pair_send_deliver(&l, 0, &res), 0);
		lose(&l, 2100); /* the raw socket overflowed */
		/* Before the fix: ERR_LATE here, no Reset-Request, and ~2000
		 * packets later "in sequence" with garbage (ERR_CRYPTO or
		 * ERR_MALFORMED below). */
		assert_int_equal(mppe_pair_send_deliver(&l, 0, &res), ERR_AGAIN);
		assert_true(res.send_reset_request);
		mppe_tx_reset_request(&l.tx);
		for (int i = 0; i < 5000; i++)
			assert_int_equal(mppe_pair_send_deliver(&l, 0, &res), 0);
		assert_int_equal(l.rx.stats.garbage, 0);
		mppe_pair_wipe(&l);
	}
}

static void discard_run_longer_than_count_space(void **state)
{
	(void)state;
	struct mppe_pair l;
	struct mppe_rx_result res;
	mppe_pair_init(&l, false, false);
	for (int i = 0; i < 10; i++)
		assert_int_equal(mppe_pair_send_deliver(&l, 0, &res), 0);
	lose(&l, 1);
	/* Every Reset-Request is lost for 5000 packets (flag packets go by
	 * while we discard; they carry FLUSHED, so none of them may be
	 * delivered either: lose those). */
	for (int i = 0; i < 5000; i++) {
		if (mppe_tx_next_flushed(&l.tx)) {
			lose(&l, 1);
			continue;
		}
		assert_int_equal(mppe_pair_send_deliver(&l, 0, &res), ERR_AGAIN);
	}
	mppe_tx_reset_request(&l.tx);
	/* Before the fix the FLUSHED packet was decrypted a round of 16 key
	 * changes short. */
	assert_int_equal(mppe_pair_send_deliver(&l, 0, &res), 0);
	for (int i = 0; i < 300; i++)
		assert_int_equal(mppe_pair_send_deliver(&l, 0, &res), 0);
	mppe_pair_wipe(&l);
}

static void loss_over_count_space_found_by_wrap_trial(void **state)
{
	(void)state;
	struct mppe_pair l;
	struct mppe_rx_result res;
	mppe_pair_init(&l, true, false);
	for (int i = 0; i < 10; i++)
		assert_int_equal(mppe_pair_send_deliver(&l, 0, &res), 0);
	lose(&l, 4096 + 700);
	until_synced(&l);
	assert_int_equal(l.rx.stats.wraps_found, 1);
	for (int i = 0; i < 600; i++)
		assert_int_equal(mppe_pair_send_deliver(&l, 0, &res), 0);
	mppe_pair_wipe(&l);
}

static void garbage_is_noticed_and_resynchronised(void **state)
{
	(void)state;
	struct mppe_pair l;
	struct mppe_rx_result res;
	mppe_pair_init(&l, false, false);
	for (int i = 0; i < 20; i++)
		assert_int_equal(mppe_pair_send_deliver(&l, 0, &res), 0);
	/* A packet one byte short: our RC4 stream is now one byte behind. */
	mppe_pair_send(&l);
	(void)mppe_pair_deliver(&l, l.wire_len - 1, 0, &res);
	unsigned bad = 0;
	for (unsigned i = 0; i < MPPE_GARBAGE_RUN; i++) {
		int rc = mppe_pair_send_deliver(&l, 0, &res);
		assert_int_equal(rc, ERR_MALFORMED);
		bad++;
	}
	assert_true(res.send_reset_request);
	assert_int_equal(l.rx.stats.garbage_resyncs, 1);
	assert_int_equal(l.rx.state, MPPE_RX_DISCARDING);
	mppe_tx_reset_request(&l.tx);
	for (int i = 0; i < 100; i++)
		assert_int_equal(mppe_pair_send_deliver(&l, 0, &res), 0);
	assert_true(l.rx.stats.garbage >= bad);
	mppe_pair_wipe(&l);
}

static void small_losses_bridged_without_reset(void **state)
{
	(void)state;
	for (int linux_rule = 0; linux_rule < 2; linux_rule++) {
		struct mppe_pair l;
		struct mppe_rx_result res;
		mppe_pair_init(&l, true, linux_rule);
		unsigned delivered = 0;
		/* 3000 packets, losses of 1..3 in a row (some across flag
		 * packets 255, 511, ...). */
		for (unsigned i = 0; i < 3000; i++) {
			if (i % 37 == 5) {
				lose(&l, 1 + i % 3);
				continue;
			}
			int rc = mppe_pair_send_deliver(&l, 0, &res);
			assert_int_equal(rc, 0);
			assert_false(res.send_reset_request);
			delivered++;
		}
		assert_true(l.rx.stats.recovered >= 75);
		assert_int_equal(l.rx.stats.reset_requests, 0);
		assert_int_equal(l.rx.stats.key_changes, l.tx.stats.key_changes);
		/* A FLUSHED packet (a reset honoured) lost too. */
		mppe_tx_reset_request(&l.tx);
		lose(&l, 1);
		assert_int_equal(mppe_pair_send_deliver(&l, 0, &res), 0);
		/* Four in a row: beyond the search, the RFC's Reset-Request. */
		lose(&l, MPPE_RECOVER_MAX_LOST + 1);
		assert_int_equal(mppe_pair_send_deliver(&l, 0, &res), ERR_AGAIN);
		assert_true(res.send_reset_request);
		assert_true(until_synced(&l) >= 1);
		assert_int_equal(l.rx.stats.garbage, 0);
		mppe_pair_wipe(&l);
	}
}

/* Linux's rule with MPPC: the sender flushes after every incompressible
 * packet, and under that rule each FLUSHED packet is a key change. Losing
 * any of them lost a key change for good: the tunnel carried garbage from
 * the first loss on (found by test_mppe_stateful_loss.sh with mppc). The
 * resync now finds the lost key changes. */
static void linux_rule_lost_flushed_packets_found(void **state)
{
	(void)state;
	struct mppe_pair l;
	struct mppe_rx_result res;
	mppe_pair_init(&l, false, true);
	l.send_bits = MPPE_BIT_A;
	for (int i = 0; i < 20; i++)
		assert_int_equal(mppe_pair_send_deliver(&l, 0, &res), 0);
	for (unsigned lost = 1; lost <= 40; lost += 13) {
		lose(&l, lost);
		assert_int_equal(mppe_pair_send_deliver(&l, 0, &res), 0);
		for (int i = 0; i < 300; i++)
			assert_int_equal(mppe_pair_send_deliver(&l, 0, &res), 0);
	}
	assert_int_equal(l.rx.stats.lost_flushes_found, 4);
	assert_int_equal(l.rx.stats.key_changes, l.tx.stats.key_changes);
	/* Two FLUSHED packets lost, then non-FLUSHED ones (discarded, a
	 * Reset-Request asked), then a FLUSHED one: the two key changes lost
	 * before the discarding began are found too. */
	lose(&l, 2);
	l.send_bits = 0;
	assert_int_equal(mppe_pair_send_deliver(&l, 0, &res), ERR_AGAIN);
	assert_true(res.send_reset_request);
	assert_int_equal(mppe_pair_send_deliver(&l, 0, &res), ERR_AGAIN);
	l.send_bits = MPPE_BIT_A;
	assert_int_equal(mppe_pair_send_deliver(&l, 0, &res), 0);
	assert_int_equal(mppe_pair_send_deliver(&l, 0, &res), 0);
	assert_int_equal(l.rx.stats.lost_flushes_found, 5);
	assert_int_equal(l.rx.stats.garbage, 0);
	mppe_pair_wipe(&l);
}

static void payload_checks(void **state)
{
	(void)state;
	uint8_t b[PKT_SIZE];
	size_t n = mppe_pair_payload(7, false, b);
	assert_true(mppe_payload_well_formed(b, n, n));
	assert_true(mppe_payload_plausible(b, n));
	b[13] ^= 1; /* checksum */
	assert_false(mppe_payload_well_formed(b, n, n));
	assert_true(mppe_payload_plausible(b, n));
	assert_false(mppe_payload_well_formed(b, 10, n)); /* header not all there */
	static const uint8_t v6[] = { 0x00, 0x57, 0x60, 0, 0, 0, 0, 2 };
	uint8_t six[2 + 42] = { 0 };
	memcpy(six, v6, sizeof(v6));
	assert_true(mppe_payload_well_formed(six, sizeof(six), sizeof(six)));
	static const uint8_t pfc[] = { 0x21, 0x45 };
	assert_true(mppe_payload_plausible(pfc, sizeof(pfc)));
	static const uint8_t other[] = { 0xa6, 0x16, 0x45 }, lcp[] = { 0xc0, 0x21, 1 }, one[] = { 0 };
	assert_false(mppe_payload_plausible(other, sizeof(other)));
	assert_false(mppe_payload_plausible(lcp, sizeof(lcp)));
	assert_false(mppe_payload_plausible(one, sizeof(one)));
	assert_false(mppe_payload_well_formed(one, 1, 1));
	size_t skip;
	struct crypto_rc4 rc4;
	crypto_rc4_init(&rc4, b, 16);
	assert_int_equal(mppe_recover_offset(&rc4, one, 1, 0, 100, &skip), ERR_NOT_FOUND);
	assert_int_equal(mppe_recover_offset(&rc4, b, n, 50, 10, &skip), ERR_NOT_FOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(burst_of_2100_lost_is_loss_not_late),
		cmocka_unit_test(discard_run_longer_than_count_space),
		cmocka_unit_test(loss_over_count_space_found_by_wrap_trial),
		cmocka_unit_test(garbage_is_noticed_and_resynchronised),
		cmocka_unit_test(small_losses_bridged_without_reset),
		cmocka_unit_test(linux_rule_lost_flushed_packets_found),
		cmocka_unit_test(payload_checks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
