/* SPDX-License-Identifier: BSD-2-Clause */
/* The client's host changes through the privileged helper (client_system.h). */
#include "client/client_system.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/log.h"
#include "client/client_settings.h"
#include "base/bytes.h"
#include "config/ipv4.h"
#include "config/ipv6.h"
#include "sys/tun.h"

#define CLIENT_TAG "client"

void client_system_init(struct client_system *sys, struct loop *loop, struct privsep_channel *ch,
			const struct client_config *cfg)
{
	memset(sys, 0, sizeof(*sys));
	sys->cfg = cfg;
	sys->loop = loop;
	sys->ch = ch;
}

static bool waiting(const struct client_system *sys)
{
	return !sys->aborted && sys->ch->state == PRIVSEP_CHANNEL_OPEN;
}

/* Teardown only: run the loop until *done (or the helper is gone, or a
 * second signal aborts). */
static void wait_for(struct client_system *sys, const bool *done)
{
	while (!*done && waiting(sys))
		if (loop_run_once(sys->loop, -1) < 0)
			break;
}

void client_system_settle(struct client_system *sys)
{
	while (sys->ch->count && waiting(sys))
		if (loop_run_once(sys->loop, -1) < 0)
			break;
}

void client_system_abort(struct client_system *sys)
{
	if (sys->aborted)
		return;
	sys->aborted = true;
	log_msg(LOG_LEVEL_INFO, CLIENT_TAG, "not waiting any more: the privileged helper undoes the rest");
	privsep_channel_close(sys->ch, (PRIVSEP_RESOLVCONF_TIMEOUT_S + 5) * 1000);
}

static void on_pin_answer(void *ctx, const struct privsep_answer *a)
{
	(void)ctx;
	if (a->status == ERR_NOT_FOUND)
		log_msg(LOG_LEVEL_WARN, CLIENT_TAG, "no route to the server yet");
	else if (a->status < 0 && a->status != ERR_CLOSED)
		log_msg(LOG_LEVEL_WARN, CLIENT_TAG, "cannot pin a route to the server: %s", error_name(a->status));
}

/* Queued before the TCP connect; the helper serves in order, so the pin is
 * in place before anything can move the default route. */
void client_system_pin_server(struct client_system *sys, uint32_t server)
{
	struct privsep_request r = { .op = PRIVSEP_OP_SERVER_PIN, .peer = server };
	sys->pinned = privsep_send(sys->ch, &r, on_pin_answer, NULL) == 0;
}

struct done_flag {
	bool done;
	struct privsep_answer a;
};

static void on_done(void *ctx, const struct privsep_answer *a)
{
	struct done_flag *d = ctx;
	d->done = true;
	d->a = *a;
}

/* Send r and wait for its answer by running the loop; false when it did
 * not come (helper gone, or aborted). */
static bool ask_and_wait(struct client_system *sys, const struct privsep_request *r, struct privsep_answer *out)
{
	struct done_flag d = { 0 };
	if (privsep_send(sys->ch, r, on_done, &d) < 0)
		return false;
	wait_for(sys, &d.done);
	if (!d.done) {
		/* The request may still be queued: its answer must not reach
		 * this stack frame. */
		privsep_forget(sys->ch);
		return false;
	}
	*out = d.a;
	return d.a.status != ERR_CLOSED;
}

void client_system_unpin_server(struct client_system *sys)
{
	if (!sys->pinned || !waiting(sys))
		return;
	sys->pinned = false;
	struct privsep_request r = { .op = PRIVSEP_OP_SERVER_UNPIN };
	struct privsep_answer a;
	(void)ask_and_wait(sys, &r, &a);
}

static void on_routes_answer(void *ctx, const struct privsep_answer *a)
{
	(void)ctx;
	if (a->status < 0 && a->status != ERR_CLOSED)
		log_msg(LOG_LEVEL_WARN, CLIENT_TAG, "routes through the tunnel: %s", error_name(a->status));
	else if (a->status == 0 && a->routes_failed)
		log_msg(LOG_LEVEL_WARN, CLIENT_TAG, "%u of %u routes through the tunnel failed", a->routes_failed,
			a->routes_added + a->routes_failed);
}

