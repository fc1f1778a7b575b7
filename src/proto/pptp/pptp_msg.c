/* SPDX-License-Identifier: BSD-2-Clause */
/* PPTP control message codec (RFC 2637 §2). One descriptor table drives the
 * central checks; the per-type code only moves fields. */
#include "proto/pptp/pptp_msg.h"

#include <stddef.h>
#include <string.h>

#include "base/error.h"
#include "base/reader.h"
#include "base/writer.h"

#define ST(s) PPTP_STATE_BIT(PPTP_CTRL_##s)
#define PRE_EST (ST(IDLE) | ST(WAIT_CTL_REPLY))
#define LIVE (ST(ESTABLISHED) | ST(WAIT_STOP_REPLY))
#define EITHER_ROLE(mask) { [PPTP_ROLE_PNS] = (mask), [PPTP_ROLE_PAC] = (mask) }

/* Where a decoded message keeps its call ID: the offset of a field of
 * struct pptp_msg, which must be a uint16_t (no other type compiles). */
#define CALL_ID_IN(field) \
	_Generic(((struct pptp_msg *)NULL)->u.field, uint16_t: offsetof(struct pptp_msg, u.field))

/* Indexed by control message type. allowed_in[role]: the states in which a
 * receiver in that role accepts the message; a role left out never receives
 * it (RFC 2637 §2: who sends what). call_id_owner: whose call ID the message
 * carries, seen from the receiver ("Call ID" is the sender's, "Peer's Call
 * ID" the receiver's own). */
