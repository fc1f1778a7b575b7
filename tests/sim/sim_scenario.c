/* SPDX-License-Identifier: BSD-2-Clause */
/* One seeded run (sim_scenario.h). Phases, all in virtual time:
 *   1. chaos: clients connect; the network loses, duplicates, reorders,
 *      delays and corrupts; clients restart or go silent; the clock jumps;
 *      hostile frames arrive; tagged traffic flows both ways.
 *   2. settle: every client that still runs is up, or it ended with a
 *      named cause, within the bound its faults allow.
 *   3. quiet: the faults stop; every up session carries traffic again
 *      within one Reset-Request round trip (stateful MPPE recovers).
 *   4. teardown: hang-ups, a server shutdown or silence; then timers, call
 *      IDs, pool addresses, routes and memory are back to baseline. */
#include "sim_scenario.h"

#include <stdio.h>
#include <string.h>

#include "../vectors/pptp/capture_msgs.h"
#include "base/pkt.h"
#include "base/time.h"
#include "proto/auth/auth_method.h"
#include "proto/gre/gre_channel.h"
#include "proto/mppe/mppe.h"
#include "sim_world.h"

#define CHAOS_MS 12000u
#define SETTLE_MS 240000u /* LCP gives up after 10 x 3 s; PPTP keepalive 2 x 60 s */
#define TEARDOWN_MS 400000u
#define CLEAN_UP_MS 10000u /* a loss-free client with a right password is up by then */
#define NCP_WINDOW_MS 1000u /* quiet phase: a window with no not-up drop ends the wait */
#define NCP_SETTLE_MAX_MS 30000u /* an NCP gives up after 10 Configure-Requests, 3 s apart */

struct plan {
	struct sim_client_config cfg[SIM_MAX_CLIENTS];
	uint64_t restart_at[SIM_MAX_CLIENTS]; /* 0 = never */
	bool restart_announced[SIM_MAX_CLIENTS];
	uint64_t silent_at[SIM_MAX_CLIENTS]; /* 0 = never */
	bool clean[SIM_MAX_CLIENTS];         /* nothing stops it coming up */
	unsigned hostile_permille;           /* per 20 ms tick */
	unsigned jump_permille;              /* per tick: the clock jumps forward */
	unsigned traffic_permille;
	int teardown; /* 0 hang-ups, 1 server shutdown, 2 mixed, 3 silence */
};

static unsigned draw_auth(struct sim_rng *r, bool mppe_required)
{
	static const unsigned methods[] = { AUTH_METHOD_PAP, AUTH_METHOD_CHAP_MD5, AUTH_METHOD_MSCHAPV1,
					    AUTH_METHOD_MSCHAPV2, AUTH_METHOD_EAP_MD5 };
	unsigned set = AUTH_METHOD_BIT(AUTH_METHOD_MSCHAPV2);
	if (!mppe_required)
		for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
			if (sim_rng_chance(r, 300))
				set |= AUTH_METHOD_BIT(methods[i]);
	return set;
}

