/* SPDX-License-Identifier: BSD-2-Clause */
/* The Dynamic Authorization listener (RFC 5176) of the server: off unless
 * --dae-listen. Sources outside --dae-client are dropped, counted and
 * logged at most once per interval; the rest goes through radius_dae.h.
 * Disconnect-Request ends the matching sessions (accounting Stop with
 * Admin-Reset) and is ACKed once they are all down (dae_wait.h), NAKed
 * with 506 when they are not within DAE_WAIT_MS; CoA-Request
 * changes Session-Timeout, Idle-Timeout and Acct-Interim-Interval of the
 * matching live sessions. */
#ifndef OPENPPTP_SERVER_DAE_H
#define OPENPPTP_SERVER_DAE_H

#include <stddef.h>
#include <stdint.h>

#include "base/log.h"
#include "proto/radius/radius_dae.h"
#include "proto/radius/radius_wire.h"
#include "server/dae_wait.h"
#include "sys/loop.h"

#define SERVER_DAE_CLIENTS_MAX 16

struct server_dae {
	int fd;
	struct loop_fd watch;
	uint32_t listen_addr;
	uint16_t listen_port;
	uint32_t clients[SERVER_DAE_CLIENTS_MAX];
	unsigned n_clients;
	uint8_t secret[RADIUS_SECRET_MAX];
	size_t secret_len;
	struct log_limit limit;
	uint64_t dropped_source, dropped, acked, naked;
	struct dae_waits waits;
	struct loop_timer wait_timer;
};

struct server;
int server_dae_settings(struct server *s);
int server_dae_open(struct server *s);
void server_dae_close(struct server *s);
struct server_session;
/* A session is down (server_session_release): the Disconnect-ACK of the
 * request that closed it, when it was the last one it waited for. */
void server_dae_session_down(struct server *s, struct server_session *ss);

#endif
