/* SPDX-License-Identifier: BSD-2-Clause */
/* Descriptors (issue 11 item 9). At start RLIMIT_NOFILE is raised to what
 * the limits need: one TCP socket per session and per negotiating
 * connection, plus SERVER_FD_OVERHEAD for the daemon's own (listening, GRE,
 * TUN, control socket and its clients, privsep channel, loop, log, notify).
 * If the system still runs out (ENFILE, a lower limit set from outside),
 * accept() fails with a connection left in the backlog: with a
 * level-triggered loop that was a busy loop logging a line per turn. Now a
 * reserve descriptor (F_DUPFD of the listening socket: the sandbox allows
 * fcntl, not open() or dup()) is closed to accept that connection and close it at
 * once (the client sees a close, not a hang), accepting pauses for
 * SERVER_ACCEPT_PAUSE_MS, and one rate-limited line says so. */
#include "server/server_internal.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/error.h"
#include "sys/fd_limit.h"

int server_fds_raise_limit(const struct server *s)
{
	unsigned long need = (unsigned long)s->cfg->max_sessions + (unsigned long)s->cfg->max_negotiating +
			     SERVER_FD_OVERHEAD;
	unsigned long soft, hard;
	int rc = fd_limit_ensure(need, &soft, &hard);
	if (rc == ERR_LIMIT)
		log_msg(LOG_LEVEL_ERROR, SERVER_TAG,
			"the descriptor limit (RLIMIT_NOFILE soft %lu, hard %lu) is below the %lu that --max-sessions %d "
			"and --max-negotiating %d need (one each, plus %d): raise it (LimitNOFILE= in the unit, ulimit -n) "
			"or lower those limits",
			soft, hard, need, s->cfg->max_sessions, s->cfg->max_negotiating, SERVER_FD_OVERHEAD);
	else if (rc < 0)
		log_msg(LOG_LEVEL_ERROR, SERVER_TAG, "cannot read the descriptor limit: %s", error_name(rc));
	return rc;
}

static void server_accept_resume(struct loop *loop, struct loop_timer *t, void *ctx)
{
	struct server *s = ctx;
	if (s->fd_reserve < 0)
		s->fd_reserve = fcntl(s->listen_fd, F_DUPFD_CLOEXEC, 0);
	if (s->fd_reserve < 0) {
		/* Still none free: stay paused. */
		loop_timer_set(loop, t, sys_now_ms() + SERVER_ACCEPT_PAUSE_MS);
		return;
	}
	s->accept_paused = false;
	if (loop_fd_add(loop, &s->listen_watch, s->listen_fd, LOOP_READ, server_accept, s) < 0)
		log_msg(LOG_LEVEL_ERROR, SERVER_TAG, "cannot watch the listening socket again");
	if (s->control_fd >= 0 &&
	    loop_fd_add(loop, &s->control_watch, s->control_fd, LOOP_READ, server_control_readable, s) < 0)
		log_msg(LOG_LEVEL_ERROR, SERVER_TAG, "cannot watch the control socket again");
}

void server_fds_init(struct server *s)
{
	s->fd_log_limit = (struct log_limit)LOG_LIMIT_INIT(1, 60000);
	loop_timer_init(&s->accept_timer, server_accept_resume, s);
}

void server_fds_reserve(struct server *s)
{
	s->fd_reserve = fcntl(s->listen_fd, F_DUPFD_CLOEXEC, 0);
}

void server_fds_close(struct server *s)
{
	loop_timer_cancel(s->loop, &s->accept_timer);
	if (s->fd_reserve >= 0)
		close(s->fd_reserve);
	s->fd_reserve = -1;
}

void server_fds_exhausted(struct server *s, int listening_fd)
{
	if (s->accept_paused)
		return;
	uint64_t now = sys_now_ms();
	if (s->fd_reserve >= 0) {
		close(s->fd_reserve);
		s->fd_reserve = -1;
		int fd = accept4(listening_fd, NULL, NULL, SOCK_CLOEXEC);
		if (fd >= 0)
			close(fd);
	}
	/* Both listening sockets pause: either would be readable in a
	 * level-triggered loop with nothing to accept it with. */
	s->accept_paused = true;
	loop_fd_remove(s->loop, &s->listen_watch);
	loop_fd_remove(s->loop, &s->control_watch);
	loop_timer_set(s->loop, &s->accept_timer, now + SERVER_ACCEPT_PAUSE_MS);
	log_limited(&s->fd_log_limit, now, LOG_LEVEL_ERROR, SERVER_TAG,
		    "out of file descriptors (%u control connections): refusing new connections, accepting again "
		    "in %u ms",
		    s->connections, SERVER_ACCEPT_PAUSE_MS);
}