static void draw_plan(struct sim_rng *r, struct sim_world *w, struct sim_server_config *sc, struct plan *p)
{
	memset(p, 0, sizeof(*p));
	bool encrypted = sim_rng_chance(r, 800);
	sc->mppe = (struct ppp_mppe_policy){ .required = encrypted, .allow_128 = true, .allow_stateful = encrypted && sim_rng_chance(r, 500), .allow_mppc = sim_rng_chance(r, 300) };
	sc->mppe.stateful_only = sc->mppe.allow_stateful && sim_rng_chance(r, 500);
	sc->auth = draw_auth(r, encrypted);
	sc->max_sessions = sim_rng_chance(r, 200) ? 1 + sim_rng_below(r, 4) : 20;

	struct sim_faults *f = &w->faults;
	bool lossy = sim_rng_chance(r, 600);
	f->loss = lossy ? sim_rng_below(r, 150) : 0;
	f->dup = lossy ? sim_rng_below(r, 80) : 0;
	f->corrupt = sim_rng_chance(r, 200) ? sim_rng_below(r, 30) : 0;
	f->delay_ms = sim_rng_below(r, 60);
	f->jitter_ms = sim_rng_chance(r, 500) ? sim_rng_below(r, 80) : 0;
	f->tcp_segment = sim_rng_chance(r, 700) ? 1 + sim_rng_below(r, 200) : 0;

	w->nclients = 1 + (int)sim_rng_below(r, 8);
	for (int i = 0; i < w->nclients; i++) {
		struct sim_client_config *c = &p->cfg[i];
		c->address = 0xC633640Au + sim_rng_below(r, (uint32_t)w->nclients); /* 198.51.100.10+: some share */
		c->user = sim_rng_below(r, SIM_USERS);
		c->wrong_password = sim_rng_chance(r, 100);
		c->auth = sim_rng_chance(r, 900) ? sc->auth : draw_auth(r, false);
		c->mppe = sc->mppe;
		if (sim_rng_chance(r, 100))
			c->mppe.required = !c->mppe.required; /* a policy mismatch: refused, with its cause */
		if (sim_rng_chance(r, 150)) {
			p->restart_at[i] = 1000 + 1 + sim_rng_below(r, 4000);
			p->restart_announced[i] = sim_rng_chance(r, 500);
		}
		if (sim_rng_chance(r, 80))
			p->silent_at[i] = 1000 + 1 + sim_rng_below(r, 8000);
		p->clean[i] = !c->wrong_password && c->auth == sc->auth && c->mppe.required == sc->mppe.required &&
			      !f->loss && !f->dup && !f->corrupt && sc->max_sessions >= SIM_USERS + 4 &&
			      !p->restart_at[i] && !p->silent_at[i] && c->user != SIM_USERS - 1;
	}
	p->hostile_permille = sim_rng_chance(r, 400) ? 50 + sim_rng_below(r, 300) : 0;
	p->jump_permille = sim_rng_chance(r, 200) ? 1 + sim_rng_below(r, 5) : 0;
	if (p->jump_permille)
		for (int i = 0; i < w->nclients; i++)
			p->clean[i] = false;
	p->traffic_permille = 50 + sim_rng_below(r, 350);
	p->teardown = (int)sim_rng_below(r, 4);
}

/* Live heap blocks: sim_alloc_count.c in the sim binary; -1 elsewhere
 * (there LeakSanitizer, in the ASan build, is the check). */
__attribute__((weak)) long sim_alloc_live_blocks(void);
__attribute__((weak)) long sim_alloc_live_blocks(void)
{
	return -1;
}

#if defined(__SANITIZE_ADDRESS__)
int __lsan_do_recoverable_leak_check(void);
int __sanitizer_install_malloc_and_free_hooks(void (*on_malloc)(const volatile void *, size_t),
					      void (*on_free)(const volatile void *));

/* Live heap blocks under AddressSanitizer, counted by its allocator's hooks
 * (its own statistics move only in whole cache refills). A leak keeps the
 * count above the run's start, so LeakSanitizer, a stop-the-world scan of
 * every chunk (a third of the ASan build's time when run after every
 * seed), is asked only then: a leaking seed fails as before. */
static volatile long asan_blocks;

static void asan_on_malloc(const volatile void *p, size_t n)
{
	(void)n;
	if (p)
		asan_blocks++;
}

static void asan_on_free(const volatile void *p)
{
	if (p)
		asan_blocks--;
}
#endif

/* -1 when the hooks could not be installed (then every seed asks LSan). */
static long asan_heap_blocks(void)
{
#if defined(__SANITIZE_ADDRESS__)
	static bool hooked;
	if (!hooked)
		hooked = __sanitizer_install_malloc_and_free_hooks(asan_on_malloc, asan_on_free) != 0;
	return hooked ? asan_blocks : -1;
#else
	return -1;
#endif
}

/* ---- hostile input ---- */

