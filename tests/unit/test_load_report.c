/* SPDX-License-Identifier: BSD-2-Clause */
/* src/load: the ICMP echo built and checked in userspace, the progress
 * line and the final report (text and JSON). */
#include "support/test_support.h"

#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "base/inet_checksum.h"
#include "load/load_icmp.h"
#include "load/load_report.h"

/* Turn a request into the reply a host would send: swap addresses, type 0,
 * fix both checksums (what the server's kernel does). */
static void make_reply(uint8_t *p, size_t len)
{
	uint8_t tmp[4];
	memcpy(tmp, p + 12, 4);
	memcpy(p + 12, p + 16, 4);
	memcpy(p + 16, tmp, 4);
	p[10] = p[11] = 0;
	uint16_t c = inet_checksum(p, 20);
	p[10] = (uint8_t)(c >> 8);
	p[11] = (uint8_t)c;
	p[20] = 0;
	p[22] = p[23] = 0;
	c = inet_checksum(p + 20, len - 20);
	p[22] = (uint8_t)(c >> 8);
	p[23] = (uint8_t)c;
}

static const struct load_echo echo = {
	.src = 0xcb00710au, .dst = 0xcb007101u, .id = 4242, .seq = 7, .sent_us = 0x0102030405060708ull
};

static void icmp_request_is_well_formed(void **state)
{
	(void)state;
	uint8_t p[LOAD_ICMP_MAX_SIZE];
	assert_int_equal(load_icmp_build(p, sizeof(p), 100, &echo), 100);
	assert_int_equal(p[0], 0x45);
	assert_int_equal(p[2] << 8 | p[3], 100);
	assert_int_equal(p[9], 1);
	assert_int_equal(inet_checksum(p, 20), 0);
	assert_int_equal(p[20], 8);
	assert_int_equal(inet_checksum(p + 20, 80), 0);
	assert_int_equal(p[24] << 8 | p[25], 4242);
	assert_int_equal(p[26] << 8 | p[27], 7);
	/* Odd sizes and the bounds. */
	assert_int_equal(load_icmp_build(p, sizeof(p), 37, &echo), 37);
	assert_int_equal(inet_checksum(p + 20, 17), 0);
	assert_int_equal(load_icmp_build(p, sizeof(p), LOAD_ICMP_MIN_SIZE - 1, &echo), ERR_INVALID);
	assert_int_equal(load_icmp_build(p, sizeof(p), LOAD_ICMP_MAX_SIZE + 1, &echo), ERR_INVALID);
	assert_int_equal(load_icmp_build(p, 50, 64, &echo), ERR_INVALID);
}

static void icmp_reply_round_trip(void **state)
{
	(void)state;
	uint8_t p[LOAD_ICMP_MAX_SIZE];
	for (size_t size = LOAD_ICMP_MIN_SIZE; size <= 200; size++) {
		assert_int_equal(load_icmp_build(p, sizeof(p), size, &echo), (int)size);
		make_reply(p, size);
		struct load_echo got;
		assert_int_equal(load_icmp_parse_reply(p, size, &got), LOAD_ICMP_REPLY);
		assert_int_equal(got.id, 4242);
		assert_int_equal(got.seq, 7);
		assert_int_equal(got.src, echo.dst);
		assert_int_equal(got.dst, echo.src);
		assert_true(got.sent_us == echo.sent_us);
	}
}

static void icmp_reply_damage_is_caught(void **state)
{
	(void)state;
	uint8_t good[128], p[128];
	struct load_echo got;
	assert_int_equal(load_icmp_build(good, sizeof(good), 128, &echo), 128);
	make_reply(good, 128);
	/* Every single flipped bit past the IPv4 header fails a check. */
	for (size_t byte = 20; byte < 128; byte++) {
		memcpy(p, good, sizeof(p));
		p[byte] ^= 0x01;
		assert_int_not_equal(load_icmp_parse_reply(p, 128, &got), LOAD_ICMP_REPLY);
	}
	/* A payload changed with the checksum fixed: the pattern catches it. */
	memcpy(p, good, sizeof(p));
	p[100] ^= 0xff;
	p[22] = p[23] = 0;
	uint16_t c = inet_checksum(p + 20, 108);
	p[22] = (uint8_t)(c >> 8);
	p[23] = (uint8_t)c;
	assert_int_equal(load_icmp_parse_reply(p, 128, &got), LOAD_ICMP_CORRUPT);
	/* Truncated: the IP length no longer matches. */
	assert_int_equal(load_icmp_parse_reply(good, 127, &got), LOAD_ICMP_CORRUPT);
	/* Not ours: too short, IPv6, another protocol, a request. */
	assert_int_equal(load_icmp_parse_reply(good, 10, &got), LOAD_ICMP_NOT_ICMP);
	memcpy(p, good, sizeof(p));
	p[0] = 0x60;
	assert_int_equal(load_icmp_parse_reply(p, 128, &got), LOAD_ICMP_NOT_ICMP);
	memcpy(p, good, sizeof(p));
	p[9] = 17;
	assert_int_equal(load_icmp_parse_reply(p, 128, &got), LOAD_ICMP_NOT_ICMP);
	assert_int_equal(load_icmp_build(p, sizeof(p), 128, &echo), 128);
	assert_int_equal(load_icmp_parse_reply(p, 128, &got), LOAD_ICMP_NOT_ICMP);
}

