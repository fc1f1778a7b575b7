/* SPDX-License-Identifier: BSD-2-Clause */
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The metrics listener's request-head parser on any bytes: a verdict of
 * the three, a refusal always with a status, an accepted head always
 * inside the input, with a NUL-terminated origin-form target. The limit
 * is small so the 431 path is reached too. */
#include <stdlib.h>
#include <string.h>

#include "proto/http/http_request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_request r;
	size_t limit = size && data[0] < 32 ? 64 : 4096;
	enum http_parse v = http_request_parse((const char *)data, size, limit, &r);
	switch (v) {
	case HTTP_PARSE_INCOMPLETE:
		if (size >= limit)
			abort();
		break;
	case HTTP_PARSE_DONE:
		if (r.head_len == 0 || r.head_len > size || r.head_len > limit || r.target[0] != '/' ||
		    strlen(r.target) >= HTTP_TARGET_MAX ||
		    (r.method != HTTP_METHOD_GET && r.method != HTTP_METHOD_HEAD))
			abort();
		(void)http_request_path_is(&r, "/metrics");
		break;
	case HTTP_PARSE_ERROR:
		if (r.status < 400 || r.status > 599 || !http_status_reason(r.status))
			abort();
		break;
	default:
		abort();
	}
	return 0;
}
