/* SPDX-License-Identifier: BSD-2-Clause */
/* src/daemon/daemon_ctrl: the TCP control pump on a socketpair — the read
 * budget per round, the output buffer and LOOP_WRITE, and the one loss
 * policy (EOF, overflow) reported once; then the same policy through a
 * tunnel: a peer that does not read its control connection is closed. */
#include "support/test_support.h"

#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../fuzz/daemon_harness.h"
#include "base/error.h"
#include "daemon/daemon_budget.h"
#include "daemon/daemon_ctrl.h"

struct pump {
	struct loop loop;
	struct daemon_ctrl c;
	int peer;
	size_t got;
	unsigned inputs, afters;
};

static void pump_input(void *ctx, const uint8_t *bytes, size_t len, uint64_t now_ms)
{
	(void)now_ms;
	struct pump *p = ctx;
	(void)bytes;
	p->inputs++;
	p->got += len;
}

static void pump_after(void *ctx, uint64_t now_ms)
{
	(void)now_ms;
	struct pump *p = ctx;
	p->afters++;
}

static const struct daemon_ctrl_ops pump_ops = { .input = pump_input, .after = pump_after };

static void pump_open(struct pump *p)
{
	memset(p, 0, sizeof(*p));
	assert_int_equal(loop_init(&p->loop), 0);
	int sv[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv), 0);
	daemon_ctrl_init(&p->c, &p->loop, &pump_ops, p, "test");
	assert_int_equal(p->c.state, DAEMON_CTRL_IDLE);
	assert_int_equal(daemon_ctrl_attach(&p->c, sv[0]), 0);
	assert_int_equal(p->c.state, DAEMON_CTRL_OPEN);
	p->peer = sv[1];
}

static void pump_close(struct pump *p)
{
	daemon_ctrl_close(&p->c);
	if (p->peer >= 0)
		close(p->peer);
	loop_destroy(&p->loop);
}

static void reads_stop_at_the_budget_and_resume_next_round(void **state)
{
	(void)state;
	struct pump p;
	pump_open(&p);
	static uint8_t chunk[DAEMON_CTRL_READ_SIZE];
	memset(chunk, 0x5a, sizeof(chunk));
	size_t rounds = DAEMON_CTRL_READS_PER_ROUND + 2;
	for (size_t i = 0; i < rounds; i++)
		assert_int_equal(write(p.peer, chunk, sizeof(chunk)), (ssize_t)sizeof(chunk));
	daemon_ctrl_pump(&p.c, LOOP_READ, 0);
	assert_int_equal(p.inputs, DAEMON_CTRL_READS_PER_ROUND);
	assert_int_equal(p.got, (size_t)DAEMON_CTRL_READS_PER_ROUND * DAEMON_CTRL_READ_SIZE);
	/* Level-triggered: the rest is there for the next round. */
	assert_int_equal(loop_run_once(&p.loop, 1000), 0);
	assert_int_equal(p.got, rounds * DAEMON_CTRL_READ_SIZE);
	assert_int_equal(p.afters, 1);
	assert_int_equal(p.c.state, DAEMON_CTRL_OPEN);
	pump_close(&p);
}

static void end_of_stream_is_a_loss_reported_once(void **state)
{
	(void)state;
	struct pump p;
	pump_open(&p);
	assert_int_equal(write(p.peer, "abc", 3), 3);
	close(p.peer);
	p.peer = -1;
	daemon_ctrl_pump(&p.c, LOOP_READ, 0);
	assert_int_equal(p.got, 3);
	assert_int_equal(p.c.state, DAEMON_CTRL_LOST);
	assert_int_equal(p.c.lost_error, ERR_CLOSED);
	assert_int_equal(p.c.watch.fd, -1); /* nothing more is read */
	assert_true(daemon_ctrl_take_loss(&p.c));
	assert_false(daemon_ctrl_take_loss(&p.c));
	assert_int_equal(p.c.state, DAEMON_CTRL_DONE);
	assert_int_equal(daemon_ctrl_write(&p.c, (const uint8_t *)"x", 1), ERR_STATE);
	pump_close(&p);
}

/* Fill the peer's socket and then our buffer: LOST with ERR_LIMIT. */
static size_t fill_until_lost(struct daemon_ctrl *c)
{
	static uint8_t chunk[1000];
	size_t written = 0;
	for (int i = 0; i < 100000 && c->state == DAEMON_CTRL_OPEN; i++)
		if (daemon_ctrl_write(c, chunk, sizeof(chunk)) == 0)
			written += sizeof(chunk);
	return written;
}

