/* SPDX-License-Identifier: BSD-2-Clause */
/* The seccomp allow-list: a child installs it, shows that what the daemons
 * do still works, then makes a call that is not on the list and must die of
 * SIGSYS after one log line naming the call. */
#include "support/test_support.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sys/sandbox.h"

/* In the sandbox, before the forbidden call: the daemons' everyday calls. */
static void everyday_calls(void)
{
	void *big = malloc(4 << 20); /* mmap */
	memset(big, 1, 4 << 20);
	free(big);
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	uint8_t r[8];
	if (getrandom(r, sizeof(r), 0) != sizeof(r))
		_exit(2);
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == 0) /* not allowed: must not get here */
		_exit(3);
	(void)getpid();
}

enum forbidden {
	FORBID_CHROOT,
	FORBID_EXECVE,
	FORBID_MMAP_EXEC,
	FORBID_UNIX_SOCKET,
	FORBID_SOCKETPAIR_AFTER_EVERYDAY,
};

/* Runs the child; returns its stderr in out. */
static int run_child(enum sandbox_profile profile, enum forbidden what, char *out, size_t cap)
{
	int pipefd[2];
	assert_int_equal(pipe(pipefd), 0);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit no_core = { 0, 0 };
		setrlimit(RLIMIT_CORE, &no_core);
		dup2(pipefd[1], STDERR_FILENO);
		close(pipefd[0]);
		if (sys_sandbox_enter(profile) != 0)
			_exit(4);
		void *big = malloc(1 << 20);
		free(big);
		switch (what) {
		case FORBID_CHROOT:
			syscall(SYS_chroot, "/");
			break;
		case FORBID_EXECVE: {
			char *const argv[] = { "/bin/true", NULL };
			execve("/bin/true", argv, argv + 1);
			break;
		}
		case FORBID_MMAP_EXEC:
			mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			break;
		case FORBID_UNIX_SOCKET: {
			int fd = socket(AF_INET, SOCK_STREAM, 0); /* the client's TCP: allowed */
			if (fd < 0)
				_exit(5);
			close(fd);
			socket(AF_UNIX, SOCK_STREAM, 0);
			break;
		}
		case FORBID_SOCKETPAIR_AFTER_EVERYDAY:
			everyday_calls();
			break;
		}
		_exit(0); /* survived: the test fails on the exit status */
	}
	close(pipefd[1]);
	size_t used = 0;
	ssize_t n;
	while (used + 1 < cap && (n = read(pipefd[0], out + used, cap - 1 - used)) > 0)
		used += (size_t)n;
	out[used] = '\0';
	close(pipefd[0]);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return status;
}

static void expect_killed(enum sandbox_profile profile, enum forbidden what, const char *line)
{
	char err[512];
	int status = run_child(profile, what, err, sizeof(err));
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGSYS)
		fail_msg("child not killed by SIGSYS (status 0x%x), stderr: %s", status, err);
	if (!strstr(err, line))
		fail_msg("stderr \"%s\" lacks \"%s\"", err, line);
}

static void forbidden_call_kills_with_a_line(void **state)
{
	(void)state;
	expect_killed(SANDBOX_SERVER, FORBID_CHROOT, "openpptp: error: [sandbox] system call chroot (161) denied");
	expect_killed(SANDBOX_CLIENT, FORBID_CHROOT, "system call chroot (161) denied");
	expect_killed(SANDBOX_SERVER, FORBID_EXECVE, "system call execve (59) denied");
}

static void everyday_calls_pass(void **state)
{
	(void)state;
	/* Everything up to the socketpair works; the socketpair kills. */
	expect_killed(SANDBOX_SERVER, FORBID_SOCKETPAIR_AFTER_EVERYDAY, "system call socketpair (53) denied");
}

static void client_may_open_tcp_only(void **state)
{
	(void)state;
	expect_killed(SANDBOX_CLIENT, FORBID_UNIX_SOCKET, "system call socket (41) denied");
	/* The server may not even open the TCP socket. */
	char err[512];
	int status = run_child(SANDBOX_SERVER, FORBID_UNIX_SOCKET, err, sizeof(err));
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS);
	assert_non_null(strstr(err, "system call socket (41) denied"));
}

/* Refused in the builds anyone runs; allowed in sanitizer builds, whose
 * runtime maps memory itself (docs/privsep.md: the relaxed list). */
static void executable_memory_policy(void **state)
{
	(void)state;
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_UNDEFINED__)
	char err[512];
	int status = run_child(SANDBOX_SERVER, FORBID_MMAP_EXEC, err, sizeof(err));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("sanitizer build: executable mmap should pass (status 0x%x): %s", status, err);
#else
	expect_killed(SANDBOX_SERVER, FORBID_MMAP_EXEC, "system call mmap (9) denied");
#endif
}

static void allowed_count_is_small(void **state)
{
	(void)state;
	size_t server = sys_sandbox_allowed_count(SANDBOX_SERVER);
	size_t client = sys_sandbox_allowed_count(SANDBOX_CLIENT);
	assert_int_equal(client, server + 2);
	assert_true(server > 30 && server < 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(forbidden_call_kills_with_a_line),
		cmocka_unit_test(everyday_calls_pass),
		cmocka_unit_test(client_may_open_tcp_only),
		cmocka_unit_test(executable_memory_policy),
		cmocka_unit_test(allowed_count_is_small),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
