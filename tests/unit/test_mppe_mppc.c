/* SPDX-License-Identifier: BSD-2-Clause */
/* MPPC (RFC 2118): bit encodings, round trips, malformed streams. */
#include "support/test_support.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "proto/mppe/mppc.h"

/* A test-side bit writer for hand-made streams, from "0101 1..." strings. */
static size_t bits_from_string(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	memset(out, 0, cap);
	for (; *s; s++) {
		if (*s != '0' && *s != '1')
			continue;
		assert_true(n / 8 < cap);
		if (*s == '1')
			out[n / 8] |= (uint8_t)(0x80u >> (n % 8));
		n++;
	}
	return (n + 7) / 8;
}

static void put_bits(char *s, uint32_t v, unsigned n)
{
	size_t at = strlen(s);
	for (unsigned i = 0; i < n; i++)
		s[at + i] = (v >> (n - 1 - i)) & 1 ? '1' : '0';
	s[at + n] = 0;
}

static void lit(char *s, uint8_t c)
{
	if (c < 0x80)
		put_bits(s, c, 8);
	else
		put_bits(s, 0x100u | (c & 0x7Fu), 9);
}

static struct mppc_decompressor dec;
static struct mppc_compressor comp;

static int decode_string(const char *bitstr, uint8_t bits, const uint8_t **out, size_t *out_len)
{
	static uint8_t buf[4096];
	size_t n = bits_from_string(bitstr, buf, sizeof(buf));
	return mppc_decompress(&dec, bits, buf, n, 8192, out, out_len);
}

/* RFC 2118 §4: "for whom the bell tolls,<16,15> <40,4><19,3>e." */
static void rfc2118_example_decodes(void **state)
{
	(void)state;
	static char s[4096];
	s[0] = 0;
	const char *head = "for whom the bell tolls,";
	for (const char *p = head; *p; p++)
		lit(s, (uint8_t)*p);
	strcat(s, "1111" "010000" "110" "111");      /* <16,15>: offset 16, length 15 */
	lit(s, ' ');
	strcat(s, "1111" "101000" "10" "00");        /* <40,4> */
	strcat(s, "1111" "010011" "0");              /* <19,3> */
	lit(s, 'e');
	lit(s, '.');
	mppc_decompressor_init(&dec);
	const uint8_t *out;
	size_t len;
	assert_int_equal(decode_string(s, MPPC_BIT_FLUSHED | MPPC_BIT_COMPRESSED, &out, &len), 0);
	const char *want = "for whom the bell tolls, the bell tolls for thee.";
	assert_int_equal(len, strlen(want));
	assert_memory_equal(out, want, len);
}

/* Our compressor on the RFC's sentence: shorter, and it decodes. */
static void compressor_output_of_known_input_decodes(void **state)
{
	(void)state;
	const char *text = "for whom the bell tolls, the bell tolls for thee.";
	size_t len = strlen(text);
	uint8_t out[64];
	uint8_t bits;
	size_t clen;
	mppc_compressor_init(&comp);
	mppc_decompressor_init(&dec);
	mppc_compress(&comp, (const uint8_t *)text, len, out, false, &bits, &clen);
	/* First packet: fresh history (A|B), compressed (C). */
	assert_int_equal(bits, MPPC_BIT_FLUSHED | MPPC_BIT_FRONT | MPPC_BIT_COMPRESSED);
	/* Exactly the RFC 2118 §4 tokens: 27 literals (216 bits) and <16,15>
	 * <40,4> <19,3> (16 + 14 + 11 bits) = 257 bits -> 33 bytes. */
	assert_int_equal(clen, 33);
	static char s[1024];
	s[0] = 0;
	for (size_t i = 0; i < 24; i++)
		lit(s, (uint8_t)text[i]);
	strcat(s, "1111010000110111");
	lit(s, ' ');
	strcat(s, "11111010001000" "11110100110");
	lit(s, 'e');
	lit(s, '.');
	uint8_t want[64];
	assert_int_equal(bits_from_string(s, want, sizeof(want)), 33);
	assert_memory_equal(out, want, 33);
	const uint8_t *plain;
	size_t plain_len;
	assert_int_equal(mppc_decompress(&dec, bits, out, clen, 8192, &plain, &plain_len), 0);
	assert_int_equal(plain_len, len);
	assert_memory_equal(plain, text, len);
	/* The same again refers to the history: one copy tuple, 3 bytes. */
	mppc_compress(&comp, (const uint8_t *)text, len, out, false, &bits, &clen);
	assert_int_equal(bits, MPPC_BIT_COMPRESSED);
	assert_true(clen <= 3);
	assert_int_equal(mppc_decompress(&dec, bits, out, clen, 8192, &plain, &plain_len), 0);
	assert_memory_equal(plain, text, len);
}

