/* SPDX-License-Identifier: BSD-2-Clause */
/* The combined channel: compress + encrypt, decrypt + decompress, for every
 * CCP combination, with loss and Reset-Requests. */
#include "support/test_support.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/inet_checksum.h"
#include "base/pkt.h"
#include "proto/mppe/mppe_channel.h"
#include "support/mppe_pair.h"

/* Heap allocations counted while `counting` is set: the resync path must
 * not allocate per key tried (issue 12 §2). malloc is interposed in this
 * test binary only; under AddressSanitizer its allocator is in charge and
 * the count stays -1 (the tests still run the paths). */
static bool counting;
#if defined(__SANITIZE_ADDRESS__)
static long allocations = -1;
#else
static long allocations;
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);
void *malloc(size_t n)
{
	if (counting)
		allocations++;
	return __libc_malloc(n);
}
void *calloc(size_t n, size_t size)
{
	if (counting)
		allocations++;
	return __libc_calloc(n, size);
}
void *realloc(void *p, size_t n)
{
	if (counting)
		allocations++;
	return __libc_realloc(p, n);
}
#endif

static void count_allocations(bool on)
{
	if (on && allocations > 0)
		allocations = 0;
	counting = on;
}

static size_t payload(unsigned seq, uint8_t *buf, size_t max)
{
	size_t len = 22 + (seq * 37) % (max - 22);
	buf[0] = 0x00;
	buf[1] = 0x21;
	for (size_t i = 2; i < len; i++)
		buf[i] = (seq % 3 == 0) ? (uint8_t)(seq * 31 + i * 17 + (i * i >> 3)) : (uint8_t)("abcabcabd"[i % 9] + seq % 2);
	/* An IPv4 header (what MPPE carries; the receiver checks it, issue
	 * 12 §2): version 4, IHL 5, total length, header checksum. */
	uint8_t *ip = buf + 2;
	ip[0] = 0x45;
	ip[2] = (uint8_t)((len - 2) >> 8);
	ip[3] = (uint8_t)(len - 2);
	ip[10] = ip[11] = 0;
	uint16_t sum = inet_checksum(ip, 20);
	ip[10] = (uint8_t)(sum >> 8);
	ip[11] = (uint8_t)sum;
	return len;
}

/* Send one packet a -> b; deliver unless lost; corrupt: every byte past
 * the MPPE header flipped on the way (GRE and PPP have no checksum).
 * Returns b's result. */
static uint8_t header_xor[2]; /* flipped in the next packet's MPPE header, then cleared */

static int transfer_corrupt(struct mppe_channel_pair *pr, unsigned seq, bool lose, bool corrupt, bool *reset)
{
	uint8_t s1[PKT_SIZE], plain[1500];
	struct pkt p;
	pkt_init(&p, s1, sizeof(s1), PKT_HEADROOM);
	size_t len = payload(seq, plain, sizeof(plain));
	memcpy(pkt_put(&p, len), plain, len);
	assert_int_equal(mppe_channel_send(&pr->a, &p), 0);
	if (pr->a.cfg.key_bits != 0)
		assert_true(pkt_data(&p)[0] & MPPE_BIT_D);
	*reset = false;
	if (lose)
		return ERR_AGAIN;
	for (size_t i = MPPE_HEADER_LEN; corrupt && i < p.len; i++)
		pkt_data(&p)[i] ^= 0x5a;
	corrupt = corrupt || header_xor[0] || header_xor[1];
	pkt_data(&p)[0] ^= header_xor[0];
	pkt_data(&p)[1] ^= header_xor[1];
	header_xor[0] = header_xor[1] = 0;
	int rc = mppe_channel_receive(&pr->b, &p, 0, reset);
	if (rc == 0 && !corrupt) {
		assert_int_equal(p.len, len);
		assert_memory_equal(pkt_data(&p), plain, len);
	}
	return rc;
}

static int transfer(struct mppe_channel_pair *pr, unsigned seq, bool lose, bool *reset)
{
	return transfer_corrupt(pr, seq, lose, false, reset);
}

