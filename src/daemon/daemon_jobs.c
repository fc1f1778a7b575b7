#include "daemon/daemon_jobs.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/error.h"
#include "base/log.h"
#include "sys/script.h"

#define JOBS_TAG "jobs"
#define JOBS_POLL_MS 50u

void daemon_job_init(struct daemon_job *job, const char *what, const char *path, unsigned timeout_s)
{
	memset(job, 0, sizeof(*job));
	snprintf(job->what, sizeof(job->what), "%s", what);
	snprintf(job->argv[0], sizeof(job->argv[0]), "%s", path);
	job->argc = 1;
	job->timeout_s = timeout_s;
}

int daemon_job_arg(struct daemon_job *job, const char *arg)
{
	if (job->argc == DAEMON_JOB_ARGS || strlen(arg) >= DAEMON_JOB_STRING)
		return ERR_LIMIT;
	memcpy(job->argv[job->argc++], arg, strlen(arg) + 1);
	return 0;
}

int daemon_job_env(struct daemon_job *job, const char *key, const char *value)
{
	if (job->envc == DAEMON_JOB_ENV)
		return ERR_LIMIT;
	int n = snprintf(job->env[job->envc], DAEMON_JOB_STRING, "%s=%s", key, value);
	if (n < 0 || n >= DAEMON_JOB_STRING)
		return ERR_LIMIT;
	job->envc++;
	return 0;
}

int daemon_job_stdin(struct daemon_job *job, const char *text, size_t len)
{
	if (len > sizeof(job->stdin_text))
		return ERR_LIMIT;
	memcpy(job->stdin_text, text, len);
	job->stdin_len = len;
	return 0;
}

static void jobs_start_next(struct daemon_jobs *jobs);

/* The job at the head is over: log, tell its owner, start the next. */
static void jobs_finish(struct daemon_jobs *jobs, int status)
{
	/* A copy: done may queue more jobs. */
	struct daemon_job job = jobs->queue[jobs->head];
	jobs->head = (jobs->head + 1) % DAEMON_JOBS_MAX;
	jobs->count--;
	jobs->state = DAEMON_JOBS_IDLE;
	jobs->pid = -1;
	if (status == ERR_TIMEOUT)
		log_msg(LOG_LEVEL_WARN, JOBS_TAG, "%s did not finish in %u s: killed", job.what, job.timeout_s);
	else if (status < 0)
		log_msg(LOG_LEVEL_WARN, JOBS_TAG, "%s could not be started: %s", job.what, error_name(status));
	else if (status != 0)
		log_msg(LOG_LEVEL_WARN, JOBS_TAG, "%s exited with %d", job.what, status);
	if (job.done)
		job.done(job.done_ctx, status);
	jobs_start_next(jobs);
}

/* Stop watching for the child's end. */
static void jobs_unwatch_child(struct daemon_jobs *jobs)
{
	if (jobs->child_watch.fd >= 0) {
		int fd = jobs->child_watch.fd;
		loop_fd_remove(jobs->loop, &jobs->child_watch);
		close(fd);
	}
	loop_timer_cancel(jobs->loop, &jobs->poll);
	loop_timer_cancel(jobs->loop, &jobs->deadline);
}

/* The child may have ended: reap it if so. */
static void jobs_check_child(struct daemon_jobs *jobs)
{
	int status = 0;
	int rc = sys_child_reap(jobs->pid, &status);
	if (rc == 0) {
		if (jobs->child_watch.fd < 0)
			(void)loop_timer_set(jobs->loop, &jobs->poll, sys_now_ms() + JOBS_POLL_MS);
		return;
	}
	jobs_unwatch_child(jobs);
	jobs_finish(jobs, jobs->state == DAEMON_JOBS_KILLED ? ERR_TIMEOUT : rc < 0 ? rc : status);
}

static void on_child_fd(struct loop *loop, struct loop_fd *w, uint32_t events, void *ctx)
{
	(void)loop;
	(void)w;
	(void)events;
	jobs_check_child(ctx);
}

static void on_poll(struct loop *loop, struct loop_timer *t, void *ctx)
{
	(void)loop;
	(void)t;
	jobs_check_child(ctx);
}

