/* SPDX-License-Identifier: BSD-2-Clause */
/* Two ppp_link engines (server + client) back to back through a simulated
 * pipe with virtual time, loss and mangling hooks. Included by test_link*.c. */
#ifndef OPENPPTP_TEST_LINK_SIM_H
#define OPENPPTP_TEST_LINK_SIM_H

#pragma GCC diagnostic ignored "-Wunused-function"

#include "support/test_support.h"
#include "base/inet_checksum.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bytes.h"
#include "base/error.h"
#include "base/pkt.h"
#include "base/time.h"
#include "proto/session/ppp_link.h"

#define SIM_QUEUE 1024
#define SIM_EVENTS 16
#define SIM_RX 64

#define SRV_LOCAL 0xCB007101u  /* 203.0.113.1 */
#define SRV_ASSIGN 0xCB00710Au /* 203.0.113.10 */
#define SRV_DNS1 0xCB007135u   /* 203.0.113.53 */
#define SRV_DNS2 0xCB007136u   /* 203.0.113.54 */

struct sim_event {
	enum ppp_link_event_type type;
	enum ppp_link_cause cause;
	char reason[PPP_LINK_REASON_MAX];
	char user[PPP_LINK_NAME_MAX];
	uint32_t local, peer, dns[2], nbns[2];
	uint16_t mtu;
	unsigned mppe_bits;
	bool stateless, mppc;
	unsigned auth;
	struct ppp_link_ipv6 ipv6;
	uint64_t at;
};

struct sim;

/* Random source: xorshift, except that 16-byte requests (CHAP challenges)
 * may be scripted, and `constant` makes every byte the same. */
struct sim_random {
	struct test_random tr;
	const uint8_t *script16;
	bool constant;
};

struct sim_end {
	struct sim *sim;
	int idx;
	struct ppp_link *link;
	struct ppp_link_config cfg;
	struct sim_random rnd;
	const char *secret_password;   /* server: password for "alice" / "testuser" */
	uint32_t assign;               /* server: what assign_address returns */
	struct sim_event ev[SIM_EVENTS];
	unsigned n_ev;
	struct {
		size_t len;
		uint8_t data[1600];
	} rx[SIM_RX];
	unsigned n_rx;
	bool mute;                     /* drop everything this end sends */
	unsigned drop_data;            /* drop the next N 0x00FD/IP frames this end sends */
	/* mangle this end's output before it is queued */
	void (*mangle)(struct sim_end *e, struct pkt *p);
	/* true: this frame of this end's output is lost */
	bool (*drop)(struct sim_end *e, const struct pkt *p);
	unsigned sent_frames;
};

struct sim_msg {
	int to;
	struct pkt *p;
};

struct sim {
	struct sim_end end[2];   /* 0 = server, 1 = client */
	struct sim_msg q[SIM_QUEUE];
	unsigned head, tail;
	uint64_t now;
	bool tight;   /* hand frames over in buffers with no spare capacity */
};

static void sim_random_fill(void *ctx, void *buf, size_t len)
{
	struct sim_random *r = ctx;
	if (r->constant) {
		memset(buf, 0x5a, len);
		return;
	}
	if (len == 16 && r->script16) {
		memcpy(buf, r->script16, 16);
		return;
	}
	struct random_source rs = test_random_source(&r->tr);
	rs.fill(rs.ctx, buf, len);
}

static bool sim_is_data(const struct pkt *p)
{
	const uint8_t *d = pkt_data(p);
	size_t n = p->len;
	if (n >= 2 && d[0] == 0xff && d[1] == 0x03) {
		d += 2;
		n -= 2;
	}
	if (n >= 1 && (d[0] & 1))
		return d[0] == 0xfd || d[0] == 0x21 || d[0] == 0x57;
	return n >= 2 && d[0] == 0 && (d[1] == 0xfd || d[1] == 0x21 || d[1] == 0x57);
}

static void sim_output(void *ctx, struct pkt *p)
{
	struct sim_end *e = ctx;
	struct sim *s = e->sim;
	e->sent_frames++;
	if (e->mute) {
		pkt_free(p);
		return;
	}
	if (e->drop && e->drop(e, p)) {
		pkt_free(p);
		return;
	}
	if (e->drop_data && sim_is_data(p)) {
		e->drop_data--;
		pkt_free(p);
		return;
	}
	if (e->mangle)
		e->mangle(e, p);
	assert_true(s->tail - s->head < SIM_QUEUE);
	s->q[s->tail % SIM_QUEUE].to = 1 - e->idx;
	s->q[s->tail % SIM_QUEUE].p = p;
	s->tail++;
}