static const struct pptp_msg_desc msg_table[PPTP_MSG_TYPE_MAX + 1] = {
	[PPTP_MSG_START_CTRL_REQUEST] = {
		.name = "Start-Control-Connection-Request",
		.type = PPTP_MSG_START_CTRL_REQUEST, .length = 156,
		.allowed_in = EITHER_ROLE(PRE_EST | ST(ESTABLISHED)),
		.reply_type = PPTP_MSG_START_CTRL_REPLY,
	},
	[PPTP_MSG_START_CTRL_REPLY] = {
		.name = "Start-Control-Connection-Reply",
		.type = PPTP_MSG_START_CTRL_REPLY, .length = 156,
		.allowed_in = EITHER_ROLE(ST(WAIT_CTL_REPLY)),
	},
	[PPTP_MSG_STOP_CTRL_REQUEST] = {
		.name = "Stop-Control-Connection-Request",
		.type = PPTP_MSG_STOP_CTRL_REQUEST, .length = 16,
		.allowed_in = EITHER_ROLE(ST(WAIT_CTL_REPLY) | LIVE),
		.reply_type = PPTP_MSG_STOP_CTRL_REPLY,
	},
	[PPTP_MSG_STOP_CTRL_REPLY] = {
		.name = "Stop-Control-Connection-Reply",
		.type = PPTP_MSG_STOP_CTRL_REPLY, .length = 16,
		.allowed_in = EITHER_ROLE(ST(WAIT_STOP_REPLY)),
	},
	[PPTP_MSG_ECHO_REQUEST] = {
		.name = "Echo-Request",
		.type = PPTP_MSG_ECHO_REQUEST, .length = 16,
		.allowed_in = EITHER_ROLE(LIVE),
		.reply_type = PPTP_MSG_ECHO_REPLY,
	},
	[PPTP_MSG_ECHO_REPLY] = {
		.name = "Echo-Reply",
		.type = PPTP_MSG_ECHO_REPLY, .length = 20,
		.allowed_in = EITHER_ROLE(LIVE),
	},
	[PPTP_MSG_OUT_CALL_REQUEST] = {
		.name = "Outgoing-Call-Request",
		.type = PPTP_MSG_OUT_CALL_REQUEST, .length = 168,
		.allowed_in = { [PPTP_ROLE_PAC] = ST(ESTABLISHED) },
		.call_id_field = CALL_ID_IN(out_call_request.call_id),
		.call_id_owner = PPTP_CALL_ID_PEERS,
		.reply_type = PPTP_MSG_OUT_CALL_REPLY,
	},
	[PPTP_MSG_OUT_CALL_REPLY] = {
		.name = "Outgoing-Call-Reply",
		.type = PPTP_MSG_OUT_CALL_REPLY, .length = 32,
		.allowed_in = { [PPTP_ROLE_PNS] = ST(ESTABLISHED) },
		.call_id_field = CALL_ID_IN(out_call_reply.peer_call_id),
		.call_id_owner = PPTP_CALL_ID_OURS,
	},
	[PPTP_MSG_IN_CALL_REQUEST] = {
		.name = "Incoming-Call-Request",
		.type = PPTP_MSG_IN_CALL_REQUEST, .length = 220,
		.allowed_in = { [PPTP_ROLE_PNS] = ST(ESTABLISHED) },
		.call_id_field = CALL_ID_IN(in_call_request.call_id),
		.call_id_owner = PPTP_CALL_ID_PEERS,
		.reply_type = PPTP_MSG_IN_CALL_REPLY,
	},
	[PPTP_MSG_IN_CALL_REPLY] = {
		.name = "Incoming-Call-Reply",
		.type = PPTP_MSG_IN_CALL_REPLY, .length = 24,
		.allowed_in = { [PPTP_ROLE_PAC] = ST(ESTABLISHED) },
		.call_id_field = CALL_ID_IN(in_call_reply.peer_call_id),
		.call_id_owner = PPTP_CALL_ID_OURS,
	},
	[PPTP_MSG_IN_CALL_CONNECTED] = {
		.name = "Incoming-Call-Connected",
		.type = PPTP_MSG_IN_CALL_CONNECTED, .length = 28,
		.allowed_in = { [PPTP_ROLE_PNS] = ST(ESTABLISHED) },
		.call_id_field = CALL_ID_IN(in_call_connected.peer_call_id),
		.call_id_owner = PPTP_CALL_ID_OURS,
	},
	[PPTP_MSG_CALL_CLEAR_REQUEST] = {
		.name = "Call-Clear-Request",
		.type = PPTP_MSG_CALL_CLEAR_REQUEST, .length = 16,
		.allowed_in = { [PPTP_ROLE_PAC] = ST(ESTABLISHED) },
		.call_id_field = CALL_ID_IN(call_clear_request.call_id),
		.call_id_owner = PPTP_CALL_ID_PEERS,
	},
	[PPTP_MSG_CALL_DISCONNECT_NOTIFY] = {
		.name = "Call-Disconnect-Notify",
		.type = PPTP_MSG_CALL_DISCONNECT_NOTIFY, .length = 148,
		.allowed_in = { [PPTP_ROLE_PNS] = ST(ESTABLISHED) },
		.call_id_field = CALL_ID_IN(call_disconnect_notify.call_id),
		.call_id_owner = PPTP_CALL_ID_PEERS,
	},
	[PPTP_MSG_WAN_ERROR_NOTIFY] = {
		.name = "WAN-Error-Notify",
		.type = PPTP_MSG_WAN_ERROR_NOTIFY, .length = 40,
		.allowed_in = { [PPTP_ROLE_PNS] = ST(ESTABLISHED) },
		.call_id_field = CALL_ID_IN(wan_error_notify.peer_call_id),
		.call_id_owner = PPTP_CALL_ID_OURS,
	},
	/* PNS mask: see PPTP_QUIRK_SET_LINK_INFO_TO_PNS. */
	[PPTP_MSG_SET_LINK_INFO] = {
		.name = "Set-Link-Info",
		.type = PPTP_MSG_SET_LINK_INFO, .length = 24,
		.allowed_in = EITHER_ROLE(ST(ESTABLISHED)),
		.call_id_field = CALL_ID_IN(set_link_info.peer_call_id),
		.call_id_owner = PPTP_CALL_ID_OURS,
	},
};

const struct pptp_msg_desc *pptp_msg_desc_get(uint16_t type)
{
	if (type == 0 || type > PPTP_MSG_TYPE_MAX)
		return NULL;
	return &msg_table[type];
}

const char *pptp_msg_name(uint16_t type)
{
	const struct pptp_msg_desc *d = pptp_msg_desc_get(type);
	return d ? d->name : "unknown";
}

