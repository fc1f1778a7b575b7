/* SPDX-License-Identifier: BSD-2-Clause */
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The MPPC decompressor fed untrusted bit streams, several packets sharing
 * one history. Input: packets as [flags u8][len u16 big-endian][bytes];
 * flags' top 3 bits are A/B/C, the low 5 bits pick an output bound. */
#include <string.h>

#include "proto/mppe/mppc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mppc_decompressor d;
	static const size_t bounds[4] = { 8192, 1500, 100, 1 };
	mppc_decompressor_init(&d);
	size_t at = 0;
	while (at + 3 <= size) {
		uint8_t flags = data[at];
		size_t len = ((size_t)data[at + 1] << 8) | data[at + 2];
		at += 3;
		if (len > size - at)
			len = size - at;
		const uint8_t *out;
		size_t out_len;
		size_t max_out = bounds[flags & 3];
		int rc = mppc_decompress(&d, flags & 0xE0, data + at, len, max_out, &out, &out_len);
		if (rc == 0) {
			if (out_len > max_out)
				__builtin_trap();
			/* Touch every output byte so ASan checks the range. */
			volatile uint8_t sink = 0;
			for (size_t i = 0; i < out_len; i++)
				sink ^= out[i];
			(void)sink;
		}
		at += len;
	}
	return 0;
}
