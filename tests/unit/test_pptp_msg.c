/* SPDX-License-Identifier: BSD-2-Clause */
/* PPTP control message codec and stream reassembly (RFC 2637 §2). */
#include "support/test_support.h"

#include <stdio.h>
#include <string.h>

#include "../vectors/pptp/capture_msgs.h"
#include "base/bytes.h"
#include "base/error.h"
#include "proto/pptp/pptp_msg.h"
#include "proto/pptp/pptp_stream.h"

/* A representative message of every type, strings shorter than their field
 * so that the padding after the NUL can be corrupted. */
static void sample_msg(enum pptp_msg_type type, struct pptp_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->type = type;
	switch (type) {
	case PPTP_MSG_START_CTRL_REQUEST:
	case PPTP_MSG_START_CTRL_REPLY: {
		struct pptp_start_ctrl *s = &m->u.start_ctrl_request;
		s->version = PPTP_PROTOCOL_VERSION;
		if (type == PPTP_MSG_START_CTRL_REPLY) {
			s->result_code = 1;
			s->error_code = 0;
		}
		s->framing_caps = 3;
		s->bearer_caps = 3;
		s->max_channels = 0x1234;
		s->firmware_rev = 0x0102;
		snprintf(s->hostname, sizeof(s->hostname), "host");
		snprintf(s->vendor, sizeof(s->vendor), "vendor");
		break;
	}
	case PPTP_MSG_STOP_CTRL_REQUEST: m->u.stop_ctrl_request.reason = 3; break;
	case PPTP_MSG_STOP_CTRL_REPLY:
		m->u.stop_ctrl_reply.result_code = 2;
		m->u.stop_ctrl_reply.error_code = 4;
		break;
	case PPTP_MSG_ECHO_REQUEST: m->u.echo_request.identifier = 0xdeadbeef; break;
	case PPTP_MSG_ECHO_REPLY:
		m->u.echo_reply.identifier = 0xcafef00d;
		m->u.echo_reply.result_code = 1;
		break;
	case PPTP_MSG_OUT_CALL_REQUEST: {
		struct pptp_out_call_request *o = &m->u.out_call_request;
		o->call_id = 0x34b2;
		o->call_serial = 7;
		o->min_bps = 2400;
		o->max_bps = 10000000;
		o->bearer_type = 3;
		o->framing_type = 3;
		o->recv_window = 3;
		o->processing_delay = 1;
		o->phone_number_length = 7;
		snprintf(o->phone_number, sizeof(o->phone_number), "5551234");
		snprintf(o->subaddress, sizeof(o->subaddress), "sub");
		break;
	}
	case PPTP_MSG_OUT_CALL_REPLY: {
		struct pptp_out_call_reply *o = &m->u.out_call_reply;
		o->call_id = 0x80;
		o->peer_call_id = 0x34b2;
		o->result_code = 1;
		o->cause_code = 9;
		o->connect_speed = 10000000;
		o->recv_window = 64;
		o->processing_delay = 2;
		o->physical_channel_id = 0x01020304;
		break;
	}
	case PPTP_MSG_IN_CALL_REQUEST: {
		struct pptp_in_call_request *i = &m->u.in_call_request;
		i->call_id = 0x1111;
		i->call_serial = 2;
		i->bearer_type = 1;
		i->physical_channel_id = 5;
		i->dialed_number_length = 3;
		i->dialing_number_length = 4;
		snprintf(i->dialed_number, sizeof(i->dialed_number), "123");
		snprintf(i->dialing_number, sizeof(i->dialing_number), "4567");
		snprintf(i->subaddress, sizeof(i->subaddress), "s");
		break;
	}
	case PPTP_MSG_IN_CALL_REPLY: {
		struct pptp_in_call_reply *i = &m->u.in_call_reply;
		i->call_id = 0x2222;
		i->peer_call_id = 0x1111;
		i->result_code = 1;
		i->recv_window = 16;
		i->processing_delay = 3;
		break;
	}
	case PPTP_MSG_IN_CALL_CONNECTED: {
		struct pptp_in_call_connected *i = &m->u.in_call_connected;
		i->peer_call_id = 0x2222;
		i->connect_speed = 64000;
		i->recv_window = 8;
		i->processing_delay = 1;
		i->framing_type = 1;
		break;
	}
	case PPTP_MSG_CALL_CLEAR_REQUEST: m->u.call_clear_request.call_id = 0x4444; break;
	case PPTP_MSG_CALL_DISCONNECT_NOTIFY: {
		struct pptp_call_disconnect_notify *d = &m->u.call_disconnect_notify;
		d->call_id = 0x5555;
		d->result_code = 3;
		d->error_code = 0;
		d->cause_code = 16;
		snprintf(d->call_statistics, sizeof(d->call_statistics), "rx 1 tx 2");
		break;
	}
	case PPTP_MSG_WAN_ERROR_NOTIFY: {
		struct pptp_wan_error_notify *w = &m->u.wan_error_notify;
		w->peer_call_id = 0x6666;
		w->crc_errors = 1;
		w->framing_errors = 2;
		w->hardware_overruns = 3;
		w->buffer_overruns = 4;
		w->timeout_errors = 5;
		w->alignment_errors = 6;
		break;
	}
	case PPTP_MSG_SET_LINK_INFO:
		m->u.set_link_info.peer_call_id = 0x7777;
		m->u.set_link_info.send_accm = 0;
		m->u.set_link_info.recv_accm = 0xffffffff;
		break;
	}
}

