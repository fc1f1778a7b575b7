/* SPDX-License-Identifier: BSD-2-Clause */
/* Replay the real pptp-linux <-> pptpd GRE stream through a channel playing
 * one side (peer window 3, as both advertised in the capture): the other
 * side's packets are received at their capture times, and where the played
 * side sent data our channel sends instead: its numbering must match and its
 * acks must be no older than the real ones. */
#include "support/test_support.h"

#include "base/error.h"
#include "base/time.h"
#include "gre_channel_harness.h"

#include "../vectors/gre/capture_vectors.h"

static struct harness H;

static void advance(uint64_t now)
{
	while (gre_channel_next_deadline(&H.ch) <= now)
		gre_channel_on_timeout(&H.ch, gre_channel_next_deadline(&H.ch));
}

/* Play side `us` (0: pptp-linux, 1: pptpd): receive the other side's
 * packets, send ours where that side sent data. */
static void replay(uint8_t us)
{
	struct gre_channel_config cfg;
	harness_config(&H, &cfg);
	cfg.local_call_id = us == 1 ? 128 : 13490;
	cfg.peer_call_id = us == 1 ? 13490 : 128;
	cfg.peer_recv_window = 3;
	assert_int_equal(gre_channel_init(&H.ch, &cfg), 0);
	if (us == 0) {
		/* Number like pptp-linux (from 1) so pptpd's acks line up. */
		H.ch.tx_next_seq = 1;
		H.ch.tx_acked = 0;
	}

	uint32_t first_rx = 0, data_rx = 0, ack_only_rx = 0, matched_tx = 0;
	bool seen_first = false;
	for (size_t i = 0; i < GRE_CAPTURE_VECTOR_COUNT; i++) {
		const struct gre_capture_vector *v = &gre_capture_vectors[i];
		uint64_t now = 100000u + v->time_ms;
		advance(now);
		struct gre_header h;
		static uint8_t buf[GRE_HEADER_MAX + 2048];
		memcpy(buf, v->header, v->header_len);
		memset(buf + v->header_len, 0, v->payload_bytes);
		assert_int_equal(gre_header_decode(buf, v->header_len + (size_t)v->payload_bytes, &h),
				 v->header_len);
		if (v->dir != us) {
			struct pkt *p = NULL;
			if (h.has_seq) {
				if (!seen_first) {
					first_rx = h.seq;
					seen_first = true;
				}
				p = harness_payload(h.seq, h.payload_len);
				data_rx++;
			} else {
				ack_only_rx++;
			}
			assert_int_equal(gre_channel_receive(&H.ch, &h, p, now), 0);
		} else if (h.has_seq) {
			/* pptpd sent a data packet here: send ours. */
			struct pkt *p = harness_payload(0, h.payload_len);
			assert_int_equal(gre_channel_send(&H.ch, p, now), 0);
			struct gre_header ours;
			assert_true(gre_header_strip(p, &ours) > 0);
			assert_int_equal(ours.seq, h.seq);
			assert_int_equal(ours.call_id, h.call_id);
			assert_int_equal(ours.payload_len, h.payload_len);
			if (ours.has_ack && h.has_ack)
				assert_false(seq32_before(ours.ack, h.ack));
			matched_tx++;
			pkt_free(p);
		}
	}
	advance(UINT64_MAX - 1);

	/* pptp-linux numbers from 1 and sends 7 ack-only packets; pptpd
	 * numbers from 0 and always piggybacks. */
	assert_int_equal(first_rx, us == 1 ? 1 : 0);
	assert_int_equal(ack_only_rx, us == 1 ? 7 : 0);
	assert_int_equal(H.ch.stats.rx_ack_only, ack_only_rx);
	assert_int_equal(H.ch.stats.rx_accepted, data_rx);
	assert_int_equal(H.n_delivered, data_rx);
	for (size_t i = 1; i < H.n_delivered; i++)
		assert_int_equal(H.delivered[i], H.delivered[i - 1] + 1);
	assert_int_equal(H.ch.stats.rx_lost, 0);
	assert_int_equal(H.ch.stats.rx_duplicate, 0);
	assert_int_equal(H.ch.stats.rx_late, 0);
	assert_int_equal(H.ch.stats.acks_invalid, 0);
	assert_true(matched_tx > (us == 1 ? 150u : 250u));
	/* Against pptp-linux's window of 3 we, like pptpd, ran ahead. */
	assert_true(H.ch.stats.tx_over_window > 0);
	gre_channel_destroy(&H.ch);
}

static void replay_client_stream_as_server(void **state)
{
	(void)state;
	replay(1);
}

static void replay_server_stream_as_client(void **state)
{
	(void)state;
	replay(0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(replay_client_stream_as_server),
		cmocka_unit_test(replay_server_stream_as_client),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
