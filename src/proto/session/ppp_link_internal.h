/* SPDX-License-Identifier: BSD-2-Clause */
/* Internals shared by ppp_link*.c: the link's state and the helpers its
 * files call across. Not for other layers.
 *
 *   ppp_link.c       lifecycle, the RFC 1661 §3.2 phases, LCP, the drain
 *                    of the engines' events and the link's own events out
 *   ppp_link_auth.c  the Authenticate phase: the auth engine's glue
 *   ppp_link_ncp.c   the Network phase: CCP + MPPE, IPCP, IPV6CP, LINK UP
 *   ppp_link_data.c  frames in (demux, MPPE receive), IP out
 *   ppp_link_ipv6.c  IPv6 once IPV6CP is up: Router Advertisements and
 *                    Solicitations (RFC 4861, RFC 5072 §5), the /64
 *   ppp_link_names.c names, defaults, the debug packet log */
#ifndef OPENPPTP_SESSION_PPP_LINK_INTERNAL_H
#define OPENPPTP_SESSION_PPP_LINK_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "proto/session/ppp_link.h"
#include "base/bytes.h"
#include "base/crypto.h"
#include "base/error.h"
#include "base/log.h"
#include "base/reader.h"
#include "base/time.h"
#include "proto/auth/auth.h"
#include "proto/ppp/ccp.h"

#include "proto/mppe/mppe_channel.h"
#include "proto/mppe/mppe_keys.h"
#include "proto/ppp/frame.h"
#include "proto/ppp/ipcp.h"
#include "proto/ppp/ipv6cp.h"
#include "proto/ppp/lcp.h"
#include "proto/ppp/packet.h"
#include "proto/ppp/ppp.h"

#define LINK_DEFAULT_MRU 1400
/* MPPE on the wire: 2 bytes A/B/C/D + coherency count, then the inner
 * 2-byte protocol field inside the encrypted part (docs/mppe.md). Our MPPC
 * compressor never expands (it sends the packet as it was when compression
 * does not help), so 4 bytes is the whole overhead. */
#define LINK_MPPE_OVERHEAD 4
#define LINK_REASON_MAX PPP_LINK_REASON_MAX

/* What the link has told its owner, in this order (each once). */
enum link_life {
	LINK_LIFE_NEW = 0,       /* ppp_link_start not called yet */
	LINK_LIFE_STARTED,       /* negotiating */
	LINK_LIFE_UP,            /* UP reported */
	LINK_LIFE_DOWN,          /* DOWN reported: the link is finished */
};

/* One NCP (RFC 1661 §3.5: they run in the Network phase). */
enum ncp_state {
	NCP_OFF = 0,             /* not started, or stopped with LCP */
	NCP_NEGOTIATING,         /* lowered up and opened, not Opened (now) */
	NCP_UP,                  /* Opened: its negotiated values are valid */
};

/* The link's side of authentication (RFC 1661 §3.4). */
enum link_auth_state {
	LINK_AUTH_IDLE = 0,      /* no engine, the peer is not verified */
	LINK_AUTH_RUNNING,       /* the engine runs, not verified yet */
	LINK_AUTH_VERIFIED,      /* verified; the engine stays for CHAP re-challenges */
	LINK_AUTH_ENDED,         /* verified; the engine is gone (EAP Success lost, link down) */
};

/* One event waiting for the owner (ppp_link_next_event). The numbers are
 * copied when it is queued; the strings (user, reason) are the link's,
 * which do not change once reported. */
struct link_note {
	enum ppp_link_event_type type;
	uint32_t local_address, peer_address;
	uint32_t dns[2], nbns[2];
	uint16_t mtu;
	uint16_t mppe_bits;
	bool mppe_stateless;
	bool mppc;
	struct ppp_link_ipv6 ipv6;
};
/* One call into the link reports at most AUTHENTICATED, MPPE_UP, UP and
 * DOWN once each (every one needs a packet or a timer of its own engine);
 * the owner drains after every call. */
#define LINK_EVENTS_MAX 8

struct ppp_link {
	struct ppp_link_config cfg;
	enum ppp_link_phase phase;
	enum link_life life;
	uint64_t now;

	struct lcp lcp;
	bool lcp_was_opened;     /* for the log: failed negotiation vs finished link */
	struct ccp ccp;
	struct ipcp ipcp;
	struct ipv6cp ipv6cp;
	enum ncp_state ccp_state, ipcp_state, ipv6cp_state;

	struct auth auth;
	enum link_auth_state auth_state;
	enum auth_method auth_method; /* LCP's; once authenticated, what ran (EAP: its method) */
	char user[AUTH_MAX_NAME + 1];
	struct auth_mppe_material material;
	uint32_t static_address;
	struct ipv4_prefix routes[PPP_GRANT_ROUTES_MAX]; /* Framed-Route, the grant's */
	unsigned route_count;
	uint16_t mtu_cap; /* RADIUS Framed-MTU; 0 = none */
	uint32_t assigned_address;

