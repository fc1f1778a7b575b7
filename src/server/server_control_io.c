/* SPDX-License-Identifier: BSD-2-Clause */
/* The control socket's connections, served in the loop without blocking
 * (issue 11): each client is a small state machine (reading its request
 * line, writing its answer) with a deadline; a client that sends nothing
 * costs a descriptor until the deadline, never the loop's time. Only root
 * or members of the socket file's group (SO_PEERCRED, the peer's primary
 * group) are served; the file is 0600 from its creation
 * (sys/unix_socket.c), so this holds even when someone loosens its mode. */
#include "server/server_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/error.h"
#include "server/control_request.h"
#include "sys/unix_socket.h"

#define CONTROL_CLIENTS_MAX 8
#define CONTROL_DEADLINE_MS 5000u

static bool errno_is_again(void)
{
	return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
}

enum control_client_state {
	CONTROL_READING,
	CONTROL_WRITING,
};

struct control_client {
	struct server *server;
	struct control_client *next;
	enum control_client_state state;
	int fd;
	struct loop_fd watch;
	struct loop_timer deadline;
	char request[CONTROL_REQUEST_LINE_MAX + 1];
	size_t request_len;
	char *answer;
	size_t answer_len, answer_sent;
};

/* Close and free one client already out of the list. */
static void control_client_destroy(struct control_client *cc)
{
	struct server *s = cc->server;
	s->control_client_count--;
	loop_fd_remove(s->loop, &cc->watch);
	loop_timer_cancel(s->loop, &cc->deadline);
	if (cc->fd >= 0)
		close(cc->fd);
	free(cc->answer);
	free(cc);
}

static void control_client_free(struct control_client *cc)
{
	for (struct control_client **pp = &cc->server->control_clients; *pp; pp = &(*pp)->next) {
		if (*pp == cc) {
			*pp = cc->next;
			break;
		}
	}
	control_client_destroy(cc);
}

static void control_client_expired(struct loop *loop, struct loop_timer *t, void *ctx)
{
	(void)loop;
	(void)t;
	control_client_free(ctx);
}

/* Write what the socket takes; false when the client is gone (freed). */
static bool control_client_write(struct control_client *cc)
{
	while (cc->answer_sent < cc->answer_len) {
		ssize_t n = write(cc->fd, cc->answer + cc->answer_sent, cc->answer_len - cc->answer_sent);
		if (n > 0) {
			cc->answer_sent += (size_t)n;
			continue;
		}
		if (n < 0 && errno_is_again())
			return true;
		break; /* the client went: nothing more to say */
	}
	control_client_free(cc);
	return false;
}

static void control_client_answer(struct control_client *cc)
{
	cc->request[cc->request_len] = '\0';
	cc->request[strcspn(cc->request, "\r\n")] = '\0';
	struct server *s = cc->server;
	struct control_request req;
	enum control_request_kind kind = control_request_parse(cc->request, strlen(cc->request), &req);
	if (kind == CONTROL_REQUEST_STATUS || kind == CONTROL_REQUEST_STATUS_JSON) {
		/* A status answer can be megabytes: status_stream formats and
		 * writes it a part at a time; the descriptor is its now. */
		int fd = cc->fd;
		cc->fd = -1;
		control_client_free(cc);
		server_status_answer(s, fd, kind == CONTROL_REQUEST_STATUS_JSON);
		return;
	}
	cc->answer = server_control_answer(cc->server, cc->request, &cc->answer_len);
	if (!cc->answer) {
		control_client_free(cc);
		return;
	}
	cc->state = CONTROL_WRITING;
	if (control_client_write(cc))
		(void)loop_fd_modify(cc->server->loop, &cc->watch, LOOP_WRITE);
}

static void control_client_ready(struct loop *loop, struct loop_fd *w, uint32_t events, void *ctx)
{
	struct control_client *cc = ctx;
	(void)loop;
	(void)w;
	(void)events;
	if (cc->state == CONTROL_WRITING) {
		(void)control_client_write(cc);
		return;
	}
	for (;;) {
		size_t room = sizeof(cc->request) - 1 - cc->request_len;
		ssize_t n = read(cc->fd, cc->request + cc->request_len, room);
		if (n < 0 && errno_is_again())
			return;
		if (n < 0) {
			control_client_free(cc);
			return;
		}
		if (n == 0 && cc->request_len == 0) {
			control_client_free(cc);
			return;
		}
		cc->request_len += (size_t)n;
		/* A whole line, the end of the stream, or as much as a request
		 * may be: answer what there is. */
		if (n == 0 || memchr(cc->request, '\n', cc->request_len) || cc->request_len == sizeof(cc->request) - 1) {
			control_client_answer(cc);
			return;
		}
	}
}

static bool control_peer_allowed(const struct server *s, int fd, uid_t *uid)
{
	gid_t gid;
	*uid = (uid_t)-1;
	if (unix_peer_cred(fd, uid, &gid) < 0)
		return false;
	return *uid == 0 || (s->control_gid_known && gid == s->control_gid);
}

void server_control_readable(struct loop *loop, struct loop_fd *w, uint32_t events, void *ctx)
{
	struct server *s = ctx;
	(void)w;
	(void)events;
	for (int i = 0; i < CONTROL_CLIENTS_MAX; i++) {
		int fd = unix_accept(s->control_fd);
		if (fd < 0) {
			if (fd == ERR_LIMIT)
				server_fds_exhausted(s, s->control_fd);
			return;
		}
		uid_t uid;
		if (!control_peer_allowed(s, fd, &uid)) {
			log_limited(&s->log_limit, sys_now_ms(), LOG_LEVEL_WARN, SERVER_TAG,
				    "control socket: uid %d is neither root nor in the socket's group: refused", (int)uid);
			close(fd);
			continue;
		}
		struct control_client *cc = s->control_client_count < CONTROL_CLIENTS_MAX ? calloc(1, sizeof(*cc)) : NULL;
		if (!cc) {
			log_limited(&s->log_limit, sys_now_ms(), LOG_LEVEL_WARN, SERVER_TAG,
				    "control socket: %d requests already open: refused", CONTROL_CLIENTS_MAX);
			close(fd);
			continue;
		}
		cc->server = s;
		cc->fd = fd;
		cc->state = CONTROL_READING;
		loop_fd_init(&cc->watch);
		loop_timer_init(&cc->deadline, control_client_expired, cc);
		if (loop_fd_add(loop, &cc->watch, fd, LOOP_READ, control_client_ready, cc) < 0) {
			close(fd);
			free(cc);
			continue;
		}
		loop_timer_set(loop, &cc->deadline, sys_now_ms() + CONTROL_DEADLINE_MS);
		cc->next = s->control_clients;
		s->control_clients = cc;
		s->control_client_count++;
	}
}

void server_control_close_all(struct server *s)
{
	while (s->control_clients) {
		struct control_client *cc = s->control_clients;
		s->control_clients = cc->next;
		control_client_destroy(cc);
	}
}
