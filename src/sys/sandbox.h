/* SPDX-License-Identifier: BSD-2-Clause */
/* The main process's seccomp allow-list (libseccomp). Named sandbox.h, not
 * seccomp.h, so it never shadows the library's header.
 *
 * After privsep_drop the process that parses the network may make only the
 * system calls listed in sandbox.c for its role; any other kills it: a
 * SIGSYS handler writes one line naming the call ("openpptp: error:
 * [sandbox] system call chroot (161) denied: exiting") with write(2), then
 * the process dies of SIGSYS. Sanitizer builds (ASan/UBSan/LSan) allow the
 * extra calls their runtime makes, listed apart. */
#ifndef OPENPPTP_SYS_SANDBOX_H
#define OPENPPTP_SYS_SANDBOX_H

#include <stddef.h>

enum sandbox_profile {
	SANDBOX_SERVER,
	SANDBOX_CLIENT, /* + socket(AF_INET) and connect: a TCP connect per attempt */
};

/* Install the filter (needs NO_NEW_PRIVS or CAP_SYS_ADMIN; sets
 * NO_NEW_PRIVS itself). 0 or a negative error (logged). */
int sys_sandbox_enter(enum sandbox_profile profile);

/* How many system calls the profile allows (for the startup line and docs). */
size_t sys_sandbox_allowed_count(enum sandbox_profile profile);

#endif
