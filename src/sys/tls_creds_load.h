/* SPDX-License-Identifier: BSD-2-Clause */
/* Load the EAP-TLS certificates (tls_creds.h) from files: at start, as
 * root, before the privilege drop and the seccomp filter. */
#ifndef OPENPPTP_SYS_TLS_CREDS_LOAD_H
#define OPENPPTP_SYS_TLS_CREDS_LOAD_H

#include <stdbool.h>

#include "proto/auth/tls_creds.h"

struct tls_creds_files {
	const char *cert;        /* PEM: our certificate (chain) */
	const char *key;         /* PEM: its private key */
	const char *ca;          /* PEM: the CA(s) the peer's certificate must chain to */
	const char *crl;         /* PEM, optional: revoked certificates */
	const char *server_name; /* client: the name the server's certificate must carry */
	enum tls_max_version max_version;
	bool client;
};

/* NULL in *out and 0 when no EAP-TLS option is set. Errors go to stderr
 * as "openpptp <command>: ..." and give ERR_INVALID. */
int tls_creds_load(struct tls_creds **out, const struct tls_creds_files *f, const char *command);
void tls_creds_destroy(struct tls_creds *c);

#endif
