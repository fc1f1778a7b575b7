/* SPDX-License-Identifier: BSD-2-Clause */
/* src/base: bounded reader/writer, packet buffers, serial arithmetic,
 * crypto wrappers, log rate limiting. */
#include "support/test_support.h"

#include <malloc.h>
#include <string.h>

#include "base/crypto.h"
#include "base/error.h"
#include "base/ipv4_text.h"
#include "base/ipv6_scope.h"
#include "base/log2_histogram.h"
#include "base/pkt.h"
#include "base/reader.h"
#include "base/serial.h"
#include "base/writer.h"

static void reader_reads_network_order_and_stops_at_end(void **state)
{
	(void)state;
	const uint8_t bytes[] = { 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde };
	struct reader r;
	reader_init(&r, bytes, sizeof(bytes));
	assert_int_equal(reader_u16(&r), 0x1234);
	assert_int_equal(reader_u32(&r), 0x56789abc);
	assert_true(reader_ok(&r));
	assert_int_equal(reader_remaining(&r), 1);
	assert_int_equal(reader_u16(&r), 0); /* only one byte left */
	assert_false(reader_ok(&r));
	assert_int_equal(reader_u8(&r), 0);  /* overrun is sticky */
}

static void reader_sub_bounds_the_value(void **state)
{
	(void)state;
	const uint8_t bytes[] = { 1, 2, 3, 4, 5 };
	struct reader r, sub;
	reader_init(&r, bytes, sizeof(bytes));
	reader_skip(&r, 1);
	sub = reader_sub(&r, 2);
	assert_int_equal(reader_u8(&sub), 2);
	assert_int_equal(reader_u8(&sub), 3);
	assert_int_equal(reader_u8(&sub), 0);
	assert_false(reader_ok(&sub));
	assert_true(reader_ok(&r));
	assert_int_equal(reader_u8(&r), 4);
	sub = reader_sub(&r, 5); /* only one byte left */
	assert_false(reader_ok(&sub));
	assert_false(reader_ok(&r));
}

