/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer harness: TCP byte stream into a PAC control engine. The input is
 * cut into reads by a length prefix byte; some reads advance virtual time
 * and fire timers. Checks that the engine never emits an event after
 * CLOSE_TCP and that everything it writes is a well-formed message. */
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "proto/pptp/pptp_ctrl.h"
#include "fuzz_rng.h"

struct fuzz_state {
	uint64_t rnd;
	bool closed;
};

static void fuzz_fill(void *ctx, void *buf, size_t len)
{
	struct fuzz_state *st = ctx;
	fuzz_rng_fill(&st->rnd, buf, len);
}

static void fuzz_output(void *ctx, const uint8_t *bytes, size_t len)
{
	struct fuzz_state *st = ctx;
	struct pptp_msg m;
	if (st->closed || pptp_msg_decode(bytes, len, &m) != 0)
		abort();
}

/* Events out: taken after every call; nothing after CLOSE_TCP, and the
 * queue's bound holds for any input. */
static void fuzz_drain(struct pptp_ctrl *ctrl, struct fuzz_state *st)
{
	struct pptp_event ev;
	while (pptp_ctrl_next_event(ctrl, &ev)) {
		if (st->closed)
			abort();
		if (ev.type == PPTP_EVENT_CLOSE_TCP)
			st->closed = true;
	}
	if (ctrl->events_lost)
		abort();
}

static void quiet(void *ctx, enum log_level level, const char *tag, const char *message)
{
	(void)ctx;
	(void)level;
	(void)tag;
	(void)message;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	log_set_sink(quiet, NULL);
	struct fuzz_state st = { 0x9e3779b97f4a7c15ull, false };
	struct pptp_ctrl_config cfg;
	pptp_ctrl_config_defaults(&cfg, PPTP_ROLE_PAC);
	cfg.local_ipv4 = 0xC000020A;
	cfg.peer_ipv4 = 0xC000020B;
	cfg.max_calls = 4;
	cfg.random.fill = fuzz_fill;
	cfg.random.ctx = &st;
	cfg.ctx = &st;
	cfg.output = fuzz_output;
	struct pptp_ctrl ctrl;
	if (pptp_ctrl_init(&ctrl, &cfg, 0) != 0)
		abort();
	uint64_t now = 0;
	size_t pos = 0;
	while (pos < size) {
		uint8_t ctl = data[pos++];
		size_t chunk = (size_t)(ctl & 0x7f) + 1;
		if (chunk > size - pos)
			chunk = size - pos;
		/* One message per call, as the tunnel feeds it. */
		size_t left = chunk;
		const uint8_t *p = data + pos;
		while (left > 0 && !pptp_ctrl_is_closed(&ctrl)) {
			size_t used = pptp_ctrl_input(&ctrl, p, left, now);
			if (used == 0 || used > left)
				abort();
			fuzz_drain(&ctrl, &st);
			p += used;
			left -= used;
		}
		pos += chunk;
		if (ctl & 0x80) {
			now += 30000;
			if (pptp_ctrl_next_deadline(&ctrl) <= now) {
				pptp_ctrl_on_timeout(&ctrl, now);
				fuzz_drain(&ctrl, &st);
			}
		}
	}
	pptp_ctrl_tcp_closed(&ctrl, now);
	fuzz_drain(&ctrl, &st);
	if (!st.closed)
		abort();
	log_set_sink(NULL, NULL);
	return 0;
}
