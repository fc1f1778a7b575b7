/* SPDX-License-Identifier: BSD-2-Clause */
/* PPTP control connection state machine (RFC 2637 §3.1), the central
 * descriptor-driven checks, keepalive and timers. Calls: pptp_call.c. */
#include "proto/pptp/pptp_ctrl.h"
#include "proto/pptp/pptp_ctrl_internal.h"

#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "base/time.h"

static const char *const state_names[] = {
	"idle", "wait-ctl-reply", "established", "wait-stop-reply", "closed",
};

const char *pptp_ctrl_state_name(enum pptp_ctrl_state s)
{
	return (unsigned)s < sizeof(state_names) / sizeof(state_names[0]) ? state_names[s] : "?";
}

bool pptp_collision_we_win(uint32_t local_ipv4, uint32_t peer_ipv4)
{
	return local_ipv4 > peer_ipv4;
}

void pptp_ctrl_config_defaults(struct pptp_ctrl_config *cfg, enum pptp_role role)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->role = role;
	snprintf(cfg->hostname, sizeof(cfg->hostname), "openpptp");
	snprintf(cfg->vendor, sizeof(cfg->vendor), "openpptp");
	cfg->firmware_rev = 1;
	cfg->framing_caps = PPTP_FRAMING_ASYNC | PPTP_FRAMING_SYNC;
	cfg->bearer_caps = PPTP_BEARER_ANALOG | PPTP_BEARER_DIGITAL;
	cfg->max_channels = role == PPTP_ROLE_PAC ? PPTP_CTRL_MAX_CALLS : 0;
	cfg->max_calls = role == PPTP_ROLE_PAC ? 1 : PPTP_CTRL_MAX_CALLS;
	cfg->recv_window = 64;
	cfg->keepalive_interval_ms = PPTP_DEFAULT_KEEPALIVE_INTERVAL_MS;
	cfg->keepalive_timeout_ms = PPTP_DEFAULT_KEEPALIVE_TIMEOUT_MS;
	cfg->setup_timeout_ms = PPTP_DEFAULT_SETUP_TIMEOUT_MS;
	cfg->stop_timeout_ms = PPTP_DEFAULT_STOP_TIMEOUT_MS;
	cfg->call_timeout_ms = PPTP_DEFAULT_CALL_TIMEOUT_MS;
}

void pptp_call_params_defaults(struct pptp_call_params *p)
{
	memset(p, 0, sizeof(*p));
	/* What pptp-linux 1.10.0 sends (capture, frame 29). */
	p->min_bps = 2400;
	p->max_bps = 10000000;
	p->bearer_type = PPTP_BEARER_ANALOG | PPTP_BEARER_DIGITAL;
	p->framing_type = PPTP_FRAMING_ASYNC | PPTP_FRAMING_SYNC;
}

/* ---- output ---- */

void pptp_ctrl_send(struct pptp_ctrl *c, const struct pptp_msg *m)
{
	uint8_t buf[PPTP_MAX_MSG_LEN];
	int n = pptp_msg_encode(m, buf, sizeof(buf));
	if (n < 0) {
		log_msg(LOG_LEVEL_ERROR, c->tag, "cannot encode %s: %s", pptp_msg_name((uint16_t)m->type),
			error_name(n));
		return;
	}
	if (c->cfg.output)
		c->cfg.output(c->cfg.ctx, buf, (size_t)n);
}

static void fill_start(const struct pptp_ctrl *c, struct pptp_start_ctrl *s)
{
	s->version = PPTP_PROTOCOL_VERSION;
	s->framing_caps = c->cfg.framing_caps;
	s->bearer_caps = c->cfg.bearer_caps;
	s->max_channels = c->cfg.max_channels;
	s->firmware_rev = c->cfg.firmware_rev;
	memcpy(s->hostname, c->cfg.hostname, sizeof(s->hostname));
	memcpy(s->vendor, c->cfg.vendor, sizeof(s->vendor));
}

