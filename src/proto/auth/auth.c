/* SPDX-License-Identifier: BSD-2-Clause */
/* The common auth engine shell: method table, config, timers, results. */
#include "proto/auth/auth.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/crypto.h"
#include "base/error.h"
#include "base/text_escape.h"
#include "proto/auth/auth_internal.h"

#define AUTH_DEFAULT_RESTART_MS 3000
#define AUTH_DEFAULT_MAX_TRANSMITS 10

/* Only the negotiated methods have an engine; EAP's runs all EAP methods. */
static const struct auth_method_ops *const methods[AUTH_METHOD_NEGOTIATED_COUNT] = {
	[AUTH_METHOD_NONE] = NULL,
	[AUTH_METHOD_PAP] = &auth_pap_ops,
	[AUTH_METHOD_CHAP_MD5] = &auth_chap_md5_ops,
	[AUTH_METHOD_MSCHAPV1] = &auth_mschapv1_ops,
	[AUTH_METHOD_MSCHAPV2] = &auth_mschapv2_ops,
	[AUTH_METHOD_EAP_MD5] = &auth_eap_ops,
};

const struct auth_method_ops *auth_method_ops(enum auth_method method)
{
	if ((unsigned)method >= AUTH_METHOD_NEGOTIATED_COUNT)
		return NULL;
	return methods[method];
}

const char *auth_cause_name(enum auth_cause cause)
{
	switch (cause) {
	case AUTH_CAUSE_NONE: return "none";
	case AUTH_CAUSE_WRONG_PASSWORD: return "wrong-password";
	case AUTH_CAUSE_REJECTED: return "rejected";
	case AUTH_CAUSE_TIMEOUT: return "timeout";
	case AUTH_CAUSE_BAD_AUTHENTICATOR: return "bad-authenticator-response";
	case AUTH_CAUSE_NO_SECRET: return "no-usable-secret";
	case AUTH_CAUSE_UNSUPPORTED: return "unsupported";
	}
	return "unknown";
}

int auth_secret_set_password(struct auth_secret *s, const char *password)
{
	size_t n = strlen(password);

	memset(s, 0, sizeof(*s));
	if (n > AUTH_MAX_PASSWORD)
		return ERR_LENGTH;
	s->kind = AUTH_SECRET_PASSWORD;
	memcpy(s->password, password, n);
	s->password_len = n;
	return 0;
}

void auth_secret_set_nt_hash(struct auth_secret *s, const uint8_t nt_hash[MSCHAP_NT_HASH_SIZE])
{
	memset(s, 0, sizeof(*s));
	s->kind = AUTH_SECRET_NT_HASH;
	memcpy(s->nt_hash, nt_hash, MSCHAP_NT_HASH_SIZE);
}

void auth_secret_wipe(struct auth_secret *s)
{
	crypto_wipe(s, sizeof(*s));
}

int auth_secret_nt_hash(const struct auth_secret *s, uint8_t hash[MSCHAP_NT_HASH_SIZE])
{
	switch (s->kind) {
	case AUTH_SECRET_PASSWORD:
		return mschap_nt_password_hash(s->password, s->password_len, hash);
	case AUTH_SECRET_NT_HASH:
		memcpy(hash, s->nt_hash, MSCHAP_NT_HASH_SIZE);
		return 0;
	case AUTH_SECRET_NONE:
		break;
	}
	return ERR_NOT_FOUND;
}

uint32_t auth_restart_ms(const struct auth *a)
{
	return a->cfg.restart_ms ? a->cfg.restart_ms : AUTH_DEFAULT_RESTART_MS;
}

uint32_t auth_max_transmits(const struct auth *a)
{
	return a->cfg.max_transmits ? a->cfg.max_transmits : AUTH_DEFAULT_MAX_TRANSMITS;
}

uint32_t auth_wait_ms(const struct auth *a)
{
	if (a->cfg.wait_ms)
		return a->cfg.wait_ms;
	return auth_restart_ms(a) * auth_max_transmits(a);
}

