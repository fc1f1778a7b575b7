/* SPDX-License-Identifier: BSD-2-Clause */
/* RADIUS accounting (RFC 2866) for the server's sessions: Start when a
 * session is up, Interim-Update every interval (--radius-acct-interim or
 * the reply's Acct-Interim-Interval), Stop with octets, gigawords,
 * packets, session time and terminate cause; Accounting-On at start.
 * The RADIUS client retransmits and fails over; a request no server took
 * waits in a bounded queue and is sent again each tick, so a RADIUS
 * restart loses no Stop. The same tick ends sessions past their
 * Session-Timeout or Idle-Timeout. */
#ifndef OPENPPTP_SERVER_ACCT_H
#define OPENPPTP_SERVER_ACCT_H

#include <stddef.h>
#include <stdint.h>

#include "proto/radius/radius_wire.h"

/* RFC 2866 §5.10 Acct-Terminate-Cause values we give. */
enum server_acct_cause {
	ACCT_CAUSE_USER_REQUEST = 1,
	ACCT_CAUSE_LOST_CARRIER = 2,
	ACCT_CAUSE_LOST_SERVICE = 3,
	ACCT_CAUSE_IDLE_TIMEOUT = 4,
	ACCT_CAUSE_SESSION_TIMEOUT = 5,
	ACCT_CAUSE_ADMIN_RESET = 6,
	ACCT_CAUSE_PORT_ERROR = 8,
	ACCT_CAUSE_NAS_REQUEST = 10,
	ACCT_CAUSE_USER_ERROR = 17,
};

#define SERVER_ACCT_QUEUE_MAX 1024
#define SERVER_ACCT_ATTRS_MAX 512

/* One record until a server answers it: in flight in the RADIUS client,
 * or waiting for the next tick (no server took it). */
enum server_acct_slot {
	ACCT_SLOT_FREE = 0,
	ACCT_SLOT_IN_FLIGHT,
	ACCT_SLOT_WAITING,
};

struct server_acct_held {
	enum server_acct_slot state;
	uint64_t handle;
	size_t len;
	uint8_t attrs[SERVER_ACCT_ATTRS_MAX];
};

struct server_acct {
	uint32_t boot_id; /* in every Acct-Session-Id: random per start (restarts, servers) */
	uint32_t nas_ip;  /* NAS-IP-Address of every request (RFC 2865 §5.4); 0: none */
	uint32_t next_session;
	uint64_t next_handle;
	struct server_acct_held held[SERVER_ACCT_QUEUE_MAX];
	uint64_t sent, answered, requeued, lost;
};

#endif
