/* SPDX-License-Identifier: BSD-2-Clause */
#include "daemon/daemon_settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "config/ppp_policy.h"
#include "sys/sys_file.h"
#include "sys/sys_random.h"
#include "sys/tls_creds_load.h"

int daemon_options_load(struct options *o, const struct option_table *table, void *cfg,
			char *const *cfg_config_path, int argc, char **argv, const char **positional,
			size_t max_positional, size_t *npositional)
{
	if (options_init(o, table, cfg) < 0) {
		fprintf(stderr, "openpptp %s: %s\n", table->command, options_error(o));
		options_destroy(o);
		return ERR_INVALID;
	}
	int rc = options_parse_args(o, argc - 1, argv + 1, positional, max_positional, npositional);
	if (rc == OPTIONS_HELP) {
		char help[8192];
		options_help(table, help, sizeof(help));
		fputs(help, stdout);
		options_destroy(o);
		return 1;
	}
	const char *path = cfg_config_path ? *cfg_config_path : NULL;
	if (rc == 0 && path) {
		char *text;
		size_t len;
		rc = sys_read_file(path, 1 << 20, &text, &len);
		if (rc < 0) {
			fprintf(stderr, "openpptp %s: cannot read %s: %s\n", table->command, path, error_name(rc));
			options_destroy(o);
			return ERR_INVALID;
		}
		rc = options_parse_ini(o, text, len, path);
		free(text);
	}
	if (rc < 0) {
		fprintf(stderr, "openpptp %s: %s\n", table->command, options_error(o));
		options_destroy(o);
		return ERR_INVALID;
	}
	return 0;
}

int daemon_tunnel_settings_init(struct daemon_tunnel_settings *s, enum pptp_role role, const char *command,
				const char *auth, const char *mppe, const char *name, int pptp_echo_interval_s,
				int lcp_echo_interval_s, int lcp_echo_failures)
{
	*s = (struct daemon_tunnel_settings){ .role = role, .name = name, .pptp_echo_interval_s = pptp_echo_interval_s,
					      .lcp_echo_interval_s = lcp_echo_interval_s,
					      .lcp_echo_failures = lcp_echo_failures };
	char err[160];
	if (ppp_policy_parse_auth(auth, &s->auth, err, sizeof(err)) < 0 ||
	    ppp_policy_parse_mppe(mppe, &s->mppe, err, sizeof(err)) < 0) {
		fprintf(stderr, "openpptp %s: %s\n", command, err);
		return ERR_INVALID;
	}
	return 0;
}

int daemon_mss_clamp_parse(struct daemon_tunnel_settings *s, const char *command, const char *text)
{
	if (text == NULL || strcmp(text, "auto") == 0) {
		s->mss_clamp = PPP_LINK_MSS_AUTO;
		return 0;
	}
	if (strcmp(text, "off") == 0) {
		s->mss_clamp = PPP_LINK_MSS_OFF;
		return 0;
	}
	char *end;
	long n = strtol(text, &end, 10);
	/* RFC 879: 536 is every host's default; 88 lets IPv6 (N - 20) keep a
	 * sane minimum too. 65495 = 65535 - 40. */
	if (end == text || *end != '\0' || n < 88 || n > 65495) {
		fprintf(stderr, "openpptp %s: --mss-clamp %s: use auto, off or a number 88..65495\n", command, text);
		return ERR_INVALID;
	}
	s->mss_clamp = (int)n;
	return 0;
}

void daemon_tunnel_config_fill(struct tunnel_config *tc, const struct daemon_tunnel_settings *s,
			       uint32_t local_ipv4, uint32_t peer_ipv4, const char *tag)
{
	memset(tc, 0, sizeof(*tc));
	tc->role = s->role;
	tc->local_ipv4 = local_ipv4;
	tc->peer_ipv4 = peer_ipv4;
	tc->tag = tag;
	tc->random = sys_random_source();
	pptp_ctrl_config_defaults(&tc->ctrl, s->role);
	snprintf(tc->ctrl.hostname, sizeof(tc->ctrl.hostname), "%s", s->name);
	tc->ctrl.keepalive_interval_ms = (uint32_t)s->pptp_echo_interval_s * 1000u;
	tc->ctrl.keepalive_timeout_ms = (uint32_t)s->pptp_echo_interval_s * 1000u;
	gre_channel_config_default(&tc->gre);
	ppp_link_config_defaults(&tc->link, s->role == PPTP_ROLE_PAC ? PPP_LINK_SERVER : PPP_LINK_CLIENT);
	tc->link.auth_allowed = s->auth;
	tc->link.mppe = s->mppe;
	tc->link.local_name = s->name;
	tc->link.eap_tls = s->eap_tls;
	tc->link.lcp_echo_interval_ms = (uint32_t)s->lcp_echo_interval_s * 1000u;
	tc->link.lcp_echo_failures = (uint32_t)s->lcp_echo_failures;
	tc->link.mss_clamp = s->mss_clamp;
	if (s->mru)
		tc->link.mru = s->mru;
}

int daemon_eap_tls_load(struct daemon_tunnel_settings *s, const char *command, const struct tls_creds_files *f)
{
	int rc = tls_creds_load(&s->eap_tls, f, command);
	if (rc < 0)
		return rc;
	if (s->eap_tls && !(s->auth & AUTH_METHOD_BIT(AUTH_METHOD_EAP_MD5))) {
		fprintf(stderr, "openpptp %s: the --eap-tls-* options need eap-tls in --auth\n", command);
		daemon_eap_tls_free(s);
		return ERR_INVALID;
	}
	return 0;
}

void daemon_eap_tls_free(struct daemon_tunnel_settings *s)
{
	tls_creds_destroy(s->eap_tls);
	s->eap_tls = NULL;
}
