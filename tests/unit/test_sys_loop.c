/* SPDX-License-Identifier: BSD-2-Clause */
/* src/sys/loop with a pipe, timers, deferred callbacks and signals; plus
 * the small sys helpers (files, random). No root needed. */
#include "support/test_support.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/error.h"
#include "base/time.h"
#include "sys/loop.h"
#include "sys/sys_file.h"
#include "sys/sys_random.h"

struct pipe_ctx {
	int reads;
	char got[64];
	size_t got_len;
	int timer_fired;
	uint64_t fired_at[8];
	int deferred;
	int reloads;
	int stops;
};

static void on_pipe(struct loop *loop, struct loop_fd *w, uint32_t events, void *ctx)
{
	struct pipe_ctx *pc = ctx;
	assert_true(events & LOOP_READ);
	ssize_t n = read(w->fd, pc->got + pc->got_len, sizeof(pc->got) - pc->got_len);
	if (n > 0)
		pc->got_len += (size_t)n;
	pc->reads++;
	(void)loop;
}

static void on_timer(struct loop *loop, struct loop_timer *t, void *ctx)
{
	struct pipe_ctx *pc = ctx;
	(void)t;
	if (pc->timer_fired < 8)
		pc->fired_at[pc->timer_fired] = loop_now(loop);
	pc->timer_fired++;
}

static void stop_timer(struct loop *loop, struct loop_timer *t, void *ctx)
{
	(void)t;
	(void)ctx;
	loop_stop(loop);
}

