/* SPDX-License-Identifier: BSD-2-Clause */
/* src/proto/gre: the sequence window (issue 11, item 6). One packet far
 * ahead of the stream, a spoof with the right source and call ID, must not
 * make the real stream late; a real stream that resumes far ahead after a
 * long loss burst must still be followed. */
#include "support/test_support.h"

#include "base/error.h"
#include "gre_channel_harness.h"

static struct harness H;

static void start(void)
{
	struct gre_channel_config cfg;
	harness_config(&H, &cfg);
	assert_int_equal(gre_channel_init(&H.ch, &cfg), 0);
}

/* Before the fix, the spoof moved rx_expected to 100000 and the next
 * 10,000 real packets were all dropped as late. */
static void one_far_spoof_ignored_and_stream_survives(void **state)
{
	(void)state;
	start();
	for (uint32_t s = 0; s < 10; s++)
		assert_int_equal(harness_rx(&H, s, false, 0, s), 0);
	assert_int_equal(harness_rx(&H, 100000, false, 0, 10), ERR_OUT_OF_WINDOW);
	assert_int_equal(H.ch.stats.rx_out_of_window, 1);
	for (uint32_t s = 10; s < 10010; s++)
		assert_int_equal(harness_rx(&H, s, false, 0, 20 + s), 0);
	assert_int_equal(H.ch.stats.rx_accepted, 10010);
	assert_int_equal(H.ch.stats.rx_late, 0);
	assert_int_equal(H.ch.stats.rx_lost, 0);
	assert_int_equal(H.ch.stats.rx_resyncs, 0);
	gre_channel_destroy(&H.ch);
}

/* A burst of far-ahead spoofs interleaved with the real stream: every one
 * is counted and ignored, because each real packet breaks the agreement. */
static void interleaved_far_burst_counted_and_ignored(void **state)
{
	(void)state;
	start();
	uint32_t s = 0;
	for (uint32_t i = 0; i < 1000; i++) {
		assert_int_equal(harness_rx(&H, s, false, 0, i), 0);
		s++;
		for (uint32_t k = 0; k < GRE_RESYNC_AGREE - 1; k++)
			assert_int_equal(harness_rx(&H, 0x80000000u + i * 4 + k, false, 0, i),
					 ERR_OUT_OF_WINDOW);
	}
	assert_int_equal(H.ch.stats.rx_accepted, 1000);
	assert_int_equal(H.ch.stats.rx_out_of_window, 1000 * (GRE_RESYNC_AGREE - 1));
	assert_int_equal(H.ch.stats.rx_resyncs, 0);
	assert_int_equal(H.ch.stats.rx_late, 0);
	gre_channel_destroy(&H.ch);
}

/* Jumps inside the window (our advertised receive window, 64) are taken at
 * once, as before: the loss of up to a window of packets. */
static void jump_inside_window_taken_at_once(void **state)
{
	(void)state;
	start();
	harness_rx(&H, 0, false, 0, 0);
	assert_int_equal(harness_rx(&H, 64, false, 0, 1), 0);
	assert_int_equal(H.ch.stats.rx_lost, 63);
	assert_int_equal(H.ch.stats.rx_accepted, 2);
	assert_int_equal(harness_rx(&H, 65 + 64, false, 0, 2), 0);
	assert_int_equal(harness_rx(&H, 130 + 65, false, 0, 3), ERR_OUT_OF_WINDOW);
	gre_channel_destroy(&H.ch);
}

/* A real long loss burst: the stream resumes 5000 further on. The first
 * GRE_RESYNC_AGREE - 1 packets are held back as unproven, then the channel
 * follows the stream again (a little loss is allowed inside the run). */
static void long_loss_burst_resyncs_after_agreement(void **state)
{
	(void)state;
	start();
	for (uint32_t s = 0; s < 5; s++)
		harness_rx(&H, s, false, 0, s);
	const uint32_t resume[] = { 5005, 5006, 5008, 5009, 5010, 5011 };
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(harness_rx(&H, resume[i], false, 0, 100 + i), ERR_OUT_OF_WINDOW);
	assert_int_equal(harness_rx(&H, resume[3], false, 0, 103), 0);
	assert_int_equal(H.ch.stats.rx_resyncs, 1);
	assert_int_equal(harness_rx(&H, resume[4], false, 0, 104), 0);
	assert_int_equal(harness_rx(&H, resume[5], false, 0, 105), 0);
	assert_int_equal(H.n_delivered, 8);
	assert_int_equal(H.delivered[5], 5009);
	assert_int_equal(H.delivered[7], 5011);
	/* Our acknowledgement follows the new position. */
	assert_int_equal(H.ch.rx_highest, 5011);
	gre_channel_destroy(&H.ch);
}