static void every_type_round_trips(void **state)
{
	(void)state;
	for (uint16_t t = 1; t <= PPTP_MSG_TYPE_MAX; t++) {
		struct pptp_msg m, back;
		uint8_t buf[PPTP_MAX_MSG_LEN];
		sample_msg((enum pptp_msg_type)t, &m);
		int n = pptp_msg_encode(&m, buf, sizeof(buf));
		const struct pptp_msg_desc *d = pptp_msg_desc_get(t);
		assert_non_null(d);
		assert_int_equal(n, d->length);
		assert_int_equal(load_be16(buf), d->length);
		assert_int_equal(load_be32(buf + 4), PPTP_MAGIC_COOKIE);
		assert_int_equal(load_be16(buf + 8), t);
		assert_int_equal(pptp_msg_decode(buf, (size_t)n, &back), 0);
		assert_memory_equal(&m, &back, sizeof(m));
		/* re-encode gives the same bytes */
		uint8_t again[PPTP_MAX_MSG_LEN];
		assert_int_equal(pptp_msg_encode(&back, again, sizeof(again)), n);
		assert_memory_equal(buf, again, (size_t)n);
		/* one byte too small a buffer: nothing written */
		assert_int_equal(pptp_msg_encode(&m, buf, (size_t)n - 1), ERR_NOSPACE);
	}
}

/* RFC 2637 §2.7-§2.15: the octet where each call message carries its
 * (Peer's) Call ID; 0 for the connection messages. Written from the RFC, not
 * from the code, so the table's call_id_field is checked against it. */
static const uint8_t rfc_call_id_offset[PPTP_MSG_TYPE_MAX + 1] = {
	[PPTP_MSG_OUT_CALL_REQUEST] = 12,
	[PPTP_MSG_OUT_CALL_REPLY] = 14,
	[PPTP_MSG_IN_CALL_REQUEST] = 12,
	[PPTP_MSG_IN_CALL_REPLY] = 14,
	[PPTP_MSG_IN_CALL_CONNECTED] = 12,
	[PPTP_MSG_CALL_CLEAR_REQUEST] = 12,
	[PPTP_MSG_CALL_DISCONNECT_NOTIFY] = 12,
	[PPTP_MSG_WAN_ERROR_NOTIFY] = 12,
	[PPTP_MSG_SET_LINK_INFO] = 12,
};

