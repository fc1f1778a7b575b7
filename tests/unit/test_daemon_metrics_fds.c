/* SPDX-License-Identifier: BSD-2-Clause */
/* Issue 11 item 9 for the metrics listener (daemon/metrics_http.h): out of
 * descriptors, accept() fails with the connection left in the backlog and
 * the level-triggered listener readable. It must pause (counted once, at
 * most one log line) instead of waking the loop on every iteration, and
 * serve the waiting connection once descriptors are free.
 *
 * Run in a forked child in its own network namespace (its loopback only,
 * and its own RLIMIT_NOFILE and descriptor table), as test_sys_netns.c
 * does; skipped when not root. The child reports with CHECK (a cmocka
 * assertion would unwind into the child's copy of the runner). */
#include "support/test_support.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon/metrics_http.h"
#include "sys/loop.h"
#include "sys/netlink.h"
#include "support/netns_child.h"

#define SPIN_ROUNDS 100 /* loop iterations driven while out of descriptors */
#define PAUSE_MS 1000   /* METRICS_HTTP_PAUSE_MS: one wake-up per pause at most */
#define FILL_MAX 64     /* descriptors the test takes to run out */
#define REQUEST "GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n"

static void render(void *ctx, struct metrics_text *t)
{
	(void)ctx;
	metrics_counter(t, "fds_test_total", "a marker", 7);
}

/* The listener's own callback, wrapped to count how often the loop wakes
 * it: the figure a busy loop makes large. */
static loop_fd_fn listener_fn;
static unsigned listener_wakeups;

static void counting_listener(struct loop *loop, struct loop_fd *w, uint32_t events, void *ctx)
{
	listener_wakeups++;
	listener_fn(loop, w, events, ctx);
}

/* Take (copies of src) every free descriptor below a soft limit a few above the lowest
 * free one; returns how many were taken (>= 1) or -1. */
static int fill_fd_table(int src, int *taken)
{
	int probe = dup(src);
	if (probe < 0)
		return -1;
	close(probe);
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return -1;
	rl.rlim_cur = (rlim_t)probe + FILL_MAX / 2;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		return -1;
	int n = 0;
	while (n < FILL_MAX) {
		int fd = dup(src);
		if (fd < 0)
			return errno == EMFILE && n > 0 ? n : -1;
		taken[n++] = fd;
	}
	return -1; /* the limit did not bite */
}

static int out_of_fds_child(void)
{
	struct netlink nl;
	CHECK(netlink_open(&nl) == 0);
	CHECK(netns_loopback_up(&nl) == 0);
	netlink_close(&nl);

	struct loop loop;
	CHECK(loop_init(&loop) == 0);
	struct metrics_http h;
	metrics_http_init(&h, &loop, render, NULL);
	CHECK(metrics_http_open(&h, INADDR_LOOPBACK, 0, NULL, 0) == 0);
	struct sockaddr_in sa;
	socklen_t slen = sizeof(sa);
	CHECK(getsockname(h.fd, (struct sockaddr *)&sa, &slen) == 0);
	listener_fn = h.watch.fn;
	h.watch.fn = counting_listener;

	/* A client whose connection and request wait in the backlog. */
	int cli = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	CHECK(cli >= 0);
	CHECK(connect(cli, (struct sockaddr *)&sa, slen) == 0);
	CHECK(send(cli, REQUEST, strlen(REQUEST), MSG_NOSIGNAL) == (ssize_t)strlen(REQUEST));

	int taken[FILL_MAX];
	int ntaken = fill_fd_table(cli, taken);
	CHECK(ntaken > 0);

	struct test_log tl;
	test_log_capture(&tl);
	CHECK(loop_run_once(&loop, 1000) == 0); /* the listener is readable: accept fails */
	uint64_t t0 = loop_now(&loop);
	for (int i = 0; i < SPIN_ROUNDS; i++)
		CHECK(loop_run_once(&loop, 0) == 0);
	uint64_t elapsed = loop_now(&loop) - t0;
	unsigned log_lines = tl.count;
	test_log_release();
	unsigned allowed = 1 + (unsigned)(elapsed / PAUSE_MS);
	fprintf(stderr,
		"out of descriptors (%d taken): listener woken %u times in %d+1 loop iterations over %llu ms "
		"(allowed %u), counted %llu, %u log line(s), watching events 0x%x\n",
		ntaken, listener_wakeups, SPIN_ROUNDS, (unsigned long long)elapsed, allowed,
		(unsigned long long)h.refused[METRICS_REFUSED_BUSY], log_lines, (unsigned)h.watch.events);
	CHECK(listener_wakeups >= 1);
	CHECK(listener_wakeups <= allowed);
	CHECK(h.watch.events == 0);
	CHECK(h.refused[METRICS_REFUSED_BUSY] >= 1 && h.refused[METRICS_REFUSED_BUSY] <= allowed);
	CHECK(log_lines <= 1);
	CHECK(h.scrapes == 0);

	/* Descriptors free again: the pause ends on its timer (each iteration
	 * waits for the loop's next event, bounded) and the queued client is
	 * served. */
	for (int i = 0; i < ntaken; i++)
		close(taken[i]);
	char answer[4096];
	size_t got = 0;
	bool eof = false;
	for (int i = 0; i < 20 && !eof; i++) {
		CHECK(loop_run_once(&loop, 2 * PAUSE_MS) == 0);
		struct pollfd p = { .fd = cli, .events = POLLIN };
		while (!eof && got < sizeof(answer) - 1 && poll(&p, 1, 0) == 1) {
			ssize_t n = recv(cli, answer + got, sizeof(answer) - 1 - got, 0);
			CHECK(n >= 0);
			eof = n == 0;
			got += (size_t)n;
		}
	}
	answer[got] = '\0';
	fprintf(stderr, "descriptors free: %zu bytes answered, %llu scrape(s), listener woken %u times\n", got,
		(unsigned long long)h.scrapes, listener_wakeups);
	CHECK(eof);
	CHECK(strncmp(answer, "HTTP/1.1 200 ", 13) == 0);
	CHECK(strstr(answer, "fds_test_total 7\n") != NULL);
	CHECK(h.scrapes == 1);
	CHECK(h.watch.events == LOOP_READ);

	close(cli);
	metrics_http_close(&h);
	loop_destroy(&loop);
	return 0;
}

static void metrics_listener_pauses_out_of_fds(void **state)
{
	(void)state;
	/* Its own namespace: the listener binds that namespace's loopback. */
	netns_run_child(out_of_fds_child, false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(metrics_listener_pauses_out_of_fds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
