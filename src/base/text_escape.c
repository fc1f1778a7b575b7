/* SPDX-License-Identifier: BSD-2-Clause */
#include "base/text_escape.h"

#include <string.h>

size_t text_escape(char *out, size_t cap, const char *in, size_t in_len)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;
	if (cap == 0)
		return 0;
	for (size_t i = 0; i < in_len && in[i] != '\0'; i++) {
		unsigned char c = (unsigned char)in[i];
		if (c >= 0x20 && c <= 0x7e && c != '\\') {
			if (n + 1 >= cap)
				break;
			out[n++] = (char)c;
			continue;
		}
		if (n + 4 >= cap)
			break;
		out[n++] = '\\';
		out[n++] = 'x';
		out[n++] = hex[c >> 4];
		out[n++] = hex[c & 15];
	}
	out[n] = '\0';
	return n;
}

size_t text_escape_str(char *out, size_t cap, const char *in)
{
	return text_escape(out, cap, in, in ? strlen(in) : 0);
}
