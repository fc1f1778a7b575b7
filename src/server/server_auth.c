/* SPDX-License-Identifier: BSD-2-Clause */
/* The server's authenticator: dispatch to RADIUS or the secrets file, the
 * table of verifications in flight, and the way back to the session. */
#include "server/server_internal.h"

#include <stdio.h>
#include <string.h>

#include "base/crypto.h"
#include "base/error.h"
#include "base/text_escape.h"
#include "server/server_grant.h"

#define AUTH_TAG "radius"

static uint64_t pending_handle(const struct server_auth *a, const struct server_auth_pending *p)
{
	return ((uint64_t)p->generation << 16) | (uint64_t)(p - a->pending);
}

static struct server_auth_pending *pending_of(struct server_auth *a, uint64_t handle)
{
	size_t i = handle & 0xffff;
	if (i >= SERVER_AUTH_PENDING_MAX || !a->pending[i].conn || a->pending[i].generation != (uint16_t)(handle >> 16))
		return NULL;
	return &a->pending[i];
}

static void pending_free(struct server_auth_pending *p)
{
	crypto_wipe(p, sizeof(*p));
}

static void log_verdict(struct server_conn *c, const char *user, const struct auth_verdict *v, const char *by)
{
	char shown[TEXT_ESCAPED_SIZE(64)];
	text_escape_str(shown, sizeof(shown), user);
	if (v->cause == AUTH_CAUSE_NONE)
		log_msg(LOG_LEVEL_INFO, c->tag, "%s accepted \"%s\"", by, shown);
	else
		log_msg(LOG_LEVEL_WARN, c->tag, "%s refused \"%s\": %s", by, shown, v->reason);
}

/* Inside the connection's event function: call the engine directly (the
 * running settle drains); from the RADIUS drain: through daemon_tunnel. */
static void deliver(struct server_conn *c, uint16_t call_id, const struct auth_verdict *v,
		    const struct ppp_link_grant *g, bool in_tunnel_event)
{
	if (c->dead || !daemon_tunnel_is_running(&c->dt))
		return;
	if (in_tunnel_event)
		tunnel_verify_done(c->dt.tunnel, call_id, v, g, sys_now_ms());
	else
		daemon_tunnel_verify_done(&c->dt, call_id, v, g, sys_now_ms());
}

static void verify_locally(struct server *s, struct server_conn *c, uint16_t call_id,
			   const struct auth_verify_request *r, bool in_tunnel_event)
{
	struct auth_verdict v;
	struct ppp_link_grant g = { 0 };
	server_auth_local_verify(s, r, &v, &g.static_address);
	log_verdict(c, r->user, &v, "secrets file");
	deliver(c, call_id, &v, &g, in_tunnel_event);
	crypto_wipe(&v, sizeof(v));
}

static void refuse(struct server_conn *c, uint16_t call_id, enum auth_cause cause, const char *reason,
		   bool in_tunnel_event)
{
	struct auth_verdict v;
	memset(&v, 0, sizeof(v));
	v.cause = cause;
	snprintf(v.reason, sizeof(v.reason), "%s", reason);
	deliver(c, call_id, &v, NULL, in_tunnel_event);
}

static void no_radius_answer(struct server *s, struct server_conn *c, uint16_t call_id,
			     const struct auth_verify_request *r, bool in_tunnel_event)
{
	s->auth.unanswered++;
	if (s->cfg->auth_source == SERVER_AUTH_RADIUS_SECRETS) {
		s->auth.fallbacks++;
		log_limited(&s->log_limit, sys_now_ms(), LOG_LEVEL_WARN, c->tag,
			    "no RADIUS server answered: asking the secrets file");
		verify_locally(s, c, call_id, r, in_tunnel_event);
		return;
	}
	log_limited(&s->log_limit, sys_now_ms(), LOG_LEVEL_WARN, c->tag, "no RADIUS server answered: refusing the login");
	refuse(c, call_id, AUTH_CAUSE_REJECTED, "no RADIUS server answered", in_tunnel_event);
}

