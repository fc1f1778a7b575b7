/* SPDX-License-Identifier: BSD-2-Clause */
/* Checking a CHAP Response Value, per algorithm (see chap_verify.h). Each
 * verifier may return as soon as it knows the verdict: the hashes it derives
 * live in struct chap_keys, which chap_verify_response wipes on its one way
 * out. */
#include <stdio.h>
#include <string.h>

#include "base/crypto.h"
#include "proto/auth/auth_internal.h"
#include "proto/auth/auth_wire.h"
#include "proto/auth/chap_verify.h"

/* Everything derived from the secret during one check. */
struct chap_keys {
	uint8_t nt_hash[MSCHAP_NT_HASH_SIZE];
	uint8_t lm_hash[16];
	uint8_t expected[MSCHAP_NT_RESPONSE_SIZE];   /* also holds an MD5 digest */
};

static void verdict_refuse(struct chap_verdict *v, enum auth_cause cause, const char *reason)
{
	v->cause = cause;
	v->reason = reason;
}

static void verdict_accept(struct chap_verdict *v, const char *auth_response)
{
	v->cause = AUTH_CAUSE_NONE;
	v->reason = NULL;
	if (auth_response) /* RFC 2759 §5: "S=<auth_string> M=<message>" */
		snprintf(v->message, sizeof(v->message), "%s M=Access granted", auth_response);
	else
		snprintf(v->message, sizeof(v->message), "Access granted");
}

/* RFC 1994 §4.1 / §2.2: Value = MD5(Identifier | secret | Challenge). */
static void verify_md5(const struct chap_response_check *in, struct chap_keys *k, struct chap_verdict *v)
{
	if (in->secret->kind != AUTH_SECRET_PASSWORD) {
		verdict_refuse(v, AUTH_CAUSE_NO_SECRET, "secret is an NT hash; CHAP-MD5 needs the plaintext");
		return;
	}
	if (in->value_len != CRYPTO_MD5_SIZE) {
		verdict_refuse(v, AUTH_CAUSE_WRONG_PASSWORD, "wrong password");
		return;
	}
	const struct crypto_part parts[] = {
		{ &in->id, 1 },
		{ in->secret->password, in->secret->password_len },
		{ in->challenge, in->challenge_len },
	};
	crypto_md5(parts, 3, k->expected);
	if (!crypto_equal(k->expected, in->value, CRYPTO_MD5_SIZE)) {
		verdict_refuse(v, AUTH_CAUSE_WRONG_PASSWORD, "wrong password");
		return;
	}
	verdict_accept(v, NULL);
}

/* Both MS-CHAPs start from the NT hash (RFC 2759 §8.3), whether the
 * secret is the plaintext or the hash itself. */
static bool nt_hash_or_refuse(const struct chap_response_check *in, struct chap_keys *k, struct chap_verdict *v)
{
	if (auth_secret_nt_hash(in->secret, k->nt_hash) == 0)
		return true;
	verdict_refuse(v, AUTH_CAUSE_NO_SECRET, "stored password is not valid UTF-8");
	return false;
}

/* RFC 2433 §6: the NT response, DES of the 8-octet Challenge under the NT
 * hash. The LM hash is kept only for RFC 3079 §2.1/2.2 40/56-bit keys. */
static void verify_mschapv1(const struct chap_response_check *in, struct chap_keys *k,
			    struct auth_mppe_material *m, struct chap_verdict *v)
{
	bool has_lm = in->secret->kind == AUTH_SECRET_PASSWORD;
	struct mschapv1_response r;

	if (has_lm)
		mschap_lm_password_hash(in->secret->password, in->secret->password_len, k->lm_hash);
	if (!nt_hash_or_refuse(in, k, v))
		return;
	if (mschapv1_response_parse(in->value, in->value_len, &r) < 0) {
		verdict_refuse(v, AUTH_CAUSE_REJECTED, "MS-CHAPv1 response of wrong size");
		return;
	}
	if (r.use_nt != 1) {
		/* RFC 2433 §6: LM responses are deprecated; we only check NT. */
		verdict_refuse(v, AUTH_CAUSE_REJECTED, "peer sent only a LAN Manager response");
		return;
	}
	mschapv1_nt_response_from_hash(in->challenge, k->nt_hash, k->expected);
	if (!crypto_equal(k->expected, r.nt_response, MSCHAP_NT_RESPONSE_SIZE)) {
		verdict_refuse(v, AUTH_CAUSE_WRONG_PASSWORD, "wrong password");
		return;
	}
	m->valid = true;
	m->is_server = true;
	mschap_hash_nt_password_hash(k->nt_hash, m->password_hash_hash);
	memcpy(m->challenge, in->challenge, MSCHAP_V1_CHALLENGE_SIZE);
	memset(m->nt_response, 0, sizeof(m->nt_response));
	memcpy(m->nt_response, r.nt_response, MSCHAP_NT_RESPONSE_SIZE);
	m->has_lm_password_hash = has_lm;
	if (has_lm)
		memcpy(m->lm_password_hash, k->lm_hash, sizeof(k->lm_hash));
	verdict_accept(v, NULL);
}

/* RFC 2759 §4 checks the NT response over both challenges and the user
 * name; §5 answers with the authenticator response S=. */
static void verify_mschapv2(const struct chap_response_check *in, struct chap_keys *k,
			    struct auth_mppe_material *m, struct chap_verdict *v)
{
	struct mschapv2_response r;
	char authresp[MSCHAP_AUTH_RESPONSE_LEN + 1];

	if (!nt_hash_or_refuse(in, k, v))
		return;
	if (mschapv2_response_parse(in->value, in->value_len, &r) < 0) {
		verdict_refuse(v, AUTH_CAUSE_REJECTED, "malformed MS-CHAPv2 response value");
		return;
	}
	mschapv2_nt_response_from_hash(in->challenge, r.peer_challenge, in->user, k->nt_hash, k->expected);
	if (!crypto_equal(k->expected, r.nt_response, MSCHAP_NT_RESPONSE_SIZE)) {
		verdict_refuse(v, AUTH_CAUSE_WRONG_PASSWORD, "wrong password");
		return;
	}
	mschapv2_authenticator_response_from_hash(k->nt_hash, r.nt_response, r.peer_challenge, in->challenge,
						  in->user, authresp);
	m->valid = true;
	m->is_server = true;
	mschap_hash_nt_password_hash(k->nt_hash, m->password_hash_hash);
	memcpy(m->nt_response, r.nt_response, MSCHAP_NT_RESPONSE_SIZE);
	verdict_accept(v, authresp);
}

void chap_verify_response(uint8_t algorithm, const struct chap_response_check *in,
			  struct auth_mppe_material *mppe, struct chap_verdict *out)
{
	struct chap_keys k;

	memset(&k, 0, sizeof(k));
	switch (algorithm) {
	case AUTH_CHAP_MD5:
		verify_md5(in, &k, out);
		break;
	case AUTH_CHAP_MSCHAPV1:
		verify_mschapv1(in, &k, mppe, out);
		break;
	case AUTH_CHAP_MSCHAPV2:
		verify_mschapv2(in, &k, mppe, out);
		break;
	default:
		verdict_refuse(out, AUTH_CAUSE_REJECTED, "unknown CHAP algorithm");
		break;
	}
	crypto_wipe(&k, sizeof(k));
}
