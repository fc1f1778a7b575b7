/* SPDX-License-Identifier: BSD-2-Clause */
/* epoll event loop with a timer heap, signalfd and deferred callbacks. */
#include "sys/loop.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "base/error.h"
#include "base/log.h"
#include "base/time.h"

#define LOOP_MAX_EVENTS 64
/* A wait for a timer lasts this much longer than its deadline, so timers
 * due within it fire in one wake-up: 10,000 idle sessions have some 1,000
 * keepalive deadlines a second, and each wake-up is a context switch and
 * an epoll_wait. No timer here needs millisecond precision (the shortest
 * are GRE ack delays and reorder timeouts of tens of ms). */
#define LOOP_TIMER_SLACK_MS 2u

uint64_t sys_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int loop_init(struct loop *loop)
{
	memset(loop, 0, sizeof(*loop));
	loop_fd_init(&loop->signal_watch);
	timer_heap_init(&loop->timers);
	loop->events = calloc(LOOP_MAX_EVENTS, sizeof(struct epoll_event));
	if (!loop->events)
		return ERR_NOMEM;
	loop->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (loop->epoll_fd < 0) {
		log_msg(LOG_LEVEL_ERROR, "loop", "epoll_create1: %s", strerror(errno));
		free(loop->events);
		loop->events = NULL;
		return ERR_IO;
	}
	loop->now_ms = sys_now_ms();
	return 0;
}

void loop_destroy(struct loop *loop)
{
	if (loop->signal_watch.fd >= 0) {
		int fd = loop->signal_watch.fd;
		loop_fd_remove(loop, &loop->signal_watch);
		close(fd);
	}
	if (loop->epoll_fd >= 0)
		close(loop->epoll_fd);
	loop->epoll_fd = -1;
	timer_heap_destroy(&loop->timers);
	free(loop->events);
	loop->events = NULL;
}

static uint32_t to_epoll(uint32_t events)
{
	uint32_t e = 0;
	if (events & LOOP_READ)
		e |= EPOLLIN;
	if (events & LOOP_WRITE)
		e |= EPOLLOUT;
	return e;
}

