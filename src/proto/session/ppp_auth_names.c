#include "proto/session/ppp_link.h"

const char *ppp_link_auth_name(enum ppp_auth_method method)
{
	switch (method) {
	case PPP_AUTH_NONE: return "";
	case PPP_AUTH_PAP: return "pap";
	case PPP_AUTH_CHAP_MD5: return "chap-md5";
	case PPP_AUTH_MSCHAP_V1: return "mschapv1";
	case PPP_AUTH_MSCHAP_V2: return "mschapv2";
	case PPP_AUTH_EAP: return "eap-md5";
	case PPP_AUTH_COUNT: break;
	}
	return "?";
}
