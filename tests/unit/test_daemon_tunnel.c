/* SPDX-License-Identifier: BSD-2-Clause */
/* src/daemon/daemon_tunnel and daemon_signals: the timer follows the
 * engine's next deadline after every way in, a deadline that passes runs
 * the engine's timeout, every event reaches the one event function in
 * order, a closed tunnel takes nothing more; the stop-signal policy (first
 * signal begins, second ends, the grace timer ends too). */
#include "support/test_support.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "../fuzz/daemon_harness.h"
#include "base/time.h"
#include "daemon/daemon_budget.h"
#include "daemon/daemon_signals.h"

static void assert_timer_follows_engine(const struct daemon_harness *h)
{
	uint64_t want = tunnel_next_deadline(h->dt.tunnel);
	if (want == DEADLINE_NONE) {
		assert_false(timer_armed(&h->dt.timer));
	} else {
		assert_true(timer_armed(&h->dt.timer));
		assert_int_equal(h->dt.timer.deadline, want);
	}
}

static void the_timer_follows_the_engine_after_every_way_in(void **state)
{
	(void)state;
	struct daemon_harness h;
	assert_int_equal(dh_open(&h, false), 0);
	/* Opened: the PAC waits for a Start-Control-Connection-Request (RFC 2637 §3.1.4). */
	assert_timer_follows_engine(&h);
	assert_int_equal(h.dt.timer.deadline, h.now + 30000);
	uint64_t before = h.dt.timer.deadline;
	h.now += 500;
	dh_client_sends(&h, capture_pptp_linux_sccrq, sizeof(capture_pptp_linux_sccrq));
	assert_int_equal(h.events[TUNNEL_EVENT_CONTROL_UP], 1);
	assert_timer_follows_engine(&h);
	assert_true(h.dt.timer.deadline != before);
	h.now += 500;
	dh_client_sends(&h, capture_pptp_linux_ocrq, sizeof(capture_pptp_linux_ocrq));
	assert_non_null(h.call);
	assert_timer_follows_engine(&h); /* now LCP's restart timer, sooner */
	assert_true(h.dt.timer.deadline <= h.now + 3000);
	/* The deadline passes: the engine's timeout runs, and the timer moves on. */
	uint64_t due = h.dt.timer.deadline;
	h.now = due;
	daemon_tunnel_on_timeout(&h.dt, h.now);
	assert_timer_follows_engine(&h);
	assert_true(h.dt.timer.deadline > due);
	dh_close(&h);
}

static void a_setup_that_never_comes_closes_the_tunnel(void **state)
{
	(void)state;
	struct daemon_harness h;
	assert_int_equal(dh_open(&h, false), 0);
	struct test_log tl;
	test_log_capture(&tl);
	h.now = h.dt.timer.deadline;
	daemon_tunnel_on_timeout(&h.dt, h.now);
	test_log_release();
	assert_int_equal(h.events[TUNNEL_EVENT_CLOSED], 1);
	assert_int_equal(h.dt.state, DAEMON_TUNNEL_CLOSED);
	assert_false(timer_armed(&h.dt.timer));   /* nothing more enters it */
	assert_int_equal(h.dt.ctrl.state, DAEMON_CTRL_DONE);
	assert_int_equal(h.dt.ctrl.watch.fd, -1);
	/* Ways in are refused quietly; packets are still taken. */
	daemon_tunnel_on_timeout(&h.dt, h.now + 100000);
	daemon_tunnel_close(&h.dt, "again", h.now);
	struct pkt *p = pkt_new(PKT_SIZE, PKT_HEADROOM);
	daemon_tunnel_send_ip(&h.dt, NULL, p, h.now);
	assert_int_equal(h.events[TUNNEL_EVENT_CLOSED], 1);
	dh_close(&h);
}

/* Every event reaches the one event function, in the engine's order. */
static enum tunnel_event_type seen[32];
static unsigned nseen;
static daemon_tunnel_event_fn harness_event;

static void recording_event(void *owner, struct daemon_tunnel *dt, const struct tunnel_event *ev)
{
	if (nseen < 32)
		seen[nseen++] = ev->type;
	harness_event(owner, dt, ev);
}

static void events_reach_the_one_event_function_in_order(void **state)
{
	(void)state;
	struct daemon_harness h;
	assert_int_equal(dh_open(&h, false), 0);
	nseen = 0;
	harness_event = h.dt.on_event;
	h.dt.on_event = recording_event;
	dh_client_sends(&h, capture_pptp_linux_sccrq, sizeof(capture_pptp_linux_sccrq));
	dh_client_sends(&h, capture_pptp_linux_ocrq, sizeof(capture_pptp_linux_ocrq));
	struct test_log tl;
	test_log_capture(&tl);
	daemon_tunnel_close(&h.dt, "test over", h.now);
	/* The orderly close waits for the peer; it lets TCP go instead. */
	close(h.tcp_peer);
	h.tcp_peer = -1;
	daemon_ctrl_pump(&h.dt.ctrl, LOOP_READ, h.now);
	daemon_tunnel_settle(&h.dt, h.now);
	test_log_release();
	const enum tunnel_event_type want[] = { TUNNEL_EVENT_CONTROL_UP, TUNNEL_EVENT_CALL_UP };
	assert_true(nseen >= 4);
	assert_int_equal(seen[0], want[0]);
	assert_int_equal(seen[1], want[1]);
	assert_int_equal(seen[nseen - 1], TUNNEL_EVENT_CLOSED);
	assert_int_equal(h.events[TUNNEL_EVENT_CALL_DOWN], 1);
	assert_int_equal(h.events[TUNNEL_EVENT_CLOSED], 1);
	dh_close(&h);
}

