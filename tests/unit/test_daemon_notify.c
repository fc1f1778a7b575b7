/* SPDX-License-Identifier: BSD-2-Clause */
/* sd_notify by hand: the messages a Type=notify unit's manager receives,
 * read from a bound AF_UNIX datagram socket standing in for systemd's. */
#include "support/test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "base/error.h"
#include "daemon/daemon_notify.h"
#include "sys/sd_notify.h"

struct manager {
	int fd;
	char path[108];
};

/* A path socket, or (abstract) one named "@openpptp-test-<pid>". */
static void manager_open(struct manager *m, int abstract)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	m->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	assert_true(m->fd >= 0);
	socklen_t len;
	if (abstract) {
		snprintf(m->path, sizeof(m->path), "@openpptp-test-%d", (int)getpid());
		memcpy(sa.sun_path, m->path, strlen(m->path));
		sa.sun_path[0] = '\0';
		len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(m->path));
	} else {
		snprintf(m->path, sizeof(m->path), "/tmp/openpptp-notify-%d", (int)getpid());
		unlink(m->path);
		memcpy(sa.sun_path, m->path, strlen(m->path));
		len = sizeof(sa);
	}
	assert_int_equal(bind(m->fd, (struct sockaddr *)&sa, len), 0);
	setenv("NOTIFY_SOCKET", m->path, 1);
}

static void manager_close(struct manager *m)
{
	close(m->fd);
	if (m->path[0] == '/')
		unlink(m->path);
	unsetenv("NOTIFY_SOCKET");
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
}

/* The next datagram, or "" when none is queued. */
static const char *manager_next(struct manager *m)
{
	static char text[256];
	ssize_t n = recv(m->fd, text, sizeof(text) - 1, 0);
	text[n > 0 ? n : 0] = '\0';
	return text;
}

static void sends_to_path_and_abstract_sockets(void **state)
{
	(void)state;
	for (int abstract = 0; abstract <= 1; abstract++) {
		struct manager m;
		manager_open(&m, abstract);
		struct sd_notify n;
		assert_int_equal(sd_notify_open_env(&n), 0);
		assert_true(n.fd >= 0);
		assert_int_equal(sd_notify_send(&n, "READY=1"), 0);
		assert_string_equal(manager_next(&m), "READY=1");
		sd_notify_close(&n);
		manager_close(&m);
	}
}

static void no_socket_means_no_op_and_bad_names_are_refused(void **state)
{
	(void)state;
	unsetenv("NOTIFY_SOCKET");
	struct sd_notify n;
	assert_int_equal(sd_notify_open_env(&n), 0);
	assert_int_equal(n.fd, -1);
	assert_int_equal(sd_notify_send(&n, "READY=1"), 0);
	assert_int_equal(sd_notify_open(&n, "relative/path"), ERR_INVALID);
	assert_int_equal(sd_notify_open(&n, "@"), ERR_INVALID);
	assert_int_equal(sd_notify_open(&n, "/nonexistent/openpptp/notify"), ERR_IO);
	assert_int_equal(n.fd, -1);
}

static void watchdog_usec_is_ours_only_with_our_pid(void **state)
{
	(void)state;
	setenv("WATCHDOG_USEC", "3000000", 1);
	unsetenv("WATCHDOG_PID");
	assert_int_equal(sd_notify_watchdog_usec(), 3000000);
	char pid[32];
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	setenv("WATCHDOG_PID", pid, 1);
	assert_int_equal(sd_notify_watchdog_usec(), 3000000);
	setenv("WATCHDOG_PID", "1", 1);
	assert_int_equal(sd_notify_watchdog_usec(), 0);
	unsetenv("WATCHDOG_PID");
	setenv("WATCHDOG_USEC", "12x", 1);
	assert_int_equal(sd_notify_watchdog_usec(), 0);
	unsetenv("WATCHDOG_USEC");
}

static void ready_reload_status_and_stopping(void **state)
{
	(void)state;
	struct manager m;
	manager_open(&m, 0);
	struct loop loop;
	assert_int_equal(loop_init(&loop), 0);
	struct daemon_notify dn;
	daemon_notify_init(&dn, &loop, "test");
	daemon_notify_sessions(&dn, 2); /* before READY: no message, but counted */
	assert_string_equal(manager_next(&m), "");
	daemon_notify_ready(&dn);
	assert_string_equal(manager_next(&m), "READY=1\nSTATUS=2 sessions up");
	daemon_notify_reloading(&dn);
	const char *reload = manager_next(&m);
	assert_int_equal(strncmp(reload, "RELOADING=1\nMONOTONIC_USEC=", 27), 0);
	assert_true(strtoull(reload + 27, NULL, 10) > 0);
	daemon_notify_ready(&dn);
	assert_string_equal(manager_next(&m), "READY=1\nSTATUS=2 sessions up");

	/* Within the rate limit: held back, the latest count sent when due. */
	daemon_notify_sessions(&dn, 1);
	daemon_notify_sessions(&dn, 3);
	assert_string_equal(manager_next(&m), "");
	assert_true(timer_armed(&dn.status_timer));
	while (timer_armed(&dn.status_timer))
		assert_int_equal(loop_run_once(&loop, 5000), 0);
	assert_string_equal(manager_next(&m), "STATUS=3 sessions up");
	assert_string_equal(manager_next(&m), "");
	/* Once the limit has passed, a change goes out at once. */
	loop.now_ms += DAEMON_NOTIFY_STATUS_MIN_MS;
	daemon_notify_sessions(&dn, 1);
	assert_string_equal(manager_next(&m), "STATUS=1 session up");
	daemon_notify_sessions(&dn, 1); /* no change, no message */
	loop.now_ms += DAEMON_NOTIFY_STATUS_MIN_MS;
	daemon_notify_sessions(&dn, 1);
	assert_string_equal(manager_next(&m), "");

	daemon_notify_close(&dn);
	assert_string_equal(manager_next(&m), "STOPPING=1");
	loop_destroy(&loop);
	manager_close(&m);
}

static void watchdog_pings_from_the_loop(void **state)
{
	(void)state;
	struct manager m;
	manager_open(&m, 1);
	setenv("WATCHDOG_USEC", "40000", 1); /* 40 ms: a ping every 20 ms */
	struct loop loop;
	assert_int_equal(loop_init(&loop), 0);
	struct daemon_notify dn;
	daemon_notify_init(&dn, &loop, "test");
	assert_int_equal(dn.watchdog_ms, 20);
	assert_false(timer_armed(&dn.watchdog)); /* not before READY */
	daemon_notify_ready(&dn);
	assert_string_equal(manager_next(&m), "READY=1\nSTATUS=0 sessions up");
	assert_string_equal(manager_next(&m), "WATCHDOG=1");
	int pings = 0;
	for (int i = 0; i < 100 && pings < 3; i++) {
		assert_int_equal(loop_run_once(&loop, 1000), 0);
		while (strcmp(manager_next(&m), "WATCHDOG=1") == 0)
			pings++;
	}
	assert_true(pings >= 3);
	daemon_notify_close(&dn);
	assert_false(timer_armed(&dn.watchdog));
	loop_destroy(&loop);
	manager_close(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sends_to_path_and_abstract_sockets),
		cmocka_unit_test(no_socket_means_no_op_and_bad_names_are_refused),
		cmocka_unit_test(watchdog_usec_is_ours_only_with_our_pid),
		cmocka_unit_test(ready_reload_status_and_stopping),
		cmocka_unit_test(watchdog_pings_from_the_loop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
