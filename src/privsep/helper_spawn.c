/* Running a program from the helper: fork, execve with a fixed environment,
 * wait with a deadline on a pidfd. The helper serves one request at a time,
 * so waiting here delays only later requests, never the main process (which
 * gets the answer as an event). */
#include "privsep/helper_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/error.h"
#include "base/log.h"
#include "sys/loop.h"

static void child_exec(const char *path, char *const argv[], char *const env[], int input_fd)
{
	/* Own process group, so a timeout can kill what the script started. */
	setpgid(0, 0);
	/* The helper ignores these; a program starts with the defaults. */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	int in = input_fd >= 0 ? input_fd : open("/dev/null", O_RDONLY);
	if (in >= 0 && in != STDIN_FILENO) {
		dup2(in, STDIN_FILENO);
		close(in);
	}
	close_range(3, ~0u, 0);
	execve(path, argv, env);
	_exit(127);
}

/* Until the child exits or the deadline passes. */
static int wait_child(pid_t pid, unsigned timeout_s, int *status)
{
	uint64_t deadline = sys_now_ms() + (uint64_t)timeout_s * 1000u;
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	for (;;) {
		pid_t done = waitpid(pid, status, WNOHANG);
		if (done == pid)
			break;
		if (done < 0 && errno != EINTR)
			return ERR_IO;
		uint64_t now = sys_now_ms();
		if (now >= deadline) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			waitpid(pid, status, 0);
			if (pidfd >= 0)
				close(pidfd);
			return ERR_TIMEOUT;
		}
		int wait_ms = (int)(deadline - now);
		if (pidfd >= 0) {
			struct pollfd p = { .fd = pidfd, .events = POLLIN };
			(void)poll(&p, 1, wait_ms);
		} else {
			/* Kernels before 5.3: no pidfd, look again soon. */
			struct timespec ts = { .tv_nsec = 20 * 1000 * 1000 };
			nanosleep(&ts, NULL);
		}
	}
	if (pidfd >= 0)
		close(pidfd);
	return 0;
}

int helper_spawn_wait(const char *path, char *const argv[], char *const env[], const char *input, size_t input_len,
		      unsigned timeout_s)
{
	int pipefd[2] = { -1, -1 };
	if (input && pipe2(pipefd, O_CLOEXEC) < 0)
		return ERR_IO;
	pid_t pid = fork();
	if (pid < 0) {
		if (input) {
			close(pipefd[0]);
			close(pipefd[1]);
		}
		return ERR_IO;
	}
	if (pid == 0)
		child_exec(path, argv, env, pipefd[0]);
	if (input) {
		close(pipefd[0]);
		/* Small (a resolv.conf), so it fits the pipe: no deadlock with a
		 * program that reads only after we close. */
		size_t done = 0;
		while (done < input_len) {
			ssize_t n = write(pipefd[1], input + done, input_len - done);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			done += (size_t)n;
		}
		close(pipefd[1]);
	}
	int status = 0;
	int rc = wait_child(pid, timeout_s, &status);
	if (rc < 0)
		return rc;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}
