/* SPDX-License-Identifier: BSD-2-Clause */
/* Test harness for the PPP tests: two endpoints, each with LCP, IPCP,
 * IPV6CP and CCP, wired back to back through a queue, with virtual time.
 * Included by the test_ppp*.c files (static functions only). */
#ifndef OPENPPTP_TEST_PPP_LINK_H
#define OPENPPTP_TEST_PPP_LINK_H

/* Each test file uses part of the harness. */
#pragma GCC diagnostic ignored "-Wunused-function"

#include "support/test_support.h"

#include <stdio.h>
#include <string.h>

#include "base/time.h"
#include "proto/ppp/ccp.h"
#include "proto/ppp/ipcp.h"
#include "proto/ppp/ipv6cp.h"
#include "proto/ppp/lcp.h"

#define TL_QUEUE 512
#define TL_EVENTS 64

struct tl_event {
	uint16_t protocol;
	enum ppp_event_type type;
	uint32_t value;
	char reason[128];
};

struct tl_end;

struct tl_net;

struct tl_end {
	struct tl_net *net;
	int idx;
	struct lcp lcp;
	struct ipcp ipcp;
	struct ipv6cp ipv6cp;
	struct ccp ccp;
	bool has_lcp, has_ipcp, has_ipv6cp, has_ccp;
	bool mute;              /* drop everything this end sends */
	bool loop;              /* deliver this end's output back to itself */
	bool auto_ncp;          /* act as the glue: NCPs follow LCP up/down */
	struct test_random tr;
	struct random_source rs;
	struct tl_event events[TL_EVENTS];
	unsigned n_events;
	unsigned sent;
};

struct tl_msg {
	int to;
	uint16_t protocol;
	size_t len;
	uint8_t data[1600];
};

struct tl_net {
	struct tl_end end[2];
	struct tl_msg q[TL_QUEUE];
	unsigned head, tail;
	uint64_t now;
	unsigned delivered;
};

static void tl_output(void *ctx, uint16_t protocol, const uint8_t *pkt, size_t len)
{
	struct tl_end *e = ctx;
	struct tl_net *net = e->net;
	e->sent++;
	if (e->mute)
		return;
	assert_true(net->tail - net->head < TL_QUEUE);
	assert_true(len <= sizeof(net->q[0].data));
	struct tl_msg *m = &net->q[net->tail++ % TL_QUEUE];
	m->to = e->loop ? e->idx : 1 - e->idx;
	m->protocol = protocol;
	m->len = len;
	memcpy(m->data, pkt, len);
}

static void tl_record(struct tl_end *e, const struct ppp_event *ev)
{
	assert_true(e->n_events < TL_EVENTS);
	struct tl_event *t = &e->events[e->n_events++];
	t->protocol = ev->protocol;
	t->type = ev->type;
	t->value = ev->value;
	snprintf(t->reason, sizeof(t->reason), "%s", ev->reason ? ev->reason : "");
}

/* Record every event a lone engine queued (no glue). */
static void tl_collect(struct tl_end *sink, struct ppp_fsm *f)
{
	struct ppp_event ev;
	while (ppp_fsm_next_event(f, &ev))
		tl_record(sink, &ev);
}

