/* SPDX-License-Identifier: BSD-2-Clause */
/* src/proto/gre: enhanced GRE header codec and IPv4 parser. */
#include "support/test_support.h"

#include <string.h>

#include "base/error.h"
#include "base/pkt.h"
#include "proto/gre/gre_header.h"
#include "proto/gre/gre_ipv4.h"

#include "../vectors/gre/capture_vectors.h"

static void roundtrip(bool has_seq, bool has_ack, size_t payload)
{
	uint8_t storage[PKT_HEADROOM + 64];
	struct pkt p;
	pkt_init(&p, storage, sizeof(storage), PKT_HEADROOM);
	uint8_t *body = pkt_put(&p, payload);
	if (payload)
		memset(body, 0xA5, payload);
	struct gre_header h = {
		.has_seq = has_seq, .has_ack = has_ack, .call_id = 0xBEEF,
		.seq = 0xFFFFFFFEu, .ack = 0x12345678u,
		.payload_len = 999, /* ignored by push */
	};
	int hlen = gre_header_push(&p, &h);
	assert_int_equal(hlen, (int)gre_header_size(has_seq, has_ack));
	assert_int_equal(p.len, payload + (size_t)hlen);

	struct gre_header out;
	assert_int_equal(gre_header_decode(pkt_data(&p), p.len, &out), hlen);
	assert_int_equal(out.has_seq, has_seq);
	assert_int_equal(out.has_ack, has_ack);
	assert_int_equal(out.payload_len, payload);
	assert_int_equal(out.call_id, 0xBEEF);
	if (has_seq)
		assert_int_equal(out.seq, 0xFFFFFFFEu);
	if (has_ack)
		assert_int_equal(out.ack, 0x12345678u);

	assert_int_equal(gre_header_strip(&p, &out), hlen);
	assert_int_equal(p.len, payload);
	if (payload)
		assert_int_equal(pkt_data(&p)[0], 0xA5);
}

static void header_round_trips(void **state)
{
	(void)state;
	roundtrip(true, true, 10);
	roundtrip(true, false, 1);
	roundtrip(false, true, 0);
	assert_int_equal(gre_header_size(false, false), 8);
	assert_int_equal(gre_header_size(true, true), GRE_HEADER_MAX);
}

static void header_known_bytes(void **state)
{
	(void)state;
	/* pptp-linux's first LCP packet (frame 33): S set, no ack, seq 1. */
	uint8_t storage[PKT_HEADROOM + 32];
	struct pkt p;
	pkt_init(&p, storage, sizeof(storage), PKT_HEADROOM);
	memset(pkt_put(&p, 24), 0, 24);
	struct gre_header h = { .has_seq = true, .call_id = 128, .seq = 1 };
	assert_int_equal(gre_header_push(&p, &h), 12);
	uint8_t want[12];
	test_hex("3001 880b 0018 0080 00000001", want, sizeof(want));
	assert_memory_equal(pkt_data(&p), want, 12);
	/* An ack-only packet puts the ack where the sequence would be. */
	pkt_init(&p, storage, sizeof(storage), PKT_HEADROOM);
	struct gre_header a = { .has_ack = true, .call_id = 13490, .ack = 4 };
	assert_int_equal(gre_header_push(&p, &a), 12);
	test_hex("2081 880b 0000 34b2 00000004", want, sizeof(want));
	assert_memory_equal(pkt_data(&p), want, 12);
}

static void header_push_refuses_bad_requests(void **state)
{
	(void)state;
	uint8_t storage[PKT_HEADROOM + 8];
	struct pkt p;
	pkt_init(&p, storage, sizeof(storage), 10); /* < 16 bytes of headroom */
	memset(pkt_put(&p, 4), 0, 4);
	struct gre_header h = { .has_seq = true, .has_ack = true };
	assert_int_equal(gre_header_push(&p, &h), ERR_NOSPACE);
	assert_int_equal(p.len, 4);
	struct gre_header ack_only = { .has_ack = true };
	assert_int_equal(gre_header_push(&p, &ack_only), ERR_INVALID);
	struct gre_header nothing = { 0 };
	pkt_trim(&p, 0);
	assert_int_equal(gre_header_push(&p, &nothing), ERR_INVALID);
}

struct malformed_case {
	const char *name;
	const char *hex;
	int err;
};

