/* SPDX-License-Identifier: BSD-2-Clause */
/* The head of an HTTP/1.x request (RFC 9112 §2-§5), for the metrics
 * listener: request line and header fields, nothing more. Pure: bytes in,
 * a verdict out; no allocation, no I/O.
 *
 * The listener serves GET (and HEAD) /metrics only, so everything else is
 * refused early with the status code that says why: a body is never read
 * (Content-Length other than 0, any Transfer-Encoding: 400, so no request
 * smuggling question arises), the head is bounded by the caller's limit. */
#ifndef OPENPPTP_PROTO_HTTP_HTTP_REQUEST_H
#define OPENPPTP_PROTO_HTTP_HTTP_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

#define HTTP_TARGET_MAX 256 /* longer request targets: 414 */

enum http_parse {
	HTTP_PARSE_INCOMPLETE = 0, /* no blank line yet, and within the limit: read more */
	HTTP_PARSE_DONE,           /* a complete, acceptable head: see method and target */
	HTTP_PARSE_ERROR,          /* refuse with `status` and close */
};

enum http_method {
	HTTP_METHOD_NONE = 0,
	HTTP_METHOD_GET,
	HTTP_METHOD_HEAD,
};

struct http_request {
	enum http_method method;
	unsigned version_minor;       /* HTTP/1.0 or HTTP/1.1 */
	char target[HTTP_TARGET_MAX]; /* origin-form, NUL-terminated */
	size_t head_len;              /* bytes up to and including the blank line */
	int status;                   /* HTTP_PARSE_ERROR: 400, 405, 414, 431, 505 */
};

/* Parse the head in buf[0..len). `limit` bounds the head: with no blank
 * line within it the answer is ERROR/431. */
enum http_parse http_request_parse(const char *buf, size_t len, size_t limit, struct http_request *out);

/* The path of the target without its query ("/metrics?x" -> "/metrics"):
 * true when it equals `path`. */
bool http_request_path_is(const struct http_request *r, const char *path);

/* "Bad Request", ... for a status code this module or the listener uses. */
const char *http_status_reason(int status);

#endif