static void descriptor_table_is_consistent(void **state)
{
	(void)state;
	struct pptp_msg m0;

	memset(&m0, 0, sizeof(m0));
	m0.type = (enum pptp_msg_type)0;
	assert_int_equal(pptp_msg_call_id(&m0), 0);
	assert_null(pptp_msg_desc_get(0));
	assert_null(pptp_msg_desc_get(16));
	for (uint16_t t = 1; t <= PPTP_MSG_TYPE_MAX; t++) {
		const struct pptp_msg_desc *d = pptp_msg_desc_get(t);
		assert_int_equal(d->type, t);
		assert_true(d->length >= 16 && d->length <= PPTP_MAX_MSG_LEN);
		assert_true(d->allowed_in[0] || d->allowed_in[1]);
		if (rfc_call_id_offset[t]) {
			/* the table's field is the one the RFC puts the call ID in */
			struct pptp_msg m, back;
			uint8_t buf[PPTP_MAX_MSG_LEN];
			sample_msg((enum pptp_msg_type)t, &m);
			int n = pptp_msg_encode(&m, buf, sizeof(buf));
			assert_true(n > 0);
			/* a value no other 16-bit field of the sample holds */
			store_be16(buf + rfc_call_id_offset[t], 0xc1d5);
			assert_int_equal(pptp_msg_decode(buf, (size_t)n, &back), 0);
			assert_int_equal(pptp_msg_call_id(&back), 0xc1d5);
			assert_int_not_equal(d->call_id_field, 0);
			assert_int_not_equal(d->call_id_owner, PPTP_CALL_ID_NONE);
		} else {
			assert_int_equal(d->call_id_field, 0);
			assert_int_equal(d->call_id_owner, PPTP_CALL_ID_NONE);
			sample_msg((enum pptp_msg_type)t, &m0);
			assert_int_equal(pptp_msg_call_id(&m0), 0);
		}
	}
	for (int q = 0; q < PEER_QUIRK_COUNT; q++) {
		const struct peer_quirk_entry *e = peer_quirk_get((enum peer_quirk)q);
		assert_int_equal(e->id, q);
		assert_non_null(e->name);
		assert_true(strlen(e->evidence) > 40); /* every entry cites its evidence */
	}
	assert_null(peer_quirk_get(PEER_QUIRK_COUNT));
}

static void assert_reencodes(const uint8_t *bytes, size_t len)
{
	struct pptp_msg m;
	uint8_t buf[PPTP_MAX_MSG_LEN];
	assert_int_equal(pptp_msg_decode(bytes, len, &m), 0);
	assert_int_equal(pptp_msg_encode(&m, buf, sizeof(buf)), (int)len);
	assert_memory_equal(buf, bytes, len);
}

