/* SPDX-License-Identifier: BSD-2-Clause */
#include <stddef.h>

#include "client/client.h"

static const struct option_def client_option_defs[] = {
	OPTION("config", OPTION_STRING, struct client_config, config, "read settings from an INI file (section [connect])", .metavar = "FILE"),
	OPTION("profile", OPTION_STRING, struct client_config, profile, "read settings from the profile NAME (PROFILE-DIR/NAME.conf; openpptp profile add writes it)", .metavar = "NAME"),
	OPTION("profile-dir", OPTION_STRING, struct client_config, profile_dir, "where profiles are", .metavar = "DIR", .default_value = "/etc/openpptp/client"),
	OPTION("server", OPTION_STRING, struct client_config, server, "the PPTP server, a host name or IPv4 address (the HOST argument wins)", .metavar = "HOST"),
	OPTION("user", OPTION_STRING, struct client_config, user, "user name (DOMAIN\\user works)", .metavar = "NAME"),
	OPTION("password-file", OPTION_STRING, struct client_config, password_file, "read the password from FILE (else stdin, or a prompt on a terminal)", .metavar = "FILE"),
	OPTION("password", OPTION_STRING, struct client_config, password, "the password itself: for a profile file (mode 0600); on a command line others can read it", .metavar = "TEXT"),
	OPTION("password-nt-hash", OPTION_STRING, struct client_config, password_nt_hash, "the password's NT hash instead (MS-CHAP only): for a profile file", .metavar = "HEX"),
	OPTION("auth", OPTION_STRING, struct client_config, auth, "authentication methods: mschapv2, mschapv1, eap-tls, eap (EAP-MSCHAPv2 or EAP-MD5; also called eap-md5), chap-md5, pap", .metavar = "LIST", .default_value = "mschapv2"),
	OPTION("mppe", OPTION_STRING, struct client_config, mppe, "encryption: require-128, require, require-56, require-40, allow, none [,stateful|,stateful-only][,mppc]", .metavar = "MODE", .default_value = "require-128"),
	OPTION("eap-tls-cert", OPTION_STRING, struct client_config, eap_tls_cert, "EAP-TLS: our certificate (PEM); with --auth eap-tls no password is needed", .metavar = "FILE"),
	OPTION("eap-tls-key", OPTION_STRING, struct client_config, eap_tls_key, "EAP-TLS: its private key (PEM), read at start as root", .metavar = "FILE"),
	OPTION("eap-tls-ca", OPTION_STRING, struct client_config, eap_tls_ca, "EAP-TLS: CA certificate(s) (PEM) the server's certificate must chain to", .metavar = "FILE"),
	OPTION("eap-tls-crl", OPTION_STRING, struct client_config, eap_tls_crl, "EAP-TLS: revoked certificates (PEM CRL), optional", .metavar = "FILE"),
	OPTION("eap-tls-server-name", OPTION_STRING, struct client_config, eap_tls_server_name, "EAP-TLS: the name the server's certificate must carry (DNS name or CN)", .metavar = "NAME"),
	OPTION("eap-tls-max-version", OPTION_ENUM, struct client_config, eap_tls_max_version, "EAP-TLS: highest TLS version (1.3 per RFC 9190)", .default_value = "1.2",
	       .choices = (const char *const[]){ "1.2", "1.3", NULL }),
	OPTION("ifname", OPTION_STRING, struct client_config, ifname, "TUN interface name", .metavar = "NAME", .default_value = "pptp%d"),
	OPTION("mtu", OPTION_INT, struct client_config, mtu, "TUN MTU at most (0: what PPP negotiated)", .min = 0, .max = 65535),
	OPTION("mru", OPTION_INT, struct client_config, mru, "LCP MRU to ask the server for (0: 1400)", .min = 0, .max = 16384),
	OPTION("tun-offload", OPTION_ENUM, struct client_config, tun_offload, "take 64 KiB TCP super-packets from the TUN (IFF_VNET_HDR, TSO) and segment them here; on falls back to off when the kernel refuses", .default_value = "on",
	       .choices = (const char *const[]){ "on", "off", NULL }),
	OPTION("mss-clamp", OPTION_STRING, struct client_config, mss_clamp, "lower the MSS of TCP SYN and SYN-ACK both ways: auto (link MTU - 40), N, or off", .metavar = "auto|N|off", .default_value = "auto"),
	OPTION("default-route", OPTION_BOOL, struct client_config, default_route, "send all traffic through the tunnel"),
	OPTION("route", OPTION_LIST, struct client_config, route, "route PREFIX through the tunnel", .metavar = "PREFIX"),
	OPTION("ipv6", OPTION_BOOL, struct client_config, ipv6, "IPv6 inside the tunnel: run IPV6CP, take the address from the server's Router Advertisement; --default-route then covers IPv6 too"),
	OPTION("route6", OPTION_LIST, struct client_config, route6, "route IPv6 PREFIX through the tunnel (with --ipv6)", .metavar = "PREFIX"),
	OPTION("dns", OPTION_BOOL, struct client_config, dns, "use the DNS servers the server pushes (restored on exit)"),
	OPTION("resolv-conf", OPTION_STRING, struct client_config, resolv_conf, "resolv.conf to rewrite with --dns", .metavar = "FILE", .default_value = "/etc/resolv.conf"),
	OPTION("up", OPTION_STRING, struct client_config, up, "run SCRIPT when the tunnel is up (pppd-like environment)", .metavar = "SCRIPT"),
	OPTION("down", OPTION_STRING, struct client_config, down, "run SCRIPT when the tunnel goes down", .metavar = "SCRIPT"),
	OPTION("persist", OPTION_BOOL, struct client_config, persist, "reconnect after failures, with backoff"),
	OPTION("maxfail", OPTION_INT, struct client_config, maxfail, "with --persist: give up after N attempts in a row that never bring the link up (0: never)", .metavar = "N", .min = 0, .max = 1000000, .default_value = "10"),
	OPTION("persist-on-auth-failure", OPTION_BOOL, struct client_config, persist_on_auth_failure, "with --persist: keep trying after the server refused the password (by default that ends it)"),
	OPTION("max-backoff", OPTION_INT, struct client_config, max_backoff, "longest wait between reconnects, seconds", .min = 1, .max = 3600, .default_value = "30"),
	OPTION("connect-timeout", OPTION_INT, struct client_config, connect_timeout, "TCP connect timeout, seconds", .min = 1, .max = 600, .default_value = "10"),
	OPTION("lcp-echo-interval", OPTION_INT, struct client_config, lcp_echo_interval, "LCP echo interval, seconds (0: off)", .min = 0, .max = 3600, .default_value = "10"),
	OPTION("lcp-echo-failures", OPTION_INT, struct client_config, lcp_echo_failures, "unanswered LCP echoes before the link is declared dead", .min = 1, .max = 100, .default_value = "3"),
	OPTION("pptp-echo-interval", OPTION_INT, struct client_config, pptp_echo_interval, "PPTP keepalive interval and timeout, seconds", .min = 1, .max = 3600, .default_value = "60"),
	OPTION("log-level", OPTION_ENUM, struct client_config, log_level, "how much to log (debug decodes every packet)", .default_value = "info",
	       .choices = (const char *const[]){ "error", "warn", "info", "debug", NULL }),
	OPTION("log-target", OPTION_ENUM, struct client_config, log_target, "where log lines go: stderr (journald's native fields when stderr is the journal), journal, or syslog", .default_value = "stderr",
	       .choices = (const char *const[]){ "stderr", "journal", "syslog", NULL }),
	OPTION("foreground", OPTION_BOOL, struct client_config, foreground, "stay in the foreground, log to stderr (the only mode so far)"),
	OPTION("privsep-user", OPTION_STRING, struct client_config, privsep_user, "the unprivileged user that handles the network (default: openpptp if it exists, else nobody)", .metavar = "USER"),
	OPTION("privsep-group", OPTION_STRING, struct client_config, privsep_group, "and its group (default: the user's)", .metavar = "GROUP"),
	OPTION("privsep", OPTION_BOOL, struct client_config, privsep, "privilege separation; --no-privsep keeps root and no seccomp in the process that parses the network (debugging only)", .default_value = "yes"),
	OPTION("name", OPTION_STRING, struct client_config, name, "our host name in PPTP and CHAP", .metavar = "NAME", .default_value = "openpptp"),
};

const struct option_table client_option_table = {
	.command = "connect",
	.usage = "HOST --user USER [OPTIONS]   (or --profile NAME, or --config FILE with server = HOST)",
	.summary = "connect to a PPTP server and bring up a tunnel interface.\n"
		   "Exit codes: 0 closed on request, 1 local error, 2 usage, 3 TCP 1723 unreachable,\n"
		   "4 refused by the server, 5 no GRE came back (IP protocol 47 blocked),\n"
		   "6 authentication failed, 7 MPPE refused, 8 closed by the server, 9 PPP failure",
	.defs = client_option_defs,
	.count = sizeof(client_option_defs) / sizeof(client_option_defs[0]),
};
