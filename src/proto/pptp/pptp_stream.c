/* SPDX-License-Identifier: BSD-2-Clause */
#include "proto/pptp/pptp_stream.h"

#include <string.h>

#include "base/error.h"

void pptp_stream_init(struct pptp_stream *s)
{
	s->used = 0;
	s->error = 0;
}

static size_t take(struct pptp_stream *s, size_t want, const uint8_t **data, size_t *len)
{
	size_t n = want - s->used;
	if (n > *len)
		n = *len;
	memcpy(s->buf + s->used, *data, n);
	s->used += n;
	*data += n;
	*len -= n;
	return n;
}

int pptp_stream_next(struct pptp_stream *s, const uint8_t *data, size_t len, size_t *used, const uint8_t **msg,
		     size_t *msg_len)
{
	size_t total = len;
	*used = 0;
	if (s->error)
		return s->error;
	if (s->used < PPTP_HEADER_LEN) {
		take(s, PPTP_HEADER_LEN, &data, &len);
		if (s->used < PPTP_HEADER_LEN) {
			*used = total - len;
			return 0;
		}
	}
	uint16_t type, length;
	int rc = pptp_msg_check_header(s->buf, s->used, &type, &length);
	if (rc < 0) {
		s->error = rc;
		s->used = 0;
		*used = total - len;
		return rc;
	}
	take(s, length, &data, &len);
	*used = total - len;
	if (s->used < length)
		return 0;
	s->used = 0; /* the bytes stay in buf until the next call */
	*msg = s->buf;
	*msg_len = length;
	return 1;
}

int pptp_stream_feed(struct pptp_stream *s, const uint8_t *data, size_t len,
		     pptp_stream_msg_fn fn, void *ctx)
{
	if (s->error)
		return s->error;
	while (len > 0) {
		size_t used;
		const uint8_t *msg = NULL;
		size_t msg_len = 0;
		int rc = pptp_stream_next(s, data, len, &used, &msg, &msg_len);
		if (rc < 0)
			return rc;
		data += used;
		len -= used;
		if (rc > 0 && (rc = fn(ctx, msg, msg_len)) != 0)
			return rc;
	}
	return 0;
}
