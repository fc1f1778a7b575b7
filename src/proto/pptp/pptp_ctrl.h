/* SPDX-License-Identifier: BSD-2-Clause */
/* PPTP control connection engine (RFC 2637 §3), both roles, sans-I/O.
 *
 * One struct pptp_ctrl per TCP connection. Feed it the bytes read from TCP
 * (pptp_ctrl_input), call pptp_ctrl_on_timeout at pptp_ctrl_next_deadline;
 * it writes bytes through config.output and queues its events, which the
 * owner takes with pptp_ctrl_next_event() after every call (events out:
 * acting on one, e.g. pptp_ctrl_call_open on TUNNEL_UP or pptp_ctrl_stop
 * on CALL_DOWN, never runs inside the engine). After PPTP_EVENT_CLOSE_TCP
 * (the last event) the owner closes the socket; the engine is then inert
 * (state PPTP_CTRL_CLOSED) and may be freed.
 *
 * Wiring it to a socket:
 *   pptp_ctrl_config_defaults(&cfg, PPTP_ROLE_PAC);   (or PPTP_ROLE_PNS)
 *   cfg.local_ipv4/peer_ipv4, cfg.random, cfg.ctx, cfg.output, ...
 *   pptp_ctrl_init(&c, &cfg, now);   PAC: now waits 60 s for the SCCRQ
 *   pptp_ctrl_start(&c, now);        PNS: sends the SCCRQ
 *   readable:  n = read(fd, buf); n == 0: pptp_ctrl_tcp_closed(&c, now);
 *              else until all n bytes are taken, one message at a time:
 *                used = pptp_ctrl_input(&c, buf + off, n - off, now); drain
 *   timer:     at pptp_ctrl_next_deadline(&c): pptp_ctrl_on_timeout(&c, now)
 *   drain:     while (pptp_ctrl_next_event(&c, &ev)) act on ev
 *   output():  bytes must reach TCP in order; buffer what would block.
 *              Pure I/O: it must not call into the engine.
 *   CLOSE_TCP: flush the buffered output, then close. */
#ifndef OPENPPTP_PROTO_PPTP_CTRL_H
#define OPENPPTP_PROTO_PPTP_CTRL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/log.h"
#include "base/random.h"
#include "base/text_escape.h"
#include "proto/pptp/pptp_event.h"
#include "proto/pptp/pptp_msg.h"
#include "proto/pptp/pptp_stream.h"

#define PPTP_CTRL_MAX_CALLS 16
/* One call into the engine queues at most one event per call it has
 * (CALL_DOWN when the connection goes) plus KEEPALIVE_TIMEOUT,
 * TUNNEL_DOWN and CLOSE_TCP: pptp_ctrl_input takes one message per call
 * for this reason. */
#define PPTP_CTRL_EVENTS_MAX (PPTP_CTRL_MAX_CALLS + 4)
/* RFC 2637 §3.1.4: 60 s to set up, Echo after 60 s of silence, close 60 s
 * after an unanswered Echo; pptpd and pptp-linux use the same 60/60. */
#define PPTP_DEFAULT_KEEPALIVE_INTERVAL_MS 60000u
#define PPTP_DEFAULT_KEEPALIVE_TIMEOUT_MS 60000u
#define PPTP_DEFAULT_SETUP_TIMEOUT_MS 60000u
#define PPTP_DEFAULT_STOP_TIMEOUT_MS 10000u
#define PPTP_DEFAULT_CALL_TIMEOUT_MS 60000u

