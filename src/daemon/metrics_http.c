/* SPDX-License-Identifier: BSD-2-Clause */
/* The metrics listener (daemon/metrics_http.h): accept, allow list, one
 * bounded request head per connection, one answer, close. */
#include "daemon/metrics_http.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/error.h"
#include "base/log.h"
#include "config/ipv4.h"
#include "proto/http/http_request.h"
#include "sys/tcp.h"

#define TAG "metrics"
#define ACCEPTS_PER_ROUND 16
#define HEAD_RESERVE 256 /* room for the status line and headers before the body */

/* ---- configuration words ---- */

int metrics_allow_parse(const char *text, struct metrics_allow *out)
{
	const char *slash = strchr(text, '/');
	size_t alen = slash ? (size_t)(slash - text) : strlen(text);
	uint32_t addr;
	if (ipv4_parse_n(text, alen, &addr) < 0)
		return ERR_MALFORMED;
	unsigned bits = 32;
	if (slash) {
		const char *p = slash + 1;
		if (!*p || strlen(p) > 2 || (p[0] == '0' && p[1]))
			return ERR_MALFORMED;
		bits = 0;
		for (; *p; p++) {
			if (*p < '0' || *p > '9')
				return ERR_MALFORMED;
			bits = bits * 10 + (unsigned)(*p - '0');
		}
		if (bits > 32)
			return ERR_MALFORMED;
	}
	out->mask = bits ? ~0u << (32 - bits) : 0;
	if (addr & ~out->mask)
		return ERR_INVALID;
	out->network = addr;
	return 0;
}

bool metrics_allow_match(const struct metrics_allow *list, size_t count, uint32_t addr)
{
	for (size_t i = 0; i < count; i++)
		if ((addr & list[i].mask) == list[i].network)
			return true;
	return false;
}

int metrics_listen_parse(const char *text, uint32_t *addr, uint16_t *port)
{
	return ipv4_addr_port_parse(text, 0, addr, port);
}

const char *metrics_refusal_name(enum metrics_refusal r)
{
	switch (r) {
	case METRICS_REFUSED_NOT_ALLOWED: return "not_allowed";
	case METRICS_REFUSED_BUSY: return "busy";
	case METRICS_REFUSED_BAD_REQUEST: return "bad_request";
	case METRICS_REFUSED_TIMEOUT: return "timeout";
	case METRICS_REFUSED_COUNT: break;
	}
	return "?";
}

/* ---- answers ---- */

static uint64_t mono_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* The body into a buffer with HEAD_RESERVE bytes free in front; grows
 * from the size the last one needed, up to METRICS_BODY_MAX. */
static int render_body(struct metrics_http *h, char **base, size_t *body_len)
{
	uint64_t start = mono_now_us();
	size_t cap = h->body_cap ? h->body_cap : 16384;
	for (;;) {
		char *buf = malloc(HEAD_RESERVE + cap);
		if (!buf)
			return ERR_NOMEM;
		struct metrics_text t;
		metrics_text_init(&t, buf + HEAD_RESERVE, cap);
		h->render(h->ctx, &t);
		if (!t.full) {
			h->body_cap = cap;
			*base = buf;
			*body_len = t.len;
			h->last_render_us = mono_now_us() - start;
			return 0;
		}
		free(buf);
		if (cap >= METRICS_BODY_MAX)
			return ERR_NOSPACE;
		cap *= 2;
	}
}

