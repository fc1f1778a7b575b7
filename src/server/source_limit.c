/* SPDX-License-Identifier: BSD-2-Clause */
#include "server/source_limit.h"

#include <string.h>

void source_limit_init(struct source_limit *sl, uint32_t connects_per_minute, uint32_t connect_burst,
		       uint32_t failures_per_minute, uint32_t failure_burst)
{
	memset(sl, 0, sizeof(*sl));
	sl->connects_per_minute = connects_per_minute;
	sl->connect_burst = connect_burst ? connect_burst : 1;
	sl->failures_per_minute = failures_per_minute;
	sl->failure_burst = failure_burst ? failure_burst : 1;
}

static uint32_t source_hash(uint32_t addr)
{
	addr ^= addr >> 16;
	addr *= 0x7feb352dU;
	addr ^= addr >> 15;
	addr *= 0x846ca68bU;
	addr ^= addr >> 16;
	return addr;
}

static void bucket_refill(const struct source_limit *sl, struct source_bucket *b, uint64_t now_ms)
{
	if (now_ms <= b->last_ms)
		return;
	uint64_t elapsed = now_ms - b->last_ms;
	/* tokens x 1000 per ms = per_minute / 60 */
	uint64_t c = b->connect_milli + elapsed * sl->connects_per_minute / 60;
	uint64_t f = b->failure_milli + elapsed * sl->failures_per_minute / 60;
	uint64_t cmax = (uint64_t)sl->connect_burst * 1000, fmax = (uint64_t)sl->failure_burst * 1000;
	b->connect_milli = (uint32_t)(c > cmax ? cmax : c);
	b->failure_milli = (uint32_t)(f > fmax ? fmax : f);
	b->last_ms = now_ms;
}

/* The entry of addr, or a fresh one; NULL only when every entry of the
 * probe window still counts negotiating connections. */
static struct source_bucket *source_find(struct source_limit *sl, uint32_t addr, uint64_t now_ms)
{
	uint32_t h = source_hash(addr);
	struct source_bucket *victim = NULL;
	for (uint32_t i = 0; i < SOURCE_LIMIT_PROBES; i++) {
		struct source_bucket *b = &sl->slots[(h + i) % SOURCE_LIMIT_SLOTS];
		if (b->addr == addr && addr != 0) {
			bucket_refill(sl, b, now_ms);
			return b;
		}
		if (b->addr == 0 && !victim)
			victim = b;
	}
	if (!victim) {
		/* Reuse the stalest slot of the window. A reused slot starts full,
		 * which is the cost of bounded memory; an attacker cycling
		 * through thousands of sources is what connection limits catch. */
		for (uint32_t i = 0; i < SOURCE_LIMIT_PROBES; i++) {
			struct source_bucket *b = &sl->slots[(h + i) % SOURCE_LIMIT_SLOTS];
			if (b->negotiating == 0 && (!victim || b->last_ms < victim->last_ms))
				victim = b;
		}
		if (!victim)
			return NULL;
	}
	victim->addr = addr;
	victim->negotiating = 0;
	victim->connect_milli = sl->connect_burst * 1000;
	victim->failure_milli = sl->failure_burst * 1000;
	victim->last_ms = now_ms;
	return victim;
}

bool source_limit_allow_connect(struct source_limit *sl, uint32_t addr, uint64_t now_ms)
{
	if (!sl->connects_per_minute)
		return true;
	struct source_bucket *b = source_find(sl, addr, now_ms);
	if (!b)
		return false;
	if (b->connect_milli < 1000)
		return false;
	b->connect_milli -= 1000;
	return true;
}

bool source_limit_begin_login(struct source_limit *sl, uint32_t addr, uint64_t now_ms)
{
	if (!sl->failures_per_minute)
		return true;
	struct source_bucket *b = source_find(sl, addr, now_ms);
	if (!b || b->failure_milli < 1000)
		return false;
	b->failure_milli -= 1000;
	return true;
}

bool source_limit_login_allowed(struct source_limit *sl, uint32_t addr, uint64_t now_ms)
{
	if (!sl->failures_per_minute)
		return true;
	struct source_bucket *b = source_find(sl, addr, now_ms);
	return b && b->failure_milli >= 1000;
}

void source_limit_login_succeeded(struct source_limit *sl, uint32_t addr, uint64_t now_ms)
{
	if (!sl->failures_per_minute)
		return;
	struct source_bucket *b = source_find(sl, addr, now_ms);
	uint32_t max = sl->failure_burst * 1000;
	if (b)
		b->failure_milli = b->failure_milli + 1000 > max ? max : b->failure_milli + 1000;
}

bool source_limit_negotiating_open(struct source_limit *sl, uint32_t addr, uint64_t now_ms)
{
	if (!sl->negotiating_max)
		return true;
	struct source_bucket *b = source_find(sl, addr, now_ms);
	if (!b || b->negotiating >= sl->negotiating_max)
		return false;
	b->negotiating++;
	return true;
}

void source_limit_negotiating_close(struct source_limit *sl, uint32_t addr)
{
	if (!sl->negotiating_max)
		return;
	uint32_t h = source_hash(addr);
	for (uint32_t i = 0; i < SOURCE_LIMIT_PROBES; i++) {
		struct source_bucket *b = &sl->slots[(h + i) % SOURCE_LIMIT_SLOTS];
		if (b->addr == addr && addr != 0) {
			if (b->negotiating)
				b->negotiating--;
			return;
		}
	}
}
