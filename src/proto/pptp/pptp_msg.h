/* SPDX-License-Identifier: BSD-2-Clause */
/* PPTP control messages (RFC 2637 §2): host-order structs, one descriptor
 * table, a pure decoder and an exact encoder. Nothing here keeps state. */
#ifndef OPENPPTP_PROTO_PPTP_MSG_H
#define OPENPPTP_PROTO_PPTP_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/peer_quirks.h"

#define PPTP_TCP_PORT 1723
#define PPTP_MAGIC_COOKIE 0x1A2B3C4Du
#define PPTP_MESSAGE_CONTROL 1      /* RFC 2637 §2.1: PPTP Message Type 1 */
#define PPTP_PROTOCOL_VERSION 0x0100
#define PPTP_HEADER_LEN 12
#define PPTP_MAX_MSG_LEN 220        /* Incoming-Call-Request, the largest */
#define PPTP_STRING_LEN 64          /* host name, vendor, phone, subaddress */
#define PPTP_STATS_LEN 128          /* Call-Disconnect-Notify call statistics */

enum pptp_msg_type {
	PPTP_MSG_START_CTRL_REQUEST = 1,
	PPTP_MSG_START_CTRL_REPLY = 2,
	PPTP_MSG_STOP_CTRL_REQUEST = 3,
	PPTP_MSG_STOP_CTRL_REPLY = 4,
	PPTP_MSG_ECHO_REQUEST = 5,
	PPTP_MSG_ECHO_REPLY = 6,
	PPTP_MSG_OUT_CALL_REQUEST = 7,
	PPTP_MSG_OUT_CALL_REPLY = 8,
	PPTP_MSG_IN_CALL_REQUEST = 9,
	PPTP_MSG_IN_CALL_REPLY = 10,
	PPTP_MSG_IN_CALL_CONNECTED = 11,
	PPTP_MSG_CALL_CLEAR_REQUEST = 12,
	PPTP_MSG_CALL_DISCONNECT_NOTIFY = 13,
	PPTP_MSG_WAN_ERROR_NOTIFY = 14,
	PPTP_MSG_SET_LINK_INFO = 15,
};
#define PPTP_MSG_TYPE_MAX 15

/* RFC 2637 §2.16 General Error Codes. */
enum pptp_general_error {
	PPTP_ERROR_NONE = 0,
	PPTP_ERROR_NOT_CONNECTED = 1,
	PPTP_ERROR_BAD_FORMAT = 2,
	PPTP_ERROR_BAD_VALUE = 3,
	PPTP_ERROR_NO_RESOURCE = 4,
	PPTP_ERROR_BAD_CALL_ID = 5,
	PPTP_ERROR_PAC_ERROR = 6,
};

/* Result codes, per message (RFC 2637 §2.2 ... §2.13). */
enum {
	PPTP_START_OK = 1,
	PPTP_START_GENERAL_ERROR = 2,
	PPTP_START_ALREADY_EXISTS = 3,
	PPTP_START_NOT_AUTHORIZED = 4,
	PPTP_START_BAD_VERSION = 5,

	PPTP_STOP_REASON_NONE = 1,
	PPTP_STOP_REASON_PROTOCOL = 2,
	PPTP_STOP_REASON_LOCAL_SHUTDOWN = 3,
	PPTP_STOP_OK = 1,
	PPTP_STOP_GENERAL_ERROR = 2,

	PPTP_ECHO_OK = 1,
	PPTP_ECHO_GENERAL_ERROR = 2,

	PPTP_OUT_CALL_CONNECTED = 1,
	PPTP_OUT_CALL_GENERAL_ERROR = 2,
	PPTP_OUT_CALL_NO_CARRIER = 3,
	PPTP_OUT_CALL_BUSY = 4,
	PPTP_OUT_CALL_NO_DIAL_TONE = 5,
	PPTP_OUT_CALL_TIMEOUT = 6,
	PPTP_OUT_CALL_DO_NOT_ACCEPT = 7,

