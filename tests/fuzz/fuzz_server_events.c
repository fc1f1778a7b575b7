/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer harness: a whole server engine (tests/sim/sim_server: the
 * sans-I/O engines wired as src/server wires them) driven by a sequence of
 * events, with three honest clients (two behind one address) running
 * beside whatever the input does. Each input byte is an event:
 *
 *   op >> 5 = 0  the world runs ((op & 31) + 1) * 10 ms (honest traffic)
 *             1  TCP bytes on connection (op & 7): length byte, bytes
 *             2  a GRE datagram from address (op & 3), for a live call ID
 *                (op & 4) or one from the input; length byte, payload
 *             3  the clock jumps ((op & 31) + 1) s
 *             4  tagged IP traffic both ways for client (op % 3)
 *             5  client (op % 3) restarts ((op & 8): with a FIN)
 *             6  the server closes connection (op & 7) ((op & 8): a client hangs up)
 *             7  the network: loss and duplication set from op & 31
 *
 * Invariants, checked after every event (sim_world): an input for one
 * connection changes no other connection's state (digests of every other
 * connection, around every input); delivered payloads were sent, once, by
 * that session; the server's tables agree with its connections. At the
 * end everything is closed: call IDs, pool addresses, routes and timers
 * must be back to empty. */
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bytes.h"
#include "base/log.h"
#include "base/time.h"
#include "proto/auth/auth_method.h"
#include "../sim/sim_world.h"

#define FE_CLIENTS 3

static const uint32_t fe_addr[4] = { 0xC633640Au, 0xC633640Bu, 0xC63364F7u, 0xC6336401u };

static void fe_quiet(void *ctx, enum log_level level, const char *tag, const char *message)
{
	(void)ctx;
	(void)level;
	(void)tag;
	(void)message;
}

static void fe_fail(const struct sim_world *w)
{
	fprintf(stderr, "fuzz_server_events: %s\n", w->failure);
	abort();
}

static struct sim_client_config fe_client(int i, const struct sim_server_config *sc)
{
	return (struct sim_client_config){ .address = fe_addr[i == 2 ? 0 : i], .user = (unsigned)i, .auth = sc->auth, .mppe = sc->mppe };
}

static void fe_gre(struct sim_world *w, uint8_t op, const uint8_t *data, size_t size, size_t *pos)
{
	uint8_t d[300] = { 0x45, 0, 0, 0, 0, 0, 0, 0, 64, 47 };
	uint32_t src = fe_addr[op & 3u];
	size_t len = *pos < size ? data[(*pos)++] : 0;
	if (len > size - *pos)
		len = size - *pos;
	if (len > sizeof(d) - 28)
		len = sizeof(d) - 28;
	store_be32(d + 12, src);
	store_be32(d + 16, SIM_SERVER_ADDRESS);
	memcpy(d + 20, data + *pos, len);
	*pos += len;
	if ((op & 4u) && len >= 8) {
		/* Aim at a live call: the one the byte after the header picks. */
		int n = 0;
		for (int k = 0; k < SIM_SERVER_MAX_CONNS; k++)
			for (int s = 0; s < SIM_SERVER_CALLS_PER_CONN; s++)
				if (w->server.conns[k].open && w->server.conns[k].sessions[s].in_use &&
				    n++ == d[20] % 8)
					store_be16(d + 26, w->server.conns[k].sessions[s].local_call_id);
	}
	store_be16(d + 2, (uint16_t)(20 + len));
	sim_world_inject_gre(w, src, d, 20 + len, 0);
}

