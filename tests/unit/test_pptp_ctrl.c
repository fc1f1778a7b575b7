/* SPDX-License-Identifier: BSD-2-Clause */
/* PPTP control connection + call engines (RFC 2637 §3): two engines wired
 * back to back in-process with virtual time, and the RFC answers to bad or
 * misplaced messages. */
#include "support/test_support.h"

#include <stdio.h>
#include <string.h>

#include "../vectors/pptp/capture_msgs.h"
#include "base/bytes.h"
#include "base/error.h"
#include "base/time.h"
#include "proto/pptp/pptp_ctrl.h"

#define MAX_EVENTS 64

struct peer {
	struct pptp_ctrl ctrl;
	struct test_random rnd;
	uint8_t out[4096];
	size_t out_len;
	struct pptp_event events[MAX_EVENTS];
	unsigned nevents;
	bool closed;
	int accept_result;  /* call policy answer */
	bool open_call_on_tunnel_up;   /* re-enter the engine from events */
	bool stop_on_call_down;
};

static void peer_output(void *ctx, const uint8_t *bytes, size_t len)
{
	struct peer *p = ctx;
	assert_true(p->out_len + len <= sizeof(p->out));
	memcpy(p->out + p->out_len, bytes, len);
	p->out_len += len;
}

static void peer_event(struct peer *p, const struct pptp_event *ev)
{
	assert_true(p->nevents < MAX_EVENTS);
	assert_false(p->closed); /* nothing after CLOSE_TCP */
	p->events[p->nevents++] = *ev;
	if (ev->type == PPTP_EVENT_CLOSE_TCP)
		p->closed = true;
	if (ev->type == PPTP_EVENT_TUNNEL_UP && p->open_call_on_tunnel_up) {
		struct pptp_call_params params;
		pptp_call_params_defaults(&params);
		uint16_t id;
		assert_int_equal(pptp_ctrl_call_open(&p->ctrl, &params, 0, &id), 0);
	}
	if (ev->type == PPTP_EVENT_CALL_DOWN && p->stop_on_call_down)
		(void)pptp_ctrl_stop(&p->ctrl, PPTP_STOP_REASON_NONE, 0);
}

/* Events out: what the owner does after every call into the engine. The
 * handlers above call back into the engine (the events ask for it). */
static void drain(struct peer *p)
{
	struct pptp_event ev;
	while (pptp_ctrl_next_event(&p->ctrl, &ev))
		peer_event(p, &ev);
	assert_int_equal(p->ctrl.events_lost, 0);
}

/* Bytes from TCP as an owner feeds them: one message at a time, draining
 * between. 0, or ERR_CLOSED once the engine closed. */
static int feed(struct peer *p, const uint8_t *bytes, size_t len, uint64_t now)
{
	if (pptp_ctrl_is_closed(&p->ctrl))
		return ERR_CLOSED;
	while (len > 0 && !pptp_ctrl_is_closed(&p->ctrl)) {
		size_t used = pptp_ctrl_input(&p->ctrl, bytes, len, now);
		assert_true(used > 0 && used <= len);
		drain(p);
		bytes += used;
		len -= used;
	}
	return pptp_ctrl_is_closed(&p->ctrl) ? ERR_CLOSED : 0;
}

/* CLOSE_TCP seen (after taking what the engine queued). */
static bool is_closed(struct peer *p)
{
	drain(p);
	return p->closed;
}

static int peer_accept(void *ctx, const struct pptp_msg *req)
{
	(void)req;
	struct peer *p = ctx;
	return p->accept_result;
}

static void peer_init(struct peer *p, enum pptp_role role, uint32_t local, uint32_t remote, uint64_t seed)
{
	memset(p, 0, sizeof(*p));
	test_random_init(&p->rnd, seed);
	struct pptp_ctrl_config cfg;
	pptp_ctrl_config_defaults(&cfg, role);
	cfg.local_ipv4 = local;
	cfg.peer_ipv4 = remote;
	cfg.random = test_random_source(&p->rnd);
	cfg.ctx = p;
	cfg.output = peer_output;
	cfg.call_accept = peer_accept;
	cfg.max_calls = 4;
	p->accept_result = 1;
	assert_int_equal(pptp_ctrl_init(&p->ctrl, &cfg, 0), 0);
}

/* Deliver a's pending output to b. */
static bool deliver(struct peer *from, struct peer *to, uint64_t now)
{
	if (from->out_len == 0)
		return false;
	uint8_t buf[4096];
	size_t n = from->out_len;
	memcpy(buf, from->out, n);
	from->out_len = 0;
	if (!to->closed)
		(void)feed(to, buf, n, now);
	return true;
}

static void pump(struct peer *a, struct peer *b, uint64_t now)
{
	for (int i = 0; i < 100; i++) {
		drain(a); /* what a test did to an engine directly */
		drain(b);
		bool moved = deliver(a, b, now);
		moved |= deliver(b, a, now);
		if (!moved)
			return;
	}
	fail_msg("engines keep talking");
}

static const struct pptp_event *find_event(struct peer *p, enum pptp_event_type type)
{
	drain(p);
	for (unsigned i = 0; i < p->nevents; i++)
		if (p->events[i].type == type)
			return &p->events[i];
	return NULL;
}

static unsigned count_events(struct peer *p, enum pptp_event_type type)
{
	unsigned n = 0;
	drain(p);
	for (unsigned i = 0; i < p->nevents; i++)
		n += p->events[i].type == type;
	return n;
}

#define PNS_IP 0xC000020Bu /* 192.0.2.11 */
#define PAC_IP 0xC000020Au /* 192.0.2.10 */

struct pair {
	struct peer pns;
	struct peer pac;
};

