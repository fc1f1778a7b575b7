/* SPDX-License-Identifier: BSD-2-Clause */
/* `openpptp connect HOST`: the PPTP client (PNS) daemon.
 *
 * One tunnel to one server: TCP 1723 for control, raw GRE for data, a TUN
 * device brought up with the negotiated address. Everything it changes
 * (host route to the server, routes through the tunnel, DNS, the TUN) is
 * undone on every exit path. */
#ifndef OPENPPTP_CLIENT_CLIENT_H
#define OPENPPTP_CLIENT_CLIENT_H

#include <stdbool.h>
#include <stdint.h>

#include "config/options.h"

/* Exit codes: distinct per cause so scripts can tell failures apart. */
enum client_exit {
	CLIENT_EXIT_OK = 0,             /* closed on request (signal) */
	CLIENT_EXIT_ERROR = 1,          /* local trouble: TUN, sockets, memory */
	CLIENT_EXIT_USAGE = 2,          /* bad options or configuration */
	CLIENT_EXIT_UNREACHABLE = 3,    /* TCP 1723 refused or timed out */
	CLIENT_EXIT_REFUSED = 4,        /* PPTP control connection or call refused */
	CLIENT_EXIT_NO_GRE = 5,         /* TCP worked, GRE never came back */
	CLIENT_EXIT_AUTH_FAILED = 6,    /* wrong password, unknown user */
	CLIENT_EXIT_MPPE_REFUSED = 7,   /* encryption required but refused */
	CLIENT_EXIT_PEER_CLOSED = 8,    /* the server ended the session */
	CLIENT_EXIT_LINK_FAILED = 9,    /* PPP negotiation or keepalive failed */
};

struct client_config {
	char *config;                   /* --config FILE (read before the others) */
	char *profile;                  /* --profile NAME: profile_dir/NAME.conf */
	char *profile_dir;
	char *server;                   /* host name or address; the HOST argument wins */
	char *user;
	char *password_file;
	char *password;         /* in a profile file */
	char *password_nt_hash; /* 32 hex digits, in a profile file */
	char *auth;
	char *mppe;
	char *ifname;
	int mtu;
	int mru;
	char *mss_clamp;
	int tun_offload; /* enum tun_offload */
	bool default_route;
	struct option_list route;
	bool ipv6;
	struct option_list route6;
	bool dns;
	char *resolv_conf;
	char *up;
	char *down;
	bool persist;
	int maxfail; /* 0: no limit */
	bool persist_on_auth_failure;
	int max_backoff;
	int connect_timeout;
	int lcp_echo_interval;
	int lcp_echo_failures;
	int pptp_echo_interval;
	int log_level;                  /* index: error, warn, info, debug */
	int log_target;                 /* enum log_target */
	bool foreground;
	char *name;
	char *privsep_user; /* the unprivileged user (--user is the login) */
	char *privsep_group;
	bool privsep; /* --no-privsep: debugging only */
	/* EAP-TLS (RFC 5216, docs/auth.md) */
	char *eap_tls_cert;
	char *eap_tls_key;
	char *eap_tls_ca;
	char *eap_tls_crl;
	char *eap_tls_server_name;
	int eap_tls_max_version; /* enum tls_max_version */
};

extern const struct option_table client_option_table;

int client_main(int argc, char **argv);

#endif
