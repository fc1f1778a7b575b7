/* External programs a daemon runs (--up/--down hooks, resolvconf), one at a
 * time in the order asked, without ever blocking the loop: the child is
 * started by execve (no shell), its exit is a readable pidfd in the loop,
 * and a timer kills it by PID when it overruns its timeout. Each job may
 * ask for a function to run when it is over, before the next one starts
 * (so "resolvconf, else write the file, then --up" keeps its order).
 *
 * Jobs are copied in: the caller's strings need not outlive the call. */
#ifndef OPENPPTP_DAEMON_DAEMON_JOBS_H
#define OPENPPTP_DAEMON_DAEMON_JOBS_H

#include <stdbool.h>
#include <stddef.h>

#include "sys/loop.h"

#define DAEMON_JOB_ARGS 4        /* argv[0] included */
#define DAEMON_JOB_ENV 8
#define DAEMON_JOB_STRING 256
#define DAEMON_JOB_STDIN 512     /* <= PIPE_BUF: written before the child starts */
#define DAEMON_JOBS_MAX 8

/* status: the program's exit status (128 + signal when one ended it),
 * ERR_TIMEOUT when it was killed, or another negative error when it could
 * not be started. */
typedef void (*daemon_job_done_fn)(void *ctx, int status);

struct daemon_job {
	char what[DAEMON_JOB_STRING];             /* for the log: "--up /etc/openpptp/up" */
	char argv[DAEMON_JOB_ARGS][DAEMON_JOB_STRING];
	size_t argc;                              /* argv[0] is the program's absolute path */
	char env[DAEMON_JOB_ENV][DAEMON_JOB_STRING];
	size_t envc;
	char stdin_text[DAEMON_JOB_STDIN];        /* the child's stdin when stdin_len > 0 */
	size_t stdin_len;
	unsigned timeout_s;
	daemon_job_done_fn done;                  /* may be NULL */
	void *done_ctx;
};

/* Building a job: each returns ERR_LIMIT when it does not fit. */
void daemon_job_init(struct daemon_job *job, const char *what, const char *path, unsigned timeout_s);
int daemon_job_arg(struct daemon_job *job, const char *arg);
int daemon_job_env(struct daemon_job *job, const char *key, const char *value);
int daemon_job_stdin(struct daemon_job *job, const char *text, size_t len);

enum daemon_jobs_state {
	DAEMON_JOBS_IDLE = 0,
	DAEMON_JOBS_RUNNING,       /* a child runs; its pidfd is watched */
	DAEMON_JOBS_KILLED,        /* it overran its timeout: SIGKILL sent, not yet reaped */
};

struct daemon_jobs {
	enum daemon_jobs_state state;
	struct loop *loop;
	struct daemon_job queue[DAEMON_JOBS_MAX];
	size_t head, count;        /* queue[head] is the running one when RUNNING */
	int pid;
	struct loop_fd child_watch;
	struct loop_timer deadline;    /* the job's timeout */
	struct loop_timer poll;        /* kernels without pidfd: look every 50 ms */
};

void daemon_jobs_init(struct daemon_jobs *jobs, struct loop *loop);
/* Queue a job (copied); it starts now when nothing runs. */
int daemon_jobs_add(struct daemon_jobs *jobs, const struct daemon_job *job);
static inline bool daemon_jobs_busy(const struct daemon_jobs *jobs)
{
	return jobs->state != DAEMON_JOBS_IDLE || jobs->count > 0;
}
/* Run the loop until every queued job is over (each bounded by its
 * timeout). For teardown, when nothing else needs the loop to return. */
void daemon_jobs_drain(struct daemon_jobs *jobs);
/* Kill the running job (by PID) and forget the queue; done functions of
 * jobs that never ran are not called. */
void daemon_jobs_abort(struct daemon_jobs *jobs);
void daemon_jobs_destroy(struct daemon_jobs *jobs);

#endif
