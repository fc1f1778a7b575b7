/* SPDX-License-Identifier: BSD-2-Clause */
/* The address field of a chap-secrets entry: which tunnel addresses its
 * user may be given. pppd(8), AUTHENTICATION: the words after the secret
 * are the acceptable IP addresses for that client.
 *
 *   (none) or *          any address (see below for "none")
 *   -                    no address at all: the login is refused
 *   198.18.0.5           that address
 *   198.18.0.0/24        the whole subnet: every address that shares the
 *                        first 24 bits (host bits in the word are ignored,
 *                        as pppd does; unlike --pool, network and broadcast
 *                        addresses are in it)
 *   198.18.0.200-210     a range (pptpd's remoteip form; also a.b.c.d-e.f.g.h)
 *   !198.18.0.7          never this address (any form above after '!')
 *
 * Several words make a list. An address is allowed when a word allows it
 * (or `*` is among the words) and no `!` word excludes it: exclusions win
 * whatever their place in the list, so a file never gives more than an
 * order-dependent reading would. Only `!` words leave nothing acceptable (as
 * an empty list does in pppd): write `* !a.b.c.d` for "any but". `-` must
 * be the only word.
 *
 * Differences from pppd, on purpose:
 * - No address words means any address, as `*` does, and as openpptp has
 *   always read it. pppd(8) reads a line of three words as "no address
 *   allowed"; a line that relies on that to lock a user out must say `-`
 *   here.
 * - Host names are refused at load (we do not resolve names while parsing),
 *   and so is pppd's a.b.c.d/n+ (one address per ppp unit number: there
 *   are no ppp units here).
 *
 * Everything is host byte order. Pure functions: no allocation, no I/O. */
#ifndef OPENPPTP_CONFIG_SECRET_ADDRS_H
#define OPENPPTP_CONFIG_SECRET_ADDRS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/ipv4.h"

#define SECRET_ADDRS_MAX 8       /* address words per entry */
#define SECRET_ADDR_WORD_MAX 40  /* "!255.255.255.255-255.255.255.255" is 32 */

enum secret_addr_policy {
	SECRET_ADDR_ANY = 0,   /* no words, or `*` among them */
	SECRET_ADDR_NONE,      /* `-` */
	SECRET_ADDR_LISTED,    /* only what allow[] holds (none with only `!` words) */
};

struct secret_addr_set {
	enum secret_addr_policy policy;
	size_t nwords;                 /* every word, `*` included */
	bool star;                     /* `*` was written */
	size_t nallow;
	size_t ndeny;
	/* The words as written, in order; with SECRET_ADDR_ANY they are the
	 * addresses to offer first. first <= last. */
	struct ipv4_range allow[SECRET_ADDRS_MAX];
	struct ipv4_range deny[SECRET_ADDRS_MAX];   /* `!` words */
};

/* An empty set: SECRET_ADDR_ANY, no words. */
void secret_addrs_init(struct secret_addr_set *set);

/* Add one address word of len bytes (word[len] need not be NUL). 0, or
 * ERR_MALFORMED / ERR_UNSUPPORTED / ERR_LIMIT with *why set to a static
 * sentence; the set is then unusable. */
int secret_addrs_add_word(struct secret_addr_set *set, const char *word, size_t len, const char **why);

/* May the user have addr? */
bool secret_addrs_allow(const struct secret_addr_set *set, uint32_t addr);

/* The `!` range that excludes addr, or NULL. */
const struct ipv4_range *secret_addrs_denying(const struct secret_addr_set *set, uint32_t addr);

/* Does the set allow no address at all (`-`, only `!` words, or every
 * allowed address excluded)? The server refuses such a login. */
bool secret_addrs_is_empty(const struct secret_addr_set *set);

/* The user's static address: the first single address written that no `!`
 * word excludes; 0 if none. */
uint32_t secret_addrs_static(const struct secret_addr_set *set);

#endif
