/* SPDX-License-Identifier: BSD-2-Clause */
/* What the client changes on the host, and undoes: the host route to the
 * server, routes through the tunnel, DNS, the --up/--down hooks.
 *
 * All of it is asked of the privileged helper (docs/privsep.md), which
 * serves requests in order: routes, then DNS, then --up, each answered as a
 * loop event, so nothing here blocks the tunnel. Teardown waits for --down
 * and the DNS restore by running the loop (the tunnel is over by then), so a
 * second stop signal still ends the wait (client_system_abort). */
#ifndef OPENPPTP_CLIENT_SYSTEM_H
#define OPENPPTP_CLIENT_SYSTEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/client.h"
#include "privsep/privsep.h"
#include "proto/session/ppp_link.h"
#include "sys/loop.h"

struct client_system {
	const struct client_config *cfg;
	struct loop *loop;
	struct privsep_channel *ch;
	bool pinned;  /* SERVER_PIN asked for */
	bool link_up; /* a TUN came up: --down and DNS to undo */
	bool dns_asked;
	bool aborted; /* a second stop signal: stop waiting */
	uint32_t local, peer, dns1, dns2;
	bool routes6_asked;
};

void client_system_init(struct client_system *sys, struct loop *loop, struct privsep_channel *ch,
			const struct client_config *cfg);
/* Before the TCP connect: a /32 to the server via today's gateway. */
void client_system_pin_server(struct client_system *sys, uint32_t server);
void client_system_unpin_server(struct client_system *sys);
/* The TUN is up: routes, DNS (--dns), then --up. */
void client_system_up(struct client_system *sys, uint32_t local, uint32_t peer, uint32_t dns1, uint32_t dns2);
/* The link is gone (the TUN still there): --down, then DNS restored. */
void client_system_down(struct client_system *sys);
/* IPV6CP up: fe80::<our identifier> on the TUN. */
void client_system_ipv6_up(struct client_system *sys, const struct ppp_link_ipv6 *v);
/* The server's RA gave a prefix: our address in it (SLAAC, RFC 4862
 * §5.5.3, done here: the identifier is IPV6CP's, the one the server's
 * source check admits), then --route6 / --default-route once. */
void client_system_ipv6_prefix(struct client_system *sys, const struct ppp_link_ipv6 *v);
/* Wait (running the loop) until every answer due is in. */
void client_system_settle(struct client_system *sys);
/* A second stop signal while tearing down: let go of the helper, which
 * kills a running hook and undoes the rest itself before it exits. */
void client_system_abort(struct client_system *sys);

/* The helper's view of the client, fixed before the fork. *routes is
 * allocated for pc->routes (free it after the helper is gone). */
int client_privsep_config(const struct client_config *cfg, uint32_t server, struct privsep_config *pc,
			  struct privsep_prefix **routes);

#endif