	PPTP_IN_CALL_CONNECT = 1,
	PPTP_IN_CALL_GENERAL_ERROR = 2,
	PPTP_IN_CALL_DO_NOT_ACCEPT = 3,

	PPTP_DISCONNECT_LOST_CARRIER = 1,
	PPTP_DISCONNECT_GENERAL_ERROR = 2,
	PPTP_DISCONNECT_ADMIN_SHUTDOWN = 3,
	PPTP_DISCONNECT_REQUEST = 4,
};

/* Framing / bearer capability and type bits (RFC 2637 §2.2, §2.7). */
#define PPTP_FRAMING_ASYNC 1u
#define PPTP_FRAMING_SYNC 2u
#define PPTP_BEARER_ANALOG 1u
#define PPTP_BEARER_DIGITAL 2u

/* Start-Control-Connection-Request and -Reply (§2.2, §2.3); result_code and
 * error_code exist on the wire only in the reply (Reserved1 in the request). */
struct pptp_start_ctrl {
	uint16_t version;
	uint8_t result_code;
	uint8_t error_code;
	uint32_t framing_caps;
	uint32_t bearer_caps;
	uint16_t max_channels;
	uint16_t firmware_rev;
	char hostname[PPTP_STRING_LEN + 1];
	char vendor[PPTP_STRING_LEN + 1];
};

struct pptp_stop_ctrl_request {
	uint8_t reason;
};

struct pptp_stop_ctrl_reply {
	uint8_t result_code;
	uint8_t error_code;
};

struct pptp_echo_request {
	uint32_t identifier;
};

struct pptp_echo_reply {
	uint32_t identifier;
	uint8_t result_code;
	uint8_t error_code;
};

struct pptp_out_call_request {
	uint16_t call_id;
	uint16_t call_serial;
	uint32_t min_bps;
	uint32_t max_bps;
	uint32_t bearer_type;
	uint32_t framing_type;
	uint16_t recv_window;
	uint16_t processing_delay;
	uint16_t phone_number_length;
	char phone_number[PPTP_STRING_LEN + 1];
	char subaddress[PPTP_STRING_LEN + 1];
};

struct pptp_out_call_reply {
	uint16_t call_id;
	uint16_t peer_call_id;
	uint8_t result_code;
	uint8_t error_code;
	uint16_t cause_code;
	uint32_t connect_speed;
	uint16_t recv_window;
	uint16_t processing_delay;
	uint32_t physical_channel_id;
};

struct pptp_in_call_request {
	uint16_t call_id;
	uint16_t call_serial;
	uint32_t bearer_type;
	uint32_t physical_channel_id;
	uint16_t dialed_number_length;
	uint16_t dialing_number_length;
	char dialed_number[PPTP_STRING_LEN + 1];
	char dialing_number[PPTP_STRING_LEN + 1];
	char subaddress[PPTP_STRING_LEN + 1];
};

struct pptp_in_call_reply {
	uint16_t call_id;
	uint16_t peer_call_id;
	uint8_t result_code;
	uint8_t error_code;
	uint16_t recv_window;
	uint16_t processing_delay;
};

struct pptp_in_call_connected {
	uint16_t peer_call_id;
	uint32_t connect_speed;
	uint16_t recv_window;
	uint16_t processing_delay;
	uint32_t framing_type;
};

struct pptp_call_clear_request {
	uint16_t call_id;
};

struct pptp_call_disconnect_notify {
	uint16_t call_id;
	uint8_t result_code;
	uint8_t error_code;
	uint16_t cause_code;
	char call_statistics[PPTP_STATS_LEN + 1];
};

struct pptp_wan_error_notify {
	uint16_t peer_call_id;
	uint32_t crc_errors;
	uint32_t framing_errors;
	uint32_t hardware_overruns;
	uint32_t buffer_overruns;
	uint32_t timeout_errors;
	uint32_t alignment_errors;
};

struct pptp_set_link_info {
	uint16_t peer_call_id;
	uint32_t send_accm;
	uint32_t recv_accm;
};

