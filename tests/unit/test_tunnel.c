/* SPDX-License-Identifier: BSD-2-Clause */
/* src/proto/session/tunnel: a client (PNS) and a server (PAC) tunnel wired
 * back to back through a simulated network with virtual time: TCP is an
 * in-order byte pipe, GRE a datagram queue with 1 ms latency and optional
 * loss or a full block (a firewall dropping IP protocol 47). */
#include "support/test_support.h"
#include "base/inet_checksum.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bytes.h"
#include "base/error.h"
#include "base/time.h"
#include "proto/gre/gre_header.h"
#include "proto/session/tunnel.h"
#include "proto/session/tunnel_internal.h" /* events_lost */

#define SERVER_UNDERLAY 0xC0000201u /* 192.0.2.1 */
#define CLIENT_UNDERLAY 0xC000020Bu /* 192.0.2.11 */
#define SERVER_TUNNEL 0xCB007101u   /* 203.0.113.1 */
#define CLIENT_TUNNEL 0xCB00710Au   /* 203.0.113.10 */
#define DNS1 0xCB007135u            /* 203.0.113.53 */

struct sim;

struct sim_side {
	struct sim *sim;
	int index;
	struct tunnel *tunnel;
	unsigned ipv6_events;     /* TUNNEL_EVENT_IPV6_UP / _PREFIX seen */
	/* TCP: chunks in order, each delivered 1 ms after it was written,
	 * like the GRE datagrams (a zero-latency TCP would let a Call-Disconnect
	 * overtake the PPP packets sent before it). */
	struct { uint64_t at; size_t len; uint8_t bytes[1024]; } outbox[256];
	size_t outbox_len;
	bool control_up;
	bool link_up;
	bool closed;
	bool tcp_closed_delivered;
	enum tunnel_close_cause cause;
	enum ppp_link_cause link_cause;
	char reason[256];
	struct tunnel_call *call;
	unsigned calls_up, calls_down;
	bool call_down_after_closed;
	uint32_t local_address, peer_address, dns1;
	unsigned mppe_bits;
	unsigned ip_received;
	uint8_t last_ip[2048];
	size_t last_ip_len;
	char password[64];
};

#define SIM_QUEUE 4096

struct sim_datagram {
	struct pkt *p;
	uint64_t at;
	int to;
};

struct sim {
	uint64_t now;
	struct sim_side side[2]; /* 0 = client, 1 = server */
	struct sim_datagram queue[SIM_QUEUE];
	size_t queued;
	bool block_gre;
	unsigned drop_every;     /* drop one GRE datagram in N, pseudo-randomly (0 = none) */
	uint64_t loss_state;     /* a fixed "every Nth" pattern would resonate with retransmission timers */
	unsigned gre_sent;
	struct test_random random[2];
	struct random_source rs[2];
};

static struct sim_side *peer_of(struct sim_side *s)
{
	return &s->sim->side[1 - s->index];
}

static void sim_tcp_output(void *ctx, const uint8_t *bytes, size_t len)
{
	struct sim_side *s = ctx;
	while (len) {
		assert_true(s->outbox_len < 256);
		size_t n = len < 1024 ? len : 1024;
		s->outbox[s->outbox_len].at = s->sim->now + 1;
		s->outbox[s->outbox_len].len = n;
		memcpy(s->outbox[s->outbox_len].bytes, bytes, n);
		s->outbox_len++;
		bytes += n;
		len -= n;
	}
}

static void sim_gre_output(void *ctx, uint32_t peer_ipv4, struct pkt *gre_packet)
{
	struct sim_side *s = ctx;
	struct sim *sim = s->sim;
	assert_int_equal(peer_ipv4, s->index == 0 ? SERVER_UNDERLAY : CLIENT_UNDERLAY);
	sim->gre_sent++;
	bool lost = false;
	if (sim->drop_every) {
		sim->loss_state = sim->loss_state * 6364136223846793005ULL + 1442695040888963407ULL;
		lost = (sim->loss_state >> 33) % sim->drop_every == 0;
	}
	if (sim->block_gre || lost || sim->queued == SIM_QUEUE) {
		pkt_free(gre_packet);
		return;
	}
	sim->queue[sim->queued++] = (struct sim_datagram){ .p = gre_packet, .at = sim->now + 1, .to = 1 - s->index };
}

static void sim_tun_output(void *ctx, struct tunnel_call *call, struct pkt *ip_packet)
{
	struct sim_side *s = ctx;
	(void)call;
	s->ip_received++;
	s->last_ip_len = ip_packet->len < sizeof(s->last_ip) ? ip_packet->len : sizeof(s->last_ip);
	memcpy(s->last_ip, pkt_data(ip_packet), s->last_ip_len);
	pkt_free(ip_packet);
}

