/* SPDX-License-Identifier: BSD-2-Clause */
/* The main process's end of the privsep socketpair: a FIFO of requests,
 * written without blocking, answered in order and dispatched as the loop
 * reports the socket readable. */
#include "privsep/privsep.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/error.h"
#include "base/log.h"

#define TAG "privsep"

static struct privsep_pending *slot(struct privsep_channel *ch, size_t i)
{
	return &ch->queue[(ch->head + i) % ch->cap];
}

void privsep_channel_init_fd(struct privsep_channel *ch, int fd)
{
	memset(ch, 0, sizeof(*ch));
	ch->fd = fd;
	ch->helper = -1;
	ch->next_id = 1;
	ch->state = fd >= 0 ? PRIVSEP_CHANNEL_OPEN : PRIVSEP_CHANNEL_CLOSED;
	loop_fd_init(&ch->watch);
}

static void update_watch(struct privsep_channel *ch)
{
	if (ch->loop && ch->watch.fd >= 0)
		loop_fd_modify(ch->loop, &ch->watch, LOOP_READ | (ch->nsent < ch->count ? LOOP_WRITE : 0));
}

/* The helper is gone: every waiting request is answered ERR_CLOSED (so each
 * owner can forget it), then the owner hears of it once. */
static void channel_lost(struct privsep_channel *ch, const char *why)
{
	if (ch->state != PRIVSEP_CHANNEL_OPEN)
		return;
	ch->state = PRIVSEP_CHANNEL_LOST;
	log_msg(LOG_LEVEL_ERROR, TAG, "privileged helper lost: %s", why);
	if (ch->loop && ch->watch.fd >= 0)
		loop_fd_remove(ch->loop, &ch->watch);
	while (ch->count) {
		struct privsep_pending p = *slot(ch, 0);
		ch->head = (ch->head + 1) % ch->cap;
		ch->count--;
		if (ch->nsent)
			ch->nsent--;
		if (p.fn) {
			struct privsep_answer a = { .op = p.op, .id = p.id, .status = ERR_CLOSED, .fd = -1 };
			p.fn(p.ctx, &a);
		}
	}
	if (ch->on_lost)
		ch->on_lost(ch->lost_ctx);
}

static int grow(struct privsep_channel *ch)
{
	if (ch->count < ch->cap)
		return 0;
	if (ch->cap >= PRIVSEP_QUEUE_MAX)
		return ERR_LIMIT;
	size_t ncap = ch->cap ? ch->cap * 2 : 16;
	struct privsep_pending *q = malloc(ncap * sizeof(*q));
	if (!q)
		return ERR_NOMEM;
	for (size_t i = 0; ch->cap && i < ch->count; i++) /* cap 0: empty */
		q[i] = *slot(ch, i);
	free(ch->queue);
	ch->queue = q;
	ch->cap = ncap;
	ch->head = 0;
	return 0;
}

/* Write queued requests until the socket is full. */
static void flush(struct privsep_channel *ch)
{
	while (ch->state == PRIVSEP_CHANNEL_OPEN && ch->nsent < ch->count) {
		struct privsep_pending *p = slot(ch, ch->nsent);
		ssize_t n = send(ch->fd, p->msg, p->len, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n != (ssize_t)p->len) {
			channel_lost(ch, n < 0 ? strerror(errno) : "short send");
			return;
		}
		ch->nsent++;
	}
}

int privsep_send(struct privsep_channel *ch, const struct privsep_request *r, privsep_answer_fn fn, void *ctx)
{
	if (ch->state != PRIVSEP_CHANNEL_OPEN)
		return ERR_CLOSED;
	int rc = grow(ch);
	if (rc < 0) {
		log_msg(LOG_LEVEL_ERROR, TAG, "%s: %u requests already waiting for the helper", privsep_op_name(r->op),
			(unsigned)ch->count);
		return rc;
	}
	struct privsep_request req = *r;
	req.id = ch->next_id++;
	struct privsep_pending *p = slot(ch, ch->count);
	rc = privsep_request_encode(&req, p->msg, sizeof(p->msg));
	if (rc < 0)
		return rc;
	p->len = (uint8_t)rc;
	p->id = req.id;
	p->op = req.op;
	p->fn = fn;
	p->ctx = ctx;
	ch->count++;
	flush(ch);
	update_watch(ch);
	return 0;
}