static void tunnel_up(struct pair *t)
{
	peer_init(&t->pns, PPTP_ROLE_PNS, PNS_IP, PAC_IP, 1);
	peer_init(&t->pac, PPTP_ROLE_PAC, PAC_IP, PNS_IP, 2);
	assert_int_equal(pptp_ctrl_start(&t->pns.ctrl, 0), 0);
	pump(&t->pns, &t->pac, 0);
	assert_int_equal(t->pns.ctrl.state, PPTP_CTRL_ESTABLISHED);
	assert_int_equal(t->pac.ctrl.state, PPTP_CTRL_ESTABLISHED);
	assert_non_null(find_event(&t->pns, PPTP_EVENT_TUNNEL_UP));
	assert_non_null(find_event(&t->pac, PPTP_EVENT_TUNNEL_UP));
}

static uint16_t call_up(struct pair *t, uint64_t now)
{
	struct pptp_call_params params;
	pptp_call_params_defaults(&params);
	uint16_t id = 0;
	unsigned before_pns = count_events(&t->pns, PPTP_EVENT_CALL_UP);
	unsigned before_pac = count_events(&t->pac, PPTP_EVENT_CALL_UP);
	assert_int_equal(pptp_ctrl_call_open(&t->pns.ctrl, &params, now, &id), 0);
	assert_int_not_equal(id, 0);
	pump(&t->pns, &t->pac, now);
	assert_int_equal(count_events(&t->pns, PPTP_EVENT_CALL_UP), before_pns + 1);
	assert_int_equal(count_events(&t->pac, PPTP_EVENT_CALL_UP), before_pac + 1);
	return id;
}

static void tunnel_and_call_come_up(void **state)
{
	(void)state;
	struct pair t;
	tunnel_up(&t);
	const struct pptp_event *ev = find_event(&t.pns, PPTP_EVENT_TUNNEL_UP);
	assert_non_null(ev);
	assert_string_equal(t.pns.ctrl.peer_vendor, "openpptp");
	assert_int_equal(ev->u.tunnel_up.peer_version, 0x0100);

	uint16_t id = call_up(&t, 10);
	const struct pptp_event *pns_up = find_event(&t.pns, PPTP_EVENT_CALL_UP);
	const struct pptp_event *pac_up = find_event(&t.pac, PPTP_EVENT_CALL_UP);
	assert_int_equal(pns_up->local_call_id, id);
	assert_int_equal(pns_up->peer_call_id, pac_up->local_call_id);
	assert_int_equal(pac_up->peer_call_id, id);
	assert_int_equal(pns_up->u.call_up.peer_recv_window, 64);
	assert_int_equal(pac_up->u.call_up.peer_recv_window, 64);
	assert_int_equal(pns_up->u.call_up.connect_speed, 10000000);
	assert_true(pns_up->u.call_up.outgoing);
	assert_int_equal(pns_up->u.call_up.call_serial, pac_up->u.call_up.call_serial);

	/* Set-Link-Info from the PNS surfaces as an event on the PAC */
	assert_int_equal(pptp_ctrl_set_link_info(&t.pns.ctrl, id, 0, 0xffffffff, 20), 0);
	pump(&t.pns, &t.pac, 20);
	const struct pptp_event *sli = find_event(&t.pac, PPTP_EVENT_SET_LINK_INFO);
	assert_non_null(sli);
	assert_int_equal(sli->local_call_id, pac_up->local_call_id);
	assert_int_equal(sli->u.set_link_info.recv_accm, 0xffffffff);
	/* the PAC may not send it (RFC 2637 §2.15) */
	assert_int_equal(pptp_ctrl_set_link_info(&t.pac.ctrl, pac_up->local_call_id, 0, 0, 20), ERR_INVALID);
}

static void several_calls_are_bounded(void **state)
{
	(void)state;
	struct pair t;
	tunnel_up(&t);
	t.pac.ctrl.cfg.max_calls = 3;
	uint16_t ids[3];
	for (int i = 0; i < 3; i++)
		ids[i] = call_up(&t, 5);
	assert_int_not_equal(ids[0], ids[1]);
	assert_int_not_equal(ids[1], ids[2]);
	/* PAC full: OCRP general error, No-Resource */
	struct pptp_call_params params;
	pptp_call_params_defaults(&params);
	uint16_t id4;
	assert_int_equal(pptp_ctrl_call_open(&t.pns.ctrl, &params, 6, &id4), 0);
	pump(&t.pns, &t.pac, 6);
	const struct pptp_event *down = find_event(&t.pns, PPTP_EVENT_CALL_DOWN);
	assert_non_null(down);
	assert_int_equal(down->local_call_id, id4);
	assert_int_equal(down->u.call_down.reason, PPTP_CALL_DOWN_REJECTED);
	assert_int_equal(down->u.call_down.result_code, PPTP_OUT_CALL_GENERAL_ERROR);
	assert_int_equal(down->u.call_down.error_code, PPTP_ERROR_NO_RESOURCE);
	/* policy says busy */
	t.pac.ctrl.cfg.max_calls = 4;
	t.pac.accept_result = PPTP_OUT_CALL_BUSY;
	t.pns.nevents = 0;
	assert_int_equal(pptp_ctrl_call_open(&t.pns.ctrl, &params, 7, &id4), 0);
	pump(&t.pns, &t.pac, 7);
	down = find_event(&t.pns, PPTP_EVENT_CALL_DOWN);
	assert_int_equal(down->u.call_down.result_code, PPTP_OUT_CALL_BUSY);
	/* PNS side bound */
	t.pac.accept_result = 1;
	assert_int_equal(pptp_ctrl_call_count(&t.pns.ctrl), 3);
	assert_int_equal(pptp_ctrl_call_open(&t.pns.ctrl, &params, 8, &id4), 0);
	assert_int_equal(pptp_ctrl_call_open(&t.pns.ctrl, &params, 8, &id4), ERR_LIMIT);
}

