/* SPDX-License-Identifier: BSD-2-Clause */
/* A PPTP tunnel: one control connection (TCP 1723) and the calls it
 * carries, each call with its enhanced-GRE channel and its PPP link.
 *
 *   TCP bytes  <-> pptp_ctrl (RFC 2637 §3)
 *   GRE        <-> gre_channel per call (RFC 2637 §4) <-> ppp_link per call
 *   IP packets <-> ppp_link (MPPE in place)
 *
 * Sans-I/O: the daemon (src/server, src/client) owns the sockets and the
 * TUN, reads and writes bytes, and calls tunnel_on_timeout at
 * tunnel_next_deadline. Server and client use the same engine; the role
 * decides who sends the SCCRQ and places the call (PNS = client) and who
 * answers (PAC = server).
 *
 * Events out: the tunnel never calls its owner back about state. Each
 * tunnel_* call appends what happened to a bounded queue in the tunnel;
 * after the call returns the owner drains it:
 *
 *     tunnel_gre_input(t, &h, p, now);
 *     while (tunnel_next_event(t, &ev))
 *             handle(&ev);            (may call tunnel_* again: it queues more)
 *
 * A call pointer stays valid until the owner's next tunnel_* call after the
 * queue ran empty: dead calls are freed at the start of an entry point with
 * an empty queue, or by tunnel_free. Every call that had CALL_UP gets
 * CALL_DOWN before it is freed. CLOSED is the last event; after draining
 * it the owner may tunnel_free. Only byte/packet sinks and synchronous
 * queries (call IDs, secrets, addresses) remain callbacks. */
#ifndef OPENPPTP_SESSION_TUNNEL_H
#define OPENPPTP_SESSION_TUNNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/pkt.h"
#include "base/random.h"
#include "proto/gre/gre_channel.h"
#include "proto/gre/gre_header.h"
#include "proto/pptp/pptp_ctrl.h"
#include "proto/session/ppp_link.h"

struct tunnel;
struct tunnel_call;

enum tunnel_event_type {
	TUNNEL_EVENT_CONTROL_UP,      /* control connection established */
	TUNNEL_EVENT_CALL_UP,         /* call established, PPP starting */
	TUNNEL_EVENT_AUTHENTICATED,   /* link: user verified (server) / we are in (client) */
	TUNNEL_EVENT_LINK_UP,         /* link: IPCP up, addresses in `link` */
	TUNNEL_EVENT_LINK_DOWN,       /* link: finished, cause in `link` */
	TUNNEL_EVENT_CALL_DOWN,       /* call cleared: forget the call pointer */
	TUNNEL_EVENT_CLOSED,          /* control connection over: close TCP; the last event */
	TUNNEL_EVENT_IPV6_UP,         /* link: IPV6CP up on an up link, `link.ipv6` */
	TUNNEL_EVENT_IPV6_PREFIX,     /* link, client: a Router Advertisement's prefix, `link.ipv6` */
	TUNNEL_EVENT_VERIFY,          /* server, link.remote_verify: credentials to check (tunnel_call_verify_request) */
};

/* Why a whole tunnel ended, for the client's exit code and the server's log. */
enum tunnel_close_cause {
	TUNNEL_CLOSE_NONE = 0,
	TUNNEL_CLOSE_LOCAL,           /* tunnel_close() */
	TUNNEL_CLOSE_PEER_STOP,       /* peer sent Stop-Control-Connection-Request */
	TUNNEL_CLOSE_REFUSED,         /* SCCRP/OCRP with a failure result code */
	TUNNEL_CLOSE_TCP_LOST,        /* TCP closed or reset */
	TUNNEL_CLOSE_KEEPALIVE,       /* PPTP echo unanswered */
	TUNNEL_CLOSE_PROTOCOL,        /* peer sent something invalid */
	TUNNEL_CLOSE_NO_GRE,          /* call up, but no GRE ever came back (protocol 47 blocked) */
	TUNNEL_CLOSE_LINK_FAILED,     /* the (last) PPP link went down; link cause in the event */
};