/* The encodings printed in RFC 2118 §4.1 and §4.2. */
static void rfc2118_encoding_examples(void **state)
{
	(void)state;
	const uint8_t *out;
	size_t len;
	mppc_decompressor_init(&dec);
	/* Literal 0x56 = 01010110, 0xE7 = 101100111. */
	assert_int_equal(decode_string("01010110 101100111", MPPC_BIT_FLUSHED | MPPC_BIT_COMPRESSED, &out, &len), 0);
	assert_int_equal(len, 2);
	assert_int_equal(out[0], 0x56);
	assert_int_equal(out[1], 0xE7);

	/* 1100 bytes of history, then offset 1024 (110 0001011000000), length
	 * 4097 (111111111110 000000000001), offset 128 (1110 01000000) length
	 * 120 (111110 111000), offset 3 (1111 000011) length 15 (110 111). */
	static char s[40000];
	s[0] = 0;
	for (int i = 0; i < 1100; i++)
		lit(s, (uint8_t)(i * 13 + i / 7));
	strcat(s, "110 0001011000000 111111111110 000000000001");
	strcat(s, "1110 01000000 111110 111000");
	strcat(s, "1111 000011 110 111");
	mppc_decompressor_init(&dec);
	assert_int_equal(decode_string(s, MPPC_BIT_FLUSHED | MPPC_BIT_COMPRESSED, &out, &len), 0);
	assert_int_equal(len, 1100 + 4097 + 120 + 15);
	uint8_t ref[8192];
	size_t n = 0;
	for (int i = 0; i < 1100; i++)
		ref[n++] = (uint8_t)(i * 13 + i / 7);
	for (int i = 0; i < 4097; i++, n++)
		ref[n] = ref[n - 1024];
	for (int i = 0; i < 120; i++, n++)
		ref[n] = ref[n - 128];
	for (int i = 0; i < 15; i++, n++)
		ref[n] = ref[n - 3];
	assert_memory_equal(out, ref, n);
}

static size_t make_data(unsigned kind, unsigned seed, uint8_t *buf, size_t len)
{
	struct test_random tr;
	test_random_init(&tr, seed + 1);
	struct random_source rs = test_random_source(&tr);
	switch (kind) {
	case 0: /* random */
		rs.fill(rs.ctx, buf, len);
		break;
	case 1: /* repetitive text */
		for (size_t i = 0; i < len; i++)
			buf[i] = (uint8_t)"the quick brown fox jumps over the lazy dog 0123456789"[(i + seed) % 54];
		break;
	case 2: /* runs and high bytes */
		for (size_t i = 0; i < len; i++)
			buf[i] = (uint8_t)(0xF0 + (i / 37 + seed) % 7);
		break;
	default: /* IP-like: header-ish then zeros with some noise */
		rs.fill(rs.ctx, buf, len);
		for (size_t i = 0; i < len; i++)
			if (i % 5 != 0)
				buf[i] = (uint8_t)(i < 40 ? buf[i] : 0);
		break;
	}
	return len;
}

/* A stream of packets through compressor and decompressor: history kept
 * across packets, B when it fills, A on flush and after expansion. */
static void round_trip_many_sizes(void **state)
{
	(void)state;
	static const size_t sizes[] = { 1, 2, 3, 4, 7, 40, 64, 100, 576, 1000, 1400, 1500, 2000, 4000, 8192 };
	uint8_t in[8192], work[8192];
	unsigned compressed = 0, uncompressed = 0, fronts = 0, flushed = 0;
	for (unsigned kind = 0; kind < 4; kind++) {
		mppc_compressor_init(&comp);
		mppc_decompressor_init(&dec);
		for (unsigned round = 0; round < 3; round++) {
			for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
				size_t len = make_data(kind, (unsigned)(round * 100 + s), in, sizes[s]);
				memcpy(work, in, len);
				uint8_t bits;
				size_t clen;
				bool flush = (round == 2 && s % 4 == 0);
				mppc_compress(&comp, work, len, work, flush, &bits, &clen);
				if (flush)
					assert_true(bits & MPPC_BIT_FLUSHED);
				/* In place: work holds what to send either way. */
				const uint8_t *wire = work;
				size_t wire_len = clen;
				if (bits & MPPC_BIT_COMPRESSED) {
					assert_true(clen < len);
					compressed++;
				} else {
					uncompressed++;
				}
				fronts += (bits & MPPC_BIT_FRONT) != 0;
				flushed += (bits & MPPC_BIT_FLUSHED) != 0;
				const uint8_t *out;
				size_t out_len;
				assert_int_equal(mppc_decompress(&dec, bits, wire, wire_len, 8192, &out, &out_len), 0);
				assert_int_equal(out_len, len);
				assert_memory_equal(out, in, len);
			}
		}
	}
	assert_true(compressed > 60);
	assert_true(uncompressed > 10); /* random data */
	assert_true(fronts > 10);
	assert_true(flushed > 10);
}

