/* SPDX-License-Identifier: BSD-2-Clause */
#include "sys/script.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "base/error.h"

int sys_spawn(const char *path, char *const argv[], char *const env[], int stdin_fd)
{
	pid_t pid = fork();
	if (pid < 0)
		return ERR_IO;
	if (pid == 0) {
		/* Only async-signal-safe calls between fork and execve. */
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		/* The privileged helper ignores these (it ends with the daemon);
		 * a program starts with the defaults. */
		signal(SIGPIPE, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		if (stdin_fd >= 0 && dup2(stdin_fd, STDIN_FILENO) < 0)
			_exit(127);
		execve(path, argv, env);
		_exit(127);
	}
	return (int)pid;
}

int sys_child_fd(int pid)
{
	int fd = pidfd_open((pid_t)pid, 0);
	if (fd >= 0)
		return fd;
	return errno == ENOSYS ? ERR_UNSUPPORTED : ERR_IO;
}

static int child_wait(int pid, int *status, int flags)
{
	for (;;) {
		int st;
		pid_t done = waitpid((pid_t)pid, &st, flags);
		if (done == (pid_t)pid) {
			*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
			return 1;
		}
		if (done == 0)
			return 0;
		if (errno != EINTR)
			return ERR_IO;
	}
}

int sys_child_reap(int pid, int *status)
{
	return child_wait(pid, status, WNOHANG);
}

int sys_child_wait(int pid, int *status)
{
	int rc = child_wait(pid, status, 0);
	return rc == 1 ? 0 : rc < 0 ? rc : ERR_IO;
}

int sys_child_kill(int pid)
{
	return kill((pid_t)pid, SIGKILL) == 0 ? 0 : ERR_IO;
}

int sys_pipe_with_text(const char *text, size_t len)
{
	if (len > PIPE_BUF)
		return ERR_LIMIT;
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0)
		return ERR_IO;
	ssize_t n;
	do
		n = write(fds[1], text, len);
	while (n < 0 && errno == EINTR);
	close(fds[1]);
	if (n != (ssize_t)len) {
		close(fds[0]);
		return ERR_IO;
	}
	return fds[0];
}

int sys_read_password(const char *prompt, char *buf, size_t size)
{
	if (size == 0)
		return ERR_INVALID;
	struct termios old, quiet;
	int tty = isatty(STDIN_FILENO);
	if (tty) {
		fprintf(stderr, "%s", prompt);
		fflush(stderr);
		if (tcgetattr(STDIN_FILENO, &old) == 0) {
			quiet = old;
			quiet.c_lflag &= ~(tcflag_t)ECHO;
			tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
		} else {
			tty = 0;
		}
	}
	char *line = fgets(buf, (int)size, stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fprintf(stderr, "\n");
	}
	if (!line)
		return ERR_IO;
	size_t len = strcspn(buf, "\r\n");
	buf[len] = '\0';
	return (int)len;
}
