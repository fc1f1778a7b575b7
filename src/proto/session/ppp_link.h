/* SPDX-License-Identifier: BSD-2-Clause */
/* One PPP link over one PPTP call: the RFC 1661 §3.2 phases glued together.
 *
 *   Dead -> Establish (LCP) -> Authenticate (PAP/CHAP/MS-CHAP/EAP)
 *        -> Network (CCP+MPPE, IPCP, IPV6CP) -> Terminate -> Dead
 *
 * Sans-I/O like every engine under src/proto: PPP frames (without HDLC
 * flags/FCS; PPTP carries them in GRE) come in with ppp_link_input(), IP
 * packets from the TUN with ppp_link_send_ip(); frames for GRE and IP
 * packets for the TUN leave through the callbacks, in place in the same
 * struct pkt (headroom for the PPP and GRE headers, MPPE in place).
 *
 * When MPPE is required, no IP packet passes before CCP is up, and a peer
 * that refuses it gets LCP Terminate-Request "MPPE required but peer refused". */
#ifndef OPENPPTP_SESSION_PPP_LINK_H
#define OPENPPTP_SESSION_PPP_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/ipv4_text.h"
#include "base/pkt.h"
#include "base/random.h"
#include "proto/auth/auth_method.h"
#include "proto/auth/auth_verify.h"

enum ppp_link_role {
	PPP_LINK_SERVER, /* authenticator, assigns addresses */
	PPP_LINK_CLIENT, /* authenticates itself, learns addresses */
};


/* MPPE policy: each strength is required-if-any (set in `allowed`), and
 * `required` says a link without encryption is not acceptable. */
struct ppp_mppe_policy {
	bool required;
	bool allow_40;
	bool allow_56;
	bool allow_128;
	bool allow_stateful; /* stateless (H bit) preferred; stateful only if allowed */
	bool allow_mppc;     /* MPPC compression (RFC 2118) */
	bool stateful_only;  /* refuse stateless (clear H): interop tests, old peers */
};

/* Why a link went down: distinct causes so the client can exit with a
 * distinct code and the server can log the right line. */
enum ppp_link_cause {
	PPP_CAUSE_NONE = 0,
	PPP_CAUSE_LOCAL_CLOSE,     /* we closed it (admin, signal) */
	PPP_CAUSE_PEER_TERMINATE,  /* peer sent Terminate-Request */
	PPP_CAUSE_LCP_FAILED,      /* negotiation did not converge / Max-Configure */
	PPP_CAUSE_LOOPBACK,        /* magic number loopback */
	PPP_CAUSE_NO_AUTH_METHOD,  /* no method both sides allow */
	PPP_CAUSE_AUTH_FAILED,     /* wrong password, unknown user */
	PPP_CAUSE_AUTH_PEER_BAD,   /* MS-CHAPv2: server's authenticator response wrong */
	PPP_CAUSE_MPPE_REFUSED,    /* "MPPE required but peer refused" */
	PPP_CAUSE_ECHO_TIMEOUT,    /* LCP echo failures */
	PPP_CAUSE_IPCP_FAILED,
	PPP_CAUSE_LOWER_DOWN,      /* the PPTP call went away */
};

const char *ppp_link_cause_name(enum ppp_link_cause cause);

/* The server's answer to "this user authenticated: which secret / address". */
struct ppp_link_secret {
	bool has_password;
	char password[256];       /* UTF-8 */
	bool has_nt_hash;
	uint8_t nt_hash[16];      /* MD4(UTF-16LE(password)): MS-CHAP without plaintext */
	uint32_t static_address;  /* host order, 0 = from the pool */
};

enum ppp_link_event_type {
	PPP_LINK_EVENT_AUTHENTICATED, /* user name known and verified */
	PPP_LINK_EVENT_UP,            /* IPCP opened: addresses below are valid */
	PPP_LINK_EVENT_DOWN,          /* link finished; cause and reason set */
	PPP_LINK_EVENT_MPPE_UP,       /* CCP opened with the mppe_* fields */
	PPP_LINK_EVENT_IPV6_UP,       /* IPV6CP opened on an UP link: `ipv6` ids (server: and its /64) */
	PPP_LINK_EVENT_IPV6_PREFIX,   /* client: a Router Advertisement gave (another) prefix: `ipv6` */
	PPP_LINK_EVENT_VERIFY,        /* server, remote_verify: credentials to check (ppp_link_verify_request) */
};

/* IPv6 on the link (RFC 5072, RFC 4861): a value, like the event. */
struct ppp_link_ipv6 {
	uint64_t local_id, peer_id;   /* IPV6CP interface identifiers: fe80::id */
	bool has_prefix;
	uint8_t prefix[16];           /* the session's /64: server delegated, client learned from the RA */
	uint8_t prefix_len;
	uint32_t valid_lifetime;      /* client: seconds, from the RA */
	uint8_t dns_count;            /* client: RDNSS (RFC 8106) */
	uint8_t dns[2][16];
};

