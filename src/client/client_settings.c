/* SPDX-License-Identifier: BSD-2-Clause */
#include "client/client_settings.h"

#include <stdio.h>

#include "config/ipv6.h"
#include <stdlib.h>
#include <string.h>

#include "base/crypto.h"
#include "base/error.h"
#include "base/log.h"
#include "client/client_profile.h"
#include "config/ipv4.h"
#include "config/ppp_policy.h"
#include "sys/log_target.h"
#include "sys/resolve.h"
#include "sys/script.h"
#include "sys/sys_file.h"
#include "sys/tls_creds_load.h"

#define CLIENT_TAG "client"

int client_parse_prefix(const char *text, uint32_t *addr, uint8_t *len)
{
	const char *slash = strchr(text, '/');
	size_t alen = slash ? (size_t)(slash - text) : strlen(text);
	if (ipv4_parse_n(text, alen, addr) < 0)
		return ERR_INVALID;
	if (!slash) {
		*len = 32;
		return 0;
	}
	char *end;
	long n = strtol(slash + 1, &end, 10);
	if (*end || end == slash + 1 || n < 0 || n > 32)
		return ERR_INVALID;
	*len = (uint8_t)n;
	if (n < 32)
		*addr &= n ? ~((1u << (32 - n)) - 1) : 0;
	return 0;
}

static int client_read_password(const struct client_config *cfg, struct client_settings *out)
{
	if (!cfg->password_file && (cfg->password || cfg->password_nt_hash))
		return client_profile_secret(cfg, out->tunnel.auth, out->password, sizeof(out->password), out->nt_hash,
					     &out->has_nt_hash);
	if (!cfg->password_file) {
		if (sys_read_password("Password: ", out->password, sizeof(out->password)) < 0) {
			fprintf(stderr, "openpptp connect: no password (use --password-file, stdin or a terminal)\n");
			return ERR_INVALID;
		}
		return 0;
	}
	char *text;
	size_t len;
	int rc = sys_read_file(cfg->password_file, 4096, &text, &len);
	if (rc < 0) {
		fprintf(stderr, "openpptp connect: cannot read %s: %s\n", cfg->password_file, error_name(rc));
		return ERR_INVALID;
	}
	mode_t mode;
	if (sys_file_is_shared(cfg->password_file, &mode))
		fprintf(stderr,
			"openpptp connect: warning: %s can be read or written by others than its owner (mode %04o): "
			"chmod 600 it\n",
			cfg->password_file, (unsigned)mode);
	size_t n = strcspn(text, "\r\n");
	if (n == 0)
		fprintf(stderr, "openpptp connect: warning: %s holds an empty password\n", cfg->password_file);
	if (n >= sizeof(out->password))
		n = sizeof(out->password) - 1;
	memcpy(out->password, text, n);
	crypto_wipe(text, len);
	free(text);
	return 0;
}

/* HOST -> every IPv4 address, before anything else runs (no privilege
 * has been given up yet, no route pinned). */
static int client_resolve_server(const char *host, struct client_settings *out)
{
	const char *why = NULL;
	int rc = sys_resolve_ipv4(host, out->servers, CLIENT_MAX_SERVERS, &out->server_count, &why);
	if (rc == ERR_INVALID) {
		fprintf(stderr, "openpptp connect: '%s' is neither an IPv4 address nor a host name\n", host);
		return rc;
	}
	if (rc < 0) {
		fprintf(stderr, "openpptp connect: cannot resolve %s: %s\n", host, why ? why : error_name(rc));
		return rc;
	}
	snprintf(out->server_name, sizeof(out->server_name), "%s", host);
	out->server = out->servers[0];
	return 0;
}

/* Say which address of a name is used; an address given as such needs no
 * line of its own (the connect line names it). */
static void client_log_server(const struct client_settings *s)
{
	char first[IPV4_STR_MAX], others[CLIENT_MAX_SERVERS * (IPV4_STR_MAX + 2)] = "";
	ipv4_format(s->server, first);
	if (strcmp(s->server_name, first) == 0)
		return;
	size_t used = 0;
	for (size_t i = 1; i < s->server_count && used < sizeof(others); i++) {
		char a[IPV4_STR_MAX];
		used += (size_t)snprintf(others + used, sizeof(others) - used, "%s%s", i > 1 ? ", " : "",
					 ipv4_format(s->servers[i], a));
	}
	if (s->server_count > 1)
		log_msg(LOG_LEVEL_INFO, CLIENT_TAG, "%s has %zu IPv4 addresses: %s, then %s (tried in this order)",
			s->server_name, s->server_count, first, others);
	else
		log_msg(LOG_LEVEL_INFO, CLIENT_TAG, "%s is %s", s->server_name, first);
}

