/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer harness: the control socket's request parser
 * (src/server/control_request.c), fed the raw bytes a local client writes.
 * Checks: the kind is one of the four; a KICK's name is terminated, has no
 * line break, and is exactly what followed "kick " on the first line;
 * anything past CONTROL_REQUEST_LINE_MAX bytes changes nothing. */
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#include <stdlib.h>
#include <string.h>

#include "server/control_request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct control_request r, again;
	enum control_request_kind kind = control_request_parse((const char *)data, size, &r);
	if (kind != r.kind || kind > CONTROL_REQUEST_KICK)
		abort();
	if (memchr(r.who, '\0', sizeof(r.who)) == NULL)
		abort();
	size_t who_len = strlen(r.who);
	if (kind != CONTROL_REQUEST_KICK && who_len != 0)
		abort();
	if (kind == CONTROL_REQUEST_KICK) {
		if (strpbrk(r.who, "\r\n") || size < 5 + who_len || memcmp(data, "kick ", 5) != 0 ||
		    memcmp(data + 5, r.who, who_len) != 0)
			abort();
	}
	if (size > CONTROL_REQUEST_LINE_MAX) {
		control_request_parse((const char *)data, CONTROL_REQUEST_LINE_MAX, &again);
		if (again.kind != r.kind || strcmp(again.who, r.who) != 0)
			abort();
	}
	return 0;
}