static const struct malformed_case gre_cases[] = {
	{ "empty", "", GRE_ERR_SHORT },
	{ "one byte", "30", GRE_ERR_SHORT },
	{ "seven bytes", "3001 880b 0001 00", GRE_ERR_SHORT },
	{ "S set, no seq", "3001 880b 0001 0080", GRE_ERR_SHORT },
	{ "S+A, seq only", "3081 880b 0001 0080 00000001", GRE_ERR_SHORT },
	{ "ack-only, no ack", "2081 880b 0000 0080 0000", GRE_ERR_SHORT },
	{ "checksum bit", "b001 880b 0001 0080 00000001 ff", GRE_ERR_CHECKSUM },
	{ "routing bit", "7001 880b 0001 0080 00000001 ff", GRE_ERR_ROUTING },
	{ "no key bit", "1001 880b 0001 0080 00000001 ff", GRE_ERR_NO_KEY },
	{ "strict source route", "3801 880b 0001 0080 00000001 ff", GRE_ERR_STRICT_ROUTE },
	{ "recursion 1", "3101 880b 0001 0080 00000001 ff", GRE_ERR_RECURSION },
	{ "recursion 7", "3701 880b 0001 0080 00000001 ff", GRE_ERR_RECURSION },
	{ "flag bit 9", "3041 880b 0001 0080 00000001 ff", GRE_ERR_FLAGS },
	{ "flag bit 12", "3009 880b 0001 0080 00000001 ff", GRE_ERR_FLAGS },
	{ "version 0 (RFC 2784)", "3000 880b 0001 0080 00000001 ff", GRE_ERR_VERSION },
	{ "version 2", "3002 880b 0001 0080 00000001 ff", GRE_ERR_VERSION },
	{ "version 7", "3007 880b 0001 0080 00000001 ff", GRE_ERR_VERSION },
	{ "plain GRE v0 IPv4", "0000 0800 4500 0014", GRE_ERR_VERSION },
	{ "protocol IPv4", "3001 0800 0001 0080 00000001 ff", GRE_ERR_PROTOCOL },
	{ "protocol 0", "3001 0000 0001 0080 00000001 ff", GRE_ERR_PROTOCOL },
	{ "payload length past end", "3001 880b 0002 0080 00000001 ff", GRE_ERR_PAYLOAD_LENGTH },
	{ "payload length 0xffff", "3081 880b ffff 0080 00000001 00000000 ff", GRE_ERR_PAYLOAD_LENGTH },
	{ "ack-only with payload", "2081 880b 0001 0080 00000004 ff", GRE_ERR_ACK_ONLY_PAYLOAD },
	{ "neither S nor A", "2001 880b 0000 0080", GRE_ERR_NO_SEQ_NO_ACK },
	{ "data with empty payload", "3001 880b 0000 0080 00000001", GRE_ERR_EMPTY_PAYLOAD },
};

static void header_malformed_table(void **state)
{
	(void)state;
	struct gre_error_counters counters;
	memset(&counters, 0, sizeof(counters));
	for (size_t i = 0; i < sizeof(gre_cases) / sizeof(gre_cases[0]); i++) {
		uint8_t buf[64];
		size_t len = test_hex(gre_cases[i].hex, buf, sizeof(buf));
		struct gre_header h;
		int rc = gre_header_decode(len ? buf : NULL, len, &h);
		if (rc != gre_cases[i].err)
			fail_msg("case \"%s\": got %d (%s), want %d (%s)", gre_cases[i].name,
				 rc, error_name(rc), gre_cases[i].err, error_name(gre_cases[i].err));
		assert_string_not_equal(error_name(rc), "unknown");
		gre_error_count(&counters, rc);
	}
	assert_int_equal(gre_error_get(&counters, GRE_ERR_VERSION), 4);
	assert_int_equal(gre_error_get(&counters, GRE_ERR_SHORT), 6);
	assert_int_equal(gre_error_get(&counters, ERR_TRUNCATED), 0);
}

static const struct malformed_case ipv4_cases[] = {
	{ "short", "4500 0020 0000 0000 402f 0000 c000020b c00002", GRE_ERR_IP_SHORT },
	{ "IPv6", "6000 0020 0000 0000 402f 0000 c000020b c000020a 3001880b", GRE_ERR_IP_VERSION },
	{ "IHL 4", "4400 0020 0000 0000 402f 0000 c000020b c000020a 3001880b", GRE_ERR_IP_HEADER_LENGTH },
	{ "IHL 15 past end", "4f00 0020 0000 0000 402f 0000 c000020b c000020a 3001880b", GRE_ERR_IP_HEADER_LENGTH },
	{ "total < IHL", "4500 0010 0000 0000 402f 0000 c000020b c000020a 3001880b", GRE_ERR_IP_TOTAL_LENGTH },
	{ "total > received", "4500 0040 0000 0000 402f 0000 c000020b c000020a 3001880b", GRE_ERR_IP_TOTAL_LENGTH },
	{ "protocol TCP", "4500 0018 0000 0000 4006 0000 c000020b c000020a 3001880b", GRE_ERR_IP_PROTOCOL },
	{ "first fragment", "4500 0018 0000 2000 402f 0000 c000020b c000020a 3001880b", GRE_ERR_IP_FRAGMENT },
	{ "later fragment", "4500 0018 0000 00b9 402f 0000 c000020b c000020a 3001880b", GRE_ERR_IP_FRAGMENT },
};

