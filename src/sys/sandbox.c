/* SPDX-License-Identifier: BSD-2-Clause */
/* seccomp allow-lists for the unprivileged main process (sys/sandbox.h).
 *
 * Each entry is a call the daemons really make after the drop: the epoll
 * loop and its signalfd, the sockets already open (TCP, raw GRE, the
 * control socket, the privsep socketpair), the TUN (read/write), malloc,
 * the clock, getrandom, stderr logging, reaping the helper at exit, and
 * what abort() needs. Nothing opens a path, execs, or creates a socket
 * (except the client's TCP connect per attempt). mmap and mprotect may not
 * ask for PROT_EXEC. */
#include "sys/sandbox.h"

#include <errno.h>
#include <seccomp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/error.h"
#include "base/log.h"

#define TAG "sandbox"

static const int allowed_common[] = {
	/* I/O on descriptors opened before the drop */
	SCMP_SYS(read),
	SCMP_SYS(write),
	SCMP_SYS(readv),
	SCMP_SYS(writev),
	SCMP_SYS(close),
	SCMP_SYS(lseek),
	SCMP_SYS(fstat),
	SCMP_SYS(newfstatat),
	SCMP_SYS(fcntl),
	/* counting our descriptors in /proc/self/fd, opened before the drop
	 * (sys/proc_self.h: the metrics' process_open_fds) */
	SCMP_SYS(getdents64),
	/* the event loop */
	SCMP_SYS(epoll_wait),
	SCMP_SYS(epoll_pwait),
	SCMP_SYS(epoll_ctl),
	SCMP_SYS(epoll_create1),
	SCMP_SYS(poll),
	SCMP_SYS(ppoll),
	SCMP_SYS(signalfd4),
	SCMP_SYS(rt_sigprocmask),
	SCMP_SYS(rt_sigaction),
	SCMP_SYS(rt_sigreturn),
	/* sockets: TCP, raw GRE, control socket, privsep socketpair */
	SCMP_SYS(recvfrom),
	SCMP_SYS(sendto),
	SCMP_SYS(recvmsg),
	SCMP_SYS(sendmsg),
	SCMP_SYS(recvmmsg),
	SCMP_SYS(sendmmsg),
	SCMP_SYS(accept4),
	SCMP_SYS(getsockname),
	SCMP_SYS(getpeername),
	SCMP_SYS(setsockopt),
	SCMP_SYS(getsockopt),
	SCMP_SYS(shutdown),
	/* memory (mmap/mprotect below, without PROT_EXEC) */
	SCMP_SYS(brk),
	SCMP_SYS(munmap),
	SCMP_SYS(mremap),
	SCMP_SYS(madvise),
	/* time and randomness */
	SCMP_SYS(clock_gettime),
	SCMP_SYS(gettimeofday),
	SCMP_SYS(clock_nanosleep),
	SCMP_SYS(nanosleep),
	SCMP_SYS(getrandom),
	/* the helper reaped at exit; abort() and the SIGSYS handler */
	SCMP_SYS(wait4),
	SCMP_SYS(getpid),
	SCMP_SYS(gettid),
	SCMP_SYS(tgkill),
	SCMP_SYS(futex),
	SCMP_SYS(restart_syscall),
	SCMP_SYS(exit),
	SCMP_SYS(exit_group),
};

/* What the sanitizer runtimes make on their own: shadow memory, their
 * alternate signal stack, reading /proc/self/maps for a report, and
 * LeakSanitizer's tracer at exit (a clone that ptrace-attaches to us). */
static const int allowed_sanitizer[] = {
	SCMP_SYS(mmap),
	SCMP_SYS(mprotect),
	SCMP_SYS(sigaltstack),
	SCMP_SYS(openat),
	SCMP_SYS(readlink),
	SCMP_SYS(readlinkat),
	SCMP_SYS(getdents64),
	SCMP_SYS(prctl),
	SCMP_SYS(clone),
	SCMP_SYS(clone3),
	SCMP_SYS(ptrace),
	SCMP_SYS(sched_yield),
	SCMP_SYS(sched_getaffinity),
	SCMP_SYS(prlimit64),
	SCMP_SYS(getrlimit),
	SCMP_SYS(uname),
	SCMP_SYS(pipe2),
	SCMP_SYS(dup),
	SCMP_SYS(dup2),
	SCMP_SYS(dup3),
	SCMP_SYS(kill),
	SCMP_SYS(getppid),
	SCMP_SYS(mincore),
	SCMP_SYS(waitid),
	SCMP_SYS(rt_sigtimedwait),
	SCMP_SYS(setrlimit),
	SCMP_SYS(statfs),
	SCMP_SYS(access),
	SCMP_SYS(getuid),
	SCMP_SYS(geteuid),
	SCMP_SYS(unshare),
	SCMP_SYS(set_robust_list),
	SCMP_SYS(rseq),
	/* the runtime's own syscall layer uses the legacy x86-64 calls */
	SCMP_SYS(open),
	SCMP_SYS(stat),
	SCMP_SYS(lstat),
	SCMP_SYS(getdents),
	SCMP_SYS(pipe),
	SCMP_SYS(arch_prctl),
};

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_UNDEFINED__)
#define SANDBOX_SANITIZERS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(undefined_behavior_sanitizer)
#define SANDBOX_SANITIZERS 1
#endif
#endif
#ifndef SANDBOX_SANITIZERS
#define SANDBOX_SANITIZERS 0
#endif

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define NAME_MAX_NR 512
#define NAME_SIZE 24

