/* SPDX-License-Identifier: BSD-2-Clause */
/* Names for logs. */
#include "proto/ppp/ppp.h"

const char *ppp_event_name(enum ppp_event_type type)
{
	switch (type) {
	case PPP_EVENT_UP: return "up";
	case PPP_EVENT_DOWN: return "down";
	case PPP_EVENT_STARTING: return "starting";
	case PPP_EVENT_FINISHED: return "finished";
	case PPP_EVENT_PEER_TERMINATE: return "peer-terminate";
	case PPP_EVENT_PROTOCOL_REJECT: return "protocol-reject";
	case PPP_EVENT_ECHO_TIMEOUT: return "echo-timeout";
	case PPP_EVENT_LOOPBACK: return "loopback";
	case PPP_EVENT_AUTH_REFUSED: return "auth-refused";
	case PPP_EVENT_TIME_REMAINING: return "time-remaining";
	case PPP_EVENT_MPPE_REFUSED: return "mppe-refused";
	case PPP_EVENT_RESET_REQUEST: return "reset-request";
	case PPP_EVENT_RESET_ACK: return "reset-ack";
	case PPP_EVENT_CONFIG_FAILED: return "config-failed";
	}
	return "?";
}

const char *ppp_protocol_name(uint16_t protocol)
{
	switch (protocol) {
	case PPP_PROTO_IP: return "IP";
	case PPP_PROTO_IPV6: return "IPv6";
	case PPP_PROTO_COMP: return "compressed";
	case PPP_PROTO_IPCP: return "IPCP";
	case PPP_PROTO_IPV6CP: return "IPV6CP";
	case PPP_PROTO_CCP: return "CCP";
	case PPP_PROTO_LCP: return "LCP";
	case PPP_PROTO_PAP: return "PAP";
	case PPP_PROTO_LQR: return "LQR";
	case PPP_PROTO_CHAP: return "CHAP";
	case PPP_PROTO_EAP: return "EAP";
	default: return "unknown";
	}
}

const char *ppp_code_name(uint8_t code)
{
	static const char *const names[] = {
		"code 0", "Configure-Request", "Configure-Ack", "Configure-Nak", "Configure-Reject",
		"Terminate-Request", "Terminate-Ack", "Code-Reject", "Protocol-Reject",
		"Echo-Request", "Echo-Reply", "Discard-Request", "Identification",
		"Time-Remaining", "Reset-Request", "Reset-Ack",
	};
	return code < sizeof(names) / sizeof(names[0]) ? names[code] : "unknown code";
}
