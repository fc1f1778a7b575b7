/* SPDX-License-Identifier: BSD-2-Clause */
/* The control socket's one request line, parsed (pure: no I/O, so the
 * fuzz harness drives it). The line ends at the first CR, LF or NUL.
 * The same rules server_control.c applies inline today; it is meant to
 * call this once branch `limits` (which reworks that file's I/O) is in.
 *   status        the session table
 *   status json   the same as JSON
 *   kick WHO      close the sessions of user WHO or tunnel address WHO */
#ifndef OPENPPTP_SERVER_CONTROL_REQUEST_H
#define OPENPPTP_SERVER_CONTROL_REQUEST_H

#include <stddef.h>

#define CONTROL_REQUEST_LINE_MAX 255 /* bytes read from a client */

enum control_request_kind {
	CONTROL_REQUEST_UNKNOWN = 0,
	CONTROL_REQUEST_STATUS,
	CONTROL_REQUEST_STATUS_JSON,
	CONTROL_REQUEST_KICK,
};

struct control_request {
	enum control_request_kind kind;
	char who[CONTROL_REQUEST_LINE_MAX + 1]; /* KICK: the user name or address, NUL-terminated */
};

/* Parse len bytes (at most CONTROL_REQUEST_LINE_MAX are looked at). Returns the kind. */
enum control_request_kind control_request_parse(const char *bytes, size_t len, struct control_request *out);

#endif