static void decodes_pptp_linux_and_pptpd_capture(void **state)
{
	(void)state;
	struct pptp_msg m;

	assert_int_equal(pptp_msg_decode(capture_pptp_linux_sccrq, sizeof(capture_pptp_linux_sccrq), &m), 0);
	assert_int_equal(m.type, PPTP_MSG_START_CTRL_REQUEST);
	assert_int_equal(m.u.start_ctrl_request.version, 0x0100);
	assert_int_equal(m.u.start_ctrl_request.framing_caps, 3);
	assert_int_equal(m.u.start_ctrl_request.bearer_caps, 3);
	assert_int_equal(m.u.start_ctrl_request.max_channels, 65535);
	assert_int_equal(m.u.start_ctrl_request.firmware_rev, 1);
	assert_string_equal(m.u.start_ctrl_request.hostname, "local");
	assert_string_equal(m.u.start_ctrl_request.vendor, "cananian");

	/* pptpd: framing and bearer capabilities 0 (PPTP_QUIRK_ZERO_CAPABILITIES) */
	assert_int_equal(pptp_msg_decode(capture_pptpd_sccrp, sizeof(capture_pptpd_sccrp), &m), 0);
	assert_int_equal(m.type, PPTP_MSG_START_CTRL_REPLY);
	assert_int_equal(m.u.start_ctrl_reply.result_code, PPTP_START_OK);
	assert_int_equal(m.u.start_ctrl_reply.error_code, 0);
	assert_int_equal(m.u.start_ctrl_reply.framing_caps, 0);
	assert_int_equal(m.u.start_ctrl_reply.bearer_caps, 0);
	assert_int_equal(m.u.start_ctrl_reply.max_channels, 1);
	assert_int_equal(m.u.start_ctrl_reply.firmware_rev, 1);
	assert_string_equal(m.u.start_ctrl_reply.hostname, "local");
	assert_string_equal(m.u.start_ctrl_reply.vendor, "linux");

	assert_int_equal(pptp_msg_decode(capture_pptp_linux_ocrq, sizeof(capture_pptp_linux_ocrq), &m), 0);
	assert_int_equal(m.type, PPTP_MSG_OUT_CALL_REQUEST);
	assert_int_equal(m.u.out_call_request.call_id, 0x34b2);
	assert_int_equal(m.u.out_call_request.call_serial, 0);
	assert_int_equal(m.u.out_call_request.min_bps, 2400);
	assert_int_equal(m.u.out_call_request.max_bps, 10000000);
	assert_int_equal(m.u.out_call_request.bearer_type, 3);
	assert_int_equal(m.u.out_call_request.framing_type, 3);
	assert_int_equal(m.u.out_call_request.recv_window, 3);
	assert_int_equal(m.u.out_call_request.processing_delay, 0);
	assert_int_equal(m.u.out_call_request.phone_number_length, 0);
	assert_string_equal(m.u.out_call_request.phone_number, "");

	assert_int_equal(pptp_msg_decode(capture_pptpd_ocrp, sizeof(capture_pptpd_ocrp), &m), 0);
	assert_int_equal(m.type, PPTP_MSG_OUT_CALL_REPLY);
	assert_int_equal(m.u.out_call_reply.call_id, 0x0080);
	assert_int_equal(m.u.out_call_reply.peer_call_id, 0x34b2);
	assert_int_equal(m.u.out_call_reply.result_code, PPTP_OUT_CALL_CONNECTED);
	assert_int_equal(m.u.out_call_reply.connect_speed, 10000000);
	assert_int_equal(m.u.out_call_reply.recv_window, 3);
	assert_int_equal(m.u.out_call_reply.physical_channel_id, 0);
	assert_int_equal(pptp_msg_call_id(&m), 0x34b2);

	assert_int_equal(pptp_msg_decode(capture_probe_sccrq, sizeof(capture_probe_sccrq), &m), 0);
	assert_string_equal(m.u.start_ctrl_request.hostname, "peer-vm-host");
	assert_string_equal(m.u.start_ctrl_request.vendor, "peer-vm probe");
	assert_int_equal(m.u.start_ctrl_request.max_channels, 0);

	assert_int_equal(pptp_msg_decode(capture_probe_stop_request, sizeof(capture_probe_stop_request), &m), 0);
	assert_int_equal(m.type, PPTP_MSG_STOP_CTRL_REQUEST);
	assert_int_equal(m.u.stop_ctrl_request.reason, PPTP_STOP_REASON_NONE);
	assert_int_equal(pptp_msg_decode(capture_pptpd_stop_reply, sizeof(capture_pptpd_stop_reply), &m), 0);
	assert_int_equal(m.type, PPTP_MSG_STOP_CTRL_REPLY);
	assert_int_equal(m.u.stop_ctrl_reply.result_code, PPTP_STOP_OK);

	/* our encoder reproduces the real peers' bytes exactly */
	assert_reencodes(capture_pptp_linux_sccrq, sizeof(capture_pptp_linux_sccrq));
	assert_reencodes(capture_pptpd_sccrp, sizeof(capture_pptpd_sccrp));
	assert_reencodes(capture_pptpd_sccrp_probe, sizeof(capture_pptpd_sccrp_probe));
	assert_reencodes(capture_pptp_linux_ocrq, sizeof(capture_pptp_linux_ocrq));
	assert_reencodes(capture_pptpd_ocrp, sizeof(capture_pptpd_ocrp));
	assert_reencodes(capture_probe_sccrq, sizeof(capture_probe_sccrq));
	assert_reencodes(capture_probe_stop_request, sizeof(capture_probe_stop_request));
	assert_reencodes(capture_pptpd_stop_reply, sizeof(capture_pptpd_stop_reply));
}

/* ---- malformed messages ---- */

struct bad_case {
	const char *what;
	enum pptp_msg_type base;   /* start from a valid sample of this type */
	int offset;                /* -1: no patch */
	int width;                 /* 1, 2 or 4 bytes, big-endian */
	uint32_t value;
	int cut;                   /* > 0: keep only this many bytes; < 0: drop -cut bytes */
	int expect;
};

