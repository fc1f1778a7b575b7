/* SPDX-License-Identifier: BSD-2-Clause */
/* The process's own resource figures (sys/proc_self.h). */
#include "sys/proc_self.h"

#include <fcntl.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

void proc_self_open(struct proc_self *p)
{
	memset(p, 0, sizeof(*p));
	p->statm_fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
	p->fd_dir = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0)
		p->max_fds = (uint64_t)rl.rlim_cur;
	struct timeval tv;
	gettimeofday(&tv, NULL);
	p->start_time_s = (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
	p->page_size = sysconf(_SC_PAGESIZE);
}

void proc_self_close(struct proc_self *p)
{
	if (p->statm_fd >= 0)
		close(p->statm_fd);
	if (p->fd_dir >= 0)
		close(p->fd_dir);
	p->statm_fd = p->fd_dir = -1;
}

/* statm: "size resident shared text lib data dt", in pages (proc(5)). */
static bool read_rss(const struct proc_self *p, uint64_t *out)
{
	char buf[128];
	if (p->statm_fd < 0 || lseek(p->statm_fd, 0, SEEK_SET) != 0)
		return false;
	ssize_t n = read(p->statm_fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	const char *s = strchr(buf, ' ');
	if (!s)
		return false;
	uint64_t pages = 0;
	bool digits = false;
	for (s++; *s >= '0' && *s <= '9'; s++, digits = true)
		pages = pages * 10 + (uint64_t)(*s - '0');
	if (!digits || p->page_size <= 0)
		return false;
	*out = pages * (uint64_t)p->page_size;
	return true;
}

/* Entries of /proc/self/fd but "." and "..": linux_dirent64 records. */
static bool count_fds(const struct proc_self *p, uint64_t *out)
{
	if (p->fd_dir < 0 || lseek(p->fd_dir, 0, SEEK_SET) != 0)
		return false;
	uint64_t count = 0;
	char buf[4096] __attribute__((aligned(8)));
	for (;;) {
		long n = syscall(SYS_getdents64, p->fd_dir, buf, sizeof(buf));
		if (n < 0)
			return false;
		if (n == 0)
			break;
		for (long at = 0; at + 19 < n;) {
			unsigned short reclen;
			memcpy(&reclen, buf + at + 16, sizeof(reclen)); /* d_ino 8, d_off 8, d_reclen 2, d_type 1, d_name */
			if (reclen == 0 || at + reclen > n)
				return false;
			const char *name = buf + at + 19;
			if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0)
				count++;
			at += reclen;
		}
	}
	*out = count; /* with the directory's own descriptor: it is one the process holds */
	return true;
}

void proc_self_read(const struct proc_self *p, struct proc_self_stats *out)
{
	memset(out, 0, sizeof(*out));
	struct timespec ts;
	if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) == 0)
		out->cpu_seconds = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	out->has_rss = read_rss(p, &out->rss_bytes);
	out->has_fds = count_fds(p, &out->open_fds);
}