static void sim_event(struct sim_side *s, const struct tunnel_event *ev)
{
	switch (ev->type) {
	case TUNNEL_EVENT_CONTROL_UP:
		s->control_up = true;
		break;
	case TUNNEL_EVENT_CALL_UP:
		s->call = ev->call;
		s->calls_up++;
		break;
	case TUNNEL_EVENT_AUTHENTICATED:
	case TUNNEL_EVENT_VERIFY: /* only with link.remote_verify */
		break;
	case TUNNEL_EVENT_IPV6_UP:
	case TUNNEL_EVENT_IPV6_PREFIX:
		assert_true(ev->has_link);
		s->ipv6_events++;
		break;
	case TUNNEL_EVENT_LINK_UP:
		s->link_up = true;
		s->call = ev->call;
		assert_true(ev->has_link);
		s->local_address = ev->link.local_address;
		s->peer_address = ev->link.peer_address;
		s->dns1 = ev->link.dns[0];
		s->mppe_bits = ev->link.mppe_bits;
		break;
	case TUNNEL_EVENT_LINK_DOWN:
		s->link_up = false;
		assert_true(ev->has_link);
		s->link_cause = ev->link.cause;
		break;
	case TUNNEL_EVENT_CALL_DOWN:
		if (ev->call)
			s->calls_down++;
		if (s->closed)
			s->call_down_after_closed = true;
		s->call = NULL;
		break;
	case TUNNEL_EVENT_CLOSED:
		s->closed = true;
		s->cause = ev->cause;
		snprintf(s->reason, sizeof(s->reason), "%s", ev->reason);
		if (ev->has_link)
			s->link_cause = ev->link.cause;
		break;
	}
}

/* What a daemon does after every tunnel_* call. */
static void sim_drain(struct sim_side *s)
{
	struct tunnel_event ev;
	while (tunnel_next_event(s->tunnel, &ev)) {
		assert_false(s->closed); /* CLOSED is the last event */
		sim_event(s, &ev);
	}
	assert_int_equal(s->tunnel->events_lost, 0); /* the queue's bound held */
}

static int sim_lookup_secret(void *ctx, const char *user, struct ppp_link_secret *out)
{
	struct sim_side *s = ctx;
	if (strcmp(user, "alice") != 0)
		return ERR_NOT_FOUND;
	memset(out, 0, sizeof(*out));
	out->has_password = true;
	snprintf(out->password, sizeof(out->password), "%s", s->password);
	return 0;
}

static uint32_t sim_assign_address(void *ctx, const char *user, uint32_t static_address)
{
	(void)ctx;
	(void)user;
	return static_address ? static_address : CLIENT_TUNNEL;
}

struct sim_options {
	unsigned auth;
	struct ppp_mppe_policy mppe;
	const char *client_password;
	uint32_t keepalive_ms;
};

static void sim_setup(struct sim *sim, const struct sim_options *o)
{
	memset(sim, 0, sizeof(*sim));
	sim->now = 1000;
	for (int i = 0; i < 2; i++) {
		struct sim_side *s = &sim->side[i];
		s->sim = sim;
		s->index = i;
		snprintf(s->password, sizeof(s->password), "correct horse");
		test_random_init(&sim->random[i], 1234 + (uint64_t)i * 77);
		sim->rs[i] = test_random_source(&sim->random[i]);

		struct tunnel_config cfg = { 0 };
		cfg.role = i == 0 ? PPTP_ROLE_PNS : PPTP_ROLE_PAC;
		cfg.local_ipv4 = i == 0 ? CLIENT_UNDERLAY : SERVER_UNDERLAY;
		cfg.peer_ipv4 = i == 0 ? SERVER_UNDERLAY : CLIENT_UNDERLAY;
		cfg.tag = i == 0 ? "client" : "server";
		cfg.random = sim->rs[i];
		pptp_ctrl_config_defaults(&cfg.ctrl, cfg.role);
		if (o->keepalive_ms) {
			cfg.ctrl.keepalive_interval_ms = o->keepalive_ms;
			cfg.ctrl.keepalive_timeout_ms = o->keepalive_ms;
		}
		gre_channel_config_default(&cfg.gre);
		ppp_link_config_defaults(&cfg.link, i == 0 ? PPP_LINK_CLIENT : PPP_LINK_SERVER);
		cfg.link.auth_allowed = o->auth;
		cfg.link.mppe = o->mppe;
		if (i == 0) {
			cfg.link.user = "alice";
			cfg.link.password = o->client_password ? o->client_password : "correct horse";
		} else {
			cfg.link.local_address = SERVER_TUNNEL;
			cfg.link.dns[0] = DNS1;
			cfg.link.lookup_secret = sim_lookup_secret;
			cfg.link.assign_address = sim_assign_address;
		}
		cfg.ctx = s;
		cfg.tcp_output = sim_tcp_output;
		cfg.gre_output = sim_gre_output;
		cfg.tun_output = sim_tun_output;
		s->tunnel = tunnel_new(&cfg, sim->now);
		assert_non_null(s->tunnel);
	}
	assert_int_equal(tunnel_start(sim->side[0].tunnel, sim->now), 0);
	sim_drain(&sim->side[0]);
}

