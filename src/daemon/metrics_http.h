/* SPDX-License-Identifier: BSD-2-Clause */
/* The metrics listener: `GET /metrics` over HTTP/1.1 from the daemon's own
 * epoll loop (docs/metrics.md).
 *
 * Written here rather than taken from libmicrohttpd: the surface is one
 * request line and a few headers, it must live in our loop (no threads)
 * and under our seccomp filter after the privilege drop, and it would be
 * the only dependency for about 300 lines. It never blocks the data path:
 * every socket is non-blocking; a request head is at most
 * METRICS_HTTP_REQUEST_MAX bytes and must arrive within
 * METRICS_HTTP_TIMEOUT_MS, the answer must be taken within the same time;
 * at most METRICS_HTTP_CLIENTS are served at once; sources outside the
 * allow list are closed at accept. One request per connection
 * (Connection: close).
 *
 * Each client: FREE --accept--> READING --head--> WRITING --sent--> FREE
 *                                  \--timeout, error, EOF-----------^ */
#ifndef OPENPPTP_DAEMON_METRICS_HTTP_H
#define OPENPPTP_DAEMON_METRICS_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon/metrics_text.h"
#include "sys/loop.h"

#define METRICS_HTTP_CLIENTS 8
#define METRICS_HTTP_REQUEST_MAX 4096
#define METRICS_HTTP_TIMEOUT_MS 5000
#define METRICS_ALLOW_MAX 16
#define METRICS_BODY_MAX (4u << 20)

/* One --metrics-allow entry: addresses with (a & mask) == network. */
struct metrics_allow {
	uint32_t network;
	uint32_t mask;
};

/* "127.0.0.0/8", "192.0.2.7" (= /32). 0 or ERR_MALFORMED / ERR_INVALID (host bits set). */
int metrics_allow_parse(const char *text, struct metrics_allow *out);
bool metrics_allow_match(const struct metrics_allow *list, size_t count, uint32_t addr);
/* "127.0.0.1:9469": 0 or ERR_MALFORMED. Port 1-65535. */
int metrics_listen_parse(const char *text, uint32_t *addr, uint16_t *port);

/* Write the metrics into t (the listener grows the buffer and calls again
 * when t->full). */
typedef void (*metrics_render_fn)(void *ctx, struct metrics_text *t);

enum metrics_client_state {
	METRICS_CLIENT_FREE = 0,
	METRICS_CLIENT_READING,
	METRICS_CLIENT_WRITING,
};

struct metrics_http;

struct metrics_client {
	enum metrics_client_state state;
	struct metrics_http *http;
	int fd;
	struct loop_fd watch;
	struct loop_timer timer;
	char *out_base;  /* malloc'd */
	const char *out; /* the response inside out_base */
	size_t out_len, out_sent;
	size_t in_len;
	char in[METRICS_HTTP_REQUEST_MAX];
};

enum metrics_refusal {
	METRICS_REFUSED_NOT_ALLOWED = 0, /* source outside --metrics-allow */
	METRICS_REFUSED_BUSY,            /* METRICS_HTTP_CLIENTS already being served */
	METRICS_REFUSED_BAD_REQUEST,     /* answered 4xx/5xx */
	METRICS_REFUSED_TIMEOUT,         /* no complete head, or the answer not taken, in time */
	METRICS_REFUSED_COUNT
};

const char *metrics_refusal_name(enum metrics_refusal r);

#define METRICS_HTTP_PAUSE_MS 1000u

struct metrics_http {
	struct loop *loop;
	int fd;
	struct loop_fd watch;
	struct metrics_allow allow[METRICS_ALLOW_MAX];
	size_t allow_count;
	metrics_render_fn render;
	void *ctx;
	size_t body_cap; /* the size the last body fitted in: the next render starts there */
	uint64_t scrapes;
	uint64_t refused[METRICS_REFUSED_COUNT];
	uint64_t last_render_us; /* time the last /metrics body took to render */
	struct metrics_client clients[METRICS_HTTP_CLIENTS];
	/* Out of descriptors: accepting pauses (the listener is level-
	 * triggered: a pending connection would wake the loop for ever). */
	struct loop_timer resume;
};

void metrics_http_init(struct metrics_http *h, struct loop *loop, metrics_render_fn render, void *ctx);
/* Listen (before the privilege drop). The allow list is copied; empty
 * means loopback only (127.0.0.0/8). */
int metrics_http_open(struct metrics_http *h, uint32_t addr, uint16_t port, const struct metrics_allow *allow,
		      size_t allow_count);
void metrics_http_close(struct metrics_http *h);

/* The whole answer to one request head (exposed for tests): status line,
 * headers and, for GET /metrics, the rendered body. Returns a malloc'd
 * buffer in *base with the answer at *out (length *len), or ERR_NOMEM. */
int metrics_http_answer(struct metrics_http *h, const char *head, size_t head_len, char **base, const char **out,
			size_t *len);

#endif
