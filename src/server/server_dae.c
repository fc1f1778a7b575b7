/* SPDX-License-Identifier: BSD-2-Clause */
#include "server/server_internal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/crypto.h"
#include "base/error.h"
#include "sys/udp_socket.h"

#define DAE_TAG "dae"
#define DAE_DEFAULT_PORT 3799 /* RFC 5176 §3.1 */
#define DAE_WINDOW_S 300

static void wait_timer(struct loop *loop, struct loop_timer *t, void *ctx);

int server_dae_settings(struct server *s)
{
	const struct server_config *cfg = s->cfg;
	struct server_dae *d = &s->dae;
	d->fd = -1;
	loop_fd_init(&d->watch);
	d->limit = (struct log_limit)LOG_LIMIT_INIT(1, 10000);
	loop_timer_init(&d->wait_timer, wait_timer, s);
	if (!cfg->dae_listen) {
		if (cfg->dae_clients.count)
			fprintf(stderr, "openpptp server: --dae-client without --dae-listen does nothing\n");
		return 0;
	}
	if (server_parse_addr_port(cfg->dae_listen, DAE_DEFAULT_PORT, &d->listen_addr, &d->listen_port, true) < 0) {
		fprintf(stderr, "openpptp server: --dae-listen %s: not ADDRESS[:PORT]\n", cfg->dae_listen);
		return ERR_INVALID;
	}
	for (size_t i = 0; i < cfg->dae_clients.count; i++) {
		if (d->n_clients == SERVER_DAE_CLIENTS_MAX ||
		    ipv4_parse(cfg->dae_clients.items[i], &d->clients[d->n_clients]) < 0) {
			fprintf(stderr, "openpptp server: --dae-client %s: not an IPv4 address (at most %d)\n",
				cfg->dae_clients.items[i], SERVER_DAE_CLIENTS_MAX);
			return ERR_INVALID;
		}
		d->n_clients++;
	}
	if (!d->n_clients || (!cfg->dae_secret_file && !cfg->radius_secret_file)) {
		fprintf(stderr, "openpptp server: --dae-listen needs --dae-client and a secret file "
				"(--dae-secret-file or --radius-secret-file)\n");
		return ERR_INVALID;
	}
	return 0;
}

static bool allowed(const struct server_dae *d, uint32_t addr)
{
	for (unsigned i = 0; i < d->n_clients; i++)
		if (d->clients[i] == addr)
			return true;
	return false;
}

static bool session_matches(const struct server_conn *c, const struct server_session *ss,
			    const struct radius_dae_request *r)
{
	if (!ss->in_use || !ss->up || c->dead)
		return false;
	if (r->acct_session_id[0] && strcmp(r->acct_session_id, ss->acct_session_id) != 0)
		return false;
	if (r->user_name[0] && (!ss->user || strcmp(r->user_name, ss->user) != 0))
		return false;
	if (r->has_framed_ip && r->framed_ip != ss->address)
		return false;
	if (r->has_nas_port && r->nas_port != ss->local_call_id)
		return false;
	return !r->has_calling_station || r->calling_station == c->peer;
}

static void dae_send(struct server *s, const struct radius_packet *req, enum radius_dae_error err, uint32_t to,
		     uint16_t port)
{
	struct server_dae *d = &s->dae;
	char a[IPV4_STR_MAX];
	uint8_t reply[128];
	size_t n = radius_dae_reply(reply, sizeof(reply), req, err, d->secret, d->secret_len);
	if (err) {
		d->naked++;
		log_msg(LOG_LEVEL_INFO, DAE_TAG, "%s from %s: NAK, Error-Cause %u", radius_code_name(req->code),
			ipv4_format(to, a), (unsigned)err);
	} else {
		d->acked++;
		log_msg(LOG_LEVEL_INFO, DAE_TAG, "%s from %s: ACK", radius_code_name(req->code), ipv4_format(to, a));
	}
	if (n)
		(void)udp_socket_send(d->fd, to, port, reply, n);
}

static void wait_answer(struct server *s, const struct dae_wait *w, enum radius_dae_error err)
{
	struct radius_packet req;
	dae_wait_request(w, &req);
	dae_send(s, &req, err, w->from, w->port);
}

static void wait_rearm(struct server *s)
{
	if (s->loop)
		(void)loop_timer_set(s->loop, &s->dae.wait_timer, dae_wait_next_deadline(&s->dae.waits));
}

