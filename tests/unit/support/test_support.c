/* SPDX-License-Identifier: BSD-2-Clause */
#include "test_support.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_random_fill(void *ctx, void *buf, size_t len)
{
	struct test_random *tr = ctx;
	uint8_t *out = buf;
	for (size_t i = 0; i < len; i++) {
		tr->state ^= tr->state >> 12;
		tr->state ^= tr->state << 25;
		tr->state ^= tr->state >> 27;
		out[i] = (uint8_t)((tr->state * 0x2545F4914F6CDD1DULL) >> 56);
	}
}

void test_random_init(struct test_random *tr, uint64_t seed)
{
	tr->state = seed ? seed : 0x9E3779B97F4A7C15ULL;
}

struct random_source test_random_source(struct test_random *tr)
{
	struct random_source rs = { .fill = test_random_fill, .ctx = tr };
	return rs;
}

static int hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

size_t test_hex(const char *hex, uint8_t *out, size_t out_size)
{
	size_t n = 0;
	int high = -1;
	for (const char *p = hex; *p; p++) {
		if (isspace((unsigned char)*p) || *p == ':')
			continue;
		int v = hex_value((unsigned char)*p);
		assert_true(v >= 0);
		if (high < 0) {
			high = v;
		} else {
			assert_true(n < out_size);
			out[n++] = (uint8_t)(high << 4 | v);
			high = -1;
		}
	}
	assert_true(high < 0);
	return n;
}

static void test_log_sink(void *ctx, enum log_level level, const char *tag, const char *message)
{
	struct test_log *tl = ctx;
	snprintf(tl->last, sizeof(tl->last), "%s", message);
	snprintf(tl->last_tag, sizeof(tl->last_tag), "%s", tag ? tag : "");
	tl->last_level = level;
	tl->count++;
	if (getenv("TEST_LOG"))
		fprintf(stderr, "log %d [%s] %s\n", (int)level, tag ? tag : "", message);
}

void test_log_capture(struct test_log *tl)
{
	memset(tl, 0, sizeof(*tl));
	log_set_sink(test_log_sink, tl);
	log_set_level(LOG_LEVEL_DEBUG);
}

void test_log_release(void)
{
	log_set_sink(NULL, NULL);
	log_set_level(LOG_LEVEL_INFO);
}
