#include "client/client_system.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/crypto.h"
#include "base/error.h"
#include "base/log.h"
#include "config/ipv4.h"
#include "config/ppp_policy.h"
#include "sys/script.h"
#include "sys/sys_file.h"

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

int client_settings_load(int argc, char **argv, struct client_config *cfg, struct client_settings *out)
{
	struct options o;
	memset(out, 0, sizeof(*out));
	if (options_init(&o, &client_option_table, cfg) < 0) {
		fprintf(stderr, "openpptp connect: %s\n", options_error(&o));
		return ERR_INVALID;
	}
	const char *positional[2];
	size_t npositional = 0;
	int rc = options_parse_args(&o, argc - 1, argv + 1, positional, 2, &npositional);
	if (rc == OPTIONS_HELP) {
		char help[8192];
		options_help(&client_option_table, help, sizeof(help));
		fputs(help, stdout);
		options_free(&o);
		return 1;
	}
	if (rc == 0 && cfg->config) {
		char *text;
		size_t len;
		rc = sys_read_file(cfg->config, 1 << 20, &text, &len);
		if (rc < 0) {
			fprintf(stderr, "openpptp connect: cannot read %s: %s\n", cfg->config, error_name(rc));
			options_free(&o);
			return ERR_INVALID;
		}
		rc = options_parse_ini(&o, text, len, cfg->config);
		free(text);
	}
	if (rc < 0) {
		fprintf(stderr, "openpptp connect: %s\n", options_error(&o));
		options_free(&o);
		return ERR_INVALID;
	}
	/* The strings in cfg live until client_settings_free(). */
	if (npositional != 1) {
		fprintf(stderr, "openpptp connect: give exactly one server address (try --help)\n");
		return ERR_INVALID;
	}
	if (ipv4_parse(positional[0], &out->server) < 0) {
		fprintf(stderr, "openpptp connect: '%s' is not an IPv4 address\n", positional[0]);
		return ERR_INVALID;
	}
	if (!cfg->user || !cfg->user[0]) {
		fprintf(stderr, "openpptp connect: --user is required\n");
		return ERR_INVALID;
	}
	char err[160];
	if (ppp_policy_parse_auth(cfg->auth, &out->auth, err, sizeof(err)) < 0 ||
	    ppp_policy_parse_mppe(cfg->mppe, &out->mppe, err, sizeof(err)) < 0) {
		fprintf(stderr, "openpptp connect: %s\n", err);
		return ERR_INVALID;
	}
	for (size_t i = 0; i < cfg->route.count; i++) {
		uint32_t a;
		uint8_t l;
		if (client_parse_prefix(cfg->route.items[i], &a, &l) < 0) {
			fprintf(stderr, "openpptp connect: --route %s: not an IPv4 prefix\n", cfg->route.items[i]);
			return ERR_INVALID;
		}
	}
	if (cfg->password_file) {
		char *text;
		size_t len;
		rc = sys_read_file(cfg->password_file, 4096, &text, &len);
		if (rc < 0) {
			fprintf(stderr, "openpptp connect: cannot read %s: %s\n", cfg->password_file, error_name(rc));
			return ERR_INVALID;
		}
		size_t n = strcspn(text, "\r\n");
		if (n >= sizeof(out->password))
			n = sizeof(out->password) - 1;
		memcpy(out->password, text, n);
		crypto_wipe(text, len);
		free(text);
	} else if (sys_read_password("Password: ", out->password, sizeof(out->password)) < 0) {
		fprintf(stderr, "openpptp connect: no password (use --password-file, stdin or a terminal)\n");
		return ERR_INVALID;
	}
	log_set_level((enum log_level)cfg->log_level);
	ppp_policy_warn_weak(CLIENT_TAG, out->auth, &out->mppe);
	return 0;
}

void client_settings_free(struct client_config *cfg, struct client_settings *settings)
{
	crypto_wipe(settings->password, sizeof(settings->password));
	struct options o;
	/* options_free releases every string and list the table owns. */
	o.table = &client_option_table;
	o.cfg = cfg;
	options_free(&o);
}