static void round_trip_random_stream(void **state)
{
	(void)state;
	struct test_random tr;
	test_random_init(&tr, 42);
	struct random_source rs = test_random_source(&tr);
	uint8_t in[1600], work[1600];
	mppc_compressor_init(&comp);
	mppc_decompressor_init(&dec);
	size_t total_in = 0, total_out = 0;
	for (unsigned i = 0; i < 2000; i++) {
		uint8_t r[4];
		rs.fill(rs.ctx, r, sizeof(r));
		size_t len = 1 + ((size_t)r[0] << 8 | r[1]) % 1600;
		make_data(r[2] % 4, i, in, len);
		memcpy(work, in, len);
		uint8_t bits;
		size_t clen;
		mppc_compress(&comp, work, len, work, r[3] < 8, &bits, &clen);
		const uint8_t *out;
		size_t out_len;
		assert_int_equal(mppc_decompress(&dec, bits, work, clen, 8192, &out, &out_len), 0);
		assert_int_equal(out_len, len);
		assert_memory_equal(out, in, len);
		total_in += len;
		total_out += clen;
	}
	assert_true(total_out < total_in);
}

struct malformed_case {
	const char *name;
	const char *bits;      /* as a bit string */
	size_t max_out;
	int expect;
	uint8_t flags;
};

/* Packets that do not compress (random bytes, and sequences with a few
 * short matches, so the bit writer fills up inside a copy tuple) go as
 * they are (C clear, the bytes unchanged) and the next packet carries A
 * (RFC 2118 §3 "Data Expansion"); those that do compress decode back.
 * Under UBSan this caught a shift by 2^32 - 1 when the writer padded a
 * full buffer. */
static void packets_that_do_not_compress_go_as_they_are(void **state)
{
	(void)state;
	struct mppc_compressor *c = malloc(sizeof(*c));
	struct mppc_decompressor *d = malloc(sizeof(*d));
	assert_non_null(c);
	assert_non_null(d);
	mppc_compressor_init(c);
	mppc_decompressor_init(d);
	uint8_t in[1400], out[1400];
	uint32_t x = 0x9E3779B9u;
	unsigned raw = 0;
	for (unsigned seq = 0; seq < 2000; seq++) {
		size_t len = 1 + (seq * 37u) % sizeof(in);
		for (size_t i = 0; i < len; i++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			in[i] = seq % 2 ? (uint8_t)x : (uint8_t)(seq * 31 + i * 17 + (i * i >> 3));
		}
		/* A few short repeats planted in random bytes: copy tuples
		 * among literals, near where the output fills up. */
		for (unsigned k = 0; seq % 2 && len > 8 && k < len / (12 + seq % 16); k++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			size_t from = x % (len - 4), to = from + 1 + (x >> 16) % (len - 4 - from);
			memmove(in + to, in + from, 3);
		}
		uint8_t bits;
		size_t out_len;
		mppc_compress(c, in, len, out, false, &bits, &out_len);
		const uint8_t *plain;
		size_t plain_len;
		assert_int_equal(mppc_decompress(d, bits, out, out_len, sizeof(in), &plain, &plain_len), 0);
		assert_int_equal(plain_len, len);
		assert_memory_equal(plain, in, len);
		if (!(bits & MPPC_BIT_COMPRESSED)) {
			raw++;
			assert_int_equal(out_len, len);
		}
	}
	assert_true(raw > 1000);
	free(c);
	free(d);
}

