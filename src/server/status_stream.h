/* SPDX-License-Identifier: BSD-2-Clause */
/* A `status` answer written a part at a time from the event loop.
 *
 * At 10,000 sessions the answer is 1.3 MB (table) or 4.2 MB (JSON):
 * formatting it took 10-20 ms and writing it waited on the reader, all in
 * one loop iteration, so every session's packets and timers waited too
 * (issue 13: the loop's worst stall while status runs, target < 10 ms).
 * Now the sessions are copied once (one consistent snapshot), then each
 * time the socket can take more, at most STATUS_STREAM_ROWS rows are
 * formatted and written without blocking. A reader that stops reading is
 * dropped after STATUS_STREAM_TIMEOUT_MS; at most STATUS_STREAMS_MAX
 * answers are in flight (each holds its snapshot). */
#ifndef OPENPPTP_SERVER_STATUS_STREAM_H
#define OPENPPTP_SERVER_STATUS_STREAM_H

#include <stdbool.h>
#include <stddef.h>

#include "server/status_format.h"
#include "sys/loop.h"

#define STATUS_STREAM_ROWS 500u
#define STATUS_STREAM_TIMEOUT_MS 30000u
#define STATUS_STREAMS_MAX 8u

struct status_stream;

struct status_streams {
	struct status_stream *head;
	unsigned count;
};

/* Answer on fd (taken: closed when done or on failure) with the header and
 * the `count` snapshots (taken: freed), then `trailer` (copied; NULL: none)
 * for the table. ERR_LIMIT when STATUS_STREAMS_MAX are in flight, ERR_NOMEM;
 * fd and snaps are released on failure too. */
int status_stream_start(struct status_streams *list, struct loop *loop, int fd, bool json,
			const struct status_header *header, struct session_snapshot *snaps, size_t count,
			const char *trailer);

/* Teardown: drop every answer in flight. */
void status_streams_free(struct status_streams *list, struct loop *loop);

#endif
