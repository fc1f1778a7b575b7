/* SPDX-License-Identifier: BSD-2-Clause */
/* The pieces of `openpptp load` and how they fit:
 *
 *   load_run.c       settings, fd limit, sockets, the ramp, progress, the end
 *   load_session.c   one client session on the daemon core (daemon_tunnel)
 *   load_traffic.c   the echo timer of a session and the shared reply path
 *   load_users.c     --users FILE / --user + --password-file
 *   load_sources.c, load_icmp.c, load_stats.c, load_report.c: pure helpers
 *
 * GRE: one raw socket per underlay source address (one in all without
 * --sources), each bound to its address and shared by every session from
 * that address, demultiplexed by our call ID (daemon_gre). Bound sockets
 * let the kernel both pick the source of what we send and deliver to each
 * socket only what is addressed to it — no per-packet IP_PKTINFO, so the
 * daemon core's GRE path is used unchanged.
 *
 * Decrypted packets: every session's engine writes them to ONE datagram
 * socketpair standing in for a TUN (daemon_tun); the other end is read
 * here and each echo reply matched to its session by ICMP identifier (the
 * session's index) and destination (its tunnel address). */
#ifndef OPENPPTP_LOAD_LOAD_INTERNAL_H
#define OPENPPTP_LOAD_LOAD_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/log.h"
#include "daemon/daemon_gre.h"
#include "daemon/daemon_settings.h"
#include "daemon/daemon_signals.h"
#include "daemon/daemon_tun.h"
#include "daemon/daemon_tunnel.h"
#include "load/load.h"
#include "load/load_report.h"
#include "load/load_stats.h"
#include "server/call_ids.h"
#include "sys/loop.h"

#define LOAD_TAG "load"

enum load_session_state {
	LOAD_SESSION_IDLE = 0,    /* not started yet */
	LOAD_SESSION_CONNECTING,  /* TCP connect in progress */
	LOAD_SESSION_NEGOTIATING, /* the engine runs, the link is not up yet */
	LOAD_SESSION_UP,          /* IPCP up: traffic flows */
	LOAD_SESSION_CLOSING,     /* we asked for an orderly close */
	LOAD_SESSION_BACKOFF,     /* --reconnect: dropped or failed, redial at the timer */
	LOAD_SESSION_ENDED,       /* over: outcome below, engine freed */
};

enum load_outcome {
	LOAD_OUTCOME_NONE = 0,
	LOAD_OUTCOME_CLEAN,  /* came up, closed by us in order */
	LOAD_OUTCOME_FAILED, /* cause in fail */
};

struct load_credential {
	const char *user;
	const char *password;
};

struct load_run;

struct load_session {
	struct load_run *run;
	uint32_t index;
	enum load_session_state state;
	enum load_outcome outcome;
	enum load_fail fail;
	bool was_up;
	uint32_t source;        /* underlay address (0: any) */
	struct daemon_gre *gre; /* the socket of that source */
	int tcp_fd;             /* until the tunnel takes it */
	struct loop_fd connect_watch;
	struct loop_timer timer;   /* setup deadline, then the next echo */
	struct loop_deferred reap; /* destroy the engine outside its callbacks */
	struct daemon_tunnel dt;
	struct tunnel_call *call;
	uint32_t tunnel_local, tunnel_peer;
	uint64_t started_us;
	uint16_t call_id;
	uint16_t next_seq;
	uint16_t acked_seq; /* replies seen, for a late or duplicated one */
	uint32_t redials;   /* --reconnect: redials so far */
	bool ever_up;       /* counted in up_total once; later ups are recoveries */
};

struct load_gre_source {
	uint32_t addr;
	struct daemon_gre gre;
};

struct load_run {
	const struct load_config *cfg;
	struct loop loop;
	uint32_t server;
	struct daemon_tunnel_settings tunnel;
	struct load_credential *creds;
	size_t ncreds;
	char *creds_text; /* what creds point into */
	uint32_t traffic_pps;
	uint32_t traffic_size;
	struct load_gre_source *gre; /* one per source address */
	size_t ngre;
	struct daemon_tun tun; /* the shared stand-in TUN (write end) */
	int tun_read_fd;
	struct loop_fd tun_watch;
	struct log_limit log_limit;
	struct call_ids call_ids;
	struct load_session **by_call; /* 65536 entries: our call ID -> session */
	struct load_session *sessions;
	uint32_t nsessions;
	/* counts by state */
	uint32_t started, negotiating, up, ended, up_peak, up_total, closed_clean;
	uint32_t failed[LOAD_FAIL_COUNT];
	uint32_t redials, recovered; /* --reconnect: redials, sessions up again after a drop */
	uint64_t last_recovered_us;
	struct load_samples handshake, rtt;
	uint64_t echo_sent, echo_received, echo_corrupt, echo_stray;
	uint64_t t0_us, first_start_us, last_up_us;
	uint64_t fd_limit;
	enum load_run_phase {
		LOAD_PHASE_RAMP = 0, /* starting sessions at --rate */
		LOAD_PHASE_HOLD,     /* all started; holding until --duration */
		LOAD_PHASE_DRAIN,    /* echoes stopped, waiting for the last replies */
		LOAD_PHASE_CLOSE,    /* every session closing */
		LOAD_PHASE_DONE,
	} phase;
	struct loop_timer ramp_timer, progress_timer, phase_timer;
	uint32_t last_progress_up;
	uint64_t last_progress_us;
	struct daemon_shutdown shutdown;
};

uint64_t load_now_us(void);

/* load_users.c: parse "user password" lines (# comments) in text, which
 * creds point into. 0, ERR_INVALID (message in why), ERR_NOMEM. */
int load_users_parse(char *text, struct load_credential **creds, size_t *n, const char **why);

/* load_session.c */
void load_session_init(struct load_session *s, struct load_run *run, uint32_t index);
void load_session_start(struct load_session *s);
/* Orderly close of whatever the session is doing (the end of the run). */
void load_session_stop(struct load_session *s);
void load_session_free(struct load_session *s);
struct daemon_tunnel *load_gre_lookup(void *ctx, uint16_t call_id);

/* load_traffic.c */
void load_traffic_start(struct load_session *s);
void load_traffic_on_timer(struct load_session *s);
int load_traffic_open(struct load_run *run);
void load_traffic_close(struct load_run *run);

#endif
