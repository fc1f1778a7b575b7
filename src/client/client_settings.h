/* SPDX-License-Identifier: BSD-2-Clause */
/* The client's settings: options (command line, INI file), the password,
 * the --auth/--mppe policy, and what every tunnel attempt is built from. */
#ifndef OPENPPTP_CLIENT_SETTINGS_H
#define OPENPPTP_CLIENT_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/client.h"
#include "daemon/daemon_settings.h"
#include "proto/session/ppp_link.h"

/* A host name may have several A records: all are kept, in the resolver's
 * order. Each attempt tries them in turn until one answers on TCP 1723
 * (client.c, client_attempt); `server` is servers[0]. */
#define CLIENT_MAX_SERVERS 8

struct client_settings {
	uint32_t server;                      /* the address connected to */
	uint32_t servers[CLIENT_MAX_SERVERS]; /* every IPv4 address of server_name */
	size_t server_count;
	char server_name[256]; /* as given: HOST or server = */
	struct daemon_tunnel_settings tunnel;
	char password[256];
	bool has_nt_hash; /* password-nt-hash: no plaintext */
	uint8_t nt_hash[16];
};

/* 0: go; 1: --help printed; negative: error printed. */
int client_settings_load(int argc, char **argv, struct client_config *cfg, struct client_settings *out);
void client_settings_destroy(struct client_config *cfg, struct client_settings *settings);

/* "198.51.100.0/24" -> address and prefix length (pure). */
int client_parse_prefix(const char *text, uint32_t *addr, uint8_t *len);

#endif