static void send_start_reply(struct pptp_ctrl *c, uint8_t result, uint8_t error)
{
	struct pptp_msg m = { .type = PPTP_MSG_START_CTRL_REPLY };
	fill_start(c, &m.u.start_ctrl_reply);
	m.u.start_ctrl_reply.result_code = result;
	m.u.start_ctrl_reply.error_code = error;
	pptp_ctrl_send(c, &m);
}

/* The reply to `req` carrying a failure: RFC 2637 §2.16 general error. */
void pptp_ctrl_send_error_reply(struct pptp_ctrl *c, const struct pptp_msg *req, uint8_t result, uint8_t error)
{
	struct pptp_msg m;
	memset(&m, 0, sizeof(m));
	switch (req->type) {
	case PPTP_MSG_START_CTRL_REQUEST:
		send_start_reply(c, result, error);
		return;
	case PPTP_MSG_STOP_CTRL_REQUEST:
		m.type = PPTP_MSG_STOP_CTRL_REPLY;
		m.u.stop_ctrl_reply.result_code = result;
		m.u.stop_ctrl_reply.error_code = error;
		break;
	case PPTP_MSG_ECHO_REQUEST:
		m.type = PPTP_MSG_ECHO_REPLY;
		m.u.echo_reply.identifier = req->u.echo_request.identifier;
		m.u.echo_reply.result_code = result;
		m.u.echo_reply.error_code = error;
		break;
	case PPTP_MSG_OUT_CALL_REQUEST:
		m.type = PPTP_MSG_OUT_CALL_REPLY;
		m.u.out_call_reply.peer_call_id = req->u.out_call_request.call_id;
		m.u.out_call_reply.result_code = result;
		m.u.out_call_reply.error_code = error;
		break;
	case PPTP_MSG_IN_CALL_REQUEST:
		m.type = PPTP_MSG_IN_CALL_REPLY;
		m.u.in_call_reply.peer_call_id = req->u.in_call_request.call_id;
		m.u.in_call_reply.result_code = result;
		m.u.in_call_reply.error_code = error;
		break;
	default:
		return;
	}
	pptp_ctrl_send(c, &m);
}

/* ---- control connection ---- */

static void close_connection(struct pptp_ctrl *c, enum pptp_down_reason reason, uint8_t result, uint8_t error)
{
	if (c->state == PPTP_CTRL_CLOSED)
		return;
	c->state = PPTP_CTRL_CLOSED;
	c->state_deadline = DEADLINE_NONE;
	c->echo_outstanding = false;
	for (unsigned i = 0; i < PPTP_CTRL_MAX_CALLS; i++)
		if (c->calls[i].state != PPTP_CALL_FREE)
			pptp_call_down(c, &c->calls[i], PPTP_CALL_DOWN_TUNNEL, 0, 0, 0);
	struct pptp_event ev = { .type = PPTP_EVENT_TUNNEL_DOWN };
	ev.u.tunnel_down.reason = reason;
	ev.u.tunnel_down.result_code = result;
	ev.u.tunnel_down.error_code = error;
	pptp_ctrl_emit(c, &ev);
	struct pptp_event close_ev = { .type = PPTP_EVENT_CLOSE_TCP };
	pptp_ctrl_emit(c, &close_ev);
}

static void send_stop_request(struct pptp_ctrl *c, uint8_t reason, uint64_t now_ms)
{
	struct pptp_msg m = { .type = PPTP_MSG_STOP_CTRL_REQUEST };
	m.u.stop_ctrl_request.reason = reason;
	pptp_ctrl_send(c, &m);
	c->state = PPTP_CTRL_WAIT_STOP_REPLY;
	c->state_deadline = now_ms + c->cfg.stop_timeout_ms;
	c->echo_outstanding = false;
	/* RFC 2637 §2.4: Stop clears all calls too; tell the owner now. */
	for (unsigned i = 0; i < PPTP_CTRL_MAX_CALLS; i++)
		if (c->calls[i].state != PPTP_CALL_FREE)
			pptp_call_down(c, &c->calls[i], PPTP_CALL_DOWN_TUNNEL, 0, 0, 0);
}