static void sim_deliver_ip(void *ctx, struct pkt *p)
{
	struct sim_end *e = ctx;
	if (e->n_rx < SIM_RX && p->len <= sizeof(e->rx[0].data)) {
		e->rx[e->n_rx].len = p->len;
		memcpy(e->rx[e->n_rx].data, pkt_data(p), p->len);
		e->n_rx++;
	}
	pkt_free(p);
}

static void sim_record(struct sim_end *e, const struct ppp_link_event *ev)
{
	assert_true(e->n_ev < SIM_EVENTS);
	struct sim_event *t = &e->ev[e->n_ev++];
	memset(t, 0, sizeof(*t));
	t->type = ev->type;
	t->cause = ev->cause;
	snprintf(t->reason, sizeof(t->reason), "%s", ev->reason);
	snprintf(t->user, sizeof(t->user), "%s", ev->user);
	t->local = ev->local_address;
	t->peer = ev->peer_address;
	t->dns[0] = ev->dns[0];
	t->dns[1] = ev->dns[1];
	t->nbns[0] = ev->nbns[0];
	t->nbns[1] = ev->nbns[1];
	t->mtu = ev->mtu;
	t->mppe_bits = ev->mppe_bits;
	t->stateless = ev->mppe_stateless;
	t->mppc = ev->mppc;
	t->auth = ev->auth;
	t->ipv6 = ev->ipv6;
	t->at = e->sim ? e->sim->now : 0;
}

static int sim_lookup(void *ctx, const char *user, struct ppp_link_secret *out)
{
	struct sim_end *e = ctx;
	if (strcmp(user, "alice") != 0 && strcmp(user, "testuser") != 0)
		return ERR_NOT_FOUND;
	out->has_password = true;
	snprintf(out->password, sizeof(out->password), "%s", e->secret_password ? e->secret_password : "");
	return 0;
}

static uint32_t sim_assign(void *ctx, const char *user, uint32_t static_address)
{
	struct sim_end *e = ctx;
	(void)user;
	return static_address ? static_address : e->assign;
}

/* Events out: take what the link queued (after every call into it). */
static void sim_drain(struct sim_end *e)
{
	struct ppp_link_event ev;
	while (e->link && ppp_link_next_event(e->link, &ev)) {
		assert_true(e->n_ev == 0 || e->ev[e->n_ev - 1].type != PPP_LINK_EVENT_DOWN); /* DOWN is last */
		sim_record(e, &ev);
	}
}

static const struct sim_event *sim_find(struct sim_end *e, enum ppp_link_event_type type)
{
	sim_drain(e);
	for (unsigned i = 0; i < e->n_ev; i++)
		if (e->ev[i].type == type)
			return &e->ev[i];
	return NULL;
}

static unsigned sim_count(struct sim_end *e, enum ppp_link_event_type type)
{
	unsigned n = 0;
	sim_drain(e);
	for (unsigned i = 0; i < e->n_ev; i++)
		n += e->ev[i].type == type;
	return n;
}

/* Both configurations with the matrix defaults; tests edit them before sim_start. */
static void sim_init(struct sim *s, unsigned auth, const struct ppp_mppe_policy *mppe)
{
	memset(s, 0, sizeof(*s));
	for (int i = 0; i < 2; i++) {
		struct sim_end *e = &s->end[i];
		e->sim = s;
		e->idx = i;
		test_random_init(&e->rnd.tr, 0x5eed + (uint64_t)i * 1009);
		struct ppp_link_config *c = &e->cfg;
		c->role = i == 0 ? PPP_LINK_SERVER : PPP_LINK_CLIENT;
		c->tag = i == 0 ? "srv" : "cli";
		c->random.fill = sim_random_fill;
		c->random.ctx = &e->rnd;
		c->auth_allowed = auth;
		if (mppe)
			c->mppe = *mppe;
		c->ctx = e;
		c->output = sim_output;
		c->deliver_ip = sim_deliver_ip;
	}
	struct ppp_link_config *sc = &s->end[0].cfg;
	sc->lookup_secret = sim_lookup;
	sc->assign_address = sim_assign;
	sc->local_address = SRV_LOCAL;
	sc->dns[0] = SRV_DNS1;
	sc->dns[1] = SRV_DNS2;
	s->end[0].secret_password = "s3cret pass";
	s->end[0].assign = SRV_ASSIGN;
	struct ppp_link_config *cc = &s->end[1].cfg;
	cc->user = "alice";
	cc->password = "s3cret pass";
}

static void sim_start(struct sim *s)
{
	for (int i = 0; i < 2; i++) {
		s->end[i].link = ppp_link_new(&s->end[i].cfg);
		assert_non_null(s->end[i].link);
	}
	ppp_link_start(s->end[0].link, s->now);
	sim_drain(&s->end[0]);
	ppp_link_start(s->end[1].link, s->now);
	sim_drain(&s->end[1]);
}

