/* SPDX-License-Identifier: BSD-2-Clause */
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The load generator's echo-reply check on decrypted packets from the
 * server: any bytes give one of the three verdicts, every read inside the
 * buffer (the sanitizers see the rest). */
#include <stdlib.h>
#include <string.h>

#include "load/load_icmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct load_echo e;
	memset(&e, 0, sizeof(e));
	enum load_icmp_verdict v = load_icmp_parse_reply(data, size, &e);
	if (v != LOAD_ICMP_REPLY && v != LOAD_ICMP_NOT_ICMP && v != LOAD_ICMP_CORRUPT)
		abort();
	return 0;
}
