/* SPDX-License-Identifier: BSD-2-Clause */
#include "sys/sys_random.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "base/log.h"

static void getrandom_fill(void *ctx, void *buf, size_t len)
{
	(void)ctx;
	uint8_t *p = buf;
	while (len > 0) {
		ssize_t n = getrandom(p, len, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			log_msg(LOG_LEVEL_ERROR, "random", "getrandom: %s", strerror(errno));
			abort();
		}
		p += n;
		len -= (size_t)n;
	}
}

struct random_source sys_random_source(void)
{
	struct random_source rs = { .fill = getrandom_fill, .ctx = NULL };
	return rs;
}
