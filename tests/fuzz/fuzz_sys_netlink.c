/* SPDX-License-Identifier: BSD-2-Clause */
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* netlink_parse_route over arbitrary bytes (copied to an aligned buffer, as
 * a recv() buffer would be). */
#include <stdlib.h>
#include <string.h>

#include "sys/netlink.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[65536] __attribute__((aligned(8)));
	if (size > sizeof(buf))
		return 0;
	memcpy(buf, data, size);
	struct netlink_route r;
	if (netlink_parse_route(buf, size, &r) == 0 && r.dst_len > 32)
		abort();
	return 0;
}
