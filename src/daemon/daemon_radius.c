/* SPDX-License-Identifier: BSD-2-Clause */
#include "daemon/daemon_radius.h"

#include <string.h>
#include <unistd.h>

#include "base/error.h"
#include "base/log.h"
#include "sys/udp_socket.h"

#define RADIUS_TAG "radius"

static void radius_settle(struct daemon_radius *r)
{
	if (r->draining)
		return; /* the running drain takes it */
	r->draining = true;
	struct radius_event ev;
	while (r->client && radius_client_next_event(r->client, &ev))
		r->on_event(r->owner, &ev);
	r->draining = false;
	if (r->client)
		(void)loop_timer_set(r->loop, &r->timer, radius_client_next_deadline(r->client));
}

static void radius_send(void *ctx, const struct radius_datagram *d)
{
	struct daemon_radius *r = ctx;
	const struct daemon_radius_server *srv = &r->cfg.servers[d->service][d->server];
	int fd = d->socket < DAEMON_RADIUS_SOCKETS ? r->fd[d->service][d->socket] : -1;
	if (fd < 0 || udp_socket_send(fd, srv->addr, srv->port, d->data, d->len) < 0)
		r->send_errors++; /* the engine retransmits, then fails over */
}

static void radius_readable(struct loop *loop, struct loop_fd *w, uint32_t events, void *ctx)
{
	struct daemon_radius *r = ctx;
	(void)loop;
	(void)events;
	size_t at = (size_t)(w - &r->watch[0][0]);
	enum radius_service service = (enum radius_service)(at / DAEMON_RADIUS_SOCKETS);
	unsigned socket = (unsigned)(at % DAEMON_RADIUS_SOCKETS);
	uint8_t buf[RADIUS_MAX_PACKET];
	for (int i = 0; i < 64; i++) {
		uint32_t addr;
		uint16_t port;
		ssize_t n = udp_socket_recv(r->fd[service][socket], buf, sizeof(buf), &addr, &port);
		if (n < 0)
			break;
		unsigned server = r->cfg.n_servers[service];
		for (unsigned s = 0; s < r->cfg.n_servers[service]; s++)
			if (r->cfg.servers[service][s].addr == addr && r->cfg.servers[service][s].port == port)
				server = s;
		if (server == r->cfg.n_servers[service]) {
			r->foreign_datagrams++;
			continue;
		}
		radius_client_on_datagram(r->client, service, server, socket, buf, (size_t)n, sys_now_ms());
	}
	radius_settle(r);
}

static void radius_timer(struct loop *loop, struct loop_timer *t, void *ctx)
{
	struct daemon_radius *r = ctx;
	(void)loop;
	(void)t;
	radius_client_on_timeout(r->client, sys_now_ms());
	radius_settle(r);
}

void daemon_radius_init(struct daemon_radius *r)
{
	memset(r, 0, sizeof(*r));
	for (int s = 0; s < RADIUS_SERVICES; s++) {
		for (int k = 0; k < DAEMON_RADIUS_SOCKETS; k++) {
			r->fd[s][k] = -1;
			loop_fd_init(&r->watch[s][k]);
		}
	}
	loop_timer_init(&r->timer, radius_timer, r);
}

int daemon_radius_open(struct daemon_radius *r, struct loop *loop, const struct daemon_radius_config *cfg,
		       const struct random_source *rs, daemon_radius_event_fn on_event, void *owner)
{
	r->loop = loop;
	r->cfg = *cfg;
	r->on_event = on_event;
	r->owner = owner;
	struct radius_client_config cc;
	memset(&cc, 0, sizeof(cc));
	for (int s = 0; s < RADIUS_SERVICES; s++) {
		cc.n_servers[s] = cfg->n_servers[s];
		for (unsigned i = 0; i < cfg->n_servers[s]; i++) {
			memcpy(cc.servers[s][i].secret, cfg->secret, cfg->secret_len);
			cc.servers[s][i].secret_len = cfg->secret_len;
		}
	}
	cc.sockets = DAEMON_RADIUS_SOCKETS;
	cc.timeout_ms = cfg->timeout_ms;
	cc.retries = cfg->retries;
	/* RFC 5997 §4.3: probing a dead server is cheap; a held accounting
	 * record waits for it, so a few seconds, not the 30 s of login retries. */
	cc.probe_interval_ms = cfg->timeout_ms * 3 > 5000 ? cfg->timeout_ms * 3 : 5000;
	cc.max_outstanding = 256 * DAEMON_RADIUS_SOCKETS;
	r->client = radius_client_new(&cc, rs, radius_send, r);
	memset(&cc, 0, sizeof(cc)); /* the secrets */
	if (!r->client) {
		log_msg(LOG_LEVEL_ERROR, RADIUS_TAG, "bad RADIUS client settings");
		return ERR_INVALID;
	}
	for (int s = 0; s < RADIUS_SERVICES; s++) {
		for (int k = 0; k < DAEMON_RADIUS_SOCKETS && cfg->n_servers[s]; k++) {
			r->fd[s][k] = udp_socket_open(cfg->local_addr);
			if (r->fd[s][k] < 0 ||
			    loop_fd_add(loop, &r->watch[s][k], r->fd[s][k], LOOP_READ, radius_readable, r) < 0) {
				daemon_radius_close(r);
				return ERR_IO;
			}
		}
	}
	return 0;
}

void daemon_radius_close(struct daemon_radius *r)
{
	for (int s = 0; s < RADIUS_SERVICES; s++) {
		for (int k = 0; k < DAEMON_RADIUS_SOCKETS; k++) {
			if (r->fd[s][k] < 0)
				continue;
			loop_fd_remove(r->loop, &r->watch[s][k]);
			close(r->fd[s][k]);
			r->fd[s][k] = -1;
		}
	}
	if (r->loop)
		loop_timer_cancel(r->loop, &r->timer);
	radius_client_free(r->client);
	r->client = NULL;
}

int daemon_radius_submit(struct daemon_radius *r, const struct radius_request *req)
{
	if (!r->client)
		return ERR_STATE;
	int rc = radius_client_submit(r->client, req, sys_now_ms());
	radius_settle(r);
	return rc;
}

void daemon_radius_cancel(struct daemon_radius *r, uint64_t handle)
{
	if (r->client)
		radius_client_cancel(r->client, handle);
}
