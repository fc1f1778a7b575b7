/* SPDX-License-Identifier: BSD-2-Clause */
#include "server/server_internal.h"

#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "base/writer.h"
#include "proto/radius/radius_access.h"
#include "proto/radius/radius_build.h"

#define ACCT_TAG "radius"
#define ACCT_TICK_MS 1000

/* RFC 2866 §5.1, §5.6 */
#define ACCT_STATUS_START 1
#define ACCT_STATUS_STOP 2
#define ACCT_STATUS_INTERIM 3
#define ACCT_STATUS_ON 7
#define ACCT_STATUS_OFF 8
#define ACCT_AUTHENTIC_RADIUS 1
#define ACCT_AUTHENTIC_LOCAL 2
#define RADIUS_ATTR_ACCT_AUTHENTIC 45

static bool acct_enabled(const struct server *s)
{
	return daemon_radius_is_open(&s->radius) && s->radius.cfg.n_servers[RADIUS_SERVICE_ACCT] > 0;
}

/* Bit 63 marks accounting handles; the low bits name the slot. */
#define ACCT_HANDLE_BIT (1ull << 63)

static int acct_submit(struct server *s, struct server_acct_held *h)
{
	h->handle = ACCT_HANDLE_BIT | ((s->acct.next_handle++ & 0xffffffffu) << 16) | (uint64_t)(h - s->acct.held);
	struct radius_request req = {
		.service = RADIUS_SERVICE_ACCT,
		.code = RADIUS_ACCOUNTING_REQUEST,
		.attrs = h->attrs,
		.attrs_len = h->len,
		.handle = h->handle,
	};
	s->acct.sent++;
	int rc = daemon_radius_submit(&s->radius, &req);
	h->state = rc < 0 ? ACCT_SLOT_WAITING : ACCT_SLOT_IN_FLIGHT;
	return rc;
}

static struct server_acct_held *acct_slot(struct server *s, uint64_t handle)
{
	size_t i = handle & 0xffff;
	if (!(handle & ACCT_HANDLE_BIT) || i >= SERVER_ACCT_QUEUE_MAX || s->acct.held[i].handle != handle ||
	    s->acct.held[i].state != ACCT_SLOT_IN_FLIGHT)
		return NULL;
	return &s->acct.held[i];
}

/* Kept until answered; when every slot is taken the record is lost. */
static void acct_send(struct server *s, const uint8_t *attrs, size_t len)
{
	for (size_t i = 0; i < SERVER_ACCT_QUEUE_MAX && len <= SERVER_ACCT_ATTRS_MAX; i++) {
		struct server_acct_held *h = &s->acct.held[i];
		if (h->state != ACCT_SLOT_FREE)
			continue;
		memcpy(h->attrs, attrs, len);
		h->len = len;
		(void)acct_submit(s, h);
		return;
	}
	s->acct.lost++;
	log_limited(&s->log_limit, sys_now_ms(), LOG_LEVEL_WARN, ACCT_TAG, "accounting queue full: a record is lost");
}

void server_acct_reply(struct server *s, uint64_t handle)
{
	struct server_acct_held *h = acct_slot(s, handle);
	if (!h)
		return;
	s->acct.answered++;
	h->state = ACCT_SLOT_FREE;
}

/* No server answered: the record waits for the next tick. */
void server_acct_failed(struct server *s, uint64_t handle)
{
	struct server_acct_held *h = acct_slot(s, handle);
	if (!h)
		return;
	h->state = ACCT_SLOT_WAITING;
	s->acct.requeued++;
	log_limited(&s->log_limit, sys_now_ms(), LOG_LEVEL_WARN, ACCT_TAG,
		    "no accounting server answered: record kept for a retry");
}

uint32_t server_acct_cause(enum ppp_link_cause cause, bool stopping)
{
	if (stopping)
		return ACCT_CAUSE_NAS_REQUEST;
	switch (cause) {
	case PPP_CAUSE_PEER_TERMINATE: return ACCT_CAUSE_USER_REQUEST;
	case PPP_CAUSE_LOWER_DOWN: return ACCT_CAUSE_LOST_CARRIER;
	case PPP_CAUSE_ECHO_TIMEOUT: return ACCT_CAUSE_LOST_SERVICE;
	case PPP_CAUSE_LOCAL_CLOSE: return ACCT_CAUSE_ADMIN_RESET;
	case PPP_CAUSE_AUTH_FAILED:
	case PPP_CAUSE_AUTH_PEER_BAD: return ACCT_CAUSE_USER_ERROR;
	default: return ACCT_CAUSE_PORT_ERROR;
	}
}

