/* SPDX-License-Identifier: BSD-2-Clause */
/* Reassembly of PPTP control messages from a TCP byte stream. The buffer
 * holds at most one message (PPTP_MAX_MSG_LEN bytes); a header whose length
 * or cookie cannot be right kills the stream (RFC 2637 §2.1: loss of
 * synchronization must close the connection). */
#ifndef OPENPPTP_PROTO_PPTP_STREAM_H
#define OPENPPTP_PROTO_PPTP_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/pptp/pptp_msg.h"

struct pptp_stream {
	uint8_t buf[PPTP_MAX_MSG_LEN];
	size_t used;
	int error;      /* sticky: 0 or the framing error that killed the stream */
};

/* Called once per complete message (len == its length field). Return 0 to
 * go on, anything else to stop feeding (the value is returned). */
typedef int (*pptp_stream_msg_fn)(void *ctx, const uint8_t *msg, size_t len);

void pptp_stream_init(struct pptp_stream *s);

/* Take bytes up to the end of the next complete message: returns 1 with
 * *msg / *msg_len set (valid until the next call), 0 when every byte was
 * taken without completing one, or a negative framing error (ERR_LENGTH,
 * ERR_MALFORMED, ERR_MAGIC) after which every later call returns the same
 * error. *used says how many of `len` bytes were taken (at least one when
 * len > 0 and there is no error). */
int pptp_stream_next(struct pptp_stream *s, const uint8_t *data, size_t len, size_t *used, const uint8_t **msg,
		     size_t *msg_len);

/* Feed bytes as read from TCP, calling `fn` for each message. Returns 0,
 * the callback's nonzero value, or a framing error as above. */
int pptp_stream_feed(struct pptp_stream *s, const uint8_t *data, size_t len,
		     pptp_stream_msg_fn fn, void *ctx);

#endif