int pptp_msg_check_header(const uint8_t *buf, size_t len, uint16_t *type, uint16_t *length)
{
	struct reader r;
	reader_init(&r, buf, len);
	uint16_t msg_len = reader_u16(&r);
	uint16_t pptp_type = reader_u16(&r);
	uint32_t magic = reader_u32(&r);
	uint16_t ctrl_type = reader_u16(&r);
	reader_skip(&r, 2);
	if (!reader_ok(&r))
		return ERR_TRUNCATED;
	*type = ctrl_type;
	*length = msg_len;
	/* RFC 2637 §2.1: a wrong length or cookie means the stream is out of
	 * sync; the only recovery is closing the connection. */
	if (msg_len < PPTP_HEADER_LEN || msg_len > PPTP_MAX_MSG_LEN)
		return ERR_LENGTH;
	if (pptp_type != PPTP_MESSAGE_CONTROL)
		return ERR_MALFORMED;
	if (magic != PPTP_MAGIC_COOKIE)
		return ERR_MAGIC;
	return 0;
}

uint16_t pptp_msg_call_id(const struct pptp_msg *m)
{
	const struct pptp_msg_desc *d = pptp_msg_desc_get((uint16_t)m->type);
	uint16_t id;

	if (!d || d->call_id_field == 0)
		return 0;
	memcpy(&id, (const uint8_t *)m + d->call_id_field, sizeof(id));
	return id;
}

/* Body checks collected while decoding; reported in a fixed priority. */
struct body_check {
	bool reserved_nonzero;
	bool bad_string;
	bool bad_version;
};

static void reserved8(struct reader *r, struct body_check *c)
{
	if (reader_u8(r) != 0)
		c->reserved_nonzero = true;
}

static void reserved16(struct reader *r, struct body_check *c)
{
	if (reader_u16(r) != 0)
		c->reserved_nonzero = true;
}

static void string_field(struct reader *r, size_t n, char *out, size_t out_size, struct body_check *c)
{
	if (!reader_padded_string(r, n, out, out_size))
		c->bad_string = true;
}

static void decode_start_ctrl(struct reader *r, struct pptp_start_ctrl *s, bool reply, struct body_check *c)
{
	s->version = reader_u16(r);
	if (reply) {
		s->result_code = reader_u8(r);
		s->error_code = reader_u8(r);
	} else {
		s->result_code = 0;
		s->error_code = 0;
		reserved16(r, c);
	}
	s->framing_caps = reader_u32(r);
	s->bearer_caps = reader_u32(r);
	s->max_channels = reader_u16(r);
	s->firmware_rev = reader_u16(r);
	string_field(r, PPTP_STRING_LEN, s->hostname, sizeof(s->hostname), c);
	string_field(r, PPTP_STRING_LEN, s->vendor, sizeof(s->vendor), c);
	/* PPTP_QUIRK_ZERO_CAPABILITIES: no check that any capability bit is set. */
	if (s->version != PPTP_PROTOCOL_VERSION)
		c->bad_version = true;
}

