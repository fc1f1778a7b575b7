/* SPDX-License-Identifier: BSD-2-Clause */
/* The client's requests that run programs or rewrite files: --dns (through
 * resolvconf when the system uses it, else by rewriting --resolv-conf and
 * restoring it) and the --up/--down hooks. Every path and argument comes
 * from the configuration fixed at start or from the helper's own record of
 * the TUN it opened; the request brings only addresses, which go into the
 * program's environment as dotted quads (and resolv.conf, with the IPv6
 * ones of the RA's RDNSS). */
#include "privsep/helper_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/error.h"
#include "base/log.h"
#include "config/ipv4.h"
#include "config/ipv6.h"
#include "sys/sys_file.h"

#define RESOLVCONF "/sbin/resolvconf"
#define SAFE_PATH "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

static bool use_resolvconf(const struct helper *h)
{
	struct stat st;
	return strcmp(h->cfg->resolv_conf, "/etc/resolv.conf") == 0 && stat(RESOLVCONF, &st) == 0;
}

static int run_resolvconf(struct helper *h, const char *flag, const char *text, size_t len)
{
	char ifname[PRIVSEP_IFNAME_SIZE];
	snprintf(ifname, sizeof(ifname), "%s", h->ifname);
	if (!privsep_ifname_ok(ifname))
		return ERR_INVALID;
	char *const argv[] = { RESOLVCONF, (char *)flag, ifname, NULL };
	char *const env[] = { SAFE_PATH, NULL };
	char what[48];
	snprintf(what, sizeof(what), "resolvconf %s %s", flag, ifname);
	int rc = helper_spawn_wait(what, RESOLVCONF, argv, env, text, len, PRIVSEP_RESOLVCONF_TIMEOUT_S, h->abort_fd);
	if (rc != 0)
		log_msg(LOG_LEVEL_WARN, HELPER_TAG, "resolvconf %s %s: %s", flag, ifname,
			rc < 0 ? error_name(rc) : "failed");
	return rc == 0 ? 0 : ERR_IO;
}

void helper_dns_apply(struct helper *h, const struct privsep_request *r, struct privsep_answer *a)
{
	if (h->dns != HELPER_DNS_NONE)
		helper_dns_restore(h, &(struct privsep_answer){ .fd = -1 });
	char d[2][IPV4_STR_MAX], d6[IPV6_STR_MAX], text[384];
	int n = snprintf(text, sizeof(text), "# written by openpptp for %s\n", h->ifname);
	for (int i = 0; i < 2; i++)
		if (r->dns[i])
			n += snprintf(text + n, sizeof(text) - (size_t)n, "nameserver %s\n", ipv4_format(r->dns[i], d[i]));
	for (unsigned i = 0; i < h->dns6_count && i < 2; i++)
		n += snprintf(text + n, sizeof(text) - (size_t)n, "nameserver %s\n", ipv6_format(h->dns6[i], d6));
	if (use_resolvconf(h)) {
		a->status = run_resolvconf(h, "-a", text, (size_t)n);
		if (a->status == 0) {
			h->dns = HELPER_DNS_RESOLVCONF;
			h->link.dns[0] = r->dns[0];
			h->link.dns[1] = r->dns[1];
		}
		return;
	}
	char *old = NULL;
	size_t old_len = 0;
	int rc = sys_read_file(h->cfg->resolv_conf, 1 << 20, &old, &old_len);
	if (rc < 0 && rc != ERR_NOT_FOUND) {
		a->status = rc;
		return;
	}
	rc = sys_write_file_atomic(h->cfg->resolv_conf, text, (size_t)n, 0644);
	if (rc < 0) {
		free(old);
		a->status = rc;
		return;
	}
	h->link.dns[0] = r->dns[0];
	h->link.dns[1] = r->dns[1];
	h->resolv_backup = old;
	h->resolv_backup_len = old_len;
	h->dns = HELPER_DNS_FILE;
}

/* An RDNSS server (RFC 8106) of the RA: kept, and the file (or
 * resolvconf's entry) written again with the IPv4 servers it has. */
void helper_dns6_add(struct helper *h, const struct privsep_request *r, struct privsep_answer *a)
{
	for (unsigned i = 0; i < h->dns6_count; i++)
		if (memcmp(h->dns6[i], r->addr6, 16) == 0)
			return;
	if (h->dns6_count >= 2) {
		a->status = ERR_LIMIT;
		return;
	}
	memcpy(h->dns6[h->dns6_count++], r->addr6, 16);
	struct privsep_request again = { .op = PRIVSEP_OP_DNS_APPLY, .dns = { h->link.dns[0], h->link.dns[1] } };
	helper_dns_apply(h, &again, a);
}

void helper_dns_restore(struct helper *h, struct privsep_answer *a)
{
	switch (h->dns) {
	case HELPER_DNS_NONE:
		return;
	case HELPER_DNS_RESOLVCONF:
		a->status = run_resolvconf(h, "-d", NULL, 0);
		break;
	case HELPER_DNS_FILE:
		if (h->resolv_backup)
			a->status = sys_write_file_atomic(h->cfg->resolv_conf, h->resolv_backup, h->resolv_backup_len,
							  0644);
		else if (unlink(h->cfg->resolv_conf) < 0)
			a->status = ERR_IO; /* there was none before us */
		free(h->resolv_backup);
		h->resolv_backup = NULL;
		break;
	}
	h->dns = HELPER_DNS_NONE;
}

/* pppd's ip-up environment, built here: IFNAME is the TUN we opened,
 * PEERNAME the server address pinned for this attempt, PATH fixed. */
void helper_hook_run(struct helper *h, const struct privsep_request *r, struct privsep_answer *a)
{
	const char *script = r->hook == PRIVSEP_HOOK_UP ? h->cfg->up_hook : h->cfg->down_hook;
	char local[IPV4_STR_MAX], peer[IPV4_STR_MAX], d1[IPV4_STR_MAX], d2[IPV4_STR_MAX], server[IPV4_STR_MAX];
	char env_if[48], env_local[40], env_peer[40], env_d1[40], env_d2[40], env_name[40];
	snprintf(env_if, sizeof(env_if), "IFNAME=%s", h->ifname);
	snprintf(env_local, sizeof(env_local), "IPLOCAL=%s", ipv4_format(r->local, local));
	snprintf(env_peer, sizeof(env_peer), "IPREMOTE=%s", ipv4_format(r->peer, peer));
	snprintf(env_d1, sizeof(env_d1), "DNS1=%s", r->dns[0] ? ipv4_format(r->dns[0], d1) : "");
	snprintf(env_d2, sizeof(env_d2), "DNS2=%s", r->dns[1] ? ipv4_format(r->dns[1], d2) : "");
	snprintf(env_name, sizeof(env_name), "PEERNAME=%s", ipv4_format(h->server, server));
	char *const env[] = { env_if, env_local, env_peer, env_d1, env_d2, env_name, SAFE_PATH, NULL };
	char *const argv[] = { (char *)script, NULL };
	if (r->hook == PRIVSEP_HOOK_DOWN)
		h->down_pending = false;
	unsigned timeout = h->cfg->hook_timeout_s ? h->cfg->hook_timeout_s : PRIVSEP_HOOK_TIMEOUT_S;
	char what[300];
	snprintf(what, sizeof(what), "--%s %s", r->hook == PRIVSEP_HOOK_UP ? "up" : "down", script);
	int rc = helper_spawn_wait(what, script, argv, env, NULL, 0, timeout, h->abort_fd);
	if (rc < 0) {
		a->status = rc;
		return;
	}
	a->exit_code = rc;
}
