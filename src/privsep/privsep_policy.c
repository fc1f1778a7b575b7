/* SPDX-License-Identifier: BSD-2-Clause */
/* The helper's validation rules (privsep_policy.h). */
#include "privsep/privsep_policy.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/ipv6_scope.h"

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
	case PRIVSEP_OP_ADDR6_ADD:
	case PRIVSEP_OP_ROUTES6_UP:
	case PRIVSEP_OP_DNS6_ADD:
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

/* Global unicast as RFC 4291 §2.4 has it: not ::/8 (unspecified,
 * loopback, mapped), not multicast ff00::/8, not link-local fe80::/10. */
static bool ipv6_global_unicast(const uint8_t a[16])
{
	return a[0] != 0 && a[0] != 0xff && !ipv6_is_link_local(a);
}

/* Issue 12 §1: a session's path MTU, below the shared TUN's. */
static int check_route_mtu(const struct privsep_request *r, const struct privsep_policy *p, const char **why)
{
	if (r->mtu && r->mtu < MTU_MIN)
		return refuse(why, "route MTU below 68");
	if (r->mtu && r->mtu > p->tun_mtu)
		return refuse(why, "route MTU above the TUN's");
	return 0;
}

static int check_route6(const struct privsep_policy *p, const struct privsep_request *r, const char **why)
{
	if (!p->ipv6_pool_set) {
		*why = "IPv6 routes without --ipv6-pool";
		return ERR_UNSUPPORTED;
	}
	if (p->tun_ifindex <= 0 || r->ifindex != (uint32_t)p->tun_ifindex)
		return refuse(why, "not our TUN's interface index");
	static const uint8_t zero[8], link_local[8] = { 0xfe, 0x80 };
	if (r->prefix_len == 128 && memcmp(r->addr6, link_local, 8) == 0)
		return memcmp(r->addr6 + 8, zero, 8) != 0 ? 0 : refuse(why, "a peer's link-local needs an identifier");
	if (r->prefix_len != 64)
		return refuse(why, "only a session's /64 or a peer's fe80::id/128");
	if (memcmp(r->addr6 + 8, zero, 8) != 0)
		return refuse(why, "host bits set in a /64");
	if (ipv6_pool_subnet_of(&p->ipv6_pool, r->addr6) == 0)
		return refuse(why, "not a session /64 of --ipv6-pool");
	return 0;
}

/* Client: fe80::/64 with an identifier, or a /64 address of a global
 * prefix (SLAAC, RFC 4862 §5.5.3), on the TUN opened last. */
static int check_addr6(const struct privsep_policy *p, const struct privsep_request *r, const char **why)
{
	if (!p->ipv6)
		return refuse(why, "--ipv6 not given");
	if (p->tun_ifindex <= 0)
		return refuse(why, "no TUN open");
	if (r->family != PRIVSEP_FAMILY_IPV6 || r->prefix_len != 64)
		return refuse(why, "only an IPv6 address with a /64");
	static const uint8_t zero[8];
	if (memcmp(r->addr6 + 8, zero, 8) == 0)
		return refuse(why, "no interface identifier");
	bool link_local = r->addr6[0] == 0xfe && r->addr6[1] == 0x80 && memcmp(r->addr6 + 2, zero, 6) == 0;
	if (!link_local && !ipv6_global_unicast(r->addr6))
		return refuse(why, "neither link-local nor global unicast");
	return 0;
}

/* Issue 14: a RADIUS Framed-Route behind a session, only inside a prefix
 * the operator allowed at start (the main process cannot widen the list),
 * and never shorter than /8. Prefixes are checked on delete too, so a
 * compromised main process cannot remove the host's other routes. */
static int check_framed_route(const struct privsep_policy *p, const struct privsep_request *r, const char **why)
{
	if (!p->framed_allow_count)
		return refuse(why, "only a host route (/32) to a peer (no --framed-route-allow)");
	if (r->prefix_len < 8 || r->prefix_len > 32)
		return refuse(why, "Framed-Route prefix length not /8../31");
	const struct ipv4_prefix want = { r->addr4, r->prefix_len };
	if (r->addr4 & ~(0xffffffffu << (32 - r->prefix_len)))
		return refuse(why, "host bits set in a Framed-Route prefix");
	for (size_t i = 0; i < p->framed_allow_count; i++)
		if (ipv4_prefix_contains(&p->framed_allow[i], &want))
			return check_route_mtu(r, p, why);
	return refuse(why, "Framed-Route prefix outside --framed-route-allow");
}

static int check_route(const struct privsep_policy *p, const struct privsep_request *r, const char **why)
{
	if (r->family == PRIVSEP_FAMILY_IPV6)
		return check_route6(p, r, why);
	if (p->tun_ifindex <= 0 || r->ifindex != (uint32_t)p->tun_ifindex)
		return refuse(why, "not our TUN's interface index");
	if (r->prefix_len != 32)
		return check_framed_route(p, r, why);
	if (!privsep_ipv4_unicast(r->addr4))
		return refuse(why, "not a unicast address");
	if (r->addr4 == p->local_ip)
		return refuse(why, "the server's own tunnel address");
	if (r->op == PRIVSEP_OP_ROUTE_ADD && !server_may_route(p, r->addr4))
		return refuse(why, "neither in the pool nor a static address of the secrets file");
	return check_route_mtu(r, p, why);
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
	case PRIVSEP_OP_ROUTES6_UP:
		if (!p->ipv6)
			return refuse(why, "--ipv6 not given");
		return p->tun_ifindex > 0 ? 0 : refuse(why, "no TUN open");
	case PRIVSEP_OP_ADDR6_ADD:
		return check_addr6(p, r, why);
	case PRIVSEP_OP_DNS6_ADD:
		if (!p->dns || !p->ipv6)
			return refuse(why, "--dns and --ipv6 not both given");
		if (r->family != PRIVSEP_FAMILY_IPV6 || r->prefix_len != 128)
			return refuse(why, "only one IPv6 address (/128)");
		/* resolv.conf cannot name a link-local server's interface portably */
		return ipv6_global_unicast(r->addr6) ? 0 : refuse(why, "DNS server not global unicast");
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
