/* SPDX-License-Identifier: BSD-2-Clause */
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* LCP, IPCP, IPV6CP and CCP input with arbitrary packets in several states.
 * Byte 0: protocol (low 2 bits), starting state (next bits), policy bits.
 * Byte 1: policy variant. Then packets, each [length][bytes]; a length of
 * 0 fires the next timeout instead. */
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/time.h"
#include "proto/ppp/ccp.h"
#include "proto/ppp/ipcp.h"
#include "proto/ppp/ipv6cp.h"
#include "proto/ppp/lcp.h"

static size_t out_bytes;

static void fuzz_output(void *ctx, uint16_t protocol, const uint8_t *pkt, size_t len)
{
	(void)ctx;
	(void)protocol;
	/* Every packet handed out must be a well-formed control packet. */
	struct ppp_cp_packet p;
	if (ppp_cp_parse(pkt, len, &p) != 0 || p.length != len)
		abort();
	out_bytes += len;
}


static uint64_t fuzz_state;

static void fuzz_fill(void *ctx, void *buf, size_t len)
{
	(void)ctx;
	uint8_t *b = buf;
	for (size_t i = 0; i < len; i++) {
		fuzz_state = fuzz_state * 6364136223846793005ULL + 1442695040888963407ULL;
		b[i] = (uint8_t)(fuzz_state >> 56);
	}
}

static void quiet_sink(void *ctx, enum log_level level, const char *tag, const char *message)
{
	(void)ctx; (void)level; (void)tag; (void)message;
}

static struct lcp lcp;
static struct ipcp ipcp;
static struct ipv6cp ipv6cp;
static struct ccp ccp;

/* Events out: take what the engine queued, as the session glue does
 * (LCP reports AUTH_REFUSED and LOOPBACK, the glue closes). The queue's
 * bound (PPP_FSM_EVENTS_MAX per call) must hold for any input. */
static void fuzz_drain(struct ppp_fsm *f, uint64_t now)
{
	struct ppp_event ev;
	while (ppp_fsm_next_event(f, &ev)) {
		if (ev.reason && strnlen(ev.reason, PPP_FSM_REASON_MAX) == PPP_FSM_REASON_MAX)
			abort();
		if (f == &lcp.fsm && (ev.type == PPP_EVENT_AUTH_REFUSED || ev.type == PPP_EVENT_LOOPBACK))
			lcp_close(&lcp, ev.reason, now);
	}
	if (f->events_lost)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	log_set_sink(quiet_sink, NULL);
	fuzz_state = 42;
	struct random_source rs = { fuzz_fill, NULL };
	unsigned which = data[0] & 3;
	unsigned start = (data[0] >> 2) & 3;
	unsigned pol = data[1];
	data += 2;
	size -= 2;
	struct ppp_fsm *f = NULL;
	switch (which) {
	case 0: {
		struct lcp_config c = { .random = &rs, .output = fuzz_output,
					.pfc = pol & 1, .acfc = pol & 2, .echo_interval_ms = (pol & 4) ? 1000 : 0,
					.auth_accept = (pol >> 3) & 0x3e, .mru = (pol & 0x40) ? 1400 : 0 };
		if (pol & 0x80) {
			c.auth_offer[0] = AUTH_METHOD_MSCHAPV2;
			c.auth_offer[1] = AUTH_METHOD_PAP;
		}
		lcp_init(&lcp, &c);
		f = &lcp.fsm;
		break;
	}
	case 1: {
		struct ipcp_config c = { .output = fuzz_output,
					 .local_addr = (pol & 1) ? 0x0a000001 : 0,
					 .peer_addr = (pol & 2) ? 0x0a000002 : 0, .accept_local = pol & 4,
					 .accept_remote = pol & 8, .request_dns = pol & 16, .request_nbns = pol & 32 };
		if (pol & 64)
			c.serve[IPCP_DNS1] = c.serve[IPCP_NBNS2] = 0x08080808;
		ipcp_init(&ipcp, &c);
		f = &ipcp.fsm;
		break;
	}
	case 2: {
		struct ipv6cp_config c = { .output = fuzz_output, .random = &rs,
					   .interface_id = (pol & 1) ? 0x1122334455667788ULL : 0 };
		ipv6cp_init(&ipv6cp, &c);
		f = &ipv6cp.fsm;
		break;
	}
	default: {
		struct ccp_config c = { .output = fuzz_output,
					.mppe40 = (enum ccp_policy)(pol % 3), .mppe56 = (enum ccp_policy)((pol / 3) % 3),
					.mppe128 = (enum ccp_policy)((pol / 9) % 3),
					.stateless = (enum ccp_policy)((pol / 27) % 3), .mppc = pol & 0x80 };
		ccp_init(&ccp, &c);
		f = &ccp.fsm;
		break;
	}
	}
	uint64_t now = 0;
	if (start >= 1) {
		ppp_fsm_lower_up(f, now);
		ppp_fsm_open(f, now);
		fuzz_drain(f, now);
	}
	if (start == 3) {
		/* Pretend negotiation finished, to reach the Opened-only codes. */
		f->state = PPP_STATE_OPENED;
		f->deadline = DEADLINE_NONE;
	}
	size_t pos = 0;
	while (pos < size) {
		size_t len = data[pos++];
		if (len == 0) {
			uint64_t d;
			switch (which) {
			case 0: d = lcp_next_deadline(&lcp); break;
			case 1: d = ipcp_next_deadline(&ipcp); break;
			case 2: d = ipv6cp_next_deadline(&ipv6cp); break;
			default: d = ccp_next_deadline(&ccp); break;
			}
			if (d == DEADLINE_NONE)
				continue;
			now = d;
			switch (which) {
			case 0: lcp_on_timeout(&lcp, now); break;
			case 1: ipcp_on_timeout(&ipcp, now); break;
			case 2: ipv6cp_on_timeout(&ipv6cp, now); break;
			default: ccp_on_timeout(&ccp, now); break;
			}
			fuzz_drain(f, now);
			continue;
		}
		if (len > size - pos)
			len = size - pos;
		const uint8_t *pkt = data + pos;
		pos += len;
		now += 10;
		switch (which) {
		case 0: lcp_input(&lcp, pkt, len, now); break;
		case 1: ipcp_input(&ipcp, pkt, len, now); break;
		case 2: ipv6cp_input(&ipv6cp, pkt, len, now); break;
		default: ccp_input(&ccp, pkt, len, now); break;
		}
		fuzz_drain(f, now);
		if ((unsigned)f->state >= PPP_STATE_COUNT)
			abort();
	}
	log_set_sink(NULL, NULL);
	return 0;
}