#define PPP_LINK_NAME_MAX 256     /* a user name and its NUL (auth.h AUTH_MAX_NAME + 1) */
#define PPP_LINK_REASON_MAX 192

/* A value: it holds no pointer into the link, so a copy outlives it. */
struct ppp_link_event {
	enum ppp_link_event_type type;
	char user[PPP_LINK_NAME_MAX]; /* AUTHENTICATED and later; "" before */
	enum auth_method auth;        /* the method used */
	uint32_t local_address;       /* UP: host order */
	uint32_t peer_address;
	uint32_t dns[2];              /* UP, client: what the server pushed */
	uint32_t nbns[2];
	uint16_t mtu;                 /* UP: min(peer's MRU, ours) minus MPPE overhead */
	unsigned mppe_bits;           /* 0, 40, 56 or 128 */
	bool mppe_stateless;
	bool mppc;
	struct ppp_link_ipv6 ipv6;    /* IPV6_UP, IPV6_PREFIX */
	enum ppp_link_cause cause;    /* DOWN */
	char reason[PPP_LINK_REASON_MAX]; /* DOWN: text for the log ("peer: Authentication failure") */
};

struct ppp_link_config {
	enum ppp_link_role role;
	const char *tag;              /* log tag (session) */
	/* Limiter for the lines every call repeats (phase, link down), shared
	 * with the tunnel so a peer placing and clearing calls cannot flood
	 * the log; NULL: the link's own. */
	struct log_limit *log_limit;
	struct random_source random;

	/* LCP */
	uint16_t mru;                 /* 0 = 1400 (PPTP over a 1500 MTU underlay) */
	/* TCP MSS clamping on SYN and SYN-ACK both ways (issue 12 §1):
	 * PPP_LINK_MSS_AUTO (0) = link MTU - 40 (IPv6: - 60), PPP_LINK_MSS_OFF,
	 * or N > 0: at most N (IPv6: N - 20), never above the automatic value. */
	int mss_clamp;
	uint32_t lcp_echo_interval_ms; /* 0 = off */
	uint32_t lcp_echo_failures;
	uint32_t restart_ms;          /* 0 = 3000 (RFC 1661 §4.6) */
	uint32_t max_configure;       /* 0 = 10 */

	/* authentication */
	/* Methods allowed, a set of AUTH_METHOD_BIT(m); 0 = MS-CHAPv2 only.
	 * Preference when several are allowed is strongest first:
	 * MS-CHAPv2, MS-CHAPv1, EAP-MD5, CHAP-MD5, PAP. */
	unsigned auth_allowed;
	const char *user;             /* client: our name (may be DOMAIN\user) */
	const char *password;         /* client: our password (UTF-8) */
	const uint8_t *nt_hash;       /* client, instead of password: its NT hash (MS-CHAP only) */
	const char *local_name;       /* our name in CHAP challenges; "openpptp" */
	/* EAP-TLS certificates (tls_creds.h), NULL = none. Server: EAP offers
	 * TLS first; client: answers EAP-TLS. Shared, outlives the link. */
	const struct tls_creds *eap_tls;
	/* server: look the user up; 0 or a negative error (unknown user). */
	int (*lookup_secret)(void *ctx, const char *user, struct ppp_link_secret *out);
	/* server, instead of lookup_secret: the credentials go out as
	 * PPP_LINK_EVENT_VERIFY and the verdict comes back later through
	 * ppp_link_verify_done (auth_verify.h); no verdict within
	 * verify_timeout_ms (0 = 30000) refuses the peer. */
	bool remote_verify;
	uint32_t verify_timeout_ms;

	/* encryption */
	struct ppp_mppe_policy mppe;
	/* Stateful MPPE after a CCP Reset-Request: 0 = default = Linux
	 * ppp_mppe's rule (the FLUSHED packet changes the session key: what
	 * pppd peers do), 1 = same explicitly, -1 = RFC 3078 §8.2 (re-init RC4
	 * with the current key). Both our sides follow the chosen rule. */
	int mppe_reset_changes_key;

	/* IPCP (host order): server local address, the address to assign
	 * (0 = ask lookup_secret / address callback), DNS/NBNS to push. Client:
	 * local_address 0 = ask the server. */
	uint32_t local_address;
	uint32_t peer_address;
	uint32_t dns[2];
	uint32_t nbns[2];
	bool ipv6;                    /* also run IPV6CP */
	uint64_t ipv6_interface_id;   /* ours (RFC 5072 §4.1); 0 = random */
	/* client: solicit Router Advertisements (RFC 4861 §6.3.7) for an
	 * address (the server announces only with assign_prefix6 set) */
	bool ipv6_autoconf;
	/* server: RDNSS servers announced in the Router Advertisement */
	uint8_t dns6_count;
	uint8_t dns6[2][16];