static struct load_report sample_report(void)
{
	struct load_report r;
	memset(&r, 0, sizeof(r));
	snprintf(r.server, sizeof(r.server), "192.0.2.1");
	r.clients = 200;
	r.rate = 100;
	r.sources = 1;
	r.fd_limit = 20000;
	r.started = 200;
	r.up_total = 198;
	r.up_peak = 198;
	r.closed_clean = 198;
	r.failed[LOAD_FAIL_AUTH] = 2;
	r.ramp_s = 2.0;
	r.setup_rate = 99.0;
	r.duration_s = 12.5;
	r.loop_worst_stall_ms = 3.25;
	r.redials = 7;
	r.recovered = 5;
	r.recovered_at_s = 9.5;
	r.handshake = (struct load_summary){ .count = 198, .min = 8000, .p50 = 12500, .p90 = 20000, .p99 = 41000, .max = 50000 };
	r.rtt = (struct load_summary){ .count = 1000, .min = 100, .p50 = 250, .p90 = 400, .p99 = 900, .max = 1200 };
	r.echo_sent = 1002;
	r.echo_received = 1000;
	r.echo_lost = 2;
	return r;
}

static void report_text(void **state)
{
	(void)state;
	struct load_report r = sample_report();
	char buf[2048];
	size_t n = load_report_text(&r, buf, sizeof(buf));
	assert_int_equal(n, strlen(buf));
	assert_non_null(strstr(buf, "200 started, 198 up (peak 198 at once), 198 closed cleanly, 2 failed"));
	assert_non_null(strstr(buf, "failed by cause    auth 2\n"));
	assert_non_null(strstr(buf, "p50 12.50"));
	assert_non_null(strstr(buf, "p99 41.00"));
	assert_non_null(strstr(buf, "1002 sent, 1000 answered, 2 lost, 0 corrupt"));
	assert_non_null(strstr(buf, "fd limit 20000"));
	assert_non_null(strstr(buf, "7 redials, 5 sessions up again (the last at 9.50 s)"));
	assert_non_null(strstr(buf, "(worst loop stall 3.2 ms)"));
	/* Truncation: the length needed is returned and the buffer terminated. */
	char small[16];
	assert_int_equal(load_report_text(&r, small, sizeof(small)), n);
	assert_int_equal(strlen(small), sizeof(small) - 1);
	assert_int_equal(load_report_text(&r, NULL, 0), n);
}

static void report_json(void **state)
{
	(void)state;
	struct load_report r = sample_report();
	char buf[4096];
	size_t n = load_report_json(&r, buf, sizeof(buf));
	assert_int_equal(n, strlen(buf));
	assert_int_equal(buf[0], '{');
	assert_int_equal(buf[n - 2], '}');
	assert_int_equal(buf[n - 1], '\n');
	assert_non_null(strstr(buf, "\"up\":198,"));
	assert_non_null(strstr(buf, "\"failed\":2,"));
	assert_non_null(strstr(buf, "\"auth\":2,"));
	assert_non_null(strstr(buf, "\"unfinished\":0}"));
	assert_non_null(strstr(buf, "\"redials\":7,\"recovered\":5,\"recovered_at_s\":9.500,"));
	assert_non_null(strstr(buf, "\"loop_worst_stall_ms\":3.2,"));
	assert_non_null(strstr(buf, "\"handshake\":{\"count\":198,\"min_ms\":8.000,\"p50_ms\":12.500"));
	assert_non_null(strstr(buf, "\"echo\":{\"sent\":1002,\"received\":1000,\"lost\":2,\"corrupt\":0}"));
	/* Balanced braces, no stray quotes: a cheap well-formedness check
	 * (the namespace test parses it with Python's json). */
	int depth = 0, quotes = 0;
	for (size_t i = 0; i < n; i++) {
		depth += buf[i] == '{';
		depth -= buf[i] == '}';
		quotes += buf[i] == '"';
		assert_true(depth >= 0);
	}
	assert_int_equal(depth, 0);
	assert_int_equal(quotes % 2, 0);
	/* Every cause is named. */
	for (int i = 0; i < LOAD_FAIL_COUNT; i++) {
		char key[40];
		snprintf(key, sizeof(key), "\"%s\":", load_fail_name((enum load_fail)i));
		assert_non_null(strstr(buf, key));
	}
	assert_string_equal(load_fail_name(LOAD_FAIL_COUNT), "unknown");
}

static void progress_line(void **state)
{
	(void)state;
	struct load_progress p = { .elapsed_s = 12, .up = 1200, .negotiating = 35, .failed = 1, .done = 0, .setups_per_s = 1000, .p50_us = 41000, .p99_us = 90500 };
	char buf[256];
	load_progress_format(&p, buf, sizeof(buf));
	assert_string_equal(buf, "   12 s  up 1200  negotiating 35  failed 1  done 0  1000 setups/s  p50 41.0 ms  p99 90.5 ms");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(icmp_request_is_well_formed),
		cmocka_unit_test(icmp_reply_round_trip),
		cmocka_unit_test(icmp_reply_damage_is_caught),
		cmocka_unit_test(report_text),
		cmocka_unit_test(report_json),
		cmocka_unit_test(progress_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