static void reader_padded_string_checks_padding(void **state)
{
	(void)state;
	char out[9];
	struct reader r;
	const uint8_t good[8] = { 'l', 'o', 'c', 'a', 'l', 0, 0, 0 };
	reader_init(&r, good, sizeof(good));
	assert_true(reader_padded_string(&r, 8, out, sizeof(out)));
	assert_string_equal(out, "local");
	const uint8_t junk[8] = { 'a', 0, 'b', 0, 0, 0, 0, 0 };
	reader_init(&r, junk, sizeof(junk));
	assert_false(reader_padded_string(&r, 8, out, sizeof(out)));
	assert_string_equal(out, "a");
	const uint8_t full[8] = { 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h' };
	reader_init(&r, full, sizeof(full));
	assert_true(reader_padded_string(&r, 8, out, sizeof(out)));
	assert_string_equal(out, "abcdefgh");
}

static void writer_overflow_writes_nothing(void **state)
{
	(void)state;
	uint8_t buf[5] = { 0 };
	struct writer w;
	writer_init(&w, buf, sizeof(buf));
	writer_u32(&w, 0xdeadbeef);
	writer_u16(&w, 0x1234);
	assert_false(writer_ok(&w));
	assert_int_equal(writer_len(&w), 4);
	assert_int_equal(buf[4], 0);
	assert_int_equal(buf[0], 0xde);
}

static void pkt_push_pull_put_respect_bounds(void **state)
{
	(void)state;
	struct pkt *p = pkt_new(128, PKT_HEADROOM);
	assert_non_null(p);
	uint8_t *tail = pkt_put(p, 10);
	memset(tail, 0xaa, 10);
	assert_non_null(pkt_push(p, 16));
	assert_int_equal(p->len, 26);
	assert_null(pkt_push(p, PKT_HEADROOM)); /* only 48 left */
	assert_non_null(pkt_pull(p, 16));
	assert_int_equal(pkt_data(p)[0], 0xaa);
	assert_null(pkt_pull(p, 11));
	assert_null(pkt_put(p, 128));
	pkt_free(p);
}

/* The packets pkt_free keeps for reuse are freed by pkt_pool_drain: at
 * exit (a leak checker, the simulation's heap baseline) the heap is back
 * to what it was. Under ASan there is no pool and nothing to see. */
static void pkt_pool_drain_gives_the_memory_back(void **state)
{
	(void)state;
	struct pkt *p[8];
	pkt_pool_drain();
	size_t base = mallinfo2().uordblks;
	for (int i = 0; i < 8; i++)
		assert_non_null(p[i] = pkt_new(PKT_SIZE, PKT_HEADROOM));
	for (int i = 0; i < 8; i++)
		pkt_free(p[i]);
	pkt_pool_drain();
	assert_int_equal(mallinfo2().uordblks, base);
}

/* fe80::/10, the one test every layer uses (RFC 4291 §2.5.6). */
static void ipv6_link_local_is_fe80_slash_10(void **state)
{
	(void)state;
	uint8_t a[16] = { 0xfe, 0x80 };
	assert_true(ipv6_is_link_local(a));
	a[1] = 0xbf;
	assert_true(ipv6_is_link_local(a));
	a[1] = 0xc0; /* fec0::, site-local: not link-local */
	assert_false(ipv6_is_link_local(a));
	a[0] = 0x20;
	a[1] = 0x01;
	assert_false(ipv6_is_link_local(a));
}

/* One ADDR[:PORT] parser for --metrics-listen, --dae-listen and the
 * RADIUS servers (it was written three ways). */
static void ipv4_addr_port_table(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		uint16_t default_port;
		int rc;
		uint32_t addr;
		uint16_t port;
	} cases[] = {
		{ "127.0.0.1:9469", 0, 0, 0x7f000001u, 9469 },
		{ "192.0.2.1", 1812, 0, 0xc0000201u, 1812 },
		{ "0.0.0.0:3799", 0, 0, 0, 3799 },
		{ "192.0.2.1", 0, ERR_MALFORMED, 0, 0 }, /* the port is required */
		{ "192.0.2.1:", 1812, ERR_MALFORMED, 0, 0 },
		{ "192.0.2.1:0", 0, ERR_MALFORMED, 0, 0 },
		{ "192.0.2.1:65536", 0, ERR_MALFORMED, 0, 0 },
		{ "192.0.2.1:080", 0, ERR_MALFORMED, 0, 0 },
		{ "192.0.2.1:+80", 0, ERR_MALFORMED, 0, 0 },
		{ "192.0.2.1: 80", 0, ERR_MALFORMED, 0, 0 },
		{ "192.0.2.1:80x", 0, ERR_MALFORMED, 0, 0 },
		{ ":9469", 0, ERR_MALFORMED, 0, 0 },
		{ "192.0.2:80", 0, ERR_MALFORMED, 0, 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t addr = 1;
		uint16_t port = 1;
		assert_int_equal(ipv4_addr_port_parse(cases[i].text, cases[i].default_port, &addr, &port), cases[i].rc);
		if (cases[i].rc == 0) {
			assert_int_equal(addr, cases[i].addr);
			assert_int_equal(port, cases[i].port);
		}
	}
}

/* Log buckets for the RADIUS round trips (a 10,001-entry array of 1 ms
 * buckets before): each value lands in a bucket whose upper bound is at
 * most a quarter above it, buckets are contiguous and increasing. */
static void log2_histogram_buckets_and_percentiles(void **state)
{
	(void)state;
	uint64_t prev = 0;
	for (unsigned i = 1; i < LOG2_HISTOGRAM_BUCKETS; i++) {
		assert_true(log2_histogram_upper(i) > log2_histogram_upper(i - 1));
		assert_int_equal(log2_histogram_bucket(log2_histogram_upper(i - 1) + 1), i);
		prev = log2_histogram_upper(i);
	}
	assert_int_equal(prev, 131071);
	for (uint64_t v = 0; v < 200000; v += 1 + v / 7) {
		unsigned b = log2_histogram_bucket(v);
		assert_true(log2_histogram_upper(b) >= v || b == LOG2_HISTOGRAM_BUCKETS - 1);
		assert_true(log2_histogram_upper(b) <= v + v / 4 || b == LOG2_HISTOGRAM_BUCKETS - 1);
	}
	static struct log2_histogram h;
	assert_int_equal(log2_histogram_percentile(&h, 50), 0);
	for (uint64_t ms = 1; ms <= 100; ms++)
		log2_histogram_add(&h, ms);
	log2_histogram_add(&h, 20000); /* an answer after 20 s */
	assert_true(log2_histogram_percentile(&h, 50) >= 51 && log2_histogram_percentile(&h, 50) <= 63);
	assert_true(log2_histogram_percentile(&h, 99) >= 100 && log2_histogram_percentile(&h, 99) <= 125);
	assert_true(log2_histogram_percentile(&h, 100) >= 20000 && log2_histogram_percentile(&h, 100) <= 25000);
}

static void serial_arithmetic_wraps(void **state)
{
	(void)state;
	assert_true(seq32_before(0xfffffff0u, 0x10));
	assert_true(seq32_after(0x10, 0xfffffff0u));
	assert_int_equal(seq32_diff(5, 0xfffffffeu), 7);
	assert_false(seq32_before(7, 7));
	assert_int_equal(ccount_forward(2, 0xffe), 4);
	assert_int_equal(ccount_forward(0xffe, 2), 0xffc);
}

static void crypto_md4_matches_rfc1320(void **state)
{
	(void)state;
	/* RFC 1320 §A.5 test suite */
	static const struct {
		const char *msg;
		const char *digest;
	} suite[] = {
		{ "", "31d6cfe0d16ae931b73c59d7e0c089c0" },
		{ "a", "bde52cb31de33e46245e05fbdbd6fb24" },
		{ "abc", "a448017aaf21d8525fc10ae87aa6729d" },
		{ "message digest", "d9130a8164549fe818874806e1c7014b" },
		{ "abcdefghijklmnopqrstuvwxyz", "d79e1c308aa5bbcdeea8ed63df412da9" },
		{ "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
		  "043f8582f241db351ce627e153e7f0e4" },
		{ "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
		  "e33b4ddc9c38f2199c3e7b164fcc0536" },
	};
	for (size_t i = 0; i < sizeof(suite) / sizeof(suite[0]); i++) {
		uint8_t got[16], want[16];
		crypto_md4(suite[i].msg, strlen(suite[i].msg), got);
		test_hex(suite[i].digest, want, sizeof(want));
		assert_memory_equal(got, want, 16);
	}
}

static void crypto_md5_and_sha1_known_answers(void **state)
{
	(void)state;
	uint8_t got[20], want[20];
	struct crypto_part parts[] = { { "a", 1 }, { "bc", 2 } };
	crypto_md5(parts, 2, got);
	test_hex("900150983cd24fb0d6963f7d28e17f72", want, sizeof(want));
	assert_memory_equal(got, want, 16);
	crypto_sha1(parts, 2, got);
	test_hex("a9993e364706816aba3e25717850c26c9cd0d89d", want, sizeof(want));
	assert_memory_equal(got, want, 20);
}

static void crypto_rc4_matches_rfc6229(void **state)
{
	(void)state;
	/* RFC 6229 §2, 40-bit key 0x0102030405, keystream at offset 0 */
	const uint8_t key[5] = { 1, 2, 3, 4, 5 };
	uint8_t stream[16] = { 0 }, want[16];
	struct crypto_rc4 rc4;
	crypto_rc4_init(&rc4, key, sizeof(key));
	crypto_rc4_crypt(&rc4, stream, stream, sizeof(stream));
	test_hex("b2 39 63 05  f0 3d c0 27   cc c3 52 4a  0a 11 18 a8", want, sizeof(want));
	assert_memory_equal(stream, want, 16);
}

/* Our key schedule must leave exactly nettle's state, at every key length
 * (the last repeat of the key is cut short unless the length divides 256). */
static void crypto_rc4_schedule_matches_nettle(void **state)
{
	(void)state;
	uint8_t key[256];
	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(i * 37 + 11);
	for (size_t len = 1; len <= sizeof(key); len++) {
		struct crypto_rc4 ours;
		struct arcfour_ctx theirs;
		memset(&ours, 0xa5, sizeof(ours));
		crypto_rc4_init(&ours, key, len);
		arcfour_set_key(&theirs, len, key);
		assert_memory_equal(ours.ctx.S, theirs.S, sizeof(theirs.S));
		assert_int_equal(ours.ctx.i, theirs.i);
		assert_int_equal(ours.ctx.j, theirs.j);
	}
}

/* Our RC4 output loop (eight keystream bytes per word) must give nettle's
 * bytes and leave nettle's state, at every length and across calls that
 * split a stream anywhere, in place or not. */
static void crypto_rc4_crypt_matches_nettle(void **state)
{
	(void)state;
	static uint8_t in[600], ours_out[600], theirs_out[600];
	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i * 13 + 7);
	const uint8_t key[16] = { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 11, 22, 33, 44, 55, 66 };
	struct crypto_rc4 ours;
	struct arcfour_ctx theirs;
	crypto_rc4_init(&ours, key, sizeof(key));
	arcfour_set_key(&theirs, sizeof(key), key);
	for (size_t len = 0; len <= 70; len++) {
		crypto_rc4_crypt(&ours, ours_out, in + len % 8, len);
		arcfour_crypt(&theirs, len, theirs_out, in + len % 8);
		assert_memory_equal(ours_out, theirs_out, len ? len : 1);
	}
	memcpy(ours_out, in, sizeof(in));
	crypto_rc4_crypt(&ours, ours_out + 3, ours_out + 3, 597); /* in place, unaligned */
	arcfour_crypt(&theirs, 597, theirs_out + 3, in + 3);
	assert_memory_equal(ours_out + 3, theirs_out + 3, 597);
	assert_memory_equal(ours.ctx.S, theirs.S, sizeof(theirs.S));
	assert_int_equal(ours.ctx.i, theirs.i);
	assert_int_equal(ours.ctx.j, theirs.j);
}

