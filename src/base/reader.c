/* SPDX-License-Identifier: BSD-2-Clause */
#include "base/reader.h"

bool reader_padded_string(struct reader *r, size_t n, char *out, size_t out_size)
{
	const uint8_t *p = reader_ptr(r, n);
	if (out_size)
		out[0] = '\0';
	if (!p || out_size < n + 1)
		return false;
	size_t used = 0;
	while (used < n && p[used] != 0)
		used++;
	memcpy(out, p, used);
	out[used] = '\0';
	for (size_t i = used; i < n; i++)
		if (p[i] != 0)
			return false;
	return true;
}