int loop_fd_add(struct loop *loop, struct loop_fd *w, int fd, uint32_t events,
		loop_fd_fn fn, void *ctx)
{
	if (fd < 0 || !fn)
		return ERR_INVALID;
	struct epoll_event ev = { .events = to_epoll(events), .data.ptr = w };
	if (epoll_ctl(loop->epoll_fd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		log_msg(LOG_LEVEL_ERROR, "loop", "epoll add fd %d: %s", fd, strerror(errno));
		return errno == EEXIST ? ERR_EXISTS : ERR_IO;
	}
	w->fd = fd;
	w->events = events;
	w->fn = fn;
	w->ctx = ctx;
	return 0;
}

int loop_fd_modify(struct loop *loop, struct loop_fd *w, uint32_t events)
{
	if (w->fd < 0)
		return ERR_STATE;
	if (events == w->events)
		return 0;
	struct epoll_event ev = { .events = to_epoll(events), .data.ptr = w };
	if (epoll_ctl(loop->epoll_fd, EPOLL_CTL_MOD, w->fd, &ev) < 0) {
		log_msg(LOG_LEVEL_ERROR, "loop", "epoll mod fd %d: %s", w->fd, strerror(errno));
		return ERR_IO;
	}
	w->events = events;
	return 0;
}

void loop_fd_remove(struct loop *loop, struct loop_fd *w)
{
	if (w->fd < 0)
		return;
	epoll_ctl(loop->epoll_fd, EPOLL_CTL_DEL, w->fd, NULL);
	/* Events already fetched in this batch must not reach a watcher that
	 * its owner may free right after this call. */
	struct epoll_event *evs = loop->events;
	for (int i = loop->cur_event + 1; i < loop->nevents; i++)
		if (evs[i].data.ptr == w)
			evs[i].data.ptr = NULL;
	w->fd = -1;
	w->events = 0;
}

void loop_timer_init(struct loop_timer *t, loop_timer_fn fn, void *ctx)
{
	t->deadline = DEADLINE_NONE;
	t->order = 0;
	t->index = TIMER_NOT_ARMED;
	t->fn = fn;
	t->ctx = ctx;
}

int loop_timer_set(struct loop *loop, struct loop_timer *t, uint64_t deadline_ms)
{
	if (deadline_ms == DEADLINE_NONE) {
		timer_heap_remove(&loop->timers, t);
		t->deadline = DEADLINE_NONE;
		return 0;
	}
	return timer_heap_set(&loop->timers, t, deadline_ms);
}

void loop_timer_cancel(struct loop *loop, struct loop_timer *t)
{
	timer_heap_remove(&loop->timers, t);
	t->deadline = DEADLINE_NONE;
}

void loop_defer(struct loop *loop, struct loop_deferred *d, loop_deferred_fn fn, void *ctx)
{
	if (d->queued)
		return;
	d->fn = fn;
	d->ctx = ctx;
	d->next = NULL;
	d->queued = true;
	if (loop->deferred_tail)
		loop->deferred_tail->next = d;
	else
		loop->deferred_head = d;
	loop->deferred_tail = d;
}

void loop_defer_cancel(struct loop *loop, struct loop_deferred *d)
{
	if (!d->queued)
		return;
	struct loop_deferred **pp = &loop->deferred_head, *prev = NULL;
	while (*pp && *pp != d) {
		prev = *pp;
		pp = &(*pp)->next;
	}
	if (*pp) {
		*pp = d->next;
		if (loop->deferred_tail == d)
			loop->deferred_tail = prev;
	}
	d->queued = false;
	d->next = NULL;
}

static void run_deferred(struct loop *loop)
{
	/* Only what was queued before this round runs now; callbacks that defer
	 * again run next round, so a self-requeueing callback cannot starve I/O.
	 * Items stay on the loop's list until popped, so a callback may cancel
	 * (and free) any other queued item. */
	struct loop_deferred *last = loop->deferred_tail;
	while (last && loop->deferred_head && !loop->stopped) {
		struct loop_deferred *d = loop->deferred_head;
		loop->deferred_head = d->next;
		if (!loop->deferred_head)
			loop->deferred_tail = NULL;
		d->next = NULL;
		d->queued = false;
		bool was_last = d == last;
		d->fn(loop, d, d->ctx);
		if (was_last)
			break;
	}
}

static void run_timers(struct loop *loop)
{
	struct loop_timer *t;
	/* A timer armed during this pass for "now" fires on the next pass at
	 * the earliest, because we stop at the first deadline after now_ms... */
	uint64_t now = loop->now_ms;
	unsigned budget = 1u << 16; /* ...and a bounded number per pass. */
	while (budget-- && (t = timer_heap_top(&loop->timers)) && t->deadline <= now) {
		timer_heap_remove(&loop->timers, t);
		t->deadline = DEADLINE_NONE;
		t->fn(loop, t, t->ctx);
		if (loop->stopped)
			return;
	}
}

static int wait_ms(struct loop *loop, int max_wait_ms)
{
	if (loop->deferred_head)
		return 0;
	struct loop_timer *t = timer_heap_top(&loop->timers);
	int wait = max_wait_ms;
	if (t) {
		uint64_t now = sys_now_ms();
		uint64_t left = t->deadline > now ? t->deadline - now + LOOP_TIMER_SLACK_MS : 0;
		if (left > INT_MAX)
			left = INT_MAX;
		if (wait < 0 || (uint64_t)wait > left)
			wait = (int)left;
	}
	return wait;
}

static uint64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void account_stall(struct loop *loop, uint64_t began_us)
{
	uint64_t took = now_us() - began_us;
	loop->iterations++;
	if (took > loop->stall_worst_us)
		loop->stall_worst_us = took;
	if (took > loop->stall_recent_us)
		loop->stall_recent_us = took;
	if (took > 10000u)
		loop->stalls_over_10ms++;
}

uint64_t loop_take_recent_stall(struct loop *loop)
{
	uint64_t worst = loop->stall_recent_us;
	loop->stall_recent_us = 0;
	return worst;
}

int loop_run_once(struct loop *loop, int max_wait_ms)
{
	struct epoll_event *evs = loop->events;
	loop->stopped = false; /* a stop requested in this iteration ends loop_run */
	int n = epoll_wait(loop->epoll_fd, evs, LOOP_MAX_EVENTS, wait_ms(loop, max_wait_ms));
	if (n < 0) {
		if (errno == EINTR)
			n = 0;
		else {
			log_msg(LOG_LEVEL_ERROR, "loop", "epoll_wait: %s", strerror(errno));
			return ERR_IO;
		}
	}
	uint64_t began_us = now_us();
	loop->now_ms = began_us / 1000u;
	loop->nevents = n;
	for (loop->cur_event = 0; loop->cur_event < n; loop->cur_event++) {
		struct epoll_event *ev = &evs[loop->cur_event];
		struct loop_fd *w = ev->data.ptr;
		if (!w || w->fd < 0)
			continue;
		uint32_t got = 0;
		if (ev->events & EPOLLIN)
			got |= LOOP_READ;
		if (ev->events & EPOLLOUT)
			got |= LOOP_WRITE;
		if (ev->events & (EPOLLERR | EPOLLHUP))
			got |= LOOP_ERROR;
		w->fn(loop, w, got, w->ctx);
		if (loop->stopped)
			break;
	}
	loop->nevents = 0;
	loop->cur_event = 0;
	if (!loop->stopped)
		run_timers(loop);
	if (!loop->stopped)
		run_deferred(loop);
	account_stall(loop, began_us);
	return 0;
}

int loop_run(struct loop *loop)
{
	do {
		int rc = loop_run_once(loop, -1);
		if (rc < 0)
			return rc;
	} while (!loop->stopped);
	return 0;
}

void loop_stop(struct loop *loop)
{
	loop->stopped = true;
}

static void on_signalfd(struct loop *loop, struct loop_fd *w, uint32_t events, void *ctx)
{
	(void)events;
	(void)ctx;
	struct signalfd_siginfo si;
	for (;;) {
		ssize_t n = read(w->fd, &si, sizeof(si));
		if (n != (ssize_t)sizeof(si))
			return; /* EAGAIN (drained) or a short read we cannot use */
		int signo = (int)si.ssi_signo;
		if (signo == SIGINT || signo == SIGTERM) {
			log_msg(LOG_LEVEL_DEBUG, "loop", "signal %d: stopping", signo); /* the owner says what it does about it */
			if (loop->on_stop)
				loop->on_stop(loop, signo, loop->signal_ctx);
			else
				loop_stop(loop);
		} else if (signo == SIGHUP) {
			log_msg(LOG_LEVEL_INFO, "loop", "SIGHUP: reload");
			if (loop->on_reload)
				loop->on_reload(loop, signo, loop->signal_ctx);
		}
		if (w->fd < 0)
			return;
	}
}

int loop_signals(struct loop *loop, loop_signal_fn on_stop, loop_signal_fn on_reload, void *ctx)
{
	if (loop->signal_watch.fd >= 0)
		return ERR_STATE;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return ERR_IO;
	int fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0) {
		log_msg(LOG_LEVEL_ERROR, "loop", "signalfd: %s", strerror(errno));
		return ERR_IO;
	}
	loop->on_stop = on_stop;
	loop->on_reload = on_reload;
	loop->signal_ctx = ctx;
	int rc = loop_fd_add(loop, &loop->signal_watch, fd, LOOP_READ, on_signalfd, NULL);
	if (rc < 0)
		close(fd);
	return rc;
}
