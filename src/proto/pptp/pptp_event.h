/* SPDX-License-Identifier: BSD-2-Clause */
/* Events the PPTP control engine hands to its owner (the session layer):
 * queued in the engine, taken with pptp_ctrl_next_event(). Values only;
 * the peer's host name and vendor from its Start message are kept in the
 * engine (pptp_ctrl.peer_hostname / peer_vendor) once TUNNEL_UP is queued. */
#ifndef OPENPPTP_PROTO_PPTP_EVENT_H
#define OPENPPTP_PROTO_PPTP_EVENT_H

#include <stdbool.h>
#include <stdint.h>

#include "proto/pptp/pptp_msg.h"

enum pptp_event_type {
	PPTP_EVENT_TUNNEL_UP = 1,      /* control connection established */
	PPTP_EVENT_TUNNEL_DOWN,        /* control connection over (reason); also
	                                * when it never came up. Once per engine. */
	PPTP_EVENT_CALL_UP,            /* a call is established: start GRE/PPP */
	PPTP_EVENT_CALL_DOWN,          /* a call is gone: stop GRE/PPP */
	PPTP_EVENT_KEEPALIVE_TIMEOUT,  /* no Echo-Reply in time; TUNNEL_DOWN follows */
	PPTP_EVENT_SET_LINK_INFO,      /* peer's ACCMs (logged; not fatal) */
	PPTP_EVENT_WAN_ERROR,          /* PAC's WAN error counters */
	PPTP_EVENT_CLOSE_TCP,          /* close the TCP connection now (last event) */
};

enum pptp_down_reason {
	PPTP_DOWN_LOCAL_STOP = 1,      /* pptp_ctrl_stop() */
	PPTP_DOWN_PEER_STOP,           /* peer sent Stop-Control-Connection-Request */
	PPTP_DOWN_KEEPALIVE,           /* Echo-Reply missing */
	PPTP_DOWN_SETUP_TIMEOUT,       /* no Start-Control-Connection-Request/Reply in time */
	PPTP_DOWN_STOP_TIMEOUT,        /* no Stop-Control-Connection-Reply in time */
	PPTP_DOWN_REJECTED,            /* peer refused our Start request (result code) */
	PPTP_DOWN_PROTOCOL_ERROR,      /* bad framing or a message we cannot accept */
	PPTP_DOWN_VERSION,             /* protocol version mismatch */
	PPTP_DOWN_TCP_CLOSED,          /* TCP went away under us */
	PPTP_DOWN_COLLISION,           /* lost an SCCRQ collision (RFC 2637 §3.1.3) */
};

/* Why a call ended. */
enum pptp_call_down_reason {
	PPTP_CALL_DOWN_LOCAL = 1,      /* pptp_ctrl_call_close() */
	PPTP_CALL_DOWN_PEER,           /* peer cleared it (CCRQ or CDN) */
	PPTP_CALL_DOWN_REJECTED,       /* peer answered our request with a failure */
	PPTP_CALL_DOWN_TIMEOUT,        /* no answer to our request */
	PPTP_CALL_DOWN_TUNNEL,         /* the control connection went down */
};

struct pptp_event {
	enum pptp_event_type type;
	uint16_t local_call_id;        /* call events */
	uint16_t peer_call_id;
	union {
		struct {
			uint16_t peer_version;
			uint32_t peer_framing_caps;
			uint32_t peer_bearer_caps;
			uint16_t peer_max_channels;
			uint16_t peer_firmware_rev;
		} tunnel_up;
		struct {
			enum pptp_down_reason reason;
			uint8_t result_code;   /* peer's, where one applies */
			uint8_t error_code;
		} tunnel_down;
		struct {
			bool outgoing;         /* placed by OCRQ (else ICRQ) */
			uint16_t peer_recv_window;
			uint16_t peer_processing_delay;
			uint32_t connect_speed;
			uint32_t framing_type;
			uint16_t call_serial;
		} call_up;
		struct {
			enum pptp_call_down_reason reason;
			uint8_t result_code;
			uint8_t error_code;
			uint16_t cause_code;
		} call_down;
		struct {
			uint32_t send_accm;
			uint32_t recv_accm;
		} set_link_info;
		struct pptp_wan_error_notify wan_error;
	} u;
};

const char *pptp_event_name(enum pptp_event_type type);
const char *pptp_down_reason_name(enum pptp_down_reason reason);

#endif
