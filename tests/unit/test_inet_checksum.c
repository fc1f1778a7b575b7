/* SPDX-License-Identifier: BSD-2-Clause */
/* base/inet_checksum.h: the word-at-a-time data-path sum (inet_sum) must
 * fold to what the plain big-endian 16-bit sum (inet_sum_words) gives, at
 * every length, alignment, starting sum and byte pattern, and be zero
 * exactly when every byte is. */
#include "support/test_support.h"

#include <stdbool.h>
#include <string.h>

#include "base/inet_checksum.h"

#define MAX_LEN 300

static uint8_t buf[MAX_LEN + 16];

static void fill(unsigned pattern, uint32_t seed)
{
	for (size_t i = 0; i < sizeof(buf); i++) {
		seed = seed * 1103515245u + 12345u;
		uint8_t random = (uint8_t)(seed >> 16);
		buf[i] = pattern == 2 ? random : pattern == 1 ? 0xff
							      : 0;
	}
}

static void rfc1071_example(void **state)
{
	(void)state;
	/* RFC 1071 §3: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2. */
	static const uint8_t b[8] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	assert_int_equal(inet_fold(inet_sum(0, b, 8)), 0xddf2);
	assert_int_equal(inet_fold(inet_sum_words(0, b, 8)), 0xddf2);
	assert_int_equal(inet_checksum(b, 8), (uint16_t)~0xddf2);
}

static void matches_word_sum(void **state)
{
	(void)state;
	static const uint64_t starts[] = { 0, 1, 0x1234, 0xffff, 5u * 0xffffu, 0x2fffd0000ull };
	for (unsigned pattern = 0; pattern < 3; pattern++) {
		fill(pattern, pattern * 7919u + 1u);
		for (size_t off = 0; off < 8; off++) {
			for (size_t n = 0; n <= MAX_LEN; n++) {
				for (size_t s = 0; s < sizeof(starts) / sizeof(starts[0]); s++) {
					uint16_t fast = inet_fold(inet_sum(starts[s], buf + off, n));
					uint16_t ref = inet_fold(inet_sum_words(starts[s], buf + off, n));
					if (fast != ref)
						fail_msg("pattern %u off %zu len %zu start %zu: %04x != %04x", pattern,
							 off, n, s, fast, ref);
				}
				bool all_zero = pattern == 0 || n == 0;
				if ((inet_sum(0, buf + off, n) == 0) != all_zero)
					fail_msg("pattern %u off %zu len %zu: zero-ness differs", pattern, off, n);
			}
		}
	}
}

static void one_byte_anywhere(void **state)
{
	(void)state;
	/* A single nonzero byte at each position of a zero run: the odd
	 * tail and each lane of the 16-byte loop land in the right half. */
	for (size_t n = 1; n <= 64; n++) {
		for (size_t at = 0; at < n; at++) {
			memset(buf, 0, sizeof(buf));
			buf[at] = 0x5a;
			uint16_t want = at % 2 ? 0x005a : 0x5a00;
			assert_int_equal(inet_fold(inet_sum(0, buf, n)), want);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc1071_example),
		cmocka_unit_test(matches_word_sum),
		cmocka_unit_test(one_byte_anywhere),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
