/* SPDX-License-Identifier: BSD-2-Clause */
/* RADIUS Framed-Route (RFC 2865 §5.22) on the server, issue 14: the
 * operator's --framed-route-allow list and the table of prefixes routed
 * to sessions through the shared TUN. The TUN's demux looks here only
 * when the /32 lookup (by_address) misses: a linear scan of at most
 * 4 x --max-sessions entries, no two of which overlap, so at most one
 * matches. Pure (no syscalls): unit-tested in test_server_framed. */
#ifndef OPENPPTP_SERVER_SERVER_FRAMED_H
#define OPENPPTP_SERVER_SERVER_FRAMED_H

#include <stddef.h>
#include <stdint.h>

#include "base/ipv4_text.h"

#define SERVER_FRAMED_ALLOW_MAX 16
#define SERVER_FRAMED_PER_SESSION 4 /* = PPP_GRANT_ROUTES_MAX */

struct server_framed_entry {
	struct ipv4_prefix prefix;
	void *owner; /* the session */
};

struct server_framed_routes {
	struct ipv4_prefix allow[SERVER_FRAMED_ALLOW_MAX];
	size_t allow_count;
	struct server_framed_entry *table; /* NULL without an allow list */
	size_t used, cap;
};

/* One --framed-route-allow CIDR (at least a /8): 0, or ERR_MALFORMED /
 * ERR_LIMIT with *why. */
int server_framed_allow_add(struct server_framed_routes *f, const char *text, const char **why);
/* The table, for max_sessions sessions (none without an allow list). */
int server_framed_init(struct server_framed_routes *f, size_t max_sessions);
void server_framed_destroy(struct server_framed_routes *f);

/* Reserve p for owner: 0, ERR_DUPLICATE when it overlaps a prefix
 * already routed to a session (the first one keeps it), ERR_LIMIT. */
int server_framed_reserve(struct server_framed_routes *f, const struct ipv4_prefix *p, void *owner);
void server_framed_drop_owner(struct server_framed_routes *f, const void *owner);
/* The owner of the prefix holding dst, or NULL. */
void *server_framed_lookup(const struct server_framed_routes *f, uint32_t dst);

#endif