static void every_combination_round_trips_with_loss(void **state)
{
	(void)state;
	static const unsigned bits[] = { 0, 40, 56, 128 };
	for (size_t b = 0; b < 4; b++) {
		for (int stateless = 0; stateless < 2; stateless++) {
			for (int compress = 0; compress < 2; compress++) {
				if (bits[b] == 0 && !compress)
					continue;
				struct mppe_channel_config cfg = {
					.key_bits = bits[b], .stateless = stateless, .compress = compress,
					/* The Linux rule on one size, without MPPC (Linux has
					 * none; under that rule a lost FLUSHED packet that is
					 * not a flag packet loses a key change for good). */
					.reset_changes_key = bits[b] == 56 && !compress,
				};
				struct mppe_channel_pair pr;
				mppe_channel_pair_init(&pr, &cfg);
				bool reset;
				unsigned ok = 0;
				for (unsigned seq = 0; seq < 700; seq++) {
					bool lose = (seq % 97) == 50;
					int rc = transfer(&pr, seq, lose, &reset);
					if (rc == 0)
						ok++;
					if (reset)
						mppe_channel_reset_request(&pr.a); /* the CCP round trip */
				}
				/* Stateless loses only the lost ones; stateful also the
				 * packet that revealed each loss. */
				assert_true(ok >= 700 - 7 * 2);
				if (stateless)
					assert_int_equal(ok, 700 - 7);
				/* Stateful without MPPC bridges each loss by finding
				 * the lost bytes (mppe_recover.h): no reset needed. */
				if (!stateless && !compress && bits[b] != 0) {
					assert_int_equal(ok, 700 - 7);
					assert_int_equal(pr.b.rx.stats.recovered, 7);
					assert_int_equal(pr.b.rx.stats.reset_requests, 0);
				}
				if (bits[b] != 0)
					assert_int_equal(pr.b.rx.stats.garbage, 0);
				if (compress) {
					assert_true(pr.a.stats.compressed > 100);
					assert_true(pr.a.stats.bytes_after < pr.a.stats.bytes_before);
					assert_int_equal(pr.b.stats.decompress_errors, 0);
				}
				mppe_channel_pair_wipe(&pr);
			}
		}
	}
}

/* Issue 12 §2: stateful MPPC with Linux's reset rule asked for (our
 * default). MPPC flushes after each incompressible packet; under that rule
 * each FLUSHED packet was a key change and losing them lost key changes
 * for good. With MPPC the channel keeps RFC 3078 §8.2's rule instead (A
 * re-inits RC4 with the current key), so no key change is ever hidden and
 * the resync needs no search for lost ones. */
static void stateful_mppc_linux_rule_survives_loss(void **state)
{
	(void)state;
	struct mppe_channel_config cfg = { .key_bits = 128, .stateless = false, .compress = true,
					   .reset_changes_key = true };
	struct mppe_channel_pair pr;
	mppe_channel_pair_init(&pr, &cfg);
	bool reset;
	unsigned ok = 0, tail_ok = 0;
	for (unsigned seq = 0; seq < 3000; seq++) {
		bool lose = seq % 61 == 7 || seq % 61 == 8 || seq % 97 == 40;
		int rc = transfer(&pr, seq, lose, &reset);
		assert_int_not_equal(rc, ERR_CRYPTO);
		if (rc == 0) {
			ok++;
			if (seq >= 2900)
				tail_ok++;
		}
		if (reset)
			mppe_channel_reset_request(&pr.a);
	}
	assert_true(ok > 2700);
	assert_true(tail_ok > 90);
	assert_false(pr.a.tx.reset_changes_key);
	assert_false(pr.b.rx.reset_changes_key);
	assert_int_equal(pr.b.rx.stats.lost_flushes_found, 0);
	assert_int_equal(pr.b.rx.stats.garbage, 0);
	mppe_channel_pair_wipe(&pr);
}

/* An IPv4 packet of incompressible bytes (what iperf3 and the bench send):
 * MPPC sends it as it is and flushes its history before the next one
 * (RFC 2118 §3 "Data Expansion"), so nearly every packet carries A. */
static size_t random_payload(uint32_t *rng, uint8_t *buf, size_t len)
{
	buf[0] = 0x00;
	buf[1] = 0x21;
	for (size_t i = 2; i < len; i++) {
		*rng ^= *rng << 13;
		*rng ^= *rng >> 17;
		*rng ^= *rng << 5;
		buf[i] = (uint8_t)*rng;
	}
	uint8_t *ip = buf + 2;
	ip[0] = 0x45;
	ip[2] = (uint8_t)((len - 2) >> 8);
	ip[3] = (uint8_t)(len - 2);
	ip[10] = ip[11] = 0;
	uint16_t sum = inet_checksum(ip, 20);
	ip[10] = (uint8_t)(sum >> 8);
	ip[11] = (uint8_t)sum;
	return len;
}