/* Did the tunnel end because one side asked (hang-up), not through a failure? */
bool tunnel_close_is_orderly(enum tunnel_close_cause cause, const struct ppp_link_event *link);
const char *tunnel_close_cause_name(enum tunnel_close_cause cause);

#define TUNNEL_REASON_MAX 160

/* Events are values: everything but `call` is copied out of the tunnel. */
struct tunnel_event {
	enum tunnel_event_type type;
	/* Call events: the call, valid until the owner's next tunnel_* call
	 * after the queue ran empty; after CALL_DOWN the owner forgets it. */
	struct tunnel_call *call;
	uint16_t local_call_id;
	uint16_t peer_call_id;
	bool has_link;                       /* `link` is set: AUTHENTICATED, LINK_UP, LINK_DOWN, IPV6_*, CLOSED after a link went down */
	struct ppp_link_event link;
	enum tunnel_close_cause cause;       /* CLOSED */
	uint8_t result_code;                 /* CLOSED (REFUSED), CALL_DOWN of a refused call: the peer's PPTP result code */
	char reason[TUNNEL_REASON_MAX];      /* CLOSED: text for the log */
};

struct tunnel_config {
	enum pptp_role role;                 /* PPTP_ROLE_PNS = client, PPTP_ROLE_PAC = server */
	uint32_t local_ipv4;                 /* host order: our underlay address */
	uint32_t peer_ipv4;                  /* the peer's (GRE destination, collision rule) */
	const char *tag;                     /* log tag, e.g. "192.0.2.11:40512" */
	struct random_source random;

	/* Templates. The tunnel fills in the callbacks, ids, addresses and
	 * random source itself; leave those zero. Fill them with
	 * pptp_ctrl_config_defaults() and gre_channel_config_default() first. */
	struct pptp_ctrl_config ctrl;
	struct gre_channel_config gre;
	struct ppp_link_config link;         /* link.ctx/output/deliver_ip are the tunnel's */

	/* No GRE from the peer this long after CALL_UP: close with
	 * TUNNEL_CLOSE_NO_GRE (0 = 15000 ms). */
	uint32_t first_gre_timeout_ms;

	/* Output sinks: pure I/O. A sink must never call into the tunnel (it
	 * is in the middle of a call); a sink that fails records it and the
	 * owner acts after the call returns (e.g. tunnel_tcp_closed). */
	void *ctx;
	/* Control bytes for TCP, in order; buffer what would block. */
	void (*tcp_output)(void *ctx, const uint8_t *bytes, size_t len);
	/* A GRE packet (GRE header first) for the peer; ownership passes. */
	void (*gre_output)(void *ctx, uint32_t peer_ipv4, struct pkt *gre_packet);
	/* A decrypted IP packet for the TUN; ownership passes. */
	void (*tun_output)(void *ctx, struct tunnel_call *call, struct pkt *ip_packet);
	/* Server: call IDs unique across the server (src/server/call_ids).
	 * Synchronous queries, same rule as the sinks above. */
	int (*call_id_alloc)(void *ctx, uint16_t *id);
	void (*call_id_free)(void *ctx, uint16_t id);
};

struct tunnel *tunnel_new(const struct tunnel_config *config, uint64_t now_ms);
void tunnel_free(struct tunnel *t);

/* The oldest undrained event into *out (a copy); false when none is left.
 * Drain after every tunnel_* call. */
bool tunnel_next_event(struct tunnel *t, struct tunnel_event *out);

/* Client: send SCCRQ; once the control connection is up, place one call. */
int tunnel_start(struct tunnel *t, uint64_t now_ms);

void tunnel_tcp_input(struct tunnel *t, const uint8_t *bytes, size_t len, uint64_t now_ms);
void tunnel_tcp_closed(struct tunnel *t, uint64_t now_ms);