void client_system_init(struct client_system *sys)
{
	memset(sys, 0, sizeof(*sys));
	sys->nl_open = netlink_open(&sys->nl) == 0;
	if (!sys->nl_open)
		log_msg(LOG_LEVEL_WARN, CLIENT_TAG, "netlink unavailable: routes will not be managed");
}

void client_system_pin_server(struct client_system *sys, uint32_t server)
{
	if (!sys->nl_open)
		return;
	int rc = netlink_route_pin_host(&sys->nl, server, &sys->pinned);
	sys->pinned_added = rc == 0;
	if (rc == ERR_NOT_FOUND)
		log_msg(LOG_LEVEL_WARN, CLIENT_TAG, "no route to the server yet");
}

void client_system_unpin_server(struct client_system *sys)
{
	if (sys->nl_open && sys->pinned_added)
		(void)netlink_route_del(&sys->nl, &sys->pinned);
	sys->pinned_added = false;
	if (sys->nl_open) {
		netlink_close(&sys->nl);
		sys->nl_open = false;
	}
}

static void client_add_route(struct client_system *sys, int ifindex, uint32_t dst, uint8_t len)
{
	if (!sys->nl_open || sys->route_count == CLIENT_MAX_ROUTES)
		return;
	struct netlink_route r = { .dst = dst, .dst_len = len, .ifindex = ifindex };
	char text[IPV4_STR_MAX];
	int rc = netlink_route_replace(&sys->nl, &r);
	if (rc < 0) {
		log_msg(LOG_LEVEL_WARN, CLIENT_TAG, "route %s/%u: %s", ipv4_format(dst, text), len, error_name(rc));
		return;
	}
	sys->routes[sys->route_count++] = r;
}

/* DNS through resolvconf when it is there and the system file is in use;
 * otherwise rewrite the file and keep its old contents to restore. */
static void client_dns_apply(struct client_system *sys, const struct client_config *cfg)
{
	char d1[IPV4_STR_MAX], d2[IPV4_STR_MAX], text[256];
	ipv4_format(sys->dns1, d1);
	ipv4_format(sys->dns2, d2);
	int n = snprintf(text, sizeof(text), "# written by openpptp for %s\n", sys->ifname);
	if (sys->dns1)
		n += snprintf(text + n, sizeof(text) - (size_t)n, "nameserver %s\n", d1);
	if (sys->dns2)
		n += snprintf(text + n, sizeof(text) - (size_t)n, "nameserver %s\n", d2);
	if (!sys->dns1 && !sys->dns2) {
		log_msg(LOG_LEVEL_WARN, CLIENT_TAG, "--dns: the server pushed no DNS server");
		return;
	}
	struct stat st;
	if (strcmp(cfg->resolv_conf, "/etc/resolv.conf") == 0 && stat("/sbin/resolvconf", &st) == 0) {
		char path[64];
		snprintf(path, sizeof(path), "/tmp/openpptp-dns-%s", sys->ifname);
		if (sys_write_file_atomic(path, text, (size_t)n, 0644) == 0) {
			char cmd[256];
			snprintf(cmd, sizeof(cmd), "/sbin/resolvconf -a %s < %s", sys->ifname, path);
			if (system(cmd) == 0) {
				sys->dns_applied = sys->dns_resolvconf = true;
				return;
			}
		}
	}
	char *old = NULL;
	size_t old_len = 0;
	if (sys_read_file(cfg->resolv_conf, 1 << 20, &old, &old_len) < 0) {
		old = NULL;
		old_len = 0;
	}
	if (sys_write_file_atomic(cfg->resolv_conf, text, (size_t)n, 0644) < 0) {
		log_msg(LOG_LEVEL_WARN, CLIENT_TAG, "--dns: cannot write %s", cfg->resolv_conf);
		free(old);
		return;
	}
	sys->resolv_backup = old;
	sys->resolv_backup_len = old_len;
	sys->dns_applied = true;
	log_msg(LOG_LEVEL_INFO, CLIENT_TAG, "DNS %s %s written to %s (restored on exit)", d1, d2, cfg->resolv_conf);
}

