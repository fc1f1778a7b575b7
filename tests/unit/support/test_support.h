/* SPDX-License-Identifier: BSD-2-Clause */
/* Shared helpers for the cmocka unit tests. */
#ifndef OPENPPTP_TEST_SUPPORT_H
#define OPENPPTP_TEST_SUPPORT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "base/log.h"
#include "base/random.h"

/* A deterministic random source (xorshift64*), seeded per test. */
struct test_random {
	uint64_t state;
};
void test_random_init(struct test_random *tr, uint64_t seed);
struct random_source test_random_source(struct test_random *tr);

/* Parse a hex string ("1a2b 3c4d", spaces and newlines ignored) into out;
 * returns the number of bytes, fails the test on bad input or overflow. */
size_t test_hex(const char *hex, uint8_t *out, size_t out_size);

/* Capture log lines: the last one and how many, for tests that check that
 * bad input gets exactly one clear line. */
struct test_log {
	char last[512];
	char last_tag[128];
	enum log_level last_level;
	unsigned count;
};
void test_log_capture(struct test_log *tl);
void test_log_release(void);

#endif
