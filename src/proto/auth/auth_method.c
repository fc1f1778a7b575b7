/* SPDX-License-Identifier: BSD-2-Clause */
/* One enum for the authentication method; see auth_method.h. */
#include "proto/auth/auth_method.h"

#include "proto/ppp/ppp.h"

const char *auth_method_name(enum auth_method m)
{
	switch (m) {
	case AUTH_METHOD_NONE: return "none";
	case AUTH_METHOD_PAP: return "pap";
	case AUTH_METHOD_CHAP_MD5: return "chap-md5";
	case AUTH_METHOD_MSCHAPV1: return "mschapv1";
	case AUTH_METHOD_MSCHAPV2: return "mschapv2";
	case AUTH_METHOD_EAP_MD5: return "eap-md5";
	case AUTH_METHOD_EAP_MSCHAPV2: return "eap-mschapv2";
	case AUTH_METHOD_EAP_TLS: return "eap-tls";
	case AUTH_METHOD_EAP_RADIUS: return "eap-radius";
	case AUTH_METHOD_COUNT: break;
	}
	return "?";
}

bool auth_method_is_eap(enum auth_method m)
{
	return m == AUTH_METHOD_EAP_MD5 || m == AUTH_METHOD_EAP_MSCHAPV2 || m == AUTH_METHOD_EAP_TLS ||
	       m == AUTH_METHOD_EAP_RADIUS;
}

bool auth_method_to_lcp(enum auth_method m, uint16_t *protocol, uint8_t *chap_algorithm)
{
	*chap_algorithm = 0;
	switch (m) {
	case AUTH_METHOD_PAP: *protocol = PPP_PROTO_PAP; return true;
	case AUTH_METHOD_EAP_MD5:
	case AUTH_METHOD_EAP_MSCHAPV2:
	case AUTH_METHOD_EAP_TLS:
	case AUTH_METHOD_EAP_RADIUS:
		*protocol = PPP_PROTO_EAP;
		return true;
	case AUTH_METHOD_CHAP_MD5: *chap_algorithm = AUTH_CHAP_MD5; break;
	case AUTH_METHOD_MSCHAPV1: *chap_algorithm = AUTH_CHAP_MSCHAPV1; break;
	case AUTH_METHOD_MSCHAPV2: *chap_algorithm = AUTH_CHAP_MSCHAPV2; break;
	case AUTH_METHOD_NONE:
	case AUTH_METHOD_COUNT:
		return false;
	}
	*protocol = PPP_PROTO_CHAP;
	return true;
}

enum auth_method auth_method_from_lcp(uint16_t protocol, int chap_algorithm)
{
	if (protocol == PPP_PROTO_PAP && chap_algorithm < 0)
		return AUTH_METHOD_PAP;
	if (protocol == PPP_PROTO_EAP && chap_algorithm < 0)
		return AUTH_METHOD_EAP_MD5;
	if (protocol != PPP_PROTO_CHAP)
		return AUTH_METHOD_NONE;
	switch (chap_algorithm) {
	case AUTH_CHAP_MD5: return AUTH_METHOD_CHAP_MD5;
	case AUTH_CHAP_MSCHAPV1: return AUTH_METHOD_MSCHAPV1;
	case AUTH_CHAP_MSCHAPV2: return AUTH_METHOD_MSCHAPV2;
	default: return AUTH_METHOD_NONE;
	}
}