/* A pooled packet comes back empty, with the headroom asked for. */
static void pkt_new_after_free_is_fresh(void **state)
{
	(void)state;
	struct pkt *p = pkt_new(PKT_SIZE, PKT_HEADROOM);
	assert_non_null(p);
	assert_non_null(pkt_put(p, 100));
	assert_non_null(pkt_push(p, 10));
	pkt_free(p);
	struct pkt *q = pkt_new(PKT_SIZE, 16);
	assert_non_null(q);
	assert_int_equal(q->len, 0);
	assert_int_equal(pkt_headroom(q), 16);
	assert_int_equal(pkt_tailroom(q), PKT_SIZE - 16);
	assert_ptr_equal(q->buf, (uint8_t *)(q + 1));
	pkt_free(q);
	pkt_free(NULL);
}

static void crypto_equal_compares_all_bytes(void **state)
{
	(void)state;
	uint8_t a[4] = { 1, 2, 3, 4 }, b[4] = { 1, 2, 3, 5 };
	assert_false(crypto_equal(a, b, 4));
	assert_true(crypto_equal(a, b, 3));
}

static void log_limited_suppresses_and_reports(void **state)
{
	(void)state;
	struct test_log tl;
	test_log_capture(&tl);
	struct log_limit limit = LOG_LIMIT_INIT(2, 1000);
	for (int i = 0; i < 10; i++)
		log_limited(&limit, 0, LOG_LEVEL_WARN, "peer 192.0.2.9", "bad packet %d", i);
	assert_int_equal(tl.count, 2);
	assert_int_equal(limit.suppressed, 8);
	log_limited(&limit, 1500, LOG_LEVEL_WARN, "peer 192.0.2.9", "bad packet again");
	assert_int_equal(tl.count, 3);
	assert_non_null(strstr(tl.last, "8 similar lines suppressed"));
	assert_string_equal(tl.last_tag, "peer 192.0.2.9");
	test_log_release();
}

