/* SPDX-License-Identifier: BSD-2-Clause */
#include "proto/radius/radius_client.h"

#include <stdlib.h>
#include <string.h>

#include "base/crypto.h"
#include "base/error.h"
#include "base/time.h"
#include "proto/radius/radius_build.h"
#include "proto/radius/radius_hide.h"

enum slot_state {
	SLOT_FREE,
	SLOT_SENT,     /* waiting for a reply or the next timeout */
	SLOT_ANSWERED, /* reply in buf, its event queued or held by the owner */
};

struct slot {
	enum slot_state state;
	uint64_t handle;
	enum radius_service service;
	uint8_t code;
	unsigned server, socket;
	uint8_t id;
	uint8_t auth[RADIUS_AUTH_SIZE];
	unsigned tries; /* sends to the current server */
	uint32_t tried; /* bit per server already given up on */
	uint64_t deadline;
	uint8_t password[RADIUS_PASSWORD_MAX];
	size_t password_len;
	bool has_password;
	/* The attributes while SENT, the reply once ANSWERED. */
	uint8_t buf[RADIUS_MAX_PACKET];
	size_t len;
};

enum server_state {
	SERVER_ALIVE,
	SERVER_DEAD,
};

struct server {
	enum server_state state;
	/* Status-Server probe of a dead server (RFC 5997). */
	bool probe_pending;
	unsigned probe_socket;
	uint8_t probe_id;
	uint8_t probe_auth[RADIUS_AUTH_SIZE];
	uint64_t probe_at; /* send the next probe, or wait for the pending one until */
};

/* One Identifier space: one socket of one service (RFC 2865 §3). */
struct id_space {
	uint8_t used[256 / 8];
	uint8_t next;
};

struct queued_event {
	enum radius_event_type type;
	uint64_t handle;
	enum radius_service service;
	unsigned server;
	enum radius_verdict verdict;
	int slot; /* RADIUS_EV_REPLY */
};

struct radius_client {
	struct radius_client_config cfg;
	struct random_source rs;
	radius_send_fn send;
	void *send_ctx;
	struct slot *slots;
	unsigned outstanding; /* slots not FREE */
	struct server servers[RADIUS_SERVICES][RADIUS_CLIENT_MAX_SERVERS];
	struct id_space ids[RADIUS_SERVICES][RADIUS_CLIENT_MAX_SOCKETS];
	struct queued_event *events;
	unsigned ev_cap, ev_head, ev_count;
	int held_slot; /* the ANSWERED slot whose reply the owner is reading */
	struct radius_client_stats stats;
	uint8_t out[RADIUS_MAX_PACKET];
};

/* ---- Identifiers ---- */

static bool id_alloc(struct radius_client *c, enum radius_service service, unsigned *socket, uint8_t *id)
{
	/* Round robin inside a space, so an Identifier is reused as late as possible. */
	for (unsigned s = 0; s < c->cfg.sockets; s++) {
		struct id_space *sp = &c->ids[service][s];
		for (unsigned k = 0; k < 256; k++) {
			uint8_t i = (uint8_t)(sp->next + k);
			if (!(sp->used[i / 8] & (1u << (i % 8)))) {
				sp->used[i / 8] |= (uint8_t)(1u << (i % 8));
				sp->next = (uint8_t)(i + 1);
				*socket = s;
				*id = i;
				return true;
			}
		}
	}
	return false;
}

static void id_free(struct radius_client *c, enum radius_service service, unsigned socket, uint8_t id)
{
	c->ids[service][socket].used[id / 8] &= (uint8_t) ~(1u << (id % 8));
}

/* ---- events ---- */

static bool event_push(struct radius_client *c, const struct queued_event *e)
{
	if (c->ev_count == c->ev_cap)
		return false;
	c->events[(c->ev_head + c->ev_count) % c->ev_cap] = *e;
	c->ev_count++;
	return true;
}

/* Server and drop events must leave room for one final event per request. */
static void event_push_aside(struct radius_client *c, enum radius_event_type type, enum radius_service service,
			     unsigned server, enum radius_verdict verdict)
{
	struct queued_event e = { .type = type, .service = service, .server = server, .verdict = verdict, .slot = -1 };
	if (c->ev_count + c->cfg.max_outstanding >= c->ev_cap || !event_push(c, &e))
		c->stats.events_lost++;
}