#define T(x) PPTP_MSG_##x
static const struct bad_case bad_cases[] = {
	{ "empty", T(ECHO_REQUEST), -1, 0, 0, 1000, ERR_TRUNCATED },
	{ "11 bytes", T(ECHO_REQUEST), -1, 0, 0, 11, ERR_TRUNCATED },
	{ "length 0", T(ECHO_REQUEST), 0, 2, 0, 0, ERR_LENGTH },
	{ "length 11", T(ECHO_REQUEST), 0, 2, 11, 0, ERR_LENGTH },
	{ "length 221", T(ECHO_REQUEST), 0, 2, 221, 0, ERR_LENGTH },
	{ "length 0xffff", T(ECHO_REQUEST), 0, 2, 0xffff, 0, ERR_LENGTH },
	{ "length past the buffer", T(ECHO_REQUEST), 0, 2, 20, 0, ERR_TRUNCATED },
	{ "length short of the buffer", T(ECHO_REQUEST), 0, 2, 12, 0, ERR_LENGTH },
	{ "management message type 2", T(ECHO_REQUEST), 2, 2, 2, 0, ERR_MALFORMED },
	{ "message type 0", T(ECHO_REQUEST), 2, 2, 0, 0, ERR_MALFORMED },
	{ "bad magic", T(ECHO_REQUEST), 4, 4, 0x1A2B3C4E, 0, ERR_MAGIC },
	{ "byte-swapped magic", T(START_CTRL_REQUEST), 4, 4, 0x4D3C2B1A, 0, ERR_MAGIC },
	{ "control type 0", T(ECHO_REQUEST), 8, 2, 0, 0, ERR_UNKNOWN_TYPE },
	{ "control type 16", T(ECHO_REQUEST), 8, 2, 16, 0, ERR_UNKNOWN_TYPE },
	{ "control type 0xffff", T(ECHO_REQUEST), 8, 2, 0xffff, 0, ERR_UNKNOWN_TYPE },
	{ "echo request length 16 typed as echo reply", T(ECHO_REQUEST), 8, 2, 6, 0, ERR_LENGTH },
	{ "SCCRQ length typed as echo request", T(START_CTRL_REQUEST), 8, 2, 5, 0, ERR_LENGTH },
	{ "CDN length typed as WAN-Error-Notify", T(CALL_DISCONNECT_NOTIFY), 8, 2, 14, 0, ERR_LENGTH },
	{ "SCCRQ cut", T(START_CTRL_REQUEST), -1, 0, 0, -1, ERR_TRUNCATED },
	{ "SCCRP cut", T(START_CTRL_REPLY), -1, 0, 0, -1, ERR_TRUNCATED },
	{ "StopCCRQ cut", T(STOP_CTRL_REQUEST), -1, 0, 0, -1, ERR_TRUNCATED },
	{ "StopCCRP cut", T(STOP_CTRL_REPLY), -1, 0, 0, -1, ERR_TRUNCATED },
	{ "Echo-Request cut", T(ECHO_REQUEST), -1, 0, 0, -1, ERR_TRUNCATED },
	{ "Echo-Reply cut", T(ECHO_REPLY), -1, 0, 0, -1, ERR_TRUNCATED },
	{ "OCRQ cut", T(OUT_CALL_REQUEST), -1, 0, 0, -1, ERR_TRUNCATED },
	{ "OCRP cut", T(OUT_CALL_REPLY), -1, 0, 0, -1, ERR_TRUNCATED },
	{ "ICRQ cut", T(IN_CALL_REQUEST), -1, 0, 0, -1, ERR_TRUNCATED },
	{ "ICRP cut", T(IN_CALL_REPLY), -1, 0, 0, -1, ERR_TRUNCATED },
	{ "ICCN cut", T(IN_CALL_CONNECTED), -1, 0, 0, -1, ERR_TRUNCATED },
	{ "CCRQ cut", T(CALL_CLEAR_REQUEST), -1, 0, 0, -1, ERR_TRUNCATED },
	{ "CDN cut", T(CALL_DISCONNECT_NOTIFY), -1, 0, 0, -1, ERR_TRUNCATED },
	{ "WEN cut", T(WAN_ERROR_NOTIFY), -1, 0, 0, -1, ERR_TRUNCATED },
	{ "SLI cut", T(SET_LINK_INFO), -1, 0, 0, -1, ERR_TRUNCATED },
	{ "SCCRQ version 2.0", T(START_CTRL_REQUEST), 12, 2, 0x0200, 0, ERR_VERSION },
	{ "SCCRQ version 0", T(START_CTRL_REQUEST), 12, 2, 0, 0, ERR_VERSION },
	{ "SCCRP version 0x0001", T(START_CTRL_REPLY), 12, 2, 0x0001, 0, ERR_VERSION },
	{ "SCCRQ Reserved1", T(START_CTRL_REQUEST), 14, 2, 1, 0, ERR_RESERVED },
	{ "StopCCRQ Reserved1", T(STOP_CTRL_REQUEST), 13, 1, 1, 0, ERR_RESERVED },
	{ "StopCCRQ Reserved2", T(STOP_CTRL_REQUEST), 14, 2, 0x8000, 0, ERR_RESERVED },
	{ "StopCCRP Reserved1", T(STOP_CTRL_REPLY), 14, 2, 1, 0, ERR_RESERVED },
	{ "Echo-Reply Reserved1", T(ECHO_REPLY), 18, 2, 1, 0, ERR_RESERVED },
	{ "OCRQ Reserved1", T(OUT_CALL_REQUEST), 38, 2, 1, 0, ERR_RESERVED },
	{ "ICRP Reserved1", T(IN_CALL_REPLY), 22, 2, 1, 0, ERR_RESERVED },
	{ "ICCN Reserved1", T(IN_CALL_CONNECTED), 14, 2, 1, 0, ERR_RESERVED },
	{ "CCRQ Reserved1", T(CALL_CLEAR_REQUEST), 14, 2, 1, 0, ERR_RESERVED },
	{ "CDN Reserved1", T(CALL_DISCONNECT_NOTIFY), 18, 2, 1, 0, ERR_RESERVED },
	{ "WEN Reserved1", T(WAN_ERROR_NOTIFY), 14, 2, 1, 0, ERR_RESERVED },
	{ "SLI Reserved1", T(SET_LINK_INFO), 14, 2, 1, 0, ERR_RESERVED },
	{ "SCCRQ host name junk after NUL", T(START_CTRL_REQUEST), 28 + 10, 1, 'x', 0, ERR_MALFORMED },
	{ "SCCRQ vendor junk in last byte", T(START_CTRL_REQUEST), 92 + 63, 1, 'x', 0, ERR_MALFORMED },
	{ "SCCRP host name junk", T(START_CTRL_REPLY), 28 + 63, 1, 1, 0, ERR_MALFORMED },
	{ "SCCRP vendor junk", T(START_CTRL_REPLY), 92 + 7, 1, 0xff, 0, ERR_MALFORMED },
	{ "OCRQ phone junk", T(OUT_CALL_REQUEST), 40 + 8, 1, '9', 0, ERR_MALFORMED },
	{ "OCRQ subaddress junk", T(OUT_CALL_REQUEST), 104 + 4, 1, 'z', 0, ERR_MALFORMED },
	{ "ICRQ dialed number junk", T(IN_CALL_REQUEST), 28 + 4, 1, '1', 0, ERR_MALFORMED },
	{ "ICRQ dialing number junk", T(IN_CALL_REQUEST), 92 + 5, 1, '2', 0, ERR_MALFORMED },
	{ "ICRQ subaddress junk", T(IN_CALL_REQUEST), 156 + 2, 1, '3', 0, ERR_MALFORMED },
	{ "CDN call statistics junk", T(CALL_DISCONNECT_NOTIFY), 20 + 127, 1, '!', 0, ERR_MALFORMED },
	/* accepted on purpose */
	{ "header Reserved0 set (quirk)", T(ECHO_REQUEST), 10, 2, 0x0001, 0, 0 },
	{ "SCCRP zero capabilities (pptpd)", T(START_CTRL_REPLY), 16, 4, 0, 0, 0 },
	{ "SCCRQ host name junk right after the NUL", T(START_CTRL_REQUEST), 28 + 5, 1, 0x41, 0, ERR_MALFORMED },
};
#undef T

