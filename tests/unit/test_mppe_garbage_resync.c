/* SPDX-License-Identifier: BSD-2-Clause */
/* Stateful MPPE + MPPC after a run of garbage and a corrupted coherency
 * count while discarding, the sequence simulation seed 200479 showed (GRE
 * and PPP carry no checksum, MPPE no integrity check): the server's
 * receiver decrypted 4 packets in a row to garbage, asked for a reset
 * (lost), then took a count corrupted 256 ahead, one flag packet the
 * sender never sent (RFC 3078 §7.2: a key change), and every FLUSHED
 * answer to its 90 Reset-Requests after that failed. Each test failed
 * before its fix. */
#include "support/test_support.h"

#include <string.h>

#include "base/error.h"
#include "base/pkt.h"
#include "proto/mppe/mppe_channel.h"
#include "support/mppe_pair.h"

/* What the link does to one packet from a to b. */
struct fault {
	uint8_t flip[3]; /* xored into the MPPE header and the first payload byte */
};

static const struct fault clean = { { 0, 0, 0 } };
/* The first byte of the (compressed) payload: the packet decrypts and
 * decompresses, but not to IP (mppe_payload_plausible). */
static const struct fault garbage = { { 0, 0, 0x02 } };
/* The count 256 ahead: a flag packet crossed (RFC 3078 §7.2). */
static const struct fault count_plus_256 = { { 0x01, 0, 0 } };
/* The count 1024 ahead: four flag packets crossed. */
static const struct fault count_plus_1024 = { { 0x04, 0, 0 } };

/* Send packet seq from a to b (compressible: MPPC compresses it); 0 when
 * b delivered it intact; *reset when b asks for a Reset-Request. */
static int transfer(struct mppe_channel_pair *pr, unsigned seq, const struct fault *f, bool *reset)
{
	uint8_t s[PKT_SIZE], plain[PKT_SIZE];
	struct pkt p;
	pkt_init(&p, s, sizeof(s), PKT_HEADROOM);
	size_t len = mppe_pair_payload(seq, true, plain);
	memcpy(pkt_put(&p, len), plain, len);
	assert_int_equal(mppe_channel_send(&pr->a, &p), 0);
	for (size_t i = 0; i < sizeof(f->flip) && i < p.len; i++)
		pkt_data(&p)[i] ^= f->flip[i];
	int rc = mppe_channel_receive(&pr->b, &p, 20u * seq, reset);
	if (rc == 0 && (p.len != len || memcmp(pkt_data(&p), plain, len) != 0))
		return ERR_CRYPTO;
	return rc;
}

/* seq 0..9 clean; 10..13 garbage (b starts discarding and asks for a
 * reset, the request lost); 14 with its count 256 ahead; 15..29 clean,
 * b's requests lost; then Reset-Requests reach a. corrupt_answer: the
 * first FLUSHED answer is corrupted too. The last 100 of 200 packets
 * after that must arrive intact. */
static void run(bool corrupt_answer)
{
	struct mppe_channel_config cfg = { .key_bits = 128, .compress = true };
	struct mppe_channel_pair pr;
	mppe_channel_pair_init(&pr, &cfg);
	bool reset;
	unsigned seq = 0;
	for (; seq < 10; seq++)
		assert_int_equal(transfer(&pr, seq, &clean, &reset), 0);
	for (; seq < 14; seq++)
		assert_int_equal(transfer(&pr, seq, &garbage, &reset), ERR_MALFORMED);
	/* The precondition of the case: MPPE's garbage run, not MPPC's. */
	assert_int_equal(pr.b.rx.state, MPPE_RX_DISCARDING);
	assert_true(reset);
	assert_int_equal(transfer(&pr, seq++, &count_plus_256, &reset), ERR_AGAIN);
	for (; seq < 30; seq++)
		assert_int_equal(transfer(&pr, seq, &clean, &reset), ERR_AGAIN);
	mppe_channel_reset_request(&pr.a);
	if (corrupt_answer)
		assert_int_not_equal(transfer(&pr, seq++, &garbage, &reset), 0);
	unsigned tail_ok = 0;
	for (unsigned end = seq + 200; seq < end; seq++) {
		int rc = transfer(&pr, seq, &clean, &reset);
		assert_int_not_equal(rc, ERR_CRYPTO);
		if (reset)
			mppe_channel_reset_request(&pr.a);
		if (rc == 0 && end - seq <= 100)
			tail_ok++;
	}
	if (tail_ok != 100)
		fail_msg("%u of the last 100 delivered", tail_ok);
	mppe_channel_pair_wipe(&pr);
}

/* Before: the count jump's key change was made with no anchor (the key
 * before it) kept, so the resync on the FLUSHED answer started 16 key
 * changes ahead of the sender and never found its key. */
static void corrupted_count_after_garbage_run(void **state)
{
	(void)state;
	run(false);
}

/* Before: a resync that missed left a wrong key SYNCED; the FLUSHED
 * answers to MPPC's Reset-Requests then failed to decompress, which MPPE
 * never saw, so no other key (the anchor) was ever tried again. */
static void corrupted_answer_after_corrupted_count(void **state)
{
	(void)state;
	run(true);
}

/* Sim seed 304949: one packet of garbage (a corrupted payload, the key
 * still right), then, while still SYNCED, the next packet's count
 * corrupted 1024 ahead. Before: no anchor was kept in the middle of a
 * garbage run, so the four key changes of that jump stood, and the resync
 * on every FLUSHED answer started 16 key changes (a count-space round)
 * ahead of the sender: nothing delivered for the rest of the session. */
static void corrupted_count_after_one_garbage_packet(void **state)
{
	(void)state;
	struct mppe_channel_config cfg = { .key_bits = 128, .compress = true };
	struct mppe_channel_pair pr;
	mppe_channel_pair_init(&pr, &cfg);
	bool reset = false;
	unsigned seq = 0;
	for (; seq < 10; seq++)
		assert_int_equal(transfer(&pr, seq, &clean, &reset), 0);
	assert_int_equal(transfer(&pr, seq++, &garbage, &reset), ERR_MALFORMED);
	assert_int_equal(pr.b.rx.state, MPPE_RX_SYNCED);
	assert_int_equal(transfer(&pr, seq++, &count_plus_1024, &reset), ERR_AGAIN);
	assert_true(reset);
	unsigned tail_ok = 0;
	for (unsigned end = seq + 200; seq < end; seq++) {
		if (reset)
			mppe_channel_reset_request(&pr.a);
		int rc = transfer(&pr, seq, &clean, &reset);
		assert_int_not_equal(rc, ERR_CRYPTO);
		if (rc == 0 && end - seq <= 100)
			tail_ok++;
	}
	if (tail_ok != 100)
		fail_msg("%u of the last 100 delivered", tail_ok);
	mppe_channel_pair_wipe(&pr);
}

int main(void)
{
	log_set_level(LOG_LEVEL_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(corrupted_count_after_garbage_run),
		cmocka_unit_test(corrupted_answer_after_corrupted_count),
		cmocka_unit_test(corrupted_count_after_one_garbage_packet),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