/* One packet a -> b (lost or delivered), a Reset-Request b -> a when b
 * asks and the request is not lost. Returns b's result. */
static int random_transfer(struct mppe_channel_pair *pr, uint32_t *rng, bool lose, bool lose_reset)
{
	uint8_t s1[PKT_SIZE], plain[1400];
	struct pkt p;
	pkt_init(&p, s1, sizeof(s1), PKT_HEADROOM);
	size_t len = random_payload(rng, plain, 60 + *rng % 1300);
	memcpy(pkt_put(&p, len), plain, len);
	assert_int_equal(mppe_channel_send(&pr->a, &p), 0);
	if (lose)
		return ERR_AGAIN;
	bool reset = false;
	int rc = mppe_channel_receive(&pr->b, &p, 0, &reset);
	if (rc == 0) {
		assert_int_equal(p.len, len);
		assert_memory_equal(pkt_data(&p), plain, len);
	}
	if (reset && !lose_reset)
		mppe_channel_reset_request(&pr->a);
	return rc;
}

/* Issue 12 §2 (bench: MPPC stalled for good after the full-rate UDP load,
 * 89% lost in bursts): with MPPC nearly every packet is FLUSHED, and under
 * Linux's rule each was a key change the coherency count does not show, so
 * a burst of more lost packets than the resync could try left the
 * receiver on a wrong key for ever. With MPPC the FLUSHED bit re-inits RC4
 * with the current key (RFC 3078 §3.1 bit A, §8.2) on both ends; only flag
 * packets change keys, and the count says how many. */
static void stateful_mppc_survives_long_bursts(void **state)
{
	(void)state;
	static const unsigned bursts[] = { 1, 5, 70, 300, 1000, 4000, 5000, 9000 };
	for (int linux_rule = 0; linux_rule < 2; linux_rule++) {
		struct mppe_channel_config cfg = { .key_bits = 128, .stateless = false, .compress = true,
						   .reset_changes_key = linux_rule };
		struct mppe_channel_pair pr;
		mppe_channel_pair_init(&pr, &cfg);
		uint32_t rng = 0x12345678u;
		for (size_t b = 0; b < sizeof(bursts) / sizeof(bursts[0]); b++) {
			for (unsigned i = 0; i < bursts[b]; i++)
				(void)random_transfer(&pr, &rng, true, false);
			/* The first Reset-Request is lost too. */
			unsigned ok = 0;
			for (unsigned i = 0; i < 300; i++)
				if (random_transfer(&pr, &rng, false, i == 0) == 0)
					ok++;
			if (ok < 290)
				fail_msg("linux rule %d, burst of %u lost: %u of 300 after it delivered", linux_rule,
					 bursts[b], ok);
		}
		assert_int_equal(pr.b.rx.stats.garbage, 0);
		mppe_channel_pair_wipe(&pr);
	}
}

/* The same with drawn loss patterns (a small fuzz over seeds): bursts of
 * 0..11999 lost packets (under three count-space wraps, what the resync
 * tries), compressible and incompressible traffic mixed, Reset-Requests
 * lost at random. After each burst and 300 packets to resynchronise (a
 * lost Reset-Request waits for the next flag packet, at most 256), the
 * next 200 packets are all delivered, intact. */
