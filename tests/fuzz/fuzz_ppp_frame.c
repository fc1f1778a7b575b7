/* SPDX-License-Identifier: BSD-2-Clause */
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* PPP frame codec: decode under the negotiated flags in the first byte,
 * re-encode in place and decode again: the round trip must agree. */
#include <stdlib.h>
#include <string.h>

#include "base/pkt.h"
#include "proto/ppp/frame.h"
#include "proto/ppp/lcp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	struct ppp_frame_config cfg = {
		.rx_acfc = data[0] & 1, .rx_pfc = data[0] & 2, .tx_acfc = data[0] & 4, .tx_pfc = data[0] & 8,
		.mru = (uint16_t)(data[1] * 8),
	};
	data += 2;
	size -= 2;
	struct ppp_frame f;
	struct ppp_frame_stats st = { 0 };
	if (ppp_frame_decode(&cfg, data, size, &f, &st) != 0)
		return 0;
	if (f.info_len > PKT_SIZE - PKT_HEADROOM)
		return 0;
	static uint8_t storage[PKT_SIZE];
	struct pkt p;
	pkt_init(&p, storage, sizeof(storage), PKT_HEADROOM);
	uint8_t *body = pkt_put(&p, f.info_len);
	if (!body)
		return 0;
	if (f.info_len)
		memcpy(body, f.info, f.info_len);
	if (ppp_frame_encode(&cfg, &p, f.protocol) != 0)
		abort();
	struct ppp_frame_config rx = { .rx_acfc = cfg.tx_acfc, .rx_pfc = cfg.tx_pfc, .mru = cfg.mru };
	struct ppp_frame g;
	if (ppp_frame_decode(&rx, pkt_data(&p), p.len, &g, NULL) != 0)
		abort();
	if (g.protocol != f.protocol || g.info_len != f.info_len ||
	    (f.info_len && memcmp(g.info, f.info, f.info_len) != 0))
		abort();
	uint8_t rej[1500];
	int n = ppp_protocol_reject_build(1, f.protocol, f.info, f.info_len, cfg.mru, rej, sizeof(rej));
	if (n > (int)sizeof(rej))
		abort();
	return 0;
}
