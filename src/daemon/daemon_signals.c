/* SPDX-License-Identifier: BSD-2-Clause */
#include "daemon/daemon_signals.h"

#include "base/log.h"

static void on_grace_over(struct loop *loop, struct loop_timer *t, void *ctx)
{
	struct daemon_shutdown *sd = ctx;
	(void)loop;
	(void)t;
	log_msg(LOG_LEVEL_WARN, sd->tag, "did not close in %u s: exiting", sd->grace_ms / 1000u);
	sd->ops->end(sd->ctx);
}

void daemon_shutdown_signal(struct daemon_shutdown *sd, int signo)
{
	if (sd->state == DAEMON_STOPPING) {
		log_msg(LOG_LEVEL_WARN, sd->tag, "signal %d again: exiting now", signo);
		loop_timer_cancel(sd->loop, &sd->grace);
		sd->ops->end(sd->ctx);
		return;
	}
	sd->state = DAEMON_STOPPING;
	if (!sd->ops->begin(sd->ctx, signo)) {
		sd->ops->end(sd->ctx);
		return;
	}
	(void)loop_timer_set(sd->loop, &sd->grace, sys_now_ms() + sd->grace_ms);
}

static void on_stop(struct loop *loop, int signo, void *ctx)
{
	(void)loop;
	daemon_shutdown_signal(ctx, signo);
}

static void on_reload(struct loop *loop, int signo, void *ctx)
{
	struct daemon_shutdown *sd = ctx;
	(void)loop;
	(void)signo;
	if (sd->ops->reload)
		sd->ops->reload(sd->ctx);
}

int daemon_shutdown_init(struct daemon_shutdown *sd, struct loop *loop, const char *tag, uint32_t grace_ms,
			 const struct daemon_shutdown_ops *ops, void *ctx)
{
	sd->state = DAEMON_RUNNING;
	sd->loop = loop;
	loop_timer_init(&sd->grace, on_grace_over, sd);
	sd->grace_ms = grace_ms;
	sd->tag = tag;
	sd->ops = ops;
	sd->ctx = ctx;
	return loop_signals(loop, on_stop, on_reload, sd);
}

void daemon_shutdown_closed(struct daemon_shutdown *sd)
{
	if (sd->loop)
		loop_timer_cancel(sd->loop, &sd->grace);
}

void daemon_shutdown_destroy(struct daemon_shutdown *sd)
{
	if (sd->loop) /* never initialised: nothing armed */
		loop_timer_cancel(sd->loop, &sd->grace);
}
