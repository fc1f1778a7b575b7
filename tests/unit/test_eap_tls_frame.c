/* SPDX-License-Identifier: BSD-2-Clause */
/* EAP-TLS framing (RFC 5216 §3.1, §2.1.5): good fragments, a table of
 * malformed ones with the error each must give, reassembly with its
 * bound, and our fragmentation (sizes, flags, round trip). */
#include "support/test_support.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "proto/auth/eap_tls_frame.h"

struct bad_case {
	const char *name;
	const char *hex;
	int err;
};

static void parse_good(void **state)
{
	(void)state;
	uint8_t buf[64];
	struct eap_tls_fragment f;
	size_t n = test_hex("20", buf, sizeof(buf));
	assert_int_equal(eap_tls_fragment_parse(buf, n, &f), 0);
	assert_true(f.flags & EAP_TLS_FLAG_S);
	assert_false(eap_tls_fragment_is_ack(&f));
	n = test_hex("00", buf, sizeof(buf));
	assert_int_equal(eap_tls_fragment_parse(buf, n, &f), 0);
	assert_true(eap_tls_fragment_is_ack(&f));
	/* L + M, 3 of 6 bytes */
	n = test_hex("c0 00000006 160301", buf, sizeof(buf));
	assert_int_equal(eap_tls_fragment_parse(buf, n, &f), 0);
	assert_true(f.has_length);
	assert_int_equal(f.total_len, 6);
	assert_int_equal(f.data_len, 3);
	assert_memory_equal(f.data, "\x16\x03\x01", 3);
	/* reserved bits ignored */
	n = test_hex("1f 1603", buf, sizeof(buf));
	assert_int_equal(eap_tls_fragment_parse(buf, n, &f), 0);
	assert_int_equal(f.data_len, 2);
}

static void parse_malformed(void **state)
{
	(void)state;
	static const struct bad_case cases[] = {
		{ "empty", "", ERR_TRUNCATED },
		{ "L without length", "80", ERR_TRUNCATED },
		{ "L with 3 length octets", "80 000001", ERR_TRUNCATED },
		{ "L length 0", "80 00000000", ERR_LENGTH },
		{ "L length beyond 64 KiB", "80 00010001 16", ERR_LENGTH },
		{ "L length 4 GiB", "80 ffffffff 16", ERR_LENGTH },
		{ "L shorter than data", "80 00000001 1603", ERR_LENGTH },
		{ "M without data", "40", ERR_LENGTH },
		{ "L+M without data", "c0 00000010", ERR_LENGTH },
		{ "Start with data", "20 16", ERR_MALFORMED },
		{ "Start with M", "60 16", ERR_MALFORMED },
		{ "Start with L", "a0 00000001", ERR_MALFORMED },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t buf[64];
		struct eap_tls_fragment f;
		size_t n = cases[i].hex[0] ? test_hex(cases[i].hex, buf, sizeof(buf)) : 0;
		int rc = eap_tls_fragment_parse(buf, n, &f);
		if (rc != cases[i].err)
			fail_msg("%s: got %d, want %d", cases[i].name, rc, cases[i].err);
	}
}

static int add_hex(struct eap_tls_reasm *r, const char *hex)
{
	uint8_t buf[64];
	struct eap_tls_fragment f;
	size_t n = test_hex(hex, buf, sizeof(buf));
	int rc = eap_tls_fragment_parse(buf, n, &f);
	return rc < 0 ? rc : eap_tls_reasm_add(r, &f);
}

static void reasm_good(void **state)
{
	(void)state;
	struct eap_tls_reasm r = { 0 };
	assert_int_equal(add_hex(&r, "c0 00000005 0102"), EAP_TLS_REASM_MORE);
	assert_int_equal(add_hex(&r, "40 03"), EAP_TLS_REASM_MORE);
	/* L repeated with the same value is accepted */
	assert_int_equal(add_hex(&r, "80 00000005 0405"), EAP_TLS_REASM_COMPLETE);
	assert_int_equal(r.len, 5);
	assert_memory_equal(r.buf, "\x01\x02\x03\x04\x05", 5);
	eap_tls_reasm_reset(&r);
	/* unfragmented, without L */
	assert_int_equal(add_hex(&r, "00 0a0b"), EAP_TLS_REASM_COMPLETE);
	assert_int_equal(r.len, 2);
	eap_tls_reasm_destroy(&r);
}