static void client_dns_restore(struct client_system *sys, const struct client_config *cfg)
{
	if (!sys->dns_applied)
		return;
	if (sys->dns_resolvconf) {
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "/sbin/resolvconf -d %s", sys->ifname);
		if (system(cmd) != 0)
			log_msg(LOG_LEVEL_WARN, CLIENT_TAG, "resolvconf -d %s failed", sys->ifname);
	} else {
		(void)sys_write_file_atomic(cfg->resolv_conf, sys->resolv_backup ? sys->resolv_backup : "",
					    sys->resolv_backup_len, 0644);
		free(sys->resolv_backup);
		sys->resolv_backup = NULL;
	}
	sys->dns_applied = false;
}

static void client_run_hook(const struct client_system *sys, const char *script, const char *which)
{
	if (!script || !script[0])
		return;
	char local[IPV4_STR_MAX], peer[IPV4_STR_MAX], d1[IPV4_STR_MAX], d2[IPV4_STR_MAX], server[IPV4_STR_MAX];
	char env_if[48], env_local[40], env_peer[40], env_d1[40], env_d2[40], env_name[40];
	snprintf(env_if, sizeof(env_if), "IFNAME=%s", sys->ifname);
	snprintf(env_local, sizeof(env_local), "IPLOCAL=%s", ipv4_format(sys->local, local));
	snprintf(env_peer, sizeof(env_peer), "IPREMOTE=%s", ipv4_format(sys->peer, peer));
	snprintf(env_d1, sizeof(env_d1), "DNS1=%s", sys->dns1 ? ipv4_format(sys->dns1, d1) : "");
	snprintf(env_d2, sizeof(env_d2), "DNS2=%s", sys->dns2 ? ipv4_format(sys->dns2, d2) : "");
	snprintf(env_name, sizeof(env_name), "PEERNAME=%s", ipv4_format(sys->server, server));
	char *const env[] = { env_if, env_local, env_peer, env_d1, env_d2, env_name,
			      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", NULL };
	int rc = sys_run_script(script, env, 30);
	if (rc != 0)
		log_msg(LOG_LEVEL_WARN, CLIENT_TAG, "--%s %s exited with %d", which, script, rc);
}

void client_system_up(struct client_system *sys, const struct client_config *cfg, const char *ifname, int ifindex,
		      uint32_t local, uint32_t peer, uint32_t dns1, uint32_t dns2, uint32_t server)
{
	snprintf(sys->ifname, sizeof(sys->ifname), "%s", ifname);
	sys->local = local;
	sys->peer = peer;
	sys->dns1 = dns1;
	sys->dns2 = dns2;
	sys->server = server;
	if (cfg->default_route) {
		/* Two halves beat the default route without replacing it, so
		 * nothing needs restoring if we die (the TUN takes them along). */
		client_add_route(sys, ifindex, 0x00000000u, 1);
		client_add_route(sys, ifindex, 0x80000000u, 1);
	}
	for (size_t i = 0; i < cfg->route.count; i++) {
		uint32_t a;
		uint8_t l;
		if (client_parse_prefix(cfg->route.items[i], &a, &l) == 0)
			client_add_route(sys, ifindex, a, l);
	}
	if (cfg->dns)
		client_dns_apply(sys, cfg);
	client_run_hook(sys, cfg->up, "up");
}

void client_system_down(struct client_system *sys, const struct client_config *cfg)
{
	client_run_hook(sys, cfg->down, "down");
	client_dns_restore(sys, cfg);
	for (size_t i = sys->route_count; i-- > 0;)
		(void)netlink_route_del(&sys->nl, &sys->routes[i]);
	sys->route_count = 0;
}