static bool fe_all_gone(const struct sim_world *w)
{
	for (int i = 0; i < w->nclients; i++)
		if (sim_client_running(&w->clients[i]))
			return false;
	return sim_server_open_conns(&w->server) == 0 && sim_world_quiet(w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sim_world w;
	log_set_sink(fe_quiet, NULL);
	struct sim_server_config sc = { .auth = AUTH_METHOD_BIT(AUTH_METHOD_MSCHAPV2) };
	uint8_t mode = size ? data[0] : 0;
	sc.mppe = (struct ppp_mppe_policy){ .required = (mode & 1u) != 0, .allow_128 = true, .allow_stateful = (mode & 2u) != 0, .allow_mppc = (mode & 4u) != 0 };
	if (sim_world_init(&w, &sc, 0x5EED) < 0)
		abort();
	w.check_isolation = 1;
	w.faults.delay_ms = 5;
	for (int i = 0; i < FE_CLIENTS; i++) {
		struct sim_client_config cc = fe_client(i, &sc);
		if (sim_world_connect(&w, i, &cc, false) < 0)
			abort();
	}
	size_t pos = size ? 1 : 0;
	while (pos < size && !w.failure[0]) {
		uint8_t op = data[pos++];
		size_t len;
		int i = op % FE_CLIENTS;
		switch (op >> 5) {
		case 0:
			sim_world_run(&w, w.now + ((uint64_t)(op & 31u) + 1) * 10, NULL);
			break;
		case 1:
			len = pos < size ? data[pos++] : 0;
			if (len > size - pos)
				len = size - pos;
			sim_world_inject_tcp(&w, op & 7, data + pos, len);
			pos += len;
			break;
		case 2:
			fe_gre(&w, op, data, size, &pos);
			break;
		case 3:
			w.now += ((uint64_t)(op & 31u) + 1) * 1000;
			break;
		case 4:
			(void)sim_world_send_up(&w, i, op);
			(void)sim_world_send_down(&w, i, op);
			break;
		case 5: {
			struct sim_client_config cc = fe_client(i, &sc);
			(void)sim_world_connect(&w, i, &cc, (op & 8u) != 0);
			break;
		}
		case 6:
			if (op & 8u)
				sim_client_close(&w.clients[i], w.now);
			else
				sim_server_close_conn(&w.server, op & 7, w.now);
			break;
		case 7:
			w.faults.loss = (op & 7u) * 40;
			w.faults.dup = ((op >> 3) & 3u) * 50;
			break;
		}
		sim_world_run(&w, w.now, NULL); /* what is due now */
	}
	if (w.failure[0])
		fe_fail(&w);
	if (getenv("FUZZ_SERVER_EVENTS_VERBOSE"))
		fprintf(stderr, "t=%llu ms: %u sessions up, %llu packets delivered, GRE: %llu delivered %llu malformed %llu no call %llu wrong peer\n",
			(unsigned long long)w.now, w.server.sessions_up, (unsigned long long)w.receipts[SIM_RECEIPT_OK],
			(unsigned long long)w.server.gre[SIM_GRE_DELIVERED], (unsigned long long)w.server.gre[SIM_GRE_MALFORMED],
			(unsigned long long)w.server.gre[SIM_GRE_NO_CALL], (unsigned long long)w.server.gre[SIM_GRE_WRONG_PEER]);
	/* The end: everyone hangs up, the server shuts down, the network is
	 * clean again; then every table must be empty. */
	w.faults = (struct sim_faults){ .delay_ms = 5 };
	for (int i = 0; i < FE_CLIENTS; i++)
		sim_client_close(&w.clients[i], w.now);
	sim_server_close_all(&w.server, w.now);
	sim_world_run(&w, w.now + 400000, fe_all_gone);
	if (!w.failure[0] && !fe_all_gone(&w))
		sim_world_fail(&w, "end: connections left after the bound", -1);
	const char *broken = sim_server_check_idle(&w.server);
	if (!w.failure[0] && broken)
		sim_world_fail(&w, broken, -1);
	if (!w.failure[0] && sim_server_next_deadline(&w.server) != DEADLINE_NONE)
		sim_world_fail(&w, "end: a server timer still armed", -1);
	if (w.failure[0])
		fe_fail(&w);
	sim_world_destroy(&w);
	log_set_sink(NULL, NULL);
	return 0;
}
