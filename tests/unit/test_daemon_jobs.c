/* src/daemon/daemon_jobs (the client's --up/--down hooks and resolvconf):
 * programs run by execve without blocking the loop, one at a time in
 * order, with their environment and stdin; a job that overruns its timeout
 * is killed by PID; abort kills the running one. Uses /bin/sh as the
 * program (absolute path, no shell in between: sh is the program). */
#include "support/test_support.h"

#include <signal.h>
#include <string.h>
#include <time.h>

#include "base/error.h"
#include "daemon/daemon_jobs.h"

struct record {
	int status[8];
	int order[8];
	unsigned n;
};

struct tagged {
	struct record *r;
	int tag;
};

static void recorded(void *ctx, int status)
{
	struct tagged *t = ctx;
	if (t->r->n < 8) {
		t->r->status[t->r->n] = status;
		t->r->order[t->r->n] = t->tag;
		t->r->n++;
	}
}

static void sh_job(struct daemon_job *job, const char *script, unsigned timeout_s, struct tagged *t)
{
	daemon_job_init(job, script, "/bin/sh", timeout_s);
	assert_int_equal(daemon_job_arg(job, "-c"), 0);
	assert_int_equal(daemon_job_arg(job, script), 0);
	job->done = recorded;
	job->done_ctx = t;
}

static uint64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void jobs_run_in_order_with_env_and_stdin(void **state)
{
	(void)state;
	struct loop loop;
	assert_int_equal(loop_init(&loop), 0);
	struct daemon_jobs jobs;
	daemon_jobs_init(&jobs, &loop);
	struct record r = { .n = 0 };
	struct tagged t1 = { &r, 1 }, t2 = { &r, 2 }, t3 = { &r, 3 };
	struct daemon_job job;
	sh_job(&job, "test \"$IFNAME\" = ptun9 && exit 3", 10, &t1);
	assert_int_equal(daemon_job_env(&job, "IFNAME", "ptun9"), 0);
	assert_int_equal(daemon_jobs_add(&jobs, &job), 0);
	sh_job(&job, "read line; test \"$line\" = 'nameserver 203.0.113.53'", 10, &t2);
	assert_int_equal(daemon_job_stdin(&job, "nameserver 203.0.113.53\n", 24), 0);
	assert_int_equal(daemon_jobs_add(&jobs, &job), 0);
	daemon_job_init(&job, "missing", "/nonexistent/hook", 10);
	job.done = recorded;
	job.done_ctx = &t3;
	assert_int_equal(daemon_jobs_add(&jobs, &job), 0);
	/* Added, not run yet: the caller was not blocked. */
	assert_true(daemon_jobs_busy(&jobs));
	assert_int_equal(r.n, 0);
	struct test_log tl;
	test_log_capture(&tl);
	daemon_jobs_drain(&jobs);
	test_log_release();
	assert_false(daemon_jobs_busy(&jobs));
	assert_int_equal(r.n, 3);
	assert_int_equal(r.order[0], 1);
	assert_int_equal(r.status[0], 3);
	assert_int_equal(r.order[1], 2);
	assert_int_equal(r.status[1], 0);
	assert_int_equal(r.order[2], 3);
	assert_int_equal(r.status[2], 127); /* execve failed in the child */
	daemon_jobs_destroy(&jobs);
	loop_free(&loop);
}

/* The loop keeps running other work while a hook runs. */
static unsigned ticks;

static void tick(struct loop *loop, struct loop_timer *t, void *ctx)
{
	(void)ctx;
	ticks++;
	loop_timer_set(loop, t, sys_now_ms() + 10);
}

static void a_hook_that_overruns_is_killed_and_never_blocks_the_loop(void **state)
{
	(void)state;
	struct loop loop;
	assert_int_equal(loop_init(&loop), 0);
	struct daemon_jobs jobs;
	daemon_jobs_init(&jobs, &loop);
	struct record r = { .n = 0 };
	struct tagged t = { &r, 1 };
	struct daemon_job job;
	sh_job(&job, "exec sleep 30", 1, &t);
	uint64_t start = mono_ms();
	assert_int_equal(daemon_jobs_add(&jobs, &job), 0);
	assert_true(mono_ms() - start < 1000);
	struct loop_timer timer;
	loop_timer_init(&timer, tick, NULL);
	ticks = 0;
	loop_timer_set(&loop, &timer, sys_now_ms() + 10);
	struct test_log tl;
	test_log_capture(&tl);
	daemon_jobs_drain(&jobs);
	test_log_release();
	uint64_t took = mono_ms() - start;
	assert_int_equal(r.n, 1);
	assert_int_equal(r.status[0], ERR_TIMEOUT);
	assert_true(took >= 1000 && took < 10000);
	assert_true(ticks >= 10); /* the loop ran its timers all along */
	assert_non_null(strstr(tl.last, "did not finish in 1 s: killed"));
	loop_timer_cancel(&loop, &timer);
	daemon_jobs_destroy(&jobs);
	loop_free(&loop);
}

static void abort_kills_the_running_job_and_forgets_the_rest(void **state)
{
	(void)state;
	struct loop loop;
	assert_int_equal(loop_init(&loop), 0);
	struct daemon_jobs jobs;
	daemon_jobs_init(&jobs, &loop);
	struct record r = { .n = 0 };
	struct tagged t = { &r, 1 };
	struct daemon_job job;
	sh_job(&job, "exec sleep 30", 30, &t);
	assert_int_equal(daemon_jobs_add(&jobs, &job), 0);
	assert_int_equal(daemon_jobs_add(&jobs, &job), 0);
	int pid = jobs.pid;
	assert_true(pid > 0);
	uint64_t start = mono_ms();
	struct test_log tl;
	test_log_capture(&tl);
	daemon_jobs_abort(&jobs);
	test_log_release();
	assert_true(mono_ms() - start < 5000);
	assert_false(daemon_jobs_busy(&jobs));
	assert_int_equal(r.n, 0);
	assert_int_equal(kill(pid, 0), -1); /* reaped: no such process */
	daemon_jobs_destroy(&jobs);
	loop_free(&loop);
}

static void jobs_that_do_not_fit_are_refused(void **state)
{
	(void)state;
	struct daemon_job job;
	daemon_job_init(&job, "x", "/bin/true", 1);
	for (int i = 1; i < DAEMON_JOB_ARGS; i++)
		assert_int_equal(daemon_job_arg(&job, "a"), 0);
	assert_int_equal(daemon_job_arg(&job, "one too many"), ERR_LIMIT);
	char big[DAEMON_JOB_STRING + 1];
	memset(big, 'v', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(daemon_job_env(&job, "K", big), ERR_LIMIT);
	assert_int_equal(daemon_job_stdin(&job, big, DAEMON_JOB_STDIN + 1), ERR_LIMIT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(jobs_run_in_order_with_env_and_stdin),
		cmocka_unit_test(a_hook_that_overruns_is_killed_and_never_blocks_the_loop),
		cmocka_unit_test(abort_kills_the_running_job_and_forgets_the_rest),
		cmocka_unit_test(jobs_that_do_not_fit_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