static void close_fds(const int *fds, size_t n)
{
	for (size_t i = 0; i < n; i++)
		close(fds[i]);
}

/* Read one answer. 1: dispatched, 0: nothing to read, <0: channel lost. */
static int receive_one(struct privsep_channel *ch)
{
	uint8_t buf[PRIVSEP_MSG_MAX];
	union {
		struct cmsghdr h;
		uint8_t space[CMSG_SPACE(sizeof(int) * 4)];
	} control;
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = &control, .msg_controllen = sizeof(control) };
	ssize_t n = recvmsg(ch->fd, &m, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return 0;
	if (n <= 0) {
		channel_lost(ch, n == 0 || errno == ECONNRESET ? "it exited" : strerror(errno));
		return ERR_CLOSED;
	}
	int fds[4];
	size_t nfds = 0;
	bool bad_control = (m.msg_flags & MSG_CTRUNC) != 0;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS || c->cmsg_len < CMSG_LEN(0)) {
			bad_control = true;
			continue;
		}
		size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < k && nfds < 4; i++)
			memcpy(&fds[nfds++], CMSG_DATA(c) + i * sizeof(int), sizeof(int));
	}
	struct privsep_answer a;
	int rc = bad_control || nfds > 1 || (m.msg_flags & MSG_TRUNC)
			 ? ERR_MALFORMED
			 : privsep_answer_decode(buf, (size_t)n, nfds == 1, &a);
	if (rc == 0 && (ch->nsent == 0 || slot(ch, 0)->id != a.id || slot(ch, 0)->op != a.op))
		rc = ERR_UNKNOWN_CALL;
	if (rc < 0) {
		close_fds(fds, nfds);
		channel_lost(ch, rc == ERR_UNKNOWN_CALL ? "an answer to no request" : "a malformed answer");
		return ERR_CLOSED;
	}
	a.fd = nfds ? fds[0] : -1;
	struct privsep_pending p = *slot(ch, 0);
	ch->head = (ch->head + 1) % ch->cap;
	ch->count--;
	ch->nsent--;
	if (p.fn)
		p.fn(p.ctx, &a);
	else if (a.fd >= 0)
		close(a.fd);
	return 1;
}

/* Everything the socket allows now: answers in, queued requests out. */
static void pump(struct privsep_channel *ch)
{
	while (ch->state == PRIVSEP_CHANNEL_OPEN && receive_one(ch) > 0)
		;
	flush(ch);
	update_watch(ch);
}

static void channel_event(struct loop *loop, struct loop_fd *w, uint32_t events, void *ctx)
{
	(void)loop;
	(void)w;
	(void)events;
	pump(ctx);
}

int privsep_channel_attach(struct privsep_channel *ch, struct loop *loop, privsep_lost_fn on_lost, void *ctx)
{
	if (ch->state != PRIVSEP_CHANNEL_OPEN)
		return ERR_CLOSED;
	ch->loop = loop;
	ch->on_lost = on_lost;
	ch->lost_ctx = ctx;
	loop_fd_init(&ch->watch);
	int rc = loop_fd_add(loop, &ch->watch, ch->fd, LOOP_READ | (ch->nsent < ch->count ? LOOP_WRITE : 0),
			     channel_event, ch);
	if (rc < 0)
		ch->loop = NULL;
	return rc;
}

void privsep_channel_detach(struct privsep_channel *ch)
{
	if (ch->loop && ch->watch.fd >= 0)
		loop_fd_remove(ch->loop, &ch->watch);
	ch->loop = NULL;
	ch->on_lost = NULL;
	ch->lost_ctx = NULL;
}

