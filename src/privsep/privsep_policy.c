/* SPDX-License-Identifier: BSD-2-Clause */
/* The helper's validation rules (privsep_policy.h). */
#include "privsep/privsep_policy.h"

#include <stdlib.h>

#include "base/error.h"

/* Lowest MTU an IPv4 link may have (RFC 791: 68 octets). */
#define MTU_MIN 68

bool privsep_ipv4_unicast(uint32_t addr)
{
	uint8_t first = (uint8_t)(addr >> 24);
	return first != 0 && first != 127 && first < 224;
}

static bool role_allows(enum privsep_role role, enum privsep_op op)
{
	switch (op) {
	case PRIVSEP_OP_ROUTE_ADD:
	case PRIVSEP_OP_ROUTE_DEL:
	case PRIVSEP_OP_SECRETS_READ:
	case PRIVSEP_OP_CONTROL_UNLINK:
		return role == PRIVSEP_ROLE_SERVER;
	case PRIVSEP_OP_TUN_OPEN:
	case PRIVSEP_OP_ROUTES_UP:
	case PRIVSEP_OP_SERVER_PIN:
	case PRIVSEP_OP_SERVER_UNPIN:
	case PRIVSEP_OP_DNS_APPLY:
	case PRIVSEP_OP_DNS_RESTORE:
	case PRIVSEP_OP_HOOK_RUN:
		return role == PRIVSEP_ROLE_CLIENT;
	}
	return false;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static bool server_may_route(const struct privsep_policy *p, uint32_t addr)
{
	if (addr >= p->pool.first && addr <= p->pool.last)
		return true;
	return p->statics && bsearch(&addr, p->statics, p->static_count, sizeof(*p->statics), cmp_u32);
}

static int refuse(const char **why, const char *text)
{
	*why = text;
	return ERR_POLICY;
}

static int check_route(const struct privsep_policy *p, const struct privsep_request *r, const char **why)
{
	if (r->family == PRIVSEP_FAMILY_IPV6) {
		*why = "IPv6 routes are not used";
		return ERR_UNSUPPORTED;
	}
	if (r->prefix_len != 32)
		return refuse(why, "only a host route (/32) to a peer");
	if (p->tun_ifindex <= 0 || r->ifindex != (uint32_t)p->tun_ifindex)
		return refuse(why, "not our TUN's interface index");
	if (!privsep_ipv4_unicast(r->addr4))
		return refuse(why, "not a unicast address");
	if (r->addr4 == p->local_ip)
		return refuse(why, "the server's own tunnel address");
	if (r->op == PRIVSEP_OP_ROUTE_ADD && !server_may_route(p, r->addr4))
		return refuse(why, "neither in the pool nor a static address of the secrets file");
	/* Issue 12 §1: a session's path MTU, below the shared TUN's. */
	if (r->mtu && r->mtu < MTU_MIN)
		return refuse(why, "route MTU below 68");
	if (r->mtu && r->mtu > p->tun_mtu)
		return refuse(why, "route MTU above the TUN's");
	return 0;
}

int privsep_policy_check(const struct privsep_policy *p, const struct privsep_request *r, const char **why)
{
	*why = "";
	if (!role_allows(p->role, r->op))
		return refuse(why, p->role == PRIVSEP_ROLE_SERVER ? "not a server request" : "not a client request");
	switch (r->op) {
	case PRIVSEP_OP_ROUTE_ADD:
	case PRIVSEP_OP_ROUTE_DEL:
		return check_route(p, r, why);
	case PRIVSEP_OP_CONTROL_UNLINK:
		return p->control_socket ? 0 : refuse(why, "no control socket");
	case PRIVSEP_OP_TUN_OPEN:
		if (!privsep_ipv4_unicast(r->local))
			return refuse(why, "local address not unicast");
		if (r->peer && !privsep_ipv4_unicast(r->peer))
			return refuse(why, "peer address not unicast");
		if (r->peer == r->local)
			return refuse(why, "local and peer address are the same");
		if (r->mtu < MTU_MIN)
			return refuse(why, "MTU below 68");
		return 0;
	case PRIVSEP_OP_ROUTES_UP:
		return p->tun_ifindex > 0 ? 0 : refuse(why, "no TUN open");
	case PRIVSEP_OP_DNS_APPLY:
		if (!p->dns)
			return refuse(why, "--dns not given");
		if (!r->dns[0] && !r->dns[1])
			return refuse(why, "no DNS server");
		for (int i = 0; i < 2; i++)
			if (r->dns[i] && !privsep_ipv4_unicast(r->dns[i]))
				return refuse(why, "DNS server not unicast");
		return 0;
	case PRIVSEP_OP_DNS_RESTORE:
		return p->dns ? 0 : refuse(why, "--dns not given");
	case PRIVSEP_OP_HOOK_RUN:
		if (r->hook == PRIVSEP_HOOK_UP ? !p->up_hook : !p->down_hook)
			return refuse(why, "that hook is not configured");
		return p->tun_ifindex > 0 ? 0 : refuse(why, "no TUN open");
	case PRIVSEP_OP_SERVER_PIN:
		for (size_t i = 0; i < p->server_count; i++)
			if (p->servers[i] == r->peer)
				return 0;
		return refuse(why, "not an address of the server");
	case PRIVSEP_OP_SECRETS_READ:
	case PRIVSEP_OP_SERVER_UNPIN:
		return 0;
	}
	return refuse(why, "unknown request");
}
