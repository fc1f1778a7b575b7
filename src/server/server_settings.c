/* SPDX-License-Identifier: BSD-2-Clause */
/* The server's settings (options, INI file, policy) and the secrets file,
 * loaded at start and again on SIGHUP. */
#include "server/server_internal.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/crypto.h"
#include "base/error.h"
#include "base/ipv6_scope.h"
#include "sys/sys_file.h"
#include "sys/tls_creds_load.h"

/* --dns / --wins: at most two addresses each (RFC 1877 has a primary and a secondary). */
static int server_parse_addresses(const struct option_list *list, const char *option, uint32_t out[2])
{
	for (size_t i = 0; i < list->count && i < 2; i++) {
		if (ipv4_parse(list->items[i], &out[i]) < 0) {
			fprintf(stderr, "openpptp server: --%s %s: not an IPv4 address\n", option, list->items[i]);
			return ERR_INVALID;
		}
	}
	return 0;
}

/* --metrics-listen ADDR:PORT and --metrics-allow CIDR... */
static int server_metrics_settings(struct server *s)
{
	const struct server_config *cfg = s->cfg;
	if (cfg->metrics_allow.count > METRICS_ALLOW_MAX) {
		fprintf(stderr, "openpptp server: --metrics-allow: at most %d entries\n", METRICS_ALLOW_MAX);
		return ERR_INVALID;
	}
	for (size_t i = 0; i < cfg->metrics_allow.count; i++) {
		if (metrics_allow_parse(cfg->metrics_allow.items[i], &s->metrics_allow[i]) < 0) {
			fprintf(stderr, "openpptp server: --metrics-allow %s: not an IPv4 address or CIDR network\n",
				cfg->metrics_allow.items[i]);
			return ERR_INVALID;
		}
	}
	s->metrics_allow_count = cfg->metrics_allow.count;
	if (!cfg->metrics_listen)
		return 0;
	if (metrics_listen_parse(cfg->metrics_listen, &s->metrics_address, &s->metrics_port) < 0) {
		fprintf(stderr, "openpptp server: --metrics-listen %s: expected ADDRESS:PORT (IPv4)\n", cfg->metrics_listen);
		return ERR_INVALID;
	}
	s->metrics_on = true;
	return 0;
}

/* --ipv6-pool and --dns6 (ipv6.h says how a session's /64 is chosen). */
static int server_parse_ipv6(struct server *s)
{
	struct server_config *cfg = s->cfg;
	if (!cfg->ipv6_pool || !cfg->ipv6_pool[0]) {
		if (cfg->dns6.count)
			fprintf(stderr, "openpptp server: --dns6 without --ipv6-pool is ignored\n");
		return 0;
	}
	if (ipv6_prefix_parse(cfg->ipv6_pool, &s->pool6) < 0 || s->pool6.len < IPV6_POOL_MIN_LEN ||
	    s->pool6.len > IPV6_POOL_MAX_LEN || s->pool6.addr[0] == 0xff || (s->pool6.addr[0] & 0xfe) == 0xfc ||
	    ipv6_is_link_local(s->pool6.addr)) {
		fprintf(stderr, "openpptp server: --ipv6-pool %s: want a unicast PREFIX/LEN, LEN 32 to 63, no host bits\n",
			cfg->ipv6_pool);
		return ERR_INVALID;
	}
	s->ipv6 = true;
	for (size_t i = 0; i < cfg->dns6.count && i < 2; i++) {
		if (ipv6_parse(cfg->dns6.items[i], s->dns6[i]) < 0) {
			fprintf(stderr, "openpptp server: --dns6 %s: not an IPv6 address\n", cfg->dns6.items[i]);
			return ERR_INVALID;
		}
		s->dns6_count++;
	}
	return 0;
}

static int server_check(struct server *s, const struct options *o)
{
	struct server_config *cfg = s->cfg;
	if (!options_is_set(o, "local-ip") || !options_is_set(o, "pool")) {
		fprintf(stderr, "openpptp server: --local-ip and --pool are required (try --help)\n");
		return ERR_INVALID;
	}
	if (daemon_tunnel_settings_init(&s->tunnel, PPTP_ROLE_PAC, server_option_table.command, cfg->auth, cfg->mppe,
					cfg->name, cfg->pptp_echo_interval, cfg->lcp_echo_interval,
					cfg->lcp_echo_failures) < 0 ||
	    daemon_mss_clamp_parse(&s->tunnel, server_option_table.command, cfg->mss_clamp) < 0)
		return ERR_INVALID;
	if (server_parse_addresses(&cfg->dns, "dns", s->dns) < 0 ||
	    server_parse_addresses(&cfg->wins, "wins", s->nbns) < 0 || server_parse_ipv6(s) < 0)
		return ERR_INVALID;
	if (server_metrics_settings(s) < 0)
		return ERR_INVALID;
	if (server_radius_settings(s) < 0)
		return ERR_INVALID;
	const struct tls_creds_files tf = { .cert = cfg->eap_tls_cert, .key = cfg->eap_tls_key, .ca = cfg->eap_tls_ca, .crl = cfg->eap_tls_crl, .max_version = (enum tls_max_version)cfg->eap_tls_max_version };
	if (daemon_eap_tls_load(&s->tunnel, server_option_table.command, &tf) < 0)
		return ERR_INVALID;
	if (cfg->local_ip >= cfg->pool.first && cfg->local_ip <= cfg->pool.last) {
		fprintf(stderr, "openpptp server: --local-ip must not be inside --pool\n");
		return ERR_INVALID;
	}
	return 0;
}

int server_settings(struct server *s, int argc, char **argv)
{
	struct options o;
	const char *positional[1];
	size_t npositional = 0;
	int rc = daemon_options_load(&o, &server_option_table, s->cfg, &s->cfg->config, argc, argv, positional, 1,
				     &npositional);
	if (rc != 0)
		return rc;
	if (npositional) {
		fprintf(stderr, "openpptp server: unexpected argument '%s'\n", positional[0]);
		rc = ERR_INVALID;
	} else {
		rc = server_check(s, &o);
	}
	if (rc < 0)
		options_destroy(&o);
	return rc;
}

/* At start, still root: read the file directly. */
int server_load_secrets(struct server *s)
{
	char *text;
	size_t len;
	int rc = sys_read_file(s->cfg->secrets, PRIVSEP_SECRETS_LIMIT, &text, &len);
	if (rc < 0) {
		log_msg(LOG_LEVEL_ERROR, SERVER_TAG, "cannot read secrets file %s: %s", s->cfg->secrets, error_name(rc));
		return rc;
	}
	mode_t mode;
	if (sys_file_is_shared(s->cfg->secrets, &mode))
		log_msg(LOG_LEVEL_WARN, SERVER_TAG,
			"secrets file %s can be read or written by others than its owner (mode %04o): chmod 600 it",
			s->cfg->secrets, (unsigned)mode);
	rc = server_take_secrets(s, text, len);
	crypto_wipe(text, len);
	free(text);
	return rc;
}

/* SIGHUP: the secrets file again, read by the privileged helper (the file
 * is root's, 0600, and the main process is not root); the old secrets stay
 * when it does not load. */
void server_reload(void *ctx)
{
	struct server *s = ctx;
	daemon_notify_reloading(&s->notify);
	if (server_reload_secrets(s) < 0)
		daemon_notify_ready(&s->notify);
}