static void sim_free(struct sim *s)
{
	while (s->head != s->tail)
		pkt_free(s->q[s->head++ % SIM_QUEUE].p);
	for (int i = 0; i < 2; i++)
		ppp_link_free(s->end[i].link);
}

static uint64_t sim_deadline(const struct sim *s)
{
	uint64_t d = DEADLINE_NONE;
	for (int i = 0; i < 2; i++)
		if (s->end[i].link)
			d = deadline_min(d, ppp_link_next_deadline(s->end[i].link));
	return d;
}

/* Deliver everything queued, firing timers up to `until`. */
static void sim_run(struct sim *s, uint64_t until)
{
	for (int guard = 0; guard < 200000; guard++) {
		/* What a test did to a link directly (ppp_link_close ...). */
		sim_drain(&s->end[0]);
		sim_drain(&s->end[1]);
		if (s->head != s->tail) {
			struct sim_msg m = s->q[s->head++ % SIM_QUEUE];
			if (s->tight) {
				struct pkt *t = pkt_new(PKT_HEADROOM + m.p->len, PKT_HEADROOM);
				memcpy(pkt_put(t, m.p->len), pkt_data(m.p), m.p->len);
				pkt_free(m.p);
				m.p = t;
			}
			ppp_link_input(s->end[m.to].link, m.p, s->now);
			sim_drain(&s->end[m.to]);
			continue;
		}
		uint64_t d = sim_deadline(s);
		if (d == DEADLINE_NONE || d > until) {
			if (until != DEADLINE_NONE && until > s->now)
				s->now = until;
			return;
		}
		if (d > s->now)
			s->now = d;
		for (int i = 0; i < 2; i++) {
			if (s->end[i].link) {
				ppp_link_on_timeout(s->end[i].link, s->now);
				sim_drain(&s->end[i]);
			}
		}
	}
	fail_msg("sim_run did not settle");
}

/* ---- IP packets ---- */

static uint16_t ip_checksum(const uint8_t *p, size_t n)
{
	return inet_checksum(p, n);
}

/* An IPv4/UDP packet of `len` bytes (>= 28) with a valid header checksum. */
static struct pkt *make_ipv4(uint32_t src, uint32_t dst, size_t len, unsigned seed)
{
	struct pkt *p = pkt_new(PKT_SIZE, PKT_HEADROOM);
	uint8_t *d = pkt_put(p, len);
	memset(d, 0, len);
	d[0] = 0x45;
	store_be16(d + 2, (uint16_t)len);
	store_be16(d + 4, (uint16_t)seed);
	d[8] = 64;
	d[9] = 17;
	store_be32(d + 12, src);
	store_be32(d + 16, dst);
	store_be16(d + 10, ip_checksum(d, 20));
	store_be16(d + 20, 5000);
	store_be16(d + 22, 53);
	store_be16(d + 24, (uint16_t)(len - 20));
	for (size_t i = 28; i < len; i++)
		d[i] = (uint8_t)((seed & 1) ? (i % 7) : (i * 31 + seed));
	return p;
}

static struct pkt *make_ipv6(size_t len, unsigned seed)
{
	struct pkt *p = pkt_new(PKT_SIZE, PKT_HEADROOM);
	uint8_t *d = pkt_put(p, len);
	memset(d, 0, len);
	d[0] = 0x60;
	store_be16(d + 4, (uint16_t)(len - 40));
	d[6] = 59; /* no next header */
	d[7] = 64;
	d[8] = 0xfe;
	d[9] = 0x80;
	d[24] = 0xfe;
	d[25] = 0x80;
	for (size_t i = 40; i < len; i++)
		d[i] = (uint8_t)(i ^ seed);
	return p;
}

/* An IPv6 packet from the link-local address `link` negotiated (fe80::local_id). */
static struct pkt *make_ipv6_from(struct ppp_link *link, size_t len, unsigned seed)
{
	struct pkt *p = make_ipv6(len, seed);
	uint64_t local_id = 0, peer_id = 0;
	if (ppp_link_ipv6_ids(link, &local_id, &peer_id)) {
		store_be32(pkt_data(p) + 16, (uint32_t)(local_id >> 32));
		store_be32(pkt_data(p) + 20, (uint32_t)local_id);
		store_be32(pkt_data(p) + 32, (uint32_t)(peer_id >> 32));
		store_be32(pkt_data(p) + 36, (uint32_t)peer_id);
	}
	return p;
}

static bool ipv4_valid(const uint8_t *d, size_t n)
{
	return n >= 20 && (d[0] >> 4) == 4 && load_be16(d + 2) == n && ip_checksum(d, (size_t)(d[0] & 15) * 4) == 0;
}

#endif