static int submit(struct server *s, struct server_conn *c, struct server_auth_pending *p)
{
	struct server_session *ss = server_session_by_call_id(c, p->call_id);
	uint8_t attrs[RADIUS_MAX_PACKET];
	struct writer w;
	writer_init(&w, attrs, sizeof(attrs));
	struct radius_nas_info nas;
	server_radius_nas_info(s, c, ss, &nas);
	if (!radius_access_attrs(&w, &p->req, &nas))
		return ERR_INVALID;
	struct radius_request req = {
		.service = RADIUS_SERVICE_AUTH,
		.code = RADIUS_ACCESS_REQUEST,
		.attrs = attrs,
		.attrs_len = writer_len(&w),
		.password = p->req.method == AUTH_METHOD_PAP ? (const uint8_t *)p->req.password : NULL,
		.password_len = p->req.method == AUTH_METHOD_PAP ? p->req.password_len : 0,
		.handle = pending_handle(&s->auth, p),
	};
	return daemon_radius_submit(&s->radius, &req);
}

void server_auth_begin(struct server *s, struct server_conn *c, const struct tunnel_event *ev)
{
	const struct auth_verify_request *r = tunnel_call_verify_request(ev->call);
	if (!r)
		return;
	uint16_t call_id = ev->local_call_id;
	/* A verdict from RADIUS takes a round trip: a token taken at the
	 * attempt (as the secrets file's synchronous check does, server_conn.c)
	 * would cap the logins in flight from one address (an office behind
	 * NAT) at the burst. Here a token must be there, and a failure takes
	 * it (on_reply); the attempts in flight from one address are bounded
	 * by --max-negotiating-per-source. */
	if (!source_limit_login_allowed(&s->limits, c->peer, sys_now_ms())) {
		s->counters.refused[SERVER_REFUSED_LOGIN_RATE]++;
		log_limited(&s->log_limit, sys_now_ms(), LOG_LEVEL_WARN, c->tag, "too many failed logins from this address");
		refuse(c, call_id, AUTH_CAUSE_REJECTED, "too many failed logins from this address", true);
		return;
	}
	if (s->cfg->auth_source == SERVER_AUTH_SECRETS || !daemon_radius_is_open(&s->radius)) {
		verify_locally(s, c, call_id, r, true);
		return;
	}
	struct server_auth_pending *p = NULL;
	for (size_t i = 0; i < SERVER_AUTH_PENDING_MAX && !p; i++)
		if (!s->auth.pending[i].conn)
			p = &s->auth.pending[i];
	if (!p) {
		refuse(c, call_id, AUTH_CAUSE_REJECTED, "too many authentications in flight", true);
		return;
	}
	p->conn = c;
	p->call_id = call_id;
	p->generation = ++s->auth.generation;
	p->req = *r;
	p->submitted_ms = sys_now_ms();
	int rc = submit(s, c, p);
	p->req.eap = p->req.state = NULL; /* the engine's, read by submit only (auth_verify.h) */
	p->req.eap_len = p->req.state_len = 0;
	if (rc == 0)
		return; /* the answer comes through server_auth_radius_event */
	struct auth_verify_request copy = p->req;
	pending_free(p);
	if (rc == ERR_TIMEOUT)
		no_radius_answer(s, c, call_id, &copy, true);
	else
		refuse(c, call_id, AUTH_CAUSE_REJECTED, error_name(rc), true);
	crypto_wipe(&copy, sizeof(copy));
}

void server_auth_conn_gone(struct server *s, struct server_conn *c)
{
	for (size_t i = 0; i < SERVER_AUTH_PENDING_MAX; i++) {
		struct server_auth_pending *p = &s->auth.pending[i];
		if (p->conn != c)
			continue;
		daemon_radius_cancel(&s->radius, pending_handle(&s->auth, p));
		pending_free(p);
	}
}