/* Names resolved before the filter goes in: the SIGSYS handler may only
 * use async-signal-safe calls, and libseccomp's resolver allocates. */
static char syscall_names[NAME_MAX_NR][NAME_SIZE];

static size_t append(char *buf, size_t at, size_t cap, const char *s)
{
	while (*s && at + 1 < cap)
		buf[at++] = *s++;
	return at;
}

static size_t append_uint(char *buf, size_t at, size_t cap, unsigned v)
{
	char digits[12];
	size_t n = 0;
	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v && n < sizeof(digits));
	while (n && at + 1 < cap)
		buf[at++] = digits[--n];
	return at;
}

static void on_sigsys(int signo, siginfo_t *info, void *uctx)
{
	(void)uctx;
	int nr = info->si_syscall;
	char line[160];
	size_t n = append(line, 0, sizeof(line), "openpptp: error: [" TAG "] system call ");
	n = append(line, n, sizeof(line),
		   nr >= 0 && nr < NAME_MAX_NR && syscall_names[nr][0] ? syscall_names[nr] : "unknown");
	n = append(line, n, sizeof(line), " (");
	n = append_uint(line, n, sizeof(line), (unsigned)nr);
	n = append(line, n, sizeof(line), ") denied: exiting\n");
	ssize_t ignored = write(STDERR_FILENO, line, n);
	(void)ignored;
	/* SA_RESETHAND made the action the default: die of this signal, so
	 * the parent or service manager sees SIGSYS as the cause. */
	syscall(SYS_tgkill, getpid(), (pid_t)syscall(SYS_gettid), signo);
}

static void resolve_names(void)
{
	for (int nr = 0; nr < NAME_MAX_NR; nr++) {
		char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
		if (name) {
			strncpy(syscall_names[nr], name, NAME_SIZE - 1);
			free(name);
		}
	}
}

static int add_list(scmp_filter_ctx ctx, const int *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, list[i], 0);
		if (rc < 0 && rc != -EEXIST)
			return rc;
	}
	return 0;
}

static int add_rules(scmp_filter_ctx ctx, enum sandbox_profile profile)
{
	int rc = add_list(ctx, allowed_common, COUNT(allowed_common));
	if (rc == 0 && SANDBOX_SANITIZERS)
		rc = add_list(ctx, allowed_sanitizer, COUNT(allowed_sanitizer));
	if (rc == 0 && !SANDBOX_SANITIZERS) {
		/* Memory, never executable. */
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
		if (rc == 0)
			rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1,
					      SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	}
	if (rc == 0 && profile == SANDBOX_CLIENT) {
		/* One TCP connection to the server per attempt. */
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_EQ, AF_INET));
		if (rc == 0)
			rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(connect), 0);
	}
	return rc;
}

static bool listed(const int *list, size_t n, int nr)
{
	for (size_t i = 0; i < n; i++)
		if (list[i] == nr)
			return true;
	return false;
}

size_t sys_sandbox_allowed_count(enum sandbox_profile profile)
{
	size_t n = COUNT(allowed_common);
	if (SANDBOX_SANITIZERS) {
		for (size_t i = 0; i < COUNT(allowed_sanitizer); i++)
			if (!listed(allowed_common, COUNT(allowed_common), allowed_sanitizer[i]))
				n++;
	} else {
		n += 2; /* mmap, mprotect without PROT_EXEC */
	}
	return n + (profile == SANDBOX_CLIENT ? 2 : 0);
}

int sys_sandbox_enter(enum sandbox_profile profile)
{
	resolve_names();
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSYS, &sa, NULL) < 0)
		return ERR_IO;
	sigset_t sys;
	sigemptyset(&sys);
	sigaddset(&sys, SIGSYS);
	sigprocmask(SIG_UNBLOCK, &sys, NULL);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		log_msg(LOG_LEVEL_ERROR, TAG, "NO_NEW_PRIVS: %s", strerror(errno));
		return ERR_IO;
	}
	/* LeakSanitizer's tracer ptrace-attaches to us at exit, which a
	 * process made non-dumpable by its uid change refuses: sanitizer
	 * builds only. */
	if (SANDBOX_SANITIZERS)
		prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_TRAP);
	if (!ctx)
		return ERR_NOMEM;
	int rc = add_rules(ctx, profile);
	if (rc == 0)
		rc = seccomp_load(ctx);
	seccomp_release(ctx);
	if (rc < 0) {
		log_msg(LOG_LEVEL_ERROR, TAG, "cannot install the seccomp filter: %s", strerror(-rc));
		return ERR_IO;
	}
	return 0;
}
