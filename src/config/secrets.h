/* SPDX-License-Identifier: BSD-2-Clause */
/* chap-secrets: the file format pppd and pptpd users already have.
 *
 *   # client     server   secret                                    IP addresses
 *   alice        *        "correct horse"                           198.18.0.5
 *   bob          pptpd    nthash:8846F7EAEE8FB117AD06BDD830B7586C   *
 *   "carol x"    *        'it''s'                                   -
 *
 * One entry per line (a backslash at the end of a line continues it). Words
 * are separated by blanks; `#` at the start of a word starts a comment.
 * Quoting: "double" (with escapes), 'single' (literal), and quotes may join
 * parts of a word as in the shell. Escapes outside quotes and in double
 * quotes: \\ \" \' \n \t \r \s (space) \xHH \OOO (octal); another escaped
 * character stands for itself.
 *
 * `*` as client or server matches any name. The best match wins: exact
 * client and server, then exact client, then exact server, then both
 * wildcards; among equals, the first in the file.
 *
 * NT-hash secrets: an UNQUOTED secret `nthash:` followed by 32 hex digits is
 * MD4(UTF-16LE(password)), enough for MS-CHAPv1/v2 (and MPPE keys) without
 * storing the plaintext; `openpptp user` writes this form. A quoted
 * "nthash:..." is a plaintext password that happens to start that way.
 * An unquoted secret starting with `@` (pppd: read from a file) is refused.
 *
 * Addresses (optional): the words after the secret say which tunnel
 * addresses the user may have, as in pppd: `*` (or none) any, `-` none (the
 * login is refused), else addresses, subnets, ranges and `!` exclusions;
 * the first single address is the user's static IP. config/secret_addrs.h
 * has the rules. */
#ifndef OPENPPTP_CONFIG_SECRETS_H
#define OPENPPTP_CONFIG_SECRETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/ipv4.h"
#include "config/secret_addrs.h"

#define SECRETS_NAME_MAX 256
#define SECRETS_SECRET_MAX 256
#define SECRETS_ADDRS_MAX SECRET_ADDRS_MAX
#define SECRETS_NTHASH_SIZE 16

enum secret_kind {
	SECRET_PLAINTEXT,
	SECRET_NTHASH,
};

struct secret_entry {
	char *client;              /* "*" = any */
	char *server;              /* "*" = any */
	enum secret_kind kind;
	char *secret;              /* SECRET_PLAINTEXT: NUL-terminated */
	size_t secret_len;
	uint8_t nthash[SECRETS_NTHASH_SIZE]; /* SECRET_NTHASH */
	struct secret_addr_set addrs;  /* which tunnel addresses the user may have */
	unsigned line;
};

struct secrets {
	struct secret_entry *entries;
	size_t count;
	char error[256];           /* "file:line: why" after a failed parse */
};

/* Parse the whole text; all or nothing (on error nothing is kept, so a
 * reload can parse into a fresh struct and swap only on success).
 * 0, or ERR_MALFORMED / ERR_UNSUPPORTED / ERR_LIMIT / ERR_NOMEM with
 * s->error set. */
int secrets_parse(struct secrets *s, const char *text, size_t len, const char *filename);
/* Wipes secrets before freeing. */
void secrets_destroy(struct secrets *s);

/* Best entry for (client, server) or NULL. */
const struct secret_entry *secrets_lookup(const struct secrets *s, const char *client, const char *server);

/* An entry whose plaintext secret is "" (refused at login: anyone who
 * knows the name would get in). */
bool secret_entry_is_empty(const struct secret_entry *e);

/* The static IP of an entry (secret_addrs_static), or 0. */
uint32_t secret_entry_static_ip(const struct secret_entry *e);
/* Is addr allowed for this entry? (secret_addrs_allow) */
bool secret_entry_allows_ip(const struct secret_entry *e, uint32_t addr);

/* Format one entry as a line that secrets_parse reads back to the same
 * values (for `openpptp user`): names quoted when needed, a plaintext secret
 * always double-quoted (so it never reads as nthash: or @file), nthash
 * (when not NULL, instead of secret) as nthash:<32 hex>. addrs is copied
 * verbatim after the secret (NULL or "" = "*"). Returns the length of the
 * line (like snprintf; > cap - 1 means truncated) or ERR_INVALID (empty
 * name, over-long word, NUL-free strings only). */
int secrets_format_entry(char *buf, size_t cap, const char *client, const char *server,
			 const char *secret, const uint8_t *nthash, const char *addrs);

#endif
