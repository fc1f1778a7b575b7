/* SPDX-License-Identifier: BSD-2-Clause */
/* The server's authenticator (issue 14 §1): the one thing a session asks
 * "are these credentials good?", answered later through the tunnel
 * (daemon_tunnel_verify_done), by the secrets file or by RADIUS; the
 * session never knows which. --auth-source radius,secrets asks the secrets
 * file only when no RADIUS server answered.
 *
 * RADIUS requests carry the call's NAS-Port (its call ID), the client's
 * underlay address as Calling-Station-Id, Tunnel-Type PPTP and the
 * session's Acct-Session-Id. Accepted replies leave their grant (address,
 * timeouts, Class...) in the session (server_session). */
#ifndef OPENPPTP_SERVER_AUTH_H
#define OPENPPTP_SERVER_AUTH_H

#include <stdint.h>

#include "base/log2_histogram.h"
#include "proto/auth/auth.h"
#include "proto/radius/radius_access.h"

enum server_auth_source {
	SERVER_AUTH_SECRETS = 0,      /* the chap-secrets file, checked by the engine */
	SERVER_AUTH_RADIUS,           /* RADIUS only */
	SERVER_AUTH_RADIUS_SECRETS,   /* RADIUS; the file when no server answers */
};

/* Bounded: more verifications in flight than this are refused at once. */
#define SERVER_AUTH_PENDING_MAX 256

struct server;
struct server_conn;
struct tunnel_event;

struct server_auth_pending {
	struct server_conn *conn;     /* NULL: free */
	uint16_t call_id;
	uint16_t generation;
	uint64_t submitted_ms;
	struct auth_verify_request req;
};

struct server_auth {
	struct server_auth_pending pending[SERVER_AUTH_PENDING_MAX];
	uint16_t generation;
	uint64_t accepted, rejected, unanswered, fallbacks;
	struct log2_histogram rtt_ms; /* round trips of answered Access-Requests */
};

/* A TUNNEL_EVENT_VERIFY of connection c (from its event function). */
void server_auth_begin(struct server *s, struct server_conn *c, const struct tunnel_event *ev);
/* The connection goes: forget what it waits for. */
void server_auth_conn_gone(struct server *s, struct server_conn *c);
/* daemon_radius's event function (owner = the server). */
void server_auth_radius_event(void *owner, const struct radius_event *ev);

/* The round trip (ms) below which pct percent of the answers came: the
 * upper bound of a log2_histogram bucket, at most a quarter above. */
unsigned server_auth_rtt_percentile(const struct server_auth *a, unsigned pct);
/* One line with the counts and round trips (at exit). */
void server_auth_log_summary(const struct server *s);

/* server_auth_local.c: the secrets file's verdict. */
void server_auth_local_verify(const struct server *s, const struct auth_verify_request *r, struct auth_verdict *v,
			      uint32_t *static_address);

#endif