/* If spoofs did win (GRE_RESYNC_AGREE of them back to back while the
 * session was quiet), the real stream, now far behind, wins it back the
 * same way instead of being late for ever. */
static void real_stream_recovers_after_spoofed_resync(void **state)
{
	(void)state;
	start();
	for (uint32_t s = 0; s < 5; s++)
		harness_rx(&H, s, false, 0, s);
	for (uint32_t k = 0; k < GRE_RESYNC_AGREE; k++)
		harness_rx(&H, 0x70000000u + k, false, 0, 10);
	assert_int_equal(H.ch.stats.rx_resyncs, 1);
	harness_rx(&H, 0x70000000u + 10, false, 0, 11);   /* held */
	assert_int_equal(H.ch.held, 1);
	for (uint32_t s = 5; s < 5 + GRE_RESYNC_AGREE - 1; s++)
		assert_int_equal(harness_rx(&H, s, false, 0, 20 + s), ERR_OUT_OF_WINDOW);
	assert_int_equal(harness_rx(&H, 5 + GRE_RESYNC_AGREE - 1, false, 0, 30), 0);
	assert_int_equal(H.ch.stats.rx_resyncs, 2);
	assert_int_equal(H.ch.held, 0);
	for (uint32_t s = 5 + GRE_RESYNC_AGREE; s < 100; s++)
		assert_int_equal(harness_rx(&H, s, false, 0, 40 + s), 0);
	assert_int_equal(H.delivered[H.n_delivered - 1], 99);
	gre_channel_destroy(&H.ch);
}

/* Sim seeds 15744, 24430, 24637, 40092 (issue 11): one bit of a real
 * packet's sequence number flipped on the way (GRE has no checksum), 32
 * or 64 ahead: inside the window, so taken as a loss burst, and the real
 * stream behind it was dropped as late packet after packet, 64 of them.
 * Now GRE_LATE_AGREE late packets in a row, none delivered before, take
 * the channel back to the stream; duplicates still never count. */
static void corrupted_sequence_inside_window_recovers(void **state)
{
	(void)state;
	start();
	for (uint32_t s = 0; s < 10; s++)
		assert_int_equal(harness_rx(&H, s, false, 0, s), 0);
	assert_int_equal(harness_rx(&H, 10 + 32, false, 0, 10), 0); /* real 10, bit 5 flipped */
	assert_int_equal(H.ch.rx_expected, 43);
	/* A duplicate of a delivered packet is not a late one. */
	assert_int_equal(harness_rx(&H, 9, false, 0, 11), ERR_DUPLICATE);
	for (uint32_t s = 11; s < 11 + GRE_LATE_AGREE - 1; s++)
		assert_int_equal(harness_rx(&H, s, false, 0, 20 + s), ERR_LATE);
	assert_int_equal(harness_rx(&H, 11 + GRE_LATE_AGREE - 1, false, 0, 40), 0);
	assert_int_equal(H.ch.stats.rx_resyncs, 1);
	for (uint32_t s = 11 + GRE_LATE_AGREE; s < 200; s++)
		assert_int_equal(harness_rx(&H, s, false, 0, 50 + s), 0);
	assert_int_equal(H.delivered[H.n_delivered - 1], 199);
	assert_int_equal(H.ch.stats.rx_late, GRE_LATE_AGREE - 1);
	gre_channel_destroy(&H.ch);
}

/* Late packets interleaved with the stream we follow (reordering beyond
 * the gap timeout) never move it back. */
static void late_packets_interleaved_with_the_stream_stay_late(void **state)
{
	(void)state;
	start();
	for (uint32_t s = 0; s < 10; s++)
		harness_rx(&H, s, false, 0, s);
	harness_rx(&H, 45, false, 0, 10); /* past the ring: 10..44 given up */
	for (uint32_t i = 0; i < 9; i++) {
		assert_int_equal(harness_rx(&H, 10 + i, false, 0, 400 + i), ERR_LATE);
		assert_int_equal(harness_rx(&H, 46 + i, false, 0, 400 + i), 0);
	}
	assert_int_equal(H.ch.stats.rx_resyncs, 0);
	gre_channel_destroy(&H.ch);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_far_spoof_ignored_and_stream_survives),
		cmocka_unit_test(interleaved_far_burst_counted_and_ignored),
		cmocka_unit_test(jump_inside_window_taken_at_once),
		cmocka_unit_test(long_loss_burst_resyncs_after_agreement),
		cmocka_unit_test(real_stream_recovers_after_spoofed_resync),
		cmocka_unit_test(corrupted_sequence_inside_window_recovers),
		cmocka_unit_test(late_packets_interleaved_with_the_stream_stay_late),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
