/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer harness: PPTP control message decoder. Oracle: whatever decodes
 * cleanly re-encodes to the same bytes (header Reserved0 aside, which the
 * peer-quirks table lets through and we always send as zero). */
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "proto/pptp/pptp_msg.h"
#include "proto/pptp/pptp_stream.h"

static int count_msg(void *ctx, const uint8_t *msg, size_t len)
{
	struct pptp_msg m;
	(void)pptp_msg_decode(msg, len, &m);
	(*(unsigned *)ctx)++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pptp_msg m;
	int rc = pptp_msg_decode(data, size, &m);
	if (rc == 0) {
		uint8_t buf[PPTP_MAX_MSG_LEN];
		int n = pptp_msg_encode(&m, buf, sizeof(buf));
		if (n < 0 || (size_t)n != size)
			abort();
		if (memcmp(buf, data, 10) != 0 || memcmp(buf + 12, data + 12, size - 12) != 0)
			abort();
		(void)pptp_msg_call_id(&m);
	}
	/* the same bytes as a stream, in one piece */
	struct pptp_stream s;
	unsigned count = 0;
	pptp_stream_init(&s);
	(void)pptp_stream_feed(&s, data, size, count_msg, &count);
	return 0;
}