static void incoming_call_path(void **state)
{
	(void)state;
	struct pair t;
	tunnel_up(&t);
	struct pptp_call_params params;
	pptp_call_params_defaults(&params);
	snprintf(params.dialing_number, sizeof(params.dialing_number), "5550100");
	uint16_t pac_id;
	assert_int_equal(pptp_ctrl_call_incoming(&t.pac.ctrl, &params, 1, &pac_id), 0);
	pump(&t.pns, &t.pac, 1);
	const struct pptp_event *pns_up = find_event(&t.pns, PPTP_EVENT_CALL_UP);
	const struct pptp_event *pac_up = find_event(&t.pac, PPTP_EVENT_CALL_UP);
	assert_non_null(pns_up);
	assert_non_null(pac_up);
	assert_false(pns_up->u.call_up.outgoing);
	assert_int_equal(pac_up->local_call_id, pac_id);
	assert_int_equal(pns_up->peer_call_id, pac_id);
	assert_int_equal(pac_up->peer_call_id, pns_up->local_call_id);
	/* PNS refuses the next one */
	t.pns.accept_result = PPTP_IN_CALL_DO_NOT_ACCEPT;
	assert_int_equal(pptp_ctrl_call_incoming(&t.pac.ctrl, &params, 2, &pac_id), 0);
	pump(&t.pns, &t.pac, 2);
	const struct pptp_event *down = find_event(&t.pac, PPTP_EVENT_CALL_DOWN);
	assert_non_null(down);
	assert_int_equal(down->local_call_id, pac_id);
	assert_int_equal(down->u.call_down.result_code, PPTP_IN_CALL_DO_NOT_ACCEPT);
}

static void call_clear_from_pns(void **state)
{
	(void)state;
	struct pair t;
	tunnel_up(&t);
	uint16_t id = call_up(&t, 1);
	assert_int_equal(pptp_ctrl_call_close(&t.pns.ctrl, id, 2), 0);
	pump(&t.pns, &t.pac, 2);
	const struct pptp_event *pns_down = find_event(&t.pns, PPTP_EVENT_CALL_DOWN);
	const struct pptp_event *pac_down = find_event(&t.pac, PPTP_EVENT_CALL_DOWN);
	assert_non_null(pns_down);
	assert_non_null(pac_down);
	assert_int_equal(pns_down->local_call_id, id);
	assert_int_equal(pns_down->u.call_down.reason, PPTP_CALL_DOWN_LOCAL);
	assert_int_equal(pns_down->u.call_down.result_code, PPTP_DISCONNECT_REQUEST);
	assert_int_equal(pac_down->u.call_down.reason, PPTP_CALL_DOWN_PEER);
	assert_int_equal(pptp_ctrl_call_count(&t.pns.ctrl), 0);
	assert_int_equal(pptp_ctrl_call_count(&t.pac.ctrl), 0);
	assert_int_equal(t.pns.ctrl.state, PPTP_CTRL_ESTABLISHED);
}

static void call_clear_from_pac(void **state)
{
	(void)state;
	struct pair t;
	tunnel_up(&t);
	uint16_t id = call_up(&t, 1);
	uint16_t pac_id = find_event(&t.pac, PPTP_EVENT_CALL_UP)->local_call_id;
	assert_int_equal(pptp_ctrl_call_close(&t.pac.ctrl, pac_id, 2), 0);
	pump(&t.pns, &t.pac, 2);
	const struct pptp_event *pns_down = find_event(&t.pns, PPTP_EVENT_CALL_DOWN);
	assert_non_null(pns_down);
	assert_int_equal(pns_down->local_call_id, id);
	assert_int_equal(pns_down->u.call_down.reason, PPTP_CALL_DOWN_PEER);
	assert_int_equal(pns_down->u.call_down.result_code, PPTP_DISCONNECT_ADMIN_SHUTDOWN);
	assert_int_equal(find_event(&t.pac, PPTP_EVENT_CALL_DOWN)->u.call_down.reason, PPTP_CALL_DOWN_LOCAL);
	assert_int_equal(pptp_ctrl_call_count(&t.pns.ctrl), 0);
}

static void stop_from_either_side(void **state)
{
	(void)state;
	for (int side = 0; side < 2; side++) {
		struct pair t;
		tunnel_up(&t);
		call_up(&t, 1);
		struct peer *stopper = side ? &t.pac : &t.pns;
		struct peer *other = side ? &t.pns : &t.pac;
		assert_int_equal(pptp_ctrl_stop(&stopper->ctrl, PPTP_STOP_REASON_LOCAL_SHUTDOWN, 5), 0);
		assert_int_equal(stopper->ctrl.state, PPTP_CTRL_WAIT_STOP_REPLY);
		/* calls go down at once on the stopping side */
		assert_non_null(find_event(stopper, PPTP_EVENT_CALL_DOWN));
		pump(&t.pns, &t.pac, 5);
		assert_true(is_closed(stopper));
		assert_true(is_closed(other));
		assert_int_equal(find_event(stopper, PPTP_EVENT_TUNNEL_DOWN)->u.tunnel_down.reason,
				 PPTP_DOWN_LOCAL_STOP);
		const struct pptp_event *down = find_event(other, PPTP_EVENT_TUNNEL_DOWN);
		assert_int_equal(down->u.tunnel_down.reason, PPTP_DOWN_PEER_STOP);
		assert_int_equal(down->u.tunnel_down.result_code, PPTP_STOP_REASON_LOCAL_SHUTDOWN);
		assert_int_equal(find_event(other, PPTP_EVENT_CALL_DOWN)->u.call_down.reason, PPTP_CALL_DOWN_TUNNEL);
		assert_int_equal(pptp_ctrl_next_deadline(&stopper->ctrl), DEADLINE_NONE);
		assert_int_equal(feed(other, capture_probe_stop_request, 16, 6), ERR_CLOSED);
	}
}

static void stop_reply_never_comes(void **state)
{
	(void)state;
	struct pair t;
	tunnel_up(&t);
	assert_int_equal(pptp_ctrl_stop(&t.pns.ctrl, PPTP_STOP_REASON_NONE, 100), 0);
	t.pns.out_len = 0; /* lost */
	uint64_t d = pptp_ctrl_next_deadline(&t.pns.ctrl);
	assert_int_equal(d, 100 + PPTP_DEFAULT_STOP_TIMEOUT_MS);
	pptp_ctrl_on_timeout(&t.pns.ctrl, d - 1);
	assert_false(is_closed(&t.pns));
	pptp_ctrl_on_timeout(&t.pns.ctrl, d);
	assert_true(is_closed(&t.pns));
	assert_int_equal(find_event(&t.pns, PPTP_EVENT_TUNNEL_DOWN)->u.tunnel_down.reason, PPTP_DOWN_STOP_TIMEOUT);
}