static void tunnel_up(struct pptp_ctrl *c, const struct pptp_start_ctrl *peer, uint64_t now_ms)
{
	c->state = PPTP_CTRL_ESTABLISHED;
	c->state_deadline = DEADLINE_NONE;
	c->last_rx_ms = now_ms;
	c->echo_outstanding = false;
	struct pptp_event ev = { .type = PPTP_EVENT_TUNNEL_UP };
	ev.u.tunnel_up.peer_version = peer->version;
	ev.u.tunnel_up.peer_framing_caps = peer->framing_caps;
	ev.u.tunnel_up.peer_bearer_caps = peer->bearer_caps;
	ev.u.tunnel_up.peer_max_channels = peer->max_channels;
	ev.u.tunnel_up.peer_firmware_rev = peer->firmware_rev;
	/* Wire strings: escaped once, here (a newline would forge a log line). */
	text_escape(c->peer_hostname, sizeof(c->peer_hostname), peer->hostname, sizeof(peer->hostname));
	text_escape(c->peer_vendor, sizeof(c->peer_vendor), peer->vendor, sizeof(peer->vendor));
	log_msg(LOG_LEVEL_DEBUG, c->tag, /* the tunnel says it once, in people's words */
		"control connection established: peer version 0x%04x host \"%s\" vendor \"%s\" firmware %u",
		peer->version, c->peer_hostname, c->peer_vendor, peer->firmware_rev);
	pptp_ctrl_emit(c, &ev);
}

bool pptp_ctrl_is_closed(const struct pptp_ctrl *c)
{
	return c->state == PPTP_CTRL_CLOSED;
}

int pptp_ctrl_init(struct pptp_ctrl *c, const struct pptp_ctrl_config *cfg, uint64_t now_ms)
{
	if (!cfg->random.fill || cfg->max_calls > PPTP_CTRL_MAX_CALLS)
		return ERR_INVALID;
	memset(c, 0, sizeof(*c));
	c->cfg = *cfg;
	c->cfg.hostname[PPTP_STRING_LEN] = '\0';
	c->cfg.vendor[PPTP_STRING_LEN] = '\0';
	c->state = PPTP_CTRL_IDLE;
	pptp_stream_init(&c->stream);
	/* RFC 2637 §3.1.4 (1): give up after setup_timeout without a Start. */
	c->state_deadline = now_ms + cfg->setup_timeout_ms;
	c->echo_deadline = DEADLINE_NONE;
	c->last_rx_ms = now_ms;
	c->next_serial = random_u16(&c->cfg.random);
	c->limit = (struct log_limit)LOG_LIMIT_INIT(10, 1000);
	c->now_ms = now_ms;
	uint32_t ip = cfg->peer_ipv4;
	snprintf(c->tag, sizeof(c->tag), "pptp %s peer %u.%u.%u.%u", cfg->role == PPTP_ROLE_PAC ? "pac" : "pns",
		 ip >> 24, (ip >> 16) & 0xff, (ip >> 8) & 0xff, ip & 0xff);
	for (unsigned i = 0; i < PPTP_CTRL_MAX_CALLS; i++)
		c->calls[i].deadline = DEADLINE_NONE;
	return 0;
}

int pptp_ctrl_start(struct pptp_ctrl *c, uint64_t now_ms)
{
	if (c->state != PPTP_CTRL_IDLE)
		return ERR_STATE;
	struct pptp_msg m = { .type = PPTP_MSG_START_CTRL_REQUEST };
	fill_start(c, &m.u.start_ctrl_request);
	pptp_ctrl_send(c, &m);
	c->originator = true;
	c->state = PPTP_CTRL_WAIT_CTL_REPLY;
	c->state_deadline = now_ms + c->cfg.setup_timeout_ms;
	return 0;
}

