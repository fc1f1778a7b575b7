/* SPDX-License-Identifier: BSD-2-Clause */
/* `make sim`: run the deterministic simulation over a range of seeds.
 *   sim [--first N] [--seeds N] [--seed N] [--verbose] [--max-failures N] [--progress N] [--outcomes]
 * --seed N replays one seed (verbosely); a failure prints the command that
 * replays it. --outcomes prints one line per seed (its counts and a hash of
 * what it did), to show that a change to the simulation's speed left every
 * run as it was: compare the lines of the old and the new binary. Exit 0 when every seed held every invariant. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "sim_scenario.h"

static void quiet_log(void *ctx, enum log_level level, const char *tag, const char *message)
{
	(void)ctx;
	(void)level;
	(void)tag;
	(void)message;
}

static void loud_log(void *ctx, enum log_level level, const char *tag, const char *message)
{
	(void)ctx;
	fprintf(stderr, "  [%s] %s: %s\n", log_level_name(level), tag, message);
}

/* One seed's line for --outcomes: what it added to the totals. */
static void print_outcome(uint64_t seed, enum sim_failure f, const struct sim_totals *was, const struct sim_totals *t)
{
	printf("outcome %llu: class %d up %llu refused %llu sent %llu delivered %llu corrupt %llu hostile %llu/%llu "
	       "vms %llu hash %016llx\n",
	       (unsigned long long)seed, (int)f, (unsigned long long)(t->sessions_up - was->sessions_up),
	       (unsigned long long)(t->sessions_refused - was->sessions_refused),
	       (unsigned long long)(t->packets_sent - was->packets_sent),
	       (unsigned long long)(t->packets_delivered - was->packets_delivered),
	       (unsigned long long)(t->packets_corrupt - was->packets_corrupt),
	       (unsigned long long)(t->hostile_gre - was->hostile_gre),
	       (unsigned long long)(t->hostile_tcp - was->hostile_tcp),
	       (unsigned long long)(t->virtual_ms - was->virtual_ms), (unsigned long long)t->outcome);
}

int main(int argc, char **argv)
{
	uint64_t first = 1, count = 1000;
	bool verbose = false, one = false, outcomes = false;
	uint64_t max_failures = 20, progress = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--first") && i + 1 < argc) {
			first = strtoull(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--seeds") && i + 1 < argc) {
			count = strtoull(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
			first = strtoull(argv[++i], NULL, 0);
			count = 1;
			one = true;
		} else if (!strcmp(argv[i], "--max-failures") && i + 1 < argc) {
			max_failures = strtoull(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--progress") && i + 1 < argc) {
			progress = strtoull(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--outcomes")) {
			outcomes = true;
		} else if (!strcmp(argv[i], "--verbose")) {
			verbose = true;
		} else {
			fprintf(stderr, "usage: %s [--first N] [--seeds N] [--seed N] [--verbose] [--max-failures N] [--progress N] [--outcomes]\n",
				argv[0]);
			return 2;
		}
	}
	/* stdout's buffer allocated now, not by the first printf inside a
	 * run's heap baseline (a one-seed replay printed its plan there). */
	static char outbuf[BUFSIZ];
	setvbuf(stdout, outbuf, _IOLBF, sizeof(outbuf));
	log_set_sink(one && verbose ? loud_log : quiet_log, NULL);
	log_set_level(one && verbose ? LOG_LEVEL_DEBUG : LOG_LEVEL_ERROR);
	struct sim_totals t = { .leak_check = true };
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	uint64_t failures = 0;
	for (uint64_t seed = first; seed < first + count; seed++) {
		char why[600];
		struct sim_totals was = t;
		enum sim_failure f = sim_scenario_run(seed, &t, one, why, sizeof(why));
		if (outcomes)
			print_outcome(seed, f, &was, &t);
		if (f != SIM_OK) {
			failures++;
			printf("FAIL%s seed %llu: %s\n  replay: make sim SEED=%llu\n",
			       f == SIM_FAIL_MPPE_STATEFUL      ? " (stateful MPPE, issue 12 §2)"
			       : f == SIM_FAIL_AFTER_CORRUPTION ? " (after corruption: no integrity check in GRE, PPP or MPPE)"
								: "",
			       (unsigned long long)seed,
			       why, (unsigned long long)seed);
			fflush(stdout);
			if (failures >= max_failures)
				break;
		}
		if (progress && t.runs % progress == 0) {
			struct timespec c;
			clock_gettime(CLOCK_MONOTONIC, &c);
			double so_far = (double)(c.tv_sec - a.tv_sec) + (double)(c.tv_nsec - a.tv_nsec) / 1e9;
			printf("progress: %llu seeds (up to %llu), %llu failed (%llu stateful MPPE, %llu after corruption), "
			       "%.0f s\n",
			       (unsigned long long)t.runs, (unsigned long long)seed, (unsigned long long)t.failed,
			       (unsigned long long)t.failed_mppe_stateful, (unsigned long long)t.failed_after_corruption,
			       so_far);
			fflush(stdout);
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	double secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	printf("sim: seeds %llu..%llu: %llu runs, %llu failed (%llu stateful MPPE, %llu after corruption), %.1f s (%.0f seeds/s); sessions up %llu, refused %llu; "
	       "packets sent %llu, delivered %llu, corrupted-in-flight %llu; hostile GRE %llu, TCP %llu; virtual time %.1f h\n",
	       (unsigned long long)first, (unsigned long long)(first + count - 1), (unsigned long long)t.runs,
	       (unsigned long long)t.failed, (unsigned long long)t.failed_mppe_stateful, (unsigned long long)t.failed_after_corruption, secs, secs > 0 ? (double)t.runs / secs : 0.0,
	       (unsigned long long)t.sessions_up, (unsigned long long)t.sessions_refused,
	       (unsigned long long)t.packets_sent, (unsigned long long)t.packets_delivered,
	       (unsigned long long)t.packets_corrupt, (unsigned long long)t.hostile_gre,
	       (unsigned long long)t.hostile_tcp, (double)t.virtual_ms / 3.6e6);
	return failures ? 1 : 0;
}