static void keepalive_answers_and_times_out(void **state)
{
	(void)state;
	struct pair t;
	tunnel_up(&t);
	/* silence: the first Echo-Request goes out 60 s after the last message */
	uint64_t d = pptp_ctrl_next_deadline(&t.pns.ctrl);
	assert_int_equal(d, 60000);
	pptp_ctrl_on_timeout(&t.pns.ctrl, d);
	assert_int_equal(t.pns.out_len, 16);
	assert_int_equal(load_be16(t.pns.out + 8), PPTP_MSG_ECHO_REQUEST);
	assert_int_equal(pptp_ctrl_next_deadline(&t.pns.ctrl), 120000);
	pump(&t.pns, &t.pac, 60010);          /* PAC answers */
	assert_int_equal(pptp_ctrl_next_deadline(&t.pns.ctrl), 120010);
	assert_false(is_closed(&t.pns));

	/* now the PAC falls silent */
	pptp_ctrl_on_timeout(&t.pns.ctrl, 120010);
	assert_int_equal(t.pns.out_len, 16);
	t.pns.out_len = 0;                    /* never delivered */
	assert_int_equal(pptp_ctrl_next_deadline(&t.pns.ctrl), 180010);
	pptp_ctrl_on_timeout(&t.pns.ctrl, 180009);
	assert_false(is_closed(&t.pns));
	pptp_ctrl_on_timeout(&t.pns.ctrl, 180010);
	assert_true(is_closed(&t.pns));
	assert_non_null(find_event(&t.pns, PPTP_EVENT_KEEPALIVE_TIMEOUT));
	assert_int_equal(find_event(&t.pns, PPTP_EVENT_TUNNEL_DOWN)->u.tunnel_down.reason, PPTP_DOWN_KEEPALIVE);
	assert_int_equal(t.pns.events[t.pns.nevents - 1].type, PPTP_EVENT_CLOSE_TCP);
	assert_int_equal(t.pns.out_len, 0);   /* RFC 2637 §3.1.4: just close */
}

static void keepalive_timings_are_configurable(void **state)
{
	(void)state;
	struct pair t;
	tunnel_up(&t);
	t.pac.ctrl.cfg.keepalive_interval_ms = 5000;
	t.pac.ctrl.cfg.keepalive_timeout_ms = 2000;
	/* any control message resets the idle timer */
	pptp_ctrl_on_timeout(&t.pac.ctrl, 4000);
	assert_int_equal(t.pac.out_len, 0);
	pptp_ctrl_on_timeout(&t.pac.ctrl, 5000);
	assert_int_equal(t.pac.out_len, 16);
	t.pac.out_len = 0;
	pptp_ctrl_on_timeout(&t.pac.ctrl, 7000);
	assert_true(is_closed(&t.pac));
}

static void setup_times_out(void **state)
{
	(void)state;
	struct peer pac;
	peer_init(&pac, PPTP_ROLE_PAC, PAC_IP, PNS_IP, 3);
	assert_int_equal(pptp_ctrl_next_deadline(&pac.ctrl), 60000);
	pptp_ctrl_on_timeout(&pac.ctrl, 60000);
	assert_true(is_closed(&pac));
	assert_int_equal(find_event(&pac, PPTP_EVENT_TUNNEL_DOWN)->u.tunnel_down.reason, PPTP_DOWN_SETUP_TIMEOUT);
}

static void start_collision_resolves(void **state)
{
	(void)state;
	struct pair t;
	peer_init(&t.pns, PPTP_ROLE_PNS, PNS_IP, PAC_IP, 1); /* .11 > .10: PNS wins */
	peer_init(&t.pac, PPTP_ROLE_PAC, PAC_IP, PNS_IP, 2);
	assert_int_equal(pptp_ctrl_start(&t.pns.ctrl, 0), 0);
	assert_int_equal(pptp_ctrl_start(&t.pac.ctrl, 0), 0);
	pump(&t.pns, &t.pac, 0);
	assert_int_equal(t.pns.ctrl.state, PPTP_CTRL_ESTABLISHED);
	assert_int_equal(t.pac.ctrl.state, PPTP_CTRL_ESTABLISHED);
	assert_true(t.pns.ctrl.originator);
	assert_false(t.pac.ctrl.originator);
	assert_int_equal(count_events(&t.pns, PPTP_EVENT_TUNNEL_UP), 1);
	assert_int_equal(count_events(&t.pac, PPTP_EVENT_TUNNEL_UP), 1);
	call_up(&t, 1);
	assert_true(pptp_collision_we_win(0xC0212D59, 0xC0212D11)); /* RFC example */
	assert_false(pptp_collision_we_win(0xC0212D11, 0xC0212D59));
}

static void start_rejected_by_peer(void **state)
{
	(void)state;
	struct peer pns;
	peer_init(&pns, PPTP_ROLE_PNS, PNS_IP, PAC_IP, 1);
	assert_int_equal(pptp_ctrl_start(&pns.ctrl, 0), 0);
	pns.out_len = 0;
	/* pptpd's real reply is accepted, zero capabilities and all */
	assert_int_equal(feed(&pns, capture_pptpd_sccrp, sizeof(capture_pptpd_sccrp), 1), 0);
	assert_int_equal(pns.ctrl.state, PPTP_CTRL_ESTABLISHED);
	assert_non_null(find_event(&pns, PPTP_EVENT_TUNNEL_UP));
	assert_string_equal(pns.ctrl.peer_vendor, "linux");
}