static void a_full_output_buffer_loses_the_connection(void **state)
{
	(void)state;
	struct pump p;
	pump_open(&p);
	struct test_log tl;
	test_log_capture(&tl);
	size_t written = fill_until_lost(&p.c);
	test_log_release();
	assert_int_equal(p.c.state, DAEMON_CTRL_LOST);
	assert_int_equal(p.c.lost_error, ERR_LIMIT);
	assert_true(p.c.out.len <= DAEMON_CTRL_OUTPUT_LIMIT);
	assert_true(p.c.out.len + 1000 > DAEMON_CTRL_OUTPUT_LIMIT);
	assert_true(written > DAEMON_CTRL_OUTPUT_LIMIT);
	assert_non_null(strstr(tl.last, "does not read its control connection"));
	pump_close(&p);
}

static void buffered_output_waits_for_writability(void **state)
{
	(void)state;
	struct pump p;
	pump_open(&p);
	static uint8_t chunk[1000];
	/* Until something is buffered (the socket is full). */
	for (int i = 0; i < 100000 && !tcp_out_pending(&p.c.out); i++)
		assert_int_equal(daemon_ctrl_write(&p.c, chunk, sizeof(chunk)), 0);
	assert_true(tcp_out_pending(&p.c.out));
	assert_int_equal(p.c.watch.events, LOOP_READ | LOOP_WRITE);
	/* The peer reads everything; the next writable round flushes. */
	uint8_t sink[65536];
	for (int i = 0; i < 100; i++) {
		while (read(p.peer, sink, sizeof(sink)) > 0)
			;
		daemon_ctrl_pump(&p.c, LOOP_WRITE, 0);
		if (!tcp_out_pending(&p.c.out))
			break;
	}
	assert_false(tcp_out_pending(&p.c.out));
	assert_int_equal(p.c.watch.events, LOOP_READ);
	assert_int_equal(p.c.state, DAEMON_CTRL_OPEN);
	pump_close(&p);
}

/* The policy through a tunnel: overflow (like EOF) closes it, once. */
static void a_tunnel_whose_peer_does_not_read_is_closed(void **state)
{
	(void)state;
	struct daemon_harness h;
	assert_int_equal(dh_open(&h, true), 0);
	assert_int_equal(h.events[TUNNEL_EVENT_CALL_UP], 1);
	struct test_log tl;
	test_log_capture(&tl);
	(void)fill_until_lost(&h.dt.ctrl);
	assert_int_equal(h.dt.ctrl.state, DAEMON_CTRL_LOST);
	assert_int_equal(h.events[TUNNEL_EVENT_CLOSED], 0);
	daemon_tunnel_settle(&h.dt, h.now);
	test_log_release();
	assert_int_equal(h.events[TUNNEL_EVENT_CLOSED], 1);
	assert_int_equal(h.dt.state, DAEMON_TUNNEL_CLOSED);
	assert_int_equal(h.dt.ctrl.state, DAEMON_CTRL_DONE);
	daemon_tunnel_settle(&h.dt, h.now);
	assert_int_equal(h.events[TUNNEL_EVENT_CLOSED], 1);
	dh_close(&h);
}

static void a_tunnel_whose_peer_hangs_up_is_closed(void **state)
{
	(void)state;
	struct daemon_harness h;
	assert_int_equal(dh_open(&h, true), 0);
	close(h.tcp_peer);
	h.tcp_peer = -1;
	struct test_log tl;
	test_log_capture(&tl);
	daemon_ctrl_pump(&h.dt.ctrl, LOOP_READ, h.now);
	daemon_tunnel_settle(&h.dt, h.now);
	test_log_release();
	assert_int_equal(h.events[TUNNEL_EVENT_CLOSED], 1);
	assert_int_equal(h.events[TUNNEL_EVENT_CALL_DOWN], 1);
	assert_null(h.call);
	dh_close(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_stop_at_the_budget_and_resume_next_round),
		cmocka_unit_test(end_of_stream_is_a_loss_reported_once),
		cmocka_unit_test(a_full_output_buffer_loses_the_connection),
		cmocka_unit_test(buffered_output_waits_for_writability),
		cmocka_unit_test(a_tunnel_whose_peer_does_not_read_is_closed),
		cmocka_unit_test(a_tunnel_whose_peer_hangs_up_is_closed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