int pptp_ctrl_stop(struct pptp_ctrl *c, uint8_t reason, uint64_t now_ms)
{
	switch (c->state) {
	case PPTP_CTRL_IDLE:
		close_connection(c, PPTP_DOWN_LOCAL_STOP, 0, 0);
		return 0;
	case PPTP_CTRL_WAIT_CTL_REPLY:
	case PPTP_CTRL_ESTABLISHED:
		log_msg(LOG_LEVEL_DEBUG, c->tag, "stopping control connection (reason %u)", reason);
		send_stop_request(c, reason, now_ms);
		return 0;
	default:
		return ERR_STATE;
	}
}

void pptp_ctrl_tcp_closed(struct pptp_ctrl *c, uint64_t now_ms)
{
	(void)now_ms;
	if (c->state == PPTP_CTRL_CLOSED)
		return;
	log_msg(LOG_LEVEL_INFO, c->tag, "TCP connection closed by peer in state %s",
		pptp_ctrl_state_name(c->state));
	close_connection(c, c->state == PPTP_CTRL_WAIT_STOP_REPLY ? PPTP_DOWN_LOCAL_STOP : PPTP_DOWN_TCP_CLOSED,
			 0, 0);
}

/* ---- message handlers (run after the central checks) ---- */

static void on_start_request(struct pptp_ctrl *c, const struct pptp_msg *m, uint64_t now_ms)
{
	const struct pptp_start_ctrl *s = &m->u.start_ctrl_request;
	switch (c->state) {
	case PPTP_CTRL_IDLE:
		send_start_reply(c, PPTP_START_OK, PPTP_ERROR_NONE);
		tunnel_up(c, s, now_ms);
		break;
	case PPTP_CTRL_WAIT_CTL_REPLY:
		/* RFC 2637 §3.1.3: the higher address wins; the loser answers the
		 * winner's request, the winner ignores the loser's. On one
		 * connection this converges: the loser's reply completes it. */
		if (pptp_collision_we_win(c->cfg.local_ipv4, c->cfg.peer_ipv4)) {
			log_limited(&c->limit, c->now_ms, LOG_LEVEL_INFO, c->tag, "Start request collision: we win, ignoring peer's request");
		} else {
			log_limited(&c->limit, c->now_ms, LOG_LEVEL_INFO, c->tag, "Start request collision: peer wins, answering it");
			c->originator = false;
			send_start_reply(c, PPTP_START_OK, PPTP_ERROR_NONE);
			tunnel_up(c, s, now_ms);
		}
		break;
	default:
		/* RFC 2637 §2.3 result 3: command channel already exists. */
		log_limited(&c->limit, now_ms, LOG_LEVEL_WARN, c->tag,
			    "Start-Control-Connection-Request on an established connection: answered result 3");
		send_start_reply(c, PPTP_START_ALREADY_EXISTS, PPTP_ERROR_NONE);
		break;
	}
}

static void on_start_reply(struct pptp_ctrl *c, const struct pptp_msg *m, uint64_t now_ms)
{
	const struct pptp_start_ctrl *s = &m->u.start_ctrl_reply;
	if (s->result_code != PPTP_START_OK) {
		log_limited(&c->limit, c->now_ms, LOG_LEVEL_WARN, c->tag, "peer refused the control connection: result %u error %u",
			s->result_code, s->error_code);
		close_connection(c, PPTP_DOWN_REJECTED, s->result_code, s->error_code);
		return;
	}
	tunnel_up(c, s, now_ms);
}

static void on_stop_request(struct pptp_ctrl *c, const struct pptp_msg *m)
{
	log_limited(&c->limit, c->now_ms, LOG_LEVEL_INFO, c->tag, "peer stopped the control connection (reason %u)",
		m->u.stop_ctrl_request.reason);
	struct pptp_msg r = { .type = PPTP_MSG_STOP_CTRL_REPLY };
	r.u.stop_ctrl_reply.result_code = PPTP_STOP_OK;
	pptp_ctrl_send(c, &r);
	close_connection(c, c->state == PPTP_CTRL_WAIT_STOP_REPLY ? PPTP_DOWN_LOCAL_STOP : PPTP_DOWN_PEER_STOP,
			 m->u.stop_ctrl_request.reason, 0);
}