static void decode_body(struct reader *r, struct pptp_msg *m, struct body_check *c)
{
	switch (m->type) {
	case PPTP_MSG_START_CTRL_REQUEST:
		decode_start_ctrl(r, &m->u.start_ctrl_request, false, c);
		break;
	case PPTP_MSG_START_CTRL_REPLY:
		decode_start_ctrl(r, &m->u.start_ctrl_reply, true, c);
		break;
	case PPTP_MSG_STOP_CTRL_REQUEST:
		m->u.stop_ctrl_request.reason = reader_u8(r);
		reserved8(r, c);
		reserved16(r, c);
		break;
	case PPTP_MSG_STOP_CTRL_REPLY:
		m->u.stop_ctrl_reply.result_code = reader_u8(r);
		m->u.stop_ctrl_reply.error_code = reader_u8(r);
		reserved16(r, c);
		break;
	case PPTP_MSG_ECHO_REQUEST:
		m->u.echo_request.identifier = reader_u32(r);
		break;
	case PPTP_MSG_ECHO_REPLY:
		m->u.echo_reply.identifier = reader_u32(r);
		m->u.echo_reply.result_code = reader_u8(r);
		m->u.echo_reply.error_code = reader_u8(r);
		reserved16(r, c);
		break;
	case PPTP_MSG_OUT_CALL_REQUEST: {
		struct pptp_out_call_request *o = &m->u.out_call_request;
		o->call_id = reader_u16(r);
		o->call_serial = reader_u16(r);
		o->min_bps = reader_u32(r);
		o->max_bps = reader_u32(r);
		o->bearer_type = reader_u32(r);
		o->framing_type = reader_u32(r);
		o->recv_window = reader_u16(r);
		o->processing_delay = reader_u16(r);
		o->phone_number_length = reader_u16(r);
		reserved16(r, c);
		string_field(r, PPTP_STRING_LEN, o->phone_number, sizeof(o->phone_number), c);
		string_field(r, PPTP_STRING_LEN, o->subaddress, sizeof(o->subaddress), c);
		break;
	}
	case PPTP_MSG_OUT_CALL_REPLY: {
		struct pptp_out_call_reply *o = &m->u.out_call_reply;
		o->call_id = reader_u16(r);
		o->peer_call_id = reader_u16(r);
		o->result_code = reader_u8(r);
		o->error_code = reader_u8(r);
		o->cause_code = reader_u16(r);
		o->connect_speed = reader_u32(r);
		o->recv_window = reader_u16(r);
		o->processing_delay = reader_u16(r);
		o->physical_channel_id = reader_u32(r);
		break;
	}
	case PPTP_MSG_IN_CALL_REQUEST: {
		struct pptp_in_call_request *i = &m->u.in_call_request;
		i->call_id = reader_u16(r);
		i->call_serial = reader_u16(r);
		i->bearer_type = reader_u32(r);
		i->physical_channel_id = reader_u32(r);
		i->dialed_number_length = reader_u16(r);
		i->dialing_number_length = reader_u16(r);
		string_field(r, PPTP_STRING_LEN, i->dialed_number, sizeof(i->dialed_number), c);
		string_field(r, PPTP_STRING_LEN, i->dialing_number, sizeof(i->dialing_number), c);
		string_field(r, PPTP_STRING_LEN, i->subaddress, sizeof(i->subaddress), c);
		break;
	}
	case PPTP_MSG_IN_CALL_REPLY: {
		struct pptp_in_call_reply *i = &m->u.in_call_reply;
		i->call_id = reader_u16(r);
		i->peer_call_id = reader_u16(r);
		i->result_code = reader_u8(r);
		i->error_code = reader_u8(r);
		i->recv_window = reader_u16(r);
		i->processing_delay = reader_u16(r);
		reserved16(r, c);
		break;
	}
	case PPTP_MSG_IN_CALL_CONNECTED: {
		struct pptp_in_call_connected *i = &m->u.in_call_connected;
		i->peer_call_id = reader_u16(r);
		reserved16(r, c);
		i->connect_speed = reader_u32(r);
		i->recv_window = reader_u16(r);
		i->processing_delay = reader_u16(r);
		i->framing_type = reader_u32(r);
		break;
	}
	case PPTP_MSG_CALL_CLEAR_REQUEST:
		m->u.call_clear_request.call_id = reader_u16(r);
		reserved16(r, c);
		break;
	case PPTP_MSG_CALL_DISCONNECT_NOTIFY: {
		struct pptp_call_disconnect_notify *d = &m->u.call_disconnect_notify;
		d->call_id = reader_u16(r);
		d->result_code = reader_u8(r);
		d->error_code = reader_u8(r);
		d->cause_code = reader_u16(r);
		reserved16(r, c);
		string_field(r, PPTP_STATS_LEN, d->call_statistics, sizeof(d->call_statistics), c);
		break;
	}
	case PPTP_MSG_WAN_ERROR_NOTIFY: {
		struct pptp_wan_error_notify *w = &m->u.wan_error_notify;
		w->peer_call_id = reader_u16(r);
		reserved16(r, c);
		w->crc_errors = reader_u32(r);
		w->framing_errors = reader_u32(r);
		w->hardware_overruns = reader_u32(r);
		w->buffer_overruns = reader_u32(r);
		w->timeout_errors = reader_u32(r);
		w->alignment_errors = reader_u32(r);
		break;
	}
	case PPTP_MSG_SET_LINK_INFO: {
		struct pptp_set_link_info *s = &m->u.set_link_info;
		s->peer_call_id = reader_u16(r);
		reserved16(r, c);
		s->send_accm = reader_u32(r);
		s->recv_accm = reader_u32(r);
		break;
	}
	}
}