/* Not down within DAE_WAIT_MS: RFC 5176 §3.5 506 Resources Unavailable
 * ("a request could not be honored due to lack of available NAS
 * resources"): the session may still end, but we cannot say it has. */
static void wait_timer(struct loop *loop, struct loop_timer *t, void *ctx)
{
	struct server *s = ctx;
	(void)loop;
	(void)t;
	struct dae_wait w;
	while (dae_wait_expired(&s->dae.waits, sys_now_ms(), &w)) {
		log_msg(LOG_LEVEL_WARN, DAE_TAG, "Disconnect-Request: %u session(s) not down within %u s", w.remaining,
			DAE_WAIT_MS / 1000);
		wait_answer(s, &w, RADIUS_DAE_RESOURCES_UNAVAILABLE);
	}
	wait_rearm(s);
}

void server_dae_session_down(struct server *s, struct server_session *ss)
{
	struct dae_wait w;
	if (ss->dae_wait && dae_wait_session_down(&s->dae.waits, ss->dae_wait, &w)) {
		wait_answer(s, &w, RADIUS_DAE_OK);
		wait_rearm(s);
	}
	ss->dae_wait = 0;
}

static void coa(const struct server_conn *c, struct server_session *ss, const struct radius_dae_request *r)
{
	if (r->has_session_timeout)
		ss->grant.session_timeout = r->session_timeout;
	if (r->has_idle_timeout)
		ss->grant.idle_timeout = r->idle_timeout;
	if (r->has_interim)
		ss->grant.interim_interval = r->interim_interval;
	log_msg(LOG_LEVEL_INFO, c->tag, "CoA-Request from RADIUS: session %s now Session-Timeout %u, "
					"Idle-Timeout %u, Acct-Interim-Interval %u",
		ss->acct_session_id, ss->grant.session_timeout,
		ss->grant.idle_timeout, ss->grant.interim_interval);
}

/* Act on every matching session; how many matched. A Disconnect marks
 * all of them with `wait` first and closes them after, so a session that
 * goes down at once cannot answer before the others are counted. A
 * session already closing for an earlier request counts as matched, not
 * waited for (its own request gets the ACK). */
static unsigned dae_act(struct server *s, const struct radius_dae_request *r, uint32_t wait)
{
	unsigned n = 0;
	for (struct server_conn *c = s->conns; c; c = c->next) {
		for (int i = 0; i < SERVER_CALLS_PER_CONN; i++) {
			struct server_session *ss = &c->sessions[i];
			if (!session_matches(c, ss, r))
				continue;
			n++;
			if (r->code != RADIUS_DISCONNECT_REQUEST)
				coa(c, ss, r);
			else if (!ss->dae_wait) {
				ss->dae_wait = wait;
				dae_wait_add_session(&s->dae.waits, wait);
			}
		}
	}
	if (r->code != RADIUS_DISCONNECT_REQUEST)
		return n;
	uint64_t now = sys_now_ms();
	for (struct server_conn *c = s->conns; c; c = c->next) {
		for (int i = 0; i < SERVER_CALLS_PER_CONN; i++) {
			struct server_session *ss = &c->sessions[i];
			if (!ss->in_use || ss->dae_wait != wait || ss->term_cause == ACCT_CAUSE_ADMIN_RESET)
				continue;
			log_msg(LOG_LEVEL_INFO, c->tag, "Disconnect-Request from RADIUS: closing session %s",
				ss->acct_session_id);
			ss->term_cause = ACCT_CAUSE_ADMIN_RESET;
			daemon_tunnel_call_close(&c->dt, ss->call, "Disconnected by the administrator", now);
		}
	}
	return n;
}

