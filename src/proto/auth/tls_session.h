/* SPDX-License-Identifier: BSD-2-Clause */
/* One TLS handshake over memory (for EAP-TLS, RFC 5216): GnuTLS with our
 * own transport callbacks and no socket. The caller hands in the peer's
 * reassembled TLS message (tls_session_input), steps the handshake and
 * takes what TLS wrote from the eap_tls_out it gave at creation. Nothing
 * here makes a system call beyond what GnuTLS needs itself (getrandom,
 * the clock). */
#ifndef OPENPPTP_PROTO_AUTH_TLS_SESSION_H
#define OPENPPTP_PROTO_AUTH_TLS_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/auth/eap_tls_frame.h"
#include "proto/auth/tls_creds.h"

/* 128 bytes of key material (RFC 5216 §2.3, RFC 9190 §2.3). */
#define TLS_SESSION_KEY_MATERIAL 128

enum tls_session_status {
	TLS_SESSION_AGAIN = 1, /* more from the peer needed */
	TLS_SESSION_DONE = 2,  /* handshake complete, peer verified */
};

struct tls_session;

/* server: we are the EAP authenticator. out receives every TLS byte we
 * write; it must outlive the session. ERR_NOMEM, ERR_CRYPTO. */
int tls_session_new(struct tls_session **out_s, const struct tls_creds *c, bool server, struct eap_tls_out *out);
void tls_session_destroy(struct tls_session *s);

/* The peer's next TLS message; it is read by the next step (the bytes
 * must stay valid until then). */
void tls_session_input(struct tls_session *s, const uint8_t *data, size_t len);
/* Drive the handshake with what input there is. A status, or ERR_AUTH
 * (the peer's certificate failed the checks) / ERR_CRYPTO (any other TLS
 * failure); then tls_session_error() says why, and out may hold an alert
 * for the peer. */
int tls_session_handshake(struct tls_session *s);
/* After the handshake: read application data from the input, e.g. the
 * TLS 1.3 protected success indication (RFC 9190 §2.5). Returns the
 * bytes read (0 when none), or ERR_CRYPTO. */
int tls_session_read(struct tls_session *s, uint8_t *buf, size_t len);
/* After the handshake: write application data (the server's one-octet
 * 0x00 of RFC 9190 §2.5). */
int tls_session_write(struct tls_session *s, const uint8_t *data, size_t len);
bool tls_session_is_tls13(const struct tls_session *s);
/* RFC 5216 §2.3 (TLS 1.2: PRF "client EAP encryption", no context) or
 * RFC 9190 §2.3 (TLS 1.3: exporter "EXPORTER_EAP_TLS_Key_Material",
 * context the Type-Code 0x0D). */
int tls_session_key_material(struct tls_session *s, uint8_t out[TLS_SESSION_KEY_MATERIAL]);
/* A human reason for the last failure ("" if none). */
const char *tls_session_error(const struct tls_session *s);
/* Does the peer's certificate name `name`: its subject CN equal to it, or
 * a DNS name or e-mail address (subjectAltName) that matches it? (How the
 * authenticator binds the EAP Identity to the certificate, RFC 5216 §5.2.) */
bool tls_session_peer_names(struct tls_session *s, const char *name);
/* The peer certificate's subject DN, for the log ("" if none). */
void tls_session_peer_subject(struct tls_session *s, char *buf, size_t len);

#endif