int auth_init(struct auth *a, enum auth_method method, const struct auth_config *cfg)
{
	const struct auth_method_ops *ops = auth_method_ops(method);

	if (!ops || !cfg || !cfg->output || !cfg->random.fill)
		return ERR_INVALID;
	if (cfg->role == AUTH_ROLE_AUTHENTICATOR && !cfg->lookup && !cfg->remote_verify)
		return ERR_INVALID;
	if (cfg->role == AUTH_ROLE_AUTHENTICATOR && cfg->remote_verify && !ops->verdict)
		return ERR_UNSUPPORTED;
	if (cfg->role == AUTH_ROLE_PEER && (!cfg->user || strlen(cfg->user) > AUTH_MAX_NAME))
		return ERR_INVALID;
	if (cfg->local_name && strlen(cfg->local_name) > AUTH_MAX_NAME)
		return ERR_INVALID;
	if (cfg->secret.password_len > AUTH_MAX_PASSWORD)
		return ERR_INVALID;
	memset(a, 0, sizeof(*a));
	a->ops = ops;
	a->cfg = *cfg;
	a->deadline = DEADLINE_NONE;
	a->bad_log = (struct log_limit)LOG_LIMIT_INIT(5, 10000);
	a->result.method = method;
	a->result.role = cfg->role;
	return 0;
}

int auth_start(struct auth *a, uint64_t now_ms)
{
	return a->ops->start(a, now_ms);
}

int auth_input(struct auth *a, const uint8_t *payload, size_t len, uint64_t now_ms)
{
	return a->ops->input(a, payload, len, now_ms);
}

const struct auth_result *auth_next_result(struct auth *a)
{
	if (!a->result_waiting)
		return NULL;
	a->result_waiting = false;
	return &a->result;
}

const struct auth_verify_request *auth_next_verify(struct auth *a)
{
	if (!a->verify_waiting)
		return NULL;
	a->verify_waiting = false;
	return &a->verify;
}

void auth_verify_done(struct auth *a, const struct auth_verdict *v, uint64_t now_ms)
{
	if (!a->ops || !a->verify_pending || !a->ops->verdict)
		return;
	a->verify_pending = false;
	a->verify_waiting = false;
	a->ops->verdict(a, v, now_ms);
	auth_verify_clear(a);
}

bool auth_verify_is_pending(const struct auth *a)
{
	return a->verify_pending;
}

uint32_t auth_verify_timeout_ms(const struct auth *a)
{
	return a->cfg.verify_timeout_ms ? a->cfg.verify_timeout_ms : 30000;
}

void auth_request_verify(struct auth *a, uint64_t now_ms)
{
	a->verify_waiting = true;
	a->verify_pending = true;
	a->deadline = now_ms + auth_verify_timeout_ms(a);
}

void auth_verify_clear(struct auth *a)
{
	a->verify_waiting = false;
	a->verify_pending = false;
	crypto_wipe(a->verify.password, sizeof(a->verify.password));
	a->verify.password_len = 0;
}

uint64_t auth_next_deadline(const struct auth *a)
{
	return a->deadline;
}

void auth_on_timeout(struct auth *a, uint64_t now_ms)
{
	if (a->deadline == DEADLINE_NONE || now_ms < a->deadline)
		return;
	a->ops->on_timeout(a, now_ms);
}

static void auth_forget_last(struct auth *a)
{
	if (a->last) {
		crypto_wipe(a->last, a->last_len); /* a PAP request holds the password */
		free(a->last);
	}
	a->last = NULL;
	a->last_len = 0;
}

void auth_destroy(struct auth *a)
{
	if (a->ops && a->ops->destroy)
		a->ops->destroy(a);
	auth_forget_last(a);
	crypto_wipe(a, sizeof(*a));
	a->deadline = DEADLINE_NONE;
}

void auth_send(struct auth *a, const uint8_t *pkt, size_t len)
{
	a->cfg.output(a->cfg.cb_ctx, a->ops->ppp_protocol, pkt, len);
}