static void stateful_mppc_drawn_bursts_resynchronise(void **state)
{
	(void)state;
	for (uint32_t seed = 1; seed <= 6; seed++) {
		struct mppe_channel_config cfg = { .key_bits = 128, .stateless = false, .compress = true,
						   .reset_changes_key = true };
		struct mppe_channel_pair pr;
		mppe_channel_pair_init(&pr, &cfg);
		uint32_t rng = seed * 2654435761u;
		unsigned seq = 0;
		for (int burst = 0; burst < 4; burst++) {
			rng ^= rng << 13;
			rng ^= rng >> 17;
			rng ^= rng << 5;
			unsigned lost = burst % 2 ? rng % 12000u : rng % 200u;
			bool compressible = (rng >> 20) & 1;
			bool reset;
			for (unsigned i = 0; i < lost; i++, seq++)
				(void)(compressible ? transfer(&pr, seq, true, &reset)
						    : random_transfer(&pr, &rng, true, false));
			unsigned tail_ok = 0;
			for (unsigned i = 0; i < 500; i++, seq++) {
				bool lose_reset = (rng >> (i % 24)) & 1;
				int rc;
				if (compressible) {
					rc = transfer(&pr, seq, false, &reset);
					if (reset && !lose_reset)
						mppe_channel_reset_request(&pr.a);
				} else {
					rc = random_transfer(&pr, &rng, false, lose_reset);
				}
				if (i >= 300 && rc == 0)
					tail_ok++;
			}
			if (tail_ok != 200)
				fail_msg("seed %u burst %d: %u lost (%s): %u of the last 200 delivered", seed, burst, lost,
					 compressible ? "compressible" : "random", tail_ok);
		}
		assert_int_equal(pr.b.rx.stats.garbage, 0);
		mppe_channel_pair_wipe(&pr);
	}
}

/* Issue 12 §2: the resync tries keys on a compressed FLUSHED packet by
 * expanding it in the channel's one scratch decompressor: no allocation
 * per key tried (there was a malloc of 8 KiB each), and what an earlier
 * try left in the scratch history does not change the verdict. */
static void mppc_resync_tries_keys_without_allocating(void **state)
{
	(void)state;
	struct mppe_channel_config cfg = { .key_bits = 128, .stateless = false, .compress = true };
	struct mppe_channel_pair pr;
	mppe_channel_pair_init(&pr, &cfg);
	uint8_t plain[1500], packet[1500];
	size_t len = payload(4, plain, sizeof(plain));
	struct mppc_compressor *comp = malloc(sizeof(*comp));
	assert_non_null(comp);
	mppc_compressor_init(comp);
	uint8_t bits;
	size_t clen;
	mppc_compress(comp, plain, len, packet, true, &bits, &clen);
	free(comp);
	assert_true(bits & MPPC_BIT_COMPRESSED);
	uint8_t garbage[1500];
	memcpy(garbage, packet, clen);
	garbage[clen / 2] ^= 0x5A;
	assert_non_null(pr.b.rx.plain_ok);
	count_allocations(true);
	for (int i = 0; i < 100; i++) {
		assert_true(pr.b.rx.plain_ok(pr.b.rx.plain_ok_ctx, packet, clen, bits));
		assert_false(pr.b.rx.plain_ok(pr.b.rx.plain_ok_ctx, garbage, clen, bits));
	}
	count_allocations(false);
	assert_true(allocations <= 0);

	/* End to end: compressible traffic, more than the count space lost
	 * (4200), so the first key tried is 16 key changes short and the
	 * wrap search expands compressed FLUSHED packets (RFC 3078 §8.2). */
	bool reset;
	for (unsigned seq = 0; seq < 50; seq++)
		assert_int_equal(transfer(&pr, seq, false, &reset), 0);
	for (unsigned seq = 50; seq < 4250; seq++)
		(void)transfer(&pr, seq, true, &reset);
	unsigned ok = 0;
	count_allocations(true);
	for (unsigned seq = 4250; seq < 4550; seq++) {
		if (transfer(&pr, seq, false, &reset) == 0)
			ok++;
		if (reset)
			mppe_channel_reset_request(&pr.a);
	}
	count_allocations(false);
	assert_true(ok > 290);
	assert_true(pr.b.rx.stats.wraps_found > 0);
	assert_true(allocations <= 0);
	mppe_channel_pair_wipe(&pr);
}

/* Sim seeds 357, 550, 729, 777, 888: stateful MPPE + MPPC, a corrupted
 * packet breaks the MPPC history and the receiver asks for a reset; the
 * FLUSHED answer is corrupted too. The receiver asked only when the
 * history was first lost, so it stayed broken for ever (every later
 * packet dropped, no second Reset-Request, nothing else ever flushes).
 * It must ask again: at once when a FLUSHED packet fails, and while it
 * stays broken every MPPE_RESET_REPEAT packets (its request may be lost). */
