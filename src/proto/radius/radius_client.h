/* SPDX-License-Identifier: BSD-2-Clause */
/* A sans-I/O RADIUS client engine (RFC 2865 §2.5, RFC 5080 §2.2.1,
 * RFC 5997): outstanding requests, Identifiers, retransmission, failover
 * between servers, dead-server marking and Status-Server probing.
 *
 * The engine makes no syscall. The owner:
 *   - submits requests (attributes already encoded, see radius_build.h);
 *   - gets each datagram to send through the send callback, which must not
 *     call back into the engine (it only queues or sends);
 *   - feeds every received datagram with the service, server and socket it
 *     came in on (the owner knows them from the socket and source address);
 *   - arms a timer for radius_client_next_deadline() and calls
 *     radius_client_on_timeout(now) when it fires;
 *   - drains radius_client_next_event() after each call (the queue holds one
 *     final event per request plus a few server events; events that find
 *     it full are counted in events_lost).
 *
 * Services: authentication and accounting have separate server lists and
 * separate sockets. Identifiers: 256 per socket (RFC 2865 §3); each service
 * has cfg.sockets Identifier spaces (one UDP socket each, opened by the
 * owner), so up to 256 * sockets requests and probes can be outstanding per
 * service. Raising RADIUS_CLIENT_MAX_SOCKETS is all it takes to allow more.
 *
 * Failover: a request is sent to the first live server of its list, then
 * retransmitted to it with the same Identifier and authenticator (RFC 5080
 * §2.2.1) every timeout_ms, `retries` times. When the last try times out, the
 * server is marked dead, and the request goes to the next live server it has
 * not tried, with a new Identifier and authenticator. A dead server gets a
 * Status-Server (with Message-Authenticator, RFC 5997 §3) every
 * probe_interval_ms; a valid answer makes it live again. When no live
 * server is left, submit fails with ERR_TIMEOUT and an outstanding request
 * ends with RADIUS_EV_FAILED. */
#ifndef OPENPPTP_PROTO_RADIUS_CLIENT_H
#define OPENPPTP_PROTO_RADIUS_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/random.h"
#include "proto/radius/radius_packet.h"
#include "proto/radius/radius_sign.h"

#define RADIUS_CLIENT_MAX_SERVERS 8
#define RADIUS_CLIENT_MAX_SOCKETS 4
#define RADIUS_CLIENT_MAX_OUTSTANDING 1024

enum radius_service {
	RADIUS_SERVICE_AUTH = 0,
	RADIUS_SERVICE_ACCT = 1,
};
#define RADIUS_SERVICES 2

struct radius_server_config {
	uint8_t secret[RADIUS_SECRET_MAX];
	size_t secret_len;
};

struct radius_client_config {
	struct radius_server_config servers[RADIUS_SERVICES][RADIUS_CLIENT_MAX_SERVERS];
	unsigned n_servers[RADIUS_SERVICES];
	unsigned sockets;           /* Identifier spaces per service, 1..RADIUS_CLIENT_MAX_SOCKETS */
	unsigned timeout_ms;        /* per try */
	unsigned retries;           /* retransmissions to one server after the first send */
	unsigned probe_interval_ms; /* Status-Server to a dead server */
	unsigned max_outstanding;   /* requests in flight, 1..RADIUS_CLIENT_MAX_OUTSTANDING */
};

/* A datagram to send; data is valid only during the callback. */
struct radius_datagram {
	enum radius_service service;
	unsigned server;
	unsigned socket;
	const uint8_t *data;
	size_t len;
};
typedef void (*radius_send_fn)(void *ctx, const struct radius_datagram *d);

struct radius_request {
	enum radius_service service;
	uint8_t code;         /* RADIUS_ACCESS_REQUEST or RADIUS_ACCOUNTING_REQUEST */
	const uint8_t *attrs; /* encoded attributes, without User-Password or Message-Authenticator */
	size_t attrs_len;
	/* PAP: hidden per server (the hiding depends on its secret), NULL otherwise. */
	const uint8_t *password;
	size_t password_len;
	uint64_t handle; /* the owner's name for the request, in its events */
};

enum radius_event_type {
	RADIUS_EV_REPLY,        /* a verified reply to `handle` */
	RADIUS_EV_FAILED,       /* no server answered `handle` */
	RADIUS_EV_SERVER_DEAD,  /* (service, server) stopped answering */
	RADIUS_EV_SERVER_ALIVE, /* (service, server) answered a Status-Server */
	RADIUS_EV_DROPPED,      /* a datagram refused for `verdict`, never acted on */
};

struct radius_event {
	enum radius_event_type type;
	uint64_t handle;
	enum radius_service service;
	unsigned server;
	enum radius_verdict verdict;
	/* RADIUS_EV_REPLY: the reply (pointing into the engine, valid until the
	 * next radius_client_next_event() call), the Request Authenticator and
	 * secret that decrypt its hidden attributes (radius_hide.h). */
	struct radius_packet reply;
	uint8_t request_auth[RADIUS_AUTH_SIZE];
	const uint8_t *secret;
	size_t secret_len;
};

struct radius_client_stats {
	uint64_t sent, retransmitted, replies, failed, probes;
	uint64_t dropped[RADIUS_VERDICT_UNMATCHED + 1];
	uint64_t events_lost; /* server/drop events that found the queue full */
};

struct radius_client;

/* Returns NULL on a bad configuration or no memory. */
struct radius_client *radius_client_new(const struct radius_client_config *cfg, const struct random_source *rs,
					radius_send_fn send, void *send_ctx);
void radius_client_free(struct radius_client *c);

/* 0, ERR_LIMIT (table full or no free Identifier), ERR_TIMEOUT (no live
 * server), ERR_INVALID (bad request), ERR_NOSPACE (packet over 4096). */
int radius_client_submit(struct radius_client *c, const struct radius_request *req, uint64_t now);
/* Forget a request (the session went away); its late reply is dropped.
 * An answer already queued as an event is still delivered. */
void radius_client_cancel(struct radius_client *c, uint64_t handle);

void radius_client_on_datagram(struct radius_client *c, enum radius_service service, unsigned server,
			       unsigned socket, const uint8_t *buf, size_t len, uint64_t now);
uint64_t radius_client_next_deadline(const struct radius_client *c);
void radius_client_on_timeout(struct radius_client *c, uint64_t now);
bool radius_client_next_event(struct radius_client *c, struct radius_event *ev);

bool radius_client_server_alive(const struct radius_client *c, enum radius_service service, unsigned server);
unsigned radius_client_outstanding(const struct radius_client *c);
const struct radius_client_stats *radius_client_stats(const struct radius_client *c);

#endif