/* Everything after the options parsed: the server, the policy, --route, the password. */
static int client_settings_check(struct client_config *cfg, const char *server, struct client_settings *out)
{
	if (client_resolve_server(server, out) < 0)
		return ERR_INVALID;
	if (!cfg->user || !cfg->user[0]) {
		fprintf(stderr, "openpptp connect: --user is required\n");
		return ERR_INVALID;
	}
	if (daemon_tunnel_settings_init(&out->tunnel, PPTP_ROLE_PNS, client_option_table.command, cfg->auth,
					cfg->mppe, cfg->name, cfg->pptp_echo_interval, cfg->lcp_echo_interval,
					cfg->lcp_echo_failures) < 0 ||
	    daemon_mss_clamp_parse(&out->tunnel, client_option_table.command, cfg->mss_clamp) < 0)
		return ERR_INVALID;
	if (cfg->mru && cfg->mru < 576) {
		fprintf(stderr, "openpptp connect: --mru %d: below 576 (RFC 1122 §3.3.3)\n", cfg->mru);
		return ERR_INVALID;
	}
	out->tunnel.mru = (uint16_t)cfg->mru;
	for (size_t i = 0; i < cfg->route.count; i++) {
		uint32_t a;
		uint8_t l;
		if (client_parse_prefix(cfg->route.items[i], &a, &l) < 0) {
			fprintf(stderr, "openpptp connect: --route %s: not an IPv4 prefix\n", cfg->route.items[i]);
			return ERR_INVALID;
		}
	}
	for (size_t i = 0; i < cfg->route6.count; i++) {
		struct ipv6_prefix p;
		if (ipv6_prefix_parse(cfg->route6.items[i], &p) < 0) {
			fprintf(stderr, "openpptp connect: --route6 %s: not an IPv6 prefix\n", cfg->route6.items[i]);
			return ERR_INVALID;
		}
	}
	if (cfg->route6.count && !cfg->ipv6) {
		fprintf(stderr, "openpptp connect: --route6 needs --ipv6\n");
		return ERR_INVALID;
	}
	const struct tls_creds_files tf = { .cert = cfg->eap_tls_cert, .key = cfg->eap_tls_key, .ca = cfg->eap_tls_ca, .crl = cfg->eap_tls_crl, .server_name = cfg->eap_tls_server_name, .max_version = (enum tls_max_version)cfg->eap_tls_max_version, .client = true };
	if (daemon_eap_tls_load(&out->tunnel, client_option_table.command, &tf) < 0)
		return ERR_INVALID;
	/* A certificate is the credential: no password to ask for. */
	if (out->tunnel.eap_tls && !cfg->password_file && !cfg->password && !cfg->password_nt_hash)
		return 0;
	return client_read_password(cfg, out);
}

int client_settings_load(int argc, char **argv, struct client_config *cfg, struct client_settings *out)
{
	struct options o;
	memset(out, 0, sizeof(*out));
	const char *positional[2];
	size_t npositional = 0;
	int rc = daemon_options_load(&o, &client_option_table, cfg, &cfg->config, argc, argv, positional, 2,
				     &npositional);
	if (rc != 0)
		return rc;
	if (client_profile_apply(&o, cfg) < 0) {
		client_settings_destroy(cfg, out);
		return ERR_INVALID;
	}
	/* The strings in cfg live until client_settings_destroy(). */
	const char *host = npositional == 1 ? positional[0] : cfg->server;
	if (npositional > 1 || !host || !host[0]) {
		fprintf(stderr, "openpptp connect: give one server: HOST, or server = in the --profile or --config file (try --help)\n");
		rc = ERR_INVALID;
	} else {
		rc = client_settings_check(cfg, host, out);
	}
	if (rc < 0) {
		client_settings_destroy(cfg, out);
		return rc;
	}
	log_set_level((enum log_level)cfg->log_level);
	(void)log_target_setup((enum log_target)cfg->log_target, NULL);
	client_log_server(out);
	ppp_policy_warn_weak(CLIENT_TAG, out->tunnel.auth, &out->tunnel.mppe);
	return 0;
}

void client_settings_destroy(struct client_config *cfg, struct client_settings *settings)
{
	crypto_wipe(settings->password, sizeof(settings->password));
	crypto_wipe(settings->nt_hash, sizeof(settings->nt_hash));
	daemon_eap_tls_free(&settings->tunnel);
	struct options o;
	/* options_destroy releases every string and list the table owns. */
	o.table = &client_option_table;
	o.cfg = cfg;
	options_destroy(&o);
}
