/* SPDX-License-Identifier: BSD-2-Clause */
/* A session's RADIUS Framed-Routes (issue 14, RFC 2865 §5.22): checked
 * against --framed-route-allow when the Access-Accept arrives, reserved in
 * the server's prefix table (server_framed.h) so the link's source check
 * can admit them, installed through the helper when the session comes up,
 * removed when it ends.
 *
 * A route that breaks a rule is refused with one log line and the session
 * still comes up without it: §5.22 says nothing of a NAS that cannot
 * install a route, the user's own address still works, and refusing the
 * login would turn a RADIUS typo into an outage for that user. */
#include "server/server_internal.h"

#include <string.h>

#include "base/error.h"
#include "proto/radius/radius_route.h"

void server_framed_grant(struct server *s, struct server_session *ss, const struct radius_grant *g, const char *tag,
			 struct ppp_link_grant *lg)
{
	if (!g->framed_routes)
		return;
	if (!s->framed.allow_count || !ss) {
		for (unsigned i = 0; i < g->framed_routes; i++)
			log_msg(LOG_LEVEL_WARN, tag, "RADIUS Framed-Route \"%s\" not installed: %s", g->framed_route[i],
				ss ? "--framed-route-allow not set (it enables Framed-Route)" : "no session");
		return;
	}
	/* A repeated Access-Accept (re-authentication) replaces the set. */
	server_framed_release(s, ss);
	for (unsigned i = 0; i < g->framed_routes && i < SERVER_FRAMED_PER_SESSION; i++) {
		const char *text = g->framed_route[i];
		struct radius_route r;
		if (radius_route_parse(text, strnlen(text, sizeof(g->framed_route[0])), &r) < 0) {
			log_msg(LOG_LEVEL_WARN, tag, "RADIUS Framed-Route \"%s\" not installed: malformed", text);
			continue;
		}
		/* The address may come from the pool later: then only the
		 * gateway 0.0.0.0 (the user's address, whatever it becomes) fits. */
		enum radius_route_verdict v = radius_route_check(&r, s->framed.allow, s->framed.allow_count, g->framed_ip);
		if (v != RADIUS_ROUTE_ALLOWED) {
			log_msg(LOG_LEVEL_WARN, tag, "RADIUS Framed-Route \"%s\" not installed: %s", text,
				radius_route_verdict_text(v));
			continue;
		}
		int rc = server_framed_reserve(&s->framed, &r.dest, ss);
		if (rc < 0) {
			log_msg(LOG_LEVEL_WARN, tag, "RADIUS Framed-Route \"%s\" not installed: %s", text,
				rc == ERR_DUPLICATE ? "overlaps another session's Framed-Route" : "route table full");
			continue;
		}
		ss->framed[ss->framed_count++] = r.dest;
	}
	memcpy(lg->routes, ss->framed, sizeof(ss->framed[0]) * ss->framed_count);
	lg->route_count = ss->framed_count;
}

void server_framed_route_all(struct server *s, struct server_session *ss, bool add)
{
	if (add == ss->framed_routed)
		return;
	/* The session's path MTU on the route when below the TUN's, as on
	 * its /32 (issue 12 §1; server_session.c server_route). */
	uint16_t mtu = ss->mtu && ss->mtu < (uint32_t)s->cfg->mtu ? ss->mtu : 0;
	for (unsigned i = 0; i < ss->framed_count; i++) {
		char a[IPV4_STR_MAX];
		if (add)
			log_msg(LOG_LEVEL_INFO, ss->conn->tag, "RADIUS Framed-Route %s/%u installed",
				ipv4_format(ss->framed[i].addr, a), ss->framed[i].len);
		(void)server_privsep_prefix_route(s, &ss->framed[i], mtu, add);
	}
	ss->framed_routed = add;
}

void server_framed_release(struct server *s, struct server_session *ss)
{
	server_framed_route_all(s, ss, false);
	server_framed_drop_owner(&s->framed, ss);
	ss->framed_count = 0;
}