int metrics_http_answer(struct metrics_http *h, const char *head, size_t head_len, char **base, const char **out,
			size_t *len)
{
	struct http_request req;
	enum http_parse rc = http_request_parse(head, head_len, METRICS_HTTP_REQUEST_MAX, &req);
	int status = rc == HTTP_PARSE_DONE ? 200 : req.status;
	if (rc == HTTP_PARSE_INCOMPLETE)
		status = 400; /* the peer closed or timed out mid-head */
	if (status == 200 && !http_request_path_is(&req, "/metrics"))
		status = 404;
	char *buf = NULL;
	size_t body_len = 0;
	if (status == 200 && render_body(h, &buf, &body_len) < 0)
		status = 500;
	if (status == 200) {
		h->scrapes++;
	} else {
		h->refused[METRICS_REFUSED_BAD_REQUEST]++;
		buf = malloc(HEAD_RESERVE + 64);
		if (!buf)
			return ERR_NOMEM;
		body_len = (size_t)snprintf(buf + HEAD_RESERVE, 64, "%s\n", http_status_reason(status));
	}
	char headers[HEAD_RESERVE];
	int n = snprintf(headers, sizeof(headers),
			 "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%sConnection: close\r\n\r\n",
			 status, http_status_reason(status),
			 status == 200 ? METRICS_CONTENT_TYPE : "text/plain; charset=utf-8", body_len,
			 status == 405 ? "Allow: GET, HEAD\r\n" : "");
	if (n < 0 || (size_t)n >= sizeof(headers)) {
		free(buf);
		return ERR_NOSPACE;
	}
	char *start = buf + HEAD_RESERVE - n;
	memcpy(start, headers, (size_t)n);
	*base = buf;
	*out = start;
	/* HEAD: the same headers, no body (RFC 9110 §9.3.2) */
	*len = (size_t)n + (rc == HTTP_PARSE_DONE && req.method == HTTP_METHOD_HEAD ? 0 : body_len);
	return 0;
}

/* ---- clients ---- */

static void client_close(struct metrics_client *c)
{
	struct metrics_http *h = c->http;
	loop_timer_cancel(h->loop, &c->timer);
	loop_fd_remove(h->loop, &c->watch);
	close(c->fd);
	free(c->out_base);
	c->out_base = NULL;
	c->out = NULL;
	c->fd = -1;
	c->state = METRICS_CLIENT_FREE;
}

