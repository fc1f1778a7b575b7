/* SPDX-License-Identifier: BSD-2-Clause */
#include <stddef.h>

#include "load/load.h"

static const struct option_def load_option_defs[] = {
	OPTION("config", OPTION_STRING, struct load_config, config, "read settings from an INI file (section [load])", .metavar = "FILE"),
	OPTION("server", OPTION_STRING, struct load_config, server, "the server's IPv4 address, the only address loaded (the SERVER argument wins)", .metavar = "ADDR"),
	OPTION("clients", OPTION_INT, struct load_config, clients, "sessions to bring up, one control connection each", .min = 1, .max = 60000, .default_value = "10"),
	OPTION("rate", OPTION_INT, struct load_config, rate, "sessions started per second during the ramp", .min = 1, .max = 100000, .default_value = "100"),
	OPTION("users", OPTION_STRING, struct load_config, users, "a file of 'user password' lines, used in turn by the sessions", .metavar = "FILE"),
	OPTION("user", OPTION_STRING, struct load_config, user, "one user name for every session (with --password-file)", .metavar = "NAME"),
	OPTION("password-file", OPTION_STRING, struct load_config, password_file, "the password of --user (first line of FILE)", .metavar = "FILE"),
	OPTION("auth", OPTION_STRING, struct load_config, auth, "authentication methods: mschapv2, mschapv1, eap-md5, chap-md5, pap", .metavar = "LIST", .default_value = "mschapv2"),
	OPTION("mppe", OPTION_STRING, struct load_config, mppe, "encryption: require-128, require, require-56, require-40, allow, none [,stateful|,stateful-only][,mppc]", .metavar = "MODE", .default_value = "require-128"),
	OPTION("traffic", OPTION_STRING, struct load_config, traffic, "per session, ICMP echoes per second to the server's tunnel address and their IP size (default 64 bytes)", .metavar = "PPS[,SIZE]"),
	OPTION("duration", OPTION_INT, struct load_config, duration, "seconds from the start until every session is closed (ramp included)", .min = 1, .max = 86400, .default_value = "30"),
	OPTION("setup-timeout", OPTION_INT, struct load_config, setup_timeout, "seconds a session may take to come up before it counts as failed", .min = 1, .max = 600, .default_value = "30"),
	OPTION("reconnect", OPTION_INT, struct load_config, reconnect, "redial a session that drops or fails, up to N times each, after a random wait of up to 1, 2, 4, 8, then 16 s; not after the hold", .min = 0, .max = 1000, .default_value = "0", .metavar = "N"),
	OPTION("sources", OPTION_STRING, struct load_config, sources, "spread sessions over every address of PREFIX (inside 198.18.0.0/15, configured locally)", .metavar = "PREFIX"),
	OPTION("json", OPTION_BOOL, struct load_config, json, "print the final report as JSON on stdout"),
	OPTION("pptp-echo-interval", OPTION_INT, struct load_config, pptp_echo_interval, "PPTP keepalive interval and timeout, seconds", .min = 1, .max = 3600, .default_value = "60"),
	OPTION("lcp-echo-interval", OPTION_INT, struct load_config, lcp_echo_interval, "LCP echo interval, seconds (0: off)", .min = 0, .max = 3600, .default_value = "10"),
	OPTION("lcp-echo-failures", OPTION_INT, struct load_config, lcp_echo_failures, "unanswered LCP echoes before a link is declared dead", .min = 1, .max = 100, .default_value = "3"),
	OPTION("name", OPTION_STRING, struct load_config, name, "our host name in PPTP and CHAP", .metavar = "NAME", .default_value = "openpptp-load"),
	OPTION("log-level", OPTION_ENUM, struct load_config, log_level, "how much to log besides the progress line", .default_value = "warn",
	       .choices = (const char *const[]){ "error", "warn", "info", "debug", NULL }),
};

const struct option_table load_option_table = {
	.command = "load",
	.usage = "SERVER --clients N --rate R (--users FILE | --user U --password-file F) [OPTIONS]",
	.summary = "load a PPTP server: N full client sessions from one process, at R setups per second,\n"
		   "with optional ICMP echo traffic checked in-process. Needs CAP_NET_RAW (raw GRE socket).\n"
		   "A progress line goes to stderr each second; the report to stdout at the end.\n"
		   "Exit codes: 0 all sessions up and no echo lost, 1 local error, 2 usage, 3 failures",
	.defs = load_option_defs,
	.count = sizeof(load_option_defs) / sizeof(load_option_defs[0]),
};
