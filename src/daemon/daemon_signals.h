/* SPDX-License-Identifier: BSD-2-Clause */
/* Signals and shutdown, the same on both daemons: the first SIGINT/SIGTERM
 * begins an orderly close (LCP Terminate, Call-Clear, Stop-Control-
 * Connection), a second one — or DAEMON_STOP_GRACE_MS without the close
 * completing — ends the loop at once. SIGHUP reloads (server: secrets).
 *
 *   RUNNING --stop signal--> STOPPING --second signal / grace over--> ended */
#ifndef OPENPPTP_DAEMON_DAEMON_SIGNALS_H
#define OPENPPTP_DAEMON_DAEMON_SIGNALS_H

#include <stdbool.h>
#include <stdint.h>

#include "sys/loop.h"

enum daemon_run_state {
	DAEMON_RUNNING = 0,
	DAEMON_STOPPING,
};

struct daemon_shutdown_ops {
	/* First stop signal: start closing. false = nothing to wait for. */
	bool (*begin)(void *ctx, int signo);
	/* Stop now: end the loop (second signal, grace over, or begin said false). */
	void (*end)(void *ctx);
	/* SIGHUP; NULL: ignored. */
	void (*reload)(void *ctx);
};

struct daemon_shutdown {
	enum daemon_run_state state;
	struct loop *loop;
	struct loop_timer grace;
	uint32_t grace_ms;
	const char *tag;
	const struct daemon_shutdown_ops *ops;
	void *ctx;
};

/* Take over the loop's signals (loop_signals). */
int daemon_shutdown_init(struct daemon_shutdown *sd, struct loop *loop, const char *tag, uint32_t grace_ms,
			 const struct daemon_shutdown_ops *ops, void *ctx);
void daemon_shutdown_destroy(struct daemon_shutdown *sd);
/* The orderly close is over (the loop is ending anyway): the grace timer
 * must not fire later, e.g. while the client waits for its --down hook. A
 * further signal still ends things at once. */
void daemon_shutdown_closed(struct daemon_shutdown *sd);
/* What a stop signal does (exposed for tests). */
void daemon_shutdown_signal(struct daemon_shutdown *sd, int signo);
static inline bool daemon_shutdown_is_stopping(const struct daemon_shutdown *sd)
{
	return sd->state == DAEMON_STOPPING;
}

#endif