static void pipe_readiness_and_timers(void **state)
{
	(void)state;
	struct loop loop;
	assert_int_equal(loop_init(&loop), 0);
	int fds[2];
	assert_int_equal(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
	struct pipe_ctx pc;
	memset(&pc, 0, sizeof(pc));
	struct loop_fd w;
	loop_fd_init(&w);
	loop_fd_remove(&loop, &w); /* never added: no-op */
	assert_int_equal(loop_fd_add(&loop, &w, fds[0], LOOP_READ, on_pipe, &pc), 0);
	assert_int_equal(write(fds[1], "hello", 5), 5);
	assert_int_equal(loop_run_once(&loop, 1000), 0);
	assert_int_equal(pc.reads, 1);
	assert_int_equal(pc.got_len, 5);
	assert_memory_equal(pc.got, "hello", 5);

	/* Paused watcher: no callback even with data waiting. */
	assert_int_equal(loop_fd_modify(&loop, &w, 0), 0);
	assert_int_equal(write(fds[1], "x", 1), 1);
	assert_int_equal(loop_run_once(&loop, 20), 0);
	assert_int_equal(pc.reads, 1);
	assert_int_equal(loop_fd_modify(&loop, &w, LOOP_READ), 0);
	assert_int_equal(loop_run_once(&loop, 1000), 0);
	assert_int_equal(pc.reads, 2);

	/* Timers fire in order and not early; a cancelled one never fires. */
	struct loop_timer a, b, c, stop;
	loop_timer_init(&a, on_timer, &pc);
	loop_timer_init(&b, on_timer, &pc);
	loop_timer_init(&c, on_timer, &pc);
	loop_timer_init(&stop, stop_timer, NULL);
	uint64_t start = sys_now_ms();
	assert_int_equal(loop_timer_set(&loop, &b, start + 40), 0);
	assert_int_equal(loop_timer_set(&loop, &a, start + 20), 0);
	assert_int_equal(loop_timer_set(&loop, &c, start + 30), 0);
	loop_timer_cancel(&loop, &c);
	assert_int_equal(loop_timer_set(&loop, &stop, start + 80), 0);
	assert_int_equal(loop_run(&loop), 0);
	assert_int_equal(pc.timer_fired, 2);
	assert_true(pc.fired_at[0] >= start + 20);
	assert_true(pc.fired_at[1] >= start + 40);
	assert_true(pc.fired_at[0] <= pc.fired_at[1]);
	assert_true(sys_now_ms() >= start + 80);

	/* DEADLINE_NONE disarms. */
	assert_int_equal(loop_timer_set(&loop, &a, start), 0);
	assert_int_equal(loop_timer_set(&loop, &a, DEADLINE_NONE), 0);
	assert_false(timer_armed(&a));

	loop_fd_remove(&loop, &w);
	close(fds[0]);
	close(fds[1]);
	loop_destroy(&loop);
}

/* Two watchers ready in one batch: the first removes the second, which must
 * then not be called. */
struct pair {
	struct loop_fd w[2];
	int calls[2];
};

static void on_pair(struct loop *loop, struct loop_fd *w, uint32_t events, void *ctx)
{
	struct pair *p = ctx;
	(void)events;
	int me = w == &p->w[0] ? 0 : 1;
	p->calls[me]++;
	loop_fd_remove(loop, &p->w[1 - me]);
	loop_fd_remove(loop, w);
}

static void removed_watcher_is_not_called_later_in_the_batch(void **state)
{
	(void)state;
	struct loop loop;
	assert_int_equal(loop_init(&loop), 0);
	int a[2], b[2];
	assert_int_equal(pipe2(a, O_NONBLOCK), 0);
	assert_int_equal(pipe2(b, O_NONBLOCK), 0);
	struct pair p;
	memset(&p, 0, sizeof(p));
	assert_int_equal(loop_fd_add(&loop, &p.w[0], a[0], LOOP_READ, on_pair, &p), 0);
	assert_int_equal(loop_fd_add(&loop, &p.w[1], b[0], LOOP_READ, on_pair, &p), 0);
	assert_int_equal(write(a[1], "1", 1), 1);
	assert_int_equal(write(b[1], "2", 1), 1);
	assert_int_equal(loop_run_once(&loop, 1000), 0);
	assert_int_equal(p.calls[0] + p.calls[1], 1);
	close(a[0]);
	close(a[1]);
	close(b[0]);
	close(b[1]);
	loop_destroy(&loop);
}

static void on_deferred(struct loop *loop, struct loop_deferred *d, void *ctx)
{
	struct pipe_ctx *pc = ctx;
	pc->deferred++;
	if (pc->deferred < 3)
		loop_defer(loop, d, on_deferred, ctx); /* runs next round, not now */
}

static void deferred_callbacks_run_once_per_round(void **state)
{
	(void)state;
	struct loop loop;
	assert_int_equal(loop_init(&loop), 0);
	struct pipe_ctx pc;
	memset(&pc, 0, sizeof(pc));
	struct loop_deferred d = { 0 }, cancelled = { 0 };
	loop_defer(&loop, &d, on_deferred, &pc);
	loop_defer(&loop, &d, on_deferred, &pc); /* already queued: no-op */
	loop_defer(&loop, &cancelled, on_deferred, &pc);
	loop_defer_cancel(&loop, &cancelled);
	uint64_t t0 = sys_now_ms();
	assert_int_equal(loop_run_once(&loop, 5000), 0); /* must not wait */
	assert_int_equal(pc.deferred, 1);
	assert_int_equal(loop_run_once(&loop, 5000), 0);
	assert_int_equal(loop_run_once(&loop, 5000), 0);
	assert_int_equal(pc.deferred, 3);
	assert_true(sys_now_ms() - t0 < 1000);
	loop_destroy(&loop);
}

struct cancel_ctx {
	struct loop_deferred a, b;
	int a_runs, b_runs;
};

static void cancel_other(struct loop *loop, struct loop_deferred *d, void *ctx)
{
	struct cancel_ctx *cc = ctx;
	(void)d;
	cc->a_runs++;
	loop_defer_cancel(loop, &cc->b);
}

static void count_b(struct loop *loop, struct loop_deferred *d, void *ctx)
{
	(void)loop;
	(void)d;
	((struct cancel_ctx *)ctx)->b_runs++;
}

static void deferred_can_cancel_another_in_the_same_round(void **state)
{
	(void)state;
	struct loop loop;
	assert_int_equal(loop_init(&loop), 0);
	struct cancel_ctx cc;
	memset(&cc, 0, sizeof(cc));
	loop_defer(&loop, &cc.a, cancel_other, &cc);
	loop_defer(&loop, &cc.b, count_b, &cc);
	assert_int_equal(loop_run_once(&loop, 0), 0);
	assert_int_equal(loop_run_once(&loop, 0), 0);
	assert_int_equal(cc.a_runs, 1);
	assert_int_equal(cc.b_runs, 0);
	assert_false(cc.b.queued);
	loop_destroy(&loop);
}

static void on_reload(struct loop *loop, int signo, void *ctx)
{
	(void)loop;
	assert_int_equal(signo, SIGHUP);
	((struct pipe_ctx *)ctx)->reloads++;
}

static void signals_reload_and_stop(void **state)
{
	(void)state;
	sigset_t old;
	sigprocmask(SIG_SETMASK, NULL, &old);
	struct loop loop;
	assert_int_equal(loop_init(&loop), 0);
	struct pipe_ctx pc;
	memset(&pc, 0, sizeof(pc));
	assert_int_equal(loop_signals(&loop, NULL, on_reload, &pc), 0);
	assert_int_equal(loop_signals(&loop, NULL, on_reload, &pc), ERR_STATE);
	assert_int_equal(raise(SIGPIPE), 0); /* ignored */
	assert_int_equal(raise(SIGHUP), 0);
	assert_int_equal(loop_run_once(&loop, 1000), 0);
	assert_int_equal(pc.reloads, 1);
	assert_int_equal(raise(SIGTERM), 0);
	assert_int_equal(loop_run(&loop), 0); /* returns because SIGTERM stops it */
	loop_destroy(&loop);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static void files_read_with_limit_and_write_atomically(void **state)
{
	(void)state;
	char dir[] = "/tmp/openpptp-test-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[128];
	snprintf(path, sizeof(path), "%s/secrets", dir);
	assert_int_equal(sys_write_file_atomic(path, "alice * pw\n", 11, 0600), 0);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	char *buf;
	size_t len;
	assert_int_equal(sys_read_file(path, 1024, &buf, &len), 0);
	assert_int_equal(len, 11);
	assert_string_equal(buf, "alice * pw\n");
	free(buf);
	assert_int_equal(sys_read_file(path, 10, &buf, &len), ERR_LIMIT);
	assert_null(buf);
	assert_int_equal(sys_write_file_atomic(path, "", 0, 0640), 0); /* replace */
	assert_int_equal(sys_read_file(path, 10, &buf, &len), 0);
	assert_int_equal(len, 0);
	free(buf);
	char missing[160];
	snprintf(missing, sizeof(missing), "%s/none", dir);
	assert_int_equal(sys_read_file(missing, 10, &buf, &len), ERR_NOT_FOUND);
	assert_int_equal(sys_read_file(dir, 10, &buf, &len), ERR_IO); /* a directory */
	unlink(path);
	rmdir(dir);
}

static void random_source_fills(void **state)
{
	(void)state;
	struct random_source rs = sys_random_source();
	uint8_t a[32] = { 0 }, b[32] = { 0 };
	random_fill(&rs, a, sizeof(a));
	random_fill(&rs, b, sizeof(b));
	assert_memory_not_equal(a, b, sizeof(a));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pipe_readiness_and_timers),
		cmocka_unit_test(removed_watcher_is_not_called_later_in_the_batch),
		cmocka_unit_test(deferred_callbacks_run_once_per_round),
		cmocka_unit_test(deferred_can_cancel_another_in_the_same_round),
		cmocka_unit_test(signals_reload_and_stop),
		cmocka_unit_test(files_read_with_limit_and_write_atomically),
		cmocka_unit_test(random_source_fills),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