static void on_reply(struct server *s, const struct radius_event *ev)
{
	struct server_auth_pending *p = pending_of(&s->auth, ev->handle);
	if (!p)
		return; /* accounting, or a connection gone meanwhile */
	struct server_conn *c = p->conn;
	uint64_t rtt = sys_now_ms() - p->submitted_ms;
	log2_histogram_add(&s->auth.rtt_ms, rtt);
	struct auth_verdict v;
	struct radius_grant g;
	radius_access_verdict(ev, &p->req, &v, &g);
	if (v.eap_challenge) {
		/* EAP pass-through: one more round with the peer (eap_relay.h). */
		uint16_t call_id = p->call_id;
		pending_free(p);
		deliver(c, call_id, &v, NULL, false);
		crypto_wipe(&v, sizeof(v));
		return;
	}
	if (v.cause == AUTH_CAUSE_NONE && !server_grant_resolve(&g, server_pool_pick, s, v.reason, sizeof(v.reason))) {
		v.cause = AUTH_CAUSE_REJECTED; /* neither the S= of the Accept nor its keys go on */
		v.message[0] = '\0';
		crypto_wipe(&v.mppe, sizeof(v.mppe));
	}
	log_verdict(c, p->req.user, &v, "RADIUS");
	if (v.cause == AUTH_CAUSE_NONE) {
		s->auth.accepted++;
		struct server_session *ss = server_session_by_call_id(c, p->call_id);
		if (ss) {
			ss->by_radius = true;
			server_session_grant(ss, &g);
		}
		server_grant_log(c->tag, &g);
	} else {
		s->auth.rejected++;
		(void)source_limit_begin_login(&s->limits, c->peer, sys_now_ms()); /* a failure: its token */
	}
	uint16_t call_id = p->call_id;
	pending_free(p);
	struct ppp_link_grant lg;
	server_grant_to_link(&g, &lg);
	if (v.cause == AUTH_CAUSE_NONE)
		server_framed_grant(s, server_session_by_call_id(c, call_id), &g, c->tag, &lg);
	deliver(c, call_id, &v, &lg, false);
	crypto_wipe(&v, sizeof(v));
}

void server_auth_radius_event(void *owner, const struct radius_event *ev)
{
	struct server *s = owner;
	switch (ev->type) {
	case RADIUS_EV_REPLY:
		if (ev->service == RADIUS_SERVICE_AUTH)
			on_reply(s, ev);
		else
			server_acct_reply(s, ev->handle);
		return;
	case RADIUS_EV_FAILED: {
		if (ev->service == RADIUS_SERVICE_ACCT) {
			server_acct_failed(s, ev->handle);
			return;
		}
		struct server_auth_pending *p = pending_of(&s->auth, ev->handle);
		if (!p)
			return;
		struct server_auth_pending copy = *p;
		pending_free(p);
		no_radius_answer(s, copy.conn, copy.call_id, &copy.req, false);
		crypto_wipe(&copy, sizeof(copy));
		return;
	}
	case RADIUS_EV_SERVER_DEAD:
		log_msg(LOG_LEVEL_WARN, AUTH_TAG, "%s server %u stopped answering: marked dead",
			ev->service == RADIUS_SERVICE_AUTH ? "authentication" : "accounting", ev->server + 1);
		return;
	case RADIUS_EV_SERVER_ALIVE:
		log_msg(LOG_LEVEL_INFO, AUTH_TAG, "%s server %u answers again",
			ev->service == RADIUS_SERVICE_AUTH ? "authentication" : "accounting", ev->server + 1);
		return;
	case RADIUS_EV_DROPPED:
		log_limited(&s->log_limit, sys_now_ms(), LOG_LEVEL_WARN, AUTH_TAG, "reply dropped: %s",
			    radius_verdict_name(ev->verdict));
		return;
	}
}

unsigned server_auth_rtt_percentile(const struct server_auth *a, unsigned pct)
{
	return (unsigned)log2_histogram_percentile(&a->rtt_ms, pct);
}

void server_auth_log_summary(const struct server *s)
{
	const struct server_auth *a = &s->auth;
	if (!daemon_radius_is_open(&s->radius))
		return;
	log_msg(LOG_LEVEL_INFO, AUTH_TAG,
		"%llu accepted, %llu rejected, %llu unanswered (%llu to the secrets file); round trip p50 %u ms, p99 %u ms, max %u ms",
		(unsigned long long)a->accepted, (unsigned long long)a->rejected, (unsigned long long)a->unanswered,
		(unsigned long long)a->fallbacks, server_auth_rtt_percentile(a, 50), server_auth_rtt_percentile(a, 99),
		server_auth_rtt_percentile(a, 100));
}
