/* SPDX-License-Identifier: BSD-2-Clause */
/* MPPE receivers after one corrupted packet (GRE and PPP carry no
 * checksum, MPPE no integrity check), found reading simulation seed 30268
 * (docs/fuzzing.md). Each test failed before its fix. */
#include "support/test_support.h"

#include <string.h>

#include "base/error.h"
#include "base/inet_checksum.h"
#include "base/pkt.h"
#include "proto/mppe/mppe_channel.h"

struct pair {
	struct mppe_channel a, b; /* a sends to b */
};

static void pair_init(struct pair *pr, const struct mppe_channel_config *cfg)
{
	uint8_t k1[16], k2[16];
	for (int i = 0; i < 16; i++) {
		k1[i] = (uint8_t)(i * 7 + 3);
		k2[i] = (uint8_t)(i * 11 + 5);
	}
	assert_int_equal(mppe_channel_init(&pr->a, cfg, k1, k2), 0);
	assert_int_equal(mppe_channel_init(&pr->b, cfg, k2, k1), 0);
}

static void pair_clear(struct pair *pr)
{
	mppe_channel_wipe(&pr->a);
	mppe_channel_wipe(&pr->b);
}

/* PPP protocol 0x0021 and an IPv4 packet of 60..1059 bytes whose body is
 * a pseudo-random pattern: MPPC cannot compress it, so a stateful sender
 * sends it uncompressed and FLUSHED (RFC 2118 §3, RFC 3078 §3.1 bit A). */
static size_t incompressible(unsigned seq, uint8_t *buf)
{
	size_t len = 62 + (seq * 389u) % 1000u;
	uint32_t x = seq * 2654435761u + 1u;
	for (size_t i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = (uint8_t)x;
	}
	buf[0] = 0x00;
	buf[1] = 0x21;
	uint8_t *ip = buf + 2;
	memset(ip, 0, 20);
	ip[0] = 0x45;
	ip[2] = (uint8_t)((len - 2) >> 8);
	ip[3] = (uint8_t)(len - 2);
	ip[8] = 64;
	ip[9] = 17;
	uint16_t sum = inet_checksum(ip, 20);
	ip[10] = (uint8_t)(sum >> 8);
	ip[11] = (uint8_t)sum;
	return len;
}

/* a -> b, the MPPE header xored with flip[0..1]; 0 when b delivered the
 * packet intact; *reset when b asks for a Reset-Request. */
static int transfer(struct pair *pr, unsigned seq, const uint8_t flip[2], uint64_t now_ms, bool *reset)
{
	uint8_t s[PKT_SIZE], plain[1100];
	struct pkt p;
	pkt_init(&p, s, sizeof(s), PKT_HEADROOM);
	size_t len = incompressible(seq, plain);
	memcpy(pkt_put(&p, len), plain, len);
	assert_int_equal(mppe_channel_send(&pr->a, &p), 0);
	pkt_data(&p)[0] ^= flip[0];
	pkt_data(&p)[1] ^= flip[1];
	int rc = mppe_channel_receive(&pr->b, &p, now_ms, reset);
	if (rc == 0 && (p.len != len || memcmp(pkt_data(&p), plain, len) != 0))
		return ERR_MALFORMED;
	return rc;
}

/* Stateful MPPE + MPPC, RFC 3078's rule (A re-initialises RC4 with the
 * current key): one FLUSHED packet whose coherency count was corrupted.
 * - Forward across a flag packet (or backward, a "loss" of thousands):
 *   the receiver resynchronised to it at once (§8.2), counting flag
 *   packets the sender never sent; no key decrypted it and the anchor (the
 *   key before the jump) was dropped, so every later resync landed one
 *   count-space round (16 key changes) ahead of the sender, for good.
 * - Forward within one 256-packet block: the packet decrypts well and is
 *   taken, and the real packets that follow are "behind" that count:
 *   counted forward round the whole count space, 16 key changes ahead. */
static void stateful_survives_a_corrupted_count_on_a_flushed_packet(void **state)
{
	(void)state;
	static const uint8_t flips[][2] = {
		{ 0x01, 0x00 }, /* count + 256: one flag packet crossed */
		{ 0x04, 0x00 }, /* + 1024 */
		{ 0x08, 0x00 }, /* + 2048: taken as loss too */
		{ 0x00, 0x80 }, /* + 128 (no flag crossed at 19 and 259) */
		{ 0x00, 0x08 }, /* + 8: the packet decrypts well and is taken */
		{ 0x00, 0x02 }, /* - 2: 4094 "lost" */
	};
	static const uint8_t none[2] = { 0, 0 };
	const size_t nflips = sizeof(flips) / sizeof(flips[0]);
	for (size_t f = 0; f < 2 * nflips; f++) {
		for (unsigned at = 20; at <= 260; at += 240) {
			/* Without MPPC (second half) the packets are not FLUSHED. */
			struct mppe_channel_config cfg = { .key_bits = 128, .compress = f < nflips };
			struct pair pr;
			pair_init(&pr, &cfg);
			bool reset;
			unsigned tail_ok = 0;
			for (unsigned seq = 1; seq < at + 200; seq++) {
				int rc = transfer(&pr, seq, seq == at ? flips[f % nflips] : none, seq * 10u, &reset);
				if (reset)
					mppe_channel_reset_request(&pr.a);
				if (rc == 0 && seq >= at + 100)
					tail_ok++;
			}
			if (tail_ok != 100)
				fail_msg("case %zu at %u: %u of the last 100 delivered", f, at, tail_ok);
			pair_clear(&pr);
		}
	}
}

int main(void)
{
	log_set_level(LOG_LEVEL_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stateful_survives_a_corrupted_count_on_a_flushed_packet),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