void server_acct_session_id(struct server *s, struct server_session *ss)
{
	snprintf(ss->acct_session_id, sizeof(ss->acct_session_id), "%08X%08X", s->acct.boot_id,
		 ++s->acct.next_session);
}

void server_radius_nas_info(const struct server *s, const struct server_conn *c, const struct server_session *ss,
			    struct radius_nas_info *nas)
{
	memset(nas, 0, sizeof(*nas));
	nas->nas_ip = s->acct.nas_ip;
	nas->nas_identifier = s->cfg->nas_identifier ? s->cfg->nas_identifier : s->cfg->name;
	nas->nas_port = ss ? ss->local_call_id : 0;
	nas->calling_station = c ? c->peer : 0;
	nas->called_station = c ? c->local : 0;
	nas->acct_session_id = ss && ss->acct_session_id[0] ? ss->acct_session_id : NULL;
	for (unsigned i = 0; i < 2 && ss && ss->call; i++)
		nas->peer_ident[i] = tunnel_call_peer_identification(ss->call, i);
}

static void acct_counters(struct writer *w, const struct server_session *ss, uint64_t now)
{
	struct tunnel_call_info info;
	memset(&info, 0, sizeof(info));
	if (ss->call)
		tunnel_call_get_info(ss->call, &info);
	/* RFC 2866 §5.3-5.4 from the NAS's side: input = from the user. */
	uint64_t in = info.link.ip_rx_bytes, out = info.link.ip_tx_bytes;
	radius_put_u32(w, RADIUS_ATTR_ACCT_INPUT_OCTETS, (uint32_t)in);
	radius_put_u32(w, RADIUS_ATTR_ACCT_OUTPUT_OCTETS, (uint32_t)out);
	radius_put_u32(w, RADIUS_ATTR_ACCT_INPUT_GIGAWORDS, (uint32_t)(in >> 32));
	radius_put_u32(w, RADIUS_ATTR_ACCT_OUTPUT_GIGAWORDS, (uint32_t)(out >> 32));
	radius_put_u32(w, RADIUS_ATTR_ACCT_INPUT_PACKETS, (uint32_t)info.link.ip_rx_packets);
	radius_put_u32(w, RADIUS_ATTR_ACCT_OUTPUT_PACKETS, (uint32_t)info.link.ip_tx_packets);
	radius_put_u32(w, RADIUS_ATTR_ACCT_SESSION_TIME, (uint32_t)((now - ss->up_since) / 1000));
}

static void acct_record(struct server *s, struct server_session *ss, uint32_t status, uint32_t cause)
{
	uint8_t attrs[SERVER_ACCT_ATTRS_MAX];
	struct writer w;
	writer_init(&w, attrs, sizeof(attrs));
	radius_put_string(&w, RADIUS_ATTR_USER_NAME, ss->user ? ss->user : "");
	radius_put_u32(&w, RADIUS_ATTR_ACCT_STATUS_TYPE, status);
	radius_put_u32(&w, RADIUS_ATTR_ACCT_AUTHENTIC, ss->by_radius ? ACCT_AUTHENTIC_RADIUS : ACCT_AUTHENTIC_LOCAL);
	struct radius_nas_info nas;
	server_radius_nas_info(s, ss->conn, ss, &nas);
	radius_put_nas(&w, &nas);
	radius_put_u32(&w, RADIUS_ATTR_FRAMED_IP_ADDRESS, ss->address);
	if (ss->grant.class_len) /* RFC 2865 §5.25: echoed unchanged */
		radius_put_attr(&w, RADIUS_ATTR_CLASS, ss->grant.class_value, ss->grant.class_len);
	if (status != ACCT_STATUS_START)
		acct_counters(&w, ss, sys_now_ms());
	if (status == ACCT_STATUS_STOP)
		radius_put_u32(&w, RADIUS_ATTR_ACCT_TERMINATE_CAUSE, cause);
	if (!writer_ok(&w))
		return;
	acct_send(s, attrs, writer_len(&w));
}

void server_acct_start(struct server *s, struct server_session *ss)
{
	if (!acct_enabled(s))
		return;
	acct_record(s, ss, ACCT_STATUS_START, 0);
	ss->acct_started = true;
	ss->last_interim = sys_now_ms();
}

