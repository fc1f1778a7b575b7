/* SPDX-License-Identifier: BSD-2-Clause */
/* The process's own CPU time, resident memory and open descriptors, for
 * the metrics (process_* in docs/metrics.md).
 *
 * After the privilege drop the main process may not open a path (seccomp,
 * sys/sandbox.c) and its /proc/self entries belong to root (a uid change
 * makes it non-dumpable), so /proc/self/statm and /proc/self/fd are opened
 * here, before the drop, and read again through those descriptors with
 * lseek + read / getdents64. CPU time comes from clock_gettime. */
#ifndef OPENPPTP_SYS_PROC_SELF_H
#define OPENPPTP_SYS_PROC_SELF_H

#include <stdbool.h>
#include <stdint.h>

struct proc_self {
	int statm_fd;        /* -1: not available */
	int fd_dir;          /* -1: not available */
	uint64_t max_fds;    /* RLIMIT_NOFILE soft limit, read at open */
	double start_time_s; /* wall clock at open, seconds since the epoch */
	long page_size;
};

/* Never fails: what cannot be opened is left out of the stats. */
void proc_self_open(struct proc_self *p);
void proc_self_close(struct proc_self *p);

struct proc_self_stats {
	double cpu_seconds;
	bool has_rss, has_fds;
	uint64_t rss_bytes;
	uint64_t open_fds;
};

void proc_self_read(const struct proc_self *p, struct proc_self_stats *out);

#endif