	/* Callbacks: packet sinks and synchronous queries only, never events
	 * (those are queued: ppp_link_next_event). None of them may call
	 * into the link: it is in the middle of a call. */
	void *ctx;
	/* A PPP frame (protocol field first; address/control as negotiated) for
	 * GRE. Ownership of pkt passes to the callee. */
	void (*output)(void *ctx, struct pkt *frame);
	/* A decrypted IP packet for the TUN. Ownership passes to the callee. */
	void (*deliver_ip)(void *ctx, struct pkt *ip_packet);
	/* server: the address for an authenticated user (pool or static);
	 * 0 = none available (the link goes down with PPP_CAUSE_IPCP_FAILED). */
	uint32_t (*assign_address)(void *ctx, const char *user, uint32_t static_address);
	/* server: the /64 (first 8 bytes) to announce to the peer with this
	 * IPCP address; false = none (the peer keeps its link-local only). */
	bool (*assign_prefix6)(void *ctx, uint32_t peer_address, uint8_t prefix[8]);
};

struct ppp_link;

/* The config is copied; its strings (tag, user, password, nt_hash, local_name) are
 * not and must outlive the link. NULL without random.fill or output. */
struct ppp_link *ppp_link_new(const struct ppp_link_config *config);
/* Not from inside one of the link's callbacks (output, deliver_ip,
 * lookup_secret, assign_address): the link is still running there. */
void ppp_link_free(struct ppp_link *link);

/* Events out: every call below may queue AUTHENTICATED, MPPE_UP, UP or
 * DOWN; the owner takes them, oldest first, after the call returns (a
 * copy: the event holds no pointer into the link). DOWN is the last. */
bool ppp_link_next_event(struct ppp_link *link, struct ppp_link_event *out);

/* The PPTP call is up: start LCP. */
void ppp_link_start(struct ppp_link *link, uint64_t now_ms);
/* A PPP frame from GRE (ownership passes to the link). */
void ppp_link_input(struct ppp_link *link, struct pkt *frame, uint64_t now_ms);
/* An IP packet from the TUN (ownership passes); dropped and counted when
 * the link is not up. TCP SYNs get their MSS clamped to the link MTU;
 * above the MTU, IPv4 without DF is fragmented, anything else is dropped
 * (ERR_LENGTH) and answered with ICMP "too big" through deliver_ip.
 * Returns 0 or a negative error. */
int ppp_link_send_ip(struct ppp_link *link, struct pkt *ip_packet, uint64_t now_ms);
/* Close the link with a reason (LCP Terminate-Request). */
void ppp_link_close(struct ppp_link *link, const char *reason, uint64_t now_ms);
/* The lower layer went away (call cleared, TCP lost): straight to Dead. */
void ppp_link_lower_down(struct ppp_link *link, uint64_t now_ms);

/* remote_verify: the credentials of the pending verification, NULL when
 * none is pending. Valid until the next call into the link. */
const struct auth_verify_request *ppp_link_verify_request(const struct ppp_link *link);
/* What an accepted verdict gives the session besides the login (host
 * order; 0 = keep what is configured / take from the pool). */
enum ppp_grant_mppe {
	PPP_GRANT_MPPE_KEEP = 0,     /* no MS-MPPE-Encryption-Policy */
	PPP_GRANT_MPPE_ALLOWED = 1,  /* RFC 2548 §2.4.4 Encryption-Allowed */
	PPP_GRANT_MPPE_REQUIRED = 2, /* Encryption-Required */
};
/* RFC 2548 §2.4.5 MS-MPPE-Encryption-Types: L (40-bit), S (128-bit);
 * 0x8 is Microsoft's 56-bit bit (RFC 3078 §2's M), which NPS sends. */
#define PPP_GRANT_MPPE_TYPE_40 0x2u
#define PPP_GRANT_MPPE_TYPE_128 0x4u
#define PPP_GRANT_MPPE_TYPE_56 0x8u
#define PPP_GRANT_ROUTES_MAX 4 /* as many Framed-Routes as radius_grant keeps */
struct ppp_link_grant {
	uint32_t static_address;
	uint32_t dns[2];
	uint32_t nbns[2];
	uint16_t mtu_cap; /* Framed-MTU: the link MTU is at most this; 0 = none */
	enum ppp_grant_mppe mppe_policy;
	bool mppe_types_set; /* mppe_types narrows the strengths */
	uint32_t mppe_types;
	/* Framed-Route prefixes the server accepted for this session (issue
	 * 14): sources inside them pass the session's source check. */
	struct ipv4_prefix routes[PPP_GRANT_ROUTES_MAX];
	unsigned route_count;
};
/* remote_verify: the verdict (auth.h struct auth_verdict) and, when
 * accepted, the grant (may be NULL); ignored when no verification is
 * pending. */