static void hostile_gre(struct sim_world *w, struct sim_rng *r)
{
	uint8_t d[96] = { 0x45, 0, 0, 0, 0, 0, 0, 0, 64, 47 };
	size_t len = 20 + 8 + sim_rng_below(r, 60);
	/* Mostly from addresses that are not the call's peer: an off-path
	 * attacker guessing call IDs, or one client naming another's. */
	uint32_t src = sim_rng_chance(r, 500) ? 0xC6336400u + sim_rng_below(r, 256) : 0xCB0071F0u;
	d[2] = (uint8_t)(len >> 8);
	d[3] = (uint8_t)len;
	d[12] = (uint8_t)(src >> 24), d[13] = (uint8_t)(src >> 16), d[14] = (uint8_t)(src >> 8), d[15] = (uint8_t)src;
	d[16] = 198, d[17] = 51, d[18] = 100, d[19] = 1;
	sim_rng_fill(r, d + 20, len - 20);
	if (sim_rng_chance(r, 700)) {
		d[20] = 0x30, d[21] = 0x81, d[22] = 0x88, d[23] = 0x0B; /* a plausible enhanced GRE header */
		int k = (int)sim_rng_below(r, SIM_SERVER_MAX_CONNS);
		const struct sim_conn *c = &w->server.conns[k];
		if (c->open && c->sessions[0].in_use && c->peer != src) {
			d[26] = (uint8_t)(c->sessions[0].local_call_id >> 8);
			d[27] = (uint8_t)c->sessions[0].local_call_id;
		}
	}
	sim_world_inject_gre(w, src, d, len, sim_rng_below(r, 50));
}

/* A hostile control connection: captured messages, mangled. */
static void hostile_tcp(struct sim_world *w, struct sim_rng *r)
{
	int k = -1;
	for (int j = 0; j < SIM_SERVER_MAX_CONNS && k < 0; j++)
		if (!w->server.conns[j].open && w->client_of[j] < 0 && !w->to_server[j].len && !w->to_client[j].len &&
		    !w->to_server[j].fin && !w->to_client[j].fin)
			k = j;
	if (k < 0 || sim_server_accept(&w->server, k, 0xC63364F0u + sim_rng_below(r, 8), w->now) < 0)
		return;
	w->conn_owner[k] = -1;
	uint8_t buf[512];
	size_t len = 0;
	memcpy(buf, capture_pptp_linux_sccrq, sizeof(capture_pptp_linux_sccrq));
	len = sizeof(capture_pptp_linux_sccrq);
	if (sim_rng_chance(r, 600)) {
		memcpy(buf + len, capture_pptp_linux_ocrq, sizeof(capture_pptp_linux_ocrq));
		len += sizeof(capture_pptp_linux_ocrq);
	}
	for (unsigned n = sim_rng_below(r, 6); n > 0; n--)
		buf[sim_rng_below(r, (uint32_t)len)] ^= (uint8_t)(1u + sim_rng_below(r, 255));
	sim_world_inject_tcp(w, k, buf, len);
	if (sim_rng_chance(r, 500))
		sim_server_tcp_closed(&w->server, k, w->now);
}

/* ---- phases ---- */

static void traffic(struct sim_world *w, struct sim_rng *r, unsigned permille)
{
	for (int i = 0; i < w->nclients; i++) {
		if (sim_rng_chance(r, permille))
			(void)sim_world_send_up(w, i, sim_rng_below(r, 1100));
		if (sim_rng_chance(r, permille))
			(void)sim_world_send_down(w, i, sim_rng_below(r, 1100));
	}
}

static void chaos(struct sim_world *w, struct sim_rng *r, struct plan *p, struct sim_totals *t)
{
	uint64_t end = w->now + CHAOS_MS;
	while (w->now < end && !w->failure[0]) {
		for (int i = 0; i < w->nclients; i++) {
			if (p->restart_at[i] && w->now >= p->restart_at[i]) {
				p->restart_at[i] = 0;
				(void)sim_world_connect(w, i, &p->cfg[i], p->restart_announced[i]);
			}
			if (p->silent_at[i] && w->now >= p->silent_at[i]) {
				p->silent_at[i] = 0;
				w->silent[i] = true;
			}
		}
		if (p->hostile_permille && sim_rng_chance(r, p->hostile_permille)) {
			t->hostile_gre++;
			hostile_gre(w, r);
		}
		if (p->hostile_permille && sim_rng_chance(r, p->hostile_permille / 10)) {
			t->hostile_tcp++;
			hostile_tcp(w, r);
		}
		if (p->jump_permille && sim_rng_chance(r, p->jump_permille))
			w->now += 10000 + sim_rng_below(r, 190000); /* a suspended VM wakes up */
		traffic(w, r, p->traffic_permille);
		sim_world_run(w, w->now + 20, NULL);
	}
}

