/* SPDX-License-Identifier: BSD-2-Clause */
#include "load/load_sources.h"

#include "base/error.h"
#include "client/client_settings.h"

#define BENCH_NET 0xc6120000u /* 198.18.0.0/15, RFC 2544 §C.2.2 */
#define BENCH_MASK 0xfffe0000u

int load_sources_expand(const char *text, uint32_t *out, size_t max, size_t *count)
{
	uint32_t base;
	uint8_t len;
	*count = 0;
	if (!text || client_parse_prefix(text, &base, &len) < 0)
		return ERR_INVALID;
	if (len < 15 || (base & BENCH_MASK) != BENCH_NET)
		return ERR_UNSUPPORTED;
	uint64_t n = 1ull << (32 - len);
	if (n > max || n > LOAD_SOURCES_MAX)
		return ERR_LIMIT;
	for (uint64_t i = 0; i < n; i++)
		out[i] = base + (uint32_t)i;
	*count = (size_t)n;
	return 0;
}
