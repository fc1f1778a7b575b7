/* SPDX-License-Identifier: BSD-2-Clause */
/* Per-source limits against floods and password guessing: a token bucket of
 * new control connections and one of login attempts per IPv4 source, and a
 * count of the source's connections still negotiating (no session yet), in
 * a fixed-size table (hostile sources cannot make it grow; when it is full
 * the stalest entry in the probe window is reused, never one that still
 * counts negotiating connections: at most --max-negotiating entries do). */
#ifndef OPENPPTP_SERVER_SOURCE_LIMIT_H
#define OPENPPTP_SERVER_SOURCE_LIMIT_H

#include <stdbool.h>
#include <stdint.h>

#define SOURCE_LIMIT_SLOTS 4096
#define SOURCE_LIMIT_PROBES 8

struct source_bucket {
	uint32_t addr;          /* 0 = free slot */
	uint32_t connect_milli; /* tokens x 1000, to refill at fractional rates */
	uint32_t failure_milli;
	uint32_t negotiating; /* connections of this source without a session yet */
	uint64_t last_ms;
};

struct source_limit {
	uint32_t connects_per_minute; /* 0 = unlimited */
	uint32_t connect_burst;
	uint32_t failures_per_minute; /* 0 = unlimited */
	uint32_t failure_burst;
	uint32_t negotiating_max; /* per source; 0 = unlimited */
	struct source_bucket slots[SOURCE_LIMIT_SLOTS];
};

void source_limit_init(struct source_limit *sl, uint32_t connects_per_minute, uint32_t connect_burst,
		       uint32_t failures_per_minute, uint32_t failure_burst);
/* May this source open another control connection now? Takes a token if so. */
bool source_limit_allow_connect(struct source_limit *sl, uint32_t addr, uint64_t now_ms);

/* A login attempt starts: false when the source has no token left, else it
 * takes one at once, so parallel attempts cannot all pass the check before
 * the first failure is counted. A login that succeeds gives it back. */
bool source_limit_begin_login(struct source_limit *sl, uint32_t addr, uint64_t now_ms);
void source_limit_login_succeeded(struct source_limit *sl, uint32_t addr, uint64_t now_ms);
/* Whether a token is there, without taking it: for logins whose verdict
 * comes later (RADIUS), charged with begin_login when they fail. */
bool source_limit_login_allowed(struct source_limit *sl, uint32_t addr, uint64_t now_ms);

/* Concurrent unauthenticated connections per source: open is false when
 * the source already holds negotiating_max (or no table entry is free);
 * every successful open is matched by one close (session up or gone). */
bool source_limit_negotiating_open(struct source_limit *sl, uint32_t addr, uint64_t now_ms);
void source_limit_negotiating_close(struct source_limit *sl, uint32_t addr);

#endif
