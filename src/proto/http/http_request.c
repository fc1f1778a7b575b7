/* SPDX-License-Identifier: BSD-2-Clause */
/* HTTP/1.x request heads (proto/http/http_request.h). Every read is
 * bounded by the length found for the head first; each line is checked
 * against the RFC 9112 grammar before anything is taken from it. */
#include "proto/http/http_request.h"

#include <string.h>

/* RFC 9110 §5.6.2: token characters. */
static bool is_tchar(unsigned char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return true;
	return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* RFC 9110 §5.5: field-value characters (VCHAR, obs-text, SP, HTAB). */
static bool is_field_char(unsigned char c)
{
	return c == ' ' || c == '\t' || (c >= 0x21 && c != 0x7f);
}

/* The head's length (through the blank line), 0 when there is none yet. */
static size_t head_length(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (buf[i] != '\n')
			continue;
		if (i + 1 < len && buf[i + 1] == '\n')
			return i + 2;
		if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

/* One line of the head: [start, end) without its CRLF (or bare LF, which
 * RFC 9112 §2.2 lets a recipient accept). A CR anywhere else is refused. */
struct line {
	const char *p;
	size_t n;
};

static bool next_line(const char *buf, size_t head_len, size_t *at, struct line *out)
{
	const char *nl = memchr(buf + *at, '\n', head_len - *at);
	if (!nl)
		return false;
	size_t end = (size_t)(nl - buf);
	out->p = buf + *at;
	out->n = end - *at;
	if (out->n && out->p[out->n - 1] == '\r')
		out->n--;
	*at = end + 1;
	return memchr(out->p, '\r', out->n) == NULL;
}

static enum http_parse fail(struct http_request *r, int status)
{
	r->status = status;
	return HTTP_PARSE_ERROR;
}

static bool equals_nocase(const char *a, size_t n, const char *b)
{
	if (strlen(b) != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char x = a[i] >= 'A' && a[i] <= 'Z' ? (char)(a[i] - 'A' + 'a') : a[i];
		if (x != b[i])
			return false;
	}
	return true;
}

/* RFC 9112 §3: method SP request-target SP HTTP-version. */
static enum http_parse request_line(const struct line *l, struct http_request *r)
{
	const char *sp1 = memchr(l->p, ' ', l->n);
	if (!sp1 || sp1 == l->p)
		return fail(r, 400);
	size_t mlen = (size_t)(sp1 - l->p);
	for (size_t i = 0; i < mlen; i++)
		if (!is_tchar((unsigned char)l->p[i]))
			return fail(r, 400);
	const char *rest = sp1 + 1;
	size_t rlen = l->n - mlen - 1;
	const char *sp2 = memchr(rest, ' ', rlen);
	if (!sp2 || sp2 == rest)
		return fail(r, 400);
	size_t tlen = (size_t)(sp2 - rest);
	const char *version = sp2 + 1;
	size_t vlen = rlen - tlen - 1;
	/* HTTP-version = "HTTP/" DIGIT "." DIGIT (§2.3) */
	if (vlen != 8 || memcmp(version, "HTTP/", 5) != 0 || version[6] != '.' || version[5] < '0' ||
	    version[5] > '9' || version[7] < '0' || version[7] > '9')
		return fail(r, 400);
	if (version[5] != '1')
		return fail(r, 505);
	r->version_minor = (unsigned)(version[7] - '0');
	if (rest[0] != '/')
		return fail(r, 400); /* origin-form only: no proxy, no "*" */
	for (size_t i = 0; i < tlen; i++)
		if (rest[i] <= 0x20 || rest[i] == 0x7f || (unsigned char)rest[i] >= 0x80)
			return fail(r, 400);
	if (tlen >= HTTP_TARGET_MAX)
		return fail(r, 414);
	memcpy(r->target, rest, tlen);
	r->target[tlen] = '\0';
	if (mlen == 3 && memcmp(l->p, "GET", 3) == 0)
		r->method = HTTP_METHOD_GET;
	else if (mlen == 4 && memcmp(l->p, "HEAD", 4) == 0)
		r->method = HTTP_METHOD_HEAD;
	else
		return fail(r, 405);
	return HTTP_PARSE_DONE;
}

/* RFC 9112 §5: field-name ":" OWS field-value OWS. No obs-fold (§5.2:
 * a server may reject it with 400), one Host for HTTP/1.1 (§3.2), no
 * body: Content-Length other than 0 and Transfer-Encoding are refused. */
static enum http_parse header_line(const struct line *l, struct http_request *r, unsigned *hosts)
{
	const char *colon = memchr(l->p, ':', l->n);
	if (!colon || colon == l->p)
		return fail(r, 400);
	size_t nlen = (size_t)(colon - l->p);
	for (size_t i = 0; i < nlen; i++)
		if (!is_tchar((unsigned char)l->p[i]))
			return fail(r, 400);
	const char *v = colon + 1;
	size_t vlen = l->n - nlen - 1;
	for (size_t i = 0; i < vlen; i++)
		if (!is_field_char((unsigned char)v[i]))
			return fail(r, 400);
	while (vlen && (v[0] == ' ' || v[0] == '\t')) {
		v++;
		vlen--;
	}
	while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
		vlen--;
	if (equals_nocase(l->p, nlen, "host"))
		(*hosts)++;
	else if (equals_nocase(l->p, nlen, "transfer-encoding"))
		return fail(r, 400);
	else if (equals_nocase(l->p, nlen, "content-length") && !(vlen == 1 && v[0] == '0'))
		return fail(r, 400);
	return HTTP_PARSE_DONE;
}

enum http_parse http_request_parse(const char *buf, size_t len, size_t limit, struct http_request *out)
{
	memset(out, 0, sizeof(*out));
	size_t scan = len < limit ? len : limit;
	size_t head_len = head_length(buf, scan);
	if (!head_len)
		return len >= limit ? fail(out, 431) : HTTP_PARSE_INCOMPLETE;
	if (memchr(buf, '\0', head_len))
		return fail(out, 400);
	size_t at = 0;
	struct line l;
	if (!next_line(buf, head_len, &at, &l) || l.n == 0)
		return fail(out, 400);
	enum http_parse rc = request_line(&l, out);
	unsigned hosts = 0;
	while (rc == HTTP_PARSE_DONE || out->status == 405) {
		if (!next_line(buf, head_len, &at, &l))
			return fail(out, 400);
		if (l.n == 0)
			break;
		if (l.p[0] == ' ' || l.p[0] == '\t')
			return fail(out, 400); /* obs-fold */
		int status = out->status;
		if (header_line(&l, out, &hosts) != HTTP_PARSE_DONE)
			return HTTP_PARSE_ERROR;
		out->status = status;
	}
	if (rc != HTTP_PARSE_DONE)
		return rc;
	if (hosts > 1 || (out->version_minor >= 1 && hosts == 0))
		return fail(out, 400);
	out->head_len = head_len;
	return HTTP_PARSE_DONE;
}

bool http_request_path_is(const struct http_request *r, const char *path)
{
	size_t n = strcspn(r->target, "?");
	return strlen(path) == n && memcmp(r->target, path, n) == 0;
}

const char *http_status_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 414: return "URI Too Long";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	default: return "Error";
	}
}
