/* SPDX-License-Identifier: BSD-2-Clause */
/* The addresses a server hands the client in IPCP, checked before the TUN
 * takes them (issue 11): a point-to-point TUN routes its peer address into
 * the tunnel, so a rogue server could pick one host of its choosing. */
#ifndef OPENPPTP_CLIENT_ADDR_CHECK_H
#define OPENPPTP_CLIENT_ADDR_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "client/client.h"

/* Why the client refuses local (ours) and peer (the server's tunnel
 * address), host order, given the server's underlay address; NULL when
 * they are acceptable. Refused: either equal to the server's underlay
 * address (the GRE would be routed into the tunnel itself), and a peer
 * address outside the private and special-use ranges (RFC 6890: 10/8,
 * 172.16/12, 192.168/16, 100.64/10, 169.254/16, 192.0.2/24, 198.18/15,
 * 198.51.100/24, 203.0.113/24) unless --default-route or a --route
 * covers it. why[] gets the sentence for the log. */
const char *client_addr_refusal(const struct client_config *cfg, uint32_t server, uint32_t local, uint32_t peer,
				char *why, size_t cap);

#endif
