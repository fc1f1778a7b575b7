/* SPDX-License-Identifier: BSD-2-Clause */
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* EAP: the parsers (MD5-Challenge, EAP-MSCHAPv2) over the raw input, one
 * engine of either role, then an authenticator passing EAP through
 * (eap_relay.h) fed peer packets and verifier verdicts in turn. */
#include <string.h>

#include "proto/auth/auth_wire.h"
#include "proto/auth/eap_mschapv2_wire.h"
#include "fuzz_auth_engine.h"

/* Chunks: a length byte, a kind byte, then the bytes. Kind bit 0: a
 * verdict (bit 1: a challenge, bit 2: a refusal; the bytes are its EAP
 * packet, the first few also its State), else a packet from the peer. */
static void fuzz_relay(const uint8_t *data, size_t size)
{
	static struct auth a;
	static struct auth_verdict v;
	struct auth_config cfg;
	uint64_t now = 0;

	memset(&cfg, 0, sizeof(cfg));
	cfg.role = AUTH_ROLE_AUTHENTICATOR;
	cfg.remote_verify = true;
	cfg.verify_timeout_ms = 1000;
	cfg.random = (struct random_source){ fuzz_auth_zero_fill, NULL };
	cfg.output = fuzz_auth_output;
	cfg.restart_ms = 100;
	cfg.max_transmits = 3;
	if (auth_init(&a, AUTH_METHOD_EAP_MD5, &cfg) < 0)
		return;
	(void)auth_start(&a, now);
	fuzz_auth_take(&a);
	while (size >= 2) {
		size_t n = data[0];
		uint8_t kind = data[1];
		data += 2;
		size -= 2;
		if (n > size)
			n = size;
		if (kind & 1) {
			memset(&v, 0, sizeof(v));
			v.eap_challenge = (kind & 2) != 0;
			v.cause = (kind & 4) ? AUTH_CAUSE_WRONG_PASSWORD : AUTH_CAUSE_NONE;
			memcpy(v.eap, data, n);
			v.eap_len = n;
			v.state_len = n < 8 ? n : 8;
			memcpy(v.state, data, v.state_len);
			auth_verify_done(&a, &v, now);
		} else {
			(void)auth_input(&a, data, n, now);
		}
		if (auth_next_verify(&a) && a.verify.eap_len > AUTH_VERIFY_EAP_MAX)
			__builtin_trap();
		fuzz_auth_take(&a);
		data += n;
		size -= n;
		now += 50;
		if ((kind & 8) && auth_next_deadline(&a) != DEADLINE_NONE) {
			now = auth_next_deadline(&a);
			auth_on_timeout(&a, now);
			fuzz_auth_take(&a);
		}
	}
	auth_destroy(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct eap_packet p;
	struct eap_md5_data d;
	struct eap_mschapv2_msg m;

	if (size > 1 && eap_parse(data + 1, size - 1, &p) == 0 && p.data) {
		(void)eap_md5_parse(p.data, p.data_len, &d);
		if (eap_mschapv2_parse(p.data, p.data_len, &m) == 0 &&
		    (m.value_len + m.text_len > p.data_len || (m.value && m.value_len != 16 && m.value_len != 49)))
			__builtin_trap();
	}
	fuzz_auth_run(AUTH_METHOD_EAP_MD5, data, size);
	if (size > 0 && (data[0] & 0x80))
		fuzz_relay(data + 1, size - 1);
	return 0;
}