static void on_echo_request(struct pptp_ctrl *c, const struct pptp_msg *m)
{
	struct pptp_msg r = { .type = PPTP_MSG_ECHO_REPLY };
	r.u.echo_reply.identifier = m->u.echo_request.identifier;
	r.u.echo_reply.result_code = PPTP_ECHO_OK;
	pptp_ctrl_send(c, &r);
}

static void on_echo_reply(struct pptp_ctrl *c, const struct pptp_msg *m, uint64_t now_ms)
{
	if (c->echo_outstanding && m->u.echo_reply.identifier == c->echo_identifier) {
		c->echo_outstanding = false;
		c->echo_deadline = DEADLINE_NONE;
	} else {
		log_limited(&c->limit, now_ms, LOG_LEVEL_DEBUG, c->tag, "unexpected Echo-Reply identifier %08x",
			    m->u.echo_reply.identifier);
	}
}

/* ---- central checks ---- */

static bool is_control_connection_msg(enum pptp_msg_type t)
{
	return t <= PPTP_MSG_ECHO_REPLY;
}

/* A message whose body failed decoding (rc): RFC 2637 §3: log it and answer
 * as the message type allows. */
static void on_bad_body(struct pptp_ctrl *c, const struct pptp_msg *m, const struct pptp_msg_desc *d, int rc,
			uint64_t now_ms)
{
	uint8_t error = rc == ERR_LENGTH ? PPTP_ERROR_BAD_FORMAT : PPTP_ERROR_BAD_VALUE;
	if (m->type == PPTP_MSG_START_CTRL_REQUEST && c->state != PPTP_CTRL_ESTABLISHED) {
		/* RFC 2637 §3.1.2: answer a Start we cannot accept, then close. */
		bool version = rc == ERR_VERSION;
		log_limited(&c->limit, now_ms, LOG_LEVEL_WARN, c->tag,
			    "bad %s (%s%s): answered result %u, closing", d->name, error_name(rc),
			    version ? ", version" : "", version ? PPTP_START_BAD_VERSION : PPTP_START_GENERAL_ERROR);
		if (version)
			send_start_reply(c, PPTP_START_BAD_VERSION, PPTP_ERROR_NONE);
		else
			send_start_reply(c, PPTP_START_GENERAL_ERROR, error);
		close_connection(c, version ? PPTP_DOWN_VERSION : PPTP_DOWN_PROTOCOL_ERROR, 0, 0);
		return;
	}
	if (d->reply_type && m->type != PPTP_MSG_START_CTRL_REQUEST) {
		log_limited(&c->limit, now_ms, LOG_LEVEL_WARN, c->tag,
			    "bad %s (%s): answered %s with general error %u", d->name, error_name(rc),
			    pptp_msg_name((uint16_t)d->reply_type), error);
		pptp_ctrl_send_error_reply(c, m, 2, error);
		return;
	}
	if (is_control_connection_msg(m->type) && c->state != PPTP_CTRL_WAIT_STOP_REPLY) {
		bool version = rc == ERR_VERSION;
		log_limited(&c->limit, now_ms, LOG_LEVEL_WARN, c->tag, "bad %s (%s): stopping control connection",
			    d->name, error_name(rc));
		send_stop_request(c, version ? PPTP_STOP_REASON_PROTOCOL : PPTP_STOP_REASON_NONE, now_ms);
		return;
	}
	log_limited(&c->limit, now_ms, LOG_LEVEL_WARN, c->tag, "bad %s (%s): ignored", d->name, error_name(rc));
}

