/* SPDX-License-Identifier: BSD-2-Clause */
/* What the server and the client configure the same way: loading their
 * options (command line, then the --config INI file, --help), and the
 * tunnel settings every tunnel they run starts from. */
#ifndef OPENPPTP_DAEMON_DAEMON_SETTINGS_H
#define OPENPPTP_DAEMON_DAEMON_SETTINGS_H

#include <stddef.h>
#include <stdint.h>

#include "config/options.h"
#include "proto/session/tunnel.h"

/* Parse argv (argv[0] is the command's name) into cfg with table, then the
 * INI file named by the table's "config" option (cfg_config_path: where
 * that option landed in cfg, NULL when there is none). Errors go to stderr
 * as "openpptp <command>: ...". Returns 0 (o stays initialised: the caller
 * frees it, or keeps the strings and frees them with options_destroy later),
 * 1 when --help was printed, or ERR_INVALID (o already freed). */
int daemon_options_load(struct options *o, const struct option_table *table, void *cfg,
			char *const *cfg_config_path, int argc, char **argv, const char **positional,
			size_t max_positional, size_t *npositional);

struct daemon_tunnel_settings {
	enum pptp_role role;               /* PAC = server, PNS = client */
	const char *name;                  /* PPTP host name, our CHAP name */
	unsigned auth;                     /* set of enum ppp_link_auth */
	struct ppp_mppe_policy mppe;
	int pptp_echo_interval_s;          /* PPTP keepalive interval and timeout (RFC 2637 §2.9) */
	int lcp_echo_interval_s;           /* 0: off */
	int lcp_echo_failures;
	int mss_clamp;                     /* ppp_link_config.mss_clamp, from --mss-clamp */
	uint16_t mru;                      /* LCP MRU; 0: the link's default */
	struct tls_creds *eap_tls;         /* EAP-TLS certificates, NULL: none (daemon_eap_tls_load) */
};

/* The --eap-tls-* options: the certificates loaded into s->eap_tls (as
 * root, before the drop); none set leaves it NULL. EAP-TLS runs inside EAP,
 * so --auth must allow it. Errors go to stderr and give ERR_INVALID. */
struct tls_creds_files;
int daemon_eap_tls_load(struct daemon_tunnel_settings *s, const char *command, const struct tls_creds_files *f);
void daemon_eap_tls_free(struct daemon_tunnel_settings *s);

/* --mss-clamp auto|N|off into s->mss_clamp (N: 88..65495); an error goes
 * to stderr as "openpptp <command>: ..." and gives ERR_INVALID. */
int daemon_mss_clamp_parse(struct daemon_tunnel_settings *s, const char *command, const char *text);

/* The settings from the options both daemons have: --auth and --mppe
 * parsed (an error goes to stderr as "openpptp <command>: ..." and gives
 * ERR_INVALID), the others copied. name must outlive the settings. */
int daemon_tunnel_settings_init(struct daemon_tunnel_settings *s, enum pptp_role role, const char *command,
				const char *auth, const char *mppe, const char *name, int pptp_echo_interval_s,
				int lcp_echo_interval_s, int lcp_echo_failures);

/* A tunnel_config from the settings: defaults for the role, then ours.
 * The caller adds what is its own (server: addresses, secrets, call IDs;
 * client: user and password); daemon_tunnel_open sets the I/O callbacks.
 * tag must outlive the tunnel. */
void daemon_tunnel_config_fill(struct tunnel_config *tc, const struct daemon_tunnel_settings *s,
			       uint32_t local_ipv4, uint32_t peer_ipv4, const char *tag);

#endif
