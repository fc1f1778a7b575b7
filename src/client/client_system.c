#include "client/client_system.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/error.h"
#include "base/log.h"
#include "client/client_settings.h"
#include "config/ipv4.h"
#include "daemon/daemon_budget.h"
#include "sys/sys_file.h"

#define CLIENT_TAG "client"
#define RESOLVCONF "/sbin/resolvconf"
#define JOB_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

void client_system_init(struct client_system *sys, struct loop *loop, const struct client_config *cfg)
{
	memset(sys, 0, sizeof(*sys));
	sys->cfg = cfg;
	daemon_jobs_init(&sys->jobs, loop);
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

/* ---- DNS ---- */

static int client_dns_text(const struct client_system *sys, char *text, size_t cap)
{
	char d1[IPV4_STR_MAX], d2[IPV4_STR_MAX];
	int n = snprintf(text, cap, "# written by openpptp for %s\n", sys->ifname);
	if (sys->dns1)
		n += snprintf(text + n, cap - (size_t)n, "nameserver %s\n", ipv4_format(sys->dns1, d1));
	if (sys->dns2)
		n += snprintf(text + n, cap - (size_t)n, "nameserver %s\n", ipv4_format(sys->dns2, d2));
	return n;
}

/* Rewrite the resolv.conf file, keeping its old contents to restore. */
static void client_dns_write_file(struct client_system *sys)
{
	const char *path = sys->cfg->resolv_conf;
	char text[256];
	int n = client_dns_text(sys, text, sizeof(text));
	char *old = NULL;
	size_t old_len = 0;
	if (sys_read_file(path, 1 << 20, &old, &old_len) < 0) {
		old = NULL;
		old_len = 0;
	}
	if (sys_write_file_atomic(path, text, (size_t)n, 0644) < 0) {
		log_msg(LOG_LEVEL_WARN, CLIENT_TAG, "--dns: cannot write %s", path);
		free(old);
		return;
	}
	sys->resolv_backup = old;
	sys->resolv_backup_len = old_len;
	sys->dns = CLIENT_DNS_FILE;
	char d1[IPV4_STR_MAX], d2[IPV4_STR_MAX];
	log_msg(LOG_LEVEL_INFO, CLIENT_TAG, "DNS %s %s written to %s (restored on exit)", ipv4_format(sys->dns1, d1),
		ipv4_format(sys->dns2, d2), path);
}

static void client_resolvconf_added(void *ctx, int status)
{
	struct client_system *sys = ctx;
	if (status == 0) {
		sys->dns = CLIENT_DNS_RESOLVCONF;
		return;
	}
	sys->dns = CLIENT_DNS_NONE;
	client_dns_write_file(sys); /* resolvconf refused: the file itself */
}

static int client_resolvconf_job(struct client_system *sys, const char *op, struct daemon_job *job)
{
	char what[64];
	snprintf(what, sizeof(what), "resolvconf %s %s", op, sys->ifname);
	daemon_job_init(job, what, RESOLVCONF, DAEMON_JOB_TIMEOUT_S);
	if (daemon_job_arg(job, op) < 0 || daemon_job_arg(job, sys->ifname) < 0 ||
	    daemon_job_env(job, "PATH", JOB_PATH) < 0)
		return ERR_LIMIT;
	return 0;
}

/* resolvconf when it is there and the system file is in use (by execve:
 * the interface name is an argument, never shell text); otherwise rewrite
 * the file. */
static void client_dns_apply(struct client_system *sys)
{
	if (!sys->dns1 && !sys->dns2) {
		log_msg(LOG_LEVEL_WARN, CLIENT_TAG, "--dns: the server pushed no DNS server");
		return;
	}
	struct stat st;
	if (strcmp(sys->cfg->resolv_conf, "/etc/resolv.conf") == 0 && stat(RESOLVCONF, &st) == 0) {
		struct daemon_job job;
		char text[256];
		int n = client_dns_text(sys, text, sizeof(text));
		if (client_resolvconf_job(sys, "-a", &job) == 0 && daemon_job_stdin(&job, text, (size_t)n) == 0) {
			job.done = client_resolvconf_added;
			job.done_ctx = sys;
			sys->dns = CLIENT_DNS_RESOLVCONF_PENDING;
			if (daemon_jobs_add(&sys->jobs, &job) == 0)
				return;
			sys->dns = CLIENT_DNS_NONE;
		}
	}
	client_dns_write_file(sys);
}

static void client_dns_restore(struct client_system *sys)
{
	struct daemon_job job;
	switch (sys->dns) {
	case CLIENT_DNS_NONE:
		break;
	case CLIENT_DNS_RESOLVCONF_PENDING: /* resolvconf -a was killed: it may have half-applied */
	case CLIENT_DNS_RESOLVCONF:
		if (client_resolvconf_job(sys, "-d", &job) == 0 && daemon_jobs_add(&sys->jobs, &job) == 0)
			daemon_jobs_drain(&sys->jobs);
		break;
	case CLIENT_DNS_FILE:
		(void)sys_write_file_atomic(sys->cfg->resolv_conf, sys->resolv_backup ? sys->resolv_backup : "",
					    sys->resolv_backup_len, 0644);
		free(sys->resolv_backup);
		sys->resolv_backup = NULL;
		break;
	}
	sys->dns = CLIENT_DNS_NONE;
}

/* ---- hooks ---- */

/* pppd's ip-up/ip-down environment. */
static void client_run_hook(struct client_system *sys, const char *script, const char *which)
{
	if (!script || !script[0])
		return;
	char what[DAEMON_JOB_STRING];
	snprintf(what, sizeof(what), "--%s %s", which, script);
	struct daemon_job job;
	daemon_job_init(&job, what, script, DAEMON_JOB_TIMEOUT_S);
	char local[IPV4_STR_MAX], peer[IPV4_STR_MAX], d1[IPV4_STR_MAX], d2[IPV4_STR_MAX], server[IPV4_STR_MAX];
	if (daemon_job_env(&job, "IFNAME", sys->ifname) < 0 ||
	    daemon_job_env(&job, "IPLOCAL", ipv4_format(sys->local, local)) < 0 ||
	    daemon_job_env(&job, "IPREMOTE", ipv4_format(sys->peer, peer)) < 0 ||
	    daemon_job_env(&job, "DNS1", sys->dns1 ? ipv4_format(sys->dns1, d1) : "") < 0 ||
	    daemon_job_env(&job, "DNS2", sys->dns2 ? ipv4_format(sys->dns2, d2) : "") < 0 ||
	    daemon_job_env(&job, "PEERNAME", ipv4_format(sys->server, server)) < 0 ||
	    daemon_job_env(&job, "PATH", JOB_PATH) < 0) {
		log_msg(LOG_LEVEL_WARN, CLIENT_TAG, "%s: environment too long: not run", what);
		return;
	}
	(void)daemon_jobs_add(&sys->jobs, &job);
}

void client_system_up(struct client_system *sys, const char *ifname, int ifindex, uint32_t local, uint32_t peer,
		      uint32_t dns1, uint32_t dns2, uint32_t server)
{
	const struct client_config *cfg = sys->cfg;
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
		client_dns_apply(sys);
	client_run_hook(sys, cfg->up, "up");
}

void client_system_down(struct client_system *sys)
{
	client_run_hook(sys, sys->cfg->down, "down");
	daemon_jobs_drain(&sys->jobs);
	client_dns_restore(sys);
	for (size_t i = sys->route_count; i-- > 0;)
		(void)netlink_route_del(&sys->nl, &sys->routes[i]);
	sys->route_count = 0;
}

void client_system_abort(struct client_system *sys)
{
	daemon_jobs_abort(&sys->jobs);
}

void client_system_destroy(struct client_system *sys)
{
	daemon_jobs_destroy(&sys->jobs);
	free(sys->resolv_backup);
	sys->resolv_backup = NULL;
}