static void error_names_are_distinct(void **state)
{
	(void)state;
	assert_string_equal(error_name(ERR_TRUNCATED), "truncated");
	assert_string_equal(error_name(-9999), "unknown error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reader_reads_network_order_and_stops_at_end),
		cmocka_unit_test(pkt_pool_drain_gives_the_memory_back),
		cmocka_unit_test(ipv6_link_local_is_fe80_slash_10),
		cmocka_unit_test(ipv4_addr_port_table),
		cmocka_unit_test(log2_histogram_buckets_and_percentiles),
		cmocka_unit_test(reader_sub_bounds_the_value),
		cmocka_unit_test(reader_padded_string_checks_padding),
		cmocka_unit_test(writer_overflow_writes_nothing),
		cmocka_unit_test(pkt_push_pull_put_respect_bounds),
		cmocka_unit_test(serial_arithmetic_wraps),
		cmocka_unit_test(crypto_md4_matches_rfc1320),
		cmocka_unit_test(crypto_md5_and_sha1_known_answers),
		cmocka_unit_test(crypto_rc4_matches_rfc6229),
		cmocka_unit_test(crypto_rc4_schedule_matches_nettle),
		cmocka_unit_test(crypto_rc4_crypt_matches_nettle),
		cmocka_unit_test(pkt_new_after_free_is_fresh),
		cmocka_unit_test(crypto_equal_compares_all_bytes),
		cmocka_unit_test(log_limited_suppresses_and_reports),
		cmocka_unit_test(error_names_are_distinct),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