struct auth_verdict;
void ppp_link_verify_done(struct ppp_link *link, const struct auth_verdict *v, const struct ppp_link_grant *g,
			  uint64_t now_ms);

uint64_t ppp_link_next_deadline(const struct ppp_link *link);
void ppp_link_on_timeout(struct ppp_link *link, uint64_t now_ms);

bool ppp_link_is_up(const struct ppp_link *link);
/* The peer's i-th LCP Identification text (lcp.h), NULL when none. */
const char *ppp_link_peer_identification(const struct ppp_link *link, unsigned i);

/* RFC 1661 §3.2 phases (for status and tests). */
enum ppp_link_phase {
	PPP_PHASE_DEAD = 0,
	PPP_PHASE_ESTABLISH,
	PPP_PHASE_AUTHENTICATE,
	PPP_PHASE_NETWORK,
	PPP_PHASE_TERMINATE,
};
enum ppp_link_phase ppp_link_phase(const struct ppp_link *link);
const char *ppp_link_phase_name(enum ppp_link_phase phase);

/* The secure defaults for a role: MS-CHAPv2 only, MPPE-128 required,
 * stateless, no MPPC; everything else zero (= the defaults above). */
void ppp_link_config_defaults(struct ppp_link_config *config, enum ppp_link_role role);

/* One debug line describing a PPP frame (protocol, code, id, options);
 * `dir` is "rcvd" or "sent". No-op unless debug logging is on. */
void ppp_link_log_packet(const char *tag, const char *dir, uint16_t protocol, const uint8_t *info,
			 size_t len);

#define PPP_LINK_MSS_AUTO 0
#define PPP_LINK_MSS_OFF (-1)

struct ppp_link_stats {
	uint64_t ip_tx_packets, ip_tx_bytes;
	uint64_t ip_rx_packets, ip_rx_bytes;
	uint64_t dropped_not_up;
	uint64_t mppe_rx_errors;
	uint64_t protocol_rejects_sent;
	uint64_t frames_malformed;
	uint64_t dropped_unencrypted;   /* plain IP while MPPE is up or required */
	uint64_t dropped_inner_protocol; /* MPPE payload not IP/IPv6 */
	uint64_t dropped_too_long;      /* IP from the TUN above the MTU */
	uint64_t mppe_resets_sent;      /* CCP Reset-Requests we sent */
	uint64_t mppe_resets_received;
	/* Decapsulated packets dropped before the TUN (issue 11 item 2): */
	uint64_t dropped_ip_malformed;  /* not a parseable IP packet */
	uint64_t dropped_ip_version;    /* 0x0021 not carrying IPv4, 0x0057 not IPv6 */
	uint64_t dropped_ip_source;     /* server: a source the session was not given */
	/* Packets above the session MTU (issue 12 §1): */
	uint64_t icmp_too_big_sent;     /* Fragmentation Needed / Packet Too Big to the TUN */
	uint64_t icmp_rate_limited;     /* too big, answer suppressed by the rate limit */
	uint64_t fragments_sent;        /* IPv4 fragments made from packets without DF */
	uint64_t mss_clamped;           /* TCP SYN/SYN-ACK whose MSS was lowered */
	/* The MPPE receiver (issue 12 §2; struct mppe_rx_stats): */
	uint64_t mppe_lost;             /* packets missing by coherency count */
	uint64_t mppe_recovered;        /* stateful losses bridged without a reset */
	uint64_t mppe_garbage;          /* decrypted packets failing the protocol check */
	uint64_t mppe_garbage_resyncs;  /* runs of those that forced a resync */
	uint64_t mppe_over_budget;      /* catch-up or resync search over the per-second budget */
	/* CCP Terminate-Acks sent for compressed data reaching a CCP that is
	 * not Opened (ccp_compressed_while_down): */
	uint64_t ccp_term_acks_sent;
	/* Neighbor Discovery (RFC 4861) handled in the link: */
	uint64_t nd_ra_sent, nd_rs_sent;
	uint64_t nd_ra_received, nd_rs_received;
	uint64_t nd_malformed;          /* an RS/RA that failed validation: dropped */
};
void ppp_link_get_stats(const struct ppp_link *link, struct ppp_link_stats *out);

/* IPV6CP interface identifiers (RFC 5072 §4.1), ours and the peer's;
 * false when IPV6CP is not up. */
bool ppp_link_ipv6_ids(const struct ppp_link *link, uint64_t *local_id, uint64_t *peer_id);

#endif
