/* SPDX-License-Identifier: BSD-2-Clause */
/* Loading the EAP-TLS certificates: see tls_creds_load.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "base/error.h"
#include "sys/tls_creds_load.h"

/* TLS 1.2 unless asked (Debian's pppd 2.4.9 treats 1.3 as experimental);
 * TLS 1.3 per RFC 9190 allows both. Nothing older: RFC 5216 names 1.0,
 * but no peer we meet needs it. */
static const char *priority_text(enum tls_max_version v)
{
	return v == TLS_MAX_VERSION_1_3 ? "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"
					: "NORMAL:-VERS-ALL:+VERS-TLS1.2";
}

void tls_creds_destroy(struct tls_creds *c)
{
	if (!c)
		return;
	if (c->cred)
		gnutls_certificate_free_credentials(c->cred);
	if (c->priority)
		gnutls_priority_deinit(c->priority);
	free(c->server_name);
	free(c);
}

static int fail(struct tls_creds *c, const char *command, const char *what, const char *file, int err)
{
	fprintf(stderr, "openpptp %s: %s %s: %s\n", command, what, file ? file : "", gnutls_strerror(err));
	tls_creds_destroy(c);
	return ERR_INVALID;
}

int tls_creds_load(struct tls_creds **out, const struct tls_creds_files *f, const char *command)
{
	*out = NULL;
	if (!f->cert && !f->key && !f->ca && !f->crl && !f->server_name)
		return 0;
	if (!f->cert || !f->key || !f->ca) {
		fprintf(stderr, "openpptp %s: EAP-TLS needs --eap-tls-cert, --eap-tls-key and --eap-tls-ca\n", command);
		return ERR_INVALID;
	}
	if (f->client && !f->server_name) {
		/* Without a name any certificate of the CA would pass as the server. */
		fprintf(stderr, "openpptp %s: EAP-TLS needs --eap-tls-server-name (the name in the server's certificate)\n",
			command);
		return ERR_INVALID;
	}
	struct tls_creds *c = calloc(1, sizeof(*c));
	if (!c)
		return ERR_NOMEM;
	c->max_version = f->max_version;
	if (f->server_name && !(c->server_name = strdup(f->server_name))) {
		tls_creds_destroy(c);
		return ERR_NOMEM;
	}
	int rc = gnutls_certificate_allocate_credentials(&c->cred);
	if (rc < 0)
		return fail(c, command, "TLS credentials", NULL, rc);
	rc = gnutls_certificate_set_x509_trust_file(c->cred, f->ca, GNUTLS_X509_FMT_PEM);
	if (rc <= 0)
		return fail(c, command, "--eap-tls-ca", f->ca, rc < 0 ? rc : GNUTLS_E_NO_CERTIFICATE_FOUND);
	if (f->crl) {
		rc = gnutls_certificate_set_x509_crl_file(c->cred, f->crl, GNUTLS_X509_FMT_PEM);
		if (rc < 0)
			return fail(c, command, "--eap-tls-crl", f->crl, rc);
	}
	rc = gnutls_certificate_set_x509_key_file(c->cred, f->cert, f->key, GNUTLS_X509_FMT_PEM);
	if (rc < 0)
		return fail(c, command, "--eap-tls-cert/--eap-tls-key", f->cert, rc);
	const char *err_pos = NULL;
	rc = gnutls_priority_init(&c->priority, priority_text(f->max_version), &err_pos);
	if (rc < 0)
		return fail(c, command, "TLS priority", err_pos, rc);
	*out = c;
	return 0;
}