/* A GRE packet from the peer: the caller stripped the IPv4 header
 * (gre_ipv4_strip), decoded and stripped the GRE header (gre_header_strip),
 * and checked source == peer_ipv4. Ownership of payload passes. */
void tunnel_gre_input(struct tunnel *t, const struct gre_header *header, struct pkt *payload,
		      uint64_t now_ms);

/* An IP packet from the TUN for this call (ownership passes). */
int tunnel_send_ip(struct tunnel *t, struct tunnel_call *call, struct pkt *ip_packet, uint64_t now_ms);

/* Orderly close: LCP Terminate on each link, then Call-Clear / Disconnect,
 * then Stop-Control-Connection. TUNNEL_EVENT_CLOSED comes last. */
void tunnel_close(struct tunnel *t, const char *reason, uint64_t now_ms);
/* Close one call only (server `kick`). */
void tunnel_call_close(struct tunnel *t, struct tunnel_call *call, const char *reason, uint64_t now_ms);

/* link.remote_verify (ppp_link.h): the credentials a call waits on (NULL
 * when none), and the verdict on them, by local call ID (the call may have
 * gone meanwhile: then nothing happens). */
const struct auth_verify_request *tunnel_call_verify_request(const struct tunnel_call *call);
/* The peer's i-th LCP Identification text (RFC 1570 §1.1), NULL when none. */
const char *tunnel_call_peer_identification(const struct tunnel_call *call, unsigned i);
void tunnel_verify_done(struct tunnel *t, uint16_t local_call_id, const struct auth_verdict *v,
			const struct ppp_link_grant *g, uint64_t now_ms);
uint64_t tunnel_next_deadline(const struct tunnel *t);
void tunnel_on_timeout(struct tunnel *t, uint64_t now_ms);

struct tunnel_call *tunnel_call_find(struct tunnel *t, uint16_t local_call_id);
bool tunnel_is_closed(const struct tunnel *t);
uint32_t tunnel_peer_ipv4(const struct tunnel *t);

/* Where a call is, for status and the tunnel's own bookkeeping. */
enum tunnel_call_state {
	TUNNEL_CALL_NEGOTIATING,      /* PPP: LCP and authentication running */
	TUNNEL_CALL_AUTHENTICATED,    /* the user is known; network phase running */
	TUNNEL_CALL_UP,               /* IPCP up: carrying IP */
	TUNNEL_CALL_CLOSING,          /* the link went down: clearing the PPTP call */
	TUNNEL_CALL_DOWN,             /* gone: CALL_DOWN reported, freed once drained */
};
/* "negotiating", "auth", "up", "closing", "down" (status output). */
const char *tunnel_call_state_name(enum tunnel_call_state state);

/* The tunnel as a whole (RFC 2637 §3.1: the control connection's life). */
enum tunnel_state {
	TUNNEL_OPEN,                  /* running; calls come and go */
	TUNNEL_CLOSING,               /* tunnel_close(): the links are terminating */
	TUNNEL_STOPPING,              /* Stop-Control-Connection-Request sent */
	TUNNEL_CLOSED,                /* CLOSED reported */
};

/* A snapshot of a call for `openpptp status`. */
struct tunnel_call_info {
	uint16_t local_call_id;
	uint16_t peer_call_id;
	enum tunnel_call_state state;
	const char *user;                    /* "" before authentication */
	const char *auth;                    /* "mschapv2", ... or "" */
	uint32_t local_address;              /* tunnel addresses, host order, 0 = none yet */
	uint32_t peer_address;
	unsigned mppe_bits;
	bool mppe_stateless;
	uint64_t up_since_ms;
	struct ppp_link_stats link;
	uint64_t gre_lost, gre_reordered, gre_duplicate, gre_late, gre_tx, gre_rx;
};
void tunnel_call_get_info(const struct tunnel_call *call, struct tunnel_call_info *out);

#endif