/* One event, and what the session glue will do with it. */
static void tl_take(struct tl_end *e, const struct ppp_event *ev)
{
	tl_record(e, ev);
	uint64_t now = e->net ? e->net->now : 0;
	if (ev->protocol == PPP_PROTO_LCP && ev->type == PPP_EVENT_PROTOCOL_REJECT) {
		if (ev->value == PPP_PROTO_CCP && e->has_ccp)
			ccp_protocol_rejected(&e->ccp, now);
		if (ev->value == PPP_PROTO_IPCP && e->has_ipcp)
			ipcp_protocol_rejected(&e->ipcp, now);
		if (ev->value == PPP_PROTO_IPV6CP && e->has_ipv6cp)
			ipv6cp_protocol_rejected(&e->ipv6cp, now);
	}
	if (ev->type == PPP_EVENT_MPPE_REFUSED && e->has_lcp)
		lcp_close(&e->lcp, ev->reason, now);
	/* LCP reports these, the glue closes (lcp.h). */
	if (ev->protocol == PPP_PROTO_LCP && (ev->type == PPP_EVENT_AUTH_REFUSED || ev->type == PPP_EVENT_LOOPBACK))
		lcp_close(&e->lcp, ev->reason, now);
	if (e->auto_ncp && ev->protocol == PPP_PROTO_LCP && (ev->type == PPP_EVENT_UP || ev->type == PPP_EVENT_DOWN)) {
		bool up = ev->type == PPP_EVENT_UP;
		if (e->has_ccp) (up ? ccp_lower_up : ccp_lower_down)(&e->ccp, now);
		if (e->has_ipcp) (up ? ipcp_lower_up : ipcp_lower_down)(&e->ipcp, now);
		if (e->has_ipv6cp) (up ? ipv6cp_lower_up : ipv6cp_lower_down)(&e->ipv6cp, now);
	}
}

/* Events out: after every call into an engine, take what every engine of
 * the end queued (the glue's actions may queue more). */
static void tl_drain(struct tl_end *e)
{
	struct ppp_event ev;
	for (;;) {
		if ((e->has_lcp && lcp_next_event(&e->lcp, &ev)) || (e->has_ccp && ccp_next_event(&e->ccp, &ev)) ||
		    (e->has_ipcp && ipcp_next_event(&e->ipcp, &ev)) ||
		    (e->has_ipv6cp && ipv6cp_next_event(&e->ipv6cp, &ev)))
			tl_take(e, &ev);
		else
			return;
	}
}

static const struct tl_event *tl_find(const struct tl_end *e, uint16_t protocol, enum ppp_event_type type)
{
	for (unsigned i = 0; i < e->n_events; i++)
		if (e->events[i].protocol == protocol && e->events[i].type == type)
			return &e->events[i];
	return NULL;
}

static void tl_init(struct tl_net *net)
{
	memset(net, 0, sizeof(*net));
	for (int i = 0; i < 2; i++) {
		net->end[i].net = net;
		net->end[i].idx = i;
		test_random_init(&net->end[i].tr, 0x1234 + (uint64_t)i * 77);
		net->end[i].rs = test_random_source(&net->end[i].tr);
	}
}

static struct lcp_config tl_lcp_config(struct tl_end *e)
{
	struct lcp_config c = { 0 };
	c.random = &e->rs;
	c.output = tl_output;
	c.output_ctx = e;
	c.pfc = true;
	c.acfc = true;
	return c;
}

static void tl_start_lcp(struct tl_end *e, const struct lcp_config *c)
{
	assert_int_equal(lcp_init(&e->lcp, c), 0);
	e->has_lcp = true;
}

static void tl_start_ipcp(struct tl_end *e, struct ipcp_config *c)
{
	c->output = tl_output;
	c->output_ctx = e;
	assert_int_equal(ipcp_init(&e->ipcp, c), 0);
	e->has_ipcp = true;
}

static void tl_start_ipv6cp(struct tl_end *e, struct ipv6cp_config *c)
{
	c->output = tl_output;
	c->output_ctx = e;
	c->random = &e->rs;
	assert_int_equal(ipv6cp_init(&e->ipv6cp, c), 0);
	e->has_ipv6cp = true;
}

static void tl_start_ccp(struct tl_end *e, struct ccp_config *c)
{
	c->output = tl_output;
	c->output_ctx = e;
	assert_int_equal(ccp_init(&e->ccp, c), 0);
	e->has_ccp = true;
}

/* Lower-up + Open on every protocol the end has. */
static void tl_open(struct tl_end *e)
{
	uint64_t now = e->net ? e->net->now : 0;
	if (e->has_lcp) { lcp_lower_up(&e->lcp, now); lcp_open(&e->lcp, now); }
	if (e->has_ipcp) { ipcp_lower_up(&e->ipcp, now); ipcp_open(&e->ipcp, now); }
	if (e->has_ipv6cp) { ipv6cp_lower_up(&e->ipv6cp, now); ipv6cp_open(&e->ipv6cp, now); }
	if (e->has_ccp) { ccp_lower_up(&e->ccp, now); ccp_open(&e->ccp, now); }
	tl_drain(e);
}