/* A well-formed message the state or role forbids. */
static void on_wrong_state(struct pptp_ctrl *c, const struct pptp_msg *m, const struct pptp_msg_desc *d,
			   uint64_t now_ms)
{
	if (c->state == PPTP_CTRL_IDLE || c->state == PPTP_CTRL_WAIT_CTL_REPLY) {
		/* RFC 2637 §2.16 error 1: no control connection yet; then close. */
		log_limited(&c->limit, now_ms, LOG_LEVEL_WARN, c->tag, "%s before the control connection is up%s, closing",
			    d->name, d->reply_type ? ": answered Not-Connected" : "");
		if (d->reply_type)
			pptp_ctrl_send_error_reply(c, m, 2, PPTP_ERROR_NOT_CONNECTED);
		close_connection(c, PPTP_DOWN_PROTOCOL_ERROR, 0, 0);
		return;
	}
	if (d->reply_type && c->state == PPTP_CTRL_ESTABLISHED) {
		log_limited(&c->limit, now_ms, LOG_LEVEL_WARN, c->tag, "%s not accepted by a %s: answered general error",
			    d->name, c->cfg.role == PPTP_ROLE_PAC ? "PAC" : "PNS");
		pptp_ctrl_send_error_reply(c, m, 2, PPTP_ERROR_BAD_VALUE);
		return;
	}
	log_limited(&c->limit, now_ms, LOG_LEVEL_WARN, c->tag, "%s ignored in state %s", d->name,
		    pptp_ctrl_state_name(c->state));
}

static void on_message(struct pptp_ctrl *c, const uint8_t *bytes, size_t len, uint64_t now_ms)
{
	struct pptp_msg m;
	int rc = pptp_msg_decode(bytes, len, &m);
	const struct pptp_msg_desc *d = pptp_msg_desc_get((uint16_t)m.type);

	if (rc == ERR_UNKNOWN_TYPE || !d) {
		/* Not in RFC 2637: skip it (the framing is intact), as pptp-linux does. */
		uint16_t type = 0, length = 0;
		(void)pptp_msg_check_header(bytes, len, &type, &length);
		log_limited(&c->limit, now_ms, LOG_LEVEL_WARN, c->tag, "unknown control message type %u: ignored",
			    type);
		return;
	}
	if (rc == ERR_VERSION && m.type == PPTP_MSG_START_CTRL_REQUEST &&
	    m.u.start_ctrl_request.version > PPTP_PROTOCOL_VERSION) {
		/* RFC 2637 §3.1.2: a newer requester gets our (older) version in
		 * the reply; it falls back or stops. Only older ones are refused.
		 * (tunnel_up logs the peer's version.) */
		rc = 0;
	}
	c->last_rx_ms = now_ms;
	/* The descriptor's role/state check comes first: a message that may
	 * not arrive now gets the same answer whether or not its body is good. */
	if (!(d->allowed_in[c->cfg.role] & PPTP_STATE_BIT(c->state))) {
		on_wrong_state(c, &m, d, now_ms);
	} else if (rc < 0) {
		on_bad_body(c, &m, d, rc, now_ms);
	} else {
		if (m.header_reserved0 != 0 && !c->reserved0_logged) {
			c->reserved0_logged = true; /* PPTP_QUIRK_HEADER_RESERVED0 */
			log_limited(&c->limit, c->now_ms, LOG_LEVEL_INFO, c->tag, "peer sets header Reserved0 (0x%04x); accepted",
				m.header_reserved0);
		}
		switch (m.type) {
		case PPTP_MSG_START_CTRL_REQUEST: on_start_request(c, &m, now_ms); break;
		case PPTP_MSG_START_CTRL_REPLY: on_start_reply(c, &m, now_ms); break;
		case PPTP_MSG_STOP_CTRL_REQUEST: on_stop_request(c, &m); break;
		case PPTP_MSG_STOP_CTRL_REPLY: close_connection(c, PPTP_DOWN_LOCAL_STOP, 0, 0); break;
		case PPTP_MSG_ECHO_REQUEST: on_echo_request(c, &m); break;
		case PPTP_MSG_ECHO_REPLY: on_echo_reply(c, &m, now_ms); break;
		case PPTP_MSG_OUT_CALL_REQUEST: pptp_call_on_out_call_request(c, &m, now_ms); break;
		case PPTP_MSG_IN_CALL_REQUEST: pptp_call_on_in_call_request(c, &m, now_ms); break;
		default: pptp_call_dispatch(c, &m, d, now_ms); break;
		}
	}
}