/* ---- stop signals ---- */

struct stopper {
	unsigned begins, ends, reloads;
	bool has_work;
};

static bool stopper_begin(void *ctx, int signo)
{
	struct stopper *s = ctx;
	(void)signo;
	s->begins++;
	return s->has_work;
}

static void stopper_end(void *ctx)
{
	struct stopper *s = ctx;
	s->ends++;
}

static void stopper_reload(void *ctx)
{
	struct stopper *s = ctx;
	s->reloads++;
}

static const struct daemon_shutdown_ops stopper_ops = { .begin = stopper_begin, .end = stopper_end,
							.reload = stopper_reload };

static void a_second_signal_ends_at_once(void **state)
{
	(void)state;
	struct loop loop;
	assert_int_equal(loop_init(&loop), 0);
	struct stopper st = { .has_work = true };
	struct daemon_shutdown sd;
	assert_int_equal(daemon_shutdown_init(&sd, &loop, "test", DAEMON_STOP_GRACE_MS, &stopper_ops, &st), 0);
	assert_false(daemon_shutdown_is_stopping(&sd));
	daemon_shutdown_signal(&sd, SIGTERM);
	assert_true(daemon_shutdown_is_stopping(&sd));
	assert_int_equal(st.begins, 1);
	assert_int_equal(st.ends, 0);
	assert_true(timer_armed(&sd.grace));
	daemon_shutdown_signal(&sd, SIGINT);
	assert_int_equal(st.begins, 1);
	assert_int_equal(st.ends, 1);
	assert_false(timer_armed(&sd.grace));
	daemon_shutdown_destroy(&sd);
	loop_destroy(&loop);
}

static void a_completed_close_disarms_the_grace_timer(void **state)
{
	(void)state;
	struct loop loop;
	assert_int_equal(loop_init(&loop), 0);
	struct stopper st = { .has_work = true };
	struct daemon_shutdown sd;
	assert_int_equal(daemon_shutdown_init(&sd, &loop, "test", DAEMON_STOP_GRACE_MS, &stopper_ops, &st), 0);
	daemon_shutdown_signal(&sd, SIGTERM);
	assert_true(timer_armed(&sd.grace));
	daemon_shutdown_closed(&sd); /* e.g. the client now waits for its --down hook */
	assert_false(timer_armed(&sd.grace));
	assert_int_equal(st.ends, 0);
	daemon_shutdown_signal(&sd, SIGTERM);
	assert_int_equal(st.ends, 1);
	daemon_shutdown_destroy(&sd);
	loop_destroy(&loop);
}

static void nothing_to_close_ends_at_once_and_sighup_reloads(void **state)
{
	(void)state;
	struct loop loop;
	assert_int_equal(loop_init(&loop), 0);
	struct stopper st = { .has_work = false };
	struct daemon_shutdown sd;
	assert_int_equal(daemon_shutdown_init(&sd, &loop, "test", DAEMON_STOP_GRACE_MS, &stopper_ops, &st), 0);
	/* Through the signalfd, as in the daemons. */
	assert_int_equal(kill(getpid(), SIGHUP), 0);
	assert_int_equal(loop_run_once(&loop, 1000), 0);
	assert_int_equal(st.reloads, 1);
	assert_int_equal(kill(getpid(), SIGTERM), 0);
	assert_int_equal(loop_run_once(&loop, 1000), 0);
	assert_int_equal(st.begins, 1);
	assert_int_equal(st.ends, 1);
	assert_false(timer_armed(&sd.grace));
	daemon_shutdown_destroy(&sd);
	loop_destroy(&loop);
}

static void the_grace_period_ends_a_close_that_hangs(void **state)
{
	(void)state;
	struct loop loop;
	assert_int_equal(loop_init(&loop), 0);
	struct stopper st = { .has_work = true };
	struct daemon_shutdown sd;
	assert_int_equal(daemon_shutdown_init(&sd, &loop, "test", 20, &stopper_ops, &st), 0);
	daemon_shutdown_signal(&sd, SIGTERM);
	struct test_log tl;
	test_log_capture(&tl);
	for (int i = 0; i < 100 && !st.ends; i++)
		assert_int_equal(loop_run_once(&loop, -1), 0); /* wakes for the grace timer */
	test_log_release();
	assert_int_equal(st.ends, 1);
	assert_non_null(strstr(tl.last, "did not close"));
	daemon_shutdown_destroy(&sd);
	loop_destroy(&loop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_timer_follows_the_engine_after_every_way_in),
		cmocka_unit_test(a_setup_that_never_comes_closes_the_tunnel),
		cmocka_unit_test(events_reach_the_one_event_function_in_order),
		cmocka_unit_test(a_second_signal_ends_at_once),
		cmocka_unit_test(a_completed_close_disarms_the_grace_timer),
		cmocka_unit_test(nothing_to_close_ends_at_once_and_sighup_reloads),
		cmocka_unit_test(the_grace_period_ends_a_close_that_hangs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