static void on_dns_answer(void *ctx, const struct privsep_answer *a)
{
	const struct client_system *sys = ctx;
	char d1[IPV4_STR_MAX], d2[IPV4_STR_MAX];
	if (a->status == 0 && sys->dns2) /* a second server only when one was pushed */
		log_msg(LOG_LEVEL_INFO, CLIENT_TAG, "DNS %s %s applied to %s (restored on exit)",
			ipv4_format(sys->dns1, d1), ipv4_format(sys->dns2, d2), sys->cfg->resolv_conf);
	else if (a->status == 0)
		log_msg(LOG_LEVEL_INFO, CLIENT_TAG, "DNS %s applied to %s (restored on exit)", ipv4_format(sys->dns1, d1),
			sys->cfg->resolv_conf);
	else if (a->status != ERR_CLOSED)
		log_msg(LOG_LEVEL_WARN, CLIENT_TAG, "--dns: %s", error_name(a->status));
}

static void log_hook(const char *which, const struct privsep_answer *a)
{
	if (a->status < 0 && a->status != ERR_CLOSED)
		log_msg(LOG_LEVEL_WARN, CLIENT_TAG, "--%s: %s", which, error_name(a->status));
	else if (a->status == 0 && a->exit_code != 0)
		log_msg(LOG_LEVEL_WARN, CLIENT_TAG, "--%s exited with %d", which, a->exit_code);
}

static void on_up_answer(void *ctx, const struct privsep_answer *a)
{
	(void)ctx;
	log_hook("up", a);
}

static void hook_request(const struct client_system *sys, enum privsep_hook hook, struct privsep_request *r)
{
	memset(r, 0, sizeof(*r));
	r->op = PRIVSEP_OP_HOOK_RUN;
	r->hook = hook;
	r->local = sys->local;
	r->peer = sys->peer;
	r->dns[0] = sys->dns1;
	r->dns[1] = sys->dns2;
}

void client_system_up(struct client_system *sys, uint32_t local, uint32_t peer, uint32_t dns1, uint32_t dns2)
{
	const struct client_config *cfg = sys->cfg;
	sys->local = local;
	sys->peer = peer;
	sys->dns1 = dns1;
	sys->dns2 = dns2;
	sys->link_up = true;
	if (cfg->default_route || cfg->route.count) {
		struct privsep_request r = { .op = PRIVSEP_OP_ROUTES_UP };
		(void)privsep_send(sys->ch, &r, on_routes_answer, NULL);
	}
	if (cfg->dns) {
		if (!dns1 && !dns2) {
			log_msg(LOG_LEVEL_WARN, CLIENT_TAG, "--dns: the server pushed no DNS server");
		} else {
			struct privsep_request r = { .op = PRIVSEP_OP_DNS_APPLY, .dns = { dns1, dns2 } };
			sys->dns_asked = privsep_send(sys->ch, &r, on_dns_answer, sys) == 0;
		}
	}
	if (cfg->up && cfg->up[0]) {
		struct privsep_request r;
		hook_request(sys, PRIVSEP_HOOK_UP, &r);
		(void)privsep_send(sys->ch, &r, on_up_answer, NULL);
	}
}

void client_system_down(struct client_system *sys)
{
	const struct client_config *cfg = sys->cfg;
	if (!sys->link_up)
		return;
	sys->link_up = false;
	struct privsep_answer a;
	if (cfg->down && cfg->down[0] && waiting(sys)) {
		struct privsep_request r;
		hook_request(sys, PRIVSEP_HOOK_DOWN, &r);
		if (ask_and_wait(sys, &r, &a))
			log_hook("down", &a);
	}
	if (sys->dns_asked && waiting(sys)) {
		struct privsep_request r = { .op = PRIVSEP_OP_DNS_RESTORE };
		if (ask_and_wait(sys, &r, &a) && a.status < 0)
			log_msg(LOG_LEVEL_WARN, CLIENT_TAG, "--dns: restoring: %s", error_name(a.status));
	}
	sys->dns_asked = false;
}

static void on_addr6_answer(void *ctx, const struct privsep_answer *a)
{
	(void)ctx;
	if (a->status < 0 && a->status != ERR_CLOSED)
		log_msg(LOG_LEVEL_WARN, CLIENT_TAG, "IPv6 address on the TUN: %s", error_name(a->status));
}