struct pptp_ctrl_config {
	enum pptp_role role;
	uint32_t local_ipv4;              /* host order; SCCRQ collision (§3.1.3) */
	uint32_t peer_ipv4;
	char hostname[PPTP_STRING_LEN + 1];
	char vendor[PPTP_STRING_LEN + 1];
	uint16_t firmware_rev;
	uint32_t framing_caps;
	uint32_t bearer_caps;
	uint16_t max_channels;            /* advertised in SCCRQ/SCCRP */
	unsigned max_calls;               /* calls on this connection, <= PPTP_CTRL_MAX_CALLS */
	uint16_t recv_window;             /* our GRE receive window, advertised per call */
	uint16_t processing_delay;
	uint32_t connect_speed;           /* PAC: reported in OCRP/ICCN; 0 = the PNS's max bps */
	uint32_t keepalive_interval_ms;
	uint32_t keepalive_timeout_ms;
	uint32_t setup_timeout_ms;
	uint32_t stop_timeout_ms;
	uint32_t call_timeout_ms;
	struct random_source random;

	void *ctx;
	void (*output)(void *ctx, const uint8_t *bytes, size_t len);
	/* The optional callbacks below are synchronous queries; like output
	 * they must not call into the engine.
	 * Optional: call IDs unique per server. Return 0 and set *id, or <0
	 * when none is free. Default: unpredictable, unique per connection. */
	int (*call_id_alloc)(void *ctx, uint16_t *id);
	void (*call_id_free)(void *ctx, uint16_t id);
	/* Optional policy for a call the peer asks for (PAC: Outgoing-Call-
	 * Request, PNS: Incoming-Call-Request). Return the reply's result code:
	 * 1 accepts; e.g. PPTP_OUT_CALL_BUSY / PPTP_IN_CALL_DO_NOT_ACCEPT refuse.
	 * Default: accept while fewer than max_calls calls exist. */
	int (*call_accept)(void *ctx, const struct pptp_msg *request);
};

/* Defaults for a role: 60/60 s keepalive, async+sync framing, analog+digital
 * bearer, window 64, hostname "openpptp", vendor "openpptp". */
void pptp_ctrl_config_defaults(struct pptp_ctrl_config *cfg, enum pptp_role role);

/* Parameters of a call we place (PNS: OCRQ) or announce (PAC: ICRQ). */
struct pptp_call_params {
	uint32_t min_bps;
	uint32_t max_bps;
	uint32_t bearer_type;
	uint32_t framing_type;
	uint32_t physical_channel_id;     /* ICRQ */
	char phone_number[PPTP_STRING_LEN + 1];   /* OCRQ phone, ICRQ dialed */
	char dialing_number[PPTP_STRING_LEN + 1]; /* ICRQ */
	char subaddress[PPTP_STRING_LEN + 1];
};
void pptp_call_params_defaults(struct pptp_call_params *p);

enum pptp_call_state {
	PPTP_CALL_FREE = 0,
	PPTP_CALL_WAIT_REPLY,       /* PNS sent OCRQ */
	PPTP_CALL_WAIT_CONNECT,     /* PNS sent ICRP, waits for ICCN */
	PPTP_CALL_WAIT_ICRP,        /* PAC sent ICRQ */
	PPTP_CALL_ESTABLISHED,
	PPTP_CALL_WAIT_DISCONNECT,  /* PNS sent CCRQ, waits for CDN */
};

struct pptp_call {
	enum pptp_call_state state;
	bool outgoing;
	uint16_t local_id;
	uint16_t peer_id;
	uint16_t serial;
	uint16_t peer_recv_window;
	uint16_t peer_processing_delay;
	uint32_t connect_speed;
	uint32_t framing_type;
	uint64_t deadline;
};