static void sim_teardown(struct sim *sim)
{
	for (size_t i = 0; i < sim->queued; i++)
		pkt_free(sim->queue[i].p);
	sim->queued = 0;
	for (int i = 0; i < 2; i++)
		tunnel_free(sim->side[i].tunnel);
}

/* Deliver whatever is due; returns true if anything moved. */
static bool sim_deliver(struct sim *sim)
{
	bool moved = false;
	for (int i = 0; i < 2; i++) {
		struct sim_side *s = &sim->side[i];
		struct sim_side *p = peer_of(s);
		if (s->outbox_len && s->outbox[0].at <= sim->now) {
			uint8_t bytes[1024];
			size_t len = s->outbox[0].len;
			memcpy(bytes, s->outbox[0].bytes, len);
			memmove(&s->outbox[0], &s->outbox[1], (s->outbox_len - 1) * sizeof(s->outbox[0]));
			s->outbox_len--;
			if (!p->closed) {
				tunnel_tcp_input(p->tunnel, bytes, len, sim->now);
				sim_drain(p);
			}
			moved = true;
		}
		/* A side that closed its TCP connection: the peer sees the FIN. */
		if (s->closed && !s->outbox_len && !s->tcp_closed_delivered && !p->closed) {
			s->tcp_closed_delivered = true;
			tunnel_tcp_closed(p->tunnel, sim->now);
			sim_drain(p);
			moved = true;
		}
	}
	for (size_t i = 0; i < sim->queued;) {
		struct sim_datagram d = sim->queue[i];
		if (d.at > sim->now) {
			i++;
			continue;
		}
		sim->queue[i] = sim->queue[--sim->queued];
		struct sim_side *to = &sim->side[d.to];
		struct gre_header h;
		if (to->closed || gre_header_strip(d.p, &h) < 0) {
			pkt_free(d.p);
			continue;
		}
		tunnel_gre_input(to->tunnel, &h, d.p, sim->now);
		sim_drain(to);
		moved = true;
	}
	return moved;
}

/* Run until `done` or virtual time `until`. */
static void sim_run(struct sim *sim, uint64_t until, bool (*done)(struct sim *))
{
	for (int guard = 0; guard < 2000000; guard++) {
		if (done && done(sim))
			return;
		if (sim_deliver(sim))
			continue;
		uint64_t next = DEADLINE_NONE;
		for (int i = 0; i < 2; i++)
			if (!sim->side[i].closed)
				next = deadline_min(next, tunnel_next_deadline(sim->side[i].tunnel));
		for (size_t i = 0; i < sim->queued; i++)
			next = deadline_min(next, sim->queue[i].at);
		for (int i = 0; i < 2; i++)
			if (sim->side[i].outbox_len)
				next = deadline_min(next, sim->side[i].outbox[0].at);
		if (next == DEADLINE_NONE || next > until) {
			if (sim->now < until)
				sim->now = until;
			return;
		}
		if (next > sim->now)
			sim->now = next;
		for (int i = 0; i < 2; i++)
			if (!sim->side[i].closed && tunnel_next_deadline(sim->side[i].tunnel) <= sim->now) {
				tunnel_on_timeout(sim->side[i].tunnel, sim->now);
				sim_drain(&sim->side[i]);
			}
	}
	fail_msg("simulation did not settle");
}

static bool both_up(struct sim *sim)
{
	return sim->side[0].link_up && sim->side[1].link_up;
}

static bool both_closed(struct sim *sim)
{
	return sim->side[0].closed && sim->side[1].closed;
}

static bool client_closed(struct sim *sim)
{
	return sim->side[0].closed;
}

static bool server_closed(struct sim *sim)
{
	return sim->side[1].closed;
}

