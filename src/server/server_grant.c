/* SPDX-License-Identifier: BSD-2-Clause */
#include "server/server_grant.h"

#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "base/log.h"

void server_grant_to_link(const struct radius_grant *g, struct ppp_link_grant *out)
{
	memset(out, 0, sizeof(*out));
	out->static_address = g->framed_ip;
	memcpy(out->dns, g->dns, sizeof(out->dns));
	memcpy(out->nbns, g->nbns, sizeof(out->nbns));
	out->mtu_cap = g->mtu;
	/* §2.4.4: 1 Encryption-Allowed, 2 Encryption-Required; other values
	 * are not defined and change nothing. */
	if (g->mppe_policy == 1)
		out->mppe_policy = PPP_GRANT_MPPE_ALLOWED;
	else if (g->mppe_policy == 2)
		out->mppe_policy = PPP_GRANT_MPPE_REQUIRED;
	out->mppe_types_set = g->mppe_types_set;
	out->mppe_types = g->mppe_types;
}

bool server_grant_resolve(struct radius_grant *g, server_pool_pick_fn pick, void *ctx, char *why, size_t why_cap)
{
	/* A fixed Framed-IP-Address wins: RFC 2865 §5.8 names the address. */
	if (!g->pool[0] || g->framed_ip)
		return true;
	uint32_t addr = 0;
	int rc = pick ? pick(ctx, g->pool, &addr) : ERR_NOT_FOUND;
	if (rc == 0 && addr) {
		g->framed_ip = addr;
		return true;
	}
	snprintf(why, why_cap, "RADIUS Framed-Pool \"%s\" %s", g->pool,
		 rc == ERR_LIMIT ? "has no free address" : "is not a --named-pool of this server");
	return false;
}

void server_grant_log(const char *tag, const struct radius_grant *g)
{
	if (g->filter_id[0])
		log_msg(LOG_LEVEL_INFO, tag, "RADIUS Filter-Id \"%s\" (not enforced)", g->filter_id);
	/* Framed-Route: server_session_framed.c. */
	if (g->netmask && g->netmask != 0xffffffffu) {
		uint32_t m = g->netmask;
		log_msg(LOG_LEVEL_INFO, tag,
			"RADIUS Framed-IP-Netmask %u.%u.%u.%u ignored: a PPP peer gets a /32 host route", m >> 24,
			(m >> 16) & 255, (m >> 8) & 255, m & 255);
	}
}
