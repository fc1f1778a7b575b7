/* SPDX-License-Identifier: BSD-2-Clause */
/* Issue 12 §2: stateful MPPE without MPPC under Linux's rule (the sender
 * changes the key for every FLUSHED packet, i.e. for every Reset-Request it
 * honours) after a long burst of heavy loss in which the FLUSHED answers
 * to many Reset-Requests are lost too. Each lost answer is a key change
 * the receiver never sees; before the fix its search covered at most 64 of
 * them, so after a longer burst it never found the key again and the
 * tunnel carried nothing for good (tests/net/test_mppe_stateful_loss.sh). */
#include "support/test_support.h"

#include "base/error.h"
#include "proto/mppe/mppe.h"
#include "support/mppe_pair.h"

/* A burst of at most max_packets: 5 packets in a row of every lost_every
 * are lost (too many to bridge by mppe_recover.h), every flag packet (a FLUSHED packet the
 * receiver could resynchronise on, RFC 3078 §7.2) and every FLUSHED answer to
 * a Reset-Request is lost, until `answers` of them were lost. Then a clean
 * link: the receiver must be back within `within` packets. now_ms moves 1
 * ms a packet (Reset-Requests are retried on a timer, RFC 1661 §4.6
 * Restart timer, as well as by count). */
static void storm(unsigned answers, unsigned max_packets, unsigned lost_every, unsigned within)
{
	struct mppe_pair l;
	struct mppe_rx_result res;
	mppe_pair_init(&l, true, true);
	uint64_t now = 1000;
	for (unsigned i = 0; i < 50; i++) {
		assert_int_equal(mppe_pair_send_deliver(&l, now++, &res), 0);
	}
	unsigned lost_answers = 0;
	bool lose_next = false;
	for (unsigned i = 0; lost_answers < answers && i < max_packets; i++) {
		mppe_pair_send(&l);
		now++;
		if (lose_next || i % lost_every < 5 || l.wire[1] == 0xFF) {
			lost_answers += lose_next;
			lose_next = false;
			continue;
		}
		int rc = mppe_pair_deliver(&l, l.wire_len, now, &res);
		assert_int_not_equal(rc, ERR_CRYPTO);
		if (res.send_reset_request) {
			mppe_tx_reset_request(&l.tx);
			lose_next = true; /* the FLUSHED answer */
		}
	}
	unsigned n;
	int rc = -1;
	for (n = 1; n <= within && rc != 0; n++) {
		rc = mppe_pair_send_deliver(&l, now++, &res);
		assert_int_not_equal(rc, ERR_CRYPTO);
		if (res.send_reset_request)
			mppe_tx_reset_request(&l.tx);
	}
	assert_int_equal(rc, 0);
	/* And it stays in sync. */
	for (unsigned i = 0; i < 500; i++) {
		assert_int_equal(mppe_pair_send_deliver(&l, now++, &res), 0);
	}
	mppe_pair_wipe(&l);
}

static void ten_lost_answers(void **state)
{
	(void)state;
	storm(10, 1000000, 20, 3000);
}

static void two_hundred_lost_answers(void **state)
{
	(void)state;
	storm(200, 1000000, 9, 3000);
}

static void thousand_lost_answers(void **state)
{
	(void)state;
	storm(1000, 1000000, 40, 3000);
}

/* More Reset-Requests than the search bound (MPPE_RESYNC_MAX_RESETS):
 * the receiver stops asking there, and the next flag packet brings it
 * back (before, every further request was one more key change out of
 * reach). */
static void more_requests_than_the_bound(void **state)
{
	(void)state;
	storm(MPPE_RESYNC_MAX_RESETS + 500u, (MPPE_RESYNC_MAX_RESETS + 500u) * 70u, 1000, 3000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ten_lost_answers),
		cmocka_unit_test(two_hundred_lost_answers),
		cmocka_unit_test(thousand_lost_answers),
		cmocka_unit_test(more_requests_than_the_bound),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
