/* SPDX-License-Identifier: BSD-2-Clause */
#include "sim_client.h"

#include <stdio.h>
#include <string.h>

#include "base/time.h"
#include "proto/auth/auth_method.h"
#include "sim_server.h"

static void on_tcp_output(void *ctx, const uint8_t *bytes, size_t len)
{
	struct sim_client *c = ctx;
	c->io.tcp_output(c->io.ctx, c->index, bytes, len);
}

static void on_gre_output(void *ctx, uint32_t peer, struct pkt *gre)
{
	struct sim_client *c = ctx;
	c->io.gre_output(c->io.ctx, c->index, peer, gre);
}

static void on_tun_output(void *ctx, struct tunnel_call *call, struct pkt *ip)
{
	struct sim_client *c = ctx;
	(void)call;
	c->io.tun_output(c->io.ctx, c->index, ip);
}

bool sim_client_held_id(const struct sim_client *c, uint16_t id)
{
	unsigned n = c->held_count < SIM_CLIENT_HELD_IDS ? c->held_count : SIM_CLIENT_HELD_IDS;
	for (unsigned i = 0; i < n; i++)
		if (c->held_ids[i] == id)
			return true;
	return false;
}

/* As the engine's own choice (random, never 0, the same draws from the
 * client's generator, so a seed's run changes only where IDs would clash),
 * but never an ID another client behind this address holds: a NAT's PPTP
 * helper rewrites such IDs. Two clients sharing one ID at one address
 * both accept the server's GRE for it, a fault of the simulated network,
 * not of the engines (seeds 566121 and 268788). */
static int on_call_id_alloc(void *ctx, uint16_t *id)
{
	struct sim_client *c = ctx;
	struct random_source rs = sim_rng_source(&c->rng);
	for (int tries = 0; tries < 64; tries++) {
		uint16_t v = random_u16(&rs);
		if (v == 0 || (c->io.call_id_clash && c->io.call_id_clash(c->io.ctx, c->index, v)))
			continue;
		c->held_ids[c->held_count++ % SIM_CLIENT_HELD_IDS] = v;
		*id = v;
		return 0;
	}
	return -1;
}

void sim_client_init(struct sim_client *c, int index, const struct sim_client_io *io, uint64_t seed)
{
	memset(c, 0, sizeof(*c));
	c->index = index;
	c->deadline = DEADLINE_NONE;
	c->io = *io;
	sim_rng_seed(&c->rng, seed);
}

void sim_client_drop(struct sim_client *c)
{
	tunnel_free(c->tunnel);
	c->tunnel = NULL;
	c->deadline = DEADLINE_NONE;
	c->call = NULL;
	c->link_up = false;
}

int sim_client_start(struct sim_client *c, const struct sim_client_config *cfg, uint64_t now)
{
	sim_client_drop(c);
	c->cfg = *cfg;
	snprintf(c->user, sizeof(c->user), "user%u", cfg->user);
	snprintf(c->password, sizeof(c->password), cfg->wrong_password ? "pw-x%u" : "pw-%u", cfg->user);
	c->started_ms = now;
	c->up_ms = 0;
	c->closed = false;
	c->cause = TUNNEL_CLOSE_NONE;
	c->link_cause = PPP_CAUSE_NONE;
	c->local_address = c->peer_address = 0;
	c->mppe_bits = 0;

	struct tunnel_config tc = { 0 };
	tc.role = PPTP_ROLE_PNS;
	tc.local_ipv4 = cfg->address;
	tc.peer_ipv4 = SIM_SERVER_ADDRESS;
	tc.tag = "sim-client";
	tc.random = sim_rng_source(&c->rng);
	pptp_ctrl_config_defaults(&tc.ctrl, PPTP_ROLE_PNS);
	gre_channel_config_default(&tc.gre);
	ppp_link_config_defaults(&tc.link, PPP_LINK_CLIENT);
	tc.link.auth_allowed = cfg->auth ? cfg->auth : AUTH_METHOD_BIT(AUTH_METHOD_MSCHAPV2);
	tc.link.mppe = cfg->mppe;
	tc.link.user = c->user;
	tc.link.password = c->password;
	tc.ctx = c;
	tc.tcp_output = on_tcp_output;
	tc.gre_output = on_gre_output;
	tc.tun_output = on_tun_output;
	tc.call_id_alloc = on_call_id_alloc;
	c->tunnel = tunnel_new(&tc, now);
	if (!c->tunnel)
		return -1;
	c->deadline = tunnel_next_deadline(c->tunnel);
	return 0;
}

