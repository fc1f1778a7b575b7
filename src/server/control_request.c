/* SPDX-License-Identifier: BSD-2-Clause */
#include "server/control_request.h"

#include <string.h>

enum control_request_kind control_request_parse(const char *bytes, size_t len, struct control_request *out)
{
	char line[CONTROL_REQUEST_LINE_MAX + 1];
	if (len > CONTROL_REQUEST_LINE_MAX)
		len = CONTROL_REQUEST_LINE_MAX;
	memcpy(line, bytes, len);
	line[len] = '\0';
	line[strcspn(line, "\r\n")] = '\0';
	memset(out, 0, sizeof(*out));
	if (strcmp(line, "status json") == 0)
		out->kind = CONTROL_REQUEST_STATUS_JSON;
	else if (strncmp(line, "status", 6) == 0)
		out->kind = CONTROL_REQUEST_STATUS;
	else if (strncmp(line, "kick ", 5) == 0) {
		out->kind = CONTROL_REQUEST_KICK;
		memcpy(out->who, line + 5, strlen(line + 5) + 1);
	}
	return out->kind;
}