/* An IPv4/UDP packet from src to dst with a recognisable payload. */
static struct pkt *make_ip(uint32_t src, uint32_t dst, size_t payload_len, uint8_t fill)
{
	struct pkt *p = pkt_new(PKT_SIZE, PKT_HEADROOM);
	size_t total = 28 + payload_len;
	uint8_t *ip = pkt_put(p, total);
	memset(ip, 0, 28);
	ip[0] = 0x45;
	store_be16(ip + 2, (uint16_t)total);
	ip[8] = 64;
	ip[9] = 17;
	store_be32(ip + 12, src);
	store_be32(ip + 16, dst);
	store_be16(ip + 10, inet_checksum(ip, 20));
	store_be16(ip + 20, 4000);
	store_be16(ip + 22, 5000);
	store_be16(ip + 24, (uint16_t)(8 + payload_len));
	memset(ip + 28, fill, payload_len);
	return p;
}

static const struct sim_options strong = {
	.auth = AUTH_METHOD_BIT(AUTH_METHOD_MSCHAPV2),
	.mppe = { .required = true, .allow_128 = true },
};

static void tunnel_comes_up_and_carries_ip_both_ways(void **state)
{
	(void)state;
	struct sim sim;
	sim_setup(&sim, &strong);
	sim_run(&sim, 30000, both_up);
	assert_true(both_up(&sim));
	assert_int_equal(sim.side[0].local_address, CLIENT_TUNNEL);
	assert_int_equal(sim.side[0].peer_address, SERVER_TUNNEL);
	assert_int_equal(sim.side[0].dns1, DNS1);
	assert_int_equal(sim.side[0].mppe_bits, 128);
	assert_int_equal(sim.side[1].mppe_bits, 128);

	for (unsigned n = 0; n < 50; n++) {
		size_t len = 1 + (n * 97) % 1300;
		assert_int_equal(tunnel_send_ip(sim.side[0].tunnel, sim.side[0].call,
						make_ip(CLIENT_TUNNEL, SERVER_TUNNEL, len, (uint8_t)n), sim.now), 0);
		sim_drain(&sim.side[0]);
		sim_run(&sim, sim.now + 10, NULL);
		assert_int_equal(sim.side[1].ip_received, n + 1);
		assert_int_equal(sim.side[1].last_ip_len, 28 + len);
		assert_int_equal(sim.side[1].last_ip[28 + len - 1], (uint8_t)n);
		assert_int_equal(tunnel_send_ip(sim.side[1].tunnel, sim.side[1].call,
						make_ip(SERVER_TUNNEL, CLIENT_TUNNEL, len, (uint8_t)~n), sim.now), 0);
		sim_drain(&sim.side[1]);
		sim_run(&sim, sim.now + 10, NULL);
		assert_int_equal(sim.side[0].ip_received, n + 1);
		assert_int_equal(sim.side[0].last_ip[28 + len - 1], (uint8_t)~n);
	}

	struct tunnel_call_info info;
	tunnel_call_get_info(sim.side[1].call, &info);
	assert_string_equal(info.user, "alice");
	assert_int_equal(info.state, TUNNEL_CALL_UP);
	assert_string_equal(tunnel_call_state_name(info.state), "up");
	assert_int_equal(info.peer_address, CLIENT_TUNNEL);
	assert_true(info.link.ip_rx_packets >= 50);

	/* Client closes: LCP terminate, call clear, stop; both sides end. */
	tunnel_close(sim.side[0].tunnel, "user request", sim.now);
	sim_drain(&sim.side[0]);
	sim_run(&sim, sim.now + 30000, both_closed);
	assert_true(both_closed(&sim));
	assert_int_equal(sim.side[0].cause, TUNNEL_CLOSE_LOCAL);
	assert_int_not_equal(sim.side[1].cause, TUNNEL_CLOSE_NONE);
	sim_teardown(&sim);
}

static void server_close_ends_the_client(void **state)
{
	(void)state;
	struct sim sim;
	sim_setup(&sim, &strong);
	sim_run(&sim, 30000, both_up);
	assert_true(both_up(&sim));
	tunnel_close(sim.side[1].tunnel, "server shutting down", sim.now);
	sim_drain(&sim.side[1]);
	sim_run(&sim, sim.now + 30000, both_closed);
	assert_true(both_closed(&sim));
	assert_int_equal(sim.side[1].cause, TUNNEL_CLOSE_LOCAL);
	/* The client sees the link terminated by the peer. */
	assert_int_equal(sim.side[0].cause, TUNNEL_CLOSE_LINK_FAILED);
	assert_int_equal(sim.side[0].link_cause, PPP_CAUSE_PEER_TERMINATE);
	sim_teardown(&sim);
}