static void stateful_mppc_asks_again_when_the_flush_is_corrupted(void **state)
{
	(void)state;
	struct mppe_channel_config cfg = { .key_bits = 128, .stateless = false, .compress = true };
	struct mppe_channel_pair pr;
	mppe_channel_pair_init(&pr, &cfg);
	bool reset, answered = false, corrupt_next_flush = false;
	unsigned resets = 0, tail_ok = 0;
	for (unsigned seq = 1; seq < 400; seq++) {
		bool corrupt = seq == 20 || corrupt_next_flush;
		corrupt_next_flush = false;
		/* payload(3k + 1) compresses: the sender never flushes by itself. */
		int rc = transfer_corrupt(&pr, seq * 3 + 1, false, corrupt, &reset);
		if (rc == 0 && seq >= 300)
			tail_ok++;
		if (reset) {
			resets++;
			/* The first answer is corrupted; the second is lost (its
			 * Reset-Request never arrived); then the link is clean. */
			if (!answered) {
				answered = true;
				corrupt_next_flush = true;
				mppe_channel_reset_request(&pr.a);
			} else if (resets > 2) {
				mppe_channel_reset_request(&pr.a);
			}
		}
	}
	assert_true(resets >= 3);
	assert_int_equal(tail_ok, 100);
	mppe_channel_pair_wipe(&pr);
}

/* Sim seeds 357 (A bit) and 550, 729 (coherency count): one corrupted
 * MPPE header under Linux's rule (a key change per FLUSHED packet) took
 * the receiver's key forward where the sender's never went. Keys only go
 * forward: every packet after it was garbage, Reset-Requests and flushes
 * notwithstanding, for the rest of the session. Now the link recovers. */
static void stateful_mppc_survives_one_corrupted_header(void **state)
{
	(void)state;
	static const uint8_t flips[][2] = {
		{ MPPE_BIT_A, 0 }, /* FLUSHED that was not */
		{ 0x01, 0 },       /* count + 256: a flag packet crossed */
		{ 0x04, 0 },       /* count + 1024 */
	};
	for (size_t f = 0; f < sizeof(flips) / sizeof(flips[0]); f++) {
		struct mppe_channel_config cfg = { .key_bits = 128, .stateless = false, .compress = true, .reset_changes_key = true };
		struct mppe_channel_pair pr;
		mppe_channel_pair_init(&pr, &cfg);
		bool reset;
		unsigned tail_ok = 0;
		for (unsigned seq = 1; seq < 400; seq++) {
			if (seq == 20) {
				header_xor[0] = flips[f][0];
				header_xor[1] = flips[f][1];
			}
			int rc = transfer_corrupt(&pr, seq * 3 + 1, false, false, &reset);
			if (rc == 0 && seq >= 300)
				tail_ok++;
			if (reset)
				mppe_channel_reset_request(&pr.a);
		}
		assert_int_equal(tail_ok, 100);
		mppe_channel_pair_wipe(&pr);
	}
}

/* Sim seeds 4306, 5846, 5861, 5862, 5968: a stateless receiver took a
 * corrupted coherency count (+257 here) as a jump, changed its key that
 * far and then dropped every real packet as late until the count came
 * round (thousands of packets). Now the next real packet, counted from
 * the key before the jump, is taken. */
static void stateless_survives_one_corrupted_count(void **state)
{
	(void)state;
	static const uint8_t flips[][2] = { { 0x01, 0x01 }, { 0x00, 0x40 }, { 0x02, 0x00 }, { 0x04, 0x00 } };
	for (int compress = 0; compress <= 1; compress++) {
		for (size_t f = 0; f < sizeof(flips) / sizeof(flips[0]); f++) {
			struct mppe_channel_config cfg = { .key_bits = 128, .stateless = true, .compress = compress };
			struct mppe_channel_pair pr;
			mppe_channel_pair_init(&pr, &cfg);
			bool reset;
			unsigned ok_after = 0;
			for (unsigned seq = 1; seq < 60; seq++) {
				if (seq == 20) {
					header_xor[0] = flips[f][0];
					header_xor[1] = flips[f][1];
				}
				int rc = transfer_corrupt(&pr, seq, false, false, &reset);
				if (rc == 0 && seq > 20)
					ok_after++;
			}
			assert_int_equal(ok_after, 39);
			mppe_channel_pair_wipe(&pr);
		}
	}
}