static void dae_datagram(struct server *s, const uint8_t *buf, size_t len, uint32_t from, uint16_t port)
{
	struct server_dae *d = &s->dae;
	char a[IPV4_STR_MAX];
	if (!allowed(d, from)) {
		d->dropped_source++;
		log_limited(&d->limit, sys_now_ms(), LOG_LEVEL_WARN, DAE_TAG,
			    "request from %s, not a --dae-client: dropped (%llu so far)", ipv4_format(from, a),
			    (unsigned long long)d->dropped_source);
		return;
	}
	struct radius_dae_config dc = { .secret = d->secret, .secret_len = d->secret_len, .window_s = DAE_WINDOW_S };
	/* We are the NAS our own requests name. */
	dc.nas_ip = s->acct.nas_ip;
	dc.nas_identifier = s->cfg->nas_identifier ? s->cfg->nas_identifier : s->cfg->name;
	struct radius_packet pkt;
	struct radius_dae_request r;
	enum radius_dae_drop drop = radius_dae_check(buf, len, &dc, (uint64_t)time(NULL), &pkt, &r);
	if (drop != RADIUS_DAE_ACCEPTED) {
		d->dropped++;
		log_limited(&s->log_limit, sys_now_ms(), LOG_LEVEL_WARN, DAE_TAG, "request from %s dropped: %s",
			    ipv4_format(from, a), radius_dae_drop_name(drop));
		return;
	}
	if (r.error || r.code != RADIUS_DISCONNECT_REQUEST) {
		enum radius_dae_error err = r.error;
		if (!err && dae_act(s, &r, 0) == 0)
			err = RADIUS_DAE_SESSION_NOT_FOUND;
		dae_send(s, &pkt, err, from, port);
		return;
	}
	if (dae_wait_is_duplicate(&d->waits, &pkt, from, port))
		return; /* a retransmission: the answer comes when the wait ends */
	uint32_t wait = dae_wait_begin(&d->waits, &pkt, from, port, sys_now_ms());
	if (!wait) {
		dae_send(s, &pkt, RADIUS_DAE_RESOURCES_UNAVAILABLE, from, port);
		return;
	}
	struct dae_wait w;
	if (dae_act(s, &r, wait) == 0) {
		(void)dae_wait_settle(&d->waits, wait, &w);
		dae_send(s, &pkt, RADIUS_DAE_SESSION_NOT_FOUND, from, port);
		return;
	}
	if (dae_wait_settle(&d->waits, wait, &w)) /* all matched were already closing */
		dae_send(s, &pkt, RADIUS_DAE_OK, from, port);
	wait_rearm(s);
}

static void dae_readable(struct loop *loop, struct loop_fd *w, uint32_t events, void *ctx)
{
	struct server *s = ctx;
	(void)loop;
	(void)w;
	(void)events;
	uint8_t buf[RADIUS_MAX_PACKET];
	for (int i = 0; i < 32; i++) {
		uint32_t from;
		uint16_t port;
		ssize_t n = udp_socket_recv(s->dae.fd, buf, sizeof(buf), &from, &port);
		if (n < 0)
			return;
		dae_datagram(s, buf, (size_t)n, from, port);
	}
}

/* Before the drop (port 3799 needs no privilege, the secret's file may). */
int server_dae_open(struct server *s)
{
	struct server_dae *d = &s->dae;
	const struct server_config *cfg = s->cfg;
	if (!cfg->dae_listen)
		return 0;
	const char *file = cfg->dae_secret_file ? cfg->dae_secret_file : cfg->radius_secret_file;
	int rc = server_read_secret_file(file, d->secret, sizeof(d->secret), &d->secret_len);
	if (rc < 0) {
		log_msg(LOG_LEVEL_ERROR, DAE_TAG, "cannot read the DAE secret from %s: %s", file, error_name(rc));
		return rc;
	}
	d->fd = udp_socket_listen(d->listen_addr, d->listen_port);
	if (d->fd < 0 || loop_fd_add(s->loop, &d->watch, d->fd, LOOP_READ, dae_readable, s) < 0) {
		log_msg(LOG_LEVEL_ERROR, DAE_TAG, "cannot listen on UDP %s", cfg->dae_listen);
		return ERR_IO;
	}
	char a[IPV4_STR_MAX];
	log_msg(LOG_LEVEL_INFO, DAE_TAG, "Dynamic Authorization on %s:%u, %u client(s)", ipv4_format(d->listen_addr, a),
		d->listen_port, d->n_clients);
	return 0;
}

void server_dae_close(struct server *s)
{
	struct server_dae *d = &s->dae;
	if (s->loop)
		loop_timer_cancel(s->loop, &d->wait_timer);
	if (d->fd >= 0) {
		loop_fd_remove(s->loop, &d->watch);
		close(d->fd);
		d->fd = -1;
	}
	crypto_wipe(d->secret, sizeof(d->secret));
}
