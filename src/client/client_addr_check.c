/* SPDX-License-Identifier: BSD-2-Clause */
#include "client/client_addr_check.h"

#include <stdbool.h>
#include <stdio.h>

#include "client/client_settings.h"
#include "config/ipv4.h"

static bool in_prefix(uint32_t addr, uint32_t net, unsigned len)
{
	uint32_t mask = len == 0 ? 0 : 0xffffffffu << (32 - len);
	return (addr & mask) == (net & mask);
}

/* Special-use ranges a tunnel address is normally taken from (RFC 6890). */
static bool private_or_special(uint32_t a)
{
	static const struct {
		uint32_t net;
		unsigned len;
	} ranges[] = {
		{ 0x0a000000u, 8 },  /* 10/8, RFC 1918 */
		{ 0xac100000u, 12 }, /* 172.16/12 */
		{ 0xc0a80000u, 16 }, /* 192.168/16 */
		{ 0x64400000u, 10 }, /* 100.64/10, RFC 6598 */
		{ 0xa9fe0000u, 16 }, /* 169.254/16 */
		{ 0xc0000200u, 24 }, /* 192.0.2/24, RFC 5737 */
		{ 0xc6336400u, 24 }, /* 198.51.100/24 */
		{ 0xcb007100u, 24 }, /* 203.0.113/24 */
		{ 0xc6120000u, 15 }, /* 198.18/15, RFC 2544 */
	};
	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
		if (in_prefix(a, ranges[i].net, ranges[i].len))
			return true;
	return false;
}

static bool user_routes(const struct client_config *cfg, uint32_t addr)
{
	if (cfg->default_route)
		return true;
	for (size_t i = 0; i < cfg->route.count; i++) {
		uint32_t net;
		uint8_t len;
		if (client_parse_prefix(cfg->route.items[i], &net, &len) == 0 && in_prefix(addr, net, len))
			return true;
	}
	return false;
}

const char *client_addr_refusal(const struct client_config *cfg, uint32_t server, uint32_t local, uint32_t peer,
				char *why, size_t cap)
{
	char a[IPV4_STR_MAX];
	if (peer == server || local == server) {
		snprintf(why, cap,
			 "the server assigned %s, its own address on the network, as a tunnel address: refusing (it would "
			 "route the tunnel into itself)",
			 ipv4_format(server, a));
		return why;
	}
	if (peer && !private_or_special(peer) && !user_routes(cfg, peer)) {
		snprintf(why, cap,
			 "the server gave %s as its tunnel address, a public address this client was not asked to route "
			 "through the tunnel: refusing (--route %s/32 allows it)",
			 ipv4_format(peer, a), a);
		return why;
	}
	return NULL;
}