/* Send what the socket takes; close when all of it went or on error. */
static void client_flush(struct metrics_client *c)
{
	while (c->out_sent < c->out_len) {
		ssize_t n = send(c->fd, c->out + c->out_sent, c->out_len - c->out_sent, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0) {
			c->out_sent += (size_t)n;
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
			return;
		break;
	}
	client_close(c);
}

static void client_respond(struct metrics_client *c)
{
	struct metrics_http *h = c->http;
	if (metrics_http_answer(h, c->in, c->in_len, &c->out_base, &c->out, &c->out_len) < 0) {
		client_close(c);
		return;
	}
	c->out_sent = 0;
	c->state = METRICS_CLIENT_WRITING;
	(void)loop_fd_modify(h->loop, &c->watch, LOOP_WRITE);
	client_flush(c);
}

static void client_ready(struct loop *loop, struct loop_fd *w, uint32_t events, void *ctx)
{
	struct metrics_client *c = ctx;
	(void)loop;
	(void)w;
	if (c->state == METRICS_CLIENT_WRITING) {
		client_flush(c);
		return;
	}
	(void)events;
	int n = tcp_read(c->fd, c->in + c->in_len, sizeof(c->in) - c->in_len);
	if (n == ERR_AGAIN)
		return;
	if (n <= 0) {
		client_close(c);
		return;
	}
	c->in_len += (size_t)n;
	struct http_request req;
	if (http_request_parse(c->in, c->in_len, sizeof(c->in), &req) != HTTP_PARSE_INCOMPLETE)
		client_respond(c);
}

static void client_expired(struct loop *loop, struct loop_timer *t, void *ctx)
{
	struct metrics_client *c = ctx;
	(void)loop;
	(void)t;
	c->http->refused[METRICS_REFUSED_TIMEOUT]++;
	client_close(c);
}

static struct metrics_client *client_slot(struct metrics_http *h)
{
	for (size_t i = 0; i < METRICS_HTTP_CLIENTS; i++)
		if (h->clients[i].state == METRICS_CLIENT_FREE)
			return &h->clients[i];
	return NULL;
}

static void metrics_resume(struct loop *loop, struct loop_timer *t, void *ctx)
{
	struct metrics_http *h = ctx;
	(void)t;
	if (h->fd >= 0)
		(void)loop_fd_modify(loop, &h->watch, LOOP_READ);
}

static void metrics_accept(struct loop *loop, struct loop_fd *w, uint32_t events, void *ctx)
{
	struct metrics_http *h = ctx;
	(void)w;
	(void)events;
	for (int i = 0; i < ACCEPTS_PER_ROUND; i++) {
		uint32_t peer;
		int fd = tcp_accept(h->fd, &peer, NULL);
		if (fd == ERR_LIMIT) {
			/* EMFILE/ENFILE: the connection stays queued and the
			 * socket readable; stop asking until a second has passed
			 * (the server's own listeners do the same, server_fds.c). */
			h->refused[METRICS_REFUSED_BUSY]++;
			(void)loop_fd_modify(loop, &h->watch, 0);
			loop_timer_set(loop, &h->resume, loop_now(loop) + METRICS_HTTP_PAUSE_MS);
			return;
		}
		if (fd < 0)
			return;
		if (!metrics_allow_match(h->allow, h->allow_count, peer)) {
			h->refused[METRICS_REFUSED_NOT_ALLOWED]++;
			close(fd);
			continue;
		}
		struct metrics_client *c = client_slot(h);
		if (!c) {
			h->refused[METRICS_REFUSED_BUSY]++;
			close(fd);
			continue;
		}
		c->state = METRICS_CLIENT_READING;
		c->fd = fd;
		c->in_len = 0;
		if (loop_fd_add(loop, &c->watch, fd, LOOP_READ, client_ready, c) < 0) {
			close(fd);
			c->state = METRICS_CLIENT_FREE;
			continue;
		}
		loop_timer_set(loop, &c->timer, loop_now(loop) + METRICS_HTTP_TIMEOUT_MS);
	}
}

/* ---- the listener ---- */

void metrics_http_init(struct metrics_http *h, struct loop *loop, metrics_render_fn render, void *ctx)
{
	memset(h, 0, sizeof(*h));
	h->loop = loop;
	h->fd = -1;
	h->render = render;
	h->ctx = ctx;
	loop_fd_init(&h->watch);
	loop_timer_init(&h->resume, metrics_resume, h);
	for (size_t i = 0; i < METRICS_HTTP_CLIENTS; i++) {
		struct metrics_client *c = &h->clients[i];
		c->http = h;
		c->fd = -1;
		loop_fd_init(&c->watch);
		loop_timer_init(&c->timer, client_expired, c);
	}
}

int metrics_http_open(struct metrics_http *h, uint32_t addr, uint16_t port, const struct metrics_allow *allow,
		      size_t allow_count)
{
	if (allow_count > METRICS_ALLOW_MAX)
		return ERR_LIMIT;
	if (allow_count) {
		memcpy(h->allow, allow, allow_count * sizeof(*allow));
		h->allow_count = allow_count;
	} else {
		h->allow[0] = (struct metrics_allow){ .network = 0x7f000000u, .mask = 0xff000000u };
		h->allow_count = 1;
	}
	int fd = tcp_listen(addr, port, 16);
	if (fd < 0)
		return fd;
	if (loop_fd_add(h->loop, &h->watch, fd, LOOP_READ, metrics_accept, h) < 0) {
		close(fd);
		return ERR_IO;
	}
	h->fd = fd;
	return 0;
}

void metrics_http_close(struct metrics_http *h)
{
	for (size_t i = 0; i < METRICS_HTTP_CLIENTS; i++)
		if (h->clients[i].state != METRICS_CLIENT_FREE)
			client_close(&h->clients[i]);
	loop_timer_cancel(h->loop, &h->resume);
	if (h->fd >= 0) {
		loop_fd_remove(h->loop, &h->watch);
		close(h->fd);
		h->fd = -1;
	}
}