static void ipv4_malformed_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(ipv4_cases) / sizeof(ipv4_cases[0]); i++) {
		uint8_t buf[64];
		size_t len = test_hex(ipv4_cases[i].hex, buf, sizeof(buf));
		struct gre_ipv4 ip;
		int rc = gre_ipv4_parse(buf, len, &ip);
		if (rc != ipv4_cases[i].err)
			fail_msg("case \"%s\": got %d (%s), want %d", ipv4_cases[i].name, rc,
				 error_name(rc), ipv4_cases[i].err);
	}
}

static void ipv4_options_and_trailing_bytes(void **state)
{
	(void)state;
	uint8_t buf[64];
	/* IHL 6 (one option word), total 36, then 4 bytes of trailer. */
	size_t len = test_hex("4600 0024 0000 4000 402f 0000 c000020b c000020a 01010101"
			      "2081 880b 0000 0080 00000004 deadbeef", buf, sizeof(buf));
	struct gre_ipv4 ip;
	assert_int_equal(gre_ipv4_parse(buf, len, &ip), 24);
	assert_int_equal(ip.src, 0xC000020Bu);
	assert_int_equal(ip.dst, 0xC000020Au);
	assert_int_equal(ip.gre_len, 12);
	struct gre_header h;
	assert_int_equal(gre_header_decode(ip.gre, ip.gre_len, &h), 12);
	assert_false(h.has_seq);
	assert_int_equal(h.ack, 4);

	/* The same in place on a pkt, as the socket layer does. */
	uint8_t storage[128];
	struct pkt p;
	pkt_init(&p, storage, sizeof(storage), 0);
	memcpy(pkt_put(&p, len), buf, len);
	assert_int_equal(gre_ipv4_strip(&p, &ip), 24);
	assert_int_equal(p.len, 12);
	assert_int_equal(gre_header_strip(&p, &h), 12);
	assert_int_equal(p.len, 0);
	pkt_init(&p, storage, sizeof(storage), 0);
	memcpy(pkt_put(&p, 10), buf, 10);
	assert_int_equal(gre_ipv4_strip(&p, &ip), GRE_ERR_IP_SHORT);
	assert_int_equal(p.len, 10);
}

/* Every GRE header pptp-linux and pptpd sent decodes, with the fields
 * tshark showed. */
static void capture_headers_decode(void **state)
{
	(void)state;
	unsigned ack_only = 0, with_ack = 0;
	for (size_t i = 0; i < GRE_CAPTURE_VECTOR_COUNT; i++) {
		const struct gre_capture_vector *v = &gre_capture_vectors[i];
		static uint8_t buf[GRE_HEADER_MAX + 65536];
		memcpy(buf, v->header, v->header_len);
		memset(buf + v->header_len, 0x5a, v->payload_bytes);
		struct gre_header h;
		int rc = gre_header_decode(buf, v->header_len + (size_t)v->payload_bytes, &h);
		if (rc != v->header_len)
			fail_msg("frame %u: %d (%s)", v->frame, rc, error_name(rc));
		assert_int_equal(h.payload_len, v->payload_bytes);
		assert_int_equal(h.call_id, v->dir == 0 ? 128 : 13490);
		ack_only += !h.has_seq;
		with_ack += h.has_ack;
	}
	assert_int_equal(GRE_CAPTURE_VECTOR_COUNT, 498);
	assert_int_equal(ack_only, 7);   /* all from pptp-linux */
	assert_true(with_ack > 300);
}

static void capture_ip_packets_parse(void **state)
{
	(void)state;
	for (size_t i = 0; i < GRE_CAPTURE_IP_COUNT; i++) {
		const struct gre_capture_ip *c = &gre_capture_ips[i];
		struct gre_ipv4 ip;
		assert_int_equal(gre_ipv4_parse(c->bytes, c->len, &ip), 20);
		assert_int_equal(ip.src, c->dir == 0 ? 0xC000020Bu : 0xC000020Au);
		struct gre_header h;
		assert_true(gre_header_decode(ip.gre, ip.gre_len, &h) >= 12);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(header_round_trips),
		cmocka_unit_test(header_known_bytes),
		cmocka_unit_test(header_push_refuses_bad_requests),
		cmocka_unit_test(header_malformed_table),
		cmocka_unit_test(ipv4_malformed_table),
		cmocka_unit_test(ipv4_options_and_trailing_bytes),
		cmocka_unit_test(capture_headers_decode),
		cmocka_unit_test(capture_ip_packets_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