static void config_errors(void **state)
{
	(void)state;
	struct mppe_channel ch;
	uint8_t k[16] = { 0 };
	struct mppe_channel_config none = { .key_bits = 0, .compress = false };
	assert_int_equal(mppe_channel_init(&ch, &none, k, k), ERR_INVALID);
	struct mppe_channel_config bad = { .key_bits = 64 };
	assert_int_equal(mppe_channel_init(&ch, &bad, k, k), ERR_INVALID);
}

static void compressed_packet_without_mppc_is_dropped(void **state)
{
	(void)state;
	/* Sender compresses, receiver did not negotiate MPPC. */
	struct mppe_channel_config with = { .key_bits = 128, .stateless = true, .compress = true };
	struct mppe_channel_config without = { .key_bits = 128, .stateless = true, .compress = false };
	uint8_t k[16] = { 1, 2, 3 };
	struct mppe_channel a, b;
	assert_int_equal(mppe_channel_init(&a, &with, k, k), 0);
	assert_int_equal(mppe_channel_init(&b, &without, k, k), 0);
	uint8_t s[PKT_SIZE];
	struct pkt p;
	pkt_init(&p, s, sizeof(s), PKT_HEADROOM);
	uint8_t *d = pkt_put(&p, 200);
	memset(d, 'x', 200);
	assert_int_equal(mppe_channel_send(&a, &p), 0);
	bool reset;
	assert_int_equal(mppe_channel_receive(&b, &p, 0, &reset), ERR_MALFORMED);
	mppe_channel_wipe(&a);
	mppe_channel_wipe(&b);
}

struct bad_packet {
	const char *name;
	const uint8_t *bytes;
	size_t len;
	unsigned key_bits;
	int expect;
};

static void malformed_packets_table(void **state)
{
	(void)state;
	static const uint8_t one[] = { 0x90 };
	static const uint8_t plain_on_mppe[] = { 0x80, 0x00, 0x00, 0x21 };
	static const uint8_t encrypted_on_mppc_only[] = { 0x90, 0x00, 0x00, 0x21 };
	static const uint8_t bad_mppc[] = { 0xA0, 0x00, 0xF0, 0x00 }; /* offset 0 */
	static const struct bad_packet cases[] = {
		{ "1 byte, MPPE", one, sizeof(one), 128, ERR_TRUNCATED },
		{ "1 byte, MPPC only", one, sizeof(one), 0, ERR_TRUNCATED },
		{ "D clear on MPPE link", plain_on_mppe, sizeof(plain_on_mppe), 56, ERR_MALFORMED },
		{ "D set on MPPC-only link", encrypted_on_mppc_only, sizeof(encrypted_on_mppc_only), 0, ERR_MALFORMED },
		{ "bad MPPC stream", bad_mppc, sizeof(bad_mppc), 0, ERR_MALFORMED },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mppe_channel_config cfg = { .key_bits = cases[i].key_bits, .stateless = false, .compress = true };
		uint8_t k[16] = { 9 };
		struct mppe_channel ch;
		assert_int_equal(mppe_channel_init(&ch, &cfg, k, k), 0);
		uint8_t s1[PKT_SIZE];
		struct pkt p;
		pkt_init(&p, s1, sizeof(s1), PKT_HEADROOM);
		memcpy(pkt_put(&p, cases[i].len), cases[i].bytes, cases[i].len);
		bool reset;
		int rc = mppe_channel_receive(&ch, &p, 0, &reset);
		if (rc != cases[i].expect)
			fail_msg("case '%s': got %s, want %s", cases[i].name, error_name(rc), error_name(cases[i].expect));
		mppe_channel_wipe(&ch);
	}
}

int main(void)
{
	log_set_level(LOG_LEVEL_WARN);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_combination_round_trips_with_loss),
		cmocka_unit_test(stateful_mppc_linux_rule_survives_loss),
		cmocka_unit_test(stateful_mppc_survives_long_bursts),
		cmocka_unit_test(mppc_resync_tries_keys_without_allocating),
		cmocka_unit_test(stateful_mppc_drawn_bursts_resynchronise),
		cmocka_unit_test(stateful_mppc_asks_again_when_the_flush_is_corrupted),
		cmocka_unit_test(stateful_mppc_survives_one_corrupted_header),
		cmocka_unit_test(stateless_survives_one_corrupted_count),
		cmocka_unit_test(config_errors),
		cmocka_unit_test(compressed_packet_without_mppc_is_dropped),
		cmocka_unit_test(malformed_packets_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
