#include "sys/script.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "base/error.h"

int sys_run_script(const char *path, char *const env[], unsigned timeout_s)
{
	pid_t pid = fork();
	if (pid < 0)
		return ERR_IO;
	if (pid == 0) {
		sigset_t all;
		sigemptyset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
		char *const argv[] = { (char *)path, NULL };
		execve(path, argv, env);
		_exit(127);
	}
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		int status;
		pid_t done = waitpid(pid, &status, WNOHANG);
		if (done == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
		if (done < 0 && errno != EINTR)
			return ERR_IO;
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((unsigned)(now.tv_sec - start.tv_sec) >= timeout_s) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return ERR_TIMEOUT;
		}
		usleep(20000);
	}
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