static size_t build_bad_case(const struct bad_case *bc, uint8_t *buf, size_t cap)
{
	struct pptp_msg m;
	sample_msg(bc->base, &m);
	int n = pptp_msg_encode(&m, buf, cap);
	assert_true(n > 0);
	size_t len = (size_t)n;
	if (bc->offset >= 0) {
		if (bc->width == 1)
			buf[bc->offset] = (uint8_t)bc->value;
		else if (bc->width == 2)
			store_be16(buf + bc->offset, (uint16_t)bc->value);
		else
			store_be32(buf + bc->offset, bc->value);
	}
	if (bc->cut == 1000)
		len = 0;
	else if (bc->cut > 0)
		len = (size_t)bc->cut;
	else if (bc->cut < 0)
		len -= (size_t)(-bc->cut);
	return len;
}

static void malformed_messages_get_their_error(void **state)
{
	(void)state;
	unsigned errors = 0;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *bc = &bad_cases[i];
		uint8_t buf[PPTP_MAX_MSG_LEN];
		size_t len = build_bad_case(bc, buf, sizeof(buf));
		struct pptp_msg m;
		int rc = pptp_msg_decode(len ? buf : NULL, len, &m);
		if (rc != bc->expect)
			print_error("case '%s': got %s, want %s\n", bc->what, error_name(rc), error_name(bc->expect));
		assert_int_equal(rc, bc->expect);
		if (bc->expect != 0)
			errors++;
	}
	assert_true(errors >= 40);
}

