/* SPDX-License-Identifier: BSD-2-Clause */
/* One load session: a TCP connect (from its source address), then the
 * client tunnel engine on the daemon core until the link is up, echo
 * traffic while up, an orderly close at the end of the run. The engine is
 * the client's, unchanged; only the glue differs (no TUN, no routes).
 *
 *   IDLE -> CONNECTING -> NEGOTIATING -> UP -> CLOSING -> ENDED
 *               \--------------\-----------\--(failure)-----^
 *   With --reconnect, a failure before the end of the hold goes to
 *   BACKOFF instead, and its timer starts the session again (CONNECTING). */
#include <unistd.h>

#include "base/error.h"
#include "client/client_session.h"
#include "load/load_internal.h"
#include "sys/sys_random.h"
#include "sys/tcp.h"

#define REDIAL_FIRST_MS 1000u
#define REDIAL_MAX_MS 16000u

static void count_leave(struct load_run *run, enum load_session_state st)
{
	if (st == LOAD_SESSION_CONNECTING || st == LOAD_SESSION_NEGOTIATING)
		run->negotiating--;
	else if (st == LOAD_SESSION_UP)
		run->up--;
}

static void set_state(struct load_session *s, enum load_session_state st)
{
	struct load_run *run = s->run;
	count_leave(run, s->state);
	if (st == LOAD_SESSION_CONNECTING || st == LOAD_SESSION_NEGOTIATING)
		run->negotiating++;
	else if (st == LOAD_SESSION_UP) {
		run->up++;
		if (run->up > run->up_peak)
			run->up_peak = run->up;
	}
	s->state = st;
}

/* --reconnect: instead of ending, wait and dial again. Not for what a
 * redial cannot fix (our own errors, a refused password), not at the end
 * of the run, not beyond N redials. The wait is drawn from [0.1 s, w]
 * with w doubling from 1 s to 16 s ("full jitter"): the clients of a
 * restarted server must come back spread over more than the seconds it
 * takes to set them all up. With [w/2, w) and w at most 8 s, 10,000
 * clients came back within 4 s, 2,500 a second against a server that
 * sets up 1,000: handshakes timed out, were redialled, and the last was
 * back after 75 s (bench/scale.sh SCALE_RESTART=1). */
static bool session_redial(struct load_session *s, enum load_fail fail)
{
	struct load_run *run = s->run;
	if (s->redials >= (uint32_t)run->cfg->reconnect || run->phase >= LOAD_PHASE_DRAIN ||
	    fail == LOAD_FAIL_LOCAL || fail == LOAD_FAIL_AUTH || fail == LOAD_FAIL_UNFINISHED)
		return false;
	loop_fd_remove(&run->loop, &s->connect_watch);
	if (s->tcp_fd >= 0) {
		close(s->tcp_fd);
		s->tcp_fd = -1;
	}
	unsigned shift = s->redials < 4 ? s->redials : 4;
	uint32_t wait = REDIAL_FIRST_MS << shift;
	if (wait > REDIAL_MAX_MS)
		wait = REDIAL_MAX_MS;
	struct random_source rs = sys_random_source();
	wait = 100u + random_u32(&rs) % wait;
	s->redials++;
	run->redials++;
	s->call = NULL;
	s->was_up = false;
	set_state(s, LOAD_SESSION_BACKOFF);
	(void)loop_timer_set(&run->loop, &s->timer, sys_now_ms() + wait);
	return true;
}

/* The session is over (engine closed, or it never got one). */
static void session_end(struct load_session *s, enum load_outcome outcome, enum load_fail fail)
{
	struct load_run *run = s->run;
	if (s->state == LOAD_SESSION_ENDED || s->state == LOAD_SESSION_BACKOFF)
		return;
	if (outcome == LOAD_OUTCOME_FAILED && session_redial(s, fail))
		return;
	loop_timer_cancel(&run->loop, &s->timer);
	loop_fd_remove(&run->loop, &s->connect_watch);
	if (s->tcp_fd >= 0) {
		close(s->tcp_fd);
		s->tcp_fd = -1;
	}
	set_state(s, LOAD_SESSION_ENDED);
	s->outcome = outcome;
	s->fail = fail;
	s->call = NULL;
	run->ended++;
	if (outcome == LOAD_OUTCOME_CLEAN)
		run->closed_clean++;
	else
		run->failed[fail]++;
	if (run->phase == LOAD_PHASE_CLOSE && run->ended == run->started)
		loop_stop(&run->loop);
}