static void pac_accepts_real_pptp_linux(void **state)
{
	(void)state;
	struct peer pac;
	peer_init(&pac, PPTP_ROLE_PAC, PAC_IP, PNS_IP, 4);
	uint8_t both[156 + 168];
	memcpy(both, capture_pptp_linux_sccrq, 156);
	memcpy(both + 156, capture_pptp_linux_ocrq, 168);
	assert_int_equal(feed(&pac, both, sizeof(both), 1), 0);
	const struct pptp_event *up = find_event(&pac, PPTP_EVENT_CALL_UP);
	assert_non_null(up);
	assert_int_equal(up->peer_call_id, 0x34b2);
	assert_int_equal(up->u.call_up.peer_recv_window, 3);
	assert_int_equal(up->u.call_up.connect_speed, 10000000);
	assert_non_null(find_event(&pac, PPTP_EVENT_TUNNEL_UP));
	assert_string_equal(pac.ctrl.peer_vendor, "cananian");
	/* our answers: SCCRP (156) then OCRP (32) */
	assert_int_equal(pac.out_len, 156 + 32);
	struct pptp_msg m;
	assert_int_equal(pptp_msg_decode(pac.out + 156, 32, &m), 0);
	assert_int_equal(m.u.out_call_reply.peer_call_id, 0x34b2);
	assert_int_equal(m.u.out_call_reply.call_id, up->local_call_id);
	assert_int_equal(m.u.out_call_reply.result_code, 1);
}

/* ---- RFC answers to bad or misplaced messages, one log line each ---- */

enum setup { AT_PAC_IDLE, AT_PAC_UP, AT_PNS_WAIT, AT_PNS_UP };

struct engine_case {
	const char *what;
	enum setup setup;
	enum pptp_msg_type base;
	int offset;          /* -1: none */
	int width;
	uint32_t value;
	/* expected */
	enum pptp_msg_type reply;   /* 0: nothing sent */
	int result;                 /* reply's result/reason code, -1 don't care */
	int error;                  /* reply's error code, -1 don't care */
	bool closes;
};

static void make_msg(enum pptp_msg_type type, struct pptp_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->type = type;
	switch (type) {
	case PPTP_MSG_START_CTRL_REQUEST:
	case PPTP_MSG_START_CTRL_REPLY:
		m->u.start_ctrl_request.version = PPTP_PROTOCOL_VERSION;
		m->u.start_ctrl_request.result_code = type == PPTP_MSG_START_CTRL_REPLY ? 1 : 0;
		break;
	case PPTP_MSG_OUT_CALL_REQUEST:
		m->u.out_call_request.call_id = 0x100;
		m->u.out_call_request.max_bps = 64000;
		break;
	case PPTP_MSG_IN_CALL_REQUEST: m->u.in_call_request.call_id = 0x200; break;
	case PPTP_MSG_CALL_CLEAR_REQUEST: m->u.call_clear_request.call_id = 0x999; break;
	case PPTP_MSG_ECHO_REQUEST: m->u.echo_request.identifier = 42; break;
	default: break;
	}
}

#define T(x) PPTP_MSG_##x
static const struct engine_case engine_cases[] = {
	{ "SCCRQ version 0.255 (older, unsupported)", AT_PAC_IDLE, T(START_CTRL_REQUEST), 12, 2, 0x00ff,
	  T(START_CTRL_REPLY), PPTP_START_BAD_VERSION, 0, true },
	{ "SCCRQ version 2.0 (newer: we offer 1.0)", AT_PAC_IDLE, T(START_CTRL_REQUEST), 12, 2, 0x0200,
	  T(START_CTRL_REPLY), PPTP_START_OK, 0, false },
	{ "SCCRQ Reserved1 set", AT_PAC_IDLE, T(START_CTRL_REQUEST), 14, 2, 1,
	  T(START_CTRL_REPLY), PPTP_START_GENERAL_ERROR, PPTP_ERROR_BAD_VALUE, true },
	{ "SCCRQ host name junk", AT_PAC_IDLE, T(START_CTRL_REQUEST), 40, 1, 'x',
	  T(START_CTRL_REPLY), PPTP_START_GENERAL_ERROR, PPTP_ERROR_BAD_VALUE, true },
	{ "SCCRQ on an established connection", AT_PAC_UP, T(START_CTRL_REQUEST), -1, 0, 0,
	  T(START_CTRL_REPLY), PPTP_START_ALREADY_EXISTS, 0, false },
	{ "OCRQ before the control connection", AT_PAC_IDLE, T(OUT_CALL_REQUEST), -1, 0, 0,
	  T(OUT_CALL_REPLY), PPTP_OUT_CALL_GENERAL_ERROR, PPTP_ERROR_NOT_CONNECTED, true },
	{ "Echo-Request before the control connection", AT_PAC_IDLE, T(ECHO_REQUEST), -1, 0, 0,
	  T(ECHO_REPLY), PPTP_ECHO_GENERAL_ERROR, PPTP_ERROR_NOT_CONNECTED, true },
	{ "SCCRP to a PAC that sent nothing", AT_PAC_IDLE, T(START_CTRL_REPLY), -1, 0, 0, 0, -1, -1, true },
	{ "OCRQ Reserved1 set", AT_PAC_UP, T(OUT_CALL_REQUEST), 38, 2, 1,
	  T(OUT_CALL_REPLY), PPTP_OUT_CALL_GENERAL_ERROR, PPTP_ERROR_BAD_VALUE, false },
	{ "OCRQ with a WAN-Error length", AT_PAC_UP, T(WAN_ERROR_NOTIFY), 8, 2, 7,
	  T(OUT_CALL_REPLY), PPTP_OUT_CALL_GENERAL_ERROR, PPTP_ERROR_BAD_FORMAT, false },
	{ "OCRQ to a PNS", AT_PNS_UP, T(OUT_CALL_REQUEST), -1, 0, 0,
	  T(OUT_CALL_REPLY), PPTP_OUT_CALL_GENERAL_ERROR, PPTP_ERROR_BAD_VALUE, false },
	{ "ICRQ to a PAC", AT_PAC_UP, T(IN_CALL_REQUEST), -1, 0, 0,
	  T(IN_CALL_REPLY), PPTP_IN_CALL_GENERAL_ERROR, PPTP_ERROR_BAD_VALUE, false },
	{ "ICRQ with a junk subaddress", AT_PNS_UP, T(IN_CALL_REQUEST), 200, 1, 'q',
	  T(IN_CALL_REPLY), PPTP_IN_CALL_GENERAL_ERROR, PPTP_ERROR_BAD_VALUE, false },
	{ "Echo-Request typed as Echo-Reply (bad length)", AT_PAC_UP, T(ECHO_REQUEST), 8, 2, 6,
	  T(STOP_CTRL_REQUEST), PPTP_STOP_REASON_NONE, -1, false },
	{ "Echo-Reply Reserved1 set", AT_PAC_UP, T(ECHO_REPLY), 18, 2, 1,
	  T(STOP_CTRL_REQUEST), PPTP_STOP_REASON_NONE, -1, false },
	{ "Stop-Control-Connection-Reply while established", AT_PAC_UP, T(STOP_CTRL_REPLY), -1, 0, 0,
	  0, -1, -1, false },
	{ "CCRQ for an unknown call", AT_PAC_UP, T(CALL_CLEAR_REQUEST), -1, 0, 0, 0, -1, -1, false },
	{ "CDN for an unknown call", AT_PNS_UP, T(CALL_DISCONNECT_NOTIFY), -1, 0, 0, 0, -1, -1, false },
	{ "ICCN for an unknown call", AT_PNS_UP, T(IN_CALL_CONNECTED), -1, 0, 0, 0, -1, -1, false },
	{ "WAN-Error-Notify to a PAC", AT_PAC_UP, T(WAN_ERROR_NOTIFY), -1, 0, 0, 0, -1, -1, false },
	{ "unknown control message type 16", AT_PAC_UP, T(ECHO_REQUEST), 8, 2, 16, 0, -1, -1, false },
	{ "bad magic cookie", AT_PAC_UP, T(ECHO_REQUEST), 4, 4, 0x12345678, 0, -1, -1, true },
	{ "length 0xffff", AT_PAC_UP, T(ECHO_REQUEST), 0, 2, 0xffff, 0, -1, -1, true },
	{ "length 8", AT_PNS_UP, T(ECHO_REQUEST), 0, 2, 8, 0, -1, -1, true },
	{ "management message", AT_PNS_UP, T(ECHO_REQUEST), 2, 2, 2, 0, -1, -1, true },
	{ "SCCRP version 2.0", AT_PNS_WAIT, T(START_CTRL_REPLY), 12, 2, 0x0200,
	  T(STOP_CTRL_REQUEST), PPTP_STOP_REASON_PROTOCOL, -1, false },
	{ "SCCRP result 4 (not authorized)", AT_PNS_WAIT, T(START_CTRL_REPLY), 14, 1, 4, 0, -1, -1, true },
	{ "OCRQ to a PNS still waiting for SCCRP", AT_PNS_WAIT, T(OUT_CALL_REQUEST), -1, 0, 0,
	  T(OUT_CALL_REPLY), PPTP_OUT_CALL_GENERAL_ERROR, PPTP_ERROR_NOT_CONNECTED, true },
};
#undef T

