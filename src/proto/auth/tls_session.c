/* SPDX-License-Identifier: BSD-2-Clause */
/* TLS over memory for EAP-TLS: see tls_session.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "base/crypto.h"
#include "base/error.h"
#include "proto/auth/tls_session.h"

struct tls_session {
	gnutls_session_t s;
	bool server;
	bool done;
	const uint8_t *in; /* the peer's message being read */
	size_t in_len;
	size_t in_pos;
	struct eap_tls_out *out; /* where TLS writes */
	bool out_overflow;
	/* What the peer's certificate is checked against: GnuTLS keeps the
	 * pointer, not a copy, so it lives here. */
	gnutls_typed_vdata_st vdata[2];
	char error[160];
};

/* Transport callbacks: GnuTLS reads our input buffer and writes to out. */
static ssize_t pull(gnutls_transport_ptr_t ptr, void *buf, size_t len)
{
	struct tls_session *t = ptr;
	size_t left = t->in_len - t->in_pos;
	if (left == 0) {
		gnutls_transport_set_errno(t->s, EAGAIN);
		return -1;
	}
	size_t n = len < left ? len : left;
	memcpy(buf, t->in + t->in_pos, n);
	t->in_pos += n;
	return (ssize_t)n;
}

static int pull_timeout(gnutls_transport_ptr_t ptr, unsigned ms)
{
	struct tls_session *t = ptr;
	(void)ms;
	return t->in_pos < t->in_len ? 1 : 0;
}

static ssize_t push(gnutls_transport_ptr_t ptr, const void *buf, size_t len)
{
	struct tls_session *t = ptr;
	if (eap_tls_out_append(t->out, buf, len) < 0) {
		/* A flight beyond EAP_TLS_MAX_MESSAGE: fail the handshake. */
		t->out_overflow = true;
		gnutls_transport_set_errno(t->s, ENOBUFS);
		return -1;
	}
	return (ssize_t)len;
}

static void set_error(struct tls_session *t, const char *what, int err)
{
	snprintf(t->error, sizeof(t->error), "%s: %s", what, gnutls_strerror(err));
}

int tls_session_new(struct tls_session **out_s, const struct tls_creds *c, bool server, struct eap_tls_out *out)
{
	*out_s = NULL;
	struct tls_session *t = calloc(1, sizeof(*t));
	if (!t)
		return ERR_NOMEM;
	t->server = server;
	t->out = out;
	/* No session tickets: EAP-TLS sessions are not resumed here, and a
	 * ticket would be one more message in the exchange (RFC 9190 §2.1.2). */
	unsigned flags = (server ? GNUTLS_SERVER : GNUTLS_CLIENT) | GNUTLS_NO_TICKETS | GNUTLS_NONBLOCK;
	if (gnutls_init(&t->s, flags) < 0) {
		free(t);
		return ERR_NOMEM;
	}
	int rc = gnutls_priority_set(t->s, c->priority);
	if (rc >= 0)
		rc = gnutls_credentials_set(t->s, GNUTLS_CRD_CERTIFICATE, c->cred);
	if (rc < 0) {
		gnutls_deinit(t->s);
		free(t);
		return ERR_CRYPTO;
	}
	unsigned n = 0;
	if (server) {
		/* RFC 5216 §2.1: the peer authenticates with its certificate. */
		gnutls_certificate_server_set_request(t->s, GNUTLS_CERT_REQUIRE);
		t->vdata[n++] = (gnutls_typed_vdata_st){ .type = GNUTLS_DT_KEY_PURPOSE_OID,
							 .data = (unsigned char *)GNUTLS_KP_TLS_WWW_CLIENT };
	} else {
		t->vdata[n++] = (gnutls_typed_vdata_st){ .type = GNUTLS_DT_DNS_HOSTNAME,
							 .data = (unsigned char *)c->server_name };
		t->vdata[n++] = (gnutls_typed_vdata_st){ .type = GNUTLS_DT_KEY_PURPOSE_OID,
							 .data = (unsigned char *)GNUTLS_KP_TLS_WWW_SERVER };
	}
	gnutls_session_set_verify_cert2(t->s, t->vdata, n, 0);
	gnutls_transport_set_ptr(t->s, t);
	gnutls_transport_set_pull_function(t->s, pull);
	gnutls_transport_set_pull_timeout_function(t->s, pull_timeout);
	gnutls_transport_set_push_function(t->s, push);
	/* Our EAP timers bound the exchange, not GnuTLS's clock. */
	gnutls_handshake_set_timeout(t->s, 0);
	*out_s = t;
	return 0;
}

void tls_session_destroy(struct tls_session *t)
{
	if (!t)
		return;
	gnutls_deinit(t->s);
	crypto_wipe(t, sizeof(*t));
	free(t);
}

void tls_session_input(struct tls_session *t, const uint8_t *data, size_t len)
{
	t->in = data;
	t->in_len = len;
	t->in_pos = 0;
}

static void verify_error(struct tls_session *t)
{
	gnutls_datum_t text = { NULL, 0 };
	unsigned status = gnutls_session_get_verify_cert_status(t->s);
	if (gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &text, 0) == 0 && text.data) {
		snprintf(t->error, sizeof(t->error), "%s certificate rejected: %s", t->server ? "peer" : "server",
			 (const char *)text.data);
		gnutls_free(text.data);
	} else {
		snprintf(t->error, sizeof(t->error), "%s certificate rejected (status 0x%x)",
			 t->server ? "peer" : "server", status);
	}
}