static enum load_fail fail_for(const struct tunnel_event *ev)
{
	switch (client_exit_code_for(ev)) {
	case CLIENT_EXIT_REFUSED:
		return LOAD_FAIL_REFUSED;
	case CLIENT_EXIT_NO_GRE:
		return LOAD_FAIL_NO_GRE;
	case CLIENT_EXIT_AUTH_FAILED:
		return LOAD_FAIL_AUTH;
	case CLIENT_EXIT_MPPE_REFUSED:
		return LOAD_FAIL_MPPE;
	case CLIENT_EXIT_PEER_CLOSED:
		return LOAD_FAIL_PEER_CLOSED;
	default:
		return LOAD_FAIL_LINK;
	}
}

static void on_reap(struct loop *loop, struct loop_deferred *d, void *ctx)
{
	struct load_session *s = ctx;
	(void)loop;
	(void)d;
	daemon_tunnel_destroy(&s->dt);
}

static void on_closed(struct load_session *s, const struct tunnel_event *ev)
{
	struct load_run *run = s->run;
	enum load_outcome outcome = LOAD_OUTCOME_FAILED;
	enum load_fail fail;
	if (s->state == LOAD_SESSION_CLOSING && s->was_up) {
		outcome = LOAD_OUTCOME_CLEAN;
		fail = LOAD_FAIL_COUNT;
	} else if (s->state == LOAD_SESSION_CLOSING) {
		fail = s->fail; /* set when we asked: timeout or unfinished */
	} else if (s->was_up) {
		fail = LOAD_FAIL_DROPPED;
	} else {
		fail = fail_for(ev);
	}
	if (outcome == LOAD_OUTCOME_FAILED)
		log_limited(&run->log_limit, sys_now_ms(), LOG_LEVEL_WARN, LOAD_TAG, "session %u: %s (%s)", s->index, load_fail_name(fail),
			    ev->reason[0] ? ev->reason : tunnel_close_cause_name(ev->cause));
	session_end(s, outcome, fail == LOAD_FAIL_COUNT ? LOAD_FAIL_LOCAL : fail);
	loop_defer(&run->loop, &s->reap, on_reap, s);
}

static void on_link_up(struct load_session *s, const struct tunnel_event *ev)
{
	struct load_run *run = s->run;
	if (s->state != LOAD_SESSION_NEGOTIATING)
		return; /* closing already (setup timeout): it stays a failure */
	uint64_t now = load_now_us();
	s->call = ev->call;
	s->tunnel_local = ev->link.local_address;
	s->tunnel_peer = ev->link.peer_address;
	s->was_up = true;
	set_state(s, LOAD_SESSION_UP);
	if (s->ever_up) {
		/* Up again after a redial: a recovery, not a new session (the
		 * setup rate and handshake figures stay the first setups'). */
		run->recovered++;
		run->last_recovered_us = now;
	} else {
		s->ever_up = true;
		run->up_total++;
		run->last_up_us = now;
		uint64_t took = now - s->started_us;
		(void)load_samples_add(&run->handshake, took > UINT32_MAX ? UINT32_MAX : (uint32_t)took);
	}
	loop_timer_cancel(&run->loop, &s->timer);
	if (run->phase >= LOAD_PHASE_DRAIN) {
		/* Came up after the end was called: close it at once. */
		set_state(s, LOAD_SESSION_CLOSING);
		tunnel_close(s->dt.tunnel, "load run over", sys_now_ms());
		return;
	}
	if (run->traffic_pps)
		load_traffic_start(s);
}

static void on_event(void *owner, struct daemon_tunnel *dt, const struct tunnel_event *ev)
{
	struct load_session *s = owner;
	(void)dt;
	switch (ev->type) {
	case TUNNEL_EVENT_CONTROL_UP:
	case TUNNEL_EVENT_CALL_UP:
	case TUNNEL_EVENT_VERIFY:
	case TUNNEL_EVENT_AUTHENTICATED:
	case TUNNEL_EVENT_IPV6_UP:
	case TUNNEL_EVENT_IPV6_PREFIX:
		break;
	case TUNNEL_EVENT_LINK_UP:
		on_link_up(s, ev);
		break;
	case TUNNEL_EVENT_LINK_DOWN:
	case TUNNEL_EVENT_CALL_DOWN:
		s->call = NULL;
		break;
	case TUNNEL_EVENT_CLOSED:
		on_closed(s, ev);
		break;
	}
}

