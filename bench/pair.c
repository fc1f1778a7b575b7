/* SPDX-License-Identifier: BSD-2-Clause */
/* Client and server tunnels back to back in virtual time (see pair.h). */
#include "pair.h"

#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "base/time.h"
#include "proto/gre/gre_header.h"

/* Addresses from the documentation ranges, as in the unit tests. */
#define SERVER_UNDERLAY 0xC0000201u /* 192.0.2.1 */
#define CLIENT_UNDERLAY 0xC000020Bu /* 192.0.2.11 */
#define SERVER_TUNNEL 0xCB007101u   /* 203.0.113.1 */
#define CLIENT_TUNNEL 0xCB00710Au   /* 203.0.113.10 */
#define DNS1 0xCB007135u            /* 203.0.113.53 */
#define PASSWORD "correct horse"

void net_init(struct bench_net *net)
{
	memset(net, 0, sizeof(*net));
	net->now = 1000;
	net->latency_ms = 1;
}

void net_clear(struct bench_net *net)
{
	while (net->head != net->tail)
		pkt_free(net->q[net->head++ % NET_QUEUE].p);
}

static void net_send(struct pair_side *from, struct pkt *p, bool tcp)
{
	struct bench_net *net = from->pair->net;
	if (net->tail - net->head >= NET_QUEUE)
		bench_fail("net queue full");
	net->q[net->tail++ % NET_QUEUE] = (struct net_msg){
		.to = &from->pair->side[1 - from->index],
		.p = p,
		.at = net->now + net->latency_ms,
		.tcp = tcp,
	};
}

static void on_tcp_output(void *ctx, const uint8_t *bytes, size_t len)
{
	struct pkt *p = pkt_new(len ? len : 1, 0);
	if (!p)
		bench_fail("out of memory");
	memcpy(pkt_put(p, len), bytes, len);
	net_send(ctx, p, true);
}

static void on_gre_output(void *ctx, uint32_t peer_ipv4, struct pkt *gre_packet)
{
	(void)peer_ipv4;
	net_send(ctx, gre_packet, false);
}

static void on_tun_output(void *ctx, struct tunnel_call *call, struct pkt *ip_packet)
{
	struct pair_side *s = ctx;
	(void)call;
	s->ip_packets++;
	s->ip_bytes += ip_packet->len;
	if (s->copy_to) {
		s->copy_len = ip_packet->len < s->copy_cap ? ip_packet->len : s->copy_cap;
		memcpy(s->copy_to, pkt_data(ip_packet), s->copy_len);
	}
	pkt_free(ip_packet);
}

static void on_event(struct pair_side *s, const struct tunnel_event *ev)
{
	switch (ev->type) {
	case TUNNEL_EVENT_LINK_UP:
		s->link_up = true;
		s->call = ev->call;
		s->mtu = ev->link.mtu;
		s->mppe_bits = ev->link.mppe_bits;
		s->mppe_stateless = ev->link.mppe_stateless;
		break;
	case TUNNEL_EVENT_LINK_DOWN:
	case TUNNEL_EVENT_CLOSED:
		s->link_up = false;
		s->link_failed = true;
		break;
	case TUNNEL_EVENT_CALL_DOWN:
		s->call = NULL;
		break;
	default:
		break;
	}
}

void pair_drain(struct pair_side *s)
{
	struct tunnel_event ev;
	while (s->tunnel && tunnel_next_event(s->tunnel, &ev))
		on_event(s, &ev);
}

static int on_lookup_secret(void *ctx, const char *user, struct ppp_link_secret *out)
{
	(void)ctx;
	if (strcmp(user, "alice") != 0)
		return ERR_NOT_FOUND;
	memset(out, 0, sizeof(*out));
	out->has_password = true;
	snprintf(out->password, sizeof(out->password), "%s", PASSWORD);
	return 0;
}

static uint32_t on_assign_address(void *ctx, const char *user, uint32_t static_address)
{
	(void)ctx;
	(void)user;
	return static_address ? static_address : CLIENT_TUNNEL;
}

static void set_mppe(struct ppp_mppe_policy *m, enum pair_mppe mode)
{
	switch (mode) {
	case PAIR_MPPE_STATELESS:
		break; /* ppp_link_config_defaults already says so */
	case PAIR_MPPE_STATEFUL:
		m->allow_stateful = true;
		m->stateful_only = true;
		break;
	case PAIR_MPPE_NONE:
		memset(m, 0, sizeof(*m));
		break;
	}
}

