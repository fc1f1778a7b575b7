/* SPDX-License-Identifier: BSD-2-Clause */
/* `openpptp server`: the PPTP server (PAC) daemon.
 *
 * One listening TCP socket, one raw GRE socket and one shared TUN for all
 * sessions. GRE -> session by our call ID (unique per server), checked
 * against the peer's address; TUN -> session by destination address. Each
 * control connection is a tunnel engine (src/proto/session/tunnel.h). */
#ifndef OPENPPTP_SERVER_SERVER_H
#define OPENPPTP_SERVER_SERVER_H

#include <stdbool.h>
#include <stdint.h>

#include "config/ipv4.h"
#include "config/options.h"

#define SERVER_DEFAULT_CONTROL_SOCKET "/run/openpptp/server.sock"

struct server_config {
	char *config;
	uint32_t listen;
	uint32_t local_ip;
	struct ipv4_range pool;
	struct option_list dns;
	struct option_list wins;
	char *ipv6_pool;
	struct option_list dns6;
	char *secrets;
	char *auth;
	char *mppe;
	int max_sessions;
	int max_negotiating;
	int max_negotiating_per_source;
	int max_sessions_per_user;
	int setup_timeout;
	int connect_rate;
	int login_failure_rate;
	int lcp_echo_interval;
	int lcp_echo_failures;
	int pptp_echo_interval;
	char *ifname;
	int mtu;
	char *mss_clamp;
	int tun_offload; /* enum tun_offload */
	char *control_socket;
	char *name;
	char *user;
	char *group;
	bool privsep; /* --no-privsep: debugging only */
	int log_level;
	int log_target; /* enum log_target */
	bool foreground;
	char *metrics_listen; /* ADDR:PORT, NULL: no metrics listener */
	struct option_list metrics_allow;
	/* AAA (server_auth.h, docs/radius.md) */
	int auth_source; /* enum server_auth_source */
	struct option_list radius_servers;
	struct option_list radius_acct_servers;
	char *radius_secret_file;
	int radius_timeout;
	int radius_retries;
	char *nas_identifier;
	uint32_t nas_ip_address; /* 0: --listen, else the source toward RADIUS */
	int radius_acct_interim;
	char *dae_listen;
	struct option_list dae_clients;
	char *dae_secret_file;
	/* EAP-TLS (RFC 5216, docs/auth.md) */
	char *eap_tls_cert;
	char *eap_tls_key;
	char *eap_tls_ca;
	char *eap_tls_crl;
	int eap_tls_max_version; /* enum tls_max_version */
	struct option_list named_pools; /* NAME=RANGE for RADIUS Framed-Pool */
	struct option_list framed_route_allow; /* CIDR: where a RADIUS Framed-Route may point */
};

extern const struct option_table server_option_table;

int server_main(int argc, char **argv);
/* `openpptp status [--json]` and `openpptp kick USER|ADDRESS`. */
int server_status_main(int argc, char **argv);
int server_kick_main(int argc, char **argv);
/* `openpptp user add|del|list`. */
int server_user_main(int argc, char **argv);

#endif
