/* SPDX-License-Identifier: BSD-2-Clause */
/* Per-source limits against floods and password guessing: a token bucket of
 * new control connections and one of failed logins per IPv4 source, in a
 * fixed-size table (hostile sources cannot make it grow; when it is full the
 * stalest entry in the probe window is reused). */
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
	uint64_t last_ms;
};

struct source_limit {
	uint32_t connects_per_minute; /* 0 = unlimited */
	uint32_t connect_burst;
	uint32_t failures_per_minute; /* 0 = unlimited */
	uint32_t failure_burst;
	struct source_bucket slots[SOURCE_LIMIT_SLOTS];
};

void source_limit_init(struct source_limit *sl, uint32_t connects_per_minute, uint32_t connect_burst,
		       uint32_t failures_per_minute, uint32_t failure_burst);
/* May this source open another control connection now? Takes a token if so. */
bool source_limit_allow_connect(struct source_limit *sl, uint32_t addr, uint64_t now_ms);
/* May this source try to log in now (it has failure tokens left)? */
bool source_limit_allow_login(struct source_limit *sl, uint32_t addr, uint64_t now_ms);
/* A failed login from this source: takes a failure token. */
void source_limit_note_failure(struct source_limit *sl, uint32_t addr, uint64_t now_ms);

#endif
