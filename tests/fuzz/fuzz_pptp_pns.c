/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer harness: the control engine in the PNS role (what the client
 * runs) against a hostile server. The engine sends its SCCRQ; the input is
 * then the server's byte stream, cut into reads by a control byte (low 7
 * bits: length - 1; bit 7: advance time 30 s and fire timers). On every
 * TUNNEL_UP the harness places a call, on every CALL_UP it sometimes clears
 * it, as the client does. Checks: everything the engine writes is a
 * well-formed message, nothing after CLOSE_TCP, the event queue's bound
 * holds, no more calls than placed, and TCP loss always ends it. */
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#include <stdlib.h>

#include "base/log.h"
#include "proto/pptp/pptp_ctrl.h"
#include "fuzz_rng.h"

struct pns_state {
	uint64_t rnd;
	bool closed;
	unsigned placed, up, down;
};

static void pns_fill(void *ctx, void *buf, size_t len)
{
	struct pns_state *st = ctx;
	fuzz_rng_fill(&st->rnd, buf, len);
}

static void pns_output(void *ctx, const uint8_t *bytes, size_t len)
{
	struct pns_state *st = ctx;
	struct pptp_msg m;
	if (st->closed || pptp_msg_decode(bytes, len, &m) != 0)
		abort();
}

static void pns_drain(struct pptp_ctrl *ctrl, struct pns_state *st, uint64_t now)
{
	struct pptp_event ev;
	while (pptp_ctrl_next_event(ctrl, &ev)) {
		if (st->closed)
			abort();
		switch (ev.type) {
		case PPTP_EVENT_TUNNEL_UP: {
			struct pptp_call_params params;
			pptp_call_params_defaults(&params);
			uint16_t id;
			if (pptp_ctrl_call_open(ctrl, &params, now, &id) == 0)
				st->placed++;
			break;
		}
		case PPTP_EVENT_CALL_UP:
			if (ev.u.call_up.outgoing && ++st->up > st->placed)
				abort(); /* an outgoing call we never placed */
			if (st->rnd & 1)
				(void)pptp_ctrl_call_close(ctrl, ev.local_call_id, now);
			break;
		case PPTP_EVENT_CALL_DOWN:
			st->down++;
			break;
		case PPTP_EVENT_CLOSE_TCP:
			st->closed = true;
			break;
		default:
			break;
		}
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
	struct pns_state st = { .rnd = 0x9e3779b97f4a7c15ull };
	struct pptp_ctrl_config cfg;
	pptp_ctrl_config_defaults(&cfg, PPTP_ROLE_PNS);
	cfg.local_ipv4 = 0xC000020B;
	cfg.peer_ipv4 = 0xC000020A;
	cfg.random.fill = pns_fill;
	cfg.random.ctx = &st;
	cfg.ctx = &st;
	cfg.output = pns_output;
	struct pptp_ctrl ctrl;
	if (pptp_ctrl_init(&ctrl, &cfg, 0) != 0)
		abort();
	uint64_t now = 0;
	(void)pptp_ctrl_start(&ctrl, now);
	pns_drain(&ctrl, &st, now);
	size_t pos = 0;
	while (pos < size && !pptp_ctrl_is_closed(&ctrl)) {
		uint8_t ctl = data[pos++];
		size_t chunk = (size_t)(ctl & 0x7f) + 1;
		if (chunk > size - pos)
			chunk = size - pos;
		size_t left = chunk;
		const uint8_t *p = data + pos;
		while (left > 0 && !pptp_ctrl_is_closed(&ctrl)) {
			size_t used = pptp_ctrl_input(&ctrl, p, left, now);
			if (used > left)
				abort();
			pns_drain(&ctrl, &st, now);
			if (used == 0)
				break;
			p += used;
			left -= used;
		}
		pos += chunk;
		if (ctl & 0x80) {
			now += 30000;
			if (pptp_ctrl_next_deadline(&ctrl) <= now) {
				pptp_ctrl_on_timeout(&ctrl, now);
				pns_drain(&ctrl, &st, now);
			}
		}
	}
	pptp_ctrl_tcp_closed(&ctrl, now);
	pns_drain(&ctrl, &st, now);
	if (!st.closed)
		abort();
	pptp_ctrl_release(&ctrl);
	log_set_sink(NULL, NULL);
	return 0;
}