struct sync_slot {
	bool done;
	struct privsep_answer a;
};

static void sync_answer(void *ctx, const struct privsep_answer *a)
{
	struct sync_slot *s = ctx;
	s->done = true;
	s->a = *a;
}

/* Pump until done(ch, arg) holds or the channel goes, at most until
 * deadline_ms. */
static int wait_until(struct privsep_channel *ch, bool (*done)(const struct privsep_channel *, const void *),
		      const void *arg, uint64_t deadline_ms)
{
	while (!done(ch, arg) && ch->state == PRIVSEP_CHANNEL_OPEN) {
		uint64_t now = sys_now_ms();
		if (now >= deadline_ms)
			return ERR_TIMEOUT;
		struct pollfd pfd = { .fd = ch->fd, .events = POLLIN | (ch->nsent < ch->count ? POLLOUT : 0) };
		int n = poll(&pfd, 1, (int)(deadline_ms - now));
		if (n < 0 && errno != EINTR) {
			channel_lost(ch, strerror(errno));
			break;
		}
		if (n > 0)
			pump(ch);
	}
	return 0;
}

static bool slot_done(const struct privsep_channel *ch, const void *arg)
{
	(void)ch;
	return ((const struct sync_slot *)arg)->done;
}

static bool queue_empty(const struct privsep_channel *ch, const void *arg)
{
	(void)arg;
	return ch->count == 0;
}

int privsep_call(struct privsep_channel *ch, const struct privsep_request *r, struct privsep_answer *out,
		 int timeout_ms)
{
	struct sync_slot s = { 0 };
	uint32_t id = ch->next_id; /* the id privsep_send gives r */
	int rc = privsep_send(ch, r, sync_answer, &s);
	if (rc < 0)
		return rc;
	rc = wait_until(ch, slot_done, &s, sys_now_ms() + (uint64_t)timeout_ms);
	if (!s.done) {
		/* Still queued: the answer, when it comes, must not reach our
		 * stack frame. */
		for (size_t i = 0; i < ch->count; i++)
			if (slot(ch, i)->id == id)
				slot(ch, i)->fn = NULL;
		return rc < 0 ? rc : ERR_CLOSED;
	}
	*out = s.a;
	return s.a.status == ERR_CLOSED && ch->state != PRIVSEP_CHANNEL_OPEN ? ERR_CLOSED : 0;
}

int privsep_drain(struct privsep_channel *ch, int timeout_ms)
{
	int rc = wait_until(ch, queue_empty, NULL, sys_now_ms() + (uint64_t)timeout_ms);
	if (rc < 0)
		return rc;
	return ch->state == PRIVSEP_CHANNEL_OPEN ? 0 : ERR_CLOSED;
}

void privsep_forget(struct privsep_channel *ch)
{
	for (size_t i = 0; i < ch->count; i++)
		slot(ch, i)->fn = NULL;
}

void privsep_channel_close(struct privsep_channel *ch, int timeout_ms)
{
	privsep_channel_detach(ch);
	privsep_forget(ch);
	if (ch->fd >= 0)
		close(ch->fd);
	ch->fd = -1;
	ch->state = PRIVSEP_CHANNEL_CLOSED;
	free(ch->queue);
	ch->queue = NULL;
	ch->count = ch->nsent = ch->cap = ch->head = 0;
	if (ch->helper <= 0)
		return;
	/* The helper undoes what it did when it sees our end close, then
	 * exits; reap it, but never hang on it. */
	uint64_t deadline = sys_now_ms() + (uint64_t)timeout_ms;
	for (;;) {
		int status;
		pid_t done = waitpid(ch->helper, &status, WNOHANG);
		if (done == ch->helper || (done < 0 && errno != EINTR))
			break;
		if (sys_now_ms() >= deadline) {
			log_msg(LOG_LEVEL_WARN, TAG, "the privileged helper is still finishing: not waiting");
			break;
		}
		struct timespec ts = { .tv_nsec = 20 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	ch->helper = -1;
}