static void slot_release(struct radius_client *c, struct slot *s)
{
	crypto_wipe(s->password, sizeof(s->password));
	s->state = SLOT_FREE;
	c->outstanding--;
}

static void slot_fail(struct radius_client *c, struct slot *s)
{
	struct queued_event e = { .type = RADIUS_EV_FAILED, .handle = s->handle, .service = s->service, .slot = -1 };
	if (!event_push(c, &e)) /* only when the owner stopped draining */
		c->stats.events_lost++;
	c->stats.failed++;
	slot_release(c, s);
}

/* ---- sending ---- */

static const struct radius_server_config *server_cfg(const struct radius_client *c, enum radius_service service,
						     unsigned server)
{
	return &c->cfg.servers[service][server];
}

static void emit(struct radius_client *c, enum radius_service service, unsigned server, unsigned socket,
		 size_t len)
{
	struct radius_datagram d = { .service = service, .server = server, .socket = socket, .data = c->out, .len = len };
	c->send(c->send_ctx, &d);
}

/* Build the request of slot s for its current server into c->out. The
 * result depends only on (server, id, auth), so a retransmission is the
 * same datagram (RFC 5080 §2.2.1). Returns the length, 0 if it does not fit. */
static size_t build_request(struct radius_client *c, struct slot *s)
{
	const struct radius_server_config *sc = server_cfg(c, s->service, s->server);
	struct radius_builder b;
	bool access = s->code == RADIUS_ACCESS_REQUEST;
	radius_build_begin(&b, c->out, sizeof(c->out), s->code, s->id, access ? s->auth : NULL);
	writer_bytes(&b.w, s->buf, s->len);
	if (s->has_password) {
		uint8_t hidden[RADIUS_PASSWORD_MAX];
		size_t n = radius_password_hide(sc->secret, sc->secret_len, s->auth, s->password, s->password_len, hidden,
						sizeof(hidden));
		radius_put_attr(&b.w, RADIUS_ATTR_USER_PASSWORD, hidden, n);
	}
	/* RFC 3579 §3.2 and BlastRADIUS: every Access-Request is signed. */
	if (access)
		radius_put_message_auth(&b.w);
	size_t len = radius_build_end(&b);
	if (len == 0 || !radius_sign_request(c->out, len, sc->secret, sc->secret_len))
		return 0;
	if (!access)
		memcpy(s->auth, c->out + 4, RADIUS_AUTH_SIZE); /* RFC 2866 §3: computed */
	return len;
}

static int first_live_server(const struct radius_client *c, enum radius_service service, uint32_t skip)
{
	for (unsigned i = 0; i < c->cfg.n_servers[service]; i++)
		if (c->servers[service][i].state == SERVER_ALIVE && !(skip & (1u << i)))
			return (int)i;
	return -1;
}

/* Send slot s to `server` as a new transaction: new Identifier, new authenticator. */
static int start_on_server(struct radius_client *c, struct slot *s, unsigned server, uint64_t now)
{
	unsigned socket;
	uint8_t id;
	if (!id_alloc(c, s->service, &socket, &id))
		return ERR_LIMIT;
	s->server = server;
	s->socket = socket;
	s->id = id;
	random_fill(&c->rs, s->auth, sizeof(s->auth));
	size_t len = build_request(c, s);
	if (len == 0) {
		id_free(c, s->service, socket, id);
		return ERR_NOSPACE;
	}
	s->tries = 1;
	s->deadline = now + c->cfg.timeout_ms;
	s->state = SLOT_SENT;
	c->stats.sent++;
	emit(c, s->service, server, socket, len);
	return 0;
}

static void mark_dead(struct radius_client *c, enum radius_service service, unsigned server, uint64_t now)
{
	struct server *sv = &c->servers[service][server];
	if (sv->state == SERVER_DEAD)
		return;
	sv->state = SERVER_DEAD;
	sv->probe_pending = false;
	sv->probe_at = now + c->cfg.probe_interval_ms;
	event_push_aside(c, RADIUS_EV_SERVER_DEAD, service, server, RADIUS_VERDICT_OK);
}