static void client_event(struct sim_client *c, const struct tunnel_event *ev, uint64_t now)
{
	if (c->closed)
		c->event_after_closed = true;
	switch (ev->type) {
	case TUNNEL_EVENT_CONTROL_UP:
	case TUNNEL_EVENT_AUTHENTICATED:
	case TUNNEL_EVENT_IPV6_UP: /* the simulation runs IPv4 sessions only */
	case TUNNEL_EVENT_IPV6_PREFIX:
	case TUNNEL_EVENT_VERIFY: /* remote verification is not simulated: the secrets path only */
		break;
	case TUNNEL_EVENT_CALL_UP:
		c->call = ev->call;
		break;
	case TUNNEL_EVENT_LINK_UP:
		c->link_up = true;
		c->call = ev->call;
		c->up_ms = now;
		c->ups++;
		c->local_address = ev->link.local_address;
		c->peer_address = ev->link.peer_address;
		c->mppe_bits = ev->link.mppe_bits;
		c->mppe_stateless = ev->link.mppe_stateless;
		break;
	case TUNNEL_EVENT_LINK_DOWN:
		c->link_up = false;
		c->link_cause = ev->link.cause;
		break;
	case TUNNEL_EVENT_CALL_DOWN:
		c->call = NULL;
		c->link_up = false;
		break;
	case TUNNEL_EVENT_CLOSED:
		c->closed = true;
		c->cause = ev->cause;
		if (ev->has_link)
			c->link_cause = ev->link.cause;
		break;
	}
}

/* Drain after every call; a closed tunnel is freed (the client exits). */
static void client_drain(struct sim_client *c, uint64_t now)
{
	struct tunnel_event ev;
	while (tunnel_next_event(c->tunnel, &ev))
		client_event(c, &ev, now);
	if (c->closed)
		sim_client_drop(c);
	else
		c->deadline = tunnel_next_deadline(c->tunnel);
}

int sim_client_begin(struct sim_client *c, uint64_t now)
{
	if (!c->tunnel)
		return -1;
	int rc = tunnel_start(c->tunnel, now);
	client_drain(c, now);
	return rc;
}

bool sim_client_running(const struct sim_client *c)
{
	return c->tunnel != NULL;
}

void sim_client_tcp_input(struct sim_client *c, const uint8_t *bytes, size_t len, uint64_t now)
{
	if (!c->tunnel)
		return;
	tunnel_tcp_input(c->tunnel, bytes, len, now);
	client_drain(c, now);
}

void sim_client_tcp_closed(struct sim_client *c, uint64_t now)
{
	if (!c->tunnel)
		return;
	tunnel_tcp_closed(c->tunnel, now);
	client_drain(c, now);
}

void sim_client_gre_input(struct sim_client *c, struct pkt *p, uint64_t now)
{
	struct gre_header h;
	if (!c->tunnel || gre_header_strip(p, &h) < 0) {
		pkt_free(p);
		return;
	}
	tunnel_gre_input(c->tunnel, &h, p, now);
	client_drain(c, now);
}

int sim_client_send_ip(struct sim_client *c, struct pkt *ip, uint64_t now)
{
	if (!c->tunnel || !c->call || !c->link_up) {
		pkt_free(ip);
		return -1;
	}
	int rc = tunnel_send_ip(c->tunnel, c->call, ip, now);
	client_drain(c, now);
	return rc;
}

void sim_client_close(struct sim_client *c, uint64_t now)
{
	if (!c->tunnel)
		return;
	tunnel_close(c->tunnel, "user hung up", now);
	client_drain(c, now);
}

uint64_t sim_client_next_deadline(const struct sim_client *c)
{
	return c->tunnel ? c->deadline : DEADLINE_NONE;
}

void sim_client_on_timeout(struct sim_client *c, uint64_t now)
{
	if (!c->tunnel || c->deadline > now)
		return;
	tunnel_on_timeout(c->tunnel, now);
	client_drain(c, now);
}