void server_acct_stop(struct server *s, struct server_session *ss)
{
	if (!ss->acct_started || !acct_enabled(s))
		return;
	acct_record(s, ss, ACCT_STATUS_STOP, ss->term_cause ? ss->term_cause : ACCT_CAUSE_LOST_CARRIER);
	ss->acct_started = false;
}

/* Accounting-On / -Off (RFC 2866 §5.1): the whole NAS, no session; the
 * boot's Acct-Session-Id prefix with a zero counter. */
static void acct_nas_record(struct server *s, uint32_t status)
{
	if (!acct_enabled(s))
		return;
	uint8_t attrs[256];
	struct writer w;
	writer_init(&w, attrs, sizeof(attrs));
	radius_put_u32(&w, RADIUS_ATTR_ACCT_STATUS_TYPE, status);
	char id[20];
	snprintf(id, sizeof(id), "%08X00000000", s->acct.boot_id);
	radius_put_string(&w, RADIUS_ATTR_ACCT_SESSION_ID, id);
	struct radius_nas_info nas;
	server_radius_nas_info(s, NULL, NULL, &nas);
	if (nas.nas_ip)
		radius_put_u32(&w, RADIUS_ATTR_NAS_IP_ADDRESS, nas.nas_ip);
	radius_put_string(&w, RADIUS_ATTR_NAS_IDENTIFIER, nas.nas_identifier);
	if (writer_ok(&w))
		acct_send(s, attrs, writer_len(&w));
}

void server_acct_on(struct server *s)
{
	acct_nas_record(s, ACCT_STATUS_ON);
}

/* We stop serving: fire and forget (the loop is ending). */
void server_acct_off(struct server *s)
{
	acct_nas_record(s, ACCT_STATUS_OFF);
}

/* Session-Timeout, Idle-Timeout (RFC 2865 §5.27-5.28) and interim records. */
static void session_tick(struct server *s, struct server_conn *c, struct server_session *ss, uint64_t now)
{
	const char *why = NULL;
	if (ss->grant.session_timeout && now - ss->up_since >= (uint64_t)ss->grant.session_timeout * 1000u) {
		ss->term_cause = ACCT_CAUSE_SESSION_TIMEOUT;
		why = "Session-Timeout";
	} else if (ss->grant.idle_timeout && ss->call) {
		struct tunnel_call_info info;
		tunnel_call_get_info(ss->call, &info);
		uint64_t seen = info.link.ip_rx_packets + info.link.ip_tx_packets;
		if (seen != ss->idle_packets) {
			ss->idle_packets = seen;
			ss->idle_since = now;
		} else if (now - ss->idle_since >= (uint64_t)ss->grant.idle_timeout * 1000u) {
			ss->term_cause = ACCT_CAUSE_IDLE_TIMEOUT;
			why = "Idle-Timeout";
		}
	}
	if (why) {
		log_msg(LOG_LEVEL_INFO, c->tag, "%s reached: closing the session", why);
		daemon_tunnel_call_close(&c->dt, ss->call, why, now);
		return;
	}
	uint32_t interim = ss->grant.interim_interval ? ss->grant.interim_interval : (uint32_t)s->cfg->radius_acct_interim;
	if (interim && ss->acct_started && now - ss->last_interim >= (uint64_t)interim * 1000u) {
		ss->last_interim = now;
		acct_record(s, ss, ACCT_STATUS_INTERIM, 0);
	}
}

static void acct_tick(struct loop *loop, struct loop_timer *t, void *ctx)
{
	struct server *s = ctx;
	uint64_t now = sys_now_ms();
	for (size_t i = 0; i < SERVER_ACCT_QUEUE_MAX; i++) {
		struct server_acct_held *h = &s->acct.held[i];
		if (h->state == ACCT_SLOT_WAITING && acct_submit(s, h) < 0)
			break; /* still no live server: all wait */
	}
	for (struct server_conn *c = s->conns; c; c = c->next) {
		if (c->dead)
			continue;
		for (int i = 0; i < SERVER_CALLS_PER_CONN; i++)
			if (c->sessions[i].in_use && c->sessions[i].up)
				session_tick(s, c, &c->sessions[i], now);
	}
	(void)loop_timer_set(loop, t, now + ACCT_TICK_MS);
}

void server_acct_init(struct server *s, uint32_t boot_id)
{
	s->acct.boot_id = boot_id;
	loop_timer_init(&s->acct_timer, acct_tick, s);
}

void server_acct_arm(struct server *s)
{
	(void)loop_timer_set(s->loop, &s->acct_timer, sys_now_ms() + ACCT_TICK_MS);
}
