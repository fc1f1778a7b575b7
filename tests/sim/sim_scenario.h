/* SPDX-License-Identifier: BSD-2-Clause */
/* One simulation run, a pure function of its seed: the seed draws the
 * server's policy, the clients (users, wrong passwords, several behind one
 * address), the network's faults, who restarts mid-handshake or goes
 * silent, clock jumps and hostile input; the run then checks the
 * invariants of issue 11 ("Prove it") and says which one broke. */
#ifndef OPENPPTP_TEST_SIM_SCENARIO_H
#define OPENPPTP_TEST_SIM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sim_totals {
	uint64_t runs, failed;
	uint64_t sessions_up, sessions_refused;
	uint64_t packets_sent, packets_delivered, packets_corrupt;
	uint64_t hostile_gre, hostile_tcp;
	uint64_t virtual_ms;
	bool leak_check;   /* ASan build: ask LeakSanitizer after every seed */
};

/* 0 when every invariant held; else -1 with the broken one in why. */
int sim_scenario_run(uint64_t seed, struct sim_totals *totals, bool verbose, char *why, size_t why_len);

#endif
