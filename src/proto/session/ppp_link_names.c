/* SPDX-License-Identifier: BSD-2-Clause */
/* ppp_link: names, the secure defaults, and the debug packet log line. */
#include <stdio.h>
#include <string.h>

#include "proto/session/ppp_link_internal.h"

const char *ppp_link_cause_name(enum ppp_link_cause cause)
{
	switch (cause) {
	case PPP_CAUSE_NONE: return "none";
	case PPP_CAUSE_LOCAL_CLOSE: return "local-close";
	case PPP_CAUSE_PEER_TERMINATE: return "peer-terminate";
	case PPP_CAUSE_LCP_FAILED: return "lcp-failed";
	case PPP_CAUSE_LOOPBACK: return "loopback";
	case PPP_CAUSE_NO_AUTH_METHOD: return "no-auth-method";
	case PPP_CAUSE_AUTH_FAILED: return "auth-failed";
	case PPP_CAUSE_AUTH_PEER_BAD: return "auth-peer-bad";
	case PPP_CAUSE_MPPE_REFUSED: return "mppe-refused";
	case PPP_CAUSE_ECHO_TIMEOUT: return "echo-timeout";
	case PPP_CAUSE_IPCP_FAILED: return "ipcp-failed";
	case PPP_CAUSE_LOWER_DOWN: return "lower-down";
	}
	return "?";
}

const char *ppp_link_phase_name(enum ppp_link_phase phase)
{
	switch (phase) {
	case PPP_PHASE_DEAD: return "Dead";
	case PPP_PHASE_ESTABLISH: return "Establish";
	case PPP_PHASE_AUTHENTICATE: return "Authenticate";
	case PPP_PHASE_NETWORK: return "Network";
	case PPP_PHASE_TERMINATE: return "Terminate";
	}
	return "?";
}


void ppp_link_config_defaults(struct ppp_link_config *config, enum ppp_link_role role)
{
	memset(config, 0, sizeof(*config));
	config->role = role;
	config->auth_allowed = AUTH_METHOD_BIT(AUTH_METHOD_MSCHAPV2);
	config->mppe.required = true;
	config->mppe.allow_128 = true;
}

static bool is_control_protocol(uint16_t protocol)
{
	return protocol == PPP_PROTO_LCP || protocol == PPP_PROTO_IPCP || protocol == PPP_PROTO_IPV6CP ||
	       protocol == PPP_PROTO_CCP;
}

void ppp_link_log_packet(const char *tag, const char *dir, uint16_t protocol, const uint8_t *info, size_t len)
{
	if (!log_enabled(LOG_LEVEL_DEBUG))
		return;
	struct ppp_cp_packet cp;
	bool cp_like = is_control_protocol(protocol) || protocol == PPP_PROTO_PAP || protocol == PPP_PROTO_CHAP ||
		       protocol == PPP_PROTO_EAP;
	if (!cp_like || ppp_cp_parse(info, len, &cp) < 0) {
		log_msg(LOG_LEVEL_DEBUG, tag, "%s %s (0x%04x) len %zu", dir, ppp_protocol_name(protocol), protocol,
			len);
		return;
	}
	char opts[160];
	size_t used = 0;
	opts[0] = '\0';
	if (is_control_protocol(protocol) && cp.code >= PPP_CONF_REQ && cp.code <= PPP_CONF_REJ) {
		struct reader r;
		struct ppp_option o;
		reader_init(&r, cp.data, cp.data_len);
		while (used + 16 < sizeof(opts) && ppp_option_next(&r, &o) == 1) {
			int n = snprintf(opts + used, sizeof(opts) - used, " %u/%u", o.type, o.len);
			if (n < 0)
				break;
			used += (size_t)n;
		}
	}
	const char *code = is_control_protocol(protocol) ? ppp_code_name(cp.code) : "";
	log_msg(LOG_LEVEL_DEBUG, tag, "%s %s %s(%u) id %u len %u%s%s", dir, ppp_protocol_name(protocol), code,
		cp.code, cp.id, cp.length, used ? " opts" : "", opts);
}