static void malformed_streams_are_rejected(void **state)
{
	(void)state;
	static const struct malformed_case cases[] = {
		{ "offset 0", "01000001 1111 000000 0", 8192, ERR_MALFORMED, 0xA0 },
		{ "offset before history start", "01000001 1111 000010 0", 8192, ERR_MALFORMED, 0xA0 },
		{ "offset 320+ with short history", "01000001 110 0000000000000 0", 8192, ERR_MALFORMED, 0xA0 },
		{ "9-bit literal cut at the end", "10000001", 8192, ERR_TRUNCATED, 0xA0 },
		{ "tuple cut in offset", "01000001 1111 00", 8192, ERR_TRUNCATED, 0xA0 },
		{ "tuple cut in length", "01000001 1111 000001 1111111", 8192, ERR_TRUNCATED, 0xA0 },
		{ "13-bit offset cut", "01000001 110 00000", 8192, ERR_TRUNCATED, 0xA0 },
		{ "length prefix too long", "01000001 1111 000001 111111111111 0000000000000000", 8192, ERR_MALFORMED, 0xA0 },
		{ "history overflow", "01000001 1111 000001 111111111110 111111111111 1111 000001 0", 8192, ERR_MALFORMED, 0xA0 },
		{ "output bound", "01000001 1111 000001 11110 00000", 10, ERR_NOSPACE, 0xA0 },
		{ "literal over output bound", "01000001 01000010", 1, ERR_NOSPACE, 0xA0 },
		{ "uncompressed over bound", "01000001 01000010", 1, ERR_NOSPACE, 0x80 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t buf[64];
		size_t n = bits_from_string(cases[i].bits, buf, sizeof(buf));
		const uint8_t *out;
		size_t out_len;
		mppc_decompressor_init(&dec);
		int rc = mppc_decompress(&dec, cases[i].flags, buf, n, cases[i].max_out, &out, &out_len);
		if (rc != cases[i].expect)
			fail_msg("case '%s': got %s, want %s", cases[i].name, error_name(rc), error_name(cases[i].expect));
		assert_null(out);
	}
	/* After an error, compressed packets without A are refused; A heals. */
	uint8_t buf[8];
	size_t n = bits_from_string("01000001 1111 000000 0", buf, sizeof(buf));
	const uint8_t *out;
	size_t out_len;
	mppc_decompressor_init(&dec);
	assert_int_equal(mppc_decompress(&dec, 0xA0, buf, n, 8192, &out, &out_len), ERR_MALFORMED);
	n = bits_from_string("01000001", buf, sizeof(buf));
	assert_int_equal(mppc_decompress(&dec, MPPC_BIT_COMPRESSED, buf, n, 8192, &out, &out_len), ERR_STATE);
	assert_int_equal(mppc_decompress(&dec, 0xA0, buf, n, 8192, &out, &out_len), 0);
	assert_int_equal(out_len, 1);
	assert_int_equal(out[0], 'A');
	/* Padding: fewer than 8 bits at the end are ignored; empty is empty. */
	n = bits_from_string("101000001 0000000", buf, sizeof(buf));
	assert_int_equal(n, 2);
	assert_int_equal(mppc_decompress(&dec, 0xA0, buf, n, 8192, &out, &out_len), 0);
	assert_int_equal(out_len, 1);
	assert_int_equal(out[0], 0xC1);
	assert_int_equal(mppc_decompress(&dec, 0xA0, buf, 0, 8192, &out, &out_len), 0);
	assert_int_equal(out_len, 0);
}

/* Garbage never crashes and never writes beyond max_out. */
static void random_garbage_is_bounded(void **state)
{
	(void)state;
	struct test_random tr;
	test_random_init(&tr, 7);
	struct random_source rs = test_random_source(&tr);
	uint8_t buf[300];
	mppc_decompressor_init(&dec);
	for (int i = 0; i < 20000; i++) {
		uint8_t r[2];
		rs.fill(rs.ctx, r, 2);
		size_t n = r[0] % sizeof(buf);
		rs.fill(rs.ctx, buf, n);
		const uint8_t *out;
		size_t out_len;
		int rc = mppc_decompress(&dec, (uint8_t)(r[1] & 0xE0), buf, n, 1500, &out, &out_len);
		if (rc == 0)
			assert_true(out_len <= 1500);
		else
			assert_true(rc == ERR_MALFORMED || rc == ERR_TRUNCATED || rc == ERR_NOSPACE || rc == ERR_STATE);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc2118_example_decodes),
		cmocka_unit_test(rfc2118_encoding_examples),
		cmocka_unit_test(compressor_output_of_known_input_decodes),
		cmocka_unit_test(round_trip_many_sizes),
		cmocka_unit_test(round_trip_random_stream),
		cmocka_unit_test(packets_that_do_not_compress_go_as_they_are),
		cmocka_unit_test(malformed_streams_are_rejected),
		cmocka_unit_test(random_garbage_is_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