static void client_addr6(struct client_system *sys, const uint8_t prefix[8], uint64_t id)
{
	struct privsep_request r = { .op = PRIVSEP_OP_ADDR6_ADD, .family = PRIVSEP_FAMILY_IPV6, .prefix_len = 64 };
	memcpy(r.addr6, prefix, 8);
	store_be32(r.addr6 + 8, (uint32_t)(id >> 32));
	store_be32(r.addr6 + 12, (uint32_t)id);
	char text[IPV6_STR_MAX];
	log_msg(LOG_LEVEL_INFO, CLIENT_TAG, "IPv6 address %s/64", ipv6_format(r.addr6, text));
	(void)privsep_send(sys->ch, &r, on_addr6_answer, NULL);
}

static void on_dns6_answer(void *ctx, const struct privsep_answer *a)
{
	(void)ctx;
	if (a->status < 0 && a->status != ERR_CLOSED)
		log_msg(LOG_LEVEL_WARN, CLIENT_TAG, "--dns, IPv6 server: %s", error_name(a->status));
}

void client_system_ipv6_up(struct client_system *sys, const struct ppp_link_ipv6 *v)
{
	static const uint8_t link_local[8] = { 0xfe, 0x80 };
	client_addr6(sys, link_local, v->local_id);
}

void client_system_ipv6_prefix(struct client_system *sys, const struct ppp_link_ipv6 *v)
{
	if (!v->has_prefix)
		return;
	client_addr6(sys, v->prefix, v->local_id);
	for (unsigned i = 0; i < v->dns_count && i < 2; i++) {
		char text[IPV6_STR_MAX];
		log_msg(LOG_LEVEL_INFO, CLIENT_TAG, "IPv6 DNS server %s (RDNSS)%s", ipv6_format(v->dns[i], text),
			sys->cfg->dns ? "" : ": not applied without --dns");
		if (sys->cfg->dns) {
			struct privsep_request r = { .op = PRIVSEP_OP_DNS6_ADD, .family = PRIVSEP_FAMILY_IPV6,
						     .prefix_len = 128 };
			memcpy(r.addr6, v->dns[i], 16);
			if (privsep_send(sys->ch, &r, on_dns6_answer, NULL) == 0)
				sys->dns_asked = true;
		}
	}
	if (!sys->routes6_asked && (sys->cfg->default_route || sys->cfg->route6.count)) {
		sys->routes6_asked = true;
		struct privsep_request r = { .op = PRIVSEP_OP_ROUTES6_UP };
		(void)privsep_send(sys->ch, &r, on_routes_answer, NULL);
	}
}

int client_privsep_config(const struct client_config *cfg, uint32_t server, struct privsep_config *pc,
			  struct privsep_prefix **routes)
{
	memset(pc, 0, sizeof(*pc));
	*routes = calloc(cfg->route.count ? cfg->route.count : 1, sizeof(**routes));
	if (!*routes)
		return ERR_NOMEM;
	for (size_t i = 0; i < cfg->route.count; i++)
		if (client_parse_prefix(cfg->route.items[i], &(*routes)[i].dst, &(*routes)[i].len) < 0)
			return ERR_INVALID;
	pc->role = PRIVSEP_ROLE_CLIENT;
	pc->ifname = cfg->ifname;
	pc->tun_offload = cfg->tun_offload == TUN_OFFLOAD_ON;
	pc->server = server;
	pc->routes = *routes;
	pc->route_count = cfg->route.count;
	pc->default_route = cfg->default_route;
	pc->up_hook = cfg->up && cfg->up[0] ? cfg->up : NULL;
	pc->down_hook = cfg->down && cfg->down[0] ? cfg->down : NULL;
	pc->dns = cfg->dns;
	pc->resolv_conf = cfg->resolv_conf;
	pc->ipv6 = cfg->ipv6;
	if (cfg->route6.count) {
		struct ipv6_prefix *r6 = calloc(cfg->route6.count, sizeof(*r6));
		if (!r6)
			return ERR_NOMEM;
		for (size_t i = 0; i < cfg->route6.count; i++)
			if (ipv6_prefix_parse(cfg->route6.items[i], &r6[i]) < 0) {
				free(r6);
				return ERR_INVALID;
			}
		pc->routes6 = r6;
		pc->route6_count = cfg->route6.count;
	}
	return 0;
}