static bool settled(const struct sim_world *w)
{
	for (int i = 0; i < w->nclients; i++)
		if (!w->silent[i] && sim_client_running(&w->clients[i]) && !w->clients[i].link_up)
			return false;
	return true;
}

static void check_settled(struct sim_world *w, const struct plan *p, uint64_t started)
{
	for (int i = 0; i < w->nclients && !w->failure[0]; i++) {
		const struct sim_client *c = &w->clients[i];
		if (w->silent[i])
			continue;
		if (sim_client_running(c) && !c->link_up)
			sim_world_fail(w, "client neither up nor ended with a named cause", i);
		else if (!sim_client_running(c) && c->cause == TUNNEL_CLOSE_NONE)
			sim_world_fail(w, "client ended without a cause", i);
		else if (p->clean[i] && c->ups == 0)
			sim_world_fail(w, "a fault-free client with a right password never came up", i);
		else if (p->clean[i] && c->ups == 1 && c->up_ms > started + CLEAN_UP_MS && !w->faults.jitter_ms)
			sim_world_fail(w, "a fault-free client took too long to come up", i);
	}
}

/* The server routes the client's address to the client's own connection,
 * with that session up: both ends agree the session exists. */
static bool both_ends_up(const struct sim_world *w, int i)
{
	const struct sim_client *c = &w->clients[i];
	int k = w->conn_of[i];
	if (w->silent[i] || !c->link_up || k < 0)
		return false;
	const struct sim_session *ss = addr_map_get(&w->server.by_address, c->local_address);
	const struct sim_conn *conn = &w->server.conns[k];
	return ss && ss->up && ss >= conn->sessions && ss < conn->sessions + SIM_SERVER_CALLS_PER_CONN;
}

static void lost_after_recovery(struct sim_world *w, int i, const struct sim_ledger *l, uint32_t first,
				const char *dir)
{
	uint32_t lost = 0, first_lost = 0;
	for (uint32_t s = first; s < l->next_seq; s++)
		if (!sim_ledger_was_delivered(l, s) && !lost++)
			first_lost = s;
	if (!lost)
		return;
	struct tunnel_call_info info, sinfo;
	tunnel_call_get_info(w->clients[i].call, &info);
	const struct sim_session *ss = addr_map_get(&w->server.by_address, w->clients[i].local_address);
	memset(&sinfo, 0, sizeof(sinfo));
	if (ss && ss->call)
		tunnel_call_get_info(ss->call, &sinfo);
	char what[400];
	snprintf(what, sizeof(what),
		 "quiet network: %u of %u %s packets lost after recovery (first seq %u, quiet from %u); MPPE client %u "
		 "bits%s, server %u bits%s; rx errors client %llu server %llu; resets sent client %llu server %llu; "
		 "server drops: source %llu unencrypted %llu not-up %llu malformed %llu, gre lost %llu",
		 lost, l->next_seq - first, dir, first_lost, first, w->clients[i].mppe_bits,
		 w->clients[i].mppe_stateless ? " stateless" : " stateful", sinfo.mppe_bits,
		 sinfo.mppe_stateless ? " stateless" : " stateful", (unsigned long long)info.link.mppe_rx_errors,
		 (unsigned long long)sinfo.link.mppe_rx_errors, (unsigned long long)info.link.mppe_resets_sent,
		 (unsigned long long)sinfo.link.mppe_resets_sent, (unsigned long long)sinfo.link.dropped_ip_source,
		 (unsigned long long)sinfo.link.dropped_unencrypted, (unsigned long long)sinfo.link.dropped_not_up,
		 (unsigned long long)sinfo.link.dropped_ip_malformed, (unsigned long long)sinfo.gre_lost);
	bool client_stateful = w->clients[i].mppe_bits && !w->clients[i].mppe_stateless;
	bool server_stateful = sinfo.mppe_bits && !sinfo.mppe_stateless;
	if (!w->failure[0] && w->corruption_seen)
		w->stuck_after_corruption = true;
	else if (!w->failure[0] && (client_stateful || server_stateful))
		w->mppe_stateful_stuck = true;
	sim_world_fail(w, what, i);
}

