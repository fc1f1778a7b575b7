/* SPDX-License-Identifier: BSD-2-Clause */
/* What the privileged helper agrees to do: every decoded request is checked
 * here against facts fixed when the daemon started (our TUN, our pool, the
 * configured hooks), never against anything the main process says about
 * itself. Pure, so each refusal has a unit test. */
#ifndef OPENPPTP_PRIVSEP_PRIVSEP_POLICY_H
#define OPENPPTP_PRIVSEP_PRIVSEP_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/ipv4.h"
#include "base/ipv4_text.h"
#include "config/ipv6.h"
#include "privsep/privsep_msg.h"

enum privsep_role {
	PRIVSEP_ROLE_SERVER = 1,
	PRIVSEP_ROLE_CLIENT = 2,
};

struct privsep_policy {
	enum privsep_role role;
	/* Server: the shared TUN, fixed at start. Client: the TUN the helper
	 * opened last (0 before the first TUN_OPEN). */
	int tun_ifindex;
	/* Server: a peer's route must be for an address the server can hand
	 * out: in the pool, or a static address of the secrets file (sorted),
	 * and never the server's own tunnel address. */
	uint32_t local_ip;
	struct ipv4_range pool;
	const uint32_t *statics;
	size_t static_count;
	bool control_socket; /* server: a control socket path is set */
	uint32_t tun_mtu;    /* server: the shared TUN's MTU; a route MTU is at most this */
	/* Server, --framed-route-allow (issue 14): a RADIUS Framed-Route may
	 * be a prefix (/8../32) inside one of these; none: host routes only. */
	const struct ipv4_prefix *framed_allow;
	size_t framed_allow_count;
	/* Server, --ipv6-pool: a session's route is a /64 inside it, never
	 * its subnet 0 (the server's own). */
	bool ipv6_pool_set;
	struct ipv6_prefix ipv6_pool;
	/* Client */
	bool up_hook, down_hook;
	bool dns; /* --dns */
	bool ipv6; /* --ipv6 */
	const uint32_t *servers; /* the addresses SERVER_PIN may pin (the server name's) */
	size_t server_count;
};

/* 0 when the helper may do r; otherwise ERR_POLICY (or ERR_UNSUPPORTED for
 * an IPv6 route without --ipv6-pool) and *why says which rule, for the
 * helper's log line. */
int privsep_policy_check(const struct privsep_policy *p, const struct privsep_request *r, const char **why);

/* A unicast address a host route or a TUN may carry: not 0.0.0.0/8,
 * 127.0.0.0/8, multicast 224.0.0.0/4, nor 240.0.0.0/4 (with broadcast). */
bool privsep_ipv4_unicast(uint32_t addr);

#endif
