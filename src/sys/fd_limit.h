/* SPDX-License-Identifier: BSD-2-Clause */
/* The process's descriptor limit (RLIMIT_NOFILE), raised to what the
 * configured limits need before any of them can be reached. */
#ifndef OPENPPTP_SYS_FD_LIMIT_H
#define OPENPPTP_SYS_FD_LIMIT_H

/* Make the soft limit at least `need`, raising the hard limit too when the
 * process may (root: CAP_SYS_RESOURCE, up to fs.nr_open). 0, or ERR_LIMIT
 * when it cannot; *soft and *hard are the limits in force afterwards. */
int fd_limit_ensure(unsigned long need, unsigned long *soft, unsigned long *hard);

#endif
