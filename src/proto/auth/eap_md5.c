/* SPDX-License-Identifier: BSD-2-Clause */
/* EAP MD5-Challenge (RFC 3748 §5.4): CHAP-MD5 inside EAP. */
#include <string.h>

#include "base/crypto.h"
#include "base/error.h"
#include "proto/auth/auth_internal.h"
#include "proto/auth/auth_wire.h"
#include "proto/auth/eap_method.h"

#define EAP_MD5_CHALLENGE_SIZE 16

static int md5_auth_start(struct auth *a, struct writer *w)
{
	struct auth_eap_state *s = &a->u.eap;
	const char *name = a->cfg.local_name ? a->cfg.local_name : "";

	random_fill(&a->cfg.random, s->md5_challenge, EAP_MD5_CHALLENGE_SIZE);
	writer_u8(w, EAP_MD5_CHALLENGE_SIZE);
	writer_bytes(w, s->md5_challenge, EAP_MD5_CHALLENGE_SIZE);
	writer_bytes(w, name, strlen(name));
	return writer_ok(w) ? 0 : ERR_NOSPACE;
}

static void outcome(struct eap_method_outcome *out, enum auth_cause cause, const char *reason)
{
	out->cause = cause;
	strncpy(out->reason, reason, sizeof(out->reason) - 1);
	out->reason[sizeof(out->reason) - 1] = '\0';
}

static int md5_auth_response(struct auth *a, uint8_t id, const uint8_t *data, size_t len,
			     struct writer *next, struct eap_method_outcome *out)
{
	struct auth_eap_state *s = &a->u.eap;
	struct eap_md5_data d;
	struct auth_secret secret;
	uint8_t expected[CRYPTO_MD5_SIZE];
	int rc = eap_md5_parse(data, len, &d);

	(void)next;
	if (rc < 0)
		return rc;
	if (d.value_len != CRYPTO_MD5_SIZE)
		return ERR_LENGTH;
	/* The user is the EAP Identity; the MD5 Name is informational. */
	if (auth_lookup(a, s->identity, &secret) < 0) {
		outcome(out, AUTH_CAUSE_WRONG_PASSWORD, "unknown user");
		return EAP_METHOD_FAILURE;
	}
	if (secret.kind != AUTH_SECRET_PASSWORD) {
		auth_secret_wipe(&secret);
		outcome(out, AUTH_CAUSE_NO_SECRET, "secret is an NT hash; EAP-MD5 needs the plaintext");
		return EAP_METHOD_FAILURE;
	}
	const struct crypto_part parts[] = {
		{ &id, 1 },
		{ secret.password, secret.password_len },
		{ s->md5_challenge, EAP_MD5_CHALLENGE_SIZE },
	};
	crypto_md5(parts, 3, expected);
	auth_secret_wipe(&secret);
	bool ok = crypto_equal(expected, d.value, CRYPTO_MD5_SIZE);
	crypto_wipe(expected, sizeof(expected));
	if (!ok) {
		outcome(out, AUTH_CAUSE_WRONG_PASSWORD, "wrong password");
		return EAP_METHOD_FAILURE;
	}
	return EAP_METHOD_SUCCESS;
}

/* A peer with an EAP-TLS certificate Naks MD5 (asking for TLS): it has
 * no MPPE keys to give, and a certificate user should not fall back to
 * a password hash the authenticator chose. */
static bool md5_peer_usable(const struct auth *a)
{
	return a->cfg.secret.kind == AUTH_SECRET_PASSWORD && !a->cfg.eap_tls;
}

static int md5_peer_request(struct auth *a, uint8_t id, const uint8_t *data, size_t len, struct writer *w)
{
	struct eap_md5_data d;
	uint8_t value[CRYPTO_MD5_SIZE];
	int rc = eap_md5_parse(data, len, &d);

	if (rc < 0)
		return rc;
	const struct crypto_part parts[] = {
		{ &id, 1 },
		{ a->cfg.secret.password, a->cfg.secret.password_len },
		{ d.value, d.value_len },
	};
	crypto_md5(parts, 3, value);
	writer_u8(w, CRYPTO_MD5_SIZE);
	writer_bytes(w, value, sizeof(value));
	writer_bytes(w, a->cfg.user, strlen(a->cfg.user));
	crypto_wipe(value, sizeof(value));
	return writer_ok(w) ? 0 : ERR_NOSPACE;
}

const struct eap_method eap_method_md5 = {
	.type = EAP_TYPE_MD5_CHALLENGE,
	.name = "MD5-Challenge",
	.reported = AUTH_METHOD_EAP_MD5,
	.auth_start = md5_auth_start,
	.auth_response = md5_auth_response,
	.peer_usable = md5_peer_usable,
	.peer_request = md5_peer_request,
};
