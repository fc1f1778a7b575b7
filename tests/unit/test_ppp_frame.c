/* SPDX-License-Identifier: BSD-2-Clause */
/* PPP framing for PPTP: decode with negotiated/un-negotiated compression,
 * MRU, encode in place. */
#include "support/test_support.h"

#include <string.h>

#include "base/error.h"
#include "proto/ppp/frame.h"
#include "proto/ppp/ppp.h"

struct frame_case {
	const char *name;
	const char *hex;
	size_t info_len;
	int rc;
	uint16_t protocol;
	bool acfc, pfc;
};

static const struct frame_case cases[] = {
	{ "full form", "ff03 0021 4500", 2, 0, 0x0021, false, false },
	{ "ACFC negotiated", "0021 4500", 2, 0, 0x0021, true, false },
	{ "ACFC not negotiated", "0021 4500", 0, ERR_UNSUPPORTED, 0, false, false },
	{ "PFC negotiated", "ff03 21 4500", 2, 0, 0x0021, false, true },
	{ "PFC not negotiated", "ff03 21 4500", 0, ERR_UNSUPPORTED, 0, false, false },
	{ "both", "fd 9000", 2, 0, 0x00fd, true, true },
	{ "LCP full form with ACFC on", "ff03 c021 0101 0004", 4, 0, 0xc021, true, true },
	{ "empty", "", 0, ERR_TRUNCATED, 0, true, true },
	{ "address only", "ff", 0, ERR_TRUNCATED, 0, false, false },
	{ "bad control", "ff05 0021", 0, ERR_MALFORMED, 0, false, false },
	{ "no protocol", "ff03", 0, ERR_TRUNCATED, 0, false, false },
	{ "half protocol", "ff03 00", 0, ERR_TRUNCATED, 0, false, false },
	{ "even protocol low byte", "ff03 0020 00", 0, ERR_MALFORMED, 0, false, false },
	{ "odd first byte is the compressed form", "ff03 0121 00", 0, ERR_UNSUPPORTED, 0, false, false },
	{ "no information is fine", "ff03 c021", 0, 0, 0xc021, false, false },
	{ "compressed 0xff is reserved", "ff03 ff 00", 0, ERR_MALFORMED, 0, false, true },
	{ "0x00ff is reserved", "ff03 00ff 00", 0, ERR_MALFORMED, 0, false, false },
};

static void frame_decode_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct frame_case *c = &cases[i];
		uint8_t buf[64];
		size_t n = test_hex(c->hex, buf, sizeof(buf));
		struct ppp_frame_config cfg = { .rx_acfc = c->acfc, .rx_pfc = c->pfc };
		struct ppp_frame f;
		struct ppp_frame_stats st = { 0 };
		int rc = ppp_frame_decode(&cfg, buf, n, &f, &st);
		if (rc != c->rc)
			fail_msg("%s: rc %d, expected %d", c->name, rc, c->rc);
		if (rc == 0) {
			assert_int_equal(f.protocol, c->protocol);
			assert_int_equal(f.info_len, c->info_len);
			assert_int_equal(st.rx_frames, 1);
		} else if (rc == ERR_UNSUPPORTED) {
			assert_int_equal(st.rx_unnegotiated, 1);
		} else {
			assert_int_equal(st.rx_bad_header, 1);
		}
	}
}

static void frame_mru_enforced(void **state)
{
	(void)state;
	uint8_t buf[1600] = { 0xff, 0x03, 0x00, 0x21 };
	struct ppp_frame_config cfg = { .mru = 1400 };
	struct ppp_frame f;
	struct ppp_frame_stats st = { 0 };
	assert_int_equal(ppp_frame_decode(&cfg, buf, 4 + 1400, &f, &st), 0);
	assert_int_equal(ppp_frame_decode(&cfg, buf, 4 + 1401, &f, &st), ERR_LENGTH);
	assert_int_equal(st.rx_too_long, 1);
	cfg.mru = 0; /* default 1500 */
	assert_int_equal(ppp_frame_decode(&cfg, buf, 4 + 1500, &f, &st), 0);
	assert_int_equal(ppp_frame_decode(&cfg, buf, 4 + 1501, &f, &st), ERR_LENGTH);
}

static void frame_encode_in_place(void **state)
{
	(void)state;
	uint8_t storage[256];
	struct pkt p;
	const struct {
		bool acfc, pfc;
		uint16_t protocol;
		const char *head;
	} enc[] = {
		{ false, false, 0x0021, "ff03 0021" },
		{ true, false, 0x0021, "0021" },
		{ false, true, 0x0021, "ff03 21" },
		{ true, true, 0x00fd, "fd" },
		{ true, true, 0x0057, "57" },
		{ true, true, 0x80fd, "80fd" },        /* control protocols never compressed */
		{ true, true, 0xc021, "ff03 c021" },   /* RFC 1661 §6.6: LCP always full */
	};
	for (size_t i = 0; i < sizeof(enc) / sizeof(enc[0]); i++) {
		pkt_init(&p, storage, sizeof(storage), PKT_HEADROOM);
		memcpy(pkt_put(&p, 2), "\x45\x00", 2);
		struct ppp_frame_config cfg = { .tx_acfc = enc[i].acfc, .tx_pfc = enc[i].pfc };
		assert_int_equal(ppp_frame_encode(&cfg, &p, enc[i].protocol), 0);
		uint8_t want[8];
		size_t n = test_hex(enc[i].head, want, sizeof(want));
		assert_int_equal(p.len, n + 2);
		assert_memory_equal(pkt_data(&p), want, n);
		/* And it decodes back with the matching receive side. */
		struct ppp_frame_config rx = { .rx_acfc = enc[i].acfc, .rx_pfc = enc[i].pfc };
		struct ppp_frame f;
		assert_int_equal(ppp_frame_decode(&rx, pkt_data(&p), p.len, &f, NULL), 0);
		assert_int_equal(f.protocol, enc[i].protocol);
		assert_int_equal(f.info_len, 2);
	}
	/* No headroom: ERR_NOSPACE, packet untouched. */
	pkt_init(&p, storage, sizeof(storage), 3);
	struct ppp_frame_config cfg = { 0 };
	assert_int_equal(ppp_frame_encode(&cfg, &p, 0x0021), ERR_NOSPACE);
	assert_int_equal(p.off, 3);
	assert_int_equal(p.len, 0);
}

static void protocol_names(void **state)
{
	(void)state;
	assert_true(ppp_protocol_valid(0x0021));
	assert_true(ppp_protocol_valid(0xc021));
	assert_false(ppp_protocol_valid(0x0022));
	assert_false(ppp_protocol_valid(0x0121));
	assert_string_equal(ppp_protocol_name(PPP_PROTO_CCP), "CCP");
	assert_string_equal(ppp_code_name(PPP_RESET_ACK), "Reset-Ack");
	assert_string_equal(ppp_event_name(PPP_EVENT_MPPE_REFUSED), "mppe-refused");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(frame_decode_table),
		cmocka_unit_test(frame_mru_enforced),
		cmocka_unit_test(frame_encode_in_place),
		cmocka_unit_test(protocol_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