/* Data dropped because a link that is up renegotiates an NCP (IPCP or CCP
 * left Opened: ppp_link_data.c counts it as not up), at both ends of the
 * sessions both ends keep. */
static uint64_t not_up_drops(const struct sim_world *w)
{
	uint64_t n = 0;
	for (int i = 0; i < w->nclients; i++) {
		if (!both_ends_up(w, i))
			continue;
		struct tunnel_call_info info;
		tunnel_call_get_info(w->clients[i].call, &info);
		n += info.link.dropped_not_up;
		const struct sim_session *ss = addr_map_get(&w->server.by_address, w->clients[i].local_address);
		if (ss->call) {
			tunnel_call_get_info(ss->call, &info);
			n += info.link.dropped_not_up;
		}
	}
	return n;
}

static void trickle_until(struct sim_world *w, struct sim_rng *r, uint64_t until)
{
	while (w->now < until && !w->failure[0]) {
		traffic(w, r, 100);
		sim_world_run(w, w->now + 20, NULL);
	}
}

/* Faults off: packets sent one Reset-Request round trip after the first
 * quiet one (and after held reorder gaps expired) must all arrive. */
static void quiet(struct sim_world *w, struct sim_rng *r)
{
	w->faults = (struct sim_faults){ .delay_ms = w->faults.delay_ms, .tcp_segment = w->faults.tcp_segment };
	/* Settle with a trickle of traffic: an LCP/IPCP/CCP exchange the chaos
	 * left half done finishes within one restart period (RFC 1661 §4.6,
	 * 3 s); a stateful MPPE receiver that is discarding repeats its
	 * Reset-Request at most MPPE_RESET_RETRY_MS after the last one, and
	 * the FLUSHED packet answers within a round trip. */
	uint64_t settle = w->now + 3000 + MPPE_RESET_RETRY_MS + 2 * (uint64_t)w->faults.delay_ms +
			  GRE_DEFAULT_REORDER_TIMEOUT_MS + 200;
	trickle_until(w, r, settle - NCP_WINDOW_MS);
	/* An NCP still renegotiating may need more restart periods: a GRE
	 * sequence number corrupted ahead before this phase makes the
	 * receiver drop the next real packets as late, whenever they come,
	 * and with no data flowing those are the Configure-Requests, 3 s
	 * apart (sim seed 517727: IPCP's two retransmissions, the link back
	 * 230 ms after the check). Wait while data is dropped as not up, to
	 * the NCP's own bound (then it ends with a cause, or the check below
	 * fails). Seeds with nothing renegotiating run as before. */
	uint64_t bound = settle + NCP_SETTLE_MAX_MS;
	for (uint64_t seen = not_up_drops(w); !w->failure[0]; settle += NCP_WINDOW_MS) {
		trickle_until(w, r, settle);
		uint64_t now_seen = not_up_drops(w);
		if (now_seen == seen || settle >= bound)
			break;
		seen = now_seen;
	}
	bool up_at_start[SIM_MAX_CLIENTS] = { false };
	uint32_t first_up[SIM_MAX_CLIENTS] = { 0 }, first_down[SIM_MAX_CLIENTS] = { 0 };
	for (int i = 0; i < w->nclients; i++) {
		up_at_start[i] = both_ends_up(w, i);
		first_up[i] = w->up[i].next_seq;
		first_down[i] = w->down[i].next_seq;
	}
	/* Then every packet of a session both ends keep must arrive. */
	for (int n = 0; n < 40 && !w->failure[0]; n++) {
		for (int i = 0; i < w->nclients; i++) {
			(void)sim_world_send_up(w, i, sim_rng_below(r, 1000));
			(void)sim_world_send_down(w, i, sim_rng_below(r, 1000));
		}
		sim_world_run(w, w->now + 20, NULL);
	}
	sim_world_run(w, w->now + 2 * w->faults.delay_ms + 50, NULL);
	for (int i = 0; i < w->nclients && !w->failure[0]; i++) {
		/* A session that ended meanwhile (a second login racing for one
		 * static address is closed "address in use") owes nothing. */
		if (!up_at_start[i] || !both_ends_up(w, i))
			continue;
		lost_after_recovery(w, i, &w->up[i], first_up[i], "client->server");
		lost_after_recovery(w, i, &w->down[i], first_down[i], "server->client");
	}
}

