/* SPDX-License-Identifier: BSD-2-Clause */
/* The server's counters for /metrics (docs/metrics.md): what the session
 * table cannot say once a session is gone. Per-session figures (bytes,
 * GRE, MPPE) live in each call while it runs; when a session ends its last
 * figures are added to `closed`, so a total is closed + the live sessions
 * and never goes backwards. */
#ifndef OPENPPTP_SERVER_SERVER_METRICS_H
#define OPENPPTP_SERVER_SERVER_METRICS_H

#include <stdbool.h>
#include <stdint.h>

#include "daemon/metrics_text.h"
#include "proto/session/ppp_link.h"
#include "proto/session/tunnel.h"

/* Why the server said no before any PPP ran, or gave no address. */
enum server_refusal {
	SERVER_REFUSED_SHUTTING_DOWN = 0,
	SERVER_REFUSED_CONNECT_RATE, /* --connect-rate per source */
	SERVER_REFUSED_NEGOTIATING,  /* --max-negotiating */
	SERVER_REFUSED_NEGOTIATING_SOURCE, /* --max-negotiating-per-source */
	SERVER_REFUSED_LOGIN_RATE,   /* --login-failure-rate: lookups refused */
	SERVER_REFUSED_MAX_SESSIONS, /* --max-sessions: no address */
	SERVER_REFUSED_MAX_SESSIONS_PER_USER, /* --max-sessions-per-user */
	SERVER_REFUSED_NO_ADDRESS,   /* pool (or the user's addresses) exhausted */
	SERVER_REFUSED_COUNT
};
const char *server_refusal_name(enum server_refusal r);

/* Setup failures: the PPP causes of a link that never came up, and a
 * connection that placed no call within --setup-timeout. */
#define SERVER_FAILURE_SETUP_TIMEOUT (PPP_CAUSE_LOWER_DOWN + 1)
#define SERVER_FAILURE_COUNT (SERVER_FAILURE_SETUP_TIMEOUT + 1)

/* Setup time (call placed to IPCP up), seconds: bucket bounds. */
#define SERVER_SETUP_BUCKETS 9
extern const double server_setup_bounds[SERVER_SETUP_BUCKETS];

/* The summed figures of sessions (one call's ppp_link_stats and GRE). */
struct server_link_totals {
	struct ppp_link_stats link;
	uint64_t gre_lost, gre_reordered, gre_duplicate, gre_late;
};
void server_link_totals_add(struct server_link_totals *sum, const struct tunnel_call_info *info);

struct server_counters {
	uint64_t connections_accepted;
	uint64_t refused[SERVER_REFUSED_COUNT];
	uint64_t setups; /* sessions that came up */
	uint64_t setup_failures[SERVER_FAILURE_COUNT];
	uint64_t setup_buckets[SERVER_SETUP_BUCKETS + 1];
	double setup_seconds;
	uint64_t sessions_ended;          /* up sessions that ended */
	uint64_t auth_failures;           /* PPP_CAUSE_AUTH_FAILED */
	uint64_t echo_timeouts;           /* PPP_CAUSE_ECHO_TIMEOUT */
	struct server_link_totals closed; /* sessions that ended */
};

/* A link went down: failures by cause (if it never came up), auth and
 * echo counts. */
void server_counters_link_down(struct server_counters *c, enum ppp_link_cause cause, bool was_up);
void server_counters_setup_time(struct server_counters *c, uint64_t ms);

struct server;
/* metrics_render_fn for the server (ctx = struct server). */
void server_metrics_render(void *ctx, struct metrics_text *t);

#endif