/* One decoded control message. `type` selects the union member. */
struct pptp_msg {
	enum pptp_msg_type type;
	uint16_t header_reserved0;  /* kept for the peer-quirk log only */
	union {
		struct pptp_start_ctrl start_ctrl_request;
		struct pptp_start_ctrl start_ctrl_reply;
		struct pptp_stop_ctrl_request stop_ctrl_request;
		struct pptp_stop_ctrl_reply stop_ctrl_reply;
		struct pptp_echo_request echo_request;
		struct pptp_echo_reply echo_reply;
		struct pptp_out_call_request out_call_request;
		struct pptp_out_call_reply out_call_reply;
		struct pptp_in_call_request in_call_request;
		struct pptp_in_call_reply in_call_reply;
		struct pptp_in_call_connected in_call_connected;
		struct pptp_call_clear_request call_clear_request;
		struct pptp_call_disconnect_notify call_disconnect_notify;
		struct pptp_wan_error_notify wan_error_notify;
		struct pptp_set_link_info set_link_info;
	} u;
};

/* Control-connection states (RFC 2637 §3.1), used as bits in the
 * descriptor table's "allowed in" masks. */
enum pptp_ctrl_state {
	PPTP_CTRL_IDLE = 0,
	PPTP_CTRL_WAIT_CTL_REPLY = 1,
	PPTP_CTRL_ESTABLISHED = 2,
	PPTP_CTRL_WAIT_STOP_REPLY = 3,
	PPTP_CTRL_CLOSED = 4,        /* engine told its owner to close TCP */
};
#define PPTP_STATE_BIT(s) (1u << (s))

enum pptp_role {
	PPTP_ROLE_PNS = 0,  /* network server: the client side, places calls */
	PPTP_ROLE_PAC = 1,  /* access concentrator: the server side */
};

/* Whose call ID a message carries, seen from the receiver. */
enum pptp_call_id_owner {
	PPTP_CALL_ID_NONE = 0,
	PPTP_CALL_ID_OURS,    /* the receiver assigned it ("Peer's Call ID") */
	PPTP_CALL_ID_PEERS,   /* the sender assigned it ("Call ID") */
};

struct pptp_msg_desc {
	const char *name;
	enum pptp_msg_type type;
	uint16_t length;                 /* exact, header included */
	uint8_t allowed_in[2];           /* receive-state masks, [role] */
	/* Where the decoded message holds its call ID: the offset of a
	 * uint16_t in struct pptp_msg (pptp_msg_call_id reads it); 0 none. */
	size_t call_id_field;
	enum pptp_call_id_owner call_id_owner;
	enum pptp_msg_type reply_type;   /* 0: no reply */
};

/* NULL for an unknown control message type. */
const struct pptp_msg_desc *pptp_msg_desc_get(uint16_t type);
const char *pptp_msg_name(uint16_t type);

/* Decode exactly one message of len bytes. Returns 0 or a negative enum error.
 * Header errors (ERR_TRUNCATED, ERR_LENGTH, ERR_MALFORMED for a non-control
 * message, ERR_MAGIC, ERR_UNKNOWN_TYPE) leave *out unusable. Body errors
 * (ERR_RESERVED, ERR_VERSION, ERR_MALFORMED for a bad string field) leave
 * *out fully decoded, so the engine can answer with the right result code. */
int pptp_msg_decode(const uint8_t *buf, size_t len, struct pptp_msg *out);

/* Check only the 12-byte header: fills *type and *length. Used by the stream
 * reassembler to reject a lying length before waiting for its bytes. */
int pptp_msg_check_header(const uint8_t *buf, size_t len, uint16_t *type, uint16_t *length);

/* The call ID a message carries (per the descriptor table), 0 if none. */
uint16_t pptp_msg_call_id(const struct pptp_msg *m);

/* Encode m; returns the bytes written or ERR_NOSPACE / ERR_INVALID. */
int pptp_msg_encode(const struct pptp_msg *m, uint8_t *buf, size_t cap);

/* Peer quirks (PPTP_QUIRK_*) are in the project's one table: base/peer_quirks.h. */

#endif