/* ---- public ---- */

struct radius_client *radius_client_new(const struct radius_client_config *cfg, const struct random_source *rs,
					radius_send_fn send, void *send_ctx)
{
	if (cfg->sockets < 1 || cfg->sockets > RADIUS_CLIENT_MAX_SOCKETS || cfg->max_outstanding < 1 ||
	    cfg->max_outstanding > RADIUS_CLIENT_MAX_OUTSTANDING || cfg->timeout_ms == 0 ||
	    cfg->probe_interval_ms == 0 || !send)
		return NULL;
	for (int sv = 0; sv < RADIUS_SERVICES; sv++) {
		if (cfg->n_servers[sv] > RADIUS_CLIENT_MAX_SERVERS)
			return NULL;
		for (unsigned i = 0; i < cfg->n_servers[sv]; i++)
			if (cfg->servers[sv][i].secret_len == 0 || cfg->servers[sv][i].secret_len > RADIUS_SECRET_MAX)
				return NULL;
	}
	struct radius_client *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->cfg = *cfg;
	c->rs = *rs;
	c->send = send;
	c->send_ctx = send_ctx;
	c->held_slot = -1;
	/* One final event per request, plus room for server and drop events. */
	c->ev_cap = cfg->max_outstanding + 4 * RADIUS_CLIENT_MAX_SERVERS + 16;
	c->slots = calloc(cfg->max_outstanding, sizeof(*c->slots));
	c->events = calloc(c->ev_cap, sizeof(*c->events));
	if (!c->slots || !c->events) {
		radius_client_free(c);
		return NULL;
	}
	return c;
}

void radius_client_free(struct radius_client *c)
{
	if (!c)
		return;
	if (c->slots)
		crypto_wipe(c->slots, c->cfg.max_outstanding * sizeof(*c->slots));
	crypto_wipe(&c->cfg, sizeof(c->cfg));
	free(c->slots);
	free(c->events);
	free(c);
}

int radius_client_submit(struct radius_client *c, const struct radius_request *req, uint64_t now)
{
	if ((req->service != RADIUS_SERVICE_AUTH && req->service != RADIUS_SERVICE_ACCT) ||
	    (req->code != RADIUS_ACCESS_REQUEST && req->code != RADIUS_ACCOUNTING_REQUEST) ||
	    req->attrs_len > RADIUS_MAX_PACKET - RADIUS_HEADER_SIZE || req->password_len > RADIUS_PASSWORD_MAX ||
	    (req->attrs_len && !req->attrs))
		return ERR_INVALID;
	int server = first_live_server(c, req->service, 0);
	if (server < 0)
		return ERR_TIMEOUT;
	struct slot *s = NULL;
	for (unsigned i = 0; i < c->cfg.max_outstanding; i++) {
		if (c->slots[i].state == SLOT_FREE) {
			s = &c->slots[i];
			break;
		}
	}
	if (!s)
		return ERR_LIMIT;
	s->handle = req->handle;
	s->service = req->service;
	s->code = req->code;
	s->tried = 0;
	if (req->attrs_len)
		memcpy(s->buf, req->attrs, req->attrs_len);
	s->len = req->attrs_len;
	s->has_password = req->password != NULL;
	s->password_len = req->password ? req->password_len : 0;
	if (req->password && req->password_len)
		memcpy(s->password, req->password, req->password_len);
	int rc = start_on_server(c, s, (unsigned)server, now);
	if (rc != 0) {
		crypto_wipe(s->password, sizeof(s->password));
		s->state = SLOT_FREE;
		return rc;
	}
	c->outstanding++;
	return 0;
}

void radius_client_cancel(struct radius_client *c, uint64_t handle)
{
	for (unsigned i = 0; i < c->cfg.max_outstanding; i++) {
		struct slot *s = &c->slots[i];
		if (s->state == SLOT_SENT && s->handle == handle) {
			id_free(c, s->service, s->socket, s->id);
			slot_release(c, s);
		}
	}
}