void pair_init(struct bench_pair *pair, struct bench_net *net, enum pair_mppe mppe, unsigned id)
{
	memset(pair, 0, sizeof(*pair));
	pair->net = net;
	for (int i = 0; i < 2; i++) {
		struct pair_side *s = &pair->side[i];
		s->pair = pair;
		s->index = i;
		struct tunnel_config cfg = { 0 };
		cfg.role = i == 0 ? PPTP_ROLE_PNS : PPTP_ROLE_PAC;
		cfg.local_ipv4 = i == 0 ? CLIENT_UNDERLAY : SERVER_UNDERLAY;
		cfg.peer_ipv4 = i == 0 ? SERVER_UNDERLAY : CLIENT_UNDERLAY;
		cfg.tag = i == 0 ? "client" : "server";
		cfg.random = bench_random_source(&s->random, 1234 + (uint64_t)id * 7919 + (uint64_t)i * 77);
		pptp_ctrl_config_defaults(&cfg.ctrl, cfg.role);
		gre_channel_config_default(&cfg.gre);
		ppp_link_config_defaults(&cfg.link, i == 0 ? PPP_LINK_CLIENT : PPP_LINK_SERVER);
		set_mppe(&cfg.link.mppe, mppe);
		if (i == 0) {
			cfg.link.user = "alice";
			cfg.link.password = PASSWORD;
		} else {
			cfg.link.local_address = SERVER_TUNNEL;
			cfg.link.dns[0] = DNS1;
			cfg.link.lookup_secret = on_lookup_secret;
			cfg.link.assign_address = on_assign_address;
		}
		cfg.ctx = s;
		cfg.tcp_output = on_tcp_output;
		cfg.gre_output = on_gre_output;
		cfg.tun_output = on_tun_output;
		s->tunnel = tunnel_new(&cfg, net->now);
		if (!s->tunnel)
			bench_fail("tunnel_new");
	}
	if (tunnel_start(pair->side[0].tunnel, net->now) < 0)
		bench_fail("tunnel_start");
	pair_drain(&pair->side[0]);
}

/* Deliver the oldest message if it is due; false if none is. */
static bool deliver_one(struct bench_net *net)
{
	if (net->head == net->tail || net->q[net->head % NET_QUEUE].at > net->now)
		return false;
	struct net_msg m = net->q[net->head++ % NET_QUEUE];
	struct tunnel *t = m.to->tunnel;
	if (!t || tunnel_is_closed(t)) {
		pkt_free(m.p);
	} else if (m.tcp) {
		tunnel_tcp_input(t, pkt_data(m.p), m.p->len, net->now);
		pkt_free(m.p);
		pair_drain(m.to);
	} else {
		/* What the daemon does after the raw socket: decode and strip
		 * the GRE header, hand header and payload to the tunnel. */
		struct gre_header h;
		if (gre_header_strip(m.p, &h) < 0)
			pkt_free(m.p);
		else
			tunnel_gre_input(t, &h, m.p, net->now);
		pair_drain(m.to);
	}
	return true;
}

static uint64_t pair_deadline(const struct bench_pair *pair)
{
	uint64_t d = DEADLINE_NONE;
	for (int i = 0; i < 2; i++)
		if (pair->side[i].tunnel && !tunnel_is_closed(pair->side[i].tunnel))
			d = deadline_min(d, tunnel_next_deadline(pair->side[i].tunnel));
	return d;
}

static bool both_up(const struct bench_pair *pair)
{
	return pair->side[0].link_up && pair->side[1].link_up;
}

/* Deliver and fire timers up to virtual time `until`; stop early once
 * `until_up` holds and both links are up. Bounded like the unit tests. */
static void pair_run(struct bench_pair *pair, uint64_t until, bool until_up)
{
	struct bench_net *net = pair->net;
	for (unsigned guard = 0; guard < 1000000; guard++) {
		if (until_up && both_up(pair))
			return;
		if (deliver_one(net))
			continue;
		uint64_t next = pair_deadline(pair);
		if (net->head != net->tail)
			next = deadline_min(next, net->q[net->head % NET_QUEUE].at);
		if (next == DEADLINE_NONE || next > until) {
			if (net->now < until)
				net->now = until;
			return;
		}
		if (next > net->now)
			net->now = next;
		for (int i = 0; i < 2; i++) {
			struct tunnel *t = pair->side[i].tunnel;
			if (t && !tunnel_is_closed(t) && tunnel_next_deadline(t) <= net->now) {
				tunnel_on_timeout(t, net->now);
				pair_drain(&pair->side[i]);
			}
		}
	}
	bench_fail("simulation did not settle");
}

void pair_bring_up(struct bench_pair *pair)
{
	struct bench_net *net = pair->net;
	pair_run(pair, net->now + 60000, true);
	if (!both_up(pair))
		bench_fail("pair did not come up");
	/* Let the last frames (acks, the final IPCP/CCP packets) land so no
	 * packet is in flight when the benchmark starts or measures memory. */
	for (unsigned i = 0; i < 1000 && net->head != net->tail; i++)
		pair_run(pair, net->now + 1, false);
	if (net->head != net->tail || !both_up(pair))
		bench_fail("pair did not settle after coming up");
}

void pair_pump(struct bench_pair *pair)
{
	pair_run(pair, pair->net->now, false);
}

void pair_free_side(struct bench_pair *pair, int index)
{
	tunnel_free(pair->side[index].tunnel);
	pair->side[index].tunnel = NULL;
	pair->side[index].call = NULL;
}