void auth_send_keep(struct auth *a, const uint8_t *pkt, size_t len)
{
	auth_forget_last(a);
	if (len && (a->last = malloc(len)) != NULL) {
		memcpy(a->last, pkt, len);
		a->last_len = len;
	}
	auth_send(a, pkt, len);
}

void auth_resend(struct auth *a)
{
	if (a->last_len)
		auth_send(a, a->last, a->last_len);
}

/* Queue the result for the owner (auth_next_result). */
static void auth_report(struct auth *a)
{
	if (a->result_waiting) {
		a->results_overwritten++;
		log_msg(LOG_LEVEL_ERROR, a->cfg.tag, "%s: result replaced before it was taken", auth_method_name(a->result.method));
	}
	a->result_waiting = true;
}

void auth_succeed(struct auth *a, const char *user)
{
	char shown[TEXT_ESCAPED_SIZE(AUTH_MAX_NAME)];

	if (a->done && a->result.success)
		return;
	a->done = true;
	a->result.success = true;
	a->result.cause = AUTH_CAUSE_NONE;
	a->result.reason[0] = '\0';
	if (user)
		snprintf(a->result.user, sizeof(a->result.user), "%s", user);
	text_escape_str(shown, sizeof(shown), a->result.user);
	log_msg(LOG_LEVEL_DEBUG, a->cfg.tag, "%s %s: authenticated user \"%s\"", auth_method_name(a->result.method),
		a->cfg.role == AUTH_ROLE_AUTHENTICATOR ? "authenticator" : "peer", shown);
	auth_report(a);
}

void auth_fail(struct auth *a, enum auth_cause cause, const char *fmt, ...)
{
	va_list ap;

	a->done = true;
	a->deadline = DEADLINE_NONE;
	a->result.success = false;
	a->result.cause = cause;
	/* The reason quotes wire text (a user name): escaped (text_escape.h). */
	char raw[sizeof(a->result.reason)];
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	text_escape_str(a->result.reason, sizeof(a->result.reason), raw);
	/* No key material leaves a failed authentication. */
	crypto_wipe(&a->result.mppe, sizeof(a->result.mppe));
	/* The server's line about a failed login; a client reports it once itself (client_report.c). */
	log_msg(a->cfg.role == AUTH_ROLE_AUTHENTICATOR ? LOG_LEVEL_WARN : LOG_LEVEL_DEBUG, a->cfg.tag,
		"%s %s: authentication failed (%s): %s", auth_method_name(a->result.method),
		a->cfg.role == AUTH_ROLE_AUTHENTICATOR ? "authenticator" : "peer",
		auth_cause_name(cause), a->result.reason);
	auth_report(a);
}

int auth_drop(struct auth *a, uint64_t now_ms, int err, const char *what)
{
	log_limited(&a->bad_log, now_ms, LOG_LEVEL_WARN, a->cfg.tag, "%s: dropped %s: %s",
		    auth_method_name(a->result.method), what, error_name(err));
	return err;
}

int auth_lookup(struct auth *a, const char *user, struct auth_secret *out)
{
	memset(out, 0, sizeof(*out));
	int rc = a->cfg.lookup(a->cfg.lookup_ctx, user, out);
	if (rc == 0 && out->kind != AUTH_SECRET_NONE)
		return 0;
	const char *bare = mschap_strip_domain(user);
	if (bare != user) {
		memset(out, 0, sizeof(*out));
		rc = a->cfg.lookup(a->cfg.lookup_ctx, bare, out);
		if (rc == 0 && out->kind != AUTH_SECRET_NONE)
			return 0;
	}
	auth_secret_wipe(out);
	return ERR_NOT_FOUND;
}

bool auth_copy_name(char *dst, size_t dst_size, const uint8_t *src, size_t len)
{
	if (len >= dst_size || (len && memchr(src, '\0', len))) {
		dst[0] = '\0';
		return false;
	}
	if (len)
		memcpy(dst, src, len);
	dst[len] = '\0';
	return true;
}
