/* SPDX-License-Identifier: BSD-2-Clause */
#include <stddef.h>

#include "server/server.h"

static const struct option_def server_option_defs[] = {
	OPTION("config", OPTION_STRING, struct server_config, config, "read settings from an INI file (section [server])", .metavar = "FILE"),
	OPTION("listen", OPTION_IPV4, struct server_config, listen, "address to accept PPTP on (TCP 1723 and GRE)", .default_value = "0.0.0.0"),
	OPTION("local-ip", OPTION_IPV4, struct server_config, local_ip, "the server's tunnel address"),
	OPTION("pool", OPTION_IPV4_RANGE, struct server_config, pool, "client tunnel addresses, FIRST-LAST or CIDR"),
	OPTION("dns", OPTION_LIST, struct server_config, dns, "DNS server pushed via IPCP (repeat for a second)", .metavar = "ADDRESS"),
	OPTION("wins", OPTION_LIST, struct server_config, wins, "WINS/NBNS server pushed via IPCP (repeat for a second)", .metavar = "ADDRESS"),
	OPTION("secrets", OPTION_STRING, struct server_config, secrets, "chap-secrets file (SIGHUP reloads it)", .metavar = "FILE", .default_value = "/etc/ppp/chap-secrets"),
	OPTION("auth", OPTION_STRING, struct server_config, auth, "authentication methods: mschapv2, mschapv1, eap-md5, chap-md5, pap", .metavar = "LIST", .default_value = "mschapv2"),
	OPTION("mppe", OPTION_STRING, struct server_config, mppe, "encryption: require-128, require, require-56, require-40, allow, none [,stateful|,stateful-only][,mppc]", .metavar = "MODE", .default_value = "require-128"),
	OPTION("auth-source", OPTION_ENUM, struct server_config, auth_source, "who checks logins: the secrets file, RADIUS, or RADIUS with the secrets file when no RADIUS server answers", .default_value = "secrets",
	       .choices = (const char *const[]){ "secrets", "radius", "radius,secrets", NULL }),
	OPTION("radius-server", OPTION_LIST, struct server_config, radius_servers, "RADIUS authentication server (port 1812 unless given); repeat for failover, in order", .metavar = "ADDR[:PORT]"),
	OPTION("radius-acct-server", OPTION_LIST, struct server_config, radius_acct_servers, "RADIUS accounting server (port 1813 unless given); repeat for failover", .metavar = "ADDR[:PORT]"),
	OPTION("radius-secret-file", OPTION_STRING, struct server_config, radius_secret_file, "file holding the RADIUS shared secret (first line), read at start", .metavar = "FILE"),
	OPTION("radius-timeout", OPTION_INT, struct server_config, radius_timeout, "seconds to wait for a RADIUS answer before retransmitting", .min = 1, .max = 60, .default_value = "3"),
	OPTION("radius-retries", OPTION_INT, struct server_config, radius_retries, "retransmissions to one RADIUS server before failing over", .min = 0, .max = 10, .default_value = "2"),
	OPTION("nas-identifier", OPTION_STRING, struct server_config, nas_identifier, "NAS-Identifier in RADIUS requests (default: --name)", .metavar = "NAME"),
	OPTION("radius-acct-interim", OPTION_INT, struct server_config, radius_acct_interim, "seconds between accounting Interim-Updates (0: only when RADIUS asks with Acct-Interim-Interval)", .min = 0, .max = 86400, .default_value = "0"),
	OPTION("max-sessions", OPTION_INT, struct server_config, max_sessions, "sessions at most", .min = 1, .max = 65000, .default_value = "1000"),
	OPTION("max-negotiating", OPTION_INT, struct server_config, max_negotiating, "control connections still negotiating at most", .min = 1, .max = 65000, .default_value = "200"),
	OPTION("setup-timeout", OPTION_INT, struct server_config, setup_timeout, "seconds a connection may take to bring its link up", .min = 1, .max = 3600, .default_value = "30"),
	OPTION("connect-rate", OPTION_INT, struct server_config, connect_rate, "new control connections per minute per source (0: unlimited)", .min = 0, .max = 1000000, .default_value = "120"),
	OPTION("login-failure-rate", OPTION_INT, struct server_config, login_failure_rate, "failed logins per minute per source before refusing it (0: unlimited)", .min = 0, .max = 1000000, .default_value = "10"),
	OPTION("lcp-echo-interval", OPTION_INT, struct server_config, lcp_echo_interval, "LCP echo interval, seconds (0: off)", .min = 0, .max = 3600, .default_value = "10"),
	OPTION("lcp-echo-failures", OPTION_INT, struct server_config, lcp_echo_failures, "unanswered LCP echoes before a session is dropped", .min = 1, .max = 100, .default_value = "3"),
	OPTION("pptp-echo-interval", OPTION_INT, struct server_config, pptp_echo_interval, "PPTP keepalive interval and timeout, seconds", .min = 1, .max = 3600, .default_value = "60"),
	OPTION("ifname", OPTION_STRING, struct server_config, ifname, "the shared TUN device", .metavar = "NAME", .default_value = "pptp0"),
	OPTION("mtu", OPTION_INT, struct server_config, mtu, "TUN MTU", .min = 576, .max = 65535, .default_value = "1396"),
	OPTION("control-socket", OPTION_STRING, struct server_config, control_socket, "Unix socket for openpptp status/kick", .metavar = "PATH", .default_value = SERVER_DEFAULT_CONTROL_SOCKET),
	OPTION("name", OPTION_STRING, struct server_config, name, "server name in PPTP, CHAP and the secrets file", .metavar = "NAME", .default_value = "openpptp"),
	OPTION("user", OPTION_STRING, struct server_config, user, "the unprivileged user that handles the network (default: openpptp if it exists, else nobody)", .metavar = "USER"),
	OPTION("group", OPTION_STRING, struct server_config, group, "and its group (default: the user's)", .metavar = "GROUP"),
	OPTION("privsep", OPTION_BOOL, struct server_config, privsep, "privilege separation; --no-privsep keeps root and no seccomp in the process that parses the network (debugging only)", .default_value = "yes"),
	OPTION("log-level", OPTION_ENUM, struct server_config, log_level, "how much to log (debug decodes every packet)", .default_value = "info",
	       .choices = (const char *const[]){ "error", "warn", "info", "debug", NULL }),
	OPTION("log-target", OPTION_ENUM, struct server_config, log_target, "where log lines go: stderr (journald's native fields when stderr is the journal), journal, or syslog", .default_value = "stderr",
	       .choices = (const char *const[]){ "stderr", "journal", "syslog", NULL }),
	OPTION("foreground", OPTION_BOOL, struct server_config, foreground, "stay in the foreground, log to stderr (the only mode so far)"),
};

const struct option_table server_option_table = {
	.command = "server",
	.usage = "--local-ip ADDRESS --pool RANGE [OPTIONS]",
	.summary = "run the PPTP server. Defaults are the strongest PPTP offers: MS-CHAPv2 with MPPE-128 required.",
	.defs = server_option_defs,
	.count = sizeof(server_option_defs) / sizeof(server_option_defs[0]),
};
