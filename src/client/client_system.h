/* What the client changes on the host, and undoes: the host route to the
 * server, routes through the tunnel, DNS, hook scripts. Plus loading the
 * settings (options, INI, password, policy). */
#ifndef OPENPPTP_CLIENT_SYSTEM_H
#define OPENPPTP_CLIENT_SYSTEM_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/client.h"
#include "proto/session/ppp_link.h"
#include "sys/netlink.h"

struct client_settings {
	uint32_t server;
	unsigned auth;
	struct ppp_mppe_policy mppe;
	char password[256];
};

/* 0: go; 1: --help printed; negative: error printed. */
int client_settings_load(int argc, char **argv, struct client_config *cfg, struct client_settings *out);
void client_settings_free(struct client_config *cfg, struct client_settings *settings);

#define CLIENT_MAX_ROUTES 32

struct client_system {
	struct netlink nl;
	bool nl_open;
	struct netlink_route pinned;
	bool pinned_added;
	struct netlink_route routes[CLIENT_MAX_ROUTES];
	size_t route_count;
	bool dns_applied;
	bool dns_resolvconf;
	char *resolv_backup;
	size_t resolv_backup_len;
	char ifname[IF_NAMESIZE];
	uint32_t local, peer, dns1, dns2, server;
};

void client_system_init(struct client_system *sys);
void client_system_pin_server(struct client_system *sys, uint32_t server);
void client_system_unpin_server(struct client_system *sys);
void client_system_up(struct client_system *sys, const struct client_config *cfg, const char *ifname, int ifindex,
		      uint32_t local, uint32_t peer, uint32_t dns1, uint32_t dns2, uint32_t server);
void client_system_down(struct client_system *sys, const struct client_config *cfg);

/* "198.51.100.0/24" -> address and prefix length (pure). */
int client_parse_prefix(const char *text, uint32_t *addr, uint8_t *len);

#endif
