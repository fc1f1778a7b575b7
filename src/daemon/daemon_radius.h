/* SPDX-License-Identifier: BSD-2-Clause */
/* The RADIUS client engine (src/proto/radius/radius_client.h) on the
 * daemon core: DAEMON_RADIUS_SOCKETS non-blocking UDP sockets per service
 * (authentication, accounting) in the epoll loop, each its own space of
 * 256 Identifiers (RFC 2865 §3; the engine moves to the next socket when
 * one's are all in flight), the engine's timer, and one drain point
 * that hands every engine event to the owner's function.
 *
 * The sockets are opened at setup (the sandbox allows sendto/recvfrom, not
 * socket()). A datagram is matched to a server by its source address and
 * port; anything else is dropped before the engine sees it. The owner's
 * event function may submit or cancel requests: the drain that is running
 * takes what they queue. */
#ifndef OPENPPTP_DAEMON_RADIUS_H
#define OPENPPTP_DAEMON_RADIUS_H

#include <stdbool.h>
#include <stdint.h>

#include "proto/radius/radius_client.h"
#include "sys/loop.h"

/* Opened at setup, all of them: the sandbox allows no socket() later.
 * 2 x 256 Identifiers cover SERVER_AUTH_PENDING_MAX logins in flight
 * plus the accounting records. */
#define DAEMON_RADIUS_SOCKETS 2

struct daemon_radius_server {
	uint32_t addr; /* host order */
	uint16_t port;
};

struct daemon_radius_config {
	struct daemon_radius_server servers[RADIUS_SERVICES][RADIUS_CLIENT_MAX_SERVERS];
	unsigned n_servers[RADIUS_SERVICES];
	const uint8_t *secret;  /* one secret for every server (--radius-secret-file) */
	size_t secret_len;
	unsigned timeout_ms;    /* per try */
	unsigned retries;       /* retransmissions per server */
	uint32_t local_addr;    /* source address, 0 = the kernel's choice */
};

typedef void (*daemon_radius_event_fn)(void *owner, const struct radius_event *ev);

struct daemon_radius {
	struct loop *loop;
	struct radius_client *client;
	struct daemon_radius_config cfg;
	int fd[RADIUS_SERVICES][DAEMON_RADIUS_SOCKETS];
	struct loop_fd watch[RADIUS_SERVICES][DAEMON_RADIUS_SOCKETS];
	struct loop_timer timer;
	daemon_radius_event_fn on_event;
	void *owner;
	bool draining;
	uint64_t send_errors, foreign_datagrams;
};

void daemon_radius_init(struct daemon_radius *r);
/* Sockets and engine; 0 or a negative error (logged). */
int daemon_radius_open(struct daemon_radius *r, struct loop *loop, const struct daemon_radius_config *cfg,
		       const struct random_source *rs, daemon_radius_event_fn on_event, void *owner);
void daemon_radius_close(struct daemon_radius *r);
static inline bool daemon_radius_is_open(const struct daemon_radius *r)
{
	return r->client != NULL;
}
/* radius_client_submit, then the drain. */
int daemon_radius_submit(struct daemon_radius *r, const struct radius_request *req);
void daemon_radius_cancel(struct daemon_radius *r, uint64_t handle);

#endif
