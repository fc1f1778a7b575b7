/* SPDX-License-Identifier: BSD-2-Clause */
/* The helper's requests that are one netlink call or one file operation. */
#include "privsep/helper_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/crypto.h"
#include "base/error.h"
#include "base/log.h"
#include "config/secrets.h"
#include "sys/sys_file.h"
#include "sys/tun.h"

void helper_route(struct helper *h, const struct privsep_request *r, struct privsep_answer *a)
{
	if (!h->nl_open) {
		a->status = ERR_UNSUPPORTED;
		return;
	}
	if (r->family == PRIVSEP_FAMILY_IPV6) {
		a->status = netlink_route6(&h->nl, r->op == PRIVSEP_OP_ROUTE_ADD, r->addr6, r->prefix_len, (int)r->ifindex);
		return;
	}
	struct netlink_route route = { .dst = r->addr4, .dst_len = r->prefix_len, .ifindex = (int)r->ifindex, .mtu = r->mtu };
	a->status = r->op == PRIVSEP_OP_ROUTE_ADD ? netlink_route_replace(&h->nl, &route)
						  : netlink_route_del(&h->nl, &route);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* The static addresses of the secrets file: a peer route may be for one of
 * them (or the pool). Kept from the last file that parsed. */
int helper_statics_load(struct helper *h, const char *text, size_t len)
{
	struct secrets s;
	int rc = secrets_parse(&s, text, len, h->cfg->secrets_path);
	if (rc < 0)
		return rc;
	uint32_t *list = calloc(s.count ? s.count : 1, sizeof(*list));
	if (!list) {
		secrets_destroy(&s);
		return ERR_NOMEM;
	}
	size_t n = 0;
	for (size_t i = 0; i < s.count; i++) {
		uint32_t ip = secret_entry_static_ip(&s.entries[i]);
		if (ip)
			list[n++] = ip;
	}
	secrets_destroy(&s);
	qsort(list, n, sizeof(*list), cmp_u32);
	free(h->statics);
	h->statics = list;
	h->policy.statics = list;
	h->policy.static_count = n;
	return 0;
}

/* The file into a sealed memfd: the main process gets this content and
 * nothing else (not the file, not its path, not a later version). */
void helper_secrets_read(struct helper *h, struct privsep_answer *a)
{
	char *text;
	size_t len;
	a->status = sys_read_file(h->cfg->secrets_path, PRIVSEP_SECRETS_LIMIT, &text, &len);
	if (a->status < 0)
		return;
	(void)helper_statics_load(h, text, len);
	int fd = memfd_create("openpptp-secrets", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	size_t done = 0;
	while (fd >= 0 && done < len) {
		ssize_t n = write(fd, text + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	crypto_wipe(text, len);
	free(text);
	if (fd < 0 || done != len ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0 ||
	    lseek(fd, 0, SEEK_SET) != 0) {
		log_msg(LOG_LEVEL_ERROR, HELPER_TAG, "secrets into a memfd: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		a->status = ERR_IO;
		return;
	}
	a->fd = fd;
	a->length = (uint32_t)len;
}

void helper_control_unlink(struct helper *h, struct privsep_answer *a)
{
	h->control_unlinked = true;
	if (unlink(h->cfg->control_socket) < 0 && errno != ENOENT) {
		log_msg(LOG_LEVEL_WARN, HELPER_TAG, "%s: %s", h->cfg->control_socket, strerror(errno));
		a->status = ERR_IO;
	}
}

/* The client's TUN: opened, addressed and up here, then passed over. The
 * previous one must be gone (the main process closed it), so a misbehaving
 * main process cannot pile up interfaces. */
void helper_tun_open(struct helper *h, const struct privsep_request *r, struct privsep_answer *a)
{
	if (h->policy.tun_ifindex > 0 && (int)if_nametoindex(h->ifname) == h->policy.tun_ifindex) {
		log_msg(LOG_LEVEL_WARN, HELPER_TAG, "refused tun-open: %s is still open", h->ifname);
		a->status = ERR_EXISTS;
		return;
	}
	h->policy.tun_ifindex = 0;
	struct tun tun;
	int rc = tun_open(&tun, h->cfg->ifname, h->cfg->tun_offload);
	if (rc == 0 && !privsep_ifname_ok(tun.name))
		rc = ERR_INVALID;
	if (rc == 0)
		rc = tun_configure(&tun, r->mtu, r->local, r->peer, 32);
	if (rc < 0) {
		if (tun.fd >= 0)
			tun_close(&tun);
		a->status = rc;
		return;
	}
	h->policy.tun_ifindex = tun.ifindex;
	memset(&h->link, 0, sizeof(h->link));
	h->link.local = r->local;
	h->link.peer = r->peer;
	h->dns6_count = 0;
	h->down_pending = true;
	snprintf(h->ifname, sizeof(h->ifname), "%s", tun.name);
	a->fd = tun.fd;
	a->ifindex = (uint32_t)tun.ifindex;
	a->tun_vnet_hdr = tun.vnet_hdr;
	snprintf(a->ifname, sizeof(a->ifname), "%s", tun.name);
}

static bool route_add(struct helper *h, uint32_t dst, uint8_t len)
{
	struct netlink_route r = { .dst = dst, .dst_len = len, .ifindex = h->policy.tun_ifindex };
	int rc = h->nl_open ? netlink_route_replace(&h->nl, &r) : ERR_UNSUPPORTED;
	if (rc < 0) {
		char text[IPV4_STR_MAX];
		log_msg(LOG_LEVEL_WARN, HELPER_TAG, "route %s/%u: %s", ipv4_format(dst, text), len, error_name(rc));
	}
	return rc == 0;
}

/* --default-route and --route, all fixed at start, onto the TUN opened
 * last. They go with the interface when it closes. */
void helper_routes_up(struct helper *h, struct privsep_answer *a)
{
	if (h->cfg->default_route) {
		/* Two halves beat the default route without replacing it, so
		 * nothing needs restoring if we die. */
		for (uint32_t half = 0; half < 2; half++) {
			if (route_add(h, half << 31, 1))
				a->routes_added++;
			else
				a->routes_failed++;
		}
	}
	for (size_t i = 0; i < h->cfg->route_count; i++) {
		if (route_add(h, h->cfg->routes[i].dst, h->cfg->routes[i].len))
			a->routes_added++;
		else
			a->routes_failed++;
	}
}

void helper_addr6_add(struct helper *h, const struct privsep_request *r, struct privsep_answer *a)
{
	a->status = h->nl_open ? netlink_addr6_add(&h->nl, h->policy.tun_ifindex, r->addr6, r->prefix_len)
			       : ERR_UNSUPPORTED;
}

/* --route6 and, with --default-route, ::/1 and 8000::/1 (the two halves,
 * as for IPv4: nothing to restore if we die). */
void helper_routes6_up(struct helper *h, struct privsep_answer *a)
{
	static const uint8_t halves[2][16] = { { 0 }, { 0x80 } };
	for (size_t i = 0; i < (h->cfg->default_route ? 2u : 0u) + h->cfg->route6_count; i++) {
		bool half = h->cfg->default_route && i < 2;
		size_t j = h->cfg->default_route ? i - 2 : i;
		const uint8_t *dst = half ? halves[i] : h->cfg->routes6[j].addr;
		uint8_t len = half ? 1 : h->cfg->routes6[j].len;
		int rc = h->nl_open ? netlink_route6(&h->nl, true, dst, len, h->policy.tun_ifindex) : ERR_UNSUPPORTED;
		if (rc == 0) {
			a->routes_added++;
		} else {
			a->routes_failed++;
			char text[IPV6_STR_MAX];
			log_msg(LOG_LEVEL_WARN, HELPER_TAG, "route %s/%u: %s", ipv6_format(dst, text), len, error_name(rc));
		}
	}
}

void helper_server_pin(struct helper *h, const struct privsep_request *r, struct privsep_answer *a)
{
	if (h->pinned_added && h->server == r->peer)
		return;
	if (!h->nl_open) {
		a->status = ERR_UNSUPPORTED;
		return;
	}
	if (h->pinned_added) /* another address of the name: one pin at a time */
		helper_server_unpin(h, a);
	h->server = r->peer; /* the address this attempt connects to (policy: one of the name's) */
	int rc = netlink_route_pin_host(&h->nl, h->server, &h->pinned);
	h->pinned_added = rc == 0;
	a->status = rc == ERR_EXISTS ? 0 : rc;
}

void helper_server_unpin(struct helper *h, struct privsep_answer *a)
{
	if (h->pinned_added && h->nl_open)
		a->status = netlink_route_del(&h->nl, &h->pinned);
	h->pinned_added = false;
}
