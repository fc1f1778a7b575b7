/* What the client changes on the host, and undoes: the host route to the
 * server, routes through the tunnel, DNS, the --up/--down hooks.
 *
 * This is the one interface through which the client touches the host
 * beyond its own sockets and TUN, so that a privileged helper can take
 * these requests over later. Nothing here blocks the loop while the tunnel
 * runs: programs (hooks, resolvconf) are daemon_jobs, run one at a time in
 * order; client_system_down waits for them (each bounded by its timeout),
 * because the tunnel is over by then. */
#ifndef OPENPPTP_CLIENT_SYSTEM_H
#define OPENPPTP_CLIENT_SYSTEM_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/client.h"
#include "daemon/daemon_jobs.h"
#include "sys/loop.h"
#include "sys/netlink.h"

#define CLIENT_MAX_ROUTES 32

/* How the pushed DNS servers were applied (and so how to undo them). */
enum client_dns_state {
	CLIENT_DNS_NONE = 0,
	CLIENT_DNS_RESOLVCONF_PENDING,  /* resolvconf -a running */
	CLIENT_DNS_RESOLVCONF,          /* resolvconf -a IFNAME took them */
	CLIENT_DNS_FILE,                /* resolv.conf rewritten, old contents kept */
};

struct client_system {
	const struct client_config *cfg;
	struct daemon_jobs jobs;
	struct netlink nl;
	bool nl_open;
	struct netlink_route pinned;
	bool pinned_added;
	struct netlink_route routes[CLIENT_MAX_ROUTES];
	size_t route_count;
	enum client_dns_state dns;
	char *resolv_backup;
	size_t resolv_backup_len;
	char ifname[IF_NAMESIZE];
	uint32_t local, peer, dns1, dns2, server;
};

void client_system_init(struct client_system *sys, struct loop *loop, const struct client_config *cfg);
void client_system_pin_server(struct client_system *sys, uint32_t server);
void client_system_unpin_server(struct client_system *sys);
/* The link is up on ifname: routes, DNS (--dns), then --up. */
void client_system_up(struct client_system *sys, const char *ifname, int ifindex, uint32_t local, uint32_t peer,
		      uint32_t dns1, uint32_t dns2, uint32_t server);
/* The link is gone: --down, DNS restored, routes removed; waits for the
 * hooks (a running --up first), each bounded by DAEMON_JOB_TIMEOUT_S. */
void client_system_down(struct client_system *sys);
/* Kill a running hook now (a stop signal while we wait for it). */
void client_system_abort(struct client_system *sys);
void client_system_destroy(struct client_system *sys);

#endif
