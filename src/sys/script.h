/* Run a hook script (--up/--down) with an environment, and read a password
 * without echo. */
#ifndef OPENPPTP_SYS_SCRIPT_H
#define OPENPPTP_SYS_SCRIPT_H

#include <stddef.h>

/* Run path with argv {path, NULL} and env (NULL-terminated "K=V" strings),
 * wait for it (at most timeout_s, then SIGKILL). Returns its exit status,
 * or a negative error. Signals blocked by the event loop are unblocked in
 * the child. */
int sys_run_script(const char *path, char *const env[], unsigned timeout_s);

/* Read one line (without the newline) into buf: from the terminal without
 * echo after printing prompt when stdin is a terminal, else from stdin.
 * Returns the length or a negative error. */
int sys_read_password(const char *prompt, char *buf, size_t size);

#endif
