/* SPDX-License-Identifier: BSD-2-Clause */
#include "server/status_stream.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/error.h"

#define STREAM_BUF_CAP (STATUS_STREAM_ROWS * STATUS_ROW_MAX + 8192u)

enum stream_part {
	STREAM_HEAD = 0,   /* the header lines / the JSON object's start */
	STREAM_ROWS,       /* rows next_row.. */
	STREAM_TAIL,       /* the table's trailer / the JSON tail */
	STREAM_DONE,       /* everything formatted; write out what is left */
};

struct status_stream {
	struct status_stream *next;
	struct status_streams *list;
	struct loop *loop;
	struct loop_fd watch;
	struct loop_timer deadline;
	bool json;
	enum stream_part part;
	struct status_header header;
	struct session_snapshot *snaps;
	size_t count, next_row;
	char *trailer;
	char *buf;
	size_t len, off;
};

static void stream_free(struct status_stream *st)
{
	struct status_stream **pp = &st->list->head;
	while (*pp && *pp != st)
		pp = &(*pp)->next;
	if (*pp)
		*pp = st->next;
	st->list->count--;
	int fd = st->watch.fd;
	loop_fd_remove(st->loop, &st->watch);
	loop_timer_cancel(st->loop, &st->deadline);
	if (fd >= 0)
		close(fd);
	free(st->snaps);
	free(st->trailer);
	free(st->buf);
	free(st);
}

/* Format the next part into the (empty) buffer: the head, up to
 * STATUS_STREAM_ROWS rows, or the tail. False on a formatting failure
 * (a row over STATUS_ROW_MAX: cannot happen with the snapshot's sizes). */
static bool stream_fill(struct status_stream *st)
{
	int n = 0;
	st->len = st->off = 0;
	switch (st->part) {
	case STREAM_HEAD:
		n = st->json ? status_format_json_head(st->buf, STREAM_BUF_CAP, &st->header)
			     : status_format_table_head(st->buf, STREAM_BUF_CAP, &st->header);
		st->part = STREAM_ROWS;
		break;
	case STREAM_ROWS:
		for (unsigned i = 0; i < STATUS_STREAM_ROWS && st->next_row < st->count; i++, st->next_row++) {
			const struct session_snapshot *s = &st->snaps[st->next_row];
			char *at = st->buf + st->len;
			size_t room = STREAM_BUF_CAP - st->len;
			n = st->json ? status_format_json_row(at, room, s, st->next_row == 0)
				     : status_format_table_row(at, room, s);
			if (n < 0)
				return false;
			st->len += (size_t)n;
		}
		n = 0;
		if (st->next_row == st->count)
			st->part = STREAM_TAIL;
		break;
	case STREAM_TAIL: {
		const char *tail = st->json ? STATUS_JSON_TAIL : (st->trailer ? st->trailer : "");
		size_t len = strlen(tail);
		if (len >= STREAM_BUF_CAP)
			return false;
		memcpy(st->buf, tail, len);
		n = (int)len;
		st->part = STREAM_DONE;
		break;
	}
	case STREAM_DONE:
		break;
	}
	if (n < 0)
		return false;
	st->len += (size_t)n;
	return true;
}

/* Writable: write what is buffered; when it is all out, format the next
 * part (once per call, so one loop iteration formats at most one part). */
static void on_writable(struct loop *loop, struct loop_fd *w, uint32_t events, void *ctx)
{
	struct status_stream *st = ctx;
	(void)loop;
	(void)events;
	if (st->off == st->len) {
		if (st->part == STREAM_DONE || !stream_fill(st)) {
			stream_free(st);
			return;
		}
	}
	while (st->off < st->len) {
		ssize_t n = send(w->fd, st->buf + st->off, st->len - st->off, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n > 0) {
			st->off += (size_t)n;
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n < 0 && errno == EINTR)
			continue;
		stream_free(st); /* the reader went away */
		return;
	}
}

static void on_deadline(struct loop *loop, struct loop_timer *t, void *ctx)
{
	(void)loop;
	(void)t;
	stream_free(ctx); /* a reader that stopped reading */
}

int status_stream_start(struct status_streams *list, struct loop *loop, int fd, bool json,
			const struct status_header *header, struct session_snapshot *snaps, size_t count,
			const char *trailer)
{
	int rc = ERR_NOMEM;
	struct status_stream *st = NULL;
	if (list->count >= STATUS_STREAMS_MAX) {
		rc = ERR_LIMIT;
		goto fail;
	}
	st = calloc(1, sizeof(*st));
	if (!st || !(st->buf = malloc(STREAM_BUF_CAP)) || (trailer && !(st->trailer = strdup(trailer))))
		goto fail;
	st->list = list;
	st->loop = loop;
	st->json = json;
	st->header = *header;
	st->snaps = snaps;
	st->count = count;
	loop_fd_init(&st->watch);
	loop_timer_init(&st->deadline, on_deadline, st);
	if ((rc = loop_fd_add(loop, &st->watch, fd, LOOP_WRITE, on_writable, st)) < 0)
		goto fail;
	(void)loop_timer_set(loop, &st->deadline, loop_now(loop) + STATUS_STREAM_TIMEOUT_MS);
	st->next = list->head;
	list->head = st;
	list->count++;
	return 0;
fail:
	if (st) {
		free(st->buf);
		free(st->trailer);
		free(st);
	}
	free(snaps);
	close(fd);
	return rc;
}

void status_streams_free(struct status_streams *list, struct loop *loop)
{
	(void)loop;
	struct status_stream *st = list->head;
	while (st) {
		struct status_stream *next = st->next;
		stream_free(st);
		st = next;
	}
}
