/* SPDX-License-Identifier: BSD-2-Clause */
/* Stateful MPPE: the resync search a FLUSHED packet with a count jump
 * starts (extra key changes, count-space rounds, the same from the anchor)
 * is paid from the per-second catch-up budget (issue 11 item 5). Before,
 * each forged such packet cost up to 234 key changes under Linux's rule,
 * with no bound per second. The in-sequence FLUSHED packet's wider search
 * (rx_flushed_key_change) is paid from the same budget. */
#include "support/test_support.h"

#include <string.h>

#include "base/error.h"
#include "proto/mppe/mppe.h"
#include "support/mppe_pair.h"

/* A FLUSHED packet 100 counts ahead of the receiver, payload that no key
 * decrypts well formed. */
static void forge(struct mppe_pair *l, uint32_t *rng)
{
	uint16_t ccount = (uint16_t)((l->rx.ccount + 100u) & 0x0FFF);
	l->wire[0] = (uint8_t)(MPPE_BIT_A | MPPE_BIT_D | (ccount >> 8));
	l->wire[1] = (uint8_t)(ccount & 0xFF);
	for (size_t i = 2; i < 202; i++) {
		*rng = *rng * 1103515245u + 12345u;
		l->wire[i] = (uint8_t)(*rng >> 16);
	}
	l->wire_len = 202;
}

static void run(bool reset_changes_key)
{
	struct mppe_pair l;
	struct mppe_rx_result res;
	mppe_pair_init(&l, false, reset_changes_key);
	uint64_t now = 1000;
	for (int i = 0; i < 10; i++)
		assert_int_equal(mppe_pair_send_deliver(&l, now, &res), 0);
	/* 3 s of virtual time, one forged packet a millisecond. */
	const unsigned packets = 3000;
	uint64_t before = l.rx.stats.key_changes + l.rx.stats.trial_key_changes;
	uint32_t rng = 12345;
	for (unsigned i = 0; i < packets; i++, now++) {
		forge(&l, &rng);
		(void)mppe_pair_deliver(&l, l.wire_len, now, &res);
	}
	uint64_t spent = l.rx.stats.key_changes + l.rx.stats.trial_key_changes - before;
	/* Free per packet: the computed key, taken and tried (one flag packet
	 * at most in 100 counts, plus Linux's change), and one try behind; the
	 * rest is the full bucket plus 3 s of refill. Before: 234 a packet. */
	uint64_t bound = (uint64_t)packets * 6u + 4u * MPPE_CATCHUP_PER_SECOND;
	print_message("forged FLUSHED jumps: %llu key changes for %u packets (bound %llu), %llu over budget\n",
		      (unsigned long long)spent, packets, (unsigned long long)bound,
		      (unsigned long long)l.rx.stats.over_budget);
	assert_true(spent <= bound);
	assert_true(l.rx.stats.over_budget > 0);

	mppe_pair_wipe(&l);
}

/* Under Linux's rule an in-sequence FLUSHED packet is a key change, taken
 * only when the packet decrypts well formed (rx_flushed_key_change); one
 * that does not starts the wider search (64 extra changes, three
 * count-space rounds) unless the catch-up budget cannot pay. A spoofer
 * needs only the next count. A flag count (low byte 0xFF) is skipped,
 * since it changes the key unchecked (RFC 3078 §7.2), so the next forged
 * packet is two ahead: that one packet in 255 goes through the resync
 * path above. */
static void forge_in_sequence(struct mppe_pair *l, uint32_t *rng)
{
	uint16_t ccount = (uint16_t)((l->rx.ccount + 1u) & 0x0FFF);
	if ((ccount & 0xFF) == 0xFF)
		ccount = (uint16_t)((ccount + 1u) & 0x0FFF);
	l->wire[0] = (uint8_t)(MPPE_BIT_A | MPPE_BIT_D | (ccount >> 8));
	l->wire[1] = (uint8_t)(ccount & 0xFF);
	for (size_t i = 2; i < 202; i++) {
		*rng = *rng * 1103515245u + 12345u;
		l->wire[i] = (uint8_t)(*rng >> 16);
	}
	l->wire_len = 202;
}

/* 5,000 forged in-sequence FLUSHED packets in one virtual second, each
 * refused. Free per packet: the one change the count calls for, tried
 * (and, one packet in 255, the resync's computed keys); all the rest is
 * paid from the bucket (full at the start) and one second of refill. The
 * bound allows 6 free changes a packet, a margin over the 1 to 2 measured
 * (135,288 in all); unpaid, the wider search cost 651,031. */
static void forged_in_sequence_flushed_bounded(void **state)
{
	(void)state;
	struct mppe_pair l;
	struct mppe_rx_result res;
	mppe_pair_init(&l, false, true);
	uint64_t now = 1000;
	for (int i = 0; i < 10; i++)
		assert_int_equal(mppe_pair_send_deliver(&l, now, &res), 0);
	const unsigned packets = 5000;
	uint64_t before = l.rx.stats.key_changes + l.rx.stats.trial_key_changes;
	uint64_t garbage_before = l.rx.stats.garbage;
	uint32_t rng = 777;
	for (unsigned i = 0; i < packets; i++) {
		forge_in_sequence(&l, &rng);
		(void)mppe_pair_deliver(&l, l.wire_len, now, &res);
		if (i % 5 == 4)
			now++; /* 1,000 ms in all */
	}
	uint64_t spent = l.rx.stats.key_changes + l.rx.stats.trial_key_changes - before;
	uint64_t bound = (uint64_t)packets * 6u + 2u * MPPE_CATCHUP_PER_SECOND;
	print_message("forged in-sequence FLUSHED: %llu key changes for %u packets (bound %llu), "
		      "%llu refused, %llu over budget\n",
		      (unsigned long long)spent, packets, (unsigned long long)bound,
		      (unsigned long long)(l.rx.stats.garbage - garbage_before),
		      (unsigned long long)l.rx.stats.over_budget);
	/* The path under test: nearly every packet refused as garbage. */
	assert_true(l.rx.stats.garbage - garbage_before >= packets - packets / 50u);
	assert_true(spent <= bound);
	assert_true(l.rx.stats.over_budget > 0);
	mppe_pair_wipe(&l);
}

static void forged_jumps_bounded_linux_rule(void **state)
{
	(void)state;
	run(true);
}

static void forged_jumps_bounded_rfc_rule(void **state)
{
	(void)state;
	run(false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(forged_jumps_bounded_linux_rule),
		cmocka_unit_test(forged_jumps_bounded_rfc_rule),
		cmocka_unit_test(forged_in_sequence_flushed_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
