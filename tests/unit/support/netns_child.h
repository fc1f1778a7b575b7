/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests that need the kernel (sockets, TUN, netlink) run their body in
 * a forked child inside a network namespace of its own, so they touch no
 * interface or address outside it and leave nothing behind. Header-only
 * (static inline): only the tests that include it link netlink. */
#ifndef OPENPPTP_TEST_NETNS_CHILD_H
#define OPENPPTP_TEST_NETNS_CHILD_H

#include <sched.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_support.h"
#include "sys/netlink.h"

#define NETNS_SKIP_CODE 77 /* the child could not make its namespace */

/* In a child body: on failure print where and return 1 (the child's exit). */
#define CHECK(cond)                                                                              \
	do {                                                                                     \
		if (!(cond)) {                                                                   \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
			return 1;                                                                \
		}                                                                                \
	} while (0)

/* Run fn in a forked child in a new network namespace: the test passes
 * when fn returns 0. Skipped (counted as a skip) without root, without
 * /dev/net/tun when need_tun, or when the namespace cannot be made. */
static inline void netns_run_child(int (*fn)(void), bool need_tun)
{
	if (geteuid() != 0 || (need_tun && access("/dev/net/tun", R_OK | W_OK) != 0)) {
		skip();
		return;
	}
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (unshare(CLONE_NEWNET) != 0)
			_exit(NETNS_SKIP_CODE);
		_exit(fn());
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == NETNS_SKIP_CODE) {
		skip();
		return;
	}
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* A new namespace's loopback starts down. */
static inline int netns_loopback_up(struct netlink *nl)
{
	int lo = netlink_ifindex("lo");
	CHECK(lo > 0);
	CHECK(netlink_link_set(nl, lo, true, 0) == 0);
	return 0;
}

#endif
