/* SPDX-License-Identifier: BSD-2-Clause */
/* Disconnect-Requests waiting for their sessions to be down (RFC 5176
 * §3: the ACK says the session context is gone; issue 14 §2: once its
 * accounting Stop says Admin-Reset). A small table, pure: the server
 * marks each session it closes with the wait's handle, reports each
 * session's end, and sends the ACK when the count reaches zero, or a NAK
 * 506 (Resources Unavailable) when the deadline passes first. */
#ifndef OPENPPTP_SERVER_DAE_WAIT_H
#define OPENPPTP_SERVER_DAE_WAIT_H

#include <stdbool.h>
#include <stdint.h>

#include "proto/radius/radius_packet.h"

#define DAE_WAIT_MAX 32
#define DAE_WAIT_MS 10000u /* a peer that does not answer LCP Terminate is cut after 2 x 3 s */

struct dae_wait {
	bool in_use;
	uint8_t code, id; /* the request's, for the answer */
	uint8_t authenticator[RADIUS_AUTH_SIZE];
	uint32_t from; /* the DAE client's address and port */
	uint16_t port;
	unsigned remaining; /* sessions still to go down */
	uint64_t deadline_ms;
	uint16_t generation;
};

struct dae_waits {
	struct dae_wait w[DAE_WAIT_MAX];
	uint16_t generation;
};

/* The handle a session keeps (never 0), or 0 when the table is full. */
uint32_t dae_wait_begin(struct dae_waits *t, const struct radius_packet *req, uint32_t from, uint16_t port,
			uint64_t now_ms);
/* A retransmission of a request still waiting (same source, Identifier
 * and authenticator): answered once, when the wait ends. */
bool dae_wait_is_duplicate(const struct dae_waits *t, const struct radius_packet *req, uint32_t from, uint16_t port);
/* One more session this wait needs down. */
void dae_wait_add_session(struct dae_waits *t, uint32_t handle);
/* A session marked with handle is down: the wait, when this was its last
 * session (copied to *done and freed), else NULL. */
bool dae_wait_session_down(struct dae_waits *t, uint32_t handle, struct dae_wait *done);
/* The wait with no session left to wait for (all matched sessions were
 * already closing): true and copied to *done, the wait freed. */
bool dae_wait_settle(struct dae_waits *t, uint32_t handle, struct dae_wait *done);
/* The first wait past its deadline (copied, freed): call until false. */
bool dae_wait_expired(struct dae_waits *t, uint64_t now_ms, struct dae_wait *done);
uint64_t dae_wait_next_deadline(const struct dae_waits *t);

/* The packet radius_dae_reply needs to answer a wait (no attributes). */
void dae_wait_request(const struct dae_wait *w, struct radius_packet *out);

#endif