static void full_width_string_is_legal(void **state)
{
	/* a 64-byte host name without any NUL is legal (RFC 2637 §2.2) */
	(void)state;
	struct pptp_msg m;
	uint8_t buf[PPTP_MAX_MSG_LEN];
	sample_msg(PPTP_MSG_START_CTRL_REQUEST, &m);
	memset(m.u.start_ctrl_request.hostname, 'h', PPTP_STRING_LEN);
	m.u.start_ctrl_request.hostname[PPTP_STRING_LEN] = '\0';
	int n = pptp_msg_encode(&m, buf, sizeof(buf));
	struct pptp_msg back;
	assert_int_equal(pptp_msg_decode(buf, (size_t)n, &back), 0);
	assert_int_equal(strlen(back.u.start_ctrl_request.hostname), PPTP_STRING_LEN);
}

/* ---- stream reassembly ---- */

struct collected {
	uint8_t bytes[2048];
	size_t len;
	unsigned count;
};

static int collect(void *ctx, const uint8_t *msg, size_t len)
{
	struct collected *c = ctx;
	assert_true(c->len + len <= sizeof(c->bytes));
	memcpy(c->bytes + c->len, msg, len);
	c->len += len;
	c->count++;
	return 0;
}

static size_t build_stream(uint8_t *buf, size_t cap)
{
	size_t n = 0;
	const struct {
		const uint8_t *p;
		size_t len;
	} parts[] = {
		{ capture_pptp_linux_sccrq, sizeof(capture_pptp_linux_sccrq) },
		{ capture_pptpd_sccrp, sizeof(capture_pptpd_sccrp) },
		{ capture_pptp_linux_ocrq, sizeof(capture_pptp_linux_ocrq) },
		{ capture_pptpd_ocrp, sizeof(capture_pptpd_ocrp) },
		{ capture_probe_stop_request, sizeof(capture_probe_stop_request) },
		{ capture_pptpd_stop_reply, sizeof(capture_pptpd_stop_reply) },
	};
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		assert_true(n + parts[i].len <= cap);
		memcpy(buf + n, parts[i].p, parts[i].len);
		n += parts[i].len;
	}
	return n;
}

