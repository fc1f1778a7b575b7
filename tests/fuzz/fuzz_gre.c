/* SPDX-License-Identifier: BSD-2-Clause */
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* IPv4 + enhanced GRE parsers on raw-socket input; then the in-place
 * strip and a re-encode of what was decoded, which must decode the same. */
#include <stdlib.h>
#include <string.h>

#include "base/pkt.h"
#include "proto/gre/gre_header.h"
#include "proto/gre/gre_ipv4.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gre_ipv4 ip;
	const uint8_t *gre = data;
	size_t gre_len = size;
	int rc = gre_ipv4_parse(data, size, &ip);
	if (rc >= 0) {
		if (ip.gre < data || ip.gre + ip.gre_len > data + size)
			abort();
		gre = ip.gre;
		gre_len = ip.gre_len;
	} else if (error_name(rc) == NULL) {
		abort();
	}

	struct gre_header h;
	memset(&h, 0, sizeof(h));
	int hlen = gre_header_decode(gre, gre_len, &h);
	if (hlen < 0)
		return 0;
	if ((size_t)hlen != gre_header_len(&h) || (size_t)hlen + h.payload_len > gre_len)
		abort();

	/* Rebuild the packet from the decoded fields and compare. */
	struct pkt *p = pkt_new(GRE_HEADER_MAX + (size_t)h.payload_len + 16, GRE_HEADER_MAX);
	if (!p)
		return 0;
	if (h.payload_len)
		memcpy(pkt_put(p, h.payload_len), gre + hlen, h.payload_len);
	if (gre_header_push(p, &h) != hlen)
		abort();
	if (memcmp(pkt_data(p), gre, (size_t)hlen) != 0)
		abort();
	struct gre_header again;
	memset(&again, 0, sizeof(again));
	if (gre_header_strip(p, &again) != hlen || memcmp(&again, &h, sizeof(h)) != 0 ||
	    p->len != h.payload_len)
		abort();
	pkt_free(p);
	return 0;
}
