/* SPDX-License-Identifier: BSD-2-Clause */
/* Client profiles: /etc/openpptp/client/NAME.conf, one INI file per
 * connection ([connect] keys, openpptp.conf(5)), shared by
 * `openpptp connect --profile NAME`, the unit openpptp-client@NAME and
 * `openpptp profile add|list|del` (what pptpsetup is for pptp-linux).
 * The password is kept in the file (mode 0600): as its NT hash when only
 * MS-CHAP is allowed (enough for MS-CHAPv1/v2, and not the password), in
 * plain text otherwise (PAP, CHAP-MD5 and EAP-MD5 need it). */
#ifndef OPENPPTP_CLIENT_CLIENT_PROFILE_H
#define OPENPPTP_CLIENT_CLIENT_PROFILE_H

#include <stddef.h>
#include <stdint.h>

#include "client/client.h"
#include "config/options.h"

#define CLIENT_PROFILE_DIR "/etc/openpptp/client"
#define CLIENT_PROFILE_NAME_MAX 64

/* A name is letters, digits, '.', '_', '-' (not first: '.' or '-'), at most
 * 64: it becomes a file name and a systemd instance name, never a path. */
bool client_profile_name_ok(const char *name);
/* DIR/NAME.conf; ERR_INVALID for a bad name, ERR_NOSPACE if too long. */
int client_profile_path(const char *dir, const char *name, char *out, size_t size);
/* Read DIR/NAME.conf into o (the command line still wins). Errors are
 * printed as "openpptp connect: ..."; 0 or ERR_INVALID. */
int client_profile_load(struct options *o, const char *dir, const char *name);

/* "0123..." (32 hex digits, either case) -> 16 bytes; ERR_INVALID otherwise. */
int client_nt_hash_parse(const char *text, uint8_t hash[16]);
void client_nt_hash_format(const uint8_t hash[16], char text[33]);

/* The INI text of a profile; values double-quoted with \\ \" \n \t escaped.
 * keys/values: the settings to keep, in order. secret_key/secret: the
 * "password" or "password-nt-hash" line (NULL: none). Returns the length,
 * or ERR_NOSPACE. */
int client_profile_format(char *out, size_t size, const char *name, const char *const *keys,
			  const char *const *values, size_t count, const char *secret_key, const char *secret);

/* --profile: read its file into o; refused together with --config. */
int client_profile_apply(struct options *o, const struct client_config *cfg);
/* password = / password-nt-hash = from the file into password or nt_hash
 * (auth: the allowed methods, a set of AUTH_METHOD_BIT: an NT hash needs
 * them all to be MS-CHAP). Errors printed; 0 or ERR_INVALID. */
int client_profile_secret(const struct client_config *cfg, unsigned auth, char *password, size_t password_size,
			  uint8_t nt_hash[16], bool *has_nt_hash);

/* `openpptp profile add|list|del ...` (client_profile_cli.c). */
int client_profile_main(int argc, char **argv);

#endif