	struct mppe_channel mppe;
	bool mppe_on;            /* the channel is initialised (CCP up with MPPE or MPPC) */
	unsigned mppe_bits;
	bool mppe_stateless;
	bool mppc;

	enum ppp_link_cause cause;
	bool cause_from_peer;    /* set by a Terminate-Request while negotiating */
	char reason[LINK_REASON_MAX];
	char term_text[LINK_REASON_MAX];  /* what the peer reads in our Terminate-Request */

	struct link_note events[LINK_EVENTS_MAX];
	unsigned events_head, events_len;
	uint64_t events_lost;    /* queue full: a broken bound, logged */

	struct ppp_link_stats stats;
	struct log_limit limit;
	/* ICMP too-big answers: at most LINK_ICMP_PER_SECOND per second */
	uint64_t icmp_second;
	unsigned icmp_in_second;

	/* IPv6 (ppp_link_ipv6.c) */
	bool ipv6_reported;      /* IPV6_UP queued since IPV6CP last came up */
	struct ppp_link_ipv6 ipv6;
	uint64_t ra_next_ms;     /* server: the next unsolicited RA; client: the next RS */
	uint64_t ra_last_ms;     /* server: when the last RA went out */
	unsigned rs_left;        /* client: Router Solicitations still to send */
};

/* A bulk sender that ignores ICMP must not turn the session into an ICMP
 * flood toward the TUN; a PMTU-discovering sender needs one per flow. */
#define LINK_ICMP_PER_SECOND 20

static inline bool link_auth_running(const struct ppp_link *link)
{
	return link->auth_state == LINK_AUTH_RUNNING || link->auth_state == LINK_AUTH_VERIFIED;
}

static inline bool link_auth_verified(const struct ppp_link *link)
{
	return link->auth_state == LINK_AUTH_VERIFIED || link->auth_state == LINK_AUTH_ENDED;
}

/* ppp_link.c */
void link_set_phase(struct ppp_link *link, enum ppp_link_phase phase);
void link_set_cause(struct ppp_link *link, enum ppp_link_cause cause, const char *reason);
/* Record why the link ends (the first reason wins) and close LCP with
 * Terminate-Request text `term_text` (NULL: the reason). */
void link_fail(struct ppp_link *link, enum ppp_link_cause cause, const char *term_text, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void link_queue_event(struct ppp_link *link, const struct link_note *note);
/* A control packet of `protocol` for the peer (output callback of the engines). */
void link_send_control(void *ctx, uint16_t protocol, const uint8_t *packet, size_t len);
/* After every call into an engine: take the events it queued. */
void ppp_link_drain(struct ppp_link *link);
/* The framing towards the peer (ACFC/PFC only once LCP is Opened). */
void ppp_link_frame_config(const struct ppp_link *link, struct ppp_frame_config *fc);

/* ppp_link_auth.c */
unsigned link_auth_allowed(const struct ppp_link *link);
/* LCP's offer (server) or acceptance (client) from the allowed methods. */
void link_auth_lcp_config(const struct ppp_link *link, struct lcp_config *lc);
void link_start_auth(struct ppp_link *link);
void link_auth_stop(struct ppp_link *link);
void link_auth_result(struct ppp_link *link, const struct auth_result *r);
bool link_has_mppe_keys(const struct ppp_link *link);
/* EAP peer: take an authenticator NCP packet as the lost Success. */
void ppp_link_eap_success_lost(struct ppp_link *link, uint16_t protocol);

/* ppp_link_data.c */
/* Frame an IP packet for the peer (MPPE when on); takes p. */
int link_send_frame(struct ppp_link *link, struct pkt *p, uint16_t protocol);

/* ppp_link_ipv6.c */
/* IPV6CP or the link came up: report IPv6, announce (server) or solicit (client). */
void link_ipv6_check_up(struct ppp_link *link);
void link_ipv6_down(struct ppp_link *link);
/* An IPv6 packet from the peer that passed the source check: true when
 * it was Neighbor Discovery for the link itself (taken and freed). */
bool link_ipv6_intercept(struct ppp_link *link, struct pkt *p);
uint64_t link_ipv6_next_deadline(const struct ppp_link *link);
void link_ipv6_on_timeout(struct ppp_link *link, uint64_t now_ms);

/* ppp_link_ncp.c */
void link_enter_network(struct ppp_link *link);
void link_ncps_down(struct ppp_link *link);
void link_ccp_event(struct ppp_link *link, const struct ppp_event *ev);
void link_ipcp_event(struct ppp_link *link, const struct ppp_event *ev);
void link_ipv6cp_event(struct ppp_link *link, const struct ppp_event *ev);
uint16_t ppp_link_mtu(const struct ppp_link *link);
bool ppp_link_mppe_required(const struct ppp_link *link);

#endif