int pptp_msg_decode(const uint8_t *buf, size_t len, struct pptp_msg *out)
{
	uint16_t type, length;
	memset(out, 0, sizeof(*out));
	int rc = pptp_msg_check_header(buf, len, &type, &length);
	if (rc < 0)
		return rc;
	if (length > len)
		return ERR_TRUNCATED;
	if (length < len)
		return ERR_LENGTH;
	const struct pptp_msg_desc *d = pptp_msg_desc_get(type);
	if (!d)
		return ERR_UNKNOWN_TYPE;
	out->type = (enum pptp_msg_type)type;
	if (length != d->length)
		return ERR_LENGTH;

	struct reader r;
	reader_init(&r, buf, len);
	reader_skip(&r, 10);
	/* PPTP_QUIRK_HEADER_RESERVED0: kept, not rejected. */
	out->header_reserved0 = reader_u16(&r);
	struct body_check c = { false, false, false };
	decode_body(&r, out, &c);
	if (!reader_ok(&r) || reader_remaining(&r) != 0)
		return ERR_LENGTH; /* unreachable: the table length matches the layout */
	if (c.bad_version)
		return ERR_VERSION;
	if (c.reserved_nonzero)
		return ERR_RESERVED;
	if (c.bad_string)
		return ERR_MALFORMED;
	return 0;
}

static void encode_start_ctrl(struct writer *w, const struct pptp_start_ctrl *s, bool reply)
{
	writer_u16(w, s->version);
	if (reply) {
		writer_u8(w, s->result_code);
		writer_u8(w, s->error_code);
	} else {
		writer_u16(w, 0);
	}
	writer_u32(w, s->framing_caps);
	writer_u32(w, s->bearer_caps);
	writer_u16(w, s->max_channels);
	writer_u16(w, s->firmware_rev);
	writer_padded_string(w, s->hostname, PPTP_STRING_LEN);
	writer_padded_string(w, s->vendor, PPTP_STRING_LEN);
}

