/* Internals shared by ppp_link*.c: the link's state and the few helpers
 * the data path needs from the phase machine. Not for other layers. */
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

struct ppp_link {
	struct ppp_link_config cfg;
	enum ppp_link_phase phase;
	bool started;
	uint64_t now;

	struct lcp lcp;
	struct ccp ccp;
	struct ipcp ipcp;
	struct ipv6cp ipv6cp;
	bool ccp_on, ipcp_on, ipv6cp_on;
	bool ccp_up, ipcp_up, ipv6cp_up;
	bool lcp_was_opened;

	struct auth auth;
	bool auth_on;
	bool auth_ok;
	enum ppp_link_auth auth_method;
	char user[AUTH_MAX_NAME + 1];
	struct auth_mppe_material material;
	uint32_t static_address;
	uint32_t assigned_address;

	struct mppe_channel mppe;
	bool mppe_on;
	unsigned mppe_bits;
	bool mppe_stateless;
	bool mppc;

	bool up_reported;
	bool down_reported;

	enum ppp_link_cause cause;
	bool cause_from_peer;  /* set by a Terminate-Request while negotiating */
	char reason[LINK_REASON_MAX];
	char term_text[LINK_REASON_MAX];  /* what the peer reads in our Terminate-Request */

	struct ppp_link_stats stats;
	struct log_limit limit;
};

/* After every call into an engine: take the events it queued. */
void ppp_link_drain(struct ppp_link *link);
/* The framing towards the peer (ACFC/PFC only once LCP is Opened). */
void ppp_link_frame_config(const struct ppp_link *link, struct ppp_frame_config *fc);
uint16_t ppp_link_mtu(const struct ppp_link *link);
bool ppp_link_mppe_required(const struct ppp_link *link);
/* EAP peer: take an authenticator NCP packet as the lost Success. */
void ppp_link_eap_success_lost(struct ppp_link *link, uint16_t protocol);

#endif
