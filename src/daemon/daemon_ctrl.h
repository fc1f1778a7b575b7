/* SPDX-License-Identifier: BSD-2-Clause */
/* The TCP control pump of one PPTP control connection (RFC 2637 §2, TCP
 * 1723): a bounded number of reads per readiness (daemon_budget.h), an
 * output buffer for what the socket cannot take yet, and one error policy
 * for both daemons: end of stream, a socket error or a full output buffer
 * (a peer that does not read its control connection) all make the
 * connection LOST, which its owner reports to the engine once
 * (tunnel_tcp_closed) — nothing is ever dropped and carried on from.
 *
 *   IDLE --attach--> OPEN --EOF / error / overflow--> LOST --owner told--> DONE
 *                      \--------------------- stop ------------------------^
 * DONE keeps the fd for one last flush in daemon_ctrl_close. */
#ifndef OPENPPTP_DAEMON_DAEMON_CTRL_H
#define OPENPPTP_DAEMON_DAEMON_CTRL_H

#include <stddef.h>
#include <stdint.h>

#include "sys/loop.h"
#include "sys/tcp.h"

enum daemon_ctrl_state {
	DAEMON_CTRL_IDLE = 0,  /* no fd yet (the client is still connecting) */
	DAEMON_CTRL_OPEN,      /* reading and writing */
	DAEMON_CTRL_LOST,      /* EOF, error or overflow: the owner must tell the engine */
	DAEMON_CTRL_DONE,      /* told (or stopped): nothing more is read or written */
};

const char *daemon_ctrl_state_name(enum daemon_ctrl_state state);

struct daemon_ctrl_ops {
	/* Bytes read from the peer, in order. */
	void (*input)(void *ctx, const uint8_t *bytes, size_t len, uint64_t now_ms);
	/* After each readiness callback (the owner settles its engine here). */
	void (*after)(void *ctx, uint64_t now_ms);
};

struct daemon_ctrl {
	enum daemon_ctrl_state state;
	int fd;
	int lost_error;        /* why LOST: ERR_CLOSED, ERR_LIMIT, ERR_IO, ERR_NOMEM */
	const char *tag;
	struct loop *loop;
	struct loop_fd watch;
	struct tcp_out out;
	const struct daemon_ctrl_ops *ops;
	void *ctx;
};

void daemon_ctrl_init(struct daemon_ctrl *c, struct loop *loop, const struct daemon_ctrl_ops *ops, void *ctx,
		      const char *tag);
/* Take fd (connected, nonblocking) and watch it for reading. */
int daemon_ctrl_attach(struct daemon_ctrl *c, int fd);
/* Control bytes for the peer, in order; what would block is buffered.
 * 0, or a negative error when the connection is (now) not writable: the
 * bytes are not sent and the state is LOST or DONE. */
int daemon_ctrl_write(struct daemon_ctrl *c, const uint8_t *bytes, size_t len);
/* What the loop calls on readiness (exposed for tests): flush on
 * LOOP_WRITE, then up to DAEMON_CTRL_READS_PER_ROUND reads on
 * LOOP_READ/LOOP_ERROR, stopping early when the state leaves OPEN. Does not
 * call ops->after. */
void daemon_ctrl_pump(struct daemon_ctrl *c, uint32_t events, uint64_t now_ms);
/* LOST -> DONE: returns true once, when the owner must now report the loss. */
bool daemon_ctrl_take_loss(struct daemon_ctrl *c);
/* Stop reading and writing (the engine is closed); the fd stays for close. */
void daemon_ctrl_stop(struct daemon_ctrl *c);
/* Unwatch, flush what the socket takes now, close the fd, free the buffer. */
void daemon_ctrl_close(struct daemon_ctrl *c);

#endif
