/* SPDX-License-Identifier: BSD-2-Clause */
/* What an Access-Accept's attributes mean for the PPP link, and the ones
 * the server only logs, as pure functions (server_auth.c calls them). */
#ifndef OPENPPTP_SERVER_GRANT_H
#define OPENPPTP_SERVER_GRANT_H

#include <stdbool.h>
#include <stddef.h>

#include "proto/radius/radius_access.h"
#include "proto/session/ppp_link.h"

/* The link's part of a grant: address, DNS/NBNS, Framed-MTU cap and the
 * MPPE narrowing of MS-MPPE-Encryption-Policy/-Types (RFC 2548 §2.4.4-5). */
void server_grant_to_link(const struct radius_grant *g, struct ppp_link_grant *out);

/* Framed-Pool (RFC 2869 §5.18) without a Framed-IP-Address: pick (0,
 * ERR_NOT_FOUND or ERR_LIMIT, as server_named_pool_pick) chooses the
 * address, which becomes g->framed_ip. false, with why filled, when the
 * grant cannot be honoured (an unknown or exhausted pool): the login is
 * refused rather than given an address the pool's owner did not mean. */
typedef int (*server_pool_pick_fn)(void *ctx, const char *name, uint32_t *addr);
bool server_grant_resolve(struct radius_grant *g, server_pool_pick_fn pick, void *ctx, char *why, size_t why_cap);

/* Info lines for what is accepted but not acted on: Filter-Id (no
 * filtering yet), Framed-IP-Netmask (a PPP peer is a /32 host route). */
void server_grant_log(const char *tag, const struct radius_grant *g);

#endif