static void setup_engine(struct peer *p, enum setup s)
{
	bool pac = s == AT_PAC_IDLE || s == AT_PAC_UP;
	peer_init(p, pac ? PPTP_ROLE_PAC : PPTP_ROLE_PNS, pac ? PAC_IP : PNS_IP, pac ? PNS_IP : PAC_IP, 9);
	if (s == AT_PAC_UP) {
		assert_int_equal(feed(p, capture_pptp_linux_sccrq, 156, 0), 0);
	} else if (s == AT_PNS_WAIT || s == AT_PNS_UP) {
		assert_int_equal(pptp_ctrl_start(&p->ctrl, 0), 0);
		if (s == AT_PNS_UP)
			assert_int_equal(feed(p, capture_pptpd_sccrp, 156, 0), 0);
	}
	p->out_len = 0;
	p->nevents = 0;
}

static void engine_answers_bad_messages_as_the_rfc_says(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(engine_cases) / sizeof(engine_cases[0]); i++) {
		const struct engine_case *ec = &engine_cases[i];
		struct peer p;
		setup_engine(&p, ec->setup);
		struct pptp_msg m;
		uint8_t buf[PPTP_MAX_MSG_LEN];
		make_msg(ec->base, &m);
		int n = pptp_msg_encode(&m, buf, sizeof(buf));
		assert_true(n > 0);
		if (ec->offset >= 0) {
			if (ec->width == 1)
				buf[ec->offset] = (uint8_t)ec->value;
			else if (ec->width == 2)
				store_be16(buf + ec->offset, (uint16_t)ec->value);
			else
				store_be32(buf + ec->offset, ec->value);
		}
		struct test_log tl;
		test_log_capture(&tl);
		(void)feed(&p, buf, (size_t)n, 100);
		test_log_release();
		if (tl.count != 1)
			print_error("case '%s': %u log lines, last '%s'\n", ec->what, tl.count, tl.last);
		assert_int_equal(tl.count, 1);
		if (ec->reply == 0) {
			if (p.out_len)
				print_error("case '%s': unexpected output\n", ec->what);
			assert_int_equal(p.out_len, 0);
		} else {
			struct pptp_msg r;
			const struct pptp_msg_desc *d = pptp_msg_desc_get((uint16_t)ec->reply);
			if (p.out_len != d->length)
				print_error("case '%s': %zu bytes out\n", ec->what, p.out_len);
			assert_int_equal(p.out_len, d->length);
			assert_int_equal(pptp_msg_decode(p.out, p.out_len, &r), 0);
			assert_int_equal(r.type, ec->reply);
			int result = -1, error = -1;
			switch (r.type) {
			case PPTP_MSG_START_CTRL_REPLY:
				assert_int_equal(r.u.start_ctrl_reply.version, PPTP_PROTOCOL_VERSION);
				result = r.u.start_ctrl_reply.result_code;
				error = r.u.start_ctrl_reply.error_code;
				break;
			case PPTP_MSG_STOP_CTRL_REQUEST: result = r.u.stop_ctrl_request.reason; break;
			case PPTP_MSG_ECHO_REPLY:
				result = r.u.echo_reply.result_code;
				error = r.u.echo_reply.error_code;
				break;
			case PPTP_MSG_OUT_CALL_REPLY:
				result = r.u.out_call_reply.result_code;
				error = r.u.out_call_reply.error_code;
				if (ec->error != PPTP_ERROR_BAD_FORMAT)
					assert_int_equal(r.u.out_call_reply.peer_call_id, 0x100);
				break;
			case PPTP_MSG_IN_CALL_REPLY:
				result = r.u.in_call_reply.result_code;
				error = r.u.in_call_reply.error_code;
				assert_int_equal(r.u.in_call_reply.peer_call_id, 0x200);
				break;
			default: break;
			}
			if (ec->result >= 0)
				assert_int_equal(result, ec->result);
			if (ec->error >= 0)
				assert_int_equal(error, ec->error);
		}
		if (is_closed(&p) != ec->closes)
			print_error("case '%s': closed %d\n", ec->what, is_closed(&p));
		assert_int_equal(is_closed(&p), ec->closes);
	}
}