static void tl_deliver(struct tl_net *net, const struct tl_msg *m)
{
	struct tl_end *e = &net->end[m->to];
	net->delivered++;
	if (e->has_lcp)
		lcp_note_rx(&e->lcp, net->now);
	switch (m->protocol) {
	case PPP_PROTO_LCP:
		if (e->has_lcp)
			(void)lcp_input(&e->lcp, m->data, m->len, net->now);
		return;
	case PPP_PROTO_IPCP:
		if (e->has_ipcp) {
			(void)ipcp_input(&e->ipcp, m->data, m->len, net->now);
			return;
		}
		break;
	case PPP_PROTO_IPV6CP:
		if (e->has_ipv6cp) {
			(void)ipv6cp_input(&e->ipv6cp, m->data, m->len, net->now);
			return;
		}
		break;
	case PPP_PROTO_CCP:
		if (e->has_ccp) {
			(void)ccp_input(&e->ccp, m->data, m->len, net->now);
			return;
		}
		break;
	default:
		break;
	}
	if (e->has_lcp)
		(void)lcp_send_protocol_reject(&e->lcp, m->protocol, m->data, m->len);
}

static void tl_deliver_and_drain(struct tl_net *net, const struct tl_msg *m)
{
	tl_deliver(net, m);
	tl_drain(&net->end[m->to]);
}

static uint64_t tl_deadline(struct tl_net *net)
{
	uint64_t d = DEADLINE_NONE;
	for (int i = 0; i < 2; i++) {
		struct tl_end *e = &net->end[i];
		if (e->has_lcp) d = deadline_min(d, lcp_next_deadline(&e->lcp));
		if (e->has_ipcp) d = deadline_min(d, ipcp_next_deadline(&e->ipcp));
		if (e->has_ipv6cp) d = deadline_min(d, ipv6cp_next_deadline(&e->ipv6cp));
		if (e->has_ccp) d = deadline_min(d, ccp_next_deadline(&e->ccp));
	}
	return d;
}

/* Run until nothing is queued and no deadline is before `until`. */
static void tl_run(struct tl_net *net, uint64_t until)
{
	for (int guard = 0; guard < 100000; guard++) {
		/* What a test did to an engine directly (lcp_close ...). */
		tl_drain(&net->end[0]);
		tl_drain(&net->end[1]);
		if (net->head != net->tail) {
			struct tl_msg m = net->q[net->head++ % TL_QUEUE];
			tl_deliver_and_drain(net, &m);
			continue;
		}
		uint64_t d = tl_deadline(net);
		if (d == DEADLINE_NONE || d > until)
			return;
		if (d > net->now)
			net->now = d;
		for (int i = 0; i < 2; i++) {
			struct tl_end *e = &net->end[i];
			if (e->has_lcp) lcp_on_timeout(&e->lcp, net->now);
			tl_drain(e);
			if (e->has_ipcp) ipcp_on_timeout(&e->ipcp, net->now);
			tl_drain(e);
			if (e->has_ipv6cp) ipv6cp_on_timeout(&e->ipv6cp, net->now);
			tl_drain(e);
			if (e->has_ccp) ccp_on_timeout(&e->ccp, net->now);
			tl_drain(e);
		}
	}
	fail_msg("tl_run did not settle");
}

/* Capture one engine's output directly (no network). */
struct tl_capture {
	uint8_t data[8][1600];
	size_t len[8];
	uint16_t protocol[8];
	unsigned n;
};

static void tl_capture_output(void *ctx, uint16_t protocol, const uint8_t *pkt, size_t len)
{
	struct tl_capture *c = ctx;
	if (c->n >= 8)
		return;
	memcpy(c->data[c->n], pkt, len < 1600 ? len : 1600);
	c->len[c->n] = len;
	c->protocol[c->n] = protocol;
	c->n++;
}

#endif
