/* SPDX-License-Identifier: BSD-2-Clause */
/* What `openpptp load` tells: the live progress line (stderr, once a
 * second) and the final report, as text for people or JSON (--json) for
 * scripts. The figures are gathered by the runner into struct
 * load_report; formatting is pure (into a caller's buffer) and tested. */
#ifndef OPENPPTP_LOAD_LOAD_REPORT_H
#define OPENPPTP_LOAD_LOAD_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "load/load_stats.h"

/* Why a session did not come up, or did not stay up. */
enum load_fail {
	LOAD_FAIL_CONNECT = 0, /* TCP 1723 refused, unreachable or no answer */
	LOAD_FAIL_REFUSED,     /* SCCRP/OCRP with a failure result */
	LOAD_FAIL_NO_GRE,      /* call up, no GRE came back */
	LOAD_FAIL_AUTH,        /* authentication failed */
	LOAD_FAIL_MPPE,        /* encryption refused */
	LOAD_FAIL_PEER_CLOSED, /* the server ended it during setup */
	LOAD_FAIL_LINK,        /* PPP negotiation failed */
	LOAD_FAIL_TIMEOUT,     /* not up within --setup-timeout */
	LOAD_FAIL_LOCAL,       /* our side: sockets, fds, memory */
	LOAD_FAIL_DROPPED,     /* was up, ended before we closed it */
	LOAD_FAIL_UNFINISHED,  /* still setting up (or closing) when the run ended */
	LOAD_FAIL_COUNT
};

const char *load_fail_name(enum load_fail f);

struct load_progress {
	double elapsed_s;
	uint32_t up, negotiating, failed, done;
	double setups_per_s;     /* in the last interval */
	uint32_t p50_us, p99_us; /* handshake times so far */
};

/* "  12 s  up 1200  negotiating 35  failed 0  1000 setups/s  p50 41 ms  p99 90 ms" */
size_t load_progress_format(const struct load_progress *p, char *buf, size_t cap);

struct load_report {
	char server[16];
	uint32_t clients, rate;
	uint32_t sources;
	uint64_t fd_limit;
	uint32_t started, up_peak, up_total, closed_clean;
	uint32_t failed[LOAD_FAIL_COUNT];
	uint32_t redials, recovered; /* --reconnect */
	double recovered_at_s;       /* start to the last recovery */
	double ramp_s;     /* first start to last session up (0: none up) */
	double setup_rate; /* up_total / ramp_s */
	double duration_s;
	/* the generator's own event loop: its worst iteration (a stalled
	 * generator delays every session's packets and inflates the figures) */
	double loop_worst_stall_ms;
	struct load_summary handshake;
	struct load_summary rtt;
	uint64_t echo_sent, echo_received, echo_lost, echo_corrupt;
	uint64_t gre_foreign; /* GRE that was for no session of ours */
};

uint32_t load_report_failed_total(const struct load_report *r);
/* Text for people; JSON (one object, a newline at the end). Both return the
 * length the full text needs, like snprintf (buf always terminated). */
size_t load_report_text(const struct load_report *r, char *buf, size_t cap);
size_t load_report_json(const struct load_report *r, char *buf, size_t cap);

#endif
