/* SPDX-License-Identifier: BSD-2-Clause */
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* PAP: the parser over the raw input, then one engine of either role. */
#include "proto/auth/auth_wire.h"
#include "fuzz_auth_engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pap_packet p;

	if (size > 1)
		(void)pap_parse(data + 1, size - 1, &p);
	fuzz_auth_run(AUTH_METHOD_PAP, data, size);
	return 0;
}
