/* SPDX-License-Identifier: BSD-2-Clause */
#include "config/ppp_policy.h"

#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "base/log.h"

/* Strongest first; each method's own spelling (auth_method_name) and the
 * aliases accepted for it. "eap-tls" is EAP too: TLS runs in it when the
 * --eap-tls-* options are set (docs/auth.md). */
/* clang-format off */
static const struct {
	const char *name;
	enum auth_method method;
} auth_names[] = {
	{ "mschapv2", AUTH_METHOD_MSCHAPV2 }, { "mschap-v2", AUTH_METHOD_MSCHAPV2 },
	{ "mschapv1", AUTH_METHOD_MSCHAPV1 }, { "mschap", AUTH_METHOD_MSCHAPV1 },
	{ "eap-md5", AUTH_METHOD_EAP_MD5 },   { "eap", AUTH_METHOD_EAP_MD5 },
	{ "chap-md5", AUTH_METHOD_CHAP_MD5 }, { "chap", AUTH_METHOD_CHAP_MD5 },
	{ "pap", AUTH_METHOD_PAP },           { "eap-tls", AUTH_METHOD_EAP_MD5 },
}; /* clang-format on */

int ppp_policy_parse_auth(const char *text, unsigned *methods, char *err, size_t err_size)
{
	unsigned set = 0;
	const char *p = text ? text : "";
	while (*p) {
		size_t len = strcspn(p, ",");
		bool found = false;
		for (size_t i = 0; i < sizeof(auth_names) / sizeof(auth_names[0]); i++) {
			if (strlen(auth_names[i].name) == len && strncmp(p, auth_names[i].name, len) == 0) {
				set |= AUTH_METHOD_BIT(auth_names[i].method);
				found = true;
			}
		}
		if (!found) {
			snprintf(err, err_size, "unknown authentication method '%.*s' (use mschapv2, mschapv1, eap-tls, eap-md5, chap-md5, pap)",
				 (int)len, p);
			return ERR_INVALID;
		}
		p += len;
		if (*p == ',')
			p++;
	}
	if (!set) {
		snprintf(err, err_size, "no authentication method given");
		return ERR_INVALID;
	}
	*methods = set;
	return 0;
}

int ppp_policy_parse_mppe(const char *text, struct ppp_mppe_policy *out, char *err, size_t err_size)
{
	struct ppp_mppe_policy m = { 0 };
	const char *p = text ? text : "";
	size_t len = strcspn(p, ",");
#define MODE_IS(s) (len == strlen(s) && strncmp(p, (s), len) == 0)
	if (MODE_IS("require-128")) {
		m.required = true;
		m.allow_128 = true;
	} else if (MODE_IS("require")) {
		m.required = m.allow_40 = m.allow_56 = m.allow_128 = true;
	} else if (MODE_IS("require-56")) {
		m.required = m.allow_56 = true;
	} else if (MODE_IS("require-40")) {
		m.required = m.allow_40 = true;
	} else if (MODE_IS("allow")) {
		m.allow_40 = m.allow_56 = m.allow_128 = true;
	} else if (MODE_IS("none")) {
		/* nothing allowed */
	} else {
		snprintf(err, err_size, "unknown MPPE mode '%.*s' (use require-128, require, require-56, require-40, allow, none)",
			 (int)len, p);
		return ERR_INVALID;
	}
#undef MODE_IS
	p += len;
	while (*p == ',') {
		p++;
		len = strcspn(p, ",");
		if (len == 8 && strncmp(p, "stateful", 8) == 0) {
			m.allow_stateful = true;
		} else if (len == 13 && strncmp(p, "stateful-only", 13) == 0) {
			/* pppd's mppe-stateful only allows stateful and still asks
			 * for stateless: insisting is the only way to get it. */
			m.allow_stateful = true;
			m.stateful_only = true;
		} else if (len == 4 && strncmp(p, "mppc", 4) == 0) {
			m.allow_mppc = true;
		} else {
			snprintf(err, err_size, "unknown MPPE flag '%.*s' (use stateful, stateful-only, mppc)", (int)len, p);
			return ERR_INVALID;
		}
		p += len;
	}
	if ((m.allow_stateful || m.allow_mppc) && !m.allow_40 && !m.allow_56 && !m.allow_128 && m.allow_stateful) {
		snprintf(err, err_size, "'stateful' needs MPPE");
		return ERR_INVALID;
	}
	*out = m;
	return 0;
}

void ppp_policy_auth_text(unsigned methods, char *out, size_t out_size)
{
	unsigned done = 0;
	size_t used = 0;
	if (out_size)
		out[0] = '\0';
	for (size_t i = 0; i < sizeof(auth_names) / sizeof(auth_names[0]); i++) {
		unsigned bit = AUTH_METHOD_BIT(auth_names[i].method);
		if (!(methods & bit) || (done & bit))
			continue;
		done |= bit;
		int n = snprintf(out + used, out_size - used, "%s%s", used ? "," : "",
				 auth_method_name(auth_names[i].method));
		if (n < 0 || (size_t)n >= out_size - used)
			break;
		used += (size_t)n;
	}
}

int ppp_policy_warn_weak(const char *tag, unsigned methods, const struct ppp_mppe_policy *mppe)
{
	int warnings = 0;
	if (methods & AUTH_METHOD_BIT(AUTH_METHOD_PAP)) {
		log_msg(LOG_LEVEL_WARN, tag, "PAP enabled: passwords cross the tunnel in clear text");
		warnings++;
	}
	if (methods & (AUTH_METHOD_BIT(AUTH_METHOD_CHAP_MD5) | AUTH_METHOD_BIT(AUTH_METHOD_EAP_MD5))) {
		log_msg(LOG_LEVEL_WARN, tag,
			"CHAP-MD5/EAP-MD5 enabled: no MPPE keys come from them, and the server must store plaintext passwords");
		warnings++;
	}
	if (methods & AUTH_METHOD_BIT(AUTH_METHOD_MSCHAPV1)) {
		log_msg(LOG_LEVEL_WARN, tag, "MS-CHAPv1 enabled: its LM/NT responses are cracked offline with ease");
		warnings++;
	}
	if (!mppe->required) {
		log_msg(LOG_LEVEL_WARN, tag, "MPPE not required: the tunnel may carry traffic unencrypted");
		warnings++;
	} else if (!mppe->allow_128 || mppe->allow_40 || mppe->allow_56) {
		log_msg(LOG_LEVEL_WARN, tag, "MPPE strengths below 128 bits allowed: 40/56-bit keys are trivial to break");
		warnings++;
	}
	if (mppe->allow_stateful) {
		log_msg(LOG_LEVEL_WARN, tag, "stateful MPPE allowed: one lost packet stalls traffic until a Reset-Request round trip");
		warnings++;
	}
	if (mppe->allow_stateful && mppe->allow_mppc) {
		/* RFC 3078 §9 / docs/mppe.md: with MPPC nearly every packet is
		 * FLUSHED, and a FLUSHED packet restarts RC4 on the same key. */
		log_msg(LOG_LEVEL_WARN, tag,
			"stateful MPPE with MPPC allowed: packets between key changes reuse one RC4 keystream");
		warnings++;
	}
	return warnings;
}