static void log_lines_are_rate_limited(void **state)
{
	(void)state;
	struct peer p;
	setup_engine(&p, AT_PAC_UP);
	struct pptp_msg m;
	uint8_t buf[PPTP_MAX_MSG_LEN];
	make_msg(PPTP_MSG_CALL_CLEAR_REQUEST, &m);
	int n = pptp_msg_encode(&m, buf, sizeof(buf));
	struct test_log tl;
	test_log_capture(&tl);
	for (int i = 0; i < 1000; i++)
		(void)feed(&p, buf, (size_t)n, 100);
	test_log_release();
	assert_true(tl.count <= 12);
	assert_false(is_closed(&p));
}

static void wan_error_and_set_link_info_reach_the_pns(void **state)
{
	(void)state;
	struct pair t;
	tunnel_up(&t);
	uint16_t id = call_up(&t, 1);
	struct pptp_msg m;
	uint8_t buf[PPTP_MAX_MSG_LEN];
	memset(&m, 0, sizeof(m));
	m.type = PPTP_MSG_WAN_ERROR_NOTIFY;
	m.u.wan_error_notify.peer_call_id = id;
	m.u.wan_error_notify.crc_errors = 5;
	int n = pptp_msg_encode(&m, buf, sizeof(buf));
	assert_int_equal(feed(&t.pns, buf, (size_t)n, 2), 0);
	const struct pptp_event *ev = find_event(&t.pns, PPTP_EVENT_WAN_ERROR);
	assert_non_null(ev);
	assert_int_equal(ev->u.wan_error.crc_errors, 5);
	/* Windows RRAS PACs send Set-Link-Info to the PNS (quirk) */
	memset(&m, 0, sizeof(m));
	m.type = PPTP_MSG_SET_LINK_INFO;
	m.u.set_link_info.peer_call_id = id;
	m.u.set_link_info.recv_accm = 0xffffffff;
	n = pptp_msg_encode(&m, buf, sizeof(buf));
	assert_int_equal(feed(&t.pns, buf, (size_t)n, 3), 0);
	assert_non_null(find_event(&t.pns, PPTP_EVENT_SET_LINK_INFO));
	assert_int_equal(t.pns.out_len, 0);
}

static void tcp_close_brings_everything_down(void **state)
{
	(void)state;
	struct pair t;
	tunnel_up(&t);
	call_up(&t, 1);
	pptp_ctrl_tcp_closed(&t.pac.ctrl, 2);
	assert_true(is_closed(&t.pac));
	assert_int_equal(find_event(&t.pac, PPTP_EVENT_TUNNEL_DOWN)->u.tunnel_down.reason, PPTP_DOWN_TCP_CLOSED);
	assert_non_null(find_event(&t.pac, PPTP_EVENT_CALL_DOWN));
	assert_int_equal(t.pac.out_len, 0);
}

static unsigned alloc_calls;
static int server_alloc(void *ctx, uint16_t *id)
{
	(void)ctx;
	if (alloc_calls >= 2)
		return ERR_LIMIT;
	*id = (uint16_t)(0x4000 + alloc_calls++);
	return 0;
}
static void server_free(void *ctx, uint16_t id)
{
	(void)ctx;
	(void)id;
	alloc_calls--;
}

static void server_wide_call_id_allocator(void **state)
{
	(void)state;
	struct pair t;
	tunnel_up(&t);
	alloc_calls = 0;
	t.pac.ctrl.cfg.call_id_alloc = server_alloc;
	t.pac.ctrl.cfg.call_id_free = server_free;
	call_up(&t, 1);
	assert_int_equal(find_event(&t.pac, PPTP_EVENT_CALL_UP)->local_call_id, 0x4000);
	call_up(&t, 1);
	struct pptp_call_params params;
	pptp_call_params_defaults(&params);
	uint16_t id;
	assert_int_equal(pptp_ctrl_call_open(&t.pns.ctrl, &params, 2, &id), 0);
	pump(&t.pns, &t.pac, 2);
	assert_int_equal(find_event(&t.pns, PPTP_EVENT_CALL_DOWN)->u.call_down.error_code, PPTP_ERROR_NO_RESOURCE);
	pptp_ctrl_tcp_closed(&t.pac.ctrl, 3);
	assert_int_equal(alloc_calls, 0);
}