/* ---- call IDs: unique across the process, so one GRE socket serves all ---- */

static int call_id_alloc(void *ctx, uint16_t *id)
{
	struct load_session *s = daemon_tunnel_owner(ctx);
	int rc = call_ids_take(&s->run->call_ids, id);
	if (rc < 0)
		return rc;
	s->call_id = *id;
	s->run->by_call[*id] = s;
	return 0;
}

static void call_id_free(void *ctx, uint16_t id)
{
	struct load_session *s = daemon_tunnel_owner(ctx);
	if (s->run->by_call[id] == s)
		s->run->by_call[id] = NULL;
	call_ids_release(&s->run->call_ids, id);
}

/* The server may send its first GRE (its LCP Configure-Request) right
 * after the Outgoing-Call-Reply (RFC 2637 §2.8 puts no order between
 * them), and the two arrive on different sockets: when the GRE socket is
 * read first, the call is not up in our engine yet and the packet would be
 * dropped, costing a 3 s LCP restart (RFC 1661 §4.6). So for a call of
 * ours still being placed, read its control connection first. */
struct daemon_tunnel *load_gre_lookup(void *ctx, uint16_t call_id)
{
	struct load_run *run = ctx;
	struct load_session *s = run->by_call[call_id];
	if (!s)
		return NULL;
	if (s->state == LOAD_SESSION_NEGOTIATING && daemon_tunnel_is_running(&s->dt) &&
	    !tunnel_call_find(s->dt.tunnel, call_id) && s->dt.ctrl.state == DAEMON_CTRL_OPEN) {
		daemon_ctrl_pump(&s->dt.ctrl, LOOP_READ, sys_now_ms());
		daemon_tunnel_settle(&s->dt, sys_now_ms());
	}
	return &s->dt;
}

/* ---- connecting ---- */

static void session_connected(struct load_session *s)
{
	struct load_run *run = s->run;
	loop_fd_remove(&run->loop, &s->connect_watch);
	uint32_t local = 0;
	uint16_t port;
	if (tcp_local_address(s->tcp_fd, &local, &port) < 0)
		local = s->source;
	(void)tcp_set_nodelay(s->tcp_fd);
	const struct load_credential *cred = &run->creds[s->index % run->ncreds];
	struct tunnel_config tc;
	daemon_tunnel_config_fill(&tc, &run->tunnel, local, run->server, LOAD_TAG);
	tc.link.user = cred->user;
	tc.link.password = cred->password;
	tc.call_id_alloc = call_id_alloc;
	tc.call_id_free = call_id_free;
	uint64_t now = sys_now_ms();
	if (daemon_tunnel_open(&s->dt, &tc, now) < 0 || daemon_tunnel_attach_tcp(&s->dt, s->tcp_fd) < 0) {
		daemon_tunnel_destroy(&s->dt);
		session_end(s, LOAD_OUTCOME_FAILED, LOAD_FAIL_LOCAL);
		return;
	}
	s->tcp_fd = -1; /* the control connection's now */
	set_state(s, LOAD_SESSION_NEGOTIATING);
	daemon_tunnel_start(&s->dt, now);
}

static void on_connect_ready(struct loop *loop, struct loop_fd *w, uint32_t events, void *ctx)
{
	struct load_session *s = ctx;
	(void)loop;
	(void)w;
	(void)events;
	int rc = tcp_connect_result(s->tcp_fd);
	if (rc == ERR_AGAIN)
		return;
	if (rc < 0) {
		log_limited(&s->run->log_limit, sys_now_ms(), LOG_LEVEL_WARN, LOAD_TAG, "session %u: TCP 1723: %s", s->index,
			    error_name(rc));
		session_end(s, LOAD_OUTCOME_FAILED, LOAD_FAIL_CONNECT);
		return;
	}
	session_connected(s);
}

static void session_dial(struct load_session *s);

