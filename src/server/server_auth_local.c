/* SPDX-License-Identifier: BSD-2-Clause */
/* The secrets file as an authenticator (server_auth.h): the verdict on a
 * PPP authenticator's request from the chap-secrets entry of its name (or
 * of the name without "DOMAIN\", docs/auth.md), checked as the engines
 * check it themselves (chap_verify.h; PAP in constant time). */
#include "server/server_internal.h"

#include <stdio.h>
#include <string.h>

#include "base/crypto.h"
#include "base/error.h"
#include "proto/auth/auth_method.h"
#include "proto/auth/chap_verify.h"
#include "proto/auth/mschap_crypto.h"

static const struct secret_entry *local_entry(const struct server *s, const char *user)
{
	const struct secret_entry *e = secrets_lookup(&s->secrets, user, s->cfg->name);
	const char *bare = mschap_strip_domain(user);
	if (!e && bare != user)
		e = secrets_lookup(&s->secrets, bare, s->cfg->name);
	return e;
}

static void local_secret(const struct secret_entry *e, struct auth_secret *out)
{
	memset(out, 0, sizeof(*out));
	if (e->kind == SECRET_NTHASH)
		auth_secret_set_nt_hash(out, e->nthash);
	else if (auth_secret_set_password(out, e->secret) < 0)
		out->kind = AUTH_SECRET_NONE;
}

static void local_pap(const struct auth_verify_request *r, const struct auth_secret *secret, struct auth_verdict *v)
{
	if (secret->kind != AUTH_SECRET_PASSWORD) {
		v->cause = AUTH_CAUSE_NO_SECRET;
		snprintf(v->reason, sizeof(v->reason), "secret is an NT hash; PAP needs the plaintext");
		return;
	}
	bool same_len = secret->password_len == r->password_len;
	bool same = crypto_equal(secret->password, same_len ? (const void *)r->password : secret->password,
				 secret->password_len) && same_len;
	v->cause = same ? AUTH_CAUSE_NONE : AUTH_CAUSE_WRONG_PASSWORD;
	if (!same)
		snprintf(v->reason, sizeof(v->reason), "wrong password");
}

void server_auth_local_verify(const struct server *s, const struct auth_verify_request *r, struct auth_verdict *v,
			      uint32_t *static_address)
{
	memset(v, 0, sizeof(*v));
	*static_address = 0;
	if (r->method == AUTH_METHOD_EAP_MD5) {
		/* EAP under --auth-source radius is passed through (eap_relay.h);
		 * the secrets file cannot take over in the middle of a method. */
		v->cause = AUTH_CAUSE_REJECTED;
		snprintf(v->reason, sizeof(v->reason), "EAP needs a RADIUS server; none answered");
		return;
	}
	const struct secret_entry *e = local_entry(s, r->user);
	if (!e || secret_addrs_is_empty(&e->addrs)) {
		v->cause = AUTH_CAUSE_WRONG_PASSWORD; /* like a wrong password on the wire */
		snprintf(v->reason, sizeof(v->reason), e ? "the secrets file allows this user no address"
							  : "unknown user in the secrets file");
		return;
	}
	struct auth_secret secret;
	local_secret(e, &secret);
	if (r->method == AUTH_METHOD_PAP) {
		local_pap(r, &secret, v);
	} else {
		uint16_t protocol;
		uint8_t algorithm = 0;
		(void)auth_method_to_lcp(r->method, &protocol, &algorithm);
		struct chap_verdict cv = { .cause = AUTH_CAUSE_REJECTED };
		const struct chap_response_check in = {
			.id = r->id,
			.challenge = r->challenge,
			.challenge_len = r->challenge_len,
			.user = r->user,
			.value = r->value,
			.value_len = r->value_len,
			.secret = &secret,
		};
		chap_verify_response(algorithm, &in, &v->mppe, &cv);
		v->cause = cv.cause;
		if (cv.cause == AUTH_CAUSE_NONE)
			snprintf(v->message, sizeof(v->message), "%s", cv.message);
		else
			snprintf(v->reason, sizeof(v->reason), "%s", cv.reason ? cv.reason : "refused");
	}
	auth_secret_wipe(&secret);
	if (v->cause == AUTH_CAUSE_NONE)
		*static_address = secret_entry_static_ip(e);
}
