/* SPDX-License-Identifier: BSD-2-Clause */
/* The certificates and settings EAP-TLS (RFC 5216) runs with: loaded once
 * at start, before the privilege drop (src/sys/tls_creds_load.c), then
 * shared read-only by every session's TLS engine (tls_session.h). */
#ifndef OPENPPTP_PROTO_AUTH_TLS_CREDS_H
#define OPENPPTP_PROTO_AUTH_TLS_CREDS_H

#include <stdbool.h>
#include <stddef.h>

#include <gnutls/gnutls.h>

enum tls_max_version {
	TLS_MAX_VERSION_1_2 = 0, /* default: what Debian's pppd 2.4.9 speaks by default */
	TLS_MAX_VERSION_1_3 = 1, /* RFC 9190 */
};

struct tls_creds {
	gnutls_certificate_credentials_t cred; /* our certificate + key, CA, CRL */
	gnutls_priority_t priority;
	enum tls_max_version max_version;
	/* client: the name the server's certificate must carry (RFC 6125
	 * DNS-ID or CN); never NULL on a client. */
	char *server_name;
};

#endif