static void on_timer(struct loop *loop, struct loop_timer *t, void *ctx)
{
	struct load_session *s = ctx;
	(void)loop;
	(void)t;
	switch (s->state) {
	case LOAD_SESSION_CONNECTING:
		session_end(s, LOAD_OUTCOME_FAILED, LOAD_FAIL_TIMEOUT);
		break;
	case LOAD_SESSION_NEGOTIATING:
		s->fail = LOAD_FAIL_TIMEOUT;
		set_state(s, LOAD_SESSION_CLOSING);
		daemon_tunnel_close(&s->dt, "setup timeout", sys_now_ms());
		break;
	case LOAD_SESSION_UP:
		load_traffic_on_timer(s);
		break;
	case LOAD_SESSION_BACKOFF:
		session_dial(s);
		break;
	default:
		break;
	}
}

/* ---- life ---- */

void load_session_init(struct load_session *s, struct load_run *run, uint32_t index)
{
	s->run = run;
	s->index = index;
	s->state = LOAD_SESSION_IDLE;
	s->tcp_fd = -1;
	const struct load_gre_source *src = &run->gre[index % run->ngre];
	s->source = src->addr;
	s->gre = (struct daemon_gre *)&src->gre;
	loop_fd_init(&s->connect_watch);
	loop_timer_init(&s->timer, on_timer, s);
	daemon_tunnel_init(&s->dt, &run->loop, s->gre, &run->tun, on_event, s, LOAD_TAG);
}

void load_session_start(struct load_session *s)
{
	s->run->started++;
	session_dial(s);
}

/* TCP connect, then the engine: the first time and at every redial. */
static void session_dial(struct load_session *s)
{
	struct load_run *run = s->run;
	s->started_us = load_now_us();
	if (s->redials) {
		/* The engine of the dropped session was freed by on_reap. */
		daemon_tunnel_destroy(&s->dt);
		daemon_tunnel_init(&s->dt, &run->loop, s->gre, &run->tun, on_event, s, LOAD_TAG);
	}
	set_state(s, LOAD_SESSION_CONNECTING);
	s->tcp_fd = tcp_connect_start(run->server, 1723, s->source);
	if (s->tcp_fd < 0) {
		log_limited(&run->log_limit, sys_now_ms(), LOG_LEVEL_WARN, LOAD_TAG, "session %u: cannot open a TCP socket: %s", s->index,
			    error_name(s->tcp_fd));
		s->tcp_fd = -1;
		session_end(s, LOAD_OUTCOME_FAILED, LOAD_FAIL_LOCAL);
		return;
	}
	if (loop_fd_add(&run->loop, &s->connect_watch, s->tcp_fd, LOOP_WRITE, on_connect_ready, s) < 0) {
		session_end(s, LOAD_OUTCOME_FAILED, LOAD_FAIL_LOCAL);
		return;
	}
	(void)loop_timer_set(&run->loop, &s->timer, sys_now_ms() + (uint64_t)run->cfg->setup_timeout * 1000u);
}

void load_session_stop(struct load_session *s)
{
	switch (s->state) {
	case LOAD_SESSION_CONNECTING:
	case LOAD_SESSION_BACKOFF:
		if (s->state == LOAD_SESSION_BACKOFF)
			set_state(s, LOAD_SESSION_CONNECTING); /* so that session_end counts it */
		session_end(s, LOAD_OUTCOME_FAILED, LOAD_FAIL_UNFINISHED);
		break;
	case LOAD_SESSION_NEGOTIATING:
		s->fail = LOAD_FAIL_UNFINISHED;
		/* fall through */
	case LOAD_SESSION_UP:
		loop_timer_cancel(&s->run->loop, &s->timer);
		set_state(s, LOAD_SESSION_CLOSING);
		daemon_tunnel_close(&s->dt, "load run over", sys_now_ms());
		break;
	default:
		break;
	}
}

void load_session_free(struct load_session *s)
{
	struct load_run *run = s->run;
	if (s->state != LOAD_SESSION_IDLE && s->state != LOAD_SESSION_ENDED)
		session_end(s, LOAD_OUTCOME_FAILED, LOAD_FAIL_UNFINISHED);
	loop_defer_cancel(&run->loop, &s->reap);
	loop_timer_cancel(&run->loop, &s->timer);
	daemon_tunnel_destroy(&s->dt);
}