/* After the quiet phase's traffic, and time for any Terminate and
 * Call-Clear in flight: no client believes in a session the server has
 * dropped (a half-open session carries nothing and never ends). */
static void check_no_half_open(struct sim_world *w)
{
	sim_world_run(w, w->now + 15000, NULL);
	for (int i = 0; i < w->nclients && !w->failure[0]; i++) {
		if (w->silent[i] || !w->clients[i].link_up || both_ends_up(w, i))
			continue;
		char what[160];
		snprintf(what, sizeof(what),
			 "half-open: the client's link is up (address 0x%08x), the server has no session for it",
			 w->clients[i].local_address);
		/* PPP and GRE carry no checksum: a corrupted IPCP or LCP packet
		 * can leave the ends disagreeing; that is the corruption class. */
		w->stuck_after_corruption = w->corruption_seen;
		sim_world_fail(w, what, i);
	}
}

static bool all_gone(const struct sim_world *w)
{
	for (int i = 0; i < w->nclients; i++)
		if (!w->silent[i] && sim_client_running(&w->clients[i]))
			return false;
	return sim_server_open_conns(&w->server) == 0 && sim_world_quiet(w);
}

static void teardown(struct sim_world *w, const struct plan *p, struct sim_rng *r)
{
	for (int i = 0; i < w->nclients; i++) {
		bool hang_up = p->teardown == 0 || (p->teardown == 2 && sim_rng_chance(r, 500));
		if (p->teardown == 3)
			w->silent[i] = true;
		else if (hang_up && !w->silent[i])
			sim_client_close(&w->clients[i], w->now);
	}
	if (p->teardown == 1 || p->teardown == 2)
		sim_server_close_all(&w->server, w->now);
	/* Hostile connections and silent clients are the server's to reap. */
	sim_world_run(w, w->now + TEARDOWN_MS, all_gone);
	for (int i = 0; i < w->nclients; i++)
		if (w->silent[i])
			sim_client_drop(&w->clients[i]);
	if (!w->failure[0] && !all_gone(w))
		sim_world_fail(w, "teardown: connections or clients left after the bound", -1);
	const char *broken = sim_server_check_idle(&w->server);
	if (!w->failure[0] && broken)
		sim_world_fail(w, broken, -1);
	if (!w->failure[0] && sim_server_next_deadline(&w->server) != DEADLINE_NONE)
		sim_world_fail(w, "teardown: a server timer still armed", -1);
}

static uint64_t outcome_mix(uint64_t h, uint64_t v)
{
	return (h ^ v) * 0x100000001B3ull;
}

/* What a run did, hashed (sim_totals.outcome): no step counts, no timing. */
static uint64_t outcome_of(const struct sim_world *w)
{
	uint64_t h = outcome_mix(0xCBF29CE484222325ull, w->now);
	h = outcome_mix(h, w->packets_sent);
	h = outcome_mix(h, w->server_inputs);
	for (size_t r = 0; r < sizeof(w->receipts) / sizeof(w->receipts[0]); r++)
		h = outcome_mix(h, w->receipts[r]);
	for (size_t r = 0; r < SIM_GRE_RESULTS; r++)
		h = outcome_mix(h, w->server.gre[r]);
	h = outcome_mix(h, w->server.tun_no_session);
	h = outcome_mix(h, (uint64_t)w->corruption_seen << 2 | (uint64_t)w->mppe_stateful_stuck << 1 |
				   (uint64_t)w->stuck_after_corruption);
	for (int i = 0; i < w->nclients; i++) {
		const struct sim_client *c = &w->clients[i];
		h = outcome_mix(h, c->ups);
		h = outcome_mix(h, c->up_ms);
		h = outcome_mix(h, (uint64_t)c->cause << 32 | (uint64_t)c->link_cause);
		h = outcome_mix(h, (uint64_t)c->link_up << 2 | (uint64_t)c->closed << 1 | (uint64_t)w->silent[i]);
		h = outcome_mix(h, (uint64_t)c->local_address << 32 | c->mppe_bits);
		h = outcome_mix(h, (uint64_t)w->up[i].sent_count << 32 | w->up[i].delivered_count);
		h = outcome_mix(h, (uint64_t)w->down[i].sent_count << 32 | w->down[i].delivered_count);
	}
	for (size_t k = 0; w->failure[k]; k++)
		h = outcome_mix(h, (uint8_t)w->failure[k]);
	return h;
}

