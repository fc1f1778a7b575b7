/* SPDX-License-Identifier: BSD-2-Clause */
/* The server's side of privilege separation (docs/privsep.md): what the
 * unprivileged main process asks the helper for, and what it does with the
 * answers. Every request is asynchronous; answers come back as loop events. */
#include "server/server_internal.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/crypto.h"
#include "base/error.h"
#include "sys/sys_file.h"

#define TAG SERVER_TAG

void server_privsep_config(const struct server *s, struct privsep_config *pc)
{
	memset(pc, 0, sizeof(*pc));
	pc->role = PRIVSEP_ROLE_SERVER;
	pc->tun_ifindex = s->tun.dev.ifindex;
	pc->local_ip = s->cfg->local_ip;
	pc->tun_mtu = (uint32_t)s->cfg->mtu;
	pc->pool = s->cfg->pool;
	pc->framed_allow = s->framed.allow;
	pc->framed_allow_count = s->framed.allow_count;
	pc->ipv6_pool_set = s->ipv6;
	pc->ipv6_pool = s->pool6;
	pc->secrets_path = s->cfg->secrets;
	pc->control_socket = s->control_fd >= 0 ? s->cfg->control_socket : NULL;
}

static void on_route_answer(void *ctx, const struct privsep_answer *a)
{
	(void)ctx;
	if (a->status < 0 && a->status != ERR_CLOSED)
		log_msg(a->op == PRIVSEP_OP_ROUTE_DEL && a->status == ERR_NOT_FOUND ? LOG_LEVEL_DEBUG : LOG_LEVEL_WARN,
			TAG, "%s: %s", privsep_op_name(a->op), error_name(a->status));
}

/* A host route to a peer on our TUN (or its removal). Requests are served
 * in order, so an add and a later delete of one address cannot cross.
 * true when the request is queued. */
bool server_privsep_route(struct server *s, uint32_t addr, uint16_t mtu, bool add)
{
	struct privsep_request r = { .op = add ? PRIVSEP_OP_ROUTE_ADD : PRIVSEP_OP_ROUTE_DEL,
				     .family = PRIVSEP_FAMILY_IPV4,
				     .prefix_len = 32,
				     .ifindex = (uint32_t)s->tun.dev.ifindex,
				     .addr4 = addr,
				     .mtu = add ? mtu : 0 };
	return privsep_send(&s->privsep, &r, on_route_answer, NULL) == 0;
}

/* A RADIUS Framed-Route prefix behind a session (issue 14), checked by the
 * helper against --framed-route-allow as it got it at start. */
bool server_privsep_prefix_route(struct server *s, const struct ipv4_prefix *p, uint16_t mtu, bool add)
{
	struct privsep_request r = { .op = add ? PRIVSEP_OP_ROUTE_ADD : PRIVSEP_OP_ROUTE_DEL,
				     .family = PRIVSEP_FAMILY_IPV4,
				     .prefix_len = p->len,
				     .ifindex = (uint32_t)s->tun.dev.ifindex,
				     .addr4 = p->addr,
				     .mtu = add ? mtu : 0 };
	return privsep_send(&s->privsep, &r, on_route_answer, NULL) == 0;
}

/* A session's /64 (or its fe80::iid/128) on our TUN (issue 12 §3),
 * checked by the helper against --ipv6-pool. */
bool server_privsep_route6(struct server *s, const uint8_t prefix[16], uint8_t len, bool add)
{
	struct privsep_request r = { .op = add ? PRIVSEP_OP_ROUTE_ADD : PRIVSEP_OP_ROUTE_DEL,
				     .family = PRIVSEP_FAMILY_IPV6,
				     .prefix_len = len,
				     .ifindex = (uint32_t)s->tun.dev.ifindex };
	memcpy(r.addr6, prefix, 16);
	return privsep_send(&s->privsep, &r, on_route_answer, NULL) == 0;
}

/* Parse and swap in a new secrets file: all or nothing. */
int server_take_secrets(struct server *s, const char *text, size_t len)
{
	struct secrets fresh;
	int rc = secrets_parse(&fresh, text, len, s->cfg->secrets);
	if (rc < 0) {
		log_msg(LOG_LEVEL_ERROR, TAG, "secrets not loaded: %s", fresh.error);
		return rc;
	}
	secrets_destroy(&s->secrets);
	s->secrets = fresh;
	log_msg(LOG_LEVEL_INFO, TAG, "loaded %zu secrets from %s", s->secrets.count, s->cfg->secrets);
	for (size_t i = 0; i < s->secrets.count; i++) {
		const struct secret_entry *e = &s->secrets.entries[i];
		if (secret_entry_is_empty(e))
			log_msg(LOG_LEVEL_WARN, TAG, "%s line %u: empty secret: logins with it are refused", s->cfg->secrets,
				e->line);
	}
	return 0;
}

static void on_secrets_answer(void *ctx, const struct privsep_answer *a)
{
	struct server *s = ctx;
	if (a->status < 0) {
		if (a->status != ERR_CLOSED)
			log_msg(LOG_LEVEL_ERROR, TAG, "cannot read secrets file %s: %s", s->cfg->secrets,
				error_name(a->status));
	} else {
		char *text;
		size_t len;
		if (sys_read_fd(a->fd, s->cfg->secrets, PRIVSEP_SECRETS_LIMIT, &text, &len) == 0) {
			(void)server_take_secrets(s, text, len);
			crypto_wipe(text, len);
			free(text);
		}
	}
	/* The reload is over, loaded or not (systemd's RELOADING=1 ... READY=1). */
	daemon_notify_ready(&s->notify);
}

/* SIGHUP: the file is root's (0600 is right for it), so the helper reads it.
 * 0 when the request went out (the answer ends the reload), <0 if not. */
int server_reload_secrets(struct server *s)
{
	struct privsep_request r = { .op = PRIVSEP_OP_SECRETS_READ };
	int rc = privsep_send(&s->privsep, &r, on_secrets_answer, s);
	if (rc < 0)
		log_msg(LOG_LEVEL_ERROR, TAG, "cannot reload the secrets: no privileged helper");
	return rc;
}

/* The helper is gone: nothing privileged can happen any more (routes,
 * reload, the socket's removal), so the server stops, as after SIGTERM,
 * and exits 1. */
void server_helper_lost(void *ctx)
{
	struct server *s = ctx;
	s->helper_lost = true;
	log_msg(LOG_LEVEL_ERROR, TAG, "stopping: the privileged helper is gone");
	if (!daemon_shutdown_is_stopping(&s->shutdown))
		daemon_shutdown_signal(&s->shutdown, 0);
}

/* At exit: remove the control socket (its directory is root's). */
void server_privsep_finish(struct server *s)
{
	if (s->privsep.state == PRIVSEP_CHANNEL_OPEN) {
		(void)privsep_drain(&s->privsep, 5000);
		if (s->control_fd >= 0) {
			struct privsep_request r = { .op = PRIVSEP_OP_CONTROL_UNLINK };
			struct privsep_answer a;
			(void)privsep_call(&s->privsep, &r, &a, 5000);
		}
	}
	privsep_channel_close(&s->privsep, 5000);
}