static void on_deadline(struct loop *loop, struct loop_timer *t, void *ctx)
{
	struct daemon_jobs *jobs = ctx;
	(void)loop;
	(void)t;
	if (jobs->state != DAEMON_JOBS_RUNNING)
		return;
	jobs->state = DAEMON_JOBS_KILLED;
	(void)sys_child_kill(jobs->pid);
	/* Its end is reaped like any other (the pidfd becomes readable). */
}

static int jobs_spawn(struct daemon_jobs *jobs, struct daemon_job *job)
{
	char *argv[DAEMON_JOB_ARGS + 1] = { 0 };
	char *env[DAEMON_JOB_ENV + 1] = { 0 };
	if (job->argc == 0 || job->argc > DAEMON_JOB_ARGS || job->envc > DAEMON_JOB_ENV)
		return ERR_INVALID;
	for (size_t i = 0; i < job->argc; i++)
		argv[i] = job->argv[i];
	argv[job->argc] = NULL;
	for (size_t i = 0; i < job->envc; i++)
		env[i] = job->env[i];
	env[job->envc] = NULL;
	int in = -1;
	if (job->stdin_len) {
		in = sys_pipe_with_text(job->stdin_text, job->stdin_len);
		if (in < 0)
			return in;
	}
	int pid = sys_spawn(argv[0], argv, env, in);
	if (in >= 0)
		close(in);
	if (pid < 0)
		return pid;
	jobs->pid = pid;
	jobs->state = DAEMON_JOBS_RUNNING;
	uint64_t now = sys_now_ms();
	int fd = sys_child_fd(pid);
	if (fd < 0 || loop_fd_add(jobs->loop, &jobs->child_watch, fd, LOOP_READ, on_child_fd, jobs) < 0) {
		if (fd >= 0)
			close(fd);
		(void)loop_timer_set(jobs->loop, &jobs->poll, now + JOBS_POLL_MS);
	}
	(void)loop_timer_set(jobs->loop, &jobs->deadline, now + (uint64_t)job->timeout_s * 1000u);
	log_msg(LOG_LEVEL_DEBUG, JOBS_TAG, "%s started (pid %d)", job->what, pid);
	return 0;
}

static void jobs_start_next(struct daemon_jobs *jobs)
{
	while (jobs->state == DAEMON_JOBS_IDLE && jobs->count > 0) {
		int rc = jobs_spawn(jobs, &jobs->queue[jobs->head]);
		if (rc < 0)
			jobs_finish(jobs, rc); /* recurses into the next one */
		else
			return;
	}
}

void daemon_jobs_init(struct daemon_jobs *jobs, struct loop *loop)
{
	memset(jobs, 0, sizeof(*jobs));
	jobs->state = DAEMON_JOBS_IDLE;
	jobs->loop = loop;
	jobs->pid = -1;
	loop_fd_init(&jobs->child_watch);
	loop_timer_init(&jobs->deadline, on_deadline, jobs);
	loop_timer_init(&jobs->poll, on_poll, jobs);
}

int daemon_jobs_add(struct daemon_jobs *jobs, const struct daemon_job *job)
{
	if (jobs->count == DAEMON_JOBS_MAX) {
		log_msg(LOG_LEVEL_WARN, JOBS_TAG, "%s not run: %d jobs already waiting", job->what, DAEMON_JOBS_MAX);
		return ERR_LIMIT;
	}
	jobs->queue[(jobs->head + jobs->count) % DAEMON_JOBS_MAX] = *job;
	jobs->count++;
	jobs_start_next(jobs);
	return 0;
}

void daemon_jobs_drain(struct daemon_jobs *jobs)
{
	while (daemon_jobs_busy(jobs))
		if (loop_run_once(jobs->loop, -1) < 0) {
			daemon_jobs_abort(jobs);
			return;
		}
}

void daemon_jobs_abort(struct daemon_jobs *jobs)
{
	if (jobs->state != DAEMON_JOBS_IDLE) {
		int status;
		log_msg(LOG_LEVEL_WARN, JOBS_TAG, "%s stopped: killed", jobs->queue[jobs->head].what);
		(void)sys_child_kill(jobs->pid);
		(void)sys_child_wait(jobs->pid, &status);
	}
	jobs_unwatch_child(jobs);
	jobs->state = DAEMON_JOBS_IDLE;
	jobs->pid = -1;
	jobs->head = 0;
	jobs->count = 0;
}

void daemon_jobs_destroy(struct daemon_jobs *jobs)
{
	daemon_jobs_abort(jobs);
}
