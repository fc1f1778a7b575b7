#include "proto/session/ppp_link.h"

const char *ppp_auth_method_name(enum ppp_auth_method method)
{
	switch (method) {
	case PPP_AUTH_NONE: return "";
	case PPP_AUTH_PAP: return "pap";
	case PPP_AUTH_CHAP_MD5: return "chap-md5";
	case PPP_AUTH_MSCHAPV1: return "mschapv1";
	case PPP_AUTH_MSCHAPV2: return "mschapv2";
	case PPP_AUTH_EAP_MD5: return "eap-md5";
	}
	return "?";
}