static void stream_reassembles_at_every_split(void **state)
{
	(void)state;
	uint8_t all[1024];
	size_t n = build_stream(all, sizeof(all));
	for (size_t a = 0; a <= n; a++) {
		struct pptp_stream s;
		struct collected got = { .len = 0 };
		pptp_stream_init(&s);
		assert_int_equal(pptp_stream_feed(&s, all, a, collect, &got), 0);
		assert_int_equal(pptp_stream_feed(&s, all + a, n - a, collect, &got), 0);
		assert_int_equal(got.count, 6);
		assert_int_equal(got.len, n);
		assert_memory_equal(got.bytes, all, n);
	}
	/* three pieces, two split points */
	for (size_t a = 0; a <= n; a += 7) {
		for (size_t b = a; b <= n; b += 5) {
			struct pptp_stream s;
			struct collected got = { .len = 0 };
			pptp_stream_init(&s);
			assert_int_equal(pptp_stream_feed(&s, all, a, collect, &got), 0);
			assert_int_equal(pptp_stream_feed(&s, all + a, b - a, collect, &got), 0);
			assert_int_equal(pptp_stream_feed(&s, all + b, n - b, collect, &got), 0);
			assert_int_equal(got.count, 6);
			assert_memory_equal(got.bytes, all, n);
		}
	}
	/* one byte at a time */
	struct pptp_stream s;
	struct collected got = { .len = 0 };
	pptp_stream_init(&s);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(pptp_stream_feed(&s, all + i, 1, collect, &got), 0);
	assert_int_equal(got.count, 6);
}

static void stream_rejects_lying_lengths(void **state)
{
	(void)state;
	const uint16_t lies[] = { 0, 1, 11, 221, 1000, 0xffff };
	for (size_t i = 0; i < sizeof(lies) / sizeof(lies[0]); i++) {
		uint8_t buf[64];
		memcpy(buf, capture_probe_stop_request, 16);
		memcpy(buf + 16, capture_pptpd_stop_reply, 16);
		store_be16(buf + 16, lies[i]);
		struct pptp_stream s;
		struct collected got = { .len = 0 };
		pptp_stream_init(&s);
		/* the good first message is delivered, the lie kills the stream
		 * before anything behind it is awaited or read */
		assert_int_equal(pptp_stream_feed(&s, buf, 28, collect, &got), ERR_LENGTH);
		assert_int_equal(got.count, 1);
		assert_int_equal(pptp_stream_feed(&s, buf + 28, 4, collect, &got), ERR_LENGTH);
		assert_int_equal(got.count, 1);
	}
	uint8_t bad[16];
	memcpy(bad, capture_probe_stop_request, 16);
	bad[7] ^= 1;
	struct pptp_stream s;
	struct collected got = { .len = 0 };
	pptp_stream_init(&s);
	assert_int_equal(pptp_stream_feed(&s, bad, 12, collect, &got), ERR_MAGIC);
	memcpy(bad, capture_probe_stop_request, 16);
	store_be16(bad + 2, 2);
	pptp_stream_init(&s);
	assert_int_equal(pptp_stream_feed(&s, bad, 16, collect, &got), ERR_MALFORMED);
	/* a header split before its length is complete waits, then fails */
	pptp_stream_init(&s);
	store_be16(bad, 0xffff);
	store_be16(bad + 2, 1);
	assert_int_equal(pptp_stream_feed(&s, bad, 1, collect, &got), 0);
	assert_int_equal(pptp_stream_feed(&s, bad + 1, 11, collect, &got), ERR_LENGTH);
	assert_int_equal(got.count, 0);
}

static int stop_after_one(void *ctx, const uint8_t *msg, size_t len)
{
	(void)msg;
	(void)len;
	unsigned *n = ctx;
	(*n)++;
	return 7;
}

static void stream_callback_can_stop_feeding(void **state)
{
	(void)state;
	uint8_t all[1024];
	size_t n = build_stream(all, sizeof(all));
	struct pptp_stream s;
	unsigned count = 0;
	pptp_stream_init(&s);
	assert_int_equal(pptp_stream_feed(&s, all, n, stop_after_one, &count), 7);
	assert_int_equal(count, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_type_round_trips),
		cmocka_unit_test(descriptor_table_is_consistent),
		cmocka_unit_test(decodes_pptp_linux_and_pptpd_capture),
		cmocka_unit_test(malformed_messages_get_their_error),
		cmocka_unit_test(full_width_string_is_legal),
		cmocka_unit_test(stream_reassembles_at_every_split),
		cmocka_unit_test(stream_rejects_lying_lengths),
		cmocka_unit_test(stream_callback_can_stop_feeding),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