struct pptp_ctrl {
	struct pptp_ctrl_config cfg;
	enum pptp_ctrl_state state;
	bool originator;               /* we sent the SCCRQ */
	struct pptp_stream stream;
	uint64_t state_deadline;       /* setup / stop wait */
	uint64_t last_rx_ms;
	bool echo_outstanding;
	uint32_t echo_identifier;
	uint64_t echo_deadline;
	uint16_t next_serial;
	bool reserved0_logged;
	struct log_limit limit;       /* every line a peer's message can cause */
	uint64_t now_ms;              /* of the current entry, for log_limited */
	char tag[48];
	struct pptp_call calls[PPTP_CTRL_MAX_CALLS];
	/* the peer's Start message (valid once TUNNEL_UP was queued) */
	/* escaped (base/text_escape.h): they go to logs and status */
	char peer_hostname[TEXT_ESCAPED_SIZE(PPTP_STRING_LEN)];
	char peer_vendor[TEXT_ESCAPED_SIZE(PPTP_STRING_LEN)];
	/* events out */
	struct pptp_event events[PPTP_CTRL_EVENTS_MAX];
	unsigned events_head, events_len;
	uint64_t events_lost;          /* queue full: a broken bound, logged */
};

int pptp_ctrl_init(struct pptp_ctrl *c, const struct pptp_ctrl_config *cfg, uint64_t now_ms);

/* Originate: send Start-Control-Connection-Request (normally the PNS). */
int pptp_ctrl_start(struct pptp_ctrl *c, uint64_t now_ms);

/* Bytes from TCP, one message at a time: takes bytes up to the end of the
 * next complete control message, acts on it and returns how many it took
 * (all of `len` when none completes, or when the stream is out of sync and
 * the connection closes). Drain the events, then call again with the rest.
 * Returns 0 only for len == 0 or once the engine is closed. */
size_t pptp_ctrl_input(struct pptp_ctrl *c, const uint8_t *bytes, size_t len, uint64_t now_ms);

/* Events out: the oldest undrained event into *out; false when none. */
bool pptp_ctrl_next_event(struct pptp_ctrl *c, struct pptp_event *out);

/* Local termination: Stop-Control-Connection-Request with reason
 * (PPTP_STOP_REASON_*), then wait for the reply. */
int pptp_ctrl_stop(struct pptp_ctrl *c, uint8_t reason, uint64_t now_ms);

uint64_t pptp_ctrl_next_deadline(const struct pptp_ctrl *c);
void pptp_ctrl_on_timeout(struct pptp_ctrl *c, uint64_t now_ms);

/* The peer closed TCP (or it failed): everything goes down, no output. */
void pptp_ctrl_tcp_closed(struct pptp_ctrl *c, uint64_t now_ms);

/* The owner drops the engine before it closed: give back every call ID
 * still held (call_id_free), with no events and no output. */
void pptp_ctrl_release(struct pptp_ctrl *c);

/* PNS: place an outgoing call (OCRQ). *local_id gets our call ID. */
int pptp_ctrl_call_open(struct pptp_ctrl *c, const struct pptp_call_params *p, uint64_t now_ms,
			uint16_t *local_id);
/* PAC: announce an incoming call (ICRQ). */
int pptp_ctrl_call_incoming(struct pptp_ctrl *c, const struct pptp_call_params *p, uint64_t now_ms,
			    uint16_t *local_id);
/* Clear a call: PNS sends Call-Clear-Request, PAC sends Call-Disconnect-Notify. */
int pptp_ctrl_call_close(struct pptp_ctrl *c, uint16_t local_id, uint64_t now_ms);
/* PNS: Set-Link-Info for an established call. */
int pptp_ctrl_set_link_info(struct pptp_ctrl *c, uint16_t local_id, uint32_t send_accm,
			    uint32_t recv_accm, uint64_t now_ms);

const struct pptp_call *pptp_ctrl_call_find(const struct pptp_ctrl *c, uint16_t local_id);
unsigned pptp_ctrl_call_count(const struct pptp_ctrl *c);
/* True once PPTP_EVENT_CLOSE_TCP has been emitted. */
bool pptp_ctrl_is_closed(const struct pptp_ctrl *c);
const char *pptp_ctrl_state_name(enum pptp_ctrl_state s);

/* RFC 2637 §3.1.3: true if we win an SCCRQ collision (higher address). */
bool pptp_collision_we_win(uint32_t local_ipv4, uint32_t peer_ipv4);

#endif