static void on_probe_reply(struct radius_client *c, enum radius_service service, unsigned server,
			   const struct radius_packet *p)
{
	struct server *sv = &c->servers[service][server];
	const struct radius_server_config *sc = server_cfg(c, service, server);
	enum radius_verdict v = radius_verify_reply(p, RADIUS_STATUS_SERVER, sv->probe_auth, sc->secret, sc->secret_len);
	if (v != RADIUS_VERDICT_OK) {
		c->stats.dropped[v]++;
		event_push_aside(c, RADIUS_EV_DROPPED, service, server, v);
		return;
	}
	id_free(c, service, sv->probe_socket, sv->probe_id);
	sv->probe_pending = false;
	sv->state = SERVER_ALIVE;
	event_push_aside(c, RADIUS_EV_SERVER_ALIVE, service, server, RADIUS_VERDICT_OK);
}

void radius_client_on_datagram(struct radius_client *c, enum radius_service service, unsigned server,
			       unsigned socket, const uint8_t *buf, size_t len, uint64_t now)
{
	(void)now;
	if ((service != RADIUS_SERVICE_AUTH && service != RADIUS_SERVICE_ACCT) || server >= c->cfg.n_servers[service] ||
	    socket >= c->cfg.sockets)
		return;
	struct radius_packet p;
	if (radius_packet_parse(buf, len, &p) != RADIUS_PARSE_OK) {
		c->stats.dropped[RADIUS_VERDICT_MALFORMED]++;
		event_push_aside(c, RADIUS_EV_DROPPED, service, server, RADIUS_VERDICT_MALFORMED);
		return;
	}
	struct server *sv = &c->servers[service][server];
	if (sv->probe_pending && sv->probe_socket == socket && sv->probe_id == p.id) {
		on_probe_reply(c, service, server, &p);
		return;
	}
	for (unsigned i = 0; i < c->cfg.max_outstanding; i++) {
		struct slot *s = &c->slots[i];
		if (s->state != SLOT_SENT || s->service != service || s->socket != socket || s->id != p.id ||
		    s->server != server)
			continue;
		const struct radius_server_config *sc = server_cfg(c, service, server);
		enum radius_verdict v = radius_verify_reply(&p, s->code, s->auth, sc->secret, sc->secret_len);
		if (v != RADIUS_VERDICT_OK) {
			/* Dropped, never acted on; the request keeps waiting (a forger
			 * cannot end it early). */
			c->stats.dropped[v]++;
			event_push_aside(c, RADIUS_EV_DROPPED, service, server, v);
			return;
		}
		id_free(c, service, socket, s->id);
		c->stats.replies++;
		struct queued_event e = {
			.type = RADIUS_EV_REPLY, .handle = s->handle, .service = service, .server = server, .slot = (int)i
		};
		if (!event_push(c, &e)) {
			c->stats.events_lost++;
			slot_release(c, s);
			return;
		}
		memcpy(s->buf, buf, p.length);
		s->len = p.length;
		s->state = SLOT_ANSWERED;
		crypto_wipe(s->password, sizeof(s->password));
		return;
	}
	c->stats.dropped[RADIUS_VERDICT_UNMATCHED]++;
	event_push_aside(c, RADIUS_EV_DROPPED, service, server, RADIUS_VERDICT_UNMATCHED);
}

uint64_t radius_client_next_deadline(const struct radius_client *c)
{
	uint64_t d = DEADLINE_NONE;
	for (unsigned i = 0; i < c->cfg.max_outstanding; i++)
		if (c->slots[i].state == SLOT_SENT)
			d = deadline_min(d, c->slots[i].deadline);
	for (int sv = 0; sv < RADIUS_SERVICES; sv++)
		for (unsigned i = 0; i < c->cfg.n_servers[sv]; i++)
			if (c->servers[sv][i].state == SERVER_DEAD)
				d = deadline_min(d, c->servers[sv][i].probe_at);
	return d;
}

