/* SPDX-License-Identifier: BSD-2-Clause */
/* External programs (--up/--down hooks, resolvconf) started by execve, never
 * through a shell, and watched without blocking the event loop; and reading
 * a password without echo. */
#ifndef OPENPPTP_SYS_SCRIPT_H
#define OPENPPTP_SYS_SCRIPT_H

#include <stddef.h>

/* Start path with argv (argv[0] first, NULL-terminated) and env
 * (NULL-terminated "K=V" strings): fork + execve, no shell, no PATH search.
 * stdin_fd >= 0 becomes the child's standard input (the caller closes its
 * copy); -1 keeps ours. In the child the signals the event loop blocks are
 * unblocked and SIGPIPE, SIGINT, SIGTERM and SIGHUP get their default
 * actions back. Returns the pid or a negative error. */
int sys_spawn(const char *path, char *const argv[], char *const env[], int stdin_fd);

/* An fd that becomes readable when child `pid` exits (a pidfd, Linux 5.3):
 * watch it in the loop instead of blocking in waitpid. Negative error
 * (ERR_UNSUPPORTED on older kernels: poll sys_child_reap instead). */
int sys_child_fd(int pid);

/* Reap child `pid` without blocking: 1 and *status set (its exit status, or
 * 128 + the signal that ended it) when it has ended, 0 while it runs,
 * negative error. */
int sys_child_reap(int pid, int *status);

/* Wait for child `pid` to end (after sys_child_kill: at once). */
int sys_child_wait(int pid, int *status);

/* SIGKILL to child `pid` (by PID: the hook's own process). */
int sys_child_kill(int pid);

/* A pipe whose read end is meant for a child's stdin: writes `text` (at most
 * PIPE_BUF bytes, so it never blocks), closes the write end and returns the
 * read end (close-on-exec), or a negative error. */
int sys_pipe_with_text(const char *text, size_t len);

/* Read one line (without the newline) into buf: from the terminal without
 * echo after printing prompt when stdin is a terminal, else from stdin.
 * Returns the length or a negative error. */
int sys_read_password(const char *prompt, char *buf, size_t size);

#endif
