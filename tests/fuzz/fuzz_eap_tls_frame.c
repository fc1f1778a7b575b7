/* SPDX-License-Identifier: BSD-2-Clause */
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* EAP-TLS framing: the input is a run of fragments, each a length octet
 * then that many Type-Data bytes, fed to the parser and the reassembly;
 * the reassembled messages go back out through the fragmenter at a size
 * taken from the first octet, and must reassemble to themselves. */
#include <stdlib.h>
#include <string.h>

#include "proto/auth/eap_tls_frame.h"

static void round_trip(const uint8_t *msg, size_t len, size_t max)
{
	struct eap_tls_out o = { 0 };
	struct eap_tls_reasm r = { 0 };
	if (eap_tls_out_append(&o, msg, len) < 0)
		abort();
	while (eap_tls_out_pending(&o)) {
		uint8_t pkt[1500];
		struct writer w;
		struct eap_tls_fragment f;
		writer_init(&w, pkt, sizeof(pkt));
		if (eap_tls_out_next(&o, max, &w) < 0 || writer_len(&w) > max)
			abort();
		if (eap_tls_fragment_parse(pkt, writer_len(&w), &f) < 0 || eap_tls_reasm_add(&r, &f) < 0)
			abort();
	}
	if (r.len != len || memcmp(r.buf, msg, len) != 0)
		abort();
	eap_tls_out_destroy(&o);
	eap_tls_reasm_destroy(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct eap_tls_reasm r = { 0 };
	if (size < 1)
		return 0;
	size_t max = EAP_TLS_HEADER_MAX + 1 + data[0] * 4u;
	size_t pos = 1;
	while (pos < size) {
		size_t n = data[pos++];
		if (n > size - pos)
			n = size - pos;
		struct eap_tls_fragment f;
		if (eap_tls_fragment_parse(data + pos, n, &f) == 0 && !(f.flags & EAP_TLS_FLAG_S) &&
		    !eap_tls_fragment_is_ack(&f) && eap_tls_reasm_add(&r, &f) == EAP_TLS_REASM_COMPLETE) {
			round_trip(r.buf, r.len, max);
			eap_tls_reasm_reset(&r);
		}
		pos += n;
	}
	eap_tls_reasm_destroy(&r);
	return 0;
}
