/* SPDX-License-Identifier: BSD-2-Clause */
/* One simulated client: a tunnel engine in the PNS role (what src/client
 * runs), with what its events said kept for the invariants. */
#ifndef OPENPPTP_TEST_SIM_CLIENT_H
#define OPENPPTP_TEST_SIM_CLIENT_H

#include <stdbool.h>
#include <stdint.h>

#include "proto/session/tunnel.h"
#include "sim_rng.h"

struct sim_client_io {
	void *ctx;
	void (*tcp_output)(void *ctx, int client, const uint8_t *bytes, size_t len);
	void (*gre_output)(void *ctx, int client, uint32_t peer, struct pkt *gre);
	void (*tun_output)(void *ctx, int client, struct pkt *ip);
	/* Whether another client behind the same address holds or held this
	 * call ID (NULL: any ID goes). */
	bool (*call_id_clash)(void *ctx, int client, uint16_t id);
};

/* The call IDs a client held, newest last: behind one address a NAT's
 * PPTP helper keeps call IDs distinct, and an ID stays unused for a while
 * after its call ended (the server may still send to it). */
#define SIM_CLIENT_HELD_IDS 16

struct sim_client_config {
	uint32_t address; /* underlay, host order */
	unsigned user;    /* "userN" */
	bool wrong_password;
	unsigned auth; /* AUTH_METHOD_BIT set */
	struct ppp_mppe_policy mppe;
};

struct sim_client {
	int index;
	struct sim_client_io io;
	struct sim_client_config cfg;
	struct sim_rng rng;
	char user[16];
	char password[16];
	struct tunnel *tunnel; /* NULL: not started or closed and freed */
	uint64_t deadline;     /* tunnel_next_deadline, taken after every call into the tunnel */
	uint64_t started_ms;
	uint64_t up_ms; /* when LINK_UP came, 0 = not yet */
	bool link_up;
	bool closed;
	enum tunnel_close_cause cause;
	enum ppp_link_cause link_cause;
	struct tunnel_call *call;
	uint32_t local_address; /* tunnel addresses from LINK_UP */
	uint32_t peer_address;
	unsigned mppe_bits;
	bool mppe_stateless;
	unsigned ups; /* LINK_UPs over the client's life (restarts included) */
	bool event_after_closed;
	uint16_t held_ids[SIM_CLIENT_HELD_IDS];
	unsigned held_count; /* IDs ever held; the ring keeps the last 16 */
};

/* Whether c holds or recently held call ID id. */
bool sim_client_held_id(const struct sim_client *c, uint16_t id);

void sim_client_init(struct sim_client *c, int index, const struct sim_client_io *io, uint64_t seed);
/* A fresh tunnel (a restart drops the old one without a word). */
int sim_client_start(struct sim_client *c, const struct sim_client_config *cfg, uint64_t now);
/* Send the Start-Control-Connection-Request. */
int sim_client_begin(struct sim_client *c, uint64_t now);
void sim_client_drop(struct sim_client *c);
void sim_client_tcp_input(struct sim_client *c, const uint8_t *bytes, size_t len, uint64_t now);
void sim_client_tcp_closed(struct sim_client *c, uint64_t now);
/* A GRE packet, GRE header first; takes p. */
void sim_client_gre_input(struct sim_client *c, struct pkt *p, uint64_t now);
int sim_client_send_ip(struct sim_client *c, struct pkt *ip, uint64_t now);
void sim_client_close(struct sim_client *c, uint64_t now);
uint64_t sim_client_next_deadline(const struct sim_client *c);
void sim_client_on_timeout(struct sim_client *c, uint64_t now);
bool sim_client_running(const struct sim_client *c);

#endif
