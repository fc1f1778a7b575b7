/* SPDX-License-Identifier: BSD-2-Clause */
/* Host names to IPv4 addresses, for `openpptp connect vpn.example.net`.
 * PPTP (RFC 2637) runs over IPv4 only: its GRE and the tunnel engine carry
 * 32-bit peer addresses, so only A records are asked for. */
#ifndef OPENPPTP_SYS_RESOLVE_H
#define OPENPPTP_SYS_RESOLVE_H

#include <stddef.h>
#include <stdint.h>

/* Every IPv4 address of host (a dotted quad or a name looked up with
 * getaddrinfo: /etc/hosts, DNS, as nsswitch.conf says), in the resolver's
 * order, without duplicates, at most max. Blocks for as long as the
 * resolver does: call it before the event loop starts.
 * 0 with *count >= 1; ERR_INVALID for an empty name or a numeric form that
 * is not a dotted quad ("10.1" is refused, not taken as 10.0.0.1);
 * ERR_NOT_FOUND when the name has no IPv4 address or does not resolve
 * (why, if not NULL, gets the resolver's reason); ERR_NOMEM. */
int sys_resolve_ipv4(const char *host, uint32_t *addrs, size_t max, size_t *count, const char **why);

#endif