size_t pptp_ctrl_input(struct pptp_ctrl *c, const uint8_t *bytes, size_t len, uint64_t now_ms)
{
	c->now_ms = now_ms;
	if (c->state == PPTP_CTRL_CLOSED)
		return 0;
	size_t used;
	const uint8_t *msg = NULL;
	size_t msg_len = 0;
	int rc = pptp_stream_next(&c->stream, bytes, len, &used, &msg, &msg_len);
	if (rc < 0) {
		/* RFC 2637 §2.1: lost synchronization -> close TCP at once. */
		log_limited(&c->limit, now_ms, LOG_LEVEL_WARN, c->tag,
			    "control stream out of sync (%s): closing connection", error_name(rc));
		close_connection(c, PPTP_DOWN_PROTOCOL_ERROR, 0, 0);
		return len;
	}
	if (rc > 0)
		on_message(c, msg, msg_len, now_ms);
	return used;
}

/* ---- timers ---- */

uint64_t pptp_ctrl_next_deadline(const struct pptp_ctrl *c)
{
	if (c->state == PPTP_CTRL_CLOSED)
		return DEADLINE_NONE;
	uint64_t d = c->state_deadline;
	if (c->state == PPTP_CTRL_ESTABLISHED) {
		if (c->echo_outstanding)
			d = deadline_min(d, c->echo_deadline);
		else
			d = deadline_min(d, c->last_rx_ms + c->cfg.keepalive_interval_ms);
	}
	for (unsigned i = 0; i < PPTP_CTRL_MAX_CALLS; i++)
		if (c->calls[i].state != PPTP_CALL_FREE)
			d = deadline_min(d, c->calls[i].deadline);
	return d;
}

void pptp_ctrl_on_timeout(struct pptp_ctrl *c, uint64_t now_ms)
{
	c->now_ms = now_ms;
	if (c->state == PPTP_CTRL_CLOSED)
		return;
	if (now_ms >= c->state_deadline) {
		if (c->state == PPTP_CTRL_WAIT_STOP_REPLY) {
			log_msg(LOG_LEVEL_WARN, c->tag, "no Stop-Control-Connection-Reply: closing");
			close_connection(c, PPTP_DOWN_STOP_TIMEOUT, 0, 0);
		} else {
			log_msg(LOG_LEVEL_WARN, c->tag, "control connection not set up in time: closing");
			close_connection(c, PPTP_DOWN_SETUP_TIMEOUT, 0, 0);
		}
		return;
	}
	if (c->state == PPTP_CTRL_ESTABLISHED) {
		if (c->echo_outstanding && now_ms >= c->echo_deadline) {
			/* RFC 2637 §3.1.4 (2): no Echo-Reply -> close the connection. */
			log_msg(LOG_LEVEL_WARN, c->tag, "no Echo-Reply in %u ms: closing control connection",
				c->cfg.keepalive_timeout_ms);
			struct pptp_event ev = { .type = PPTP_EVENT_KEEPALIVE_TIMEOUT };
			pptp_ctrl_emit(c, &ev);
			close_connection(c, PPTP_DOWN_KEEPALIVE, 0, 0);
			return;
		}
		if (!c->echo_outstanding && now_ms >= c->last_rx_ms + c->cfg.keepalive_interval_ms) {
			struct pptp_msg m = { .type = PPTP_MSG_ECHO_REQUEST };
			c->echo_identifier = random_u32(&c->cfg.random);
			m.u.echo_request.identifier = c->echo_identifier;
			pptp_ctrl_send(c, &m);
			c->echo_outstanding = true;
			c->echo_deadline = now_ms + c->cfg.keepalive_timeout_ms;
		}
	}
	for (unsigned i = 0; i < PPTP_CTRL_MAX_CALLS; i++) {
		struct pptp_call *call = &c->calls[i];
		if (call->state != PPTP_CALL_FREE && now_ms >= call->deadline) {
			if (call->state == PPTP_CALL_WAIT_DISCONNECT)
				pptp_call_down(c, call, PPTP_CALL_DOWN_LOCAL, 0, 0, 0);
			else
				pptp_call_timeout(c, call);
		}
	}
}
