/* SPDX-License-Identifier: BSD-2-Clause */
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* EAP: the parser over the raw input, then one engine of either role. */
#include "proto/auth/auth_wire.h"
#include "fuzz_auth_engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct eap_packet p;
	struct eap_md5_data d;

	if (size > 1 && eap_parse(data + 1, size - 1, &p) == 0 && p.data)
		(void)eap_md5_parse(p.data, p.data_len, &d);
	fuzz_auth_run(AUTH_METHOD_EAP_MD5, data, size);
	return 0;
}
