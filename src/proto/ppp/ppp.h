/* SPDX-License-Identifier: BSD-2-Clause */
/* PPP constants and the types every negotiation protocol shares: the
 * output callback (a PPP packet for protocol P, without framing) and the
 * events the session glue drains. */
#ifndef OPENPPTP_PROTO_PPP_PPP_H
#define OPENPPTP_PROTO_PPP_PPP_H

#include <stddef.h>
#include <stdint.h>

/* Protocol field values (RFC 1661 §2, assigned numbers). */
#define PPP_PROTO_IP      0x0021
#define PPP_PROTO_IPV6    0x0057
#define PPP_PROTO_COMP    0x00FD   /* MPPE/MPPC compressed datagram (RFC 1962) */
#define PPP_PROTO_IPCP    0x8021
#define PPP_PROTO_IPV6CP  0x8057
#define PPP_PROTO_CCP     0x80FD
#define PPP_PROTO_LCP     0xC021
#define PPP_PROTO_PAP     0xC023
#define PPP_PROTO_LQR     0xC025
#define PPP_PROTO_CHAP    0xC223
#define PPP_PROTO_EAP     0xC227

/* Packet codes (RFC 1661 §5, RFC 1570, RFC 1962). */
enum ppp_code {
	PPP_CONF_REQ = 1,
	PPP_CONF_ACK = 2,
	PPP_CONF_NAK = 3,
	PPP_CONF_REJ = 4,
	PPP_TERM_REQ = 5,
	PPP_TERM_ACK = 6,
	PPP_CODE_REJ = 7,
	PPP_PROTO_REJ = 8,        /* LCP only */
	PPP_ECHO_REQ = 9,         /* LCP only */
	PPP_ECHO_REP = 10,        /* LCP only */
	PPP_DISCARD_REQ = 11,     /* LCP only */
	PPP_IDENTIFICATION = 12,  /* LCP, RFC 1570 */
	PPP_TIME_REMAINING = 13,  /* LCP, RFC 1570 */
	PPP_RESET_REQ = 14,       /* CCP, RFC 1962 */
	PPP_RESET_ACK = 15,       /* CCP, RFC 1962 */
};

/* A control protocol hands out one PPP packet (code, id, length, data) for
 * `protocol`; the glue prepends address/control/protocol and sends it. */
typedef void (*ppp_output_fn)(void *ctx, uint16_t protocol, const uint8_t *packet, size_t len);

enum ppp_event_type {
	PPP_EVENT_UP,              /* this layer up (tlu): negotiated values are valid */
	PPP_EVENT_DOWN,            /* this layer down (tld) */
	PPP_EVENT_STARTING,        /* this layer started (tls): needs the lower layer */
	PPP_EVENT_FINISHED,        /* this layer finished (tlf): lower layer may go */
	PPP_EVENT_PEER_TERMINATE,  /* peer sent Terminate-Request; reason = its text */
	PPP_EVENT_PROTOCOL_REJECT, /* LCP: peer rejected `value` (a protocol number) */
	PPP_EVENT_ECHO_TIMEOUT,    /* LCP: keepalive failed */
	PPP_EVENT_LOOPBACK,        /* LCP: our own Configure-Requests come back */
	PPP_EVENT_AUTH_REFUSED,    /* LCP: no authentication method both sides accept */
	PPP_EVENT_TIME_REMAINING,  /* LCP: value = seconds, reason = message */
	PPP_EVENT_MPPE_REFUSED,    /* CCP: MPPE required but the peer refused it */
	PPP_EVENT_RESET_REQUEST,   /* CCP: Reset-Request received, value = id */
	PPP_EVENT_RESET_ACK,       /* CCP: Reset-Ack received, value = id */
	PPP_EVENT_CONFIG_FAILED,   /* IPCP/IPV6CP: negotiation gave no usable value */
};

struct ppp_event {
	enum ppp_event_type type;
	uint16_t protocol;   /* which control protocol raised it */
	uint32_t value;      /* event-specific number */
	/* Event-specific text or NULL: a string constant, or the peer's
	 * Terminate-Request text, which the engine keeps until its next input. */
	const char *reason;
};

/* Events out, not callbacks: an engine (LCP, IPCP, IPV6CP, CCP) appends
 * its events to a small queue in its struct while it runs, and its owner
 * drains them (lcp_next_event, ...) after the call returns. Acting on an
 * event (open CCP when LCP is up, close LCP on MPPE_REFUSED) therefore
 * never re-enters the engine that raised it. The output callback is pure
 * I/O and must not call into any engine. */

const char *ppp_event_name(enum ppp_event_type type);
const char *ppp_protocol_name(uint16_t protocol);
const char *ppp_code_name(uint8_t code);

#endif