int tls_session_handshake(struct tls_session *t)
{
	if (t->done)
		return TLS_SESSION_DONE;
	int rc = gnutls_handshake(t->s);
	if (rc == GNUTLS_E_SUCCESS) {
		t->done = true;
		t->in = NULL;
		t->in_len = t->in_pos = 0;
		return TLS_SESSION_DONE;
	}
	if (rc == GNUTLS_E_AGAIN || rc == GNUTLS_E_INTERRUPTED) {
		if (t->out_overflow) {
			snprintf(t->error, sizeof(t->error), "our TLS flight exceeds %u bytes", EAP_TLS_MAX_MESSAGE);
			return ERR_CRYPTO;
		}
		return TLS_SESSION_AGAIN;
	}
	if (rc == GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR) {
		verify_error(t);
	} else if (rc == GNUTLS_E_FATAL_ALERT_RECEIVED || rc == GNUTLS_E_WARNING_ALERT_RECEIVED) {
		snprintf(t->error, sizeof(t->error), "peer sent TLS alert: %s",
			 gnutls_alert_get_name(gnutls_alert_get(t->s)));
	} else {
		set_error(t, "TLS handshake", rc);
	}
	/* An alert tells the peer why (RFC 5216 §2.1.3); it goes out in
	 * what the method sends next. */
	if (rc != GNUTLS_E_FATAL_ALERT_RECEIVED)
		(void)gnutls_alert_send_appropriate(t->s, rc);
	return rc == GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR ? ERR_AUTH : ERR_CRYPTO;
}

int tls_session_read(struct tls_session *t, uint8_t *buf, size_t len)
{
	if (!t->done)
		return ERR_STATE;
	if (t->in_pos >= t->in_len)
		return 0;
	ssize_t n = gnutls_record_recv(t->s, buf, len);
	if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED)
		return 0;
	if (n < 0) {
		set_error(t, "TLS read", (int)n);
		return ERR_CRYPTO;
	}
	return (int)n;
}

int tls_session_write(struct tls_session *t, const uint8_t *data, size_t len)
{
	if (!t->done)
		return ERR_STATE;
	ssize_t n = gnutls_record_send(t->s, data, len);
	if (n < 0 || (size_t)n != len) {
		set_error(t, "TLS write", n < 0 ? (int)n : GNUTLS_E_INTERNAL_ERROR);
		return ERR_CRYPTO;
	}
	return 0;
}

bool tls_session_is_tls13(const struct tls_session *t)
{
	return gnutls_protocol_get_version(t->s) == GNUTLS_TLS1_3;
}

int tls_session_key_material(struct tls_session *t, uint8_t out[TLS_SESSION_KEY_MATERIAL])
{
	static const char label12[] = "client EAP encryption";
	static const char label13[] = "EXPORTER_EAP_TLS_Key_Material";
	static const char type_code[] = { 0x0D };
	int rc;
	if (!t->done)
		return ERR_STATE;
	if (tls_session_is_tls13(t))
		rc = gnutls_prf_rfc5705(t->s, sizeof(label13) - 1, label13, sizeof(type_code), type_code,
					TLS_SESSION_KEY_MATERIAL, (char *)out);
	else
		rc = gnutls_prf_rfc5705(t->s, sizeof(label12) - 1, label12, 0, NULL, TLS_SESSION_KEY_MATERIAL,
					(char *)out);
	if (rc < 0) {
		set_error(t, "TLS key export", rc);
		return ERR_CRYPTO;
	}
	return 0;
}

const char *tls_session_error(const struct tls_session *t)
{
	return t->error;
}

static bool import_peer(struct tls_session *t, gnutls_x509_crt_t *crt)
{
	unsigned n = 0;
	const gnutls_datum_t *certs = gnutls_certificate_get_peers(t->s, &n);
	if (!certs || n == 0 || gnutls_x509_crt_init(crt) < 0)
		return false;
	if (gnutls_x509_crt_import(*crt, &certs[0], GNUTLS_X509_FMT_DER) < 0) {
		gnutls_x509_crt_deinit(*crt);
		return false;
	}
	return true;
}

bool tls_session_peer_names(struct tls_session *t, const char *name)
{
	gnutls_x509_crt_t crt;
	if (!name[0] || !import_peer(t, &crt))
		return false;
	char cn[256];
	size_t sz = sizeof(cn);
	bool ok = gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, cn, &sz) == 0 &&
		  strcmp(cn, name) == 0;
	if (!ok)
		ok = gnutls_x509_crt_check_hostname2(crt, name, GNUTLS_VERIFY_DO_NOT_ALLOW_WILDCARDS) != 0 ||
		     gnutls_x509_crt_check_email(crt, name, 0) != 0;
	gnutls_x509_crt_deinit(crt);
	return ok;
}

void tls_session_peer_subject(struct tls_session *t, char *buf, size_t len)
{
	gnutls_x509_crt_t crt;
	buf[0] = '\0';
	if (!import_peer(t, &crt))
		return;
	size_t sz = len;
	if (gnutls_x509_crt_get_dn(crt, buf, &sz) < 0)
		buf[0] = '\0';
	gnutls_x509_crt_deinit(crt);
}