static void encode_body(struct writer *w, const struct pptp_msg *m)
{
	switch (m->type) {
	case PPTP_MSG_START_CTRL_REQUEST:
		encode_start_ctrl(w, &m->u.start_ctrl_request, false);
		break;
	case PPTP_MSG_START_CTRL_REPLY:
		encode_start_ctrl(w, &m->u.start_ctrl_reply, true);
		break;
	case PPTP_MSG_STOP_CTRL_REQUEST:
		writer_u8(w, m->u.stop_ctrl_request.reason);
		writer_zeros(w, 3);
		break;
	case PPTP_MSG_STOP_CTRL_REPLY:
		writer_u8(w, m->u.stop_ctrl_reply.result_code);
		writer_u8(w, m->u.stop_ctrl_reply.error_code);
		writer_zeros(w, 2);
		break;
	case PPTP_MSG_ECHO_REQUEST:
		writer_u32(w, m->u.echo_request.identifier);
		break;
	case PPTP_MSG_ECHO_REPLY:
		writer_u32(w, m->u.echo_reply.identifier);
		writer_u8(w, m->u.echo_reply.result_code);
		writer_u8(w, m->u.echo_reply.error_code);
		writer_zeros(w, 2);
		break;
	case PPTP_MSG_OUT_CALL_REQUEST: {
		const struct pptp_out_call_request *o = &m->u.out_call_request;
		writer_u16(w, o->call_id);
		writer_u16(w, o->call_serial);
		writer_u32(w, o->min_bps);
		writer_u32(w, o->max_bps);
		writer_u32(w, o->bearer_type);
		writer_u32(w, o->framing_type);
		writer_u16(w, o->recv_window);
		writer_u16(w, o->processing_delay);
		writer_u16(w, o->phone_number_length);
		writer_zeros(w, 2);
		writer_padded_string(w, o->phone_number, PPTP_STRING_LEN);
		writer_padded_string(w, o->subaddress, PPTP_STRING_LEN);
		break;
	}
	case PPTP_MSG_OUT_CALL_REPLY: {
		const struct pptp_out_call_reply *o = &m->u.out_call_reply;
		writer_u16(w, o->call_id);
		writer_u16(w, o->peer_call_id);
		writer_u8(w, o->result_code);
		writer_u8(w, o->error_code);
		writer_u16(w, o->cause_code);
		writer_u32(w, o->connect_speed);
		writer_u16(w, o->recv_window);
		writer_u16(w, o->processing_delay);
		writer_u32(w, o->physical_channel_id);
		break;
	}
	case PPTP_MSG_IN_CALL_REQUEST: {
		const struct pptp_in_call_request *i = &m->u.in_call_request;
		writer_u16(w, i->call_id);
		writer_u16(w, i->call_serial);
		writer_u32(w, i->bearer_type);
		writer_u32(w, i->physical_channel_id);
		writer_u16(w, i->dialed_number_length);
		writer_u16(w, i->dialing_number_length);
		writer_padded_string(w, i->dialed_number, PPTP_STRING_LEN);
		writer_padded_string(w, i->dialing_number, PPTP_STRING_LEN);
		writer_padded_string(w, i->subaddress, PPTP_STRING_LEN);
		break;
	}
	case PPTP_MSG_IN_CALL_REPLY: {
		const struct pptp_in_call_reply *i = &m->u.in_call_reply;
		writer_u16(w, i->call_id);
		writer_u16(w, i->peer_call_id);
		writer_u8(w, i->result_code);
		writer_u8(w, i->error_code);
		writer_u16(w, i->recv_window);
		writer_u16(w, i->processing_delay);
		writer_zeros(w, 2);
		break;
	}
	case PPTP_MSG_IN_CALL_CONNECTED: {
		const struct pptp_in_call_connected *i = &m->u.in_call_connected;
		writer_u16(w, i->peer_call_id);
		writer_zeros(w, 2);
		writer_u32(w, i->connect_speed);
		writer_u16(w, i->recv_window);
		writer_u16(w, i->processing_delay);
		writer_u32(w, i->framing_type);
		break;
	}
	case PPTP_MSG_CALL_CLEAR_REQUEST:
		writer_u16(w, m->u.call_clear_request.call_id);
		writer_zeros(w, 2);
		break;
	case PPTP_MSG_CALL_DISCONNECT_NOTIFY: {
		const struct pptp_call_disconnect_notify *d = &m->u.call_disconnect_notify;
		writer_u16(w, d->call_id);
		writer_u8(w, d->result_code);
		writer_u8(w, d->error_code);
		writer_u16(w, d->cause_code);
		writer_zeros(w, 2);
		writer_padded_string(w, d->call_statistics, PPTP_STATS_LEN);
		break;
	}
	case PPTP_MSG_WAN_ERROR_NOTIFY: {
		const struct pptp_wan_error_notify *e = &m->u.wan_error_notify;
		writer_u16(w, e->peer_call_id);
		writer_zeros(w, 2);
		writer_u32(w, e->crc_errors);
		writer_u32(w, e->framing_errors);
		writer_u32(w, e->hardware_overruns);
		writer_u32(w, e->buffer_overruns);
		writer_u32(w, e->timeout_errors);
		writer_u32(w, e->alignment_errors);
		break;
	}
	case PPTP_MSG_SET_LINK_INFO: {
		const struct pptp_set_link_info *s = &m->u.set_link_info;
		writer_u16(w, s->peer_call_id);
		writer_zeros(w, 2);
		writer_u32(w, s->send_accm);
		writer_u32(w, s->recv_accm);
		break;
	}
	}
}

int pptp_msg_encode(const struct pptp_msg *m, uint8_t *buf, size_t cap)
{
	const struct pptp_msg_desc *d = pptp_msg_desc_get((uint16_t)m->type);
	if (!d)
		return ERR_INVALID;
	if (cap < d->length)
		return ERR_NOSPACE;
	struct writer w;
	writer_init(&w, buf, cap);
	writer_u16(&w, d->length);
	writer_u16(&w, PPTP_MESSAGE_CONTROL);
	writer_u32(&w, PPTP_MAGIC_COOKIE);
	writer_u16(&w, (uint16_t)m->type);
	writer_u16(&w, 0);
	encode_body(&w, m);
	if (!writer_ok(&w) || writer_len(&w) != d->length)
		return ERR_INVALID;
	return (int)d->length;
}
