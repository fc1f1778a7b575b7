/* SPDX-License-Identifier: BSD-2-Clause */
/* The event loop: epoll for fd readiness, a timer heap, signals through a
 * signalfd, deferred callbacks, and a monotonic clock in milliseconds.
 *
 * All watcher, timer and deferred structures are caller-owned (embed them in
 * the session); the loop never allocates per registration except to grow the
 * timer heap. Callbacks may add, remove or rearm anything, including the
 * watcher or timer that is running. */
#ifndef OPENPPTP_SYS_LOOP_H
#define OPENPPTP_SYS_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#include "sys/timer_heap.h"

/* Milliseconds on CLOCK_MONOTONIC (never jumps with the wall clock). */
uint64_t sys_now_ms(void);

enum loop_events {
	LOOP_READ = 1u << 0,
	LOOP_WRITE = 1u << 1,
	LOOP_ERROR = 1u << 2,   /* reported only: EPOLLERR or EPOLLHUP */
};

struct loop_fd;
typedef void (*loop_fd_fn)(struct loop *loop, struct loop_fd *watch, uint32_t events, void *ctx);

struct loop_fd {
	int fd;            /* -1 when not registered */
	uint32_t events;   /* LOOP_READ | LOOP_WRITE wanted */
	loop_fd_fn fn;
	void *ctx;
};

struct loop_deferred;
typedef void (*loop_deferred_fn)(struct loop *loop, struct loop_deferred *d, void *ctx);

struct loop_deferred {
	struct loop_deferred *next;
	bool queued;
	loop_deferred_fn fn;
	void *ctx;
};

typedef void (*loop_signal_fn)(struct loop *loop, int signo, void *ctx);

struct loop {
	int epoll_fd;
	bool stopped;
	uint64_t now_ms;           /* refreshed once per iteration */
	struct timer_heap timers;
	struct loop_deferred *deferred_head, *deferred_tail;
	/* dispatch state, so a removed watcher is not called later in a batch */
	void *events;              /* struct epoll_event[] */
	int nevents, cur_event;
	/* signals */
	struct loop_fd signal_watch;
	loop_signal_fn on_stop, on_reload;
	void *signal_ctx;
	/* Stall accounting: the time from epoll_wait's return to the end of
	 * the iteration (callbacks, timers, deferred work), in microseconds.
	 * A long one delays every other session's packets and timers. */
	uint64_t iterations;
	uint64_t stall_worst_us;   /* since loop_init */
	uint64_t stall_recent_us;  /* since the last loop_take_recent_stall */
	uint64_t stalls_over_10ms; /* iterations that took longer than 10 ms */
};

int loop_init(struct loop *loop);
/* Closes the epoll and signal fds; does not close watched fds. */
void loop_destroy(struct loop *loop);

/* The time cached at the start of this iteration (cheap; use in callbacks). */
static inline uint64_t loop_now(const struct loop *loop)
{
	return loop->now_ms;
}

/* fd watchers. `events` is LOOP_READ and/or LOOP_WRITE (may be 0 = paused). */
int loop_fd_add(struct loop *loop, struct loop_fd *w, int fd, uint32_t events,
		loop_fd_fn fn, void *ctx);
int loop_fd_modify(struct loop *loop, struct loop_fd *w, uint32_t events);
/* Unregister (call before closing the fd). Safe on a never-added watcher
 * whose fd is -1 (see loop_fd_init). */
void loop_fd_remove(struct loop *loop, struct loop_fd *w);
static inline void loop_fd_init(struct loop_fd *w)
{
	w->fd = -1;
	w->events = 0;
	w->fn = 0;
	w->ctx = 0;
}

/* Timers: initialise once, then arm at an absolute deadline (ms, the same
 * clock as sys_now_ms / loop_now), fired at most a few ms after it
 * (LOOP_TIMER_SLACK_MS: timers due close together share a wake-up). Arming
 * an armed timer moves it; arming at
 * DEADLINE_NONE disarms it, so `loop_timer_set(l, t, x_next_deadline(x))`
 * just works. */
void loop_timer_init(struct loop_timer *t, loop_timer_fn fn, void *ctx);
int loop_timer_set(struct loop *loop, struct loop_timer *t, uint64_t deadline_ms);
void loop_timer_cancel(struct loop *loop, struct loop_timer *t);

/* Run fn once, after the current round of callbacks (no-op if queued). */
void loop_defer(struct loop *loop, struct loop_deferred *d, loop_deferred_fn fn, void *ctx);
void loop_defer_cancel(struct loop *loop, struct loop_deferred *d);

/* Signals: blocks SIGINT, SIGTERM and SIGHUP and reads them from a signalfd;
 * ignores SIGPIPE (writes to closed sockets return EPIPE instead).
 * SIGINT/SIGTERM call on_stop (NULL: loop_stop), SIGHUP calls on_reload
 * (NULL: ignored). */
int loop_signals(struct loop *loop, loop_signal_fn on_stop, loop_signal_fn on_reload, void *ctx);

/* One iteration: wait up to max_wait_ms (or until the next timer, whichever
 * is first; -1 = no limit), dispatch fd events, expired timers and deferred
 * callbacks. Returns 0 or a negative error. */
int loop_run_once(struct loop *loop, int max_wait_ms);
/* The worst iteration since the previous call (µs), and start a new
 * window: a status request reads the stall of the work before it. */
uint64_t loop_take_recent_stall(struct loop *loop);

/* Iterate until loop_stop() is called. */
int loop_run(struct loop *loop);
void loop_stop(struct loop *loop);

#endif
