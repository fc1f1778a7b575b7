/* SPDX-License-Identifier: BSD-2-Clause */
/* Running a program from the helper with sys/script.h's primitives (execve,
 * no shell; a pidfd to wait on): the helper serves one request at a time,
 * so waiting here delays only later requests, never the main process (which
 * gets the answer as an event). */
#include "privsep/helper_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include "base/error.h"
#include "base/log.h"
#include "sys/loop.h"
#include "sys/script.h"

static int kill_child(int pid, int *status)
{
	(void)sys_child_kill(pid);
	return sys_child_wait(pid, status);
}

/* Until the child exits, the deadline passes, or abort_fd's peer hangs up
 * (the main process is gone: nobody waits for this program any more). */
static int wait_child(int pid, unsigned timeout_s, int abort_fd, const char *what, int *status)
{
	uint64_t deadline = sys_now_ms() + (uint64_t)timeout_s * 1000u;
	int pidfd = sys_child_fd(pid);
	int rc;
	for (;;) {
		rc = sys_child_reap(pid, status);
		if (rc != 0)
			break;
		uint64_t now = sys_now_ms();
		if (now >= deadline) {
			log_msg(LOG_LEVEL_WARN, HELPER_TAG, "%s: still running after %u s: stopped: killed", what, timeout_s);
			(void)kill_child(pid, status);
			rc = ERR_TIMEOUT;
			break;
		}
		/* POLLRDHUP alone: queued requests do not wake us, a hang-up does. */
		struct pollfd p[2] = { { .fd = pidfd, .events = POLLIN }, { .fd = abort_fd, .events = POLLRDHUP } };
		int wait_ms = pidfd >= 0 ? (int)(deadline - now) : 20; /* no pidfd (before 5.3): look again soon */
		int n = poll(p, 2, wait_ms);
		if (n > 0 && (p[1].revents & (POLLRDHUP | POLLHUP | POLLERR))) {
			log_msg(LOG_LEVEL_WARN, HELPER_TAG, "%s stopped: killed (the daemon is exiting)", what);
			(void)kill_child(pid, status);
			rc = ERR_CLOSED;
			break;
		}
	}
	if (pidfd >= 0)
		close(pidfd);
	return rc < 0 ? rc : 0;
}

int helper_spawn_wait(const char *what, const char *path, char *const argv[], char *const env[], const char *input,
		      size_t input_len, unsigned timeout_s, int abort_fd)
{
	int in = input ? sys_pipe_with_text(input, input_len) : open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return in;
	int pid = sys_spawn(path, argv, env, in);
	close(in);
	if (pid < 0)
		return pid;
	int status = 0;
	int rc = wait_child(pid, timeout_s, abort_fd, what, &status);
	return rc < 0 ? rc : status;
}
