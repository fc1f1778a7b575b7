/* SPDX-License-Identifier: BSD-2-Clause */
/* The deterministic simulation (tests/sim) over 1,000 seeds in every
 * `make test` (normal build and ASan+UBSan: 2,000 runs). `make sim` runs
 * many more; a failing seed replays with `make sim SEED=N`.
 *
 * Every invariant is held strictly. Two classes of quiet-network
 * non-recovery are printed apart and ratcheted: a stateful MPPE receiver
 * left desynchronised by the chaos phase (issue 12 §2), and a receiver
 * after the network corrupted packets (nothing below MPPE has a checksum:
 * a corrupted coherency count, A bit or MPPC payload). Both are at 0: the
 * last five of the second (seeds 357, 550, 729, 777, 888) were a receiver
 * that asked for a reset only once while its MPPC history stayed lost,
 * and key changes taken from corrupted headers (test_mppe_channel). */
#include "support/test_support.h"

#include <stdio.h>

#include "../sim/sim_scenario.h"
#include "base/log.h"

#define SEEDS 1000u
#define MPPE_STATEFUL_RATCHET 0u     /* 51 of seeds 1..1000 on main 78cce51; 0 once mtu, bench and the catch-up budget landed */
#define AFTER_CORRUPTION_RATCHET 0u  /* 11 on main 78cce51; 5 on bce6536; 0 since */

static void quiet(void *ctx, enum log_level level, const char *tag, const char *message)
{
	(void)ctx;
	(void)level;
	(void)tag;
	(void)message;
}

static void simulation_seeds_hold_the_invariants(void **state)
{
	(void)state;
	log_set_sink(quiet, NULL);
	log_set_level(LOG_LEVEL_ERROR);
	struct sim_totals t = { .leak_check = true };
	unsigned other = 0, stateful = 0, corruption = 0;
	for (uint64_t seed = 1; seed <= SEEDS; seed++) {
		char why[600];
		enum sim_failure f = sim_scenario_run(seed, &t, false, why, sizeof(why));
		if (f == SIM_OK)
			continue;
		if (f == SIM_FAIL_MPPE_STATEFUL) {
			stateful++;
			printf("# known (issue 12 §2): seed %llu: %.160s\n", (unsigned long long)seed, why);
		} else if (f == SIM_FAIL_AFTER_CORRUPTION) {
			corruption++;
			printf("# known (no integrity in MPPE): seed %llu: %.160s\n", (unsigned long long)seed, why);
		} else {
			other++;
			printf("# FAIL seed %llu: %s\n#   replay: make sim SEED=%llu\n", (unsigned long long)seed, why,
			       (unsigned long long)seed);
		}
	}
	log_set_sink(NULL, NULL);
	printf("# %u seeds: %u failed an invariant; sessions that never recovered: %u stateful MPPE (ratchet %u), "
	       "%u after corruption (ratchet %u); %llu sessions up, %llu packets delivered\n",
	       SEEDS, other, stateful, MPPE_STATEFUL_RATCHET, corruption, AFTER_CORRUPTION_RATCHET,
	       (unsigned long long)t.sessions_up, (unsigned long long)t.packets_delivered);
	assert_int_equal(other, 0);
	assert_true(stateful <= MPPE_STATEFUL_RATCHET);
	assert_true(corruption <= AFTER_CORRUPTION_RATCHET);
	assert_true(t.sessions_up > SEEDS); /* the runs did bring sessions up */
}

/* Seeds beyond the first 1,000 that the long runs (`make sim`) found
 * failing, each fixed since (docs/fuzzing.md says how): every invariant,
 * no ratchet. 304949: a stateful MPPE receiver kept no anchor in a garbage
 * run; 517727: the quiet phase checked before a renegotiating IPCP's next
 * restart period (973820 the same). */
static const uint64_t once_failed[] = {
	4306,   5846,   11622,  15744,  24430,  24637,  27189,  27815,  28490,  30268,
	31508,  32740,  40092,  42154,  47889,  56021,  57086,  68423,  73457,  75324,
	76053,  79174,  82459,  200479, 268788, 278189, 304949, 517727, 566121, 973820,
};

static void seeds_that_once_failed_hold(void **state)
{
	(void)state;
	log_set_sink(quiet, NULL);
	log_set_level(LOG_LEVEL_ERROR);
	struct sim_totals t = { .leak_check = true };
	unsigned failed = 0;
	for (size_t k = 0; k < sizeof(once_failed) / sizeof(once_failed[0]); k++) {
		char why[600];
		if (sim_scenario_run(once_failed[k], &t, false, why, sizeof(why)) != SIM_OK) {
			failed++;
			printf("# FAIL seed %llu: %s\n#   replay: make sim SEED=%llu\n", (unsigned long long)once_failed[k],
			       why, (unsigned long long)once_failed[k]);
		}
	}
	log_set_sink(NULL, NULL);
	assert_int_equal(failed, 0);
	assert_int_equal(t.runs, sizeof(once_failed) / sizeof(once_failed[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(simulation_seeds_hold_the_invariants),
		cmocka_unit_test(seeds_that_once_failed_hold),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
