/* SPDX-License-Identifier: BSD-2-Clause */
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* CHAP in its three algorithms (bits 7 and 5 of the selector byte pick
 * MD5 / MS-CHAPv1 / MS-CHAPv2), both roles, plus the MS-CHAP value and
 * message parsers over the raw input. */
#include "proto/auth/auth_wire.h"
#include "fuzz_auth_engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct chap_packet p;
	struct mschap_failure f;
	struct mschapv1_response r1;
	struct mschapv2_response r2;
	const char *s;

	if (size < 1)
		return 0;
	if (chap_parse(data + 1, size - 1, &p) == 0) {
		if (p.value) {
			(void)mschapv1_response_parse(p.value, p.value_len, &r1);
			(void)mschapv2_response_parse(p.value, p.value_len, &r2);
		}
		if (p.message) {
			(void)mschapv2_success_parse(p.message, p.message_len, &s);
			(void)mschap_failure_parse(p.message, p.message_len, &f);
		}
	}
	(void)mschap_failure_parse(data + 1, size - 1, &f);
	static const enum auth_method variants[4] = { AUTH_METHOD_MSCHAPV2, AUTH_METHOD_MSCHAPV1,
						      AUTH_METHOD_CHAP_MD5, AUTH_METHOD_MSCHAPV2 };
	fuzz_auth_run(variants[((data[0] >> 7) & 1) | ((data[0] >> 4) & 2)], data, size);
	return 0;
}
