/* SPDX-License-Identifier: BSD-2-Clause */
/* The PPP authentication methods: one enum for every layer (LCP's
 * Authentication-Protocol option, the auth engines, the link's policy,
 * the configuration, status), one spelling per method (the option token),
 * and the option's wire values (RFC 1661 §6.2, RFC 1994 §3).
 * LCP only says "EAP" (RFC 3748 §5): what an EAP login actually ran is
 * known once a method starts, and is reported (logs, status, metrics) by
 * the last entries below, which LCP and --auth never see. */
#ifndef OPENPPTP_PROTO_AUTH_AUTH_METHOD_H
#define OPENPPTP_PROTO_AUTH_AUTH_METHOD_H

#include <stdbool.h>
#include <stdint.h>

/* CHAP Algorithm octet of the option (RFC 1994 §3, RFC 2433 §2, RFC 2759 §2). */
#define AUTH_CHAP_MD5 0x05
#define AUTH_CHAP_MSCHAPV1 0x80
#define AUTH_CHAP_MSCHAPV2 0x81

enum auth_method {
	AUTH_METHOD_NONE = 0,
	AUTH_METHOD_PAP,      /* RFC 1334: protocol 0xc023 */
	AUTH_METHOD_CHAP_MD5, /* RFC 1994: 0xc223, algorithm 5 */
	AUTH_METHOD_MSCHAPV1, /* RFC 2433: 0xc223, algorithm 0x80 */
	AUTH_METHOD_MSCHAPV2, /* RFC 2759: 0xc223, algorithm 0x81 */
	/* RFC 3748: 0xc227. On LCP, in --auth and in the engines: EAP as a
	 * whole; reported: MD5-Challenge. */
	AUTH_METHOD_EAP_MD5,
	/* What an EAP login ran, when not MD5-Challenge: reported only. */
	AUTH_METHOD_EAP_MSCHAPV2, /* EAP type 26, checked here */
	AUTH_METHOD_EAP_TLS,      /* RFC 5216, checked here */
	AUTH_METHOD_EAP_RADIUS,   /* RFC 3579 pass-through: the RADIUS server ran the method */
	AUTH_METHOD_COUNT,
};

/* The methods LCP negotiates and the engines run: NONE .. EAP_MD5. */
#define AUTH_METHOD_NEGOTIATED_COUNT (AUTH_METHOD_EAP_MD5 + 1)

/* A set of methods has one bit per method. */
#define AUTH_METHOD_BIT(m) (1u << (m))

/* The one name table: "none", "pap", "chap-md5", "mschapv1", "mschapv2",
 * "eap-md5" (the option tokens --auth takes), "eap-mschapv2", "eap-tls",
 * "eap-radius"; what logs, `status` and metrics show. */
const char *auth_method_name(enum auth_method m);
/* EAP_MD5 and the EAP methods reported after it. */
bool auth_method_is_eap(enum auth_method m);

/* The option's value for a method: the protocol and, for CHAP, the
 * algorithm (else 0); every EAP method is EAP. False for NONE. */
bool auth_method_to_lcp(enum auth_method m, uint16_t *protocol, uint8_t *chap_algorithm);
/* The method an option value names, NONE if none we know. chap_algorithm
 * < 0: the option had no algorithm octet (PAP and EAP must not have one,
 * CHAP must). */
enum auth_method auth_method_from_lcp(uint16_t protocol, int chap_algorithm);

#endif
