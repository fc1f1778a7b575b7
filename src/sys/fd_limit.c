/* SPDX-License-Identifier: BSD-2-Clause */
#include "sys/fd_limit.h"

#include <sys/resource.h>

#include "base/error.h"

int fd_limit_ensure(unsigned long need, unsigned long *soft, unsigned long *hard)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return ERR_IO;
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= need)
		goto out;
	struct rlimit want = { .rlim_cur = need, .rlim_max = rl.rlim_max };
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need)
		want.rlim_max = need; /* only a privileged process may */
	if (setrlimit(RLIMIT_NOFILE, &want) == 0)
		rl = want;
out:
	*soft = rl.rlim_cur == RLIM_INFINITY ? (unsigned long)-1 : (unsigned long)rl.rlim_cur;
	*hard = rl.rlim_max == RLIM_INFINITY ? (unsigned long)-1 : (unsigned long)rl.rlim_max;
	return *soft >= need ? 0 : ERR_LIMIT;
}
