/* SPDX-License-Identifier: BSD-2-Clause */
/* PPP authentication through RADIUS, both ways, pure functions:
 *   - the PPP authenticator's request (auth_verify.h) becomes the
 *     attributes of an Access-Request (RFC 2865 §5, RFC 2548 §2.1/§2.3);
 *   - the verified Access-Accept / Access-Reject becomes the verdict for
 *     the PPP engine (MS-CHAP2-Success passed on unchanged, MS-CHAP-Error
 *     mapped, MPPE keys decrypted) and the grant the session acts on
 *     (address, timeouts, Class, DNS/NBNS, MTU, Reply-Message).
 * The NAS attributes every request carries (access and accounting) are
 * here too. */
#ifndef OPENPPTP_PROTO_RADIUS_ACCESS_H
#define OPENPPTP_PROTO_RADIUS_ACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/writer.h"
#include "proto/auth/auth.h"
#include "proto/radius/radius_client.h"

/* Who asks: NAS identification and the call (host order addresses). */
struct radius_nas_info {
	uint32_t nas_ip;              /* NAS-IP-Address, 0 = none */
	const char *nas_identifier;   /* NAS-Identifier, NULL = none */
	uint32_t nas_port;            /* NAS-Port: one per call */
	uint32_t calling_station;     /* the client's underlay address */
	uint32_t called_station;      /* ours */
	const char *acct_session_id;  /* NULL = none */
	const char *peer_ident[2];    /* the peer's LCP Identification texts, NULL = none */
};

/* User-Name is not here (the caller's), everything else of §1 "Request
 * attributes": NAS-*, Service-Type Framed, Framed-Protocol PPP, Tunnel-*
 * PPTP over IPv4, Calling/Called-Station-Id, Acct-Session-Id, and a
 * Windows peer's MS-RAS-Client-Version / -Name from its Identification
 * texts ("MSRASV5.20", "MSRAS-0-HOSTNAME"). */
void radius_put_nas(struct writer *w, const struct radius_nas_info *nas);

/* The attributes of an Access-Request for r (User-Name, the method's
 * attributes, the NAS's). PAP's password is not among them: it goes to
 * radius_request.password (hidden per server by the client engine).
 * Returns false for a method RADIUS cannot carry or a value of the wrong
 * size. */
bool radius_access_attrs(struct writer *w, const struct auth_verify_request *r, const struct radius_nas_info *nas);

/* What the session acts on besides the verdict (host order; 0 = unset). */
#define RADIUS_CLASS_MAX 253
struct radius_grant {
	uint32_t framed_ip;           /* 0: from the pool (absent or 255.255.255.254) */
	uint32_t session_timeout;     /* seconds */
	uint32_t idle_timeout;
	uint32_t interim_interval;
	uint32_t dns[2], nbns[2];
	uint16_t mtu;
	uint8_t class_value[RADIUS_CLASS_MAX];
	size_t class_len;
	char reply_message[AUTH_VERIFY_MESSAGE_MAX]; /* printable ASCII, others as '.' */
	char filter_id[64];
	uint32_t netmask;     /* Framed-IP-Netmask (logged: a PPP peer is a /32) */
	char pool[64];        /* Framed-Pool (RFC 2869 §5.18), "" = none */
	uint32_t mppe_policy; /* MS-MPPE-Encryption-Policy, 0 = absent */
	bool mppe_types_set;
	uint32_t mppe_types;      /* MS-MPPE-Encryption-Types (RFC 2548 §2.4.5) */
	char framed_route[4][64]; /* Framed-Route texts (RFC 2865 §5.22), logged only */
	unsigned framed_routes;
};

/* A verified reply (radius_client.h RADIUS_EV_REPLY) to the Access-Request
 * for `r`: the verdict and the grant. For EAP (RFC 3579) the reassembled
 * EAP-Message and State go into the verdict, and an Access-Challenge is a
 * verdict with eap_challenge set; for other methods it is a refusal. */
void radius_access_verdict(const struct radius_event *ev, const struct auth_verify_request *r,
			   struct auth_verdict *v, struct radius_grant *g);

#endif