static void tally(const struct sim_world *w, struct sim_totals *t)
{
	t->outcome = outcome_of(w);
	t->virtual_ms += w->now;
	for (int i = 0; i < w->nclients; i++)
		t->sessions_up += w->clients[i].ups;
	t->packets_sent += w->packets_sent;
	for (int i = 0; i < w->nclients; i++)
		t->sessions_refused += !sim_client_running(&w->clients[i]) && w->clients[i].ups == 0;
	t->packets_delivered += w->receipts[SIM_RECEIPT_OK];
	t->packets_corrupt += w->receipts[SIM_RECEIPT_CORRUPT];
}

enum sim_failure sim_scenario_run(uint64_t seed, struct sim_totals *totals, bool verbose, char *why,
				  size_t why_len)
{
	bool leak_check = totals->leak_check;
	(void)leak_check;
	static struct sim_world w; /* large (the GRE table): not on the stack */
	struct sim_rng r;
	struct plan p;
	struct sim_server_config sc = { 0 };
	pkt_pool_drain(); /* kept packets are not a session's memory */
	long before = sim_alloc_live_blocks();
	long heap_before = asan_heap_blocks();
	(void)heap_before;
	sim_rng_seed(&r, seed);
	memset(&w, 0, sizeof(w));
	draw_plan(&r, &w, &sc, &p);
	struct sim_faults faults = w.faults;
	int nclients = w.nclients;
	if (sim_world_init(&w, &sc, sim_rng_next(&r)) < 0) {
		snprintf(why, why_len, "could not set the world up");
		return SIM_FAIL;
	}
	w.faults = faults;
	w.check_isolation = 4;
	for (int i = 0; i < nclients; i++)
		if (sim_world_connect(&w, i, &p.cfg[i], false) < 0)
			sim_world_fail(&w, "could not connect", i);
	uint64_t started = w.now;
	if (verbose)
		printf("seed %llu: %d clients, loss %u dup %u corrupt %u delay %u jitter %u seg %u, mppe %s%s, hostile %u, jumps %u, teardown %d\n",
		       (unsigned long long)seed, nclients, faults.loss, faults.dup, faults.corrupt, faults.delay_ms,
		       faults.jitter_ms, faults.tcp_segment, sc.mppe.required ? "required" : "off",
		       sc.mppe.allow_stateful ? " stateful" : "", p.hostile_permille, p.jump_permille, p.teardown);
	chaos(&w, &r, &p, totals);
	if (!w.failure[0]) {
		sim_world_run(&w, w.now + SETTLE_MS, settled);
		check_settled(&w, &p, started);
	}
	if (!w.failure[0])
		quiet(&w, &r);
	if (!w.failure[0])
		check_no_half_open(&w);
	if (!w.failure[0])
		teardown(&w, &p, &r);
	tally(&w, totals);
	sim_world_destroy(&w);
	pkt_pool_drain();
	long after = sim_alloc_live_blocks();
	if (!w.failure[0] && after != before)
		snprintf(w.failure, sizeof(w.failure), "memory not back to baseline: %ld heap blocks before, %ld after",
			 before, after);
#if defined(__SANITIZE_ADDRESS__)
	if (!w.failure[0] && leak_check && (heap_before < 0 || asan_heap_blocks() != heap_before) && __lsan_do_recoverable_leak_check())
		snprintf(w.failure, sizeof(w.failure), "memory not back to baseline: LeakSanitizer found a leak");
#endif
	totals->runs++;
	if (w.failure[0]) {
		totals->failed++;
		snprintf(why, why_len, "%s", w.failure);
		if (w.stuck_after_corruption) {
			totals->failed_after_corruption++;
			return SIM_FAIL_AFTER_CORRUPTION;
		}
		if (w.mppe_stateful_stuck) {
			totals->failed_mppe_stateful++;
			return SIM_FAIL_MPPE_STATEFUL;
		}
		return SIM_FAIL;
	}
	return SIM_OK;
}
