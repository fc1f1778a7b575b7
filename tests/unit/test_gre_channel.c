/* SPDX-License-Identifier: BSD-2-Clause */
/* src/proto/gre: the per-call channel with virtual time. */
#include "support/test_support.h"

#include "base/error.h"
#include "base/time.h"
#include "gre_channel_harness.h"

static struct harness H;

static void setup_default(struct gre_channel_config *cfg)
{
	harness_config(&H, cfg);
}

static void expect_delivered(const uint32_t *want, size_t n)
{
	assert_int_equal(H.n_delivered, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(H.delivered[i], want[i]);
}

static void in_order_and_piggybacked_ack(void **state)
{
	(void)state;
	struct gre_channel_config cfg;
	setup_default(&cfg);
	assert_int_equal(gre_channel_init(&H.ch, &cfg), 0);
	assert_int_equal(gre_channel_next_deadline(&H.ch), DEADLINE_NONE);
	/* pptp-linux starts at 1 (capture frame 33); accept any first number. */
	for (uint32_t s = 1; s <= 3; s++)
		assert_int_equal(harness_rx(&H, s, false, 0, 1000 + s), 0);
	expect_delivered((const uint32_t[]){ 1, 2, 3 }, 3);
	assert_int_equal(H.ch.stats.rx_accepted, 3);

	/* Our first data packet: seq 0 (RFC 2637 §4.1), ack 3 piggybacked. */
	struct pkt *p = harness_payload(0xAA, 10);
	assert_int_equal(gre_channel_send(&H.ch, p, 1010), 0);
	struct gre_header h;
	assert_int_equal(gre_header_strip(p, &h), 16);
	assert_true(h.has_seq && h.has_ack);
	assert_int_equal(h.seq, 0);
	assert_int_equal(h.ack, 3);
	assert_int_equal(h.call_id, 13490);
	assert_int_equal(h.payload_len, 10);
	assert_int_equal(p->len, 10);
	pkt_free(p);
	assert_int_equal(gre_channel_next_deadline(&H.ch), DEADLINE_NONE);
	/* Nothing new to acknowledge: the next packet has no A bit. */
	p = harness_payload(0xAB, 10);
	assert_int_equal(gre_channel_send(&H.ch, p, 1011), 0);
	assert_int_equal(gre_header_strip(p, &h), 12);
	assert_false(h.has_ack);
	assert_int_equal(h.seq, 1);
	pkt_free(p);
	assert_int_equal(H.ch.stats.tx_packets, 2);
	assert_int_equal(H.ch.stats.acks_piggybacked, 1);
	assert_int_equal(H.n_out, 0);
	gre_channel_destroy(&H.ch);
}

static void reorder_released_in_order(void **state)
{
	(void)state;
	struct gre_channel_config cfg;
	setup_default(&cfg);
	gre_channel_init(&H.ch, &cfg);
	assert_int_equal(harness_rx(&H, 0, false, 0, 0), 0);
	assert_int_equal(harness_rx(&H, 2, false, 0, 1), 0);
	assert_int_equal(harness_rx(&H, 3, false, 0, 2), 0);
	expect_delivered((const uint32_t[]){ 0 }, 1);
	assert_int_equal(H.ch.held, 2);
	/* The ack timer (100 ms) comes before the gap timer (1 + 300 ms). */
	assert_int_equal(gre_channel_next_deadline(&H.ch), 100);
	assert_int_equal(H.ch.gap_deadline, 301);
	assert_int_equal(harness_rx(&H, 1, false, 0, 50), 0);
	expect_delivered((const uint32_t[]){ 0, 1, 2, 3 }, 4);
	assert_int_equal(H.ch.stats.rx_reordered, 2);
	assert_int_equal(H.ch.stats.rx_lost, 0);
	assert_int_equal(H.ch.held, 0);
	/* RFC 2637 §4.3: we acknowledge the highest number seen. */
	assert_int_equal(H.ch.rx_highest, 3);
	gre_channel_destroy(&H.ch);
}

static void gap_given_up_after_timeout_then_late(void **state)
{
	(void)state;
	struct gre_channel_config cfg;
	setup_default(&cfg);
	cfg.ack_delay_ms = 1000;
	gre_channel_init(&H.ch, &cfg);
	harness_rx(&H, 10, false, 0, 1000);
	harness_rx(&H, 12, false, 0, 1010);
	harness_rx(&H, 13, false, 0, 1020);
	assert_int_equal(gre_channel_next_deadline(&H.ch), 1310);
	gre_channel_on_timeout(&H.ch, 1309);
	expect_delivered((const uint32_t[]){ 10 }, 1);
	gre_channel_on_timeout(&H.ch, 1310);
	expect_delivered((const uint32_t[]){ 10, 12, 13 }, 3);
	assert_int_equal(H.ch.stats.rx_lost, 1);
	assert_int_equal(gre_channel_next_deadline(&H.ch), 2000); /* the ack */
	/* 11 finally arrives: its gap was given up, so it is late. */
	assert_int_equal(harness_rx(&H, 11, false, 0, 1400), ERR_LATE);
	assert_int_equal(H.ch.stats.rx_late, 1);
	assert_int_equal(H.n_delivered, 3);
	gre_channel_destroy(&H.ch);
}

static void oldest_held_packet_bounds_latency(void **state)
{
	(void)state;
	struct gre_channel_config cfg;
	setup_default(&cfg);
	gre_channel_init(&H.ch, &cfg);
	harness_rx(&H, 0, false, 0, 0);
	harness_rx(&H, 5, false, 0, 100);  /* waits for 1..4 */
	harness_rx(&H, 3, false, 0, 200);  /* waits for 1..2 */
	assert_int_equal(H.ch.gap_deadline, 400);
	gre_channel_on_timeout(&H.ch, 400);
	/* Both gaps given up: 5 has waited its 300 ms. */
	expect_delivered((const uint32_t[]){ 0, 3, 5 }, 3);
	assert_int_equal(H.ch.stats.rx_lost, 3);
	assert_int_equal(H.ch.gap_deadline, DEADLINE_NONE);
	gre_channel_destroy(&H.ch);
}

static void gap_given_up_when_buffer_fills(void **state)
{
	(void)state;
	struct gre_channel_config cfg;
	setup_default(&cfg);
	cfg.reorder_max = 4;
	gre_channel_init(&H.ch, &cfg);
	harness_rx(&H, 0, false, 0, 0);
	for (uint32_t s = 2; s <= 5; s++)
		harness_rx(&H, s, false, 0, s);
	assert_int_equal(H.ch.held, 4);
	expect_delivered((const uint32_t[]){ 0 }, 1);
	harness_rx(&H, 6, false, 0, 10);
	expect_delivered((const uint32_t[]){ 0, 2, 3, 4, 5, 6 }, 6);
	assert_int_equal(H.ch.stats.rx_lost, 1);
	assert_int_equal(H.ch.held, 0);
	gre_channel_destroy(&H.ch);
}

static void full_buffer_and_packet_inside_the_gap(void **state)
{
	(void)state;
	struct gre_channel_config cfg;
	setup_default(&cfg);
	cfg.reorder_max = 2;
	gre_channel_init(&H.ch, &cfg);
	harness_rx(&H, 0, false, 0, 0);
	harness_rx(&H, 5, false, 0, 1);
	harness_rx(&H, 6, false, 0, 2);
	/* Full; 2 falls inside the gap: only 1 is given up, 5 and 6 wait. */
	assert_int_equal(harness_rx(&H, 2, false, 0, 3), 0);
	expect_delivered((const uint32_t[]){ 0, 2 }, 2);
	assert_int_equal(H.ch.stats.rx_lost, 1);
	assert_int_equal(H.ch.held, 2);
	assert_int_equal(harness_rx(&H, 1, false, 0, 4), ERR_LATE);
	harness_rx(&H, 3, false, 0, 5);
	harness_rx(&H, 4, false, 0, 6);
	expect_delivered((const uint32_t[]){ 0, 2, 3, 4, 5, 6 }, 6);
	assert_int_equal(H.ch.held, 0);
	gre_channel_destroy(&H.ch);
}

static void far_jump_skips_without_holding(void **state)
{
	(void)state;
	struct gre_channel_config cfg;
	setup_default(&cfg);
	gre_channel_init(&H.ch, &cfg);
	harness_rx(&H, 0, false, 0, 0);
	harness_rx(&H, 3, false, 0, 1);        /* held */
	harness_rx(&H, 60, false, 0, 2);       /* beyond the ring */
	expect_delivered((const uint32_t[]){ 0, 3, 60 }, 3);
	assert_int_equal(H.ch.stats.rx_lost, 2 + 56);
	assert_int_equal(H.ch.held, 0);
	assert_int_equal(harness_rx(&H, 59, false, 0, 3), ERR_LATE);
	gre_channel_destroy(&H.ch);
}

static void no_reordering_when_max_is_zero(void **state)
{
	(void)state;
	struct gre_channel_config cfg;
	setup_default(&cfg);
	cfg.reorder_max = 0;
	gre_channel_init(&H.ch, &cfg);
	harness_rx(&H, 0, false, 0, 0);
	harness_rx(&H, 2, false, 0, 1);
	expect_delivered((const uint32_t[]){ 0, 2 }, 2);
	assert_int_equal(harness_rx(&H, 1, false, 0, 2), ERR_LATE);
	assert_int_equal(H.ch.stats.rx_lost, 1);
	gre_channel_destroy(&H.ch);
}

static void duplicates_dropped_and_counted(void **state)
{
	(void)state;
	struct gre_channel_config cfg;
	setup_default(&cfg);
	gre_channel_init(&H.ch, &cfg);
	harness_rx(&H, 0, false, 0, 0);
	assert_int_equal(harness_rx(&H, 0, false, 0, 1), ERR_DUPLICATE);
	harness_rx(&H, 2, false, 0, 2);
	assert_int_equal(harness_rx(&H, 2, false, 0, 3), ERR_DUPLICATE); /* held copy */
	harness_rx(&H, 1, false, 0, 4);
	assert_int_equal(harness_rx(&H, 1, false, 0, 5), ERR_DUPLICATE);
	expect_delivered((const uint32_t[]){ 0, 1, 2 }, 3);
	assert_int_equal(H.ch.stats.rx_duplicate, 3);
	assert_int_equal(H.ch.stats.rx_late, 0);
	gre_channel_destroy(&H.ch);
}

static void sequence_wraps_at_2_32(void **state)
{
	(void)state;
	struct gre_channel_config cfg;
	setup_default(&cfg);
	cfg.peer_recv_window = 64;
	gre_channel_init(&H.ch, &cfg);
	harness_rx(&H, 0xFFFFFFFEu, false, 0, 0);
	harness_rx(&H, 0, false, 0, 1);
	harness_rx(&H, 0xFFFFFFFFu, false, 0, 2);
	harness_rx(&H, 1, false, 0, 3);
	expect_delivered((const uint32_t[]){ 0xFFFFFFFEu, 0xFFFFFFFFu, 0, 1 }, 4);
	assert_int_equal(H.ch.rx_highest, 1);
	assert_int_equal(harness_rx(&H, 0xFFFFFFFFu, false, 0, 4), ERR_DUPLICATE);

	/* Send side across the wrap: acks are compared serially. */
	H.ch.tx_next_seq = 0xFFFFFFFEu;
	H.ch.tx_acked = 0xFFFFFFFDu;
	for (int i = 0; i < 4; i++) {
		struct pkt *p = harness_payload(i, 4);
		assert_int_equal(gre_channel_send(&H.ch, p, 5), 0);
		pkt_free(p);
	}
	assert_int_equal(H.ch.tx_next_seq, 2);
	assert_int_equal(gre_channel_outstanding(&H.ch), 4);
	harness_rx_ack(&H, 0xFFFFFFFFu, 6);
	assert_int_equal(gre_channel_outstanding(&H.ch), 2);
	harness_rx_ack(&H, 1, 7);
	assert_int_equal(gre_channel_outstanding(&H.ch), 0);
	harness_rx_ack(&H, 0, 8); /* older: ignored */
	assert_int_equal(gre_channel_outstanding(&H.ch), 0);
	assert_int_equal(H.ch.stats.acks_invalid, 0);
	harness_rx_ack(&H, 2, 9); /* never sent */
	assert_int_equal(H.ch.stats.acks_invalid, 1);
	assert_int_equal(H.ch.tx_acked, 1);
	gre_channel_destroy(&H.ch);
}

static void ack_only_sent_after_delay(void **state)
{
	(void)state;
	struct gre_channel_config cfg;
	setup_default(&cfg);
	cfg.ack_delay_ms = 100;
	gre_channel_init(&H.ch, &cfg);
	harness_rx(&H, 7, false, 0, 1000);
	assert_int_equal(gre_channel_next_deadline(&H.ch), 1100);
	harness_rx(&H, 8, false, 0, 1050);    /* does not push the timer out */
	assert_int_equal(gre_channel_next_deadline(&H.ch), 1100);
	gre_channel_on_timeout(&H.ch, 1099);
	assert_int_equal(H.n_out, 0);
	gre_channel_on_timeout(&H.ch, 1100);
	assert_int_equal(H.n_out, 1);
	uint8_t want[12];
	test_hex("2081 880b 0000 34b2 00000008", want, sizeof(want));
	assert_int_equal(H.out_len[0], 12);
	assert_memory_equal(H.out[0], want, 12);
	assert_int_equal(H.ch.stats.acks_sent, 1);
	assert_int_equal(gre_channel_next_deadline(&H.ch), DEADLINE_NONE);
	gre_channel_on_timeout(&H.ch, 5000);
	assert_int_equal(H.n_out, 1);

	/* Data going out before the timer carries the ack instead. */
	harness_rx(&H, 9, false, 0, 6000);
	struct pkt *p = harness_payload(1, 4);
	gre_channel_send(&H.ch, p, 6010);
	pkt_free(p);
	assert_int_equal(gre_channel_next_deadline(&H.ch), DEADLINE_NONE);
	gre_channel_on_timeout(&H.ch, 7000);
	assert_int_equal(H.n_out, 1);
	gre_channel_destroy(&H.ch);
}

static void ack_at_once_when_half_our_window_is_unacked(void **state)
{
	(void)state;
	struct gre_channel_config cfg;
	setup_default(&cfg);
	cfg.local_recv_window = 4;
	gre_channel_init(&H.ch, &cfg);
	harness_rx(&H, 0, false, 0, 500);
	assert_int_equal(gre_channel_next_deadline(&H.ch), 600);
	harness_rx(&H, 1, false, 0, 510);
	assert_int_equal(gre_channel_next_deadline(&H.ch), 510);
	gre_channel_destroy(&H.ch);
}

static void ack_only_received_opens_window(void **state)
{
	(void)state;
	struct gre_channel_config cfg;
	setup_default(&cfg);
	gre_channel_init(&H.ch, &cfg);
	for (int i = 0; i < 3; i++) {
		struct pkt *p = harness_payload(i, 4);
		gre_channel_send(&H.ch, p, 0);
		pkt_free(p);
	}
	assert_int_equal(gre_channel_outstanding(&H.ch), 3);
	assert_int_equal(harness_rx_ack(&H, 1, 1), 0);
	assert_int_equal(gre_channel_outstanding(&H.ch), 1);
	assert_int_equal(H.ch.stats.rx_ack_only, 1);
	assert_int_equal(H.ch.stats.acks_received, 1);
	assert_int_equal(H.n_delivered, 0);
	/* An ack-only packet does not make us owe an ack. */
	assert_int_equal(gre_channel_next_deadline(&H.ch), DEADLINE_NONE);
	gre_channel_destroy(&H.ch);
}

static void send_window_policy(void **state)
{
	(void)state;
	struct gre_channel_config cfg;
	setup_default(&cfg);
	cfg.peer_recv_window = 3;
	gre_channel_init(&H.ch, &cfg);
	for (int i = 0; i < 5; i++) {
		struct pkt *p = harness_payload(i, 4);
		assert_int_equal(gre_channel_send(&H.ch, p, 0), 0);
		pkt_free(p);
	}
	/* Default: like pptp-linux and pptpd (38 and 9 outstanding against a
	 * window of 3 in the capture), send and count. */
	assert_int_equal(H.ch.stats.tx_over_window, 2);
	assert_int_equal(H.ch.stats.tx_packets, 5);

	setup_default(&cfg);
	cfg.peer_recv_window = 3;
	cfg.enforce_send_window = true;
	gre_channel_init(&H.ch, &cfg);
	struct pkt *p = harness_payload(0, 4);
	for (int i = 0; i < 3; i++) {
		pkt_reset(p, PKT_HEADROOM);
		pkt_put(p, 4);
		assert_int_equal(gre_channel_send(&H.ch, p, 0), 0);
	}
	pkt_reset(p, PKT_HEADROOM);
	pkt_put(p, 4);
	assert_int_equal(gre_channel_send(&H.ch, p, 0), ERR_LIMIT);
	assert_int_equal(p->len, 4);
	assert_int_equal(H.ch.stats.tx_window_drops, 1);
	harness_rx_ack(&H, 0, 1);
	assert_int_equal(gre_channel_send(&H.ch, p, 1), 0);
	pkt_free(p);
	gre_channel_destroy(&H.ch);
}

static void peer_window_zero_means_default(void **state)
{
	(void)state;
	struct gre_channel_config cfg;
	setup_default(&cfg);
	cfg.peer_recv_window = 0;
	cfg.enforce_send_window = true;
	gre_channel_init(&H.ch, &cfg);
	assert_int_equal(H.ch.send_window, GRE_DEFAULT_PEER_WINDOW);
	for (unsigned i = 0; i < GRE_DEFAULT_PEER_WINDOW; i++) {
		struct pkt *p = harness_payload(i, 4);
		assert_int_equal(gre_channel_send(&H.ch, p, 0), 0);
		pkt_free(p);
	}
	struct pkt *p = harness_payload(0, 4);
	assert_int_equal(gre_channel_send(&H.ch, p, 0), ERR_LIMIT);
	pkt_free(p);
	gre_channel_destroy(&H.ch);
}

static void wrong_call_and_bad_frames(void **state)
{
	(void)state;
	struct gre_channel_config cfg;
	setup_default(&cfg);
	gre_channel_init(&H.ch, &cfg);
	struct test_log tl;
	test_log_capture(&tl);
	struct gre_header hdr = { .has_seq = true, .call_id = 129, .seq = 0, .payload_len = 4 };
	assert_int_equal(gre_channel_receive(&H.ch, &hdr, harness_payload(0, 4), 0), GRE_ERR_WRONG_CALL);
	test_log_release();
	assert_int_equal(tl.count, 1);
	assert_int_equal(gre_error_get(&H.ch.stats.malformed, GRE_ERR_WRONG_CALL), 1);
	hdr.call_id = 128;
	assert_int_equal(gre_channel_receive(&H.ch, &hdr, NULL, 0), ERR_INVALID);
	/* An ack-only packet may come with its (empty) pkt: it is freed. */
	struct gre_header ack_only = { .has_ack = true, .call_id = 128, .ack = UINT32_MAX };
	assert_int_equal(gre_channel_receive(&H.ch, &ack_only, pkt_new(64, 16), 0), 0);
	struct pkt *empty = pkt_new(64, 16);
	assert_int_equal(gre_channel_send(&H.ch, empty, 0), ERR_INVALID);
	pkt_free(empty);
	assert_int_equal(H.n_delivered, 0);
	gre_channel_destroy(&H.ch);
}

static void destroy_frees_held_packets(void **state)
{
	(void)state;
	struct gre_channel_config cfg;
	setup_default(&cfg);
	gre_channel_init(&H.ch, &cfg);
	harness_rx(&H, 0, false, 0, 0);
	for (uint32_t s = 2; s < 10; s++)
		harness_rx(&H, s, false, 0, 0);
	assert_int_equal(H.ch.held, 8);
	gre_channel_destroy(&H.ch); /* ASan's leak check proves the frees */
	assert_int_equal(H.ch.held, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(in_order_and_piggybacked_ack),
		cmocka_unit_test(reorder_released_in_order),
		cmocka_unit_test(gap_given_up_after_timeout_then_late),
		cmocka_unit_test(oldest_held_packet_bounds_latency),
		cmocka_unit_test(gap_given_up_when_buffer_fills),
		cmocka_unit_test(full_buffer_and_packet_inside_the_gap),
		cmocka_unit_test(far_jump_skips_without_holding),
		cmocka_unit_test(no_reordering_when_max_is_zero),
		cmocka_unit_test(duplicates_dropped_and_counted),
		cmocka_unit_test(sequence_wraps_at_2_32),
		cmocka_unit_test(ack_only_sent_after_delay),
		cmocka_unit_test(ack_at_once_when_half_our_window_is_unacked),
		cmocka_unit_test(ack_only_received_opens_window),
		cmocka_unit_test(send_window_policy),
		cmocka_unit_test(peer_window_zero_means_default),
		cmocka_unit_test(wrong_call_and_bad_frames),
		cmocka_unit_test(destroy_frees_held_packets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