static void slot_timeout(struct radius_client *c, struct slot *s, uint64_t now)
{
	if (s->tries <= c->cfg.retries) {
		/* RFC 5080 §2.2.1: same Identifier, same authenticator. */
		size_t len = build_request(c, s);
		s->tries++;
		s->deadline = now + c->cfg.timeout_ms;
		c->stats.retransmitted++;
		if (len)
			emit(c, s->service, s->server, s->socket, len);
		return;
	}
	id_free(c, s->service, s->socket, s->id);
	s->tried |= 1u << s->server;
	mark_dead(c, s->service, s->server, now);
	int next = first_live_server(c, s->service, s->tried);
	if (next < 0 || start_on_server(c, s, (unsigned)next, now) != 0)
		slot_fail(c, s);
}

static void send_probe(struct radius_client *c, enum radius_service service, unsigned server, uint64_t now)
{
	struct server *sv = &c->servers[service][server];
	if (sv->probe_pending) {
		/* Unanswered: give its Identifier back and wait for the next one. */
		id_free(c, service, sv->probe_socket, sv->probe_id);
		sv->probe_pending = false;
		sv->probe_at = now + c->cfg.probe_interval_ms;
		return;
	}
	if (!id_alloc(c, service, &sv->probe_socket, &sv->probe_id)) {
		sv->probe_at = now + c->cfg.probe_interval_ms;
		return;
	}
	random_fill(&c->rs, sv->probe_auth, sizeof(sv->probe_auth));
	const struct radius_server_config *sc = server_cfg(c, service, server);
	struct radius_builder b;
	radius_build_begin(&b, c->out, sizeof(c->out), RADIUS_STATUS_SERVER, sv->probe_id, sv->probe_auth);
	radius_put_message_auth(&b.w); /* RFC 5997 §3: MUST */
	size_t len = radius_build_end(&b);
	(void)radius_sign_request(c->out, len, sc->secret, sc->secret_len);
	sv->probe_pending = true;
	sv->probe_at = now + c->cfg.timeout_ms;
	c->stats.probes++;
	emit(c, service, server, sv->probe_socket, len);
}

void radius_client_on_timeout(struct radius_client *c, uint64_t now)
{
	for (unsigned i = 0; i < c->cfg.max_outstanding; i++) {
		struct slot *s = &c->slots[i];
		if (s->state == SLOT_SENT && s->deadline <= now)
			slot_timeout(c, s, now);
	}
	for (int sv = 0; sv < RADIUS_SERVICES; sv++)
		for (unsigned i = 0; i < c->cfg.n_servers[sv]; i++)
			if (c->servers[sv][i].state == SERVER_DEAD && c->servers[sv][i].probe_at <= now)
				send_probe(c, (enum radius_service)sv, i, now);
}

bool radius_client_next_event(struct radius_client *c, struct radius_event *ev)
{
	if (c->held_slot >= 0) {
		slot_release(c, &c->slots[c->held_slot]);
		c->held_slot = -1;
	}
	if (c->ev_count == 0)
		return false;
	struct queued_event e = c->events[c->ev_head];
	c->ev_head = (c->ev_head + 1) % c->ev_cap;
	c->ev_count--;
	memset(ev, 0, sizeof(*ev));
	ev->type = e.type;
	ev->handle = e.handle;
	ev->service = e.service;
	ev->server = e.server;
	ev->verdict = e.verdict;
	if (e.type == RADIUS_EV_REPLY) {
		struct slot *s = &c->slots[e.slot];
		const struct radius_server_config *sc = server_cfg(c, s->service, s->server);
		(void)radius_packet_parse(s->buf, s->len, &ev->reply);
		memcpy(ev->request_auth, s->auth, RADIUS_AUTH_SIZE);
		ev->secret = sc->secret;
		ev->secret_len = sc->secret_len;
		c->held_slot = e.slot;
	}
	return true;
}

bool radius_client_server_alive(const struct radius_client *c, enum radius_service service, unsigned server)
{
	return server < c->cfg.n_servers[service] && c->servers[service][server].state == SERVER_ALIVE;
}

unsigned radius_client_outstanding(const struct radius_client *c)
{
	return c->outstanding;
}

const struct radius_client_stats *radius_client_stats(const struct radius_client *c)
{
	return &c->stats;
}
