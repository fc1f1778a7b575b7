/* SPDX-License-Identifier: BSD-2-Clause */
/* `openpptp load`: a PPTP load generator. N client sessions from one
 * process, each a full handshake through the client tunnel engine (PNS
 * role) — control connection, outgoing call, LCP, authentication, CCP/MPPE,
 * IPCP — with no TUN per session: traffic, when asked for, is ICMP echo
 * built and checked in-process (load_icmp.h). See load_internal.h for the
 * pieces and docs/load.md for the use. */
#ifndef OPENPPTP_LOAD_LOAD_H
#define OPENPPTP_LOAD_LOAD_H

#include <stdbool.h>

#include "config/options.h"

struct load_config {
	char *config;
	char *server;
	int clients;
	int rate;
	char *users;
	char *user;
	char *password_file;
	char *auth;
	char *mppe;
	char *traffic;
	int duration;
	int setup_timeout;
	int reconnect;      /* redials per session after a drop or failure (0: off) */
	char *sources;
	bool json;
	int pptp_echo_interval;
	int lcp_echo_interval;
	int lcp_echo_failures;
	char *name;
	int log_level;
};

extern const struct option_table load_option_table;

/* Exit codes. */
enum load_exit {
	LOAD_EXIT_OK = 0,    /* every session came up, none failed, no echo lost */
	LOAD_EXIT_ERROR = 1, /* could not run (sockets, memory) */
	LOAD_EXIT_USAGE = 2,
	LOAD_EXIT_FAILURES = 3, /* ran; some sessions failed or echoes were lost */
};

int load_main(int argc, char **argv);

#endif