static void call_request_times_out(void **state)
{
	(void)state;
	struct pair t;
	tunnel_up(&t);
	struct pptp_call_params params;
	pptp_call_params_defaults(&params);
	uint16_t id;
	t.pns.ctrl.cfg.keepalive_interval_ms = 1000000;
	assert_int_equal(pptp_ctrl_call_open(&t.pns.ctrl, &params, 1000, &id), 0);
	t.pns.out_len = 0; /* lost */
	assert_int_equal(pptp_ctrl_next_deadline(&t.pns.ctrl), 1000 + PPTP_DEFAULT_CALL_TIMEOUT_MS);
	pptp_ctrl_on_timeout(&t.pns.ctrl, 1000 + PPTP_DEFAULT_CALL_TIMEOUT_MS);
	const struct pptp_event *down = find_event(&t.pns, PPTP_EVENT_CALL_DOWN);
	assert_non_null(down);
	assert_int_equal(down->u.call_down.reason, PPTP_CALL_DOWN_TIMEOUT);
	assert_int_equal(load_be16(t.pns.out + 8), PPTP_MSG_CALL_CLEAR_REQUEST);
}

static void events_may_reenter_the_engine(void **state)
{
	(void)state;
	struct pair t;
	peer_init(&t.pns, PPTP_ROLE_PNS, PNS_IP, PAC_IP, 1);
	peer_init(&t.pac, PPTP_ROLE_PAC, PAC_IP, PNS_IP, 2);
	t.pns.open_call_on_tunnel_up = true;
	t.pns.stop_on_call_down = true;
	t.pac.stop_on_call_down = true;
	assert_int_equal(pptp_ctrl_start(&t.pns.ctrl, 0), 0);
	pump(&t.pns, &t.pac, 0);
	assert_non_null(find_event(&t.pns, PPTP_EVENT_CALL_UP));
	assert_non_null(find_event(&t.pac, PPTP_EVENT_CALL_UP));
	/* the PAC clears the call; both owners stop from inside CALL_DOWN */
	uint16_t pac_id = find_event(&t.pac, PPTP_EVENT_CALL_UP)->local_call_id;
	assert_int_equal(pptp_ctrl_call_close(&t.pac.ctrl, pac_id, 1), 0);
	pump(&t.pns, &t.pac, 1);
	assert_true(is_closed(&t.pns));
	assert_true(is_closed(&t.pac));
	assert_int_equal(count_events(&t.pns, PPTP_EVENT_TUNNEL_DOWN), 1);
	assert_int_equal(count_events(&t.pac, PPTP_EVENT_TUNNEL_DOWN), 1);
	/* and a tcp close with calls up, stopping from CALL_DOWN: one TUNNEL_DOWN */
	struct pair u;
	tunnel_up(&u);
	call_up(&u, 1);
	u.pac.stop_on_call_down = true;
	pptp_ctrl_tcp_closed(&u.pac.ctrl, 2);
	assert_int_equal(count_events(&u.pac, PPTP_EVENT_TUNNEL_DOWN), 1);
	assert_int_equal(u.pac.out_len, 0);
	assert_true(pptp_ctrl_is_closed(&u.pac.ctrl));
}

static void start_collision_pac_wins(void **state)
{
	(void)state;
	struct pair t;
	/* swapped addresses: now the PAC (.11) is higher and wins */
	peer_init(&t.pns, PPTP_ROLE_PNS, PAC_IP, PNS_IP, 1);
	peer_init(&t.pac, PPTP_ROLE_PAC, PNS_IP, PAC_IP, 2);
	assert_int_equal(pptp_ctrl_start(&t.pac.ctrl, 0), 0);
	assert_int_equal(pptp_ctrl_start(&t.pns.ctrl, 0), 0);
	pump(&t.pns, &t.pac, 0);
	assert_int_equal(t.pns.ctrl.state, PPTP_CTRL_ESTABLISHED);
	assert_int_equal(t.pac.ctrl.state, PPTP_CTRL_ESTABLISHED);
	assert_true(t.pac.ctrl.originator);
	assert_false(t.pns.ctrl.originator);
	assert_int_equal(count_events(&t.pns, PPTP_EVENT_TUNNEL_UP), 1);
	assert_int_equal(count_events(&t.pac, PPTP_EVENT_TUNNEL_UP), 1);
}

static void engine_input_split_at_every_byte(void **state)
{
	(void)state;
	uint8_t both[156 + 168];
	memcpy(both, capture_pptp_linux_sccrq, 156);
	memcpy(both + 156, capture_pptp_linux_ocrq, 168);
	for (size_t cut = 0; cut <= sizeof(both); cut++) {
		struct peer pac;
		peer_init(&pac, PPTP_ROLE_PAC, PAC_IP, PNS_IP, 4);
		assert_int_equal(feed(&pac, both, cut, 1), 0);
		assert_int_equal(feed(&pac, both + cut, sizeof(both) - cut, 2), 0);
		assert_int_equal(count_events(&pac, PPTP_EVENT_TUNNEL_UP), 1);
		assert_int_equal(count_events(&pac, PPTP_EVENT_CALL_UP), 1);
		assert_int_equal(pac.out_len, 156 + 32);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tunnel_and_call_come_up),
		cmocka_unit_test(several_calls_are_bounded),
		cmocka_unit_test(incoming_call_path),
		cmocka_unit_test(call_clear_from_pns),
		cmocka_unit_test(call_clear_from_pac),
		cmocka_unit_test(stop_from_either_side),
		cmocka_unit_test(stop_reply_never_comes),
		cmocka_unit_test(keepalive_answers_and_times_out),
		cmocka_unit_test(keepalive_timings_are_configurable),
		cmocka_unit_test(setup_times_out),
		cmocka_unit_test(start_collision_resolves),
		cmocka_unit_test(start_rejected_by_peer),
		cmocka_unit_test(pac_accepts_real_pptp_linux),
		cmocka_unit_test(engine_answers_bad_messages_as_the_rfc_says),
		cmocka_unit_test(log_lines_are_rate_limited),
		cmocka_unit_test(wan_error_and_set_link_info_reach_the_pns),
		cmocka_unit_test(tcp_close_brings_everything_down),
		cmocka_unit_test(server_wide_call_id_allocator),
		cmocka_unit_test(call_request_times_out),
		cmocka_unit_test(events_may_reenter_the_engine),
		cmocka_unit_test(start_collision_pac_wins),
		cmocka_unit_test(engine_input_split_at_every_byte),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