static void wrong_password_fails_on_both_sides(void **state)
{
	(void)state;
	struct sim sim;
	struct sim_options o = strong;
	o.client_password = "wrong";
	sim_setup(&sim, &o);
	sim_run(&sim, 60000, both_closed);
	assert_true(both_closed(&sim));
	assert_false(sim.side[0].link_up);
	assert_int_equal(sim.side[0].cause, TUNNEL_CLOSE_LINK_FAILED);
	assert_int_equal(sim.side[0].link_cause, PPP_CAUSE_AUTH_FAILED);
	assert_int_equal(sim.side[1].link_cause, PPP_CAUSE_AUTH_FAILED);
	sim_teardown(&sim);
}

static void blocked_gre_is_named(void **state)
{
	(void)state;
	struct sim sim;
	sim_setup(&sim, &strong);
	sim.block_gre = true;
	sim_run(&sim, 120000, client_closed);
	assert_true(sim.side[0].closed);
	assert_int_equal(sim.side[0].cause, TUNNEL_CLOSE_NO_GRE);
	assert_non_null(strstr(sim.side[0].reason, "IP protocol 47"));
	sim_teardown(&sim);
}

static void lossy_gre_still_comes_up_and_carries_ip(void **state)
{
	(void)state;
	struct sim sim;
	sim_setup(&sim, &strong);
	sim.drop_every = 5;
	sim_run(&sim, 120000, both_up);
	assert_true(both_up(&sim));
	unsigned sent = 0;
	for (unsigned n = 0; n < 40; n++) {
		tunnel_send_ip(sim.side[0].tunnel, sim.side[0].call, make_ip(CLIENT_TUNNEL, SERVER_TUNNEL, 200, 7), sim.now);
		sim_drain(&sim.side[0]);
		sent++;
		sim_run(&sim, sim.now + 5, NULL);
	}
	sim_run(&sim, sim.now + 1000, NULL);
	/* Stateless MPPE: every packet that arrived decrypts. */
	assert_true(sim.side[1].ip_received >= sent * 3 / 4);
	assert_true(sim.side[1].ip_received < sent);
	sim_teardown(&sim);
}

static void silent_client_is_dropped_by_keepalive(void **state)
{
	(void)state;
	struct sim sim;
	struct sim_options o = strong;
	o.keepalive_ms = 5000;
	sim_setup(&sim, &o);
	sim_run(&sim, 30000, both_up);
	assert_true(both_up(&sim));
	/* The client vanishes (SIGKILL, cable pulled): nothing from it any more. */
	sim.side[0].closed = true;
	sim.side[0].tcp_closed_delivered = true;
	uint64_t vanished = sim.now;
	sim_run(&sim, sim.now + 120000, server_closed);
	assert_true(sim.side[1].closed);
	/* PPTP echo after 5 s of silence, close 5 s later (LCP echo may be first). */
	assert_true(sim.now - vanished <= 11000);
	sim_teardown(&sim);
}

/* Issue 11 item 3: a peer that ignores our LCP Terminate-Request for the
 * whole grace period. The tunnel gives up and stops the control
 * connection; the owner must still hear CALL_DOWN for the call before
 * CLOSED, or it keeps a pointer to a freed call (the server's TUN path,
 * status and kick used it). */
static void call_down_reported_when_peer_ignores_terminate(void **state)
{
	(void)state;
	struct sim sim;
	sim_setup(&sim, &strong);
	sim_run(&sim, 30000, both_up);
	assert_true(both_up(&sim));
	assert_int_equal(sim.side[1].calls_up, 1);
	sim.block_gre = true; /* the client never sees the Terminate-Request */
	tunnel_close(sim.side[1].tunnel, "server shutting down", sim.now);
	sim_drain(&sim.side[1]);
	sim_run(&sim, sim.now + 30000, server_closed);
	assert_true(sim.side[1].closed);
	assert_int_equal(sim.side[1].calls_down, 1);
	assert_null(sim.side[1].call);
	assert_false(sim.side[1].call_down_after_closed);
	sim_teardown(&sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tunnel_comes_up_and_carries_ip_both_ways),
		cmocka_unit_test(server_close_ends_the_client),
		cmocka_unit_test(wrong_password_fails_on_both_sides),
		cmocka_unit_test(blocked_gre_is_named),
		cmocka_unit_test(lossy_gre_still_comes_up_and_carries_ip),
		cmocka_unit_test(silent_client_is_dropped_by_keepalive),
		cmocka_unit_test(call_down_reported_when_peer_ignores_terminate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