static void reasm_malformed(void **state)
{
	(void)state;
	struct eap_tls_reasm r = { 0 };
	/* more than announced */
	assert_int_equal(add_hex(&r, "c0 00000003 0102"), EAP_TLS_REASM_MORE);
	assert_int_equal(add_hex(&r, "00 0304"), ERR_LENGTH);
	assert_false(r.active);
	/* last fragment short of the announced length */
	assert_int_equal(add_hex(&r, "c0 00000006 0102"), EAP_TLS_REASM_MORE);
	assert_int_equal(add_hex(&r, "00 03"), ERR_LENGTH);
	/* L changing between fragments */
	assert_int_equal(add_hex(&r, "c0 00000006 0102"), EAP_TLS_REASM_MORE);
	assert_int_equal(add_hex(&r, "c0 00000007 03"), ERR_MALFORMED);
	eap_tls_reasm_destroy(&r);
}

/* Without L, a peer can send M fragments forever: the bound stops it. */
static void reasm_bound(void **state)
{
	(void)state;
	struct eap_tls_reasm r = { 0 };
	uint8_t frag[1 + 1000];
	struct eap_tls_fragment f;
	memset(frag, 0x16, sizeof(frag));
	frag[0] = EAP_TLS_FLAG_M;
	assert_int_equal(eap_tls_fragment_parse(frag, sizeof(frag), &f), 0);
	int rc = 0;
	size_t i;
	for (i = 0; i < 100; i++) {
		rc = eap_tls_reasm_add(&r, &f);
		if (rc < 0)
			break;
	}
	assert_int_equal(rc, ERR_LENGTH);
	assert_int_equal(i, EAP_TLS_MAX_MESSAGE / 1000);
	assert_true(r.cap <= EAP_TLS_MAX_MESSAGE);
	eap_tls_reasm_destroy(&r);
}

/* Our fragments fit the size given, carry L first and M until the last,
 * and reassemble to the message. */
static void out_round_trip(void **state)
{
	(void)state;
	struct eap_tls_out o = { 0 };
	struct eap_tls_reasm r = { 0 };
	uint8_t msg[3000];
	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 7);
	assert_int_equal(eap_tls_out_append(&o, msg, 1000), 0);
	assert_int_equal(eap_tls_out_append(&o, msg + 1000, 2000), 0);
	const size_t max = 1000;
	unsigned frags = 0;
	int rc = 0;
	while (eap_tls_out_pending(&o)) {
		uint8_t pkt[1500];
		struct writer w;
		struct eap_tls_fragment f;
		writer_init(&w, pkt, sizeof(pkt));
		assert_int_equal(eap_tls_out_next(&o, max, &w), 0);
		assert_true(writer_len(&w) <= max);
		assert_int_equal(eap_tls_fragment_parse(pkt, writer_len(&w), &f), 0);
		assert_int_equal(f.has_length, frags == 0);
		rc = eap_tls_reasm_add(&r, &f);
		assert_int_equal(rc, eap_tls_out_pending(&o) ? EAP_TLS_REASM_MORE : EAP_TLS_REASM_COMPLETE);
		frags++;
	}
	assert_int_equal(frags, 4); /* 995 + 999 + 999 + 7 */
	assert_int_equal(r.len, sizeof(msg));
	assert_memory_equal(r.buf, msg, sizeof(msg));
	/* nothing pending: ERR_STATE; a size with no room: ERR_INVALID */
	uint8_t pkt[16];
	struct writer w;
	writer_init(&w, pkt, sizeof(pkt));
	assert_int_equal(eap_tls_out_next(&o, max, &w), ERR_STATE);
	assert_int_equal(eap_tls_out_append(&o, msg, 10), 0);
	assert_int_equal(eap_tls_out_next(&o, EAP_TLS_HEADER_MAX, &w), ERR_INVALID);
	eap_tls_out_destroy(&o);
	eap_tls_reasm_destroy(&r);
}

static void out_bound(void **state)
{
	(void)state;
	struct eap_tls_out o = { 0 };
	uint8_t *big = calloc(1, EAP_TLS_MAX_MESSAGE);
	assert_non_null(big);
	assert_int_equal(eap_tls_out_append(&o, big, EAP_TLS_MAX_MESSAGE), 0);
	assert_int_equal(eap_tls_out_append(&o, big, 1), ERR_LIMIT);
	free(big);
	eap_tls_out_destroy(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_good),
		cmocka_unit_test(parse_malformed),
		cmocka_unit_test(reasm_good),
		cmocka_unit_test(reasm_malformed),
		cmocka_unit_test(reasm_bound),
		cmocka_unit_test(out_round_trip),
		cmocka_unit_test(out_bound),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
